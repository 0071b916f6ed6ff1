#!/usr/bin/env bash
# Runs `billpay webhooks listen` and sends it deliveries signed by Python's standard library
# (hmac, an implementation independent of ours): two good events, a retry of one, a forged
# signature, a stale timestamp and an undecodable body. Checks what the command prints on
# standard output (one JSON line per verified event, in order) and standard error (the
# refusals, with their status), and the statuses the senders got (200/401/400).
#
#   bash Examples/webhooks-listen.sh        # builds `billpay` first (debug)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product billpay 2>&1 | grep -E "error|Compiling|Build" | tail -n 3
bin="$(swift build --show-bin-path)/billpay"
work="$(mktemp -d)"
trap 'kill "$listener" 2>/dev/null || true; rm -rf "$work"' EXIT
secret="whsec_$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(24)).decode())')"

"$bin" webhooks listen --port 0 --secret "$secret" --count 2 >"$work/out" 2>"$work/err" &
listener=$!
for _ in $(seq 1 100); do
    grep -q "^listening on " "$work/err" 2>/dev/null && break
    sleep 0.1
done
url="$(sed -n 's/^listening on \([^ ]*\).*/\1/p' "$work/err")"
[ -n "$url" ] || { echo "webhooks-listen.sh: error: the listener did not start:" >&2; cat "$work/err" >&2; exit 1; }

python3 - "$url" "$secret" <<'PY'
import base64, hashlib, hmac, json, sys, time, urllib.request, urllib.error
url, secret = sys.argv[1], sys.argv[2]
key = base64.b64decode(secret[len("whsec_"):])

def event(event_type, push_id, record_id=None):
    payload = {"id": push_id, "type": "Create", "status": "Success" if "unsuccessful" not in event_type else "Failed",
               "referenceCompany": {"id": "company-1", "name": "Fenwick Ltd"}, "connectionId": "connection-1"}
    if record_id:
        payload["record"] = {"id": record_id}
    # Pretty-printed on purpose: the listener prints it compacted on one line.
    return json.dumps({"id": "evt-" + push_id, "eventType": event_type, "generatedDate": "2026-11-30T00:20:07Z",
                       "payload": payload}, indent=2).encode()

def send(msg_id, body, timestamp=None, key_used=key):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    mac = hmac.new(key_used, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "webhook-id": msg_id, "webhook-timestamp": timestamp,
        "webhook-signature": "v1," + base64.b64encode(mac).decode()})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code

first = event("billPayments.write.successful", "push-1", "bill-payment-1")
statuses = [
    send("msg_1", first),
    send("msg_1", first),                                             # Codat's retry: acknowledged, not printed again
    send("msg_x", first, key_used=b"not the secret"),                 # forged
    send("msg_y", first, timestamp=int(time.time()) - 3600),          # an hour old
    send("msg_z", b'{"eventType": "bills.write.successful", "payload": 7}'),
    send("msg_2", event("bills.write.unsuccessful", "push-2")),
]
expected = [200, 200, 401, 401, 400, 200]
if statuses != expected:
    sys.exit(f"webhooks-listen.sh: error: statuses {statuses}, expected {expected}")
PY

for _ in $(seq 1 100); do kill -0 "$listener" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$listener" 2>/dev/null; then echo "webhooks-listen.sh: error: the listener did not stop after --count 2" >&2; exit 1; fi
wait "$listener"

python3 - "$work/out" "$work/err" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
errors = open(sys.argv[2]).read()
events = [json.loads(line) for line in lines]
assert [e["webhookId"] for e in events] == ["msg_1", "msg_2"], lines
assert [e["eventType"] for e in events] == ["billPayments.write.successful", "bills.write.unsuccessful"], lines
assert events[0]["event"]["payload"]["record"]["id"] == "bill-payment-1", lines[0]
for needle in ["200 duplicate msg_1", "401 webhook refused: none of the 1 `v1` signature(s)",
               "401 webhook refused: `webhook-timestamp`", "400 msg_z: webhook body does not decode as `bills.write.successful`"]:
    assert needle in errors, f"{needle!r} not in standard error:\n{errors}"
assert "whsec_" not in errors + "".join(lines), "the secret was printed"
print("webhooks-listen.sh: 2 events printed as JSON lines; retry, forged, stale and undecodable deliveries answered 200/401/401/400")
PY
