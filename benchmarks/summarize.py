#!/usr/bin/env python3
"""Reads BenchmarkDotNet's CSV reports (and the identity memory probe's output) and prints each target of the
performance issue next to what was measured. Standard library only.

Usage: python3 benchmarks/summarize.py BenchmarkDotNet.Artifacts/results [memory-probe-output.txt]
"""
import csv
import os
import re
import sys

PERFSPEC_EVENTS = 16_563      # events in tests/fixtures/audit/perfspec_helm_audit.jsonl
DETECTION_REQUESTS = 200_000  # SyntheticRequests.Count
RECORDED_MIX_REQUESTS = 12 * 16_474  # RecordedMixDetectionBenchmarks: 12 copies of the capture's counted requests

UNITS = {"ns": 1e-9, "us": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0}


def seconds(text):
    number, unit = text.replace(",", "").split()
    return float(number) * UNITS[unit]


def size(text):
    number, unit = text.replace(",", "").split()
    return float(number) * {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}[unit]


def report(directory, name):
    path = os.path.join(directory, f"AuditWatch.Benchmarks.{name}-report.csv")
    if not os.path.exists(path):
        return None
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def row(rows, method, **params):
    for r in rows:
        if r["Method"] == method and all(r.get(k) == str(v) for k, v in params.items()):
            return r
    return None


def line(what, measured, target):
    print(f"  {what:<48} {measured:<34} {target}")


def main():
    directory = sys.argv[1]
    print(f"  {'measured':<48} {'value':<34} target")

    decoder = report(directory, "DecoderBenchmarks")
    if decoder:
        bare, decode = row(decoder, "BareTokenScan"), row(decoder, "Decode")
        rate = PERFSPEC_EVENTS / seconds(decode["Mean"])
        line("decoder events/s (PerfSPEC)", f"{rate:,.0f}", "")
        line("decoder rate / bare token scan", f"{seconds(bare['Mean']) / seconds(decode['Mean']):.2f}", ">= 0.85")
        line("decoder bytes per event, every result kept", f"{size(decode['Allocated']) / PERFSPEC_EVENTS:,.0f}", "")
        for part in ("Frame", "Parse"):
            if r := row(decoder, part):
                line(f"  {part.lower()} pass / bare token scan (time)", f"{seconds(r['Mean']) / seconds(bare['Mean']):.2f}", "")

    bodies = report(directory, "WebhookBodyDecoderBenchmarks")
    if bodies:
        bare, decode = row(bodies, "BareTokenScan"), row(bodies, "Decode")
        line("decoder events/s, 400-event webhook bodies", f"{PERFSPEC_EVENTS / seconds(decode['Mean']):,.0f}", "")
        line("  that / bare token scan of the bodies", f"{seconds(bare['Mean']) / seconds(decode['Mean']):.2f}", ">= 0.85")
        line("  bytes per event, a new result list per body", f"{size(decode['Allocated']) / PERFSPEC_EVENTS:,.0f}", "")
        if reused := row(bodies, "DecodeIntoReusedList"):
            line("  bytes per event as the service decodes", f"{size(reused['Allocated']) / PERFSPEC_EVENTS:,.0f}", "<= 64")

    normalization = report(directory, "NormalizationBenchmarks")
    if normalization and (r := row(normalization, "CountAndNormalize")):
        line("count + normalize events/s", f"{PERFSPEC_EVENTS / seconds(r['Mean']):,.0f}", "")

    detection = report(directory, "DetectionBenchmarks")
    if detection:
        for identities in sorted({int(r["Identities"]) for r in detection}):
            baseline = row(detection, "DictionaryUpdate", Identities=identities)
            for method, label in (("DefaultPack", "default pack"), ("BurstRuleOnly", "burst rule alone")):
                r = row(detection, method, Identities=identities)
                if r and baseline:
                    rate = DETECTION_REQUESTS / seconds(r["Mean"])
                    ratio = seconds(baseline["Mean"]) / seconds(r["Mean"])
                    line(f"detection, {label}, {identities} identities", f"{rate:,.0f}/s, {ratio:.2f} x dict", ">= 3,000,000/s, >= 0.5 x dict")

    steady = report(directory, "SteadyDetectionBenchmarks")
    if steady:
        for r in sorted(steady, key=lambda r: int(r["Identities"])):
            if r["Method"] == "DefaultPack":
                rate = DETECTION_REQUESTS / seconds(r["Mean"])
                line(f"detection, default pack, {r['Identities']} tracked", f"{rate:,.0f}/s, {r['Allocated']} per run", ">= 3,000,000/s")

    mix = report(directory, "RecordedMixDetectionBenchmarks")
    if mix:
        baseline, pack = row(mix, "DictionaryUpdate"), row(mix, "DefaultPack")
        if baseline and pack:
            rate = RECORDED_MIX_REQUESTS / seconds(pack["Mean"])
            ratio = seconds(baseline["Mean"]) / seconds(pack["Mean"])
            line("detection, default pack, recorded mix", f"{rate:,.0f}/s, {ratio:.2f} x dict", ">= 3,000,000/s, >= 0.5 x dict")

    ordering = report(directory, "OrderingBenchmarks")
    if ordering and (r := row(ordering, "AddAndRelease")):
        line("event-time ordering, buffer at its cap", f"{2_000_000 / seconds(r['Mean']):,.0f} requests/s", "")

    kafka = report(directory, "KafkaIngestionBenchmarks")
    if kafka:
        bare, source = row(kafka, "BareConsumer"), row(kafka, "KafkaSource")
        if bare and source:
            line("Kafka source messages/s", f"{float(source['Op/s'].replace(',', '')):,.0f}", "")
            line("Kafka source / consume-and-discard", f"{seconds(bare['Mean']) / seconds(source['Mean']):.2f}", ">= 0.5")

    sinks = report(directory, "SinkBenchmarks")
    if sinks:
        for r in sinks:
            line(f"sink {r['Method']} alerts/s", f"{1 / seconds(r['Mean']):,.0f} ({r['Allocated']} per alert)", "")

    metrics = report(directory, "MetricsOverheadBenchmarks")
    if metrics:
        body, observe, scrape = row(metrics, "DecodeBody"), row(metrics, "ObserveRequest"), row(metrics, "Scrape")
        if body and observe:
            line("metrics on the hot path, per request", f"{seconds(observe['Mean']) / seconds(body['Mean']) * 100:.3f} % of decoding its body", "<= 2 %")
        if scrape:
            line("one scrape (every 15 s or so)", f"{seconds(scrape['Mean']) * 1e6:,.0f} us", "")

    if len(sys.argv) > 2 and os.path.exists(sys.argv[2]):
        with open(sys.argv[2], encoding="utf-8") as f:
            for probe in f:
                if m := re.search(r"identities (\d+), (\d+) distinct reads each, ([\d.]+) ms apart: \d+ tracked, (-?\d+) bytes", probe):
                    line(f"memory per identity ({m[1]}), {m[2]} reads, {m[3]} ms", f"{int(m[4]):,} B (state + kept evidence)", "<= 400 B (K = 10, 100,000)")


if __name__ == "__main__":
    main()
