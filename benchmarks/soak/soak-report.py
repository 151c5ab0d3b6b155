#!/usr/bin/env python3
"""Reads the /metrics pages soak.sh sampled and says whether the soak held: memory flat, tracked state and queues
within their bounds, accounting balanced, the offered rate sustained. Standard library only. Exit status 1 on a failed
check."""
import argparse
import csv
import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from prometheus_text import parse, total, values  # noqa: E402  (benchmarks/prometheus_text.py)


def accounting(s):
    """The same balances as the integration tests' AccountingCheck; returns the ones that do not hold."""
    problems = []

    def check(name, left, right):
        if left != right:
            problems.append(f"{name}: {left:.0f} != {right:.0f}")

    for source in values(s, "auditwatch_events_received_total", "source"):
        check(f"received{{{source}}} = decoded + rejected", total(s, "auditwatch_events_received_total", source=source),
              total(s, "auditwatch_events_decoded_total", source=source) + total(s, "auditwatch_events_rejected_total", source=source))
    check("decoded + replayed = requests + stages ignored + handed back + forwarded + queued",
          total(s, "auditwatch_events_decoded_total") + total(s, "auditwatch_events_replayed_total"),
          total(s, "auditwatch_requests_total") + total(s, "auditwatch_stages_ignored_total") + total(s, "auditwatch_events_handed_back_total")
          + total(s, "auditwatch_kafka_produced_total") + total(s, "auditwatch_queue_depth_events"))
    check("requests = evaluated + late + abandoned + waiting", total(s, "auditwatch_requests_total"),
          total(s, "auditwatch_requests_evaluated_total") + total(s, "auditwatch_late_events_total")
          + total(s, "auditwatch_requests_abandoned_total") + total(s, "auditwatch_requests_waiting"))
    check("alert notices = routed + unrouted + silenced", total(s, "auditwatch_alerts_total"),
          total(s, "auditwatch_alerts_routed_total") + total(s, "auditwatch_alerts_unrouted_total") + total(s, "auditwatch_alerts_silenced_total"))
    for sink in values(s, "auditwatch_sink_alerts_routed_total", "sink"):
        check(f"notices for {sink}", total(s, "auditwatch_sink_alerts_routed_total", sink=sink),
              total(s, "auditwatch_sink_alerts_ended_total", sink=sink) + total(s, "auditwatch_sink_alerts_pending", sink=sink))
    in_flight = total(s, "auditwatch_queue_depth_events") + total(s, "auditwatch_requests_waiting") + total(s, "auditwatch_sink_alerts_pending")
    if in_flight:
        problems.append(f"still in flight at the end: {in_flight:.0f}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--metrics", required=True, help="directory of sampled pages named by elapsed seconds")
    parser.add_argument("--final", required=True, help="the page taken after the load and a quiet minute")
    parser.add_argument("--log", required=True, help="the service's stderr")
    parser.add_argument("--wrk", required=True, help="wrk's output with its RESULT line")
    parser.add_argument("--csv", required=True, help="where to write the samples as CSV")
    parser.add_argument("--rate", type=float, required=True, help="events/s offered")
    parser.add_argument("--exit-code", type=int, default=0, help="AuditWatch's exit code after SIGTERM")
    parser.add_argument("--growth", type=float, default=0.10, help="allowed growth of the peak from the middle to the last third")
    args = parser.parse_args()

    columns = ["elapsed_s", "rss_mb", "managed_heap_mb", "queue_depth", "queue_capacity", "requests_waiting",
               "tracked_groups", "group_evictions", "events_decoded", "batches_refused", "requests", "late", "alerts", "gen2_collections"]
    rows = []
    for name in sorted(os.listdir(args.metrics)):
        s = parse(os.path.join(args.metrics, name))
        if not s:
            continue
        rows.append([int(name.split(".")[0]),
                     total(s, "process_working_set_bytes") / 2**20,
                     total(s, "dotnet_total_memory_bytes") / 2**20,
                     total(s, "auditwatch_queue_depth_events"),
                     total(s, "auditwatch_queue_capacity_events"),
                     total(s, "auditwatch_requests_waiting"),
                     total(s, "auditwatch_tracked_groups"),
                     total(s, "auditwatch_group_evictions_total"),
                     total(s, "auditwatch_events_decoded_total"),
                     total(s, "auditwatch_batches_refused_total"),
                     total(s, "auditwatch_requests_total"),
                     total(s, "auditwatch_late_events_total"),
                     total(s, "auditwatch_alerts_total"),
                     total(s, "dotnet_collection_count_total", generation="2")])
    with open(args.csv, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)

    failures = []
    if len(rows) < 6:
        print(f"only {len(rows)} samples: too short to judge", file=sys.stderr)
        return 1
    third = len(rows) // 3
    middle, last = rows[third:2 * third], rows[2 * third:]
    for column, label in ((1, "working set (RSS)"), (2, "managed heap")):
        peak_middle, peak_last = max(r[column] for r in middle), max(r[column] for r in last)
        growth = peak_last / peak_middle - 1
        print(f"{label}: peak {peak_middle:.0f} MB in the middle third, {peak_last:.0f} MB in the last ({growth:+.1%}); "
              f"min/max over the run {min(r[column] for r in rows):.0f}/{max(r[column] for r in rows):.0f} MB")
        if growth > args.growth:
            failures.append(f"{label} grew {growth:+.1%} from the middle to the last third")
    over = [r for r in rows if r[3] > r[4]]
    if over:
        failures.append(f"queue depth over its capacity in {len(over)} samples")
    print(f"queue depth: max {max(r[3] for r in rows):.0f} of {rows[0][4]:.0f}; requests waiting: max {max(r[5] for r in rows):.0f}; "
          f"tracked groups: max {max(r[6] for r in rows):.0f}, evictions {rows[-1][7]:.0f}")

    result = next((line[len("RESULT "):] for line in open(args.wrk, encoding="utf-8") if line.startswith("RESULT ")), "")
    fields = dict(item.split("=", 1) for item in result.split())
    duration = float(fields.get("duration_s", "0") or 0)
    acked = float(fields.get("acked_events", "0") or 0)
    achieved = acked / duration if duration else 0
    print(f"load: {achieved:,.0f} events/s acknowledged of {args.rate:,.0f} offered over {duration:.0f} s; "
          f"answers 200: {fields.get('s200')}, 429: {fields.get('s429')}, other: {fields.get('other')}, timeouts: {fields.get('timeouts')}")
    if achieved < 0.95 * args.rate:
        failures.append(f"the offered rate was not sustained ({achieved:,.0f} of {args.rate:,.0f} events/s)")
    if float(fields.get("timeouts", "0") or 0) > 0:
        failures.append("requests timed out")
    if float(fields.get("other", "0") or 0) > 0:
        failures.append("answers other than 200 and 429")
    if args.exit_code != 0:
        failures.append(f"AuditWatch exited with {args.exit_code} after SIGTERM")

    problems = accounting(parse(args.final))
    print("accounting from /metrics: " + ("balanced, nothing in flight" if not problems else "; ".join(problems)))
    failures.extend(problems)
    stop = [line for line in open(args.log, encoding="utf-8") if "accounting at stop" in line]
    if not stop or "does not balance" in stop[-1]:
        failures.append("the service's accounting at stop is missing or does not balance: " + (stop[-1].strip() if stop else "no line"))
    else:
        print("accounting at stop: " + stop[-1].split("accounting at stop: ", 1)[1].strip())

    print("SOAK " + ("PASSED" if not failures else "FAILED: " + "; ".join(failures)))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
