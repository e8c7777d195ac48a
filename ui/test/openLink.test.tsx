import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { LinkStatus } from "../src/bindings/LinkStatus";
import { HOUR, rejectWith } from "./fakeBackend";
import { goTo, renderApp } from "./helpers";

const LINK = "https://wisp.example.com/s/abc#k.Zm9v";

function status(over: Partial<LinkStatus> = {}): LinkStatus {
  return {
    id: "abc",
    available: true,
    kind: "text",
    size: 42,
    needs_passphrase: false,
    parts_needed: 1,
    parts_given: 1,
    views_left: 2,
    expires_at: new Date(Date.now() + 5 * HOUR).toISOString(),
    ...over,
  };
}

async function check(options: Parameters<typeof renderApp>[0], links = LINK) {
  const app = await renderApp(options);
  await goTo(app.user, "open");
  await app.user.type(screen.getByTestId("open-input"), links);
  await app.user.click(screen.getByTestId("open-check"));
  return app;
}

describe("Open link", () => {
  it("shows the status first, reveals only on request, then copies and hides the text", async () => {
    const { backend, user } = await check({ status: status() });
    const card = await screen.findByTestId("open-status");
    expect(card).toHaveTextContent("A text secret");
    expect(screen.getByTestId("open-views")).toHaveTextContent("2 views left");
    expect(screen.getByTestId("open-needs-passphrase")).toHaveTextContent("Not needed");
    expect(screen.getByTestId("open-reveal-warning")).toHaveTextContent("Revealing uses one view.");
    expect(backend.callsOf("inspect_links")).toEqual([{ links: [LINK] }]);
    // Checking spends nothing.
    expect(backend.callsOf("reveal")).toHaveLength(0);

    await user.click(screen.getByTestId("open-reveal"));
    expect(await screen.findByTestId("open-revealed-text")).toHaveTextContent("correct horse battery staple");
    expect(backend.callsOf("reveal")).toEqual([{ links: [LINK], passphrase: null }]);
    expect(screen.getByText("Copying puts it on the clipboard for 30 seconds, then Wisp clears it.")).toBeInTheDocument();
    expect(screen.getByTestId("open-views-after")).toHaveTextContent("That was its last view");

    await user.click(screen.getByTestId("open-copy"));
    expect(backend.callsOf("copy_text")).toEqual([{ text: "correct horse battery staple", sensitive: true }]);
    expect(await screen.findByText("Copied. The clipboard is cleared in 30 seconds.")).toBeInTheDocument();

    await user.click(screen.getByTestId("open-hide"));
    expect(screen.queryByTestId("open-revealed-text")).not.toBeInTheDocument();
    expect(screen.queryByText("correct horse battery staple")).not.toBeInTheDocument();
    expect(screen.getByTestId("open-hidden")).toBeInTheDocument();
  });

  it("says clearly when the secret is gone, and offers no reveal", async () => {
    await check({ status: status({ available: false, kind: null, size: null, views_left: null, expires_at: null }) });
    expect(await screen.findByTestId("open-gone")).toHaveTextContent("This secret is gone: it was viewed, burned or expired.");
    expect(screen.queryByTestId("open-reveal")).not.toBeInTheDocument();
  });

  it("asks for the passphrase before revealing, and shows a wrong one at the field", async () => {
    const { backend, user } = await check({
      status: status({ needs_passphrase: true, views_left: 1 }),
      handlers: { reveal: () => rejectWith("wrong_passphrase", "This passphrase is not right. No view was used.") },
    });
    expect(await screen.findByTestId("open-needs-passphrase")).toHaveTextContent("Needed");
    expect(screen.getByTestId("open-reveal-warning")).toHaveTextContent("This is its last view");
    await user.click(screen.getByTestId("open-reveal"));
    expect(await screen.findByText("Enter the passphrase first.")).toBeInTheDocument();
    expect(backend.callsOf("reveal")).toHaveLength(0);

    await user.type(screen.getByTestId("open-passphrase"), "nope");
    await user.click(screen.getByTestId("open-reveal"));
    await waitFor(() => expect(backend.callsOf("reveal")).toEqual([{ links: [LINK], passphrase: "nope" }]));
    expect(screen.getByTestId("open-passphrase")).toHaveAccessibleDescription(/This passphrase is not right/);
    expect(screen.queryByTestId("open-revealed-text")).not.toBeInTheDocument();
  });

  it("says how many passphrase attempts are left after a wrong one, and takes another try in an emptied field", async () => {
    // As wisp-desk sends the server's 403 wrong_passphrase with attempts_left 9 (error.rs).
    const wrong = () =>
      rejectWith("wrong_passphrase", "Wrong passphrase. 9 attempt(s) left before the secret is destroyed.", "error.wrongPassphraseLeft", { left: "9" });
    const { backend, user } = await check({ status: status({ needs_passphrase: true, views_left: 1 }), handlers: { reveal: wrong } });
    await user.type(await screen.findByTestId("open-passphrase"), "not it");
    await user.click(screen.getByTestId("open-reveal"));
    const said = await screen.findByTestId("open-passphrase-error");
    expect(said).toHaveTextContent(/^Wrong passphrase\. 9 attempts left before the secret is destroyed\.$/);
    expect(screen.getByTestId("open-passphrase")).toHaveAccessibleDescription(/9 attempts left/);
    // The field stays for another try, emptied; no code, no stack, no second copy in a toast.
    expect(screen.getByTestId("open-passphrase")).toHaveValue("");
    expect(screen.getByTestId("open-status")).not.toHaveTextContent(/wrong_passphrase|error\.|attempt\(s\)/);
    expect(screen.queryByTestId("toast")).not.toBeInTheDocument();
    expect(screen.queryByTestId("open-error")).not.toBeInTheDocument();

    // One left: singular.
    backend.on("reveal", () => rejectWith("wrong_passphrase", "…", "error.wrongPassphraseLeft", { left: "1" }));
    await user.type(screen.getByTestId("open-passphrase"), "still not it");
    await user.click(screen.getByTestId("open-reveal"));
    await waitFor(() => expect(screen.getByTestId("open-passphrase-error")).toHaveTextContent("Wrong passphrase. 1 attempt left before the secret is destroyed."));

    // The right one reveals.
    backend.on("reveal", () => ({ kind: "text", text: "correct horse battery staple", views_left: 0 }));
    await user.type(screen.getByTestId("open-passphrase"), "the right one");
    await user.click(screen.getByTestId("open-reveal"));
    expect(await screen.findByTestId("open-revealed-text")).toHaveTextContent("correct horse battery staple");
    expect(backend.callsOf("reveal").map((c) => c.passphrase)).toEqual(["not it", "still not it", "the right one"]);
  });

  it("says so when the last wrong passphrase destroyed the secret, in the user's language", async () => {
    const { user } = await check({
      settings: { language: "ru" },
      status: status({ needs_passphrase: true }),
      handlers: {
        reveal: () => rejectWith("unavailable", "Wrong passphrase. The secret was destroyed after too many wrong passphrases.", "error.wrongPassphraseBurned"),
      },
    });
    await user.type(await screen.findByTestId("open-passphrase"), "nope");
    await user.click(screen.getByTestId("open-reveal"));
    expect(await screen.findByTestId("open-gone-why")).toHaveTextContent("Неверная парольная фраза. Секрет уничтожен после слишком многих неверных попыток.");
    expect(screen.queryByTestId("open-reveal")).not.toBeInTheDocument();
    expect(screen.queryByTestId("open-passphrase")).not.toBeInTheDocument();
  });

  it("sends every pasted part and says how many are missing", async () => {
    const parts = "https://w.example/s/abc#p1\n\n  https://w.example/s/abc#p2  ";
    const { backend } = await check({ status: status({ parts_needed: 3, parts_given: 2 }) }, parts);
    expect(await screen.findByTestId("open-parts")).toHaveTextContent("2 given, 3 needed");
    expect(screen.getByTestId("open-parts-missing")).toHaveTextContent("Paste 1 more part of the link to open it.");
    expect(screen.queryByTestId("open-reveal")).not.toBeInTheDocument();
    expect(backend.callsOf("inspect_links")).toEqual([{ links: ["https://w.example/s/abc#p1", "https://w.example/s/abc#p2"] }]);
  });

  it("saves a file where the user chose, and says so when the dialog was dismissed", async () => {
    const { backend, user } = await check({
      status: status({ kind: "file", size: 2_000_000 }),
      handlers: { reveal: () => ({ kind: "file", file: { path: "/home/ann/report.pdf", name: "report.pdf", size: 2_000_000, views_left: 1 }, views_left: 1 }) },
    });
    expect(await screen.findByTestId("open-kind")).toHaveTextContent("A file");
    await user.click(screen.getByTestId("open-reveal"));
    expect(await screen.findByTestId("open-saved-path")).toHaveTextContent("Saved to /home/ann/report.pdf");
    expect(screen.getByTestId("open-views-after")).toHaveTextContent("It can be viewed 1 more time.");

    backend.on("reveal", () => ({ kind: "file", file: null, views_left: 0 }));
    await user.click(screen.getByTestId("open-another"));
    await user.type(screen.getByTestId("open-input"), LINK);
    await user.click(screen.getByTestId("open-check"));
    await user.click(await screen.findByTestId("open-reveal"));
    expect(await screen.findByTestId("open-discarded")).toHaveTextContent("The file was not saved");
  });

  it("shows a command's message when a link cannot be read", async () => {
    const { user } = await renderApp({ handlers: { inspect_links: () => rejectWith("invalid_input", "This is not a Wisp link.") } });
    await goTo(user, "open");
    await user.click(screen.getByTestId("open-check"));
    expect(await screen.findByText("Paste a link first.")).toBeInTheDocument();
    await user.type(screen.getByTestId("open-input"), "hello");
    await user.click(screen.getByTestId("open-check"));
    expect(await screen.findByTestId("toast")).toHaveTextContent("This is not a Wisp link.");
    expect(screen.getByTestId("open-input")).toHaveAccessibleDescription(/This is not a Wisp link\./);
    expect(screen.queryByTestId("open-status")).not.toBeInTheDocument();
  });
});
