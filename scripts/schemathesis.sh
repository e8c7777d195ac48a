#!/usr/bin/env bash
# Checks crates/wisp-server/openapi.json against a live server: validates the document
# (openapi-spec-validator), starts the server on a free port with a throw-away data dir and
# high rate limits, and runs Schemathesis (every check, a bounded number of examples per
# operation, stateful sequences through the spec's links). Exits non-zero on any failure.
#
#   scripts/schemathesis.sh [SERVER_BINARY] [extra schemathesis run options...]
#
# SERVER_BINARY defaults to $CARGO_TARGET_DIR/debug/wisp-server (build it first; this script
# never runs cargo). Environment:
#   WISP_SCHEMATHESIS_EXAMPLES  examples per operation and phase (default 30: about a minute)
#   WISP_SCHEMATHESIS_SEED      Hypothesis seed (default 1, so runs are reproducible)
#   WISP_SCHEMATHESIS_REPORT    directory for a JUnit report (default: none)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

SERVER="${1:-$CARGO_TARGET_DIR/debug/wisp-server}"
shift || true
SPEC="$ROOT/crates/wisp-server/openapi.json"
EXAMPLES="${WISP_SCHEMATHESIS_EXAMPLES:-30}"
SEED="${WISP_SCHEMATHESIS_SEED:-1}"

if [ ! -x "$SERVER" ]; then
  echo "error: no server binary at $SERVER (build it with: cargo build -p wisp-server)" >&2
  exit 2
fi

# Python tools, pinned in tests/interop/requirements.txt, in the repo's venv.
REQUIREMENTS="$ROOT/tests/interop/requirements.txt"
if [ ! -x .venv/bin/python ]; then
  say "python venv"
  python3 -m venv .venv
fi
if ! .venv/bin/python - "$REQUIREMENTS" <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version

for line in open(sys.argv[1]):
    name, sep, pinned = line.split("#")[0].strip().partition("==")
    if not sep:
        continue
    try:
        if version(name) != pinned:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
EOF
then
  say "pip install -r tests/interop/requirements.txt"
  .venv/bin/pip install -q --disable-pip-version-check -r "$REQUIREMENTS"
fi

say "openapi-spec-validator"
.venv/bin/openapi-spec-validator "$SPEC"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/wisp-schemathesis.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A server of its own: fresh data dir, an API token for the token-only operations, rate limits
# high enough that the run is never throttled.
mkdir -p "$WORK/data"
# E-mail is "enabled" towards a port nobody listens on, so the e-mail options are accepted
# and every message fails quietly in the background. Every compatibility layer is on (the
# plaintext ones are off by default), so the run also shows they leave Wisp's own API as
# its document says.
cat >"$WORK/server.toml" <<EOF
smtp_url = "smtp://127.0.0.1:1"

[limits]
requests_per_minute = 1000000
anonymous_requests_per_minute = 1000000

[compat]
onetime = true
burn_the_secret = true
seclink = true
seecret = true
EOF
TOKEN="$(WISP_DATA_DIR="$WORK/data" "$SERVER" --config "$WORK/server.toml" token create --name schemathesis 2>/dev/null)"

say "starting $SERVER"
# Generated webhooks point at TEST-NET-1 (192.0.2.1), a reserved range the server refuses
# by default; allowing it keeps such cases valid while nothing can leave the machine.
WISP_WEBHOOKS_ALLOW_PRIVATE=true WISP_LISTEN=127.0.0.1:0 WISP_DATA_DIR="$WORK/data" RUST_LOG="${RUST_LOG:-warn}" \
  "$SERVER" --config "$WORK/server.toml" serve --announce >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!
BASE=""
for _ in $(seq 100); do
  BASE="$(sed -n 's/^listening on //p' "$WORK/server.out")"
  [ -n "$BASE" ] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    cat "$WORK/server.log" >&2
    echo "error: the server exited before listening" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$BASE" ]; then
  echo "error: the server did not announce its address" >&2
  exit 1
fi
echo "server at $BASE"

# Hooks: JSON Schema cannot express "a real Wisp payload whose link proof hashes to the
# verifier", part order in multipart, or constraints across fields, so positive cases are made
# semantically valid here (negative cases are sent as generated).
cat >"$WORK/hooks.py" <<'EOF'
import base64
import json
import os
import re

import schemathesis
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from schemathesis.generation.meta import ComponentInfo
from schemathesis.generation.modes import GenerationMode

_VECTORS = {v.get("name"): v for v in json.load(open(os.environ["WISP_PAYLOAD_VECTORS"]))["vectors"]}
_VECTOR = _VECTORS["text_short"]
# One part of a real 2-of-3 split link, for `send_to_part`.
PART = _VECTORS["text_split_2_of_3"]["links"][0].split("#", 1)[1]
PAYLOAD = base64.b64decode(_VECTOR["payload"])
VERIFIER = _VECTOR["derived"]["link_verifier"]
PROOF = _VECTOR["derived"]["link_proof"]
CURSOR = base64.urlsafe_b64encode(b"99999999999:zzzzzzzzzzzzzzzzzzzzzz").decode().rstrip("=")
# TEST-NET-1: a public-looking address nobody answers on, so no webhook leaves the machine.
WEBHOOK = "https://192.0.2.1/wisp-schemathesis"
RANGE = re.compile(r"^bytes=([0-9]+)-$")
UPLOADS = {("POST", "/api/v1/secrets"), ("PUT", "/api/v1/receipts/{key}/payload")}

_SPEC = json.load(open(os.environ["WISP_OPENAPI"]))
_REGISTRY = Registry().with_resource("urn:wisp", Resource.from_contents(_SPEC, default_specification=DRAFT202012))
OPTIONS = Draft202012Validator({"$ref": "urn:wisp#/components/schemas/CreateOptions"}, registry=_REGISTRY)


def _ints(value):
    """JSON Schema counts 1280.0 as an integer, serde's u64 does not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ints(v) for v in value]
    return value


def _positive(case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return False
    return not any(c.mode.is_negative for c in meta.components.values())


def _options(case):
    options = case.body.get("options") if isinstance(case.body, dict) else None
    if not isinstance(options, dict):
        return None
    # The vector's payload (format v2) has no passphrase, so a passphrase verifier would
    # (rightly) be refused.
    options = {k: v for k, v in _ints(options).items() if k != "passphrase_verifier"}
    return {**options, "verifier": VERIFIER}


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if not _positive(case):
        return
    route = (case.method.upper(), case.operation.path)
    options = _options(case) if route in UPLOADS else None
    if options is not None and not OPTIONS.is_valid(options):
        # Values drawn from Schemathesis' pools can break a constraint across fields (split
        # `needed` > `total`): such a case is negative, whatever it was generated as.
        case.meta.components = {loc: ComponentInfo(mode=GenerationMode.NEGATIVE) for loc in case.meta.components}
        case.meta.generation.mode = GenerationMode.NEGATIVE
    elif options is not None:
        if isinstance(options.get("notify"), dict) and options["notify"].get("webhook_url"):
            options["notify"]["webhook_url"] = WEBHOOK
        if isinstance(options.get("send_to_part"), str):
            options["send_to_part"] = PART
        # The server streams uploads: `options` first, then a real payload.
        case.body = {"options": options, "payload": PAYLOAD}
    elif route in {("POST", "/api/v1/secrets/{id}/reveal"), ("POST", "/api/v1/secrets/{id}/burn")}:
        if isinstance(case.headers, dict) and "Wisp-Reveal-Proof" in case.headers:
            case.headers["Wisp-Reveal-Proof"] = PROOF
    elif route == ("GET", "/api/v1/secrets/{id}/payload"):
        match = RANGE.match(str((case.headers or {}).get("Range", "")))
        if match:
            case.headers["Range"] = f"bytes={int(match.group(1)) % len(PAYLOAD)}-"
    elif route == ("GET", "/api/v1/account/secrets"):
        if isinstance(case.query, dict) and "cursor" in case.query:
            case.query["cursor"] = CURSOR
    elif isinstance(case.body, (dict, list)):
        case.body = _ints(case.body)
    # These edits keep the case as valid as generated; re-validating raw payload bytes against
    # `format: binary` would wrongly turn it negative, so keep the generation-time verdict.
    case._record_starting_state()


_CONTROL = {chr(c) for c in [*range(0, 9), *range(10, 32), 127]}


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    """Control characters in a header value are not HTTP: the server's HTTP parser answers a bare
    400 before any Wisp code runs (RFC 9110 section 5.5), which is right, not a Wisp failure."""
    invalid = any(isinstance(v, str) and _CONTROL & set(v) for v in (case.headers or {}).values())
    return not (invalid and response.status_code == 400 and not response.content)
EOF

# Control characters in header values are refused by the HTTP parser itself (a bare 400,
# before any Wisp code runs), so they are not generated (and `filter_failure` above drops the
# few the coverage phase still sends).
CONTROL_CHARS="$(printf '\\u%04x' $(seq 0 8) $(seq 10 31) 127)"
cat >"$WORK/schemathesis.toml" <<EOF
hooks = "$WORK/hooks.py"

[generation]
database = "none"
allow-x00 = false
exclude-header-characters = "$CONTROL_CHARS"

[cache]
enabled = false

[auth.openapi.bearerAuth]
bearer = "\${WISP_SCHEMATHESIS_TOKEN}"

# The push channel never ends by itself: read a few events, then move on.
[[operations]]
include-operation-id = "receiptEvents"
request-timeout = 1.0
max-stream-events = 5
EOF

REPORT=()
if [ -n "${WISP_SCHEMATHESIS_REPORT:-}" ]; then
  mkdir -p "$WISP_SCHEMATHESIS_REPORT"
  REPORT=(--report junit --report-dir "$WISP_SCHEMATHESIS_REPORT")
fi

# Two checks cannot model Wisp and are off: `use_after_free` (DELETE on a receipt burns the
# secret but keeps its receipt, by design) and `ensure_resource_availability` (a reveal, a POST,
# consumes a view-once secret, so its status is 404 afterwards, by design).
say "schemathesis ($EXAMPLES examples per operation, seed $SEED)"
status=0
(
  cd "$WORK"
  WISP_SCHEMATHESIS_TOKEN="$TOKEN" WISP_OPENAPI="$SPEC" \
    WISP_PAYLOAD_VECTORS="$ROOT/tests/vectors/payload_v2.json" \
    timeout 600 "$ROOT/.venv/bin/schemathesis" --config-file "$WORK/schemathesis.toml" --no-color run "$SPEC" \
    --url "$BASE" \
    --checks all \
    --exclude-checks use_after_free,ensure_resource_availability \
    --max-examples "$EXAMPLES" \
    --seed "$SEED" \
    --continue-on-failure \
    --request-timeout 10 \
    --output-truncate true \
    "${REPORT[@]}" "$@"
) || status=$?

if grep -qE "ERROR|panicked" "$WORK/server.log"; then
  say "server errors"
  grep -E "ERROR|panicked" "$WORK/server.log" | tail -20
  [ "$status" -ne 0 ] || status=1
fi
if [ "$status" -ne 0 ]; then
  echo "schemathesis: FAILED (exit $status)" >&2
  exit "$status"
fi
say "schemathesis: the server conforms to openapi.json"
