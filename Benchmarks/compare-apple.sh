#!/usr/bin/env bash
# Side-by-side figures against apple/swift-openapi-generator 1.14.3 on Codat-Sync-Payables-v1.yaml:
#   1. generation time: ours (whole pipeline, in process) vs Apple's generator (types), with the libyaml scan;
#   2. debug compile time of the generated module: ours vs Apple's generated Types.swift.
# Apple's generator and runtime are built from the package mirror in git-ignored scratch folders
# (.build-apple, .build-bench); they are never dependencies of the product.
#
#   bash Benchmarks/compare-apple.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-10}"
spec="$root/specs/Codat-Sync-Payables-v1.yaml"
bash "$root/specs/sync.sh" >/dev/null

apple_src="$root/.build-apple/src"
if [ ! -d "$apple_src" ]; then
    git clone -q --branch 1.14.3 https://github.com/apple/swift-openapi-generator "$apple_src"
fi
(cd "$apple_src" && swift build -c release --product swift-openapi-generator >/dev/null)
apple_tool="$apple_src/.build/release/swift-openapi-generator"

(cd "$root" && swift build -c release --product payables-bench >/dev/null && swift build -c release --product payables-gen >/dev/null)
echo "== generation"
"$root/.build/release/payables-bench" "$spec" --runs "$runs" --apple "$apple_tool"

echo "== debug compile time of the generated v1 module (types)"
bench="$root/.build-bench"
mkdir -p "$bench/ours/Sources/PayablesRuntime" "$bench/ours/Sources/Generated" "$bench/apple/Sources/Generated"
cp "$root"/Sources/PayablesRuntime/*.swift "$bench/ours/Sources/PayablesRuntime/"
"$root/.build/release/payables-gen" generate "$spec" --config "$root/Generated/CodatSyncPayablesV1/payables-gen.json" \
    --templates "$root/Templates" --output "$bench/ours/Sources/Generated" 2>/dev/null
cat > "$bench/ours/Package.swift" <<'MANIFEST'
// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "Ours", targets: [
    .target(name: "PayablesRuntime"),
    .target(name: "Generated", dependencies: ["PayablesRuntime"]),
])
MANIFEST
printf 'generate:\n  - types\naccessModifier: public\n' > "$bench/apple-config.yaml"
"$apple_tool" generate "$spec" --config "$bench/apple-config.yaml" --output-directory "$bench/apple/Sources/Generated" >/dev/null 2>&1
cat > "$bench/apple/Package.swift" <<'MANIFEST'
// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "Apple", platforms: [.macOS(.v13)],
    dependencies: [.package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.0.0")],
    targets: [.target(name: "Generated", dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")])])
MANIFEST
for side in ours apple; do (cd "$bench/$side" && swift build >/dev/null 2>&1 || swift build); done

time_build() { # side -> seconds of a debug rebuild of the Generated target after touching its files
    local side=$1
    touch "$bench/$side"/Sources/Generated/*.swift
    local start end
    start=$(date +%s.%N)
    (cd "$bench/$side" && swift build --target Generated >/dev/null)
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
ours=(); apple=()
for _ in 1 2 3; do ours+=("$(time_build ours)"); apple+=("$(time_build apple)"); done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
o=$(median "${ours[@]}"); a=$(median "${apple[@]}")
echo "ours:  $(du -cb "$bench"/ours/Sources/Generated/*.swift | tail -1 | cut -f1) bytes, debug build of the module: median ${o}s (runs: ${ours[*]})"
echo "apple: $(du -cb "$bench"/apple/Sources/Generated/*.swift | tail -1 | cut -f1) bytes, debug build of the module: median ${a}s (runs: ${apple[*]})"
echo "ratio ours / apple: $(echo "scale=2; $o / $a" | bc) (target <= 0.50)"
