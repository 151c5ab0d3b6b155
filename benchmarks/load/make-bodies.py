#!/usr/bin/env python3
"""Writes audit webhook bodies for the load scripts: BODIES EventLists of EVENTS events each, cut from the real
PerfSPEC capture (copied as often as needed), every copy with its own audit IDs and all requests re-timed at RATE
requests per second of event time from START, in the capture's order.

Each body is what the apiserver's webhook backend sends: an audit.k8s.io/v1 EventList whose items carry no kind and
apiVersion. Every event's auditID has the UUID shape and the two timestamps are "YYYY-MM-DDTHH:MM:SS.ffffffZ" with
the stage time in the same whole second as the receive time: webhook.lua and latency.py rely on both when they stamp
fresh IDs and the current second into a body (the first 8 characters of each auditID, the first 19 of each time).

usage: make-bodies.py [--bodies 150] [--events 400] [--rate 2000] [--start now|ISO-8601] [--source FILE] OUT_DIR
"""
import argparse
import datetime
import hashlib
import json
import os
import pathlib

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
PERFSPEC = REPOSITORY / "tests" / "fixtures" / "audit" / "perfspec_helm_audit.jsonl"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def parse_time(value):
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def fresh_id(copy, audit_id):
    """A new UUID-shaped ID per copy; the stages of one request keep sharing theirs."""
    digest = hashlib.md5(f"{copy}:{audit_id}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def retimed(events, start, rate):
    """Yields the events of endless copies, each request received 1/rate s after the previous one."""
    step = datetime.timedelta(seconds=1 / rate)
    request_index = 0
    copy = 0
    while True:
        times = {}
        for original in events:
            event = dict(original)
            event.pop("kind", None)
            event.pop("apiVersion", None)
            key = original["auditID"]
            if key not in times:
                times[key] = start + request_index * step
                request_index += 1
            received = times[key]
            # The stage time keeps its distance from the receive time but stays in the same whole second.
            lag = parse_time(original["stageTimestamp"]) - parse_time(original["requestReceivedTimestamp"])
            second_end = received.replace(microsecond=999_999)
            stage = min(max(received + lag, received), second_end)
            event["auditID"] = fresh_id(copy, key)
            event["requestReceivedTimestamp"] = received.strftime(TIME_FORMAT)
            event["stageTimestamp"] = stage.strftime(TIME_FORMAT)
            yield event
        copy += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--bodies", type=int, default=150, help="number of bodies (default 150)")
    parser.add_argument("--events", type=int, default=400, help="events per body (default 400, the apiserver's batch)")
    parser.add_argument("--rate", type=float, default=2000,
                        help="requests per second of event time (default 2000: 150 bodies span 30 s, inside the "
                             "10 min in which the service recognises redeliveries)")
    parser.add_argument("--start", default="now", help="event time of the first request (default: now)")
    parser.add_argument("--source", default=str(PERFSPEC), help="audit log, one JSON event per line (default PerfSPEC)")
    args = parser.parse_args()

    start = datetime.datetime.now(datetime.timezone.utc) if args.start == "now" else parse_time(args.start)
    with open(args.source, encoding="utf-8") as source:
        events = [json.loads(line) for line in source if line.strip()]
    out = pathlib.Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stream = retimed(events, start, args.rate)
    last = None
    for index in range(args.bodies):
        items = [next(stream) for _ in range(args.events)]
        last = items[-1]["requestReceivedTimestamp"]
        body = {"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "metadata": {}, "items": items}
        path = out / f"body-{index:04d}.json"
        path.write_text(json.dumps(body, separators=(",", ":")), encoding="utf-8")
    manifest = {
        "bodies": args.bodies,
        "eventsPerBody": args.events,
        "firstEventTime": start.strftime(TIME_FORMAT),
        "lastEventTime": last,
        "bytes": sum(os.path.getsize(out / f"body-{i:04d}.json") for i in range(args.bodies)),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"{args.bodies} bodies of {args.events} events ({manifest['bytes'] / args.bodies / 1024:.0f} KiB each) "
          f"in {out}, event times {manifest['firstEventTime']} .. {last}")


if __name__ == "__main__":
    main()
