#!/usr/bin/env bash
# Fuzzes the generator: libFuzzer targets for the YAML stage, the reader and the translator
# (Fuzz/, built with -sanitize=fuzzer,address in .build-fuzz/, apart from the normal build).
#
#   bash Benchmarks/fuzz.sh [SECONDS] [TARGET...]     # default: 60 s for each of the three targets
#
# Seeds: Codat's documents (copied from ../shared/specs, else specs/, at run time, never
# committed) and every YAML fixture of the tests. Corpora and crash files stay in
# .build-fuzz/fuzz/<target>/ between runs (delete the folder to start afresh). Prints executions,
# coverage (edges) and features per target, and crashes, timeouts and out-of-memory inputs;
# exits 1 when a target crashed (the input is then in .build-fuzz/fuzz/<target>/crashes/).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz-yaml fuzz-reader fuzz-translator)
scratch=.build-fuzz
work="$scratch/fuzz"

start=$(date +%s)
# lld: gold (the default on Linux) stops with an internal error on these sanitized objects.
flags=(--package-path Fuzz --scratch-path "$scratch" -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
for target in "${targets[@]}"; do
    # A failed build must fail the script: an old binary from an earlier build would run instead.
    if ! log="$(swift build "${flags[@]}" --product "$target" 2>&1)"; then
        grep -E "error" <<<"$log" | head -n 20 >&2
        echo "fuzz.sh: $target did not build" >&2
        exit 2
    fi
    grep -E "warning: " <<<"$log" | grep -v "unhandled" || true
done
bin="$(swift build "${flags[@]}" --show-bin-path)"
for target in "${targets[@]}"; do [ -x "$bin/$target" ] || { echo "fuzz.sh: $target did not build" >&2; exit 2; }; done
echo "build: $(( $(date +%s) - start )) s"

seeds="$work/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
specs=../shared/specs
[ -d "$specs" ] || specs=specs
cp "$specs"/*.yaml "$seeds"/ 2>/dev/null || echo "note: no Codat documents in $specs (run specs/sync.sh); fixtures only"
i=0
while IFS= read -r -d '' fixture; do
    cp "$fixture" "$seeds/fixture-$i-$(basename "$fixture")"; i=$((i + 1))
done < <(find Tests -path '*Fixtures*' \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0)

# Leak checking is off: Swift's runtime keeps metadata caches for the process's life.
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1"
printf '%-16s %10s %8s %8s %8s  %s\n' target seconds execs cov features crashes
status=0
for target in "${targets[@]}"; do
    corpus="$work/$target/corpus" crashes="$work/$target/crashes"
    mkdir -p "$corpus" "$crashes"
    log="$work/$target/last-run.log"
    # -max_len: mutations work on the first 64 KiB of each seed (FUZZ_MAX_LEN to change it; the
    # whole Codat documents are read by the unit tests); -timeout: one input taking longer is a finding.
    "$bin/$target" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
        -max_len="${FUZZ_MAX_LEN:-65536}" -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1 || true
    execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+')
    ft=$(grep -Eo 'ft: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+')
    found=$(find "$crashes" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
    printf '%-16s %10s %8s %8s %8s  %s\n' "$target" "$seconds" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$found"
    if [ "$found" -gt 0 ]; then
        status=1
        find "$crashes" -type f | sed 's/^/    /'
        grep -E "ERROR: (AddressSanitizer|libFuzzer)|SUMMARY" "$log" | head -5 | sed 's/^/    /'
    fi
done
exit $status
