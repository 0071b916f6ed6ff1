#!/usr/bin/env bash
# The Swift API changes between two versions of an OpenAPI document that would break code using
# the generated module: removed or retyped members, new required parameters, removed enum cases.
#
#   bash Benchmarks/api-diff.sh OLD NEW [--config FILE | --module NAME] [--path PATH_IN_REPO]
#
# OLD and NEW are document files, or commits of codatio/oas in a local clone or mirror
# ($OAS_GIT, default /work/.mirror/codatio+oas/repo), read at PATH_IN_REPO
# (default yaml/Codat-Sync-Payables.yaml). The module's config (typeOverrides, name) is the
# Generated/*/payables-gen.json whose spec has the document's file name, else --config, else
# a module named by --module (default API).
#
# Each version is generated with payables-gen, compiled with `swiftc -emit-module` against
# PayablesRuntime and swift-openapi-runtime, dumped with `swift-api-digester -dump-sdk`, and the
# two dumps compared with `-diagnose-sdk`. payables-gen and the runtime modules are built once
# in .build-apidiff (git-ignored); PAYABLES_GEN and RUNTIME_MODULES (a folder of .swiftmodule
# files) use ones built elsewhere (the test does, with `swift test`'s own build).
#
# Prints the digester's sections that are not empty; exit 0 with or without breaking changes
# (1 on a failure to generate or compile, with the tool's errors).
set -euo pipefail

usage() { sed -n '4,5p' "$0" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
OLD=$1 NEW=$2; shift 2
CONFIG="" MODULE="" REPO_PATH="yaml/Codat-Sync-Payables.yaml"
while [[ $# -gt 0 ]]; do
    case $1 in
        --config) CONFIG=$2; shift 2 ;;
        --module) MODULE=$2; shift 2 ;;
        --path) REPO_PATH=$2; shift 2 ;;
        *) usage ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SWIFT_BIN=$(dirname "$(readlink -f "$(command -v swiftc)")")
DIGESTER=${SWIFT_API_DIGESTER:-$SWIFT_BIN/swift-api-digester}
OAS_GIT=${OAS_GIT:-/work/.mirror/codatio+oas/repo}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/api-diff.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

fail() { echo "api-diff: error: $*" >&2; exit 1; }

# A version: a file as given, or the document at a commit of the codatio/oas clone.
resolve() {
    local version=$1 out=$2
    if [[ -f $version ]]; then
        cp "$version" "$out"
    elif [[ $version =~ ^[0-9a-fA-F]{7,40}$ ]]; then
        [[ -d $OAS_GIT ]] || fail "'$version' is no file, and there is no codatio/oas clone at $OAS_GIT (set OAS_GIT)"
        git --git-dir="$OAS_GIT" show "$version:$REPO_PATH" > "$out" 2>"$WORK/git.err" \
            || fail "cannot read $REPO_PATH at $version in $OAS_GIT: $(cat "$WORK/git.err")"
    else
        fail "'$version' is neither a file nor a commit id"
    fi
}

name_of() { [[ -f $1 ]] && basename "$1" || basename "$REPO_PATH"; }

# The module's config: --config, else the generated module built from a document of that name.
if [[ -z $CONFIG && -z $MODULE ]]; then
    document=$(name_of "$NEW")
    for candidate in "$ROOT"/Generated/*/payables-gen.json; do
        if grep -q "\"spec\": *\"[^\"]*/$document\"" "$candidate"; then CONFIG=$candidate; break; fi
    done
fi
MODULE=${MODULE:-$( [[ -n $CONFIG ]] && sed -n 's/.*"module": *"\([^"]*\)".*/\1/p' "$CONFIG" | head -1 || echo API)}

# The two documents first: a bad version fails before anything is built.
mkdir -p "$WORK/old" "$WORK/new"
resolve "$OLD" "$WORK/old/$(name_of "$OLD")"
resolve "$NEW" "$WORK/new/$(name_of "$NEW")"

# Tools: payables-gen and the modules generated code imports.
if [[ -z ${PAYABLES_GEN:-} || -z ${RUNTIME_MODULES:-} ]]; then
    (cd "$ROOT" && swift build --scratch-path .build-apidiff --product payables-gen >"$WORK/build.log" 2>&1 \
        && swift build --scratch-path .build-apidiff --target PayablesRuntime >>"$WORK/build.log" 2>&1) \
        || { grep -E "error" "$WORK/build.log" >&2 || tail -20 "$WORK/build.log" >&2; fail "building payables-gen and PayablesRuntime in .build-apidiff failed"; }
    BIN=$(cd "$ROOT" && swift build --scratch-path .build-apidiff --show-bin-path)
    PAYABLES_GEN=${PAYABLES_GEN:-$BIN/payables-gen}
    RUNTIME_MODULES=${RUNTIME_MODULES:-$BIN/Modules}
fi
[[ -x $PAYABLES_GEN ]] || fail "no payables-gen at $PAYABLES_GEN"
[[ -f $RUNTIME_MODULES/PayablesRuntime.swiftmodule ]] || fail "no PayablesRuntime.swiftmodule in $RUNTIME_MODULES"

# One version: document -> generated files -> module -> API dump.
dump() {
    local label=$1 version=$2 dir="$WORK/$1"
    mkdir -p "$dir/gen" "$dir/module"
    local config_args=()
    [[ -n $CONFIG ]] && config_args=(--config "$CONFIG")
    "$PAYABLES_GEN" generate "$dir/$(name_of "$version")" "${config_args[@]}" --module "$MODULE" \
        --templates "$ROOT/Templates" --output "$dir/gen" 2>"$dir/gen.log" \
        || { grep "error:" "$dir/gen.log" >&2; fail "payables-gen could not generate the $label version"; }
    swiftc -emit-module -parse-as-library -swift-version 6 -module-name "$MODULE" \
        -Xfrontend -experimental-skip-non-inlinable-function-bodies \
        -I "$RUNTIME_MODULES" -emit-module-path "$dir/module/$MODULE.swiftmodule" "$dir"/gen/*.swift >"$dir/compile.log" 2>&1 \
        || { grep "error:" "$dir/compile.log" | head -20 >&2; fail "the $label version's generated code does not compile"; }
    "$DIGESTER" -dump-sdk -module "$MODULE" -I "$dir/module" -I "$RUNTIME_MODULES" \
        -avoid-location -avoid-tool-args -abort-on-module-fail -o "$WORK/$label.json" 2>"$dir/dump.log" \
        || { cat "$dir/dump.log" >&2; fail "swift-api-digester could not dump the $label version"; }
}

dump old "$OLD"
dump new "$NEW"
"$DIGESTER" -diagnose-sdk -input-paths "$WORK/old.json" -input-paths "$WORK/new.json" \
    -disable-fail-on-error -o "$WORK/report.txt" 2>"$WORK/diagnose.log" \
    || { cat "$WORK/diagnose.log" >&2; fail "swift-api-digester could not compare the versions"; }

# The digester prints every section header; keep those with entries.
label() { [[ -f $1 ]] && echo "$1" || echo "$REPO_PATH@$1"; }
echo "API changes of $MODULE that break its users: $(label "$OLD") -> $(label "$NEW")"
awk '
    /^\/\* .* \*\/$/ { header = $0; printed = 0; next }
    NF == 0 { next }
    { if (!printed) { print ""; print header; printed = 1 }; print; count++ }
    END { if (count == 0) print "(none)" }
' "$WORK/report.txt"
