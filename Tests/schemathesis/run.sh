#!/usr/bin/env bash
# Property-based run of the Codat sandbox from the documents themselves: schemathesis (PyPI)
# generates requests for every operation of Codat-Sync-Payables.yaml and -v1.yaml, sends them
# to a `codat-sandbox` it starts here, and fails on any answer that breaks its response schema,
# an undocumented status or content type, or any 5xx.
#
#   bash Tests/schemathesis/run.sh [--max-examples N] [--seed N]
#
# Two passes per document: one with the generated ids as they come (unknown companies: errors
# must fit ErrorMessage), one with companyId and connectionId pinned to a seeded company so
# that lists, gets and writes reach real records (the operations that delete or unlink the
# company itself are left out of that pass, so that it stays there for the rest).
#
# One worker: schemathesis compiles patterns in threads, which trips a CPython 3.11 bug
# ("AST constructor recursion depth mismatch") with more.
#
# Needs: python3 (3.9+), PyPI access the first time (a venv in .build/schemathesis-venv);
# `swift build --product codat-sandbox` is run first (quick when already built).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

max_examples=25
seed=20261129
while [[ $# -gt 0 ]]; do
    case "$1" in
        --max-examples) max_examples="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        *) echo "usage: $0 [--max-examples N] [--seed N]" >&2; exit 2 ;;
    esac
done

bash specs/sync.sh >/dev/null

schemathesis_version="4.32.5"
venv="${SCHEMATHESIS_VENV:-$root/.build/schemathesis-venv}"
if [[ ! -x "$venv/bin/st" ]] || ! "$venv/bin/st" --version 2>/dev/null | grep -q "$schemathesis_version"; then
    echo "run.sh: installing schemathesis $schemathesis_version into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "schemathesis==$schemathesis_version"
fi

swift build --product codat-sandbox 2>&1 | grep -E "error:" || true
binary="$(swift build --show-bin-path)/codat-sandbox"
[[ -x "$binary" ]] || { echo "run.sh: $binary was not built" >&2; exit 1; }

work=$(mktemp -d)
sandbox_pid=""
cleanup() {
    if [[ -n "$sandbox_pid" ]]; then kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

api_key="schemathesis-$RANDOM$RANDOM"
"$binary" --port 0 --api-key "$api_key" --push-delay-ms 0 --quiet >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 1 100); do
    grep -q "^listening on " "$work/sandbox.out" 2>/dev/null && break
    sleep 0.1
done
base_url=$(sed -n 's/^listening on //p' "$work/sandbox.out" | head -1)
[[ -n "$base_url" ]] || { echo "run.sh: the sandbox did not start:" >&2; cat "$work/sandbox.err" >&2; exit 1; }
echo "run.sh: sandbox at $base_url"

# A seeded company and its connection, from the control API.
read -r company_id connection_id < <(curl -sf -H "Authorization: $api_key" "$base_url/_sandbox" | python3 -c '
import json, sys
companies = json.load(sys.stdin)["companies"]
xero = next(c for c in companies if c.get("integration") == "xero")
print(xero["id"], xero["connectionId"])')

# Any 5xx, any answer that breaks its response schema, any undocumented content type.
# Not `status_code_conformance`: the documents list no 400 on several operations that take
# a body or an id (replace-company, get-company...), yet Codat answers malformed input with 400.
checks="not_a_server_error,response_schema_conformance,content_type_conformance"
status=0
run() {
    local name="$1" document="$2" config="$3"; shift 3
    local global=()
    [[ -n "$config" ]] && global=(--config-file "$config")
    echo "run.sh: $name"
    # Reset between passes, so that each starts from the seed (the control API takes the key too).
    curl -sf -X POST -H "Authorization: $api_key" "$base_url/_sandbox/reset" >/dev/null || true
    # From the scratch folder: schemathesis leaves its own files in the working directory.
    if ! (cd "$work" && "$venv/bin/st" "${global[@]}" run "$root/specs/$document" --url "$base_url" -H "Authorization: $api_key" \
        --checks "$checks" --max-examples "$max_examples" --seed "$seed" --workers 1 \
        --generation-database none --no-color --suppress-health-check all --warnings off \
        --report junit --report-junit-path "$work/$name.xml" "$@") >"$work/$name.log" 2>&1; then
        status=1
        cat "$work/$name.log"
    else
        tail -n 12 "$work/$name.log"
    fi
    mkdir -p "$root/.build/schemathesis"
    cp "$work/$name.log" "$root/.build/schemathesis/$name.log"
}

cat >"$work/pinned.toml" <<EOF
[parameters]
"path.companyId" = "$company_id"
"path.connectionId" = "$connection_id"
EOF

for document in Codat-Sync-Payables.yaml Codat-Sync-Payables-v1.yaml; do
    short=$([[ $document == *v1* ]] && echo v1 || echo sync)
    run "$short-any-ids" "$document" ""
    run "$short-seeded-company" "$document" "$work/pinned.toml" \
        --exclude-operation-id delete-company --exclude-operation-id delete-connection --exclude-operation-id unlink-connection
done

if [[ $status -ne 0 ]]; then
    echo "run.sh: schemathesis found failures (logs in .build/schemathesis/)" >&2
else
    echo "run.sh: no failures (logs in .build/schemathesis/)"
fi
exit $status
