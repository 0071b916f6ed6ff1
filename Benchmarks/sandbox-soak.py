#!/usr/bin/env python3
"""Ten thousand requests against `codat-sandbox`, issue 10's hostile inputs mixed in.

Starts the built `codat-sandbox` (with an API key) on loopback, sends normal requests and,
one in every few, a hostile one: the control API without the key, recordings read back
(the key must not appear), a fault with status 1000, a `**`-heavy fault pattern, a query of
10,000 `(`, a declared 300 MiB body, unauthenticated 1 MiB bodies, a new Idempotency-Key on
every payment attempt, attachments past the company's quota. Prints the answers by kind and
status, the server's RSS before and after and its peak (VmHWM), and fails when the server
stops answering, answers a hostile request with 5xx, or leaks the key.

    python3 Benchmarks/sandbox-soak.py [--requests 10000] [--binary .build/debug/codat-sandbox]
"""
import argparse, base64, collections, http.client, json, os, re, subprocess, sys, time, uuid

parser = argparse.ArgumentParser()
parser.add_argument("--requests", type=int, default=10000)
parser.add_argument("--binary", default=".build/debug/codat-sandbox")
args = parser.parse_args()

KEY = "soak-" + uuid.uuid4().hex
AUTH = "Basic " + base64.b64encode(KEY.encode()).decode()
proc = subprocess.Popen([args.binary, "--port", "0", "--api-key", KEY, "--quiet"], stdout=subprocess.PIPE, text=True)
line = proc.stdout.readline().strip()
match = re.match(r"listening on http://([^:]+):(\d+)", line)
if not match:
    sys.exit(f"sandbox-soak: codat-sandbox did not start: {line!r}")
host, port = match.group(1), int(match.group(2))


def memory():
    fields = {}
    with open(f"/proc/{proc.pid}/status") as status:
        for entry in status:
            name, _, value = entry.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
    return fields


def request(method, path, body=None, headers=None, auth=True):
    headers = dict(headers or {})
    if auth:
        headers["Authorization"] = AUTH
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read()
    except (ConnectionError, http.client.HTTPException) as error:
        return f"dropped ({type(error).__name__})", b""
    finally:
        connection.close()


status, body = request("GET", "/_sandbox")
companies = json.loads(body)["companies"]
xero = next(c for c in companies if c.get("integration", "").lower().startswith("xero")) if companies else None
company = (xero or companies[0])
company_id = company["id"]
connection_id = company["connections"][0]["id"] if company.get("connections") else company.get("connectionId")
bills_path = f"/companies/{company_id}/connections/{connection_id}/payables/bills"
status, body = request("GET", bills_path)
bills = json.loads(body).get("results", [])
bill_id = bills[0]["id"]
accounts = json.loads(request("GET", f"/companies/{company_id}/connections/{connection_id}/payables/mappingOptions/payments")[1] or b"{}")
account_id = (accounts.get("bankAccounts") or [{"id": "unknown"}])[0].get("id")

for _ in range(200):
    request("GET", bills_path)
before = memory()

boundary = "soakboundary"
attachment = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
              "Content-Type: application/octet-stream\r\n\r\n").encode() + os.urandom(512 * 1024) + f"\r\n--{boundary}--\r\n".encode()
deep_query = "?query=" + "(" * 10000
star_pattern = "/" + "/".join(["**"] * 40) + "/nothing-matches-this"
one_mib = b"x" * (1024 * 1024)


def hostile(i):
    kind = i % 10
    if kind == 0:
        return "control API without the key", request("GET", "/_sandbox/requests", auth=False)
    if kind == 1:
        status, body = request("GET", "/_sandbox/requests")
        if KEY.encode() in body or AUTH.encode() in body or base64.b64encode(KEY.encode()) in body:
            sys.exit("sandbox-soak: the API key came back in /_sandbox/requests")
        return "recordings read back (key absent)", (status, b"")
    if kind == 2:
        return "fault with status 1000", request("POST", "/_sandbox/faults",
                                                 json.dumps({"fault": {"type": "status", "status": 1000}}), {"Content-Type": "application/json"})
    if kind == 3:
        status, body = request("POST", "/_sandbox/faults", json.dumps({"fault": {"type": "latency", "milliseconds": 0},
                                                                        "path": star_pattern}), {"Content-Type": "application/json"})
        probe = request("GET", bills_path + "/" + "/".join(["a"] * 30))
        request("DELETE", "/_sandbox/faults")
        return "** fault pattern, then a deep path", probe
    if kind == 4:
        return "query of 10,000 (", request("GET", bills_path + deep_query)
    if kind == 5:
        return "declared 300 MiB body", request("POST", f"/companies/{company_id}/connections/{connection_id}/payables/suppliers",
                                                b"{}", {"Content-Type": "application/json", "Content-Length": str(300 * 1024 * 1024)})
    if kind == 6:
        return "1 MiB body without the key", request("POST", "/companies", one_mib, {"Content-Type": "application/json"}, auth=False)
    if kind == 7:
        payment = json.dumps({"amount": 0.01, "date": "2024-06-01T00:00:00", "accountRef": {"id": account_id}, "reference": f"soak {i}"})
        return "payment with a new Idempotency-Key", request("POST", f"{bills_path}/{bill_id}/payment", payment,
                                                             {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())})
    if kind == 8:
        return "512 KiB attachment (quota)", request("POST", f"{bills_path}/{bill_id}/attachments", attachment,
                                                    {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    return "list bills", request("GET", bills_path)


counts = collections.Counter()
failures = []
start = time.time()
for i in range(args.requests):
    kind, (status, _) = hostile(i)
    counts[(kind, status)] += 1
    if isinstance(status, int) and status >= 500 and kind != "list bills":
        failures.append(f"{kind}: {status}")
    if proc.poll() is not None:
        sys.exit(f"sandbox-soak: codat-sandbox exited ({proc.returncode}) after {i + 1} requests")
    if (i + 1) % 1000 == 0:
        # A bounded server plateaus: RSS after each thousand requests.
        print(f"after {i + 1:>6} requests: RSS {memory()['VmRSS']:.1f} MiB ({time.time() - start:.0f} s)", flush=True)
elapsed = time.time() - start
status, _ = request("GET", bills_path)
after = memory()
proc.terminate()
proc.wait(timeout=10)

print(f"{'request':<40} {'status':>12} {'count':>7}")
for (kind, status), count in sorted(counts.items(), key=lambda item: (item[0][0], str(item[0][1]))):
    print(f"{kind:<40} {str(status):>12} {count:>7}")
print(f"{args.requests} requests in {elapsed:.1f} s; still answering: GET bills -> {status}")
print(f"RSS before {before['VmRSS']:.1f} MiB, after {after['VmRSS']:.1f} MiB, peak (VmHWM) {after['VmHWM']:.1f} MiB")
if failures or status != 200:
    sys.exit("sandbox-soak: failed: " + "; ".join(sorted(set(failures))[:10]))
