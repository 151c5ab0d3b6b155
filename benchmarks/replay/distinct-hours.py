#!/usr/bin/env python3
"""Writes COPIES copies of an audit log as JSON lines, each shifted by one more hour and with its own audit IDs, so
every copy counts as new requests (plain concatenation would be dropped as redeliveries)."""
import datetime
import json
import sys

TIME_FIELDS = ("requestReceivedTimestamp", "stageTimestamp", "timestamp")


def shifted(value, hours):
    moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00")) + datetime.timedelta(hours=hours)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: distinct-hours.py AUDIT_LOG COPIES > out.jsonl")
    events = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    for copy in range(int(sys.argv[2])):
        for event in events:
            event = dict(event, auditID=f"{copy:04d}-{event['auditID']}")
            for field in TIME_FIELDS:
                if field in event:
                    event[field] = shifted(event[field], copy)
            sys.stdout.write(json.dumps(event, separators=(",", ":")) + "\n")


main()
