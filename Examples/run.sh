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
