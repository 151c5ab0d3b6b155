#!/usr/bin/env bash
# Runs every benchmark of benchmarks/ (BenchmarkDotNet: decoder, normalization, detection with an identity sweep,
# Kafka ingestion on the mock cluster, sinks), the identity memory probe and, unless LOAD=0, the webhook load scripts,
# then prints each target next to what was measured. Nothing else should run on the machine meanwhile.
#   JOB=short|dry|default (BenchmarkDotNet job, default short)   LOAD=0 (skip benchmarks/load/webhook-load.sh)
set -euo pipefail
JOB=${JOB:-short}
LOAD=${LOAD:-1}
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

dotnet build -c Release benchmarks/AuditWatch.Benchmarks -nologo -v quiet
bin=benchmarks/AuditWatch.Benchmarks/bin/Release/net10.0/AuditWatch.Benchmarks
results=BenchmarkDotNet.Artifacts/results
rm -rf "$results"
job=()
[[ "$JOB" == default ]] || job=(--job "$JOB")
"$bin" --filter '*' "${job[@]}"

memory="$(mktemp)"
# 3 and 10 reads 100 s apart (the 5-minute window holds 4 at most), then 9 within it: the most an identity holds
# without an alert.
for probe in "100000 3" "100000 10" "100000 9 secret-read-burst 0.25"; do
    "$bin" memory $probe | tee -a "$memory"
done

echo
python3 benchmarks/summarize.py "$results" "$memory"
rm -f "$memory"

if [[ "$LOAD" == 1 ]]; then
    echo
    bash benchmarks/load/webhook-load.sh
fi
