#!/usr/bin/env bash
# Generation cost against document size, in one run (issue 14: generation linear in the
# document; a 3 MB document within 6 times a plain libyaml scan of it, the Codat v1 document
# within 4 times).
#
# Documents: synthetic ones of growing size (Benchmarks/synth-openapi.py: objects with $refs,
# enums, allOf, oneOf with discriminators, arrays, maps, operations; 4,000 schemas make about
# 3 MB) and Codat's v1 document. For each, `payables-bench` (release, built in the git-ignored
# `.build-scale/`) runs in a process of its own and prints: the libyaml event scan of the file
# (events only), the whole generation (`Generator.generate`: read, resolve, translate, render,
# write), their ratio (scan and generation alternate, medians), each stage's median, and the
# process's peak RSS (getrusage). The table then gives the time per schema and per MB across
# sizes: flat when generation is linear.
#
#   bash Benchmarks/generator-scale.sh [--runs N] [--sizes "500 1000 2000 4000"]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5
sizes="500 1000 2000 4000"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --sizes) sizes="$2"; shift 2 ;;
        *) echo "usage: generator-scale.sh [--runs N] [--sizes \"500 1000 2000 4000\"]" >&2; exit 2 ;;
    esac
done
bash "$root/specs/sync.sh" >/dev/null
work="$root/.build-scale"
mkdir -p "$work/docs"

echo "== building payables-bench (release, .build-scale)" >&2
(cd "$root" && swift build -c release --scratch-path .build-scale --product payables-bench >"$work/build.log" 2>&1) \
    || { cat "$work/build.log"; exit 1; }
bench="$work/release/payables-bench"

documents=()
for n in $sizes; do
    python3 "$root/Benchmarks/synth-openapi.py" "$n" "$work/docs/synth-$n.yaml"
    documents+=("synth-$n|$work/docs/synth-$n.yaml|--module ScaleBench")
done
documents+=("codat-v1|$root/specs/Codat-Sync-Payables-v1.yaml|--config $root/Generated/CodatSyncPayablesV1/payables-gen.json")

rows=()
for entry in "${documents[@]}"; do
    IFS='|' read -r name path options <<<"$entry"
    echo "== $name ($(stat -c %s "$path") bytes)" >&2
    # shellcheck disable=SC2086 # options are words
    "$bench" "$path" --runs "$runs" --stages --row $options >"$work/$name.log" 2>&1 || { cat "$work/$name.log"; exit 1; }
    grep -v '^row' "$work/$name.log" >&2
    rows+=("$name	$(grep '^row' "$work/$name.log" | cut -f2-)")
done

echo
echo "generation against a plain libyaml scan, $runs runs each (medians, ms); peak RSS of a process that read and generated that one document"
printf '%s\n' "${rows[@]}" | awk -F'\t' '
    BEGIN {
        printf "%-10s %7s %7s %9s %9s %10s %7s %7s %8s %9s %9s | %7s %9s %9s %8s %7s\n",
            "document", "MB", "schemas", "events", "scan", "generate", "ratio", "target", "peak MB", "us/schema", "ms/MB",
            "tree", "read+res", "translate", "render", "write"
    }
    {
        name = $1; bytes = $2; events = $3; schemas = $4; scan = $5; gen = $7; rss = $8
        ratio = gen / scan
        target = (name == "codat-v1") ? 4 : (bytes >= 2500000 ? 6 : 0)
        verdict = target == 0 ? "-" : (ratio <= target ? "<=" target " ok" : ">" target " OVER")
        printf "%-10s %7.2f %7d %9d %9.1f %10.1f %6.2fx %7s %8.1f %9.1f %9.1f | %7.1f %9.1f %9.1f %8.1f %7.1f\n",
            name, bytes / 1e6, schemas, events, scan, gen, ratio, verdict, rss, 1000 * gen / schemas, gen / (bytes / 1e6),
            $9, $10, $11, $12, $13
        if (name ~ /^synth/) {
            if (first == "") { first = name; firstPer = gen / schemas }
            last = name; lastPer = gen / schemas
        }
    }
    END {
        if (first != "" && last != first)
            printf "linearity: time per schema %.1f us (%s) -> %.1f us (%s): x%.2f (1.00 = linear)\n",
                1000 * firstPer, first, 1000 * lastPer, last, lastPer / firstPer
    }'
