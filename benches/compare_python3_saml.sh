#!/usr/bin/env bash
# samlcheck vs python3-saml on the same signed Responses, each tool in ONE process.
#
#   bash benches/compare_python3_saml.sh            # 2,000 responses, 3 runs per tool (median reported)
#   N=500 RUNS=1 bash benches/compare_python3_saml.sh
#
# What it does (see docs/performance.md):
#  1. builds `samlcheck` and the `sign` example (cargo build --release);
#  2. writes N distinct unsigned "typical ~8 KB" Responses (benches/python3_saml_verify.py gen: the
#     text of typical_response(Style::Compact, or Style::ClaimUris with STYLE=claims) in
#     benches/verify.rs, 15 attributes (19 with STYLE=claims), each file with
#     its own Response ID, Assertion ID, NameID and email) and signs each with the library signer
#     (target/release/examples/sign, assertion then response, RSA-2048 SHA-256 exclusive c14n,
#     fixtures/keys/idp-rsa): N distinct signed responses, no copies;
#  3. checks that both tools reject a copy with one attribute value changed (neither skips the
#     signature work);
#  4. times `samlcheck verify FILE... --format jsonl` over all N files in one process, twice: with
#     `--jobs 1` (one core, as the one Python process) and with the default (every core); each
#     timed run follows an untimed warm-up run, and the clock is bash's own ($EPOCHREALTIME);
#  5. times python3-saml `OneLogin_Saml2_Response(settings, b64).is_valid(request_data)` over the
#     same N files in one Python process (strict, wantAssertionsSigned + wantMessagesSigned);
#  6. fails unless BOTH tools accept EVERY response (a fast rejection is never compared), then
#     prints wall times, responses/second and the ratio.
#
# Time: the responses say IssueInstant 2026-01-15T10:00:00Z and expire at 10:05. samlcheck gets
# --now 2026-01-15T10:01:00Z; python3-saml's clock (OneLogin_Saml2_Utils.now) is replaced by a
# function returning the same instant (unix 1768471260). Nothing depends on the real clock.
#
# python3-saml lives in a venv outside the repository: $PYTHON3_SAML_VENV, by default
# ${XDG_CACHE_HOME:-~/.cache}/samlcheck/python3-saml-venv, created on first use with
# `pip install python3-saml` (the xmlsec wheel; if pip has to build xmlsec, install
# libxmlsec1-dev and pkg-config first).
#
# Env: SIGNED=both (default: Response and Assertion signed, 2 RSA verifications each) or
# SIGNED=assertion (only the Assertion, as Entra ID, Google and ADFS sign by default; python3-saml
# then runs with wantMessagesSigned off), STYLE=compact (default: short attribute names) or
# STYLE=claims (the attributes named by claim URI as Entra ID and ADFS name them, plus Entra's
# four built-in claims: with SIGNED=assertion, a 7.6 KB Response), N (responses, default 2000), RUNS (runs per tool, default 3), JOBS (signing processes,
# default nproc), PYTHON3_SAML_VENV, KEEP=1 (keep the temp dir and print its path), NO_BUILD=1
# (use target/release/samlcheck and target/release/examples/sign as they are).
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${N:-2000}
RUNS=${RUNS:-3}
SIGNED=${SIGNED:-both}
[[ $SIGNED == both || $SIGNED == assertion ]] || { echo "SIGNED must be both or assertion" >&2; exit 2; }
export SIGNED
STYLE=${STYLE:-compact}
[[ $STYLE == compact || $STYLE == claims ]] || { echo "STYLE must be compact or claims" >&2; exit 2; }
export STYLE
JOBS=${JOBS:-$(nproc)}
NOW=2026-01-15T10:01:00Z
HELPER=$ROOT/benches/python3_saml_verify.py
METADATA=$ROOT/fixtures/metadata/okta.xml
KEY=$ROOT/fixtures/keys/idp-rsa.key
CERT=$ROOT/fixtures/keys/idp-rsa.crt
VENV=${PYTHON3_SAML_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/samlcheck/python3-saml-venv}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/samlcheck-compare.XXXXXX")
if [[ ${KEEP:-0} == 1 ]]; then
  echo "keeping $WORK" >&2
else
  trap 'rm -rf "$WORK"' EXIT
fi

say() { printf '%s\n' "$*" >&2; }
# Timestamps are bash's own $EPOCHREALTIME, read in place: forking `date` (or a subshell for
# `$(...)`) put its own start-up inside every timed window.
[[ -n ${EPOCHREALTIME:-} ]] || { echo "bash 5 or later is needed (EPOCHREALTIME)" >&2; exit 2; }
# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# --- python3-saml ------------------------------------------------------------------------------
if ! "$VENV/bin/python" -c 'import onelogin.saml2.response, xmlsec' 2>/dev/null; then
  say "creating the python3-saml venv at $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check python3-saml || {
    say "pip install python3-saml failed; if xmlsec had to be built: apt-get install libxmlsec1-dev pkg-config"
    exit 2
  }
fi
PY_VERSIONS=$("$VENV/bin/python" -c '
import importlib.metadata as m, platform
print("python %s, python3-saml %s, xmlsec %s, lxml %s" % (platform.python_version(),
      m.version("python3-saml"), m.version("xmlsec"), m.version("lxml")))')

# --- build ------------------------------------------------------------------------------------
if [[ ${NO_BUILD:-0} != 1 ]]; then
  say "building samlcheck and the sign example (release)"
  (cd "$ROOT" && cargo build --release --quiet --bin samlcheck --example sign)
fi
SAMLCHECK=$ROOT/target/release/samlcheck
SIGN=$ROOT/target/release/examples/sign

# --- N distinct signed responses ---------------------------------------------------------------
t0=$EPOCHREALTIME
python3 "$HELPER" gen "$WORK/unsigned" "$N"
mkdir -p "$WORK/signed"
export SIGN KEY CERT WORK
if [[ $SIGNED == both ]]; then
  tr '\t' '\n' <"$WORK/unsigned/ids.tsv" | xargs -d '\n' -n 3 -P "$JOBS" sh -c \
    'exec "$SIGN" --key "$KEY" --cert "$CERT" --id "$1" --id "$2" <"$0" >"$WORK/signed/${0##*/}"'
else
  tr '\t' '\n' <"$WORK/unsigned/ids.tsv" | xargs -d '\n' -n 3 -P "$JOBS" sh -c \
    'exec "$SIGN" --key "$KEY" --cert "$CERT" --id "$1" <"$0" >"$WORK/signed/${0##*/}"'
fi
t1=$EPOCHREALTIME
FILES=("$WORK"/signed/*.xml)
[[ ${#FILES[@]} -eq $N ]] || { say "expected $N signed files, found ${#FILES[@]}"; exit 1; }
SIZES=$(wc -c "${FILES[@]}" | awk '$2 != "total" { print $1 }' | sort -n | awk 'NR == 1 { min = $1 } { max = $1; sum += $1 } END { printf "%d..%d bytes, mean %.0f", min, max, sum / NR }')
say "signed $N distinct responses in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s ($SIZES)"

# --- both tools must reject a tampered copy (so neither skips the signature work) -------------------
sed 's/Platform Engineering/Platform Engineerinf/' "${FILES[0]}" >"$WORK/tampered.xml"
cmp -s "${FILES[0]}" "$WORK/tampered.xml" && { say "could not tamper with ${FILES[0]}"; exit 1; }
if "$SAMLCHECK" verify "$WORK/tampered.xml" --idp-metadata "$METADATA" --org acme --now "$NOW" \
  --format jsonl | grep -q '"accepted":true'; then
  say "samlcheck accepted a tampered response"; exit 1
fi
"$VENV/bin/python" "$HELPER" verify "$METADATA" "$WORK/tampered.xml" >"$WORK/tampered.json" 2>/dev/null
grep -q '"accepted": 0' "$WORK/tampered.json" || { say "python3-saml accepted a tampered response"; exit 1; }
say "sanity: both tools reject a copy with one attribute value changed"

# --- timing ---------------------------------------------------------------------------------------
# $2: --jobs (1: one core, like the one Python process; 0: samlcheck's default, every core)
run_samlcheck() {
  local out=$1 jobs=$2 rc=0
  local jobs_flag=()
  [[ $jobs == 0 ]] || jobs_flag=(--jobs "$jobs")
  "$SAMLCHECK" verify "${FILES[@]}" --idp-metadata "$METADATA" --org acme --now "$NOW" \
    --format jsonl "${jobs_flag[@]}" >"$out" || rc=$?
  echo "$rc" >"$out.rc"
}

# Runs samlcheck and fails unless it accepted every response; prints the wall time of the second
# of two runs. The first, untimed, is a warm-up (as hyperfine's --warmup): the binary and the
# files are in memory when the timed run starts, as Python's modules and settings are when its
# timed loop starts.
time_samlcheck() {
  local jobs=$1 t0 t1 accepted lines rc
  run_samlcheck "$WORK/samlcheck.jsonl" "$jobs"
  t0=$EPOCHREALTIME
  run_samlcheck "$WORK/samlcheck.jsonl" "$jobs"
  t1=$EPOCHREALTIME
  read -r accepted lines < <(count_samlcheck_accepted "$WORK/samlcheck.jsonl")
  rc=$(cat "$WORK/samlcheck.jsonl.rc")
  if [[ $accepted -ne $N || $lines -ne $N || $rc -ne 0 ]]; then
    say "samlcheck (--jobs $jobs) accepted $accepted of $N ($lines lines, exit $rc); first rejection:"
    grep -m1 -v '"accepted":true' "$WORK/samlcheck.jsonl" | cut -c1-2000 >&2 || true
    exit 1
  fi
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }'
}

count_samlcheck_accepted() {
  python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(sum(1 for r in lines if r.get("accepted") is True), len(lines))' "$1"
}

declare -a SC_WALL SC1_WALL PY_WALL PY_LOOP
for run in $(seq 1 "$RUNS"); do
  SC1_WALL+=("$(time_samlcheck 1)")
  SC_WALL+=("$(time_samlcheck 0)")

  t0=$EPOCHREALTIME
  "$VENV/bin/python" "$HELPER" verify "$METADATA" "${FILES[@]}" >"$WORK/python.json"
  t1=$EPOCHREALTIME
  read -r accepted total loop < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["accepted"], r["total"], r["loop_seconds"])
for e in r["errors"]:
    print(e, file=sys.stderr)' "$WORK/python.json")
  if [[ $accepted -ne $N || $total -ne $N ]]; then
    say "python3-saml accepted $accepted of $N"
    exit 1
  fi
  PY_WALL+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
  PY_LOOP+=("$(printf '%.4f' "$loop")")
  say "run $run/$RUNS: samlcheck ${SC1_WALL[-1]} s (one core), ${SC_WALL[-1]} s ($(nproc) cores), python3-saml ${PY_WALL[-1]} s (loop ${PY_LOOP[-1]} s); both accepted $N/$N"
done

sc=$(printf '%s\n' "${SC_WALL[@]}" | median)
sc1=$(printf '%s\n' "${SC1_WALL[@]}" | median)
py=$(printf '%s\n' "${PY_WALL[@]}" | median)
pyl=$(printf '%s\n' "${PY_LOOP[@]}" | median)

echo
if [[ $SIGNED == both ]]; then WHAT="Response + Assertion signed"; else WHAT="only the Assertion signed"; fi
[[ $STYLE == compact ]] || WHAT="$WHAT, attributes named by claim URI"
echo "samlcheck vs python3-saml: $N distinct signed responses ($SIZES), $WHAT, RSA-2048"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); $PY_VERSIONS"
echo "median of $RUNS run(s); both tools accepted $N/$N in every run"
awk -v n="$N" -v sc="$sc" -v sc1="$sc1" -v py="$py" -v pyl="$pyl" -v cores="$(nproc)" 'BEGIN {
  printf "%-48s %10s %14s\n", "tool (one process each)", "wall s", "responses/s"
  printf "%-48s %10.3f %14.0f\n", "samlcheck verify --jobs 1 (process, one core)", sc1, n / sc1
  printf "%-48s %10.3f %14.0f\n", "samlcheck verify (process, " cores " cores)", sc, n / sc
  printf "%-48s %10.3f %14.0f\n", "python3-saml is_valid (process)", py, n / py
  printf "%-48s %10.3f %14.0f\n", "python3-saml is_valid (loop only)", pyl, n / pyl
  printf "ratio, one core, process vs process:                  %.1fx\n", py / sc1
  printf "ratio, one core, python loop only vs samlcheck:       %.1fx  (conservative: python startup excluded)\n", pyl / sc1
  printf "ratio, %d cores, python loop only vs samlcheck:        %.1fx  (python3-saml has no parallel mode)\n", cores, pyl / sc
  printf "target >= 40x, one core (conservative ratio): %s\n", (pyl / sc1 >= 40) ? "MET" : "NOT MET"
  printf "target >= 40x, %d cores (conservative ratio): %s\n", cores, (pyl / sc >= 40) ? "MET" : "NOT MET"
}'
