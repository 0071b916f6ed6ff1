#!/usr/bin/env bash
# The client benchmark of issue 4, in one run, everything in release mode:
#   1. `bills.list` (100 bills a page) against the sandbox (in process) on loopback: the generated
#      client (URLSessionTransport, default options) next to bare calls on the same URLSession
#      decoding the same model (`data(for:)`, and `dataTask(with:completionHandler:)`, which is
#      what the transport calls on Linux), in rounds whose order rotates: requests per second,
#      median and p90 latency, process CPU per request, the client's overhead (target <= 10%);
#   2. decoding one 1,000-bill page (the sandbox's JSON, written to a file) with the generated
#      models next to apple/swift-openapi-generator 1.14.3's types for the same document, decoding
#      the same bytes: time and allocations per decode (target: ours at least as fast).
# Apple's generator is built as in Benchmarks/compare-apple.sh (.build-apple); its types and the
# small decoder around them live in the git-ignored scratch folder .build-bench-decode.
# Allocations are counted in-process by both executables with the same code
# (Sources/payables-client-bench/AllocationCounter.swift: `malloc`, `calloc` and `realloc`
# defined by the executable, exported with `-Xlinker --export-dynamic`, forwarding to glibc).
#
# The decoders run in separate processes (the two sets of types), alternately: ours, Apple's,
# ours, Apple's... (`--decode-passes`, 5 by default), each pass timing `--decode-runs` decodes;
# the table gives the median of the passes' medians and the ratio of each pair of passes.
#
#   bash Benchmarks/client-bench.sh [--requests 200] [--rounds 12] [--warmup 200] [--concurrency 1]
#                                   [--decode-runs 30] [--decode-passes 5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spec="$root/specs/Codat-Sync-Payables.yaml"
bench_sources="$root/Sources/payables-client-bench"
work="$root/.build-bench-decode"
decode_runs=30
decode_passes=5
bench_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --decode-passes) decode_passes="$2"; shift 2 ;;
        --decode-runs) decode_runs="$2"; bench_args+=("$1" "$2"); shift 2 ;;
        *) bench_args+=("$1"); shift ;;
    esac
done
bash "$root/specs/sync.sh" >/dev/null
mkdir -p "$work"
count_allocations=(-Xlinker --export-dynamic -Xswiftc -DPAYABLES_COUNT_ALLOCATIONS)

echo "== building (release)" >&2
(cd "$root" && swift build -c release --scratch-path .build-bench --product payables-client-bench \
    "${count_allocations[@]}" >"$work/ours-build.log" 2>&1) || { cat "$work/ours-build.log"; exit 1; }
ours="$root/.build-bench/release/payables-client-bench"

apple_src="$root/.build-apple/src"
if [ ! -d "$apple_src" ]; then
    git clone -q --branch 1.14.3 https://github.com/apple/swift-openapi-generator "$apple_src"
fi
(cd "$apple_src" && swift build -c release --product swift-openapi-generator >/dev/null)
apple_tool="$apple_src/.build/release/swift-openapi-generator"

# Apple's types for the same document, in a package of their own (rewritten only when changed,
# so that a second run does not rebuild them).
mkdir -p "$work/apple/Sources/AppleTypes" "$work/apple/Sources/apple-decode" "$work/types-new"
printf 'generate:\n  - types\naccessModifier: public\n' >"$work/apple-config.yaml"
rm -f "$work"/types-new/*.swift
"$apple_tool" generate "$spec" --config "$work/apple-config.yaml" --output-directory "$work/types-new" >/dev/null 2>&1
if ! diff -rq "$work/types-new" "$work/apple/Sources/AppleTypes" >/dev/null 2>&1; then
    rm -f "$work"/apple/Sources/AppleTypes/*.swift
    cp "$work"/types-new/*.swift "$work/apple/Sources/AppleTypes/"
fi
put() { # file content-on-stdin: writes only when different
    local tmp
    tmp="$(mktemp)"
    cat >"$tmp"
    if cmp -s "$tmp" "$1"; then rm "$tmp"; else mv "$tmp" "$1"; fi
}
put "$work/apple/Package.swift" <<'MANIFEST'
// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "AppleDecode", platforms: [.macOS(.v15)],
    dependencies: [.package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.8.0")],
    targets: [
        .target(name: "AppleTypes", dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")]),
        .executableTarget(name: "apple-decode", dependencies: ["AppleTypes", .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")]),
    ])
MANIFEST
# The measuring code is the benchmark's own, compiled unchanged.
for shared in AllocationCounter.swift DecodeMeasure.swift; do
    put "$work/apple/Sources/apple-decode/$shared" <"$bench_sources/$shared"
done
put "$work/apple/Sources/apple-decode/main.swift" <<'SWIFT'
// Decodes the 1,000-bill page with apple/swift-openapi-generator's types for Codat-Sync-Payables.yaml.
//   apple-decode FILE [RUNS]
import AppleTypes
import Foundation
import OpenAPIRuntime

let arguments = CommandLine.arguments
let json = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
let runs = arguments.count > 2 ? Int(arguments[2])! : 30

// The decoder of Apple's runtime (Converter.init(configuration:)): a plain JSONDecoder whose
// dates go through the configuration's DateTranscoder (ISO 8601 by default).
let decoder = JSONDecoder()
decoder.dateDecodingStrategy = {
    let transcoder = Configuration().dateTranscoder
    return .custom { try transcoder.decode(try $0.singleValueContainer().decode(String.self)) }
}()

/// Apple's typed model of the page: its `Components.Schemas.Bill` and `Pagination`, in the
/// document's `{results, pagination}` shape. (The response refers to the bills list as
/// `#/components/schemas/Bill/definitions/bills`, a reference Apple's generator does not follow.)
struct TypedPage: Decodable {
    var results: [Components.Schemas.Bill]?
    var pagination: Components.Schemas.Pagination?
}

/// What Apple's generated client hands back for list-bills' 200 response.
func responseBody(_ value: OpenAPIValueContainer) -> Operations.list_hyphen_bills.Output.Ok.Body { .json(value) }

print("AppleTypes: Components.Schemas.Bill lineItems are [OpenAPIValueContainer], amounts Double")
let typed = try measureDecode(side: "apple-bill", json: json, runs: runs, warmup: 3) {
    try decoder.decode(TypedPage.self, from: $0).results?.count ?? 0
}
let body = try measureDecode(side: "apple-response-body", json: json, runs: runs, warmup: 3) {
    let container = try decoder.decode(OpenAPIValueContainer.self, from: $0)
    guard case let .json(value) = responseBody(container),
          let page = value.value as? [String: (any Sendable)?],
          let results = page["results"] as? [(any Sendable)?] else { return 0 }
    return results.count
}
print(typed.summary)
print(body.summary)
print(typed.resultLine)
print(body.resultLine)
SWIFT

echo "== building Apple's types (release)" >&2
(swift build -c release --package-path "$work/apple" --scratch-path "$work/scratch" --product apple-decode \
    "${count_allocations[@]}" >"$work/apple-build.log" 2>&1) || { cat "$work/apple-build.log"; exit 1; }
apple_decode="$work/scratch/release/apple-decode"

page="$work/bills-1000.json"
echo "== payables-client-bench ${bench_args[*]+${bench_args[*]}}"
ours_out="$("$ours" --page-json "$page" ${bench_args[@]+"${bench_args[@]}"})"
echo "$ours_out"
decode_out=""
for ((pass = 1; pass <= decode_passes; pass++)); do
    echo "== decode pass $pass: payables-client-bench --decode-file, then apple-decode (same file: $page)"
    out="$("$ours" --decode-file "$page" --decode-runs "$decode_runs")"
    echo "$out"
    decode_out+="$(echo "$out" | grep '^RESULT decode' | sed "s/^RESULT decode/RESULT decode pass=$pass/")"$'\n'
    out="$("$apple_decode" "$page" "$decode_runs")"
    echo "$out"
    decode_out+="$(echo "$out" | grep '^RESULT decode' | sed "s/^RESULT decode/RESULT decode pass=$pass/")"$'\n'
done

# One table from the RESULT lines: HTTP from the main run, decoding from the alternating passes.
{ echo "$ours_out" | grep -E '^RESULT http'; printf '%s' "$decode_out"; } | awk -v passes="$decode_passes" '
function field(line, key,   n, i, parts, kv) {
    n = split(line, parts, " ")
    for (i = 1; i <= n; i++) { split(parts[i], kv, "="); if (kv[1] == key) return kv[2] }
    return ""
}
function median(values, count,   i, j, t, a) { # of values[1..count]
    for (i = 1; i <= count; i++) a[i] = values[i]
    for (i = 2; i <= count; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return count % 2 ? a[(count + 1) / 2] : (a[count / 2] + a[count / 2 + 1]) / 2
}
$2 == "http" { side = field($0, "side"); rps[side] = field($0, "rps"); med[side] = field($0, "median_ns"); p90[side] = field($0, "p90_ns")
               n[side] = field($0, "requests"); cpu[side] = field($0, "cpu_ns_per_request"); cpum[side] = field($0, "cpu_median_ns") }
$2 == "http_overhead" { vs = field($0, "versus"); lat[vs] = field($0, "latency_pct"); tpr[vs] = field($0, "time_per_request_pct"); cpo[vs] = field($0, "cpu_pct")
                        plat[vs] = field($0, "paired_latency_pct"); platmin[vs] = field($0, "paired_latency_min_pct"); platmax[vs] = field($0, "paired_latency_max_pct")
                        ptime[vs] = field($0, "paired_time_pct"); pcpu[vs] = field($0, "paired_cpu_pct"); rounds = field($0, "rounds") }
$2 == "decode" {
    pass = field($0, "pass"); side = field($0, "side")
    dmed[side, pass] = field($0, "median_ns"); al[side] = field($0, "allocs"); ab[side] = field($0, "alloc_bytes")
    items[side] = field($0, "items"); jb = field($0, "json_bytes"); runs = field($0, "runs"); seen[side] = 1
}
function verdict(ok) { return ok ? "met" : "NOT met" }
function kib(b) { return b == "na" ? "n/a" : sprintf("%.0f", b / 1024) }
END {
    print ""
    print "================ client benchmark (release, one run) ================"
    printf "bills.list, 100 bills a page, loopback   %9s %7s %10s %8s %11s %11s\n", "requests", "req/s", "median ms", "p90 ms", "CPU ms/req", "median CPU"
    split("client urlsession urlsession-task", hs, " ")
    hl["client"] = "  generated client (URLSessionTransport)"
    hl["urlsession"] = "  bare URLSession data(for:) + decode"
    hl["urlsession-task"] = "  bare URLSession dataTask + decode"
    for (k = 1; k <= 3; k++) {
        s = hs[k]
        printf "%-40s %9d %7.0f %10.3f %8.3f %11.3f %11.3f\n", hl[s], n[s], rps[s], med[s] / 1e6, p90[s] / 1e6, cpu[s] / 1e6, cpum[s] / 1e6
    }
    printf "  client overhead, target <= +10%%      paired rounds (median of %d)     pooled (all requests)\n", rounds
    printf "                                        %8s %9s %7s   %8s %9s %7s\n", "latency", "time/req", "CPU", "latency", "time/req", "CPU"
    for (k = 2; k <= 3; k++) {
        s = hs[k]
        printf "    vs %-33s %+7.1f%% %+8.1f%% %+6.1f%%   %+7.1f%% %+8.1f%% %+6.1f%%   %s\n", substr(hl[s], 8), plat[s], ptime[s], pcpu[s], lat[s], tpr[s], cpo[s], verdict(plat[s] <= 10 && ptime[s] <= 10)
    }
    printf "  (latency: median; time/req: 1 / req/s; CPU: process CPU per request, server included, paired:\n"
    printf "   each round'"'"'s total over its requests, pooled: median of the requests'"'"' own intervals;\n"
    printf "   per-round latency ratios ranged %+.0f%% .. %+.0f%% vs data(for:): load on the machine)\n", platmin["urlsession"], platmax["urlsession"]
    print ""
    printf "decode 1,000 bills (%d bytes), %d passes    %10s  %-*s %9s %9s\n", jb, passes, "median ms", passes * 8, "per pass (ms)", "allocs", "KiB"
    split("generated apple-bill apple-response-body", order, " ")
    label["generated"] = "  generated models: Bills"
    label["apple-bill"] = "  Apple: {results: [Components.Schemas.Bill]}"
    label["apple-response-body"] = "  Apple: list-bills body, OpenAPIValueContainer"
    for (k = 1; k <= 3; k++) {
        s = order[k]
        if (!(s in seen)) { printf "%-46s missing\n", label[s]; continue }
        list = ""
        for (p = 1; p <= passes; p++) { v[p] = dmed[s, p]; list = list sprintf(" %7.2f", dmed[s, p] / 1e6) }
        m[s] = median(v, passes)
        printf "%-46s %10.3f  %-*s %9s %9s\n", label[s], m[s] / 1e6, passes * 8, list, al[s], kib(ab[s])
    }
    for (k = 2; k <= 3; k++) {
        s = order[k]
        for (p = 1; p <= passes; p++) r[p] = dmed["generated", p] / dmed[s, p]
        printf "  time ours / %-14s %6.2f   (pass pairs: min %.2f, max %.2f; target <= 1.00: %s)\n", (k == 2 ? "Apple Bill" : "Apple body"), m["generated"] / m[s], minv(r, passes), maxv(r, passes), verdict(m["generated"] <= m[s])
    }
    printf "  allocations ours / Apple Bill %.3f, ours / Apple body %.3f\n", al["generated"] / al["apple-bill"], al["generated"] / al["apple-response-body"]
    printf "  (each pass: %s timed decodes after 3 untimed, median; allocations: median per decode)\n", runs
}
function minv(a, c,   i, x) { x = a[1]; for (i = 2; i <= c; i++) if (a[i] < x) x = a[i]; return x }
function maxv(a, c,   i, x) { x = a[1]; for (i = 2; i <= c; i++) if (a[i] > x) x = a[i]; return x }'
