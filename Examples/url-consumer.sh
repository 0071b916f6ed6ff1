#!/usr/bin/env bash
# A package that depends on this repository the way users do: by git URL, at a version.
# A bare clone of this repository (committed HEAD, tagged 1.0.0) is the URL; the consumer
# (Examples/URLConsumer) is built in a fresh scratch folder:
#   1. the first build fails with the build plugin's error, which names the command to run;
#   2. that one command (`sync-codat-specs`) puts the pinned documents into the checkout;
#   3. the build succeeds (timed), the app lists bills from a codat-sandbox over loopback;
#   4. a no-op rebuild is quiet (the generator does not run again).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${PAYABLES_SHARED_SPECS:-$root/../shared/specs}"
work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
    [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
say() { echo "url-consumer: $*"; }

git clone -q --bare "$root" "$work/PayablesSDK.git"
git -C "$work/PayablesSDK.git" tag -f 1.0.0 HEAD >/dev/null
cp -R "$root/Examples/URLConsumer" "$work/app"
cd "$work/app"
export PAYABLES_SDK_URL="file://$work/PayablesSDK.git"
scratch="$work/scratch"
spm=(--scratch-path "$scratch")

swift package "${spm[@]}" resolve >/dev/null
checkout="$scratch/checkouts/PayablesSDK"

# 1. Without the documents, the build plugin says what to run and where.
if first="$(swift build "${spm[@]}" 2>&1)"; then
    say "error: the build succeeded without the pinned documents"; exit 1
fi
if ! grep -q "sync-codat-specs" <<<"$first" || ! grep -qF "$checkout/specs" <<<"$first"; then
    say "error: the plugin's error does not name the command and the folder:"; echo "$first" >&2; exit 1
fi
# The error is located at the config's "spec" key (the plugin reads the config with GeneratorConfig).
if ! grep -qE "/Generated/Codat[A-Za-z0-9]+/payables-gen\.json:[0-9]+:[0-9]+: error: the pinned document" <<<"$first"; then
    say "error: the plugin's error is not located in the config:"; echo "$first" >&2; exit 1
fi
# ... and printed only so: not a second time without its place.
if grep -qE "^error: the pinned document" <<<"$first"; then
    say "error: the plugin's error is also printed without its place:"; echo "$first" >&2; exit 1
fi
say "without the documents the build stops with: $(grep -m1 "sync-codat-specs" <<<"$first" | sed 's/^.*error: //')"

# 2. The one command (offline here: --from copies; without it, it downloads the pinned commit).
from=()
[ -d "$shared" ] && from=(--from "$shared")
# (--from makes no connection; the permission is asked for because the plugin can download.)
swift package "${spm[@]}" --allow-writing-to-package-directory --allow-writing-to-directory "$checkout/specs" \
    --allow-network-connections all:443 sync-codat-specs "${from[@]}"

# 3. Build (timed) and call the SDK against a sandbox.
start=$(date +%s)
if ! swift build "${spm[@]}" > "$work/build.log" 2>&1; then
    say "error: the consumer does not build:"; grep -E "error|warning: " "$work/build.log" >&2 || tail -n 30 "$work/build.log" >&2; exit 1
fi
tail -n 1 "$work/build.log"
say "first build of the consumer: $(( $(date +%s) - start )) s"
sandbox_bin="$(cd "$root" && swift build --product codat-sandbox >/dev/null && swift build --show-bin-path)/codat-sandbox"
"$sandbox_bin" --port 0 --api-key url-consumer-key --quiet > "$work/sandbox.out" &
sandbox_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
server="$(sed -n 's/^listening on //p' "$work/sandbox.out" | head -n1)"
[ -n "$server" ] || { say "error: codat-sandbox did not start"; exit 1; }
output="$("$scratch/debug/ListBills" "$server" url-consumer-key)"
echo "$output" | tail -n 3
grep -q "open bills of" <<<"$output" || { say "error: the app did not list bills"; exit 1; }

# 4. A no-op rebuild does not run the generator. The build right after the first one may run it
#    once more: SwiftPM builds the plugin's tool in two phases of a first build and relinks it
#    on the next (seen with path dependencies too; Examples/run.sh's `swift run` absorbs it).
settle="$(swift build "${spm[@]}" 2>&1)"
grep -q "Generating" <<<"$settle" && say "second build: the generator ran once more (SwiftPM relinked its tool after the first build)"
again="$(swift build "${spm[@]}" 2>&1)"
if grep -q "Generating" <<<"$again"; then
    say "error: a no-op build ran the generator:"; echo "$again" >&2; exit 1
fi
say "no-op rebuild quiet (no generator run)"
