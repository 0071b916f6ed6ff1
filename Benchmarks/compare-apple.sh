#!/usr/bin/env bash
# Side-by-side figures against apple/swift-openapi-generator 1.14.3 on Codat-Sync-Payables-v1.yaml,
# in one run:
#   1. generation time: ours (whole pipeline, in process) vs Apple's generator (types), with the libyaml scan;
#   2. debug build time of the generated v1 module, types and client: ours (the files `payables-gen`
#      writes for Generated/CodatSyncPayablesV1, plus that folder's hand-written file) vs Apple's
#      `Types.swift` and `Client.swift` (`generate: [types, client]`).
# Apple's generator is built from the package mirror in the git-ignored `.build-apple/`; the two
# modules are compiled in scratch packages under the git-ignored `.build-bench/`: ours depends on
# this package by path (its real PayablesRuntime product, with whatever that needs) and on
# swift-openapi-runtime, Apple's on swift-openapi-runtime. Neither is ever a dependency of the
# product. A build is timed after touching the module's files (`swift build --target Generated`,
# dependencies already built): the median of 3 builds of each, alternating.
#
#   bash Benchmarks/compare-apple.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-10}"
spec="$root/specs/Codat-Sync-Payables-v1.yaml"
config="$root/Generated/CodatSyncPayablesV1/payables-gen.json"
bash "$root/specs/sync.sh" >/dev/null

echo "== building Apple's generator (.build-apple) and payables-bench (.build-scale), release" >&2
apple_src="$root/.build-apple/src"
if [ ! -d "$apple_src" ]; then
    git clone -q --branch 1.14.3 https://github.com/apple/swift-openapi-generator "$apple_src"
fi
(cd "$apple_src" && swift build -c release --product swift-openapi-generator >"$root/.build-apple/build.log" 2>&1) \
    || { tail -30 "$root/.build-apple/build.log"; exit 1; }
apple_tool="$apple_src/.build/release/swift-openapi-generator"
(cd "$root" && swift build -c release --scratch-path .build-scale --product payables-bench >"$root/.build-apple/bench-build.log" 2>&1) \
    || { tail -30 "$root/.build-apple/bench-build.log"; exit 1; }

bench="$root/.build-bench"
rm -rf "$bench/ours/Sources/Generated" "$bench/apple/Sources/Generated"
mkdir -p "$bench/ours/Sources/Generated" "$bench/apple/Sources/Generated"

echo "== generation"
# Also keeps our generated files for the build comparison.
"$root/.build-scale/release/payables-bench" "$spec" --config "$config" --runs "$runs" --apple "$apple_tool" \
    --output "$bench/ours/Sources/Generated"
cp "$root/Generated/CodatSyncPayablesV1/CodatSyncPayablesV1.swift" "$bench/ours/Sources/Generated/"

printf 'generate:\n  - types\n  - client\naccessModifier: public\n' >"$bench/apple-config.yaml"
"$apple_tool" generate "$spec" --config "$bench/apple-config.yaml" --output-directory "$bench/apple/Sources/Generated" \
    >"$bench/apple-generate.log" 2>&1 || { tail -20 "$bench/apple-generate.log"; exit 1; }

# Our package by path: its identity is its folder's name.
cat >"$bench/ours/Package.swift" <<MANIFEST
// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "Ours",
    dependencies: [
        .package(path: "$root"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.8.0"),
    ],
    targets: [.target(name: "Generated", dependencies: [
        .product(name: "PayablesRuntime", package: "$(basename "$root")"),
        .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
    ])])
MANIFEST
cat >"$bench/apple/Package.swift" <<'MANIFEST'
// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "Apple",
    dependencies: [.package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.8.0")],
    targets: [.target(name: "Generated", dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")])])
MANIFEST
echo "== debug builds of both modules with their dependencies (not timed)" >&2
for side in ours apple; do
    (cd "$bench/$side" && swift build --target Generated >"$bench/$side-build.log" 2>&1) \
        || { grep -E "error" "$bench/$side-build.log" | head -20; tail -5 "$bench/$side-build.log"; exit 1; }
done

time_build() { # side -> seconds of a debug rebuild of the Generated target after touching its files
    local side=$1 start end
    touch "$bench/$side"/Sources/Generated/*.swift
    start=$(date +%s.%N)
    (cd "$bench/$side" && swift build --target Generated >/dev/null)
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
ours=(); apple=()
for _ in 1 2 3; do ours+=("$(time_build ours)"); apple+=("$(time_build apple)"); done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
o=$(median "${ours[@]}"); a=$(median "${apple[@]}")
files() { (cd "$bench/$1/Sources/Generated" && ls *.swift | tr '\n' ' '); }
size() { du -cb "$bench/$1"/Sources/Generated/*.swift | tail -1 | cut -f1; }
echo "== debug build of the v1 module, types and client (swift build --target Generated after touching its files)"
echo "ours:  $(size ours) bytes in $(files ours): median ${o}s (runs: ${ours[*]})"
echo "apple: $(size apple) bytes in $(files apple): median ${a}s (runs: ${apple[*]})"
echo "ratio ours / apple: $(echo "scale=2; $o / $a" | bc)"
