#!/usr/bin/env python3
"""Request-to-alert latency of the live service at a given load.

Starts AuditWatch with Detection:AllowedLateness=0 (otherwise alerts wait for the watermark) and its alerts on a pipe,
then posts the make-bodies.py bodies at RATE events per second, paced on a fixed schedule by WORKERS keep-alive
connections. Every body gets fresh audit IDs and the current second as event time; every PROBE_EVERY-th also gets one
extra event that fires the match rule secret-list-cluster-wide at once: a `list /api/v1/secrets` by a user of its own,
mallory-<n>@example.com.
The latency of probe n is from just before its body is sent to the moment the alert line for mallory-<n> is read from
the service's stdout. Probes of the first WARMUP seconds are left out: they hold the start-up (the JIT's second
tier, the collector sizing its generations, the request memory filling). Prints p50/p90/p99, the slowest probes, the
service's runtime pauses by cause (from its /metrics) and a RESULT line.

usage: latency.py --rate EVENTS_PER_S [--duration 30] [--warmup 10] [--bodies DIR] [--workers 16]
                  [--probe-every 4] [--slowest 5] [--service-arg=--Section:Key=value ...]
"""
import argparse
import datetime
import http.client
import itertools
import json
import os
import pathlib
import re
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from prometheus_text import parse_text, total, values  # noqa: E402  (benchmarks/prometheus_text.py)

HERE = pathlib.Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]
EXECUTABLE = REPOSITORY / "src" / "AuditWatch" / "bin" / "Release" / "net10.0" / "AuditWatch"
PROBE_SAMPLE = REPOSITORY / "samples" / "cluster-wide-list.jsonl"
PROBE_RULE = b'"rule":"secret-list-cluster-wide"'
PROBE_USER = re.compile(rb'"user":"mallory-(\d+)@example\.com"')
ID_KEY, ID_WIDTH = b'"auditID":"', 8
TIME_KEY, TIME_WIDTH = b'Timestamp":"', 19


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(base, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"AuditWatch exited with {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("AuditWatch did not become ready")


class Template:
    """A body split at each auditID prefix and timestamp second, with the probe event inserted before its end."""

    def __init__(self, body):
        self.parts, self.ids, self.times = [], [], []
        position = 0
        while True:
            id_at, time_at = body.find(ID_KEY, position), body.find(TIME_KEY, position)
            candidates = [(at, key, width, slots) for at, key, width, slots in
                          ((id_at, ID_KEY, ID_WIDTH, self.ids), (time_at, TIME_KEY, TIME_WIDTH, self.times)) if at >= 0]
            if not candidates:
                break
            at, key, width, slots = min(candidates, key=lambda c: c[0])
            value = at + len(key)
            self.parts.append(body[position:value])
            slots.append(len(self.parts))
            self.parts.append(body[value:value + width])
            position = value + width
        tail = body[position:]
        if not tail.endswith(b"]}"):
            sys.exit("a body does not end with the items array of an EventList")
        self.parts.append(tail[:-2])
        self.probe_slot = len(self.parts)
        self.parts.append(b"")
        self.parts.append(b"]}")

    def render(self, tag, second, probe):
        parts = list(self.parts)
        for slot in self.ids:
            parts[slot] = tag
        for slot in self.times:
            parts[slot] = second
        if probe is not None:
            parts[self.probe_slot] = b"," + probe
        return b"".join(parts)


class Probe:
    def __init__(self, template_event):
        self.event = template_event

    def render(self, number, now):
        stamp = now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        event = dict(self.event, auditID=str(uuid.uuid4()), requestReceivedTimestamp=stamp, stageTimestamp=stamp)
        event["user"] = dict(event["user"], username=f"mallory-{number}@example.com")
        return json.dumps(event, separators=(",", ":")).encode()


def load_probe_event():
    for line in PROBE_SAMPLE.read_text(encoding="utf-8").splitlines():
        if '"mallory@example.com"' in line and '"requestURI":"/api/v1/secrets"' in line:
            event = json.loads(line)
            event.pop("kind", None)
            event.pop("apiVersion", None)
            return event
    sys.exit(f"no cluster-wide Secret list by mallory@example.com in {PROBE_SAMPLE}")


def percentile(sorted_values, fraction):
    """Nearest rank."""
    if not sorted_values:
        return float("nan")
    rank = max(1, int(-(-fraction * len(sorted_values) // 1)))
    return sorted_values[rank - 1]


class Run:
    def __init__(self, args, port, templates, probe):
        self.args, self.port, self.templates, self.probe = args, port, templates, probe
        self.sent = {}      # probe number -> (monotonic send time, counted)
        self.status = {}    # probe number -> HTTP status or exception name
        self.answered = {}  # probe number -> monotonic time its HTTP answer was read
        self.alerted = {}   # probe number -> monotonic time its alert line was read
        self.lock = threading.Lock()
        self.numbers = itertools.count()
        self.bodies_sent = 0

    def read_alerts(self, stdout):
        for line in stdout:
            seen = time.monotonic()
            if PROBE_RULE in line:
                match = PROBE_USER.search(line)
                if match:
                    self.alerted.setdefault(int(match.group(1)), seen)

    def work(self, start, stop, interval):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.args.timeout)
        headers = {"Content-Type": "application/json"}
        while True:
            number = next(self.numbers)
            due = start + number * interval
            if due >= stop:
                break
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            now = datetime.datetime.now(datetime.timezone.utc)
            template = self.templates[number % len(self.templates)]
            probe = self.probe.render(number, now) if number % self.args.probe_every == 0 else None
            body = template.render(f"{number % 0xFFFFFFFF:08x}".encode(), now.strftime("%Y-%m-%dT%H:%M:%S").encode(), probe)
            sent = time.monotonic()
            try:
                connection.request("POST", "/audit", body=body, headers=headers)
                answer = connection.getresponse()
                answer.read()
                status = answer.status
                answered = time.monotonic()
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                answered = time.monotonic()
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.args.timeout)
            with self.lock:
                self.bodies_sent += 1
                if probe is not None:
                    self.sent[number] = (sent, sent >= start + self.args.warmup)
                    self.status[number] = status
                    self.answered[number] = answered
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, required=True, help="events per second to offer (half the measured maximum)")
    parser.add_argument("--duration", type=float, default=30, help="seconds of load, warm-up included (default 30)")
    parser.add_argument("--warmup", type=float, default=10, help="first seconds whose probes are not counted (default 10)")
    parser.add_argument("--bodies", help="make-bodies.py output (default: 40 bodies made in a temporary directory)")
    parser.add_argument("--workers", type=int, default=16, help="concurrent keep-alive connections (default 16)")
    parser.add_argument("--probe-every", type=int, default=4,
                        help="put the probe event into every Nth body (default 4: a few alerts per second, not hundreds)")
    parser.add_argument("--slowest", type=int, default=5, help="list the N slowest probes with their send time (default 5)")
    parser.add_argument("--timeout", type=float, default=10, help="HTTP timeout in seconds (default 10)")
    parser.add_argument("--executable", default=str(EXECUTABLE), help="AuditWatch executable (Release build)")
    parser.add_argument("--rules", default=str(REPOSITORY / "rules"))
    parser.add_argument("--service-arg", action="append", default=[], help="extra AuditWatch argument (repeatable)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="auditwatch-latency-") as work:
        work = pathlib.Path(work)
        bodies = pathlib.Path(args.bodies) if args.bodies else work / "bodies"
        if not args.bodies:
            subprocess.run([sys.executable, str(HERE / "make-bodies.py"), "--bodies", "40", str(bodies)], check=True)
        raw = [path.read_bytes() for path in sorted(bodies.glob("body-*.json"))]
        if not raw:
            sys.exit(f"no body-NNNN.json in {bodies}")
        templates = [Template(body) for body in raw]
        events_per_body = len(json.loads(raw[0])["items"])
        interval = events_per_body / args.rate

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [args.executable, "run", "--urls", base, "--output", "jsonl", "--rules", args.rules,
                   "--Detection:AllowedLateness=00:00:00", f"--Detection:DataDirectory={work / 'data'}",
                   *args.service_arg]
        # As the container image runs it (Dockerfile); DOTNET_TC_CallCountingDelayMs=100 measures the runtime's default.
        environment = dict(os.environ)
        environment.setdefault("DOTNET_TC_CallCountingDelayMs", "0")
        with open(work / "auditwatch.log", "wb") as log:
            service = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, cwd=REPOSITORY, env=environment)
        try:
            wait_ready(base, service)
            run = Run(args, port, templates, Probe(load_probe_event()))
            reader = threading.Thread(target=run.read_alerts, args=(service.stdout,), daemon=True)
            reader.start()
            start = time.monotonic() + 0.5
            stop = start + args.duration
            workers = [threading.Thread(target=run.work, args=(start, stop, interval)) for _ in range(args.workers)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            finished = time.monotonic()
            grace = finished + 5
            while time.monotonic() < grace and any(
                    n not in run.alerted for n, status in run.status.items() if status == 200):
                time.sleep(0.1)
            pauses = runtime_pauses(base)
        finally:
            service.terminate()
            try:
                service.wait(timeout=60)
            except subprocess.TimeoutExpired:
                service.kill()
        report(args, run, start, finished - start, events_per_body, work / "auditwatch.log", pauses)


def runtime_pauses(base):
    """Per cause: how many, their total and how many took over 50 ms, from the service's /metrics."""
    try:
        with urllib.request.urlopen(base + "/metrics", timeout=10) as answer:
            samples = parse_text(answer.read().decode())
    except OSError as error:
        return f"/metrics not read: {error}"
    name = "auditwatch_runtime_pause_seconds"

    def described(cause):
        count = total(samples, name + "_count", cause=cause)
        seconds = total(samples, name + "_sum", cause=cause)
        short = total(samples, name + "_bucket", cause=cause, le="0.05")
        return f"{cause} {count:.0f} ({seconds * 1000:.0f} ms, {count - short:.0f} over 50 ms)"

    return "; ".join(described(cause) for cause in values(samples, name + "_count", "cause")) or "none exported"


def report(args, run, start, elapsed, events_per_body, log, pauses):
    counted = [n for n, (_, measured) in run.sent.items() if measured]
    accepted = [n for n in counted if run.status[n] == 200]
    refused = sum(1 for n in counted if run.status[n] == 429)
    failed = len(counted) - len(accepted) - refused
    latencies = sorted((run.alerted[n] - run.sent[n][0]) * 1000 for n in accepted if n in run.alerted)
    missing = sum(1 for n in accepted if n not in run.alerted)
    achieved = (run.bodies_sent * events_per_body + len(run.sent)) / elapsed
    p50, p90, p99 = (percentile(latencies, f) for f in (0.50, 0.90, 0.99))
    worst = latencies[-1] if latencies else float("nan")
    print(f"request -> alert latency: {events_per_body} PerfSPEC events per body plus a probe in every "
          f"{args.probe_every}th, {args.workers} connections")
    print(f"  offered {args.rate:,.0f} events/s asked, {achieved:,.0f} achieved over {elapsed:.1f} s "
          f"(probes of the first {args.warmup:g} s not counted)")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"  this client used {(usage.ru_utime + usage.ru_stime) / elapsed:.0%} of a core on average (same machine)")
    if achieved < 0.95 * args.rate:
        print("  NOTE: the client fell behind its schedule (the service answered too slowly, or Python lacked CPU)")
    print(f"  probes counted: {len(counted)}; accepted {len(accepted)}, 429 {refused}, other/errors {failed}, "
          f"accepted without alert {missing}")
    print(f"  p50 {p50:.1f} ms   p90 {p90:.1f} ms   p99 {p99:.1f} ms   max {worst:.1f} ms   (target p99 <= 50 ms)")
    slowest = sorted(accepted, key=lambda n: run.sent[n][0] - run.alerted.get(n, float("inf")))[:args.slowest]
    if slowest:
        # A slow HTTP answer means the service stalled taking the body in; a fast answer and a late alert, after it.
        print(f"  slowest {len(slowest)}: sent at +s, HTTP answer after ms, alert after ms")
        for n in sorted(slowest, key=lambda n: run.sent[n][0]):
            sent = run.sent[n][0]
            alert = f"{(run.alerted[n] - sent) * 1000:8.1f}" if n in run.alerted else "    none"
            print(f"    +{sent - start:6.2f}  {(run.answered[n] - sent) * 1000:8.1f}  {alert}")
    print(f"  runtime pauses, the whole run (auditwatch_runtime_pause_seconds): {pauses}")
    if failed or missing:
        print("  last lines of the service's log:")
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines()[-10:]:
            print("    " + line)
    print(f"RESULT p50_ms={p50:.1f} p90_ms={p90:.1f} p99_ms={p99:.1f} max_ms={worst:.1f} probes={len(accepted)} "
          f"refused={refused} failed={failed} missing={missing} achieved_events_per_s={achieved:.0f}")


if __name__ == "__main__":
    main()
