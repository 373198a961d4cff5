#!/usr/bin/env bash
# Runs the samlcheck-lint hook (language: rust) as a user's pre-commit would: pre-commit builds
# samlcheck from this repository's committed HEAD with cargo install, then lints a clean and a
# broken metadata file. The build takes minutes, so cargo test runs only the system hook
# (tests/ci_integrations.rs); run this by hand after changing the hook or the build.
# Needs pre-commit (pip install pre-commit), git and cargo.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
rev=$(git -C "$root" rev-parse HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"

repo="$work/repo"
mkdir -p "$repo/metadata"
cp "$root/fixtures/metadata/vendors/okta.xml" "$repo/metadata/okta.xml"
cp "$root/fixtures/metadata/rules/metadata__insecure-endpoint.xml" "$repo/metadata/broken-idp.xml"
cat >"$repo/.pre-commit-config.yaml" <<CONFIG
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: samlcheck-lint
CONFIG
cd "$repo"
git init -q .

echo "== building the hook's environment (cargo install of $rev)"
start=$SECONDS
pre-commit install-hooks
echo "== built in $((SECONDS - start)) s"

echo "== a clean file passes"
pre-commit run samlcheck-lint --files metadata/okta.xml

echo "== a broken file fails, naming its rule"
status=0
out=$(pre-commit run samlcheck-lint --files metadata/okta.xml metadata/broken-idp.xml 2>&1) || status=$?
printf '%s\n' "$out"
if [ "$status" -ne 1 ] || [[ $out != *"error[metadata/insecure-endpoint]"* ]]; then
    echo "FAILED: expected exit 1 with metadata/insecure-endpoint, got exit $status" >&2
    exit 1
fi
echo "OK: the rust hook builds samlcheck and fails exactly on the broken file"
