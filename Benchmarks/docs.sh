#!/usr/bin/env bash
# Builds every DocC catalog of the package, with DocC's warnings as errors:
#   Sources/PayablesRuntime/PayablesRuntime.docc, Sources/BillPay/BillPay.docc,
#   Generated/CodatSyncPayables/CodatSyncPayables.docc, Generated/CodatSyncPayablesV1/CodatSyncPayablesV1.docc,
#   Generated/CodatPlatformWebhooks/CodatPlatformWebhooks.docc
# into one combined archive, so that a page links to the symbols and articles of the modules it
# depends on (BillPay -> CodatSyncPayables.Client, PayablesRuntime). swift-docc-plugin builds the
# targets in .build first (symbol graphs), then runs the toolchain's docc.
#
#   bash Benchmarks/docs.sh                      # needs the pinned documents: bash specs/sync.sh
#   bash Benchmarks/docs.sh --verbose            # extra arguments go to generate-documentation
#
# Output: .build/plugins/Swift-DocC/outputs/<Target>.doccarchive (one per target) and the
# combined archive beside them. Preview one with
# `swift package --disable-sandbox preview-documentation --target BillPay`.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
swift package generate-documentation --enable-experimental-combined-documentation --warnings-as-errors \
    --target PayablesRuntime --target CodatSyncPayables --target CodatSyncPayablesV1 --target CodatPlatformWebhooks --target BillPay "$@"
echo "docs.sh: every catalog built with no DocC warning in $((SECONDS - start)) s"
