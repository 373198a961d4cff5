#!/usr/bin/env bash
# Rebuilds the seed corpora in fuzz/corpus/<target>/ (gitignored) from the project's fixtures
# and, when present, the public interop vectors in ../shared/interop (never copied into git).
#
#   bash fuzz/seed.sh            # wipe fuzz/corpus/{parse,c14n,decode,verify,lint_stream,capture} and reseed them
#   CORPUS=/tmp/seeds bash fuzz/seed.sh   # elsewhere, keeping a grown corpus; then merge:
#     RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET fuzz/corpus/TARGET /tmp/seeds/TARGET -- -merge=1
#
# Seeds over 64 KiB are left out: libFuzzer sizes its inputs after the largest seed, and big
# inputs slow every run without finding more.
#
# parse, c14n, lint_stream: XML documents (base64 vectors decoded; libxml2's c14n inputs also without their
#              DOCTYPE, which the parser refuses, so the canonicalizer sees their bodies).
# decode:      messages as pasted: raw XML, base64 in lines, form bodies, URL-encoded and
#              DEFLATEd (Redirect binding) forms.
# verify:      the same raw messages; the signed fixtures verify against the fuzz target's
#              metadata (made from fixtures/keys), so mutations start past the signature check.
# Needs: bash, coreutils (base64, sha1sum), perl; python3 for the DEFLATE seeds (skipped without).
set -euo pipefail
export LC_ALL=C

FUZZ=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$FUZZ/.." && pwd)
INTEROP=${INTEROP:-$ROOT/../shared/interop}
CORPUS=${CORPUS:-$FUZZ/corpus}
MAX_SEED=65536
FIXTURES=$ROOT/fixtures

for t in parse c14n decode verify lint_stream capture; do
  rm -rf "${CORPUS:?}/$t"
  mkdir -p "$CORPUS/$t"
done

# add TARGET... < bytes: stores stdin once per target under its SHA-1 (libFuzzer's naming).
add() {
  local tmp
  tmp=$(mktemp)
  cat >"$tmp"
  local size
  size=$(wc -c <"$tmp")
  if ((size > 0 && size <= MAX_SEED)); then
    local sum
    sum=$(sha1sum "$tmp" | cut -d' ' -f1)
    for t in "$@"; do cp "$tmp" "$CORPUS/$t/$sum"; done
  fi
  rm -f "$tmp"
}

# An XML document: parser, canonicalizer and stream-vs-tree seeds.
add_xml() { add parse c14n lint_stream <"$1"; }
# A message as a user pastes it: decoder and verifier seeds.
add_message() { add decode verify <"$1"; }

strip_doctype() { perl -0pe 's/<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>//s' "$1"; }

deflate_b64() {
  python3 -c 'import base64,sys,zlib
c = zlib.compressobj(9, zlib.DEFLATED, -15)
sys.stdout.write(base64.b64encode(c.compress(sys.stdin.buffer.read()) + c.flush()).decode())' <"$1"
}
urlencode() { perl -pe 's/([^A-Za-z0-9_.~-])/sprintf("%%%02X", ord($1))/ge'; }

# --- the project's own fixtures -------------------------------------------------------------
if [[ -d $FIXTURES ]]; then
  while IFS= read -r -d '' f; do
    add_xml "$f"
  done < <(find "$FIXTURES" -name '*.xml' -print0 | sort -z)
  while IFS= read -r -d '' f; do
    add_message "$f"
  done < <(find "$FIXTURES" -path '*/responses/*' -type f ! -name '*.sh' -print0 | sort -z)
else
  echo "seed.sh: no fixtures/ (skipped)" >&2
fi

# --- captures: HAR and SAML-tracer files -------------------------------------------------------
if [[ -d $FIXTURES/captures ]]; then
  while IFS= read -r -d '' f; do
    add capture <"$f"
  done < <(find "$FIXTURES/captures" -type f \( -name '*.har' -o -name '*.json' \) -print0 | sort -z)
fi

# --- python3-saml's messages ----------------------------------------------------------------
PY=$INTEROP/python3-saml/data
if [[ -d $PY ]]; then
  while IFS= read -r -d '' f; do
    add_message "$f"
    case $f in
      *.base64) base64 -d <"$f" 2>/dev/null | add parse c14n || true ;;
      *.xml) add_xml "$f" ;;
    esac
  done < <(find "$PY/responses" "$PY/requests" "$PY/logout_requests" "$PY/logout_responses" \
    -type f \( -name '*.xml' -o -name '*.base64' -o -name '*.deflated*' \) -print0 | sort -z)
  while IFS= read -r -d '' f; do
    add_xml "$f"
  done < <(find "$PY/metadata" -type f -name '*.xml' -print0 | sort -z)
else
  echo "seed.sh: $PY not present (skipped)" >&2
fi

# --- libxml2's canonicalization inputs ------------------------------------------------------
C14N=$INTEROP/libxml2-c14n/test/c14n
if [[ -d $C14N ]]; then
  while IFS= read -r -d '' f; do
    add_xml "$f"
    strip_doctype "$f" | add parse c14n
  done < <(find "$C14N" -type f -name '*.xml' -print0 | sort -z)
else
  echo "seed.sh: $C14N not present (skipped)" >&2
fi

# --- binding forms of a few XML seeds: Redirect (DEFLATE + base64), URL-encoded, form body ---
if command -v python3 >/dev/null; then
  for f in "$FIXTURES"/responses/compact.xml "$FIXTURES"/responses/okta.xml \
    "$PY"/requests/authn_request.xml; do
    [[ -f $f ]] || continue
    b64=$(deflate_b64 "$f")
    printf '%s' "$b64" | add decode verify
    printf '%s' "$b64" | urlencode | add decode verify
    printf 'SAMLRequest=%s&RelayState=%%2Fhome&SigAlg=x' "$(printf '%s' "$b64" | urlencode)" | add decode
  done
else
  echo "seed.sh: python3 not found, DEFLATE seeds skipped" >&2
fi

for t in parse c14n decode verify; do
  printf '%-7s %4d seeds\n' "$t" "$(find "$CORPUS/$t" -type f | wc -l)"
done
