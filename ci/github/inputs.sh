# shellcheck shell=bash
# Sourced by the action's step scripts (ci/github/*.sh): reading the action's inputs.

# boolean NAME VALUE: sets `bool` to true or false (GitHub writes booleans either way
# capitalized), or fails the step with an annotation naming the input.
# shellcheck disable=SC2034 # `bool` is read by the scripts that source this
boolean() {
    case "$2" in
    [Tt]rue) bool=true ;;
    [Ff]alse) bool=false ;;
    *)
        echo "::error title=samlcheck::the input $1 must be true or false"
        exit 1
        ;;
    esac
}
