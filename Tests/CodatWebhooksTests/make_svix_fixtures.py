#!/usr/bin/env python3
"""Writes Fixtures/svix-signatures.json: webhook signatures computed by the Python `svix`
package (an implementation independent of ours) over our own ids, bodies and secrets.

    python3 -m venv /tmp/svix-venv && /tmp/svix-venv/bin/pip install svix==2.9.1
    /tmp/svix-venv/bin/python Tests/CodatWebhooksTests/make_svix_fixtures.py

The secrets are derived from labels (sha256), so a rerun writes the same file.
WebhookVerifierSvixTests reads it: every case must verify, and stop verifying when its
body, secret, id or timestamp changes; our signer must produce the same header values.
"""
import base64
import hashlib
import json
import os
from datetime import datetime, timezone
from importlib.metadata import version

from svix.webhooks import Webhook


def secret(label: str, size: int = 24, padded: bool = True) -> str:
    text = base64.b64encode(hashlib.sha256(label.encode()).digest()[:size]).decode()
    return "whsec_" + (text if padded else text.rstrip("="))


def sign(secret_text: str, msg_id: str, timestamp: int, body: str) -> str:
    return Webhook(secret_text).sign(msg_id, datetime.fromtimestamp(timestamp, tz=timezone.utc), body)


def write_event(event_type: str, status: str, record_id: str | None) -> str:
    payload = {
        "id": "7d1e3c0a-2f52-4b7e-9a0c-payables0001",
        "type": "Create",
        "referenceCompany": {"id": "5c0e2a4e-6a3b-4d55-8f17-payables0002", "name": "Fenwick & Daughters Ltd"},
        "connectionId": "0f6a1b2c-3d4e-4f50-8a61-payables0003",
        "requestedOnDate": "2026-11-30T00:20:00Z",
        "completedOnDate": "2026-11-30T00:20:07Z",
        "status": status,
    }
    if record_id:
        payload["record"] = {"id": record_id}
    return json.dumps({"id": "evt-payables-0001", "eventType": event_type,
                       "generatedDate": "2026-11-30T00:20:07Z", "payload": payload}, separators=(",", ":"))


cases = [
    ("billPayments write successful, compact JSON", secret("payables-webhooks/primary"),
     "msg_2pYvK1payables0001", 1796000000,
     write_event("billPayments.write.successful", "Success", "bill-payment-7731")),
    ("bills write unsuccessful, pretty JSON with newlines", secret("payables-webhooks/primary"),
     "msg_2pYvK1payables0002", 1796000123,
     json.dumps(json.loads(write_event("bills.write.unsuccessful", "Failed", None)), indent=2) + "\n"),
    ("non-ASCII body (UTF-8 multi-byte characters)", secret("payables-webhooks/unicode"),
     "msg_2pYvK1payables0003", 1796000456,
     '{"eventType":"company.created","payload":{"name":"Caf\u00e9 M\u00fcller \u00a3 \u20ac \u65e5\u672c"}}'),
    ("empty body", secret("payables-webhooks/empty"), "msg_2pYvK1payables0004", 1796000789, ""),
    ("20-byte key, secret written without base64 padding", secret("payables-webhooks/short", 20, padded=False),
     "msg_2pYvK1payables0005", 1796001000, '{"eventType":"client.rateLimit.reset"}'),
    ("id with dots and a body starting with a dot", secret("payables-webhooks/dots"),
     "msg.with.dots", 1796001001, '.{"a":1}'),
]

rotation_old = secret("payables-webhooks/rotation-old")
rotation_new = secret("payables-webhooks/rotation-new")
rotation_body = write_event("billPayments.write.successful", "Success", "bill-payment-7732")
rotation_id, rotation_timestamp = "msg_2pYvK1payables0006", 1796002000

fixture = {
    "generatedBy": f"Tests/CodatWebhooksTests/make_svix_fixtures.py with svix {version('svix')}",
    "cases": [
        {"name": name, "secret": s, "id": i, "timestamp": t, "body": b, "signature": sign(s, i, t, b)}
        for (name, s, i, t, b) in cases
    ],
    "rotation": {
        "oldSecret": rotation_old, "newSecret": rotation_new,
        "unrelatedSecret": secret("payables-webhooks/unrelated"),
        "id": rotation_id, "timestamp": rotation_timestamp, "body": rotation_body,
        # Svix sends one entry per active secret, space-separated.
        "signature": " ".join(sign(s, rotation_id, rotation_timestamp, rotation_body) for s in (rotation_new, rotation_old)),
    },
}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Fixtures", "svix-signatures.json")
with open(path, "w") as f:
    json.dump(fixture, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(f"wrote {path}")
