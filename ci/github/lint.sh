#!/usr/bin/env bash
# action.yml, step "Lint SAML metadata": write the SARIF log whatever the findings, print them
# as annotations, add a job summary, and hand samlcheck's exit code on as an output. The step
# itself fails only when samlcheck could not run at all: the verdict step fails the job, after
# the SARIF upload.
# Inputs come from env, never from the script text; paths and args are split on whitespace and
# never globbed or evaluated.
set -euo pipefail
# shellcheck source=ci/github/inputs.sh
source "$(dirname "${BASH_SOURCE[0]}")/inputs.sh"
set -f

bin=${SAMLCHECK_BIN:-samlcheck}
sarif=${SAMLCHECK_SARIF:-samlcheck.sarif}
read -r -d '' -a paths <<<"${SAMLCHECK_PATHS:-}" || true
read -r -d '' -a args <<<"${SAMLCHECK_ARGS:-}" || true
# No default: a repository-wide walk would lint every *.xml (pom.xml...) as metadata.
if [ "${#paths[@]}" -eq 0 ]; then
    echo "::error title=samlcheck::the input paths is empty: set it to the metadata files or folders to lint, for example \"paths: metadata/\""
    {
        echo "exit-code=2"
        echo "sarif-written=false"
    } >>"$GITHUB_OUTPUT"
    exit 2
fi
boolean annotations "${SAMLCHECK_ANNOTATIONS:-true}"
annotations=$bool
# A line end in the name would forge another step output.
if [[ $sarif == *$'\n'* || $sarif == *$'\r'* ]]; then
    echo "::error title=samlcheck::the input sarif-file must be one line"
    exit 1
fi

mkdir -p -- "$(dirname -- "$sarif")"
status=0
# One run: the annotations (or the readable findings) in the log, the SARIF log written by
# --report once linting is done. `--` so that a path can never be read as a flag.
format=human
if [ "$annotations" = true ]; then
    format=github
fi
"$bin" lint "${args[@]}" --format "$format" --report "sarif=$sarif" -- "${paths[@]}" || status=$?

# Exit 2 before linting (a missing path, a bad flag) writes no SARIF: nothing to upload.
if [ -s "$sarif" ]; then
    written=true
else
    written=false
    rm -f -- "$sarif"
fi

case "$status" in
0) verdict="No error-level finding." ;;
1) verdict="Error-level findings: samlcheck exited 1." ;;
2) verdict="An input could not be read or understood: samlcheck exited 2 (see the step's log)." ;;
*) verdict="samlcheck could not run (exit $status)." ;;
esac
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    {
        echo "### samlcheck lint"
        echo
        echo "$verdict"
        if [ "$written" = true ]; then
            # The SARIF is pretty-printed, one "ruleId" per result.
            counts=$(grep -o '"ruleId": *"[^"]*"' -- "$sarif" | sed 's/.*"\([^"]*\)"$/\1/' | sort | uniq -c || true)
            if [ -n "$counts" ]; then
                echo
                echo "| Rule | Results |"
                echo "| --- | --- |"
                while read -r count rule; do
                    echo "| \`$rule\` | $count |"
                done <<<"$counts"
            fi
        fi
    } >>"$GITHUB_STEP_SUMMARY"
fi

{
    echo "exit-code=$status"
    echo "sarif-file=$sarif"
    echo "sarif-written=$written"
} >>"$GITHUB_OUTPUT"

echo "samlcheck lint: $verdict"
if [ "$status" -gt 2 ]; then
    exit "$status"
fi
