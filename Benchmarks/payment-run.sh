#!/usr/bin/env bash
# Throughput of a 500-intent `billpay run` against `codat-sandbox` (its own process) at
# concurrency 1 and 10, side by side: intents/s and the ratio. A figure, never a timed test.
#   bash Benchmarks/payment-run.sh [--intents 500] [--write-ms 20]
#   BILLPAY_CONFIGURATION=release bash Benchmarks/payment-run.sh    # a release build
set -euo pipefail
exec python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/billpay_runs.py" bench "$@"
