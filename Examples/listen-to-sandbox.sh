#!/usr/bin/env bash
# `billpay webhooks listen` receiving the sandbox's own signed write events: starts
# `codat-sandbox` as its own process, registers the listener as a webhook consumer through the
# control API (`POST /_sandbox/webhooks/consumers`, CODAT-FACTS §4), runs `billpay demo
# --server … --commit` against it (refreshes of Codat's cache take 1 s; its asynchronous half pays bills through v1 push operations), and prints
# what the listener printed (one JSON line per verified event) and the sandbox's delivery log.
# Fails when no `billPayments.write.successful` event reached the listener.
#
#   bash Examples/listen-to-sandbox.sh        # builds `billpay` and `codat-sandbox` first (debug)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product billpay 2>&1 | grep -E "error|Build" | tail -n 2
swift build --product codat-sandbox 2>&1 | grep -E "error|Build" | tail -n 2
bin="$(swift build --show-bin-path)"
work="$(mktemp -d)"
trap 'kill "${listener:-}" "${sandbox:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
key="listen-example-key"
auth="Basic $(printf %s "$key" | base64)"
secret="whsec_$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(24)).decode())')"

"$bin/codat-sandbox" --quiet --port 0 --api-key "$key" --push-delay-ms 300 --refresh-duration-seconds 1 >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox=$!
"$bin/billpay" webhooks listen --port 0 --secret "$secret" >"$work/events" 2>"$work/listen.err" &
listener=$!
for _ in $(seq 1 200); do
    grep -q "^listening on " "$work/sandbox.out" 2>/dev/null && grep -q "^listening on " "$work/listen.err" 2>/dev/null && break
    sleep 0.1
done
server="$(sed -n 's/^listening on \([^ ]*\).*/\1/p' "$work/sandbox.out")"
hook="$(sed -n 's/^listening on \([^ ]*\).*/\1/p' "$work/listen.err")"
[ -n "$server" ] && [ -n "$hook" ] || { echo "listen-to-sandbox.sh: error: sandbox or listener did not start" >&2; cat "$work"/*.err >&2; exit 1; }
echo "sandbox $server, listener $hook"

curl -sf -X POST -H "Authorization: $auth" -H 'Content-Type: application/json' \
    -d "{\"url\": \"$hook\", \"secret\": \"$secret\"}" "$server/_sandbox/webhooks/consumers" >/dev/null
"$bin/billpay" demo --server "$server" --api-key "$key" --commit >"$work/demo.out" 2>&1 \
    || { echo "listen-to-sandbox.sh: error: the demo failed:" >&2; tail -n 30 "$work/demo.out" >&2; exit 1; }
tail -n 1 "$work/demo.out"
sleep 2   # the sandbox sends within its 20 ms pump; the listener prints as it verifies

echo "--- billpay webhooks listen, standard output (one verified event a line):"
cat "$work/events"
echo "--- standard error:"
cat "$work/listen.err"
echo "--- the sandbox's delivery log:"
curl -sf -H "Authorization: $auth" "$server/_sandbox/webhooks/messages" | python3 -c '
import json, sys
log = json.load(sys.stdin)
messages = log["messages"] if isinstance(log, dict) else log
for m in messages:
    attempts = m.get("attempts", [])
    print(m["webhookId"], m["eventType"], m["status"], "payload.id", m["pushOperationKey"], "attempts", [a.get("statusCode") for a in attempts])
'
grep -q '"eventType":"billPayments.write.successful"' "$work/events" \
    || { echo "listen-to-sandbox.sh: error: no billPayments.write.successful event reached the listener" >&2; exit 1; }
echo "listen-to-sandbox.sh: OK"
