#!/usr/bin/env bash
# action.yml, step "Verdict": fail the job from the lint step's exit code, once the SARIF log
# has been uploaded. Exit 2 (unreadable input) always fails; exit 1 (error-level findings)
# fails unless fail-on-findings is false.
set -euo pipefail
# shellcheck source=ci/github/inputs.sh
source "$(dirname "${BASH_SOURCE[0]}")/inputs.sh"

boolean fail-on-findings "${SAMLCHECK_FAIL_ON_FINDINGS:-true}"
fail=$bool

case "${SAMLCHECK_EXIT:-}" in
0)
    echo "samlcheck: no error-level finding"
    ;;
1)
    if [ "$fail" = true ]; then
        echo "::error title=samlcheck::error-level findings in the SAML metadata (see the annotations, the job summary or code scanning)"
        exit 1
    fi
    echo "samlcheck: error-level findings reported; the job goes on (fail-on-findings: false)"
    ;;
2)
    echo "::error title=samlcheck::an input could not be read or understood (see the lint step's log)"
    exit 2
    ;;
*)
    echo "::error title=samlcheck::the lint step reported no exit code"
    exit 1
    ;;
esac
