#!/usr/bin/env bash
# payables-gen on documents from other projects, brought in beforehand with the search tool's
# `fetch` (github:<owner>/<name> -> $MIRROR/<owner>+<name>/repo, a bare git directory).
# Nothing here uses the network, and no file of another project is ever committed: the documents
# are extracted with `git archive` into Benchmarks/.real-world (git-ignored). CI does not run it.
#
#   1. The OpenAPI Initiative's schema tests (OAI/OpenAPI-Specification): 3.1 tests/schema/pass and
#      fail (branch v3.1-dev) and the archived 3.0 pass examples (_archive_/schemas/v3.0/pass).
#      A pass document is accepted when `lint` reports no error and `generate` succeeds; a fail
#      document is flagged when `lint` reports an error or a warning. Misses are listed.
#   2. Public API descriptions (3.0 and 3.1, split into many files or several MB): generation time,
#      peak memory, warnings and errors, then `swiftc -typecheck -swift-version 6` of the generated
#      module against the built PayablesRuntime and OpenAPIRuntime modules.
#
#   bash Benchmarks/real-world.sh            # both parts
#   bash Benchmarks/real-world.sh oai        # part 1 only
#   bash Benchmarks/real-world.sh apis       # part 2 only
#   VERBOSE=1 bash Benchmarks/real-world.sh  # also every diagnostic
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mirror="${MIRROR:-/work/.mirror}"
work="$root/Benchmarks/.real-world"
part="${1:-all}"

[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$root" && swift build --product payables-gen 2>&1 | grep -E "error|warning: " | grep -v "which are unhandled"; true)
gen="$root/.build/debug/payables-gen"
modules="$root/.build/debug/Modules"
[ -x "$gen" ] || { echo "payables-gen is not built" >&2; exit 1; }
[ -e "$modules/PayablesRuntime.swiftmodule" ] || (cd "$root" && swift build --target PayablesRuntime >/dev/null)

rm -rf "$work"
mkdir -p "$work"

# extract <owner+name> <ref> <path...>: the paths of a mirrored repository at a ref, into $work/<owner+name>.
extract() {
    local repo="$mirror/$1/repo" ref="$2"
    shift 2
    [ -d "$repo" ] || { echo "  (missing: $repo; bring it with fetch github:${repo#"$mirror/"})" >&2; return 1; }
    mkdir -p "$work/$(basename "$(dirname "$repo")")"
    git --git-dir="$repo" archive "$ref" "$@" | tar -x -C "$work/$(basename "$(dirname "$repo")")"
}

count() { grep -c -- "$1" "$2" || true; }

oai() {
    local oas=OAI+OpenAPI-Specification
    extract $oas v3.1-dev tests/schema/pass tests/schema/fail || return
    extract $oas HEAD _archive_/schemas/v3.0/pass || return
    local base="$work/$oas" pass=0 passTotal=0 fail=0 failTotal=0 misses=()
    echo "== OAI/OpenAPI-Specification schema tests ($(git --git-dir="$mirror/$oas/repo" rev-parse --short v3.1-dev) v3.1-dev, $(git --git-dir="$mirror/$oas/repo" rev-parse --short HEAD) HEAD)"
    for doc in "$base"/tests/schema/pass/*.yaml "$base"/_archive_/schemas/v3.0/pass/*.yaml; do
        passTotal=$((passTotal + 1))
        local name="${doc#"$base"/}" log="$work/oai-$passTotal.log" out="$work/oai-out/$passTotal"
        "$gen" lint "$doc" >"$log.lint" 2>&1
        local lint=$?
        # The generator's diagnostics include the reader's: its log is the one counted and shown.
        "$gen" generate "$doc" --module OAIPass --templates "$root/Templates" --output "$out" >"$log" 2>&1
        local generate=$?
        [ $lint -eq 0 ] || cat "$log.lint" >>"$log"
        local warnings; warnings=$(count ": warning: " "$log")
        if [ $lint -eq 0 ] && [ $generate -eq 0 ]; then
            pass=$((pass + 1))
            printf '  pass  accepted  %-62s %s warnings\n' "$name" "$warnings"
        else
            misses+=("$name (rejected)")
            printf '  pass  REJECTED  %-62s\n' "$name"
        fi
        if [ "${VERBOSE:-0}" = 1 ] || [ $lint -ne 0 ] || [ $generate -ne 0 ]; then grep -E ": (error|warning): " "$log" | sed -e "s|$base/||" -e 's/^/          /'; fi
    done
    for doc in "$base"/tests/schema/fail/*.yaml; do
        failTotal=$((failTotal + 1))
        local name="${doc#"$base"/}" log="$work/oai-fail-$failTotal.log"
        "$gen" lint "$doc" >"$log" 2>&1
        local errors warnings; errors=$(count ": error: " "$log"); warnings=$(count ": warning: " "$log")
        if [ "$errors" -gt 0 ] || [ "$warnings" -gt 0 ]; then
            fail=$((fail + 1))
            printf '  fail  flagged   %-62s %s errors, %s warnings\n' "$name" "$errors" "$warnings"
        else
            misses+=("$name (not flagged)")
            printf '  fail  MISSED    %-62s\n' "$name"
        fi
        grep -E ": (error|warning): " "$log" | sed -e "s|$base/||" -e 's/^/          /'
    done
    echo "pass accepted $pass/$passTotal, fail flagged $fail/$failTotal"
    for miss in "${misses[@]}"; do echo "  miss: $miss"; done
}

# api <label> <owner+name> <module> <document path in the repo> <paths to extract...>
api() {
    local label="$1" repo="$2" module="$3" doc="$4"
    shift 4
    extract "$repo" HEAD "$@" || return
    local spec="$work/$repo/$doc" out="$work/out/$module" log="$work/$module.log"
    local files bytes version
    files=$(find "$work/$repo" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | wc -l)
    bytes=$(find "$work/$repo" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -exec cat {} + | wc -c)
    version=$(grep -m1 -oE '"?openapi"?: *"?3\.[0-9.]+' "$spec" | grep -oE '3\.[0-9.]+')
    /usr/bin/time -f "%e %M" -o "$work/$module.time" \
        "$gen" generate "$spec" --module "$module" --templates "$root/Templates" --output "$out" --ref-root "$work/$repo" >"$log" 2>&1
    local status=$?
    local seconds memory; read -r seconds memory < <(tail -n 1 "$work/$module.time") || true
    local warnings errors; warnings=$(count ": warning: " "$log"); errors=$(count ": error: " "$log")
    local check="not run"
    if [ $status -eq 0 ]; then
        local tc="$work/$module.typecheck"
        local start end
        start=$(date +%s.%N)
        swiftc -typecheck -parse-as-library -swift-version 6 -I "$modules" "$out"/*.swift >"$tc" 2>&1
        local tcStatus=$?
        end=$(date +%s.%N)
        local tcErrors tcWarnings; tcErrors=$(count ": error: " "$tc"); tcWarnings=$(count ": warning: " "$tc")
        check="$([ $tcStatus -eq 0 ] && echo ok || echo FAILED), $tcErrors errors, $tcWarnings warnings, $(printf '%.1f' "$(echo "$end - $start" | bc)") s"
    fi
    local lines; lines=$(cat "$out"/*.swift 2>/dev/null | wc -l)
    printf '%-44s OpenAPI %-5s %5s files %6s KB | generate %5s s, %4s MB peak, exit %s, %4s warnings, %3s errors, %6s lines | typecheck %s\n' \
        "$label" "$version" "$files" "$((bytes / 1024))" "$seconds" "$((memory / 1024))" "$status" "$warnings" "$errors" "$lines" "$check"
    if [ "${VERBOSE:-0}" = 1 ] || [ "$errors" -gt 0 ]; then grep -E ": error: " "$log" | head -20 | sed 's/^/    /'; fi
    grep -E ": warning: " "$log" | sed -E 's/^[^ ]+ warning: //; s/ \(at #.*//; s/ \([0-9]+ times in this document; first here\)//' | sort | uniq -c | sort -rn | head -8 | sed 's/^/    /'
    if [ -f "$work/$module.typecheck" ] && grep -q ": error: " "$work/$module.typecheck"; then grep -m10 ": error: " "$work/$module.typecheck" | sed 's/^/    /'; fi
}

apis() {
    echo "== public API descriptions (generate, then swiftc -typecheck -swift-version 6)"
    api "digitalocean/openapi (split per operation)" digitalocean+openapi DigitalOcean specification/DigitalOcean-public.v2.yaml specification
    api "sendgrid/sendgrid-oai oas_v3.json (split)" sendgrid+sendgrid-oai SendGrid oas_v3.json oas_v3.json spec
    api "pingone 3.1 split" pingidentity+pingone-openapi-specifications PingOne specification/3.1/api/split/openapi.yaml specification/3.1/api/split
    api "twilio/twilio-oai api_v2010" twilio+twilio-oai TwilioAPI spec/yaml/twilio_api_v2010.yaml spec/yaml/twilio_api_v2010.yaml
    api "discord/discord-api-spec" discord+discord-api-spec Discord specs/openapi.json specs/openapi.json
    api "Adyen ManagementService-v3" Adyen+adyen-openapi AdyenManagement yaml/ManagementService-v3.yaml yaml/ManagementService-v3.yaml
}

case "$part" in
    oai) oai ;;
    apis) apis ;;
    *) oai; echo; apis ;;
esac
