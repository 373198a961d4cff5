#!/usr/bin/env bash
# Load on the mock SP's ACS: wrk posts signed Responses to `samlcheck serve` on loopback and
# reports requests per second, latency percentiles and the server's memory over the run.
#
#   bash benches/load_acs.sh                      # 60 s, 2 wrk threads, 32 connections
#   DURATION=10 CONNECTIONS=16 bash benches/load_acs.sh
#
# What it does:
#  1. builds samlcheck and the sign example (release) unless NO_BUILD=1;
#  2. writes K distinct "typical ~8 KB" Responses (benches/python3_saml_verify.py gen: 15
#     attributes, own IDs per file), made IdP-initiated (InResponseTo removed, so the SP accepts
#     them without having sent a request) and signed on the Assertion and the Response
#     (examples/sign, fixtures/keys/idp-rsa), then turns each into an HTTP-POST form body;
#  3. starts `samlcheck serve --org acme --base-url https://sentry.io --now 2026-01-15T10:01:00Z`
#     on 127.0.0.1 (so Destination, Recipient and Audience are the SaaS URLs the Responses name,
#     and every check runs at an instant when they are valid);
#  4. checks that one post of each kind gets the expected page: the first post of a Response is
#     accepted (200), the same Response again is rejected as a replay (403), a tampered one is
#     rejected (403);
#  5. runs wrk for DURATION seconds, cycling through the K bodies, while sampling the server's
#     RSS every second; prints wrk's summary, the latency percentiles and the RSS first / peak /
#     last.
#
# Every post runs the whole verify pipeline (parse, both signatures, every check); the replay
# cache is consulted only after a Response verifies, so the posts after the first K are full
# verifications that end in `assertion/replayed` (403). wrk counts those as "Non-2xx".
#
# Env: DURATION (s, default 60), THREADS (wrk threads, default 2), CONNECTIONS (default 32),
# K (distinct Responses, default 2000), JOBS (signing processes, default nproc), NO_BUILD=1,
# KEEP=1 (keep the work directory).
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-60}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
K=${K:-2000}
JOBS=${JOBS:-$(nproc)}
NOW=2026-01-15T10:01:00Z
say() { printf '%s\n' "$*" >&2; }
command -v wrk >/dev/null || { say "wrk is required (apt-get install wrk)"; exit 2; }
command -v python3 >/dev/null || { say "python3 is required"; exit 2; }

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null || true
  if [[ ${KEEP:-0} == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if [[ ${NO_BUILD:-0} != 1 ]]; then
  say "building samlcheck and the sign example (release)"
  (cd "$ROOT" && cargo build --release --quiet --bin samlcheck --example sign)
fi
SAMLCHECK=$ROOT/target/release/samlcheck
SIGN=$ROOT/target/release/examples/sign
export SIGN KEY=$ROOT/fixtures/keys/idp-rsa.key CERT=$ROOT/fixtures/keys/idp-rsa.crt WORK

say "writing and signing $K responses"
python3 "$ROOT/benches/python3_saml_verify.py" gen "$WORK/unsigned" "$K"
# IdP-initiated: no InResponseTo anywhere (the server has sent no AuthnRequest).
sed -i 's/ InResponseTo="[^"]*"//g' "$WORK"/unsigned/*.xml
mkdir -p "$WORK/signed"
tr '\t' '\n' <"$WORK/unsigned/ids.tsv" | xargs -d '\n' -n 3 -P "$JOBS" sh -c \
  'exec "$SIGN" --key "$KEY" --cert "$CERT" --id "$1" --id "$2" <"$0" >"$WORK/signed/${0##*/}"'
mkdir -p "$WORK/bodies"
python3 - "$WORK/signed" "$WORK/bodies" <<'PY'
import base64, os, sys, urllib.parse
src, dst = sys.argv[1], sys.argv[2]
def body(xml):
    return "SAMLResponse=" + urllib.parse.quote(base64.b64encode(xml).decode(), safe="")
names = sorted(f for f in os.listdir(src) if f.endswith(".xml"))
for n, name in enumerate(names, 1):
    xml = open(os.path.join(src, name), "rb").read()
    open(os.path.join(dst, "%d.body" % n), "w").write(body(xml))
    if n == 2:
        # One attribute value changed after signing: must be rejected, not accepted.
        bad = xml.replace(b"Platform Engineering", b"Platform Engineerinf", 1)
        assert bad != xml
        open(os.path.join(dst, "..", "tampered.body"), "w").write(body(bad))
PY
BODY_SIZE=$(wc -c <"$WORK/bodies/1.body")

cat >"$WORK/cycle.lua" <<'LUA'
-- Each wrk thread cycles through the same K bodies (args: directory, K).
local bodies = {}
local next_body = 0
function init(args)
  local dir, count = args[1], tonumber(args[2])
  for i = 1, count do
    local f = assert(io.open(dir .. "/" .. i .. ".body", "rb"))
    bodies[i] = f:read("*a")
    f:close()
  end
  next_body = math.random(count) - 1
end
function request()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded" }, bodies[next_body])
end
LUA

say "starting samlcheck serve"
"$SAMLCHECK" serve --org acme --idp-metadata "$ROOT/fixtures/metadata/okta.xml" \
  --listen 127.0.0.1:0 --base-url https://sentry.io --now "$NOW" >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
ADDR=
for _ in $(seq 1 100); do
  ADDR=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/serve.out" "$WORK/serve.err" 2>/dev/null | head -1 | sed 's/^[^:]*://' || true)
  [[ -n $ADDR ]] && break
  sleep 0.1
done
[[ -n $ADDR ]] || { say "serve did not print its address"; cat "$WORK/serve.err" >&2; exit 1; }
ACS=$ADDR/saml/acs/acme/

post() { curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$1" "$ACS"; }
first=$(post "$WORK/bodies/1.body")
again=$(post "$WORK/bodies/1.body")
tampered=$(post "$WORK/tampered.body")
say "sanity: first post $first, replay $again, tampered $tampered (expected 200, 403, 403)"
[[ $first == 200 && $again == 403 && $tampered == 403 ]] || { say "unexpected status codes"; exit 1; }

: >"$WORK/rss.txt"
( while kill -0 "$SERVER_PID" 2>/dev/null; do
    awk '/VmRSS/ { print $2 }' "/proc/$SERVER_PID/status" >>"$WORK/rss.txt" 2>/dev/null || true
    sleep 1
  done ) &
SAMPLER=$!

say "wrk: ${DURATION}s, $THREADS threads, $CONNECTIONS connections, $K bodies of $BODY_SIZE bytes"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --latency -s "$WORK/cycle.lua" "$ACS" -- "$WORK/bodies" "$K" | tee "$WORK/wrk.txt"
kill "$SAMPLER" 2>/dev/null || true

read -r rss_first rss_peak rss_last < <(awk 'NR == 1 { f = $1 } { if ($1 > p) p = $1; l = $1 } END { printf "%d %d %d\n", f, p, l }' "$WORK/rss.txt")
rps=$(awk '/^Requests\/sec/ { print $2 }' "$WORK/wrk.txt")
p99=$(awk '$1 == "99%" { print $2 }' "$WORK/wrk.txt")
echo
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); wrk and the server share them"
echo "ACS posts/s: $rps (every post fully verified; replays rejected after verification)"
echo "p99 latency: $p99"
echo "server RSS (KiB): first sample $rss_first, peak $rss_peak, last $rss_last"
echo "target: >= 5,000/s with p99 < 20 ms, memory flat"
