// Driven by crates/wisp-crypto/tests/interop.rs: runs the audited npm package
// `shamir-secret-sharing` so Wisp's Rust implementation is checked against it.
//   node shamir.mjs split SECRET_HEX N K   -> JSON array of share hex strings
//   node shamir.mjs combine SHARE_HEX...   -> secret hex
import { split, combine } from "shamir-secret-sharing";

const hex = (bytes) => Buffer.from(bytes).toString("hex");
const unhex = (text) => new Uint8Array(Buffer.from(text, "hex"));

const [mode, ...args] = process.argv.slice(2);
if (mode === "split") {
  const [secret, n, k] = args;
  const shares = await split(unhex(secret), Number(n), Number(k));
  console.log(JSON.stringify(shares.map(hex)));
} else if (mode === "combine") {
  console.log(hex(await combine(args.map(unhex))));
} else {
  console.error("usage: shamir.mjs split SECRET_HEX N K | combine SHARE_HEX...");
  process.exit(2);
}
