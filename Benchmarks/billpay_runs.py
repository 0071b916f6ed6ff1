#!/usr/bin/env python3
"""Payment runs of `billpay` against `codat-sandbox` started as its own process (so that it
survives a `billpay` killed with SIGKILL), checked against the sandbox's ledger (its ground
truth: `GET /_sandbox/companies/{id}/syncBillPayments`).

    python3 Benchmarks/billpay_runs.py crash   [--runs 20] [--intents 500] [--seed N]
    python3 Benchmarks/billpay_runs.py workers [--workers 2,4] [--intents 1000]   (PostgreSQL)
    python3 Benchmarks/billpay_runs.py limits  [--intents 500]
    python3 Benchmarks/billpay_runs.py bench   [--intents 500]                   (Benchmarks/payment-run.sh)
    python3 Benchmarks/billpay_runs.py capture [--intents 300] [--out FILE]      (tmux)

Builds `billpay` and `codat-sandbox` in the package's .build (debug; BILLPAY_CONFIGURATION=release
for a release build) unless BILLPAY_BIN_DIR names a folder that holds both. Scratch files go to
.build/billpay-runs/ (git-ignored).
"""
import argparse
import base64
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRATCH = os.path.join(ROOT, ".build", "billpay-runs")
API_KEY = "billpay-runs-key"


def log(*parts):
    print(*parts, flush=True)


# MARK: Building

def binaries():
    """The folder holding `billpay` and `codat-sandbox`, built if needed."""
    given = os.environ.get("BILLPAY_BIN_DIR")
    if given:
        return given
    configuration = os.environ.get("BILLPAY_CONFIGURATION", "debug")
    for product in ("codat-sandbox", "billpay"):
        log(f"building {product} ({configuration}) ...")
        result = subprocess.run(["swift", "build", "-c", configuration, "--product", product], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            sys.exit(f"swift build --product {product} failed:\n{result.stdout[-4000:]}")
    return subprocess.run(["swift", "build", "-c", configuration, "--show-bin-path"], cwd=ROOT,
                          stdout=subprocess.PIPE, text=True, check=True).stdout.strip()


# MARK: The sandbox, as its own process

class Sandbox:
    def __init__(self, bin_dir, bills, write_processing_ms=0, push_delay_ms=300):
        self.process = subprocess.Popen(
            [os.path.join(bin_dir, "codat-sandbox"), "--quiet", "--api-key", API_KEY, "--extra-bills", str(bills),
             "--write-processing-ms", str(write_processing_ms), "--push-delay-ms", str(push_delay_ms)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on "):
            self.process.kill()
            sys.exit(f"codat-sandbox did not start: {line!r} {self.process.stderr.read()[-2000:]}")
        self.url = line[len("listening on "):]
        self.auth = "Basic " + base64.b64encode(API_KEY.encode()).decode()
        info = self.control("GET", "")
        xero = next(c for c in info["companies"] if c.get("platformName") == "Xero")
        self.company = xero["id"]
        self.currency = xero["baseCurrency"]

    def control(self, method, path, body=None):
        request = urllib.request.Request(self.url + "/_sandbox" + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": self.auth, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            data = answer.read()
            return json.loads(data) if data else None

    def records(self, collection):
        return self.control("GET", f"/companies/{self.company}/{collection}")

    def reset(self):
        self.control("DELETE", "/faults")
        self.control("POST", "/reset")

    def fault(self, fault, probability=None, operation=None, remaining=None):
        rule = {"fault": fault}
        if probability is not None:
            rule["probability"] = probability
        if operation:
            rule["operation"] = operation
        if remaining:
            rule["remaining"] = remaining
        return self.control("POST", "/faults", rule)

    def advance_clock(self, seconds):
        self.control("POST", "/clock", {"advanceSeconds": seconds})

    def rate_limits(self):
        return self.control("GET", "/rate-limits")["companies"].get(self.company, {"maxConcurrentRequests": 0, "refusedForConcurrency": 0})

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# MARK: Plans and the ledger

def write_plan(sandbox, path, intents, prefix):
    """One intent per generated bill (the sync API: one payment of 10.00 each), in bills whose
    currency has an active bank account."""
    accounts = {}
    for account in sandbox.records("accounts"):
        if account.get("isBankAccount") and account.get("status", "Active") == "Active" and account.get("currency"):
            accounts.setdefault(account["currency"], account["id"])
    bills = [b for b in sandbox.records("bills") if b["id"].startswith("gen-bill-") and b.get("currency") in accounts]
    bills.sort(key=lambda b: b["id"])
    if len(bills) < intents:
        sys.exit(f"the sandbox has {len(bills)} payable generated bills, {intents} needed")
    plan = []
    with open(path, "w") as out:
        out.write("intent,bill,amount,account,date,reference\n")
        for bill in bills[:intents]:
            intent = f"{prefix}-{bill['id']}"
            out.write(f"{intent},{bill['id']},10.00,{accounts[bill['currency']]},2024-06-01,{prefix}\n")
            plan.append((intent, bill["id"]))
    return plan


def ledger(sandbox, plan):
    """recorded, duplicates, lost: payments per planned bill in the sandbox's ground truth."""
    per_bill = {}
    for payment in sandbox.records("syncBillPayments"):
        per_bill[payment.get("billId")] = per_bill.get(payment.get("billId"), 0) + 1
    recorded = duplicates = lost = 0
    for _, bill in plan:
        got = per_bill.get(bill, 0)
        recorded += min(got, 1)
        duplicates += max(got - 1, 0)
        lost += 1 if got == 0 else 0
    return recorded, duplicates, lost


# MARK: Running billpay

def billpay(bin_dir, sandbox, *arguments, journal=None, extra=()):
    command = [os.path.join(bin_dir, "billpay"), *arguments, "--server", sandbox.url, "--api-key", API_KEY, "--commit",
               "--company", sandbox.company, "--json"]
    if journal:
        command += ["--journal", journal]
    return command + list(extra)


def run_json(command, timeout=900):
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    events = []
    for line in result.stdout.splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            pass
    return result.returncode, events, result.stderr


def summary(events):
    return next((e for e in reversed(events) if e.get("event") == "summary"), {})


def status(bin_dir, journal):
    code, events, err = run_json([os.path.join(bin_dir, "billpay"), "status", "--journal", journal, "--json"])
    return summary(events)


def resume_until_settled(bin_dir, sandbox, journal, plan_path, rounds=6):
    """`billpay resume` until it exits 0 (`billpay run PLAN` again when the kill came before the
    run was written to the journal); unknown outcomes past the idempotency window (90 minutes,
    CODAT-FACTS §1) need sandbox time, so the clock is advanced between rounds."""
    code = None
    for round in range(rounds):
        planned = bool(status(bin_dir, journal))
        command = billpay(bin_dir, sandbox, "resume", journal=journal) if planned else billpay(bin_dir, sandbox, "run", plan_path, journal=journal)
        code, events, err = run_json(command)
        if code == 0:
            return code, round + 1
        if code not in (2, 3):
            log(f"  billpay resume exited {code}: {err.strip()[-800:]}")
        if code == 2:
            return code, round + 1
        sandbox.advance_clock(2 * 3600)
    return code, rounds


# MARK: Commands

def crash(args):
    bin_dir = binaries()
    rng = random.Random(args.seed)
    os.makedirs(SCRATCH, exist_ok=True)
    sandbox = Sandbox(bin_dir, bills=args.intents * 2 + 10, write_processing_ms=args.write_ms)
    log(f"crash test: {args.runs} runs of {args.intents} intents, sandbox {sandbox.url}, seed {args.seed}")
    header = f"{'run':>3} {'intents':>7} {'recorded':>8} {'duplicates':>10} {'lost':>4} {'resumed-in-flight':>17} {'killed-after':>12} {'resumes':>7} {'exit':>4}"
    log(header)
    totals = {"recorded": 0, "duplicates": 0, "lost": 0, "in_flight": 0}
    failed = False
    try:
        for run in range(1, args.runs + 1):
            sandbox.reset()
            # Random faults on the payments (lost answers, cut answers, 5XX before and after the
            # write), and 429 bursts on every request.
            for fault, top in (({"type": "dropAfterProcessing"}, 0.06), ({"type": "truncateAfterProcessing"}, 0.04),
                               ({"type": "dropBeforeProcessing"}, 0.04), ({"type": "status", "status": 500}, 0.03),
                               ({"type": "statusAfterProcessing", "status": 502}, 0.03)):
                sandbox.fault(fault, probability=round(rng.uniform(0, top), 3), operation="sync.create-bill-payment")
            sandbox.fault({"type": "status", "status": 429, "retryAfter": 0}, probability=round(rng.uniform(0, 0.02), 3))
            plan_path = os.path.join(SCRATCH, f"crash-{run}.csv")
            journal = os.path.join(SCRATCH, f"crash-{run}.sqlite")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(journal + suffix):
                    os.remove(journal + suffix)
            plan = write_plan(sandbox, plan_path, args.intents, f"crash{run}")
            process = subprocess.Popen(billpay(bin_dir, sandbox, "run", plan_path, journal=journal),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            delay = rng.uniform(0.3, args.kill_within)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
            before = status(bin_dir, journal)
            in_flight = before.get("inFlight", 0) + before.get("unknown", 0)
            code, resumes = resume_until_settled(bin_dir, sandbox, journal, plan_path)
            recorded, duplicates, lost = ledger(sandbox, plan)
            totals["recorded"] += recorded
            totals["duplicates"] += duplicates
            totals["lost"] += lost
            totals["in_flight"] += in_flight
            failed = failed or duplicates or lost or code != 0
            log(f"{run:>3} {len(plan):>7} {recorded:>8} {duplicates:>10} {lost:>4} {in_flight:>17} {delay:>11.2f}s {resumes:>7} {code:>4}")
    finally:
        sandbox.stop()
    log(f"all {args.runs} runs: {args.runs * args.intents} intents, {totals['recorded']} recorded, {totals['duplicates']} duplicates, "
        f"{totals['lost']} lost, {totals['in_flight']} resumed in flight")
    sys.exit(1 if failed else 0)


def fresh_journal(name):
    os.makedirs(SCRATCH, exist_ok=True)
    journal = os.path.join(SCRATCH, name)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(journal + suffix):
            os.remove(journal + suffix)
    return journal


def timed_run(bin_dir, sandbox, plan_path, journal, concurrency):
    started = time.monotonic()
    code, events, err = run_json(billpay(bin_dir, sandbox, "run", plan_path, journal=journal,
                                         extra=("--concurrency", str(concurrency))))
    return code, time.monotonic() - started, summary(events), err


def limits(args):
    """At most 10 requests in progress per company (the sandbox counts them), and a run that
    finishes despite bursts of 429 (CODAT-FACTS §3)."""
    bin_dir = binaries()
    sandbox = Sandbox(bin_dir, bills=args.intents * 2 + 10, write_processing_ms=args.write_ms)
    try:
        plan_path = os.path.join(SCRATCH, "limits.csv")
        os.makedirs(SCRATCH, exist_ok=True)
        plan = write_plan(sandbox, plan_path, args.intents, "limits")
        journal = fresh_journal("limits.sqlite")
        # Output to a file: a pipe nobody reads while the run goes would fill and stop it.
        out_path = os.path.join(SCRATCH, "limits.jsonl")
        process = subprocess.Popen(billpay(bin_dir, sandbox, "run", plan_path, journal=journal, extra=("--concurrency", "10")),
                                   stdout=open(out_path, "w"), stderr=subprocess.PIPE, text=True)
        bursts = 0
        time.sleep(2)  # the run connects and plans first
        while process.poll() is None:
            # A burst: for one second, half of all requests get 429 with Retry-After: 1.
            rule = sandbox.fault({"type": "status", "status": 429, "retryAfter": 1}, probability=0.5)
            bursts += 1
            time.sleep(1)
            sandbox.control("DELETE", f"/faults/{rule['id']}")
            time.sleep(args.burst_every)
        err = process.stderr.read()
        process.wait()
        events = events_of(out_path)
        counts = sandbox.rate_limits()
        recorded, duplicates, lost = ledger(sandbox, plan)
        fired = sum(1 for e in events if e.get("event") == "rate-limited")
        log(f"limits: {args.intents} intents at --concurrency 10; {bursts} bursts (1 s each, every {args.burst_every:g} s) in which half of all requests got 429 with Retry-After: 1; "
            f"{fired} rate-limited events")
        log(f"  billpay run exit {process.returncode}; recorded events {sum(1 for e in events if e.get('event') == 'recorded')}")
        log(f"  sandbox: most requests in progress at once for the company {counts['maxConcurrentRequests']} (limit 10); "
            f"refused for concurrency {counts['refusedForConcurrency']}")
        log(f"  ledger: recorded {recorded}, duplicates {duplicates}, lost {lost}")
        ok = process.returncode == 0 and counts["maxConcurrentRequests"] <= 10 and counts["refusedForConcurrency"] == 0 \
            and duplicates == 0 and lost == 0 and recorded == len(plan)
        if not ok:
            log("  FAILED" + (f": {err.strip()[-800:]}" if err.strip() else ""))
        sys.exit(0 if ok else 1)
    finally:
        sandbox.stop()


def bench(args):
    """Throughput of a run at concurrency 1 and 10, side by side."""
    bin_dir = binaries()
    sandbox = Sandbox(bin_dir, bills=args.intents * 2 + 10, write_processing_ms=args.write_ms)
    rows = []
    try:
        for concurrency in (1, 10):
            sandbox.reset()
            plan_path = os.path.join(SCRATCH, f"bench-{concurrency}.csv")
            os.makedirs(SCRATCH, exist_ok=True)
            plan = write_plan(sandbox, plan_path, args.intents, f"bench{concurrency}")
            code, seconds, result, err = timed_run(bin_dir, sandbox, plan_path, fresh_journal(f"bench-{concurrency}.sqlite"), concurrency)
            recorded, duplicates, lost = ledger(sandbox, plan)
            if code != 0 or recorded != len(plan):
                sys.exit(f"the run at concurrency {concurrency} exited {code} with {recorded} of {len(plan)} recorded: {err.strip()[-800:]}")
            rows.append((concurrency, len(plan), seconds, len(plan) / seconds, sandbox.rate_limits()["maxConcurrentRequests"]))
    finally:
        sandbox.stop()
    configuration = os.environ.get("BILLPAY_CONFIGURATION", "debug") if not os.environ.get("BILLPAY_BIN_DIR") else "given binaries"
    log(f"billpay run, {args.intents} intents (sync API), sandbox write time {args.write_ms} ms, {configuration} build; wall time of the process")
    log(f"{'concurrency':>11} {'intents':>7} {'seconds':>8} {'intents/s':>9} {'max in progress':>15}")
    for concurrency, intents, seconds, rate, peak in rows:
        log(f"{concurrency:>11} {intents:>7} {seconds:>8.2f} {rate:>9.1f} {peak:>15}")
    log(f"ratio (10 / 1): {rows[1][3] / rows[0][3]:.2f}x")


def capture(args):
    """A tmux capture of `billpay run` with its progress bar, mid-run and at the end."""
    if not shutil.which("tmux"):
        sys.exit("tmux is not installed")
    bin_dir = binaries()
    sandbox = Sandbox(bin_dir, bills=args.intents * 2 + 10, write_processing_ms=args.write_ms)
    session = f"billpay-capture-{os.getpid()}"
    try:
        plan_path = os.path.join(SCRATCH, "capture.csv")
        os.makedirs(SCRATCH, exist_ok=True)
        plan = write_plan(sandbox, plan_path, args.intents, "capture")
        sandbox.fault({"type": "statusAfterProcessing", "status": 502}, probability=0.02, operation="sync.create-bill-payment")
        sandbox.fault({"type": "status", "status": 422}, probability=0.01, operation="sync.create-bill-payment")
        journal = fresh_journal("capture.sqlite")
        command = [c for c in billpay(bin_dir, sandbox, "run", plan_path, journal=journal, extra=("--concurrency", "4")) if c != "--json"]
        subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "150", "-y", "30", "-e", f"KEY={API_KEY}"], check=True)
        shown = " ".join(command).replace(API_KEY, '"$KEY"')
        subprocess.run(["tmux", "send-keys", "-t", session, f"clear; {shown}; echo exit status $?", "Enter"], check=True)
        time.sleep(args.mid)
        middle = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], stdout=subprocess.PIPE, text=True).stdout
        deadline = time.time() + 600
        end = middle
        while time.time() < deadline and "exit status" not in end:
            time.sleep(1)
            end = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], stdout=subprocess.PIPE, text=True).stdout
        text = ("--- mid-run (" + f"{args.mid:.0f} s in) ---\n" + middle.rstrip() + "\n--- at the end ---\n" + end.rstrip() + "\n")
        text = text.replace(API_KEY, "$KEY")
        out = args.out or os.path.join(SCRATCH, "progress-capture.txt")
        with open(out, "w") as f:
            f.write(text)
        log(text)
        log(f"saved to {out}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sandbox.stop()


def start_postgres():
    """payment-run's throwaway PostgreSQL (Tests/postgres/start-postgres.sh): (url, folder)."""
    result = subprocess.run(["bash", os.path.join(ROOT, "Tests", "postgres", "start-postgres.sh"), "start"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"PostgreSQL could not be started (exit {result.returncode}): {result.stderr.strip()}")
    values = dict(line.split("=", 1) for line in result.stdout.split() if "=" in line)
    return f"postgres://billpay@127.0.0.1:{values['BILLPAY_POSTGRES_PORT']}/billpay", values["BILLPAY_POSTGRES_DIR"]


def stop_postgres(folder):
    subprocess.run(["bash", os.path.join(ROOT, "Tests", "postgres", "start-postgres.sh"), "stop", folder],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def events_of(path):
    events = []
    with open(path) as f:
        for line in f:
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
    return events


def workers(args):
    """N worker processes share one PostgreSQL journal and one run; one is killed midway and
    its claims are taken over once its leases run out."""
    bin_dir = binaries()
    url, folder = start_postgres()
    sandbox = Sandbox(bin_dir, bills=args.intents * 2 + 10, write_processing_ms=args.write_ms)
    failed = False
    try:
        for count in [int(n) for n in args.workers.split(",")]:
            sandbox.reset()
            os.makedirs(SCRATCH, exist_ok=True)
            run_id = f"workers-{count}-{os.getpid()}"
            plan_path = os.path.join(SCRATCH, f"workers-{count}.csv")
            plan = write_plan(sandbox, plan_path, args.intents, f"w{count}")
            # Codat's 10 requests in progress per company are shared by every worker.
            share = max(1, 10 // count)
            processes = []
            for n in range(1, count + 1):
                out = os.path.join(SCRATCH, f"workers-{count}-w{n}.jsonl")
                command = billpay(bin_dir, sandbox, "run", plan_path, journal=url,
                                  extra=("--run-id", run_id, "--worker", f"w{n}", "--lease-seconds", str(args.lease),
                                         "--concurrency", str(share), "--company-requests", str(share)))
                processes.append((f"w{n}", subprocess.Popen(command, stdout=open(out, "w"), stderr=open(out + ".stderr", "w"), text=True), out))
            # Kill the first worker once a third of the intents are recorded.
            killed_at = None
            while killed_at is None and all(p.poll() is None for _, p, _ in processes):
                recorded = len(sandbox.records("syncBillPayments"))
                if recorded >= args.intents // 3:
                    processes[0][1].send_signal(signal.SIGKILL)
                    killed_at = recorded
                time.sleep(0.1)
            rows = []
            for name, process, out in processes:
                process.wait(timeout=900)
                events = events_of(out)
                end = summary(events)
                rows.append((name, process.returncode, sum(1 for e in events if e.get("event") == "recorded"),
                             end.get("resumedInFlight", "-"), "killed" if name == "w1" and killed_at is not None else ""))
            recorded, duplicates, lost = ledger(sandbox, plan)
            limits = sandbox.rate_limits()
            log(f"{count} workers, {args.intents} intents, one PostgreSQL journal, run {run_id}, lease {args.lease} s, "
                f"{share} intents and {share} requests at once per worker; w1 killed with SIGKILL at {killed_at} recorded")
            log(f"  {'worker':<6} {'exit':>4} {'recorded':>8} {'resumed-in-flight':>17}")
            for name, code, share_recorded, resumed, note in rows:
                log(f"  {name:<6} {code:>4} {share_recorded:>8} {resumed:>17} {note}")
            log(f"  ledger: recorded {recorded}, duplicates {duplicates}, lost {lost}; sum of shares {sum(r[2] for r in rows)}; "
                f"most requests in progress for the company {limits['maxConcurrentRequests']}, refused for concurrency {limits['refusedForConcurrency']}")
            failed = failed or duplicates or lost or recorded != len(plan) or any(code != 0 for name, code, *_ in rows if name != "w1")
    finally:
        sandbox.stop()
        stop_postgres(folder)
    sys.exit(1 if failed else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("crash", help="SIGKILL billpay run at a random moment, resume, check the ledger")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--intents", type=int, default=500)
    p.add_argument("--seed", type=int, default=12)
    p.add_argument("--kill-within", type=float, default=6.0, help="kill at a random moment in this many seconds")
    p.add_argument("--write-ms", type=int, default=5, help="time the sandbox spends on each write")
    p.set_defaults(run=crash)
    p = commands.add_parser("workers", help="2 and 4 workers share a PostgreSQL journal; one killed midway")
    p.add_argument("--workers", default="2,4")
    p.add_argument("--intents", type=int, default=1000)
    p.add_argument("--lease", type=int, default=5, help="lease seconds (a killed worker's claims are taken over after it)")
    p.add_argument("--write-ms", type=int, default=5)
    p.set_defaults(run=workers)
    p = commands.add_parser("limits", help="at most 10 requests in progress per company; the run finishes despite 429 bursts")
    p.add_argument("--intents", type=int, default=500)
    p.add_argument("--write-ms", type=int, default=20)
    p.add_argument("--burst-every", type=float, default=3.0, help="seconds between bursts of 429")
    p.set_defaults(run=limits)
    p = commands.add_parser("bench", help="throughput at concurrency 1 and 10")
    p.add_argument("--intents", type=int, default=500)
    p.add_argument("--write-ms", type=int, default=20, help="time the sandbox spends on each write (Codat's is longer)")
    p.set_defaults(run=bench)
    p = commands.add_parser("capture", help="tmux capture of billpay run's progress bar")
    p.add_argument("--intents", type=int, default=300)
    p.add_argument("--write-ms", type=int, default=40)
    p.add_argument("--mid", type=float, default=4.0, help="seconds into the run of the first capture")
    p.add_argument("--out", help="where to save it (default .build/billpay-runs/progress-capture.txt)")
    p.set_defaults(run=capture)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
