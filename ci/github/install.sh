#!/usr/bin/env bash
# action.yml, step "Install samlcheck": build samlcheck from the action's own source, or take
# the one on PATH. Output `bin`: the program the lint step runs.
# Inputs come from env (SAMLCHECK_INSTALL), never from the script text.
set -euo pipefail
# shellcheck source=ci/github/inputs.sh
source "$(dirname "${BASH_SOURCE[0]}")/inputs.sh"

boolean install "${SAMLCHECK_INSTALL:-true}"
if [ "$bool" = true ]; then
    if ! command -v cargo >/dev/null; then
        echo "::error title=samlcheck::install: true needs cargo on the runner (or install samlcheck yourself and set install: false)"
        exit 1
    fi
    root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/samlcheck"
    # --locked: the versions in the action's Cargo.lock, the ones its CI tested. Not --quiet:
    # the log shows the build's progress.
    cargo install --locked --path "$GITHUB_ACTION_PATH" --root "$root"
    bin="$root/bin/samlcheck"
elif ! bin=$(command -v samlcheck); then
    echo "::error title=samlcheck::install: false, but there is no samlcheck on PATH"
    exit 1
fi

"$bin" --version
echo "bin=$bin" >>"$GITHUB_OUTPUT"
