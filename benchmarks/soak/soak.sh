#!/usr/bin/env bash
# Soak: the live service under steady load for DURATION seconds (default 30 minutes) at RATE events/s (default half of
# the fresh-event maximum measured in benchmarks/README.md), every request fresh (no redeliveries). Samples /metrics
# every SAMPLE seconds into a CSV, then checks that memory stayed flat, that the tracked state and queues stayed within
# their bounds, and that the accounting balances (from /metrics, and from the service's own line at SIGTERM).
# Exit status 1 when a check fails. See docs/reliability.md for the results.
set -euo pipefail

DURATION=${DURATION:-1800}          # seconds of load
RATE=${RATE:-90000}                 # events per second offered (400 events per request)
SAMPLE=${SAMPLE:-30}                # seconds between /metrics samples
CONNECTIONS=${CONNECTIONS:-32}      # wrk connections (paced: they only need to cover the rate)
THREADS=${THREADS:-1}               # wrk threads (leave the cores to AuditWatch)
BODIES=${BODIES:-60}
SKIP_BUILD=${SKIP_BUILD:-0}
OUT=${OUT:-}                        # directory to keep the CSV, the final /metrics and the service's log
SERVICE_ARGS=${SERVICE_ARGS:-}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
load="$repo/benchmarks/load"
executable="$repo/src/AuditWatch/bin/Release/net10.0/AuditWatch"
work="$(mktemp -d /tmp/auditwatch-soak.XXXXXX)"
out="${OUT:-$work/out}"
mkdir -p "$out"
service_pid="" wrk_pid=""

# shellcheck source=../load/service.sh
source "$load/service.sh"

cleanup() {
    [[ -n "$wrk_pid" ]] && kill "$wrk_pid" 2>/dev/null || true
    stop_auditwatch
    [[ -n "$OUT" ]] || echo "results were in $out (removed; set OUT=DIR to keep them)"
    rm -rf "$work"
}
trap cleanup EXIT

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
    sudo=""
    [[ "$(id -u)" == 0 ]] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq "${missing[@]}" >/dev/null ||
        { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi

[[ "$SKIP_BUILD" == 1 ]] || dotnet build -c Release "$repo/src/AuditWatch" -nologo -v quiet
python3 "$load/make-bodies.py" --bodies "$BODIES" "$work/bodies"

run_auditwatch "$(free_port)" "$out/alerts.jsonl" "$out/auditwatch.log" "$work/data"

requests_per_second="$(awk -v r="$RATE" 'BEGIN { printf "%.1f", r / 400 }')"
echo "soak: AuditWatch pid $service_pid on $base; $RATE events/s ($requests_per_second requests/s) for $DURATION s, sampled every $SAMPLE s"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 10s -s "$load/webhook.lua" "$base/audit" \
    -- "bodies=$work/bodies" "threads=$THREADS" fresh=1 events=400 "rate=$requests_per_second" >"$out/wrk.out" 2>&1 &
wrk_pid=$!

start=$(date +%s)
mkdir -p "$out/metrics"
while kill -0 "$wrk_pid" 2>/dev/null; do
    elapsed=$(( $(date +%s) - start ))
    curl -sf "$base/metrics" >"$out/metrics/$(printf '%06d' "$elapsed").prom" || true
    sleep "$SAMPLE"
done
wait "$wrk_pid" || { cat "$out/wrk.out"; exit 1; }
wrk_pid=""

# Quiet: let the watermark pass the last requests (allowed lateness) and every notice end, then take the last page.
sleep 75
curl -sf "$base/metrics" >"$out/final.prom"
kill -TERM "$service_pid"
exit_code=0
wait "$service_pid" || exit_code=$?
service_pid=""

python3 "$here/soak-report.py" --metrics "$out/metrics" --final "$out/final.prom" --log "$out/auditwatch.log" \
    --wrk "$out/wrk.out" --csv "$out/soak.csv" --rate "$RATE" --exit-code "$exit_code"
