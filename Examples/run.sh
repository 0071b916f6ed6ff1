#!/usr/bin/env bash
# Builds and runs Examples/PayABill, a package that depends on this one by path, then
# builds it again and checks that the no-op build did not run the generator.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/PayABill"
swift build 2>&1 | tail -n 3
swift run PayABill
log="$(swift build 2>&1)"
if grep -q "Generating" <<<"$log"; then
    echo "Examples/run.sh: error: a no-op build of the dependent package ran the generator:" >&2
    echo "$log" >&2
    exit 1
fi
echo "Examples/run.sh: no-op rebuild quiet (no generator run)"
# A template is an input of the build plugin: touching one reruns the generator (its output
# unchanged, nothing is recompiled).
touch "$here/../Templates/typeRef.mustache"
log="$(swift build 2>&1)"
if ! grep -q "Generating" <<<"$log"; then
    echo "Examples/run.sh: error: a changed template did not rerun the generator:" >&2
    echo "$log" >&2
    exit 1
fi
echo "Examples/run.sh: a touched template reran the generator"
