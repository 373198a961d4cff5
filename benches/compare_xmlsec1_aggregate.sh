#!/usr/bin/env bash
# Side-by-side timing on a federation-sized signed aggregate:
#   xmlsec1 --verify                      (the signature only)
#   samlcheck lint --signer-cert ...      (the signature and every metadata/certificate rule)
#
#   bash benches/compare_xmlsec1_aggregate.sh                 # 20,000 entities (~98 MB)
#   bash benches/compare_xmlsec1_aggregate.sh -n 2000 -r 3    # smaller, best of 3 runs
#   bash benches/compare_xmlsec1_aggregate.sh --keep /tmp/agg # keep the generated files
#
# Steps: benches/make_aggregate.py writes the aggregate with an empty enveloped ds:Signature first
# in the EntitiesDescriptor; `xmlsec1 --sign` fills it (exc-c14n, RSA-SHA256, SHA-256, key
# fixtures/keys/idp-rsa.key); then each verifier runs under `/usr/bin/time -v` on the same file,
# trusting only fixtures/keys/idp-rsa.crt. A ratio is printed only when both exit 0; a copy with
# one byte of one entity changed must then be rejected by both (exit != 0), so neither "wins" by
# not checking. Files go to a temporary directory (removed at exit) unless --keep is given.
#
# Environment: SAMLCHECK_BIN (default $CARGO_TARGET_DIR or target/, then release/samlcheck, built
# first with `cargo build --release` unless SAMLCHECK_BIN is set), PYTHON (default python3).
# Needs python3, xmlsec1, GNU time at /usr/bin/time (installed with apt-get when missing and root).
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KEY=$ROOT/fixtures/keys/idp-rsa.key
CRT=$ROOT/fixtures/keys/idp-rsa.crt
ID_ATTR=(--id-attr:ID urn:oasis:names:tc:SAML:2.0:metadata:EntitiesDescriptor)
PYTHON=${PYTHON:-python3}

ENTITIES=20000
RUNS=1
KEEP=
while [[ $# -gt 0 ]]; do
  case $1 in
    -n | --entities) ENTITIES=$2; shift 2 ;;
    -r | --runs) RUNS=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    -h | --help) sed -n '2,21p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "compare_xmlsec1_aggregate.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '%s\n' "$*" >&2; }
die() { say "compare_xmlsec1_aggregate.sh: $*"; exit 2; }

command -v "$PYTHON" >/dev/null || die "$PYTHON is required"
command -v xmlsec1 >/dev/null || die "xmlsec1 is required (apt-get install xmlsec1)"
if [[ ! -x /usr/bin/time ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing GNU time (apt-get install time)"
    apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq time >/dev/null; }
  fi
  [[ -x /usr/bin/time ]] || die "GNU time is required at /usr/bin/time (apt-get install time)"
fi

if [[ -n $KEEP ]]; then
  mkdir -p "$KEEP"
  WORK=$(cd "$KEEP" && pwd)
else
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi

# --- samlcheck: find or build it; a missing binary or `lint` command leaves xmlsec1 alone ------
SAMLCHECK=${SAMLCHECK_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/samlcheck}
SAMLCHECK_OK=true
SAMLCHECK_WHY=
if [[ -z ${SAMLCHECK_BIN:-} ]]; then
  if command -v cargo >/dev/null; then
    say "building samlcheck (cargo build --release)"
    if ! (cd "$ROOT" && cargo build --release --quiet --bin samlcheck) >"$WORK/build.log" 2>&1; then
      SAMLCHECK_WHY="cargo build --release failed (see below)"
    fi
  else
    SAMLCHECK_WHY="cargo not found"
  fi
fi
if [[ ! -x $SAMLCHECK ]]; then
  SAMLCHECK_OK=false
  SAMLCHECK_WHY=${SAMLCHECK_WHY:-"$SAMLCHECK does not exist"}
elif ! "$SAMLCHECK" lint --help 2>/dev/null | grep -q -- --signer-cert; then
  SAMLCHECK_OK=false
  SAMLCHECK_WHY="$SAMLCHECK has no \`lint --signer-cert\` yet"
elif [[ -n $SAMLCHECK_WHY ]]; then
  say "warning: $SAMLCHECK_WHY; using the existing $SAMLCHECK"
  SAMLCHECK_WHY=
fi

# --- helpers ---------------------------------------------------------------------------------
now_ns() { date +%s%N; }
seconds() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'; }

# measure LABEL OUT -- CMD...: runs CMD RUNS times under /usr/bin/time -v (stdout to OUT); sets
# WALL (best wall time, seconds), RSS (largest peak RSS, KiB) and STATUS (exit status of the last run).
measure() {
  local label=$1 out=$2
  shift 3
  local best= rss=0 i start end ns r
  for ((i = 1; i <= RUNS; i++)); do
    start=$(now_ns)
    set +e
    /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$out" 2>"$WORK/$label.stderr"
    STATUS=$?
    set -e
    end=$(now_ns)
    ns=$((end - start))
    [[ -z $best || $ns -lt $best ]] && best=$ns
    r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
    [[ ${r:-0} -gt $rss ]] && rss=$r
    [[ $STATUS -eq 0 ]] || break
  done
  WALL=$(seconds "$best")
  RSS=$rss
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

# --- 1. generate and sign --------------------------------------------------------------------
UNSIGNED=$WORK/aggregate-template.xml
SIGNED=$WORK/aggregate-signed.xml
TAMPERED=$WORK/aggregate-tampered.xml

start=$(now_ns)
"$PYTHON" "$ROOT/benches/make_aggregate.py" -n "$ENTITIES" --signature-template -o "$UNSIGNED"
GEN_S=$(seconds $(($(now_ns) - start)))

start=$(now_ns)
xmlsec1 --sign --privkey-pem "$KEY,$CRT" "${ID_ATTR[@]}" --output "$SIGNED" "$UNSIGNED" 2>"$WORK/sign.stderr" ||
  { cat "$WORK/sign.stderr" >&2; die "xmlsec1 --sign failed"; }
SIGN_S=$(seconds $(($(now_ns) - start)))
rm -f "$UNSIGNED"

SIZE=$(stat -c %s "$SIGNED")
COUNT=$(grep -c '<md:EntityDescriptor ' "$SIGNED" || true)

# The negative control: one character of an entity's SSO Location changed after signing.
"$PYTHON" - "$SIGNED" "$TAMPERED" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
at = data.rfind(b"/SSO\"")
if at < 0:
    at = data.rfind(b"Location=\"https://") + len(b"Location=\"https://")
data = data[:at] + b"/SS0" + data[at + 4:]
open(sys.argv[2], "wb").write(data)
EOF

start=$(now_ns)
sha256sum "$SIGNED" >/dev/null
SHA_S=$(seconds $(($(now_ns) - start)))

# --- 2. time both verifiers ------------------------------------------------------------------
XMLSEC_VERIFY=(xmlsec1 --verify --enabled-key-data key-name --pubkey-cert-pem "$CRT" "${ID_ATTR[@]}")
measure xmlsec1 /dev/null -- "${XMLSEC_VERIFY[@]}" "$SIGNED"
X_WALL=$WALL X_RSS=$RSS X_STATUS=$STATUS

if $SAMLCHECK_OK; then
  measure samlcheck /dev/null -- "$SAMLCHECK" lint --signer-cert "$CRT" "$SIGNED" --format json
  S_WALL=$WALL S_RSS=$RSS S_STATUS=$STATUS
fi

# --- 3. the negative control -----------------------------------------------------------------
set +e
"${XMLSEC_VERIFY[@]}" "$TAMPERED" >/dev/null 2>&1
X_TAMPERED=$?
S_TAMPERED=-
if $SAMLCHECK_OK; then
  "$SAMLCHECK" lint --signer-cert "$CRT" "$TAMPERED" --format json >"$WORK/tampered.json" 2>/dev/null
  S_TAMPERED=$?
fi
set -e

# --- 4. report -------------------------------------------------------------------------------
printf '\n'
printf 'aggregate      %s entities, %s bytes (%s), signed by xmlsec1 (exc-c14n, RSA-SHA256)\n' \
  "$COUNT" "$SIZE" "$(awk -v b="$SIZE" 'BEGIN { printf "%.1f MiB", b / 1048576 }')"
printf 'generation     %ss (make_aggregate.py)   xmlsec1 --sign %ss   sha256sum %ss\n' "$GEN_S" "$SIGN_S" "$SHA_S"
[[ $RUNS -gt 1 ]] && printf 'runs           best wall time of %s, largest peak RSS\n' "$RUNS"
printf '%-14s %9s  %12s  %s\n' "" "wall" "peak RSS" "exit (signed / tampered)"
printf '%-14s %8ss  %12s  %s / %s\n' "xmlsec1" "$X_WALL" "$(mib "$X_RSS")" "$X_STATUS" "$X_TAMPERED"
if $SAMLCHECK_OK; then
  printf '%-14s %8ss  %12s  %s / %s\n' "samlcheck" "$S_WALL" "$(mib "$S_RSS")" "$S_STATUS" "$S_TAMPERED"
fi
printf '\n'

FAIL=0
if [[ $X_STATUS -ne 0 ]]; then
  say "xmlsec1 --verify failed on the signed aggregate (exit $X_STATUS):"
  tail -n 20 "$WORK/xmlsec1.stderr" >&2
  FAIL=1
fi
if [[ $X_TAMPERED -eq 0 ]]; then
  say "xmlsec1 --verify accepted the tampered aggregate: the comparison is meaningless"
  FAIL=1
fi
if ! $SAMLCHECK_OK; then
  say "samlcheck not measured: $SAMLCHECK_WHY"
  [[ -s $WORK/build.log ]] && tail -n 20 "$WORK/build.log" >&2
  exit 3
fi
if [[ $S_STATUS -ne 0 ]]; then
  say "samlcheck lint failed on the signed aggregate (exit $S_STATUS; 1 = error-level findings):"
  tail -n 20 "$WORK/samlcheck.stderr" >&2
  "$SAMLCHECK" lint --signer-cert "$CRT" "$SIGNED" --format json 2>/dev/null | "$PYTHON" -c '
import collections, json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    sys.exit()
files = d if isinstance(d, list) else d.get("files", [d])
c = collections.Counter((f.get("severity"), f.get("rule")) for r in files for f in r.get("findings", []))
for (sev, rule), n in c.most_common(15):
    print(f"  {n:6d} {sev} {rule}", file=sys.stderr)' || true
  FAIL=1
fi
if [[ $S_TAMPERED == 0 ]]; then
  say "samlcheck lint accepted the tampered aggregate (exit 0): the comparison is meaningless"
  FAIL=1
fi
if [[ $FAIL -ne 0 ]]; then
  say "no ratio reported"
  exit 1
fi

awk -v x="$X_WALL" -v s="$S_WALL" -v xr="$X_RSS" -v sr="$S_RSS" 'BEGIN {
  if (s > 0) printf "samlcheck lint is %.2fx the speed of xmlsec1 --verify (wall %.3fs vs %.3fs)\n", x / s, s, x
  if (sr > 0) printf "peak RSS: samlcheck %.1f MiB, xmlsec1 %.1f MiB (%.1fx less)\n", sr / 1024, xr / 1024, xr / sr
}'
