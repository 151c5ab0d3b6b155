#!/usr/bin/env bash
# The webhook end to end on loopback: maximum rate of POST /audit, of the token-scan baseline POST /bench/scan in the
# same process, an overload run at OVERLOAD_FACTOR x the maximum, the maximum rate without and with the Prometheus
# instrumentation, then the request->alert latency at half the maximum (latency.py). Every setting below can be overridden from the environment; see README.md in this directory.
set -euo pipefail

DURATION=${DURATION:-20}                    # seconds of each measured run
WARMUP=${WARMUP:-5}                         # seconds of unmeasured load on each endpoint first (JIT tiering)
THREADS=${THREADS:-2}                       # wrk threads
CONNECTIONS=${CONNECTIONS:-16}              # wrk connections for the maximum-rate runs
OVERLOAD_FACTOR=${OVERLOAD_FACTOR:-2}       # offered rate of the overload run, in multiples of the measured maximum
OVERLOAD_RATE=${OVERLOAD_RATE:-}             # requests/s of the overload run instead of OVERLOAD_FACTOR x the maximum (the same offer for two builds)
OVERLOAD_CONNECTIONS=${OVERLOAD_CONNECTIONS:-256}
OVERLOAD_TOOL=${OVERLOAD_TOOL:-wrk}         # wrk (paced by webhook.lua) or hey (-q per worker x -c workers, one body)
TIMEOUT=${TIMEOUT:-10}                      # client timeout in seconds
BODIES=${BODIES:-150}                       # distinct bodies wrk rotates through
FRESH=${FRESH:-0}                           # 1: fresh auditIDs and current times in every request (no redeliveries)
LATENCY=${LATENCY:-1}                       # 0: skip latency.py
LATENCY_WARMUP=${LATENCY_WARMUP:-10}        # seconds of start-up whose probes latency.py leaves out
LATENCY_DURATION=${LATENCY_DURATION:-$((DURATION + LATENCY_WARMUP))}   # seconds of latency load, warm-up included
SKIP_BUILD=${SKIP_BUILD:-0}
ALERTS=${ALERTS:-/dev/null}                 # where the service's stdout (alerts) goes
SERVICE_ARGS=${SERVICE_ARGS:-}              # extra AuditWatch arguments, e.g. "--Queue:CapacityEvents=400000"
METRICS_OVERHEAD=${METRICS_OVERHEAD:-1}     # 0: skip the with/without-metrics runs
METRICS_PAIRS=${METRICS_PAIRS:-3}           # pairs of runs without and with metrics; the median overhead is reported

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
executable="$repo/src/AuditWatch/bin/Release/net10.0/AuditWatch"

# shellcheck source=service.sh
source "$here/service.sh"
use_work_directory load

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v hey >/dev/null || missing+=(hey)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
    sudo=""
    [[ "$(id -u)" == 0 ]] || sudo="sudo"
    echo "installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq "${missing[@]}" >/dev/null ||
        { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi

if [[ "$SKIP_BUILD" != 1 ]]; then
    dotnet build -c Release "$repo/src/AuditWatch" -nologo -v quiet
fi

python3 "$here/make-bodies.py" --bodies "$BODIES" "$work/bodies"
events_per_body=400

# start_service [ARGUMENTS...]: AuditWatch on a free loopback port; sets service_pid and base.
start_service() {
    local port
    port="$(free_port)"
    run_auditwatch "$port" "$ALERTS" "$work/auditwatch-$port.log" "$work/data-$port" "$@"
    echo "AuditWatch pid $service_pid on $base $*; bodies in $work/bodies; FRESH=$FRESH"
}


start_service --Benchmark:ScanEndpoint=true

# value SNAPSHOT 'sample{labels}': one sample of a saved /metrics page (0 when absent).
# (printf "%.0f" throughout: mawk prints large numbers as 3e+09 otherwise.)
value() { awk -v sample="$2" '$1 == sample { value = $2 } END { printf "%.0f\n", value }' "$1"; }
ignored_sum() { awk '$1 ~ /^auditwatch_stages_ignored_total\{/ { sum += $2 } END { printf "%.0f\n", sum }' "$1"; }
decoded_sample='auditwatch_events_decoded_total{source="webhook"}'

# Waits until detection has taken everything the webhook accepted, then saves /metrics to $1.
drained_metrics() {
    local snapshot="$1"
    for _ in $(seq 600); do
        curl -sf "$base/metrics" >"$snapshot"
        local depth decoded counted
        depth="$(value "$snapshot" auditwatch_queue_depth_events)"
        decoded="$(value "$snapshot" "$decoded_sample")"
        counted="$(awk -v a="$(value "$snapshot" auditwatch_requests_total)" -v b="$(ignored_sum "$snapshot")" 'BEGIN { printf "%.0f", a + b }')"
        [[ "$depth" == 0 && "$decoded" == "$counted" ]] && return 0
        sleep 0.1
    done
    echo "warning: detection did not catch up within 60 s (queue depth $depth)" >&2
}

# run_wrk NAME PATH SECONDS CONNECTIONS [rate=R]: prints wrk's RESULT line, also saved to $work/NAME.result.
run_wrk() {
    local name="$1" path="$2" seconds="$3" connections="$4"
    shift 4
    wrk -t "$THREADS" -c "$connections" -d "${seconds}s" --timeout "${TIMEOUT}s" -s "$here/webhook.lua" "$base$path" \
        -- "bodies=$work/bodies" "threads=$THREADS" "fresh=$FRESH" "events=$events_per_body" "$@" \
        >"$work/$name.out" 2>&1 || { cat "$work/$name.out"; exit 1; }
    grep '^RESULT ' "$work/$name.out" | sed 's/^RESULT //' >"$work/$name.result"
}

# run_hey NAME SECONDS WORKERS RATE: the same RESULT fields from hey's summary (one body, sent again and again).
run_hey() {
    local name="$1" seconds="$2" workers="$3" rate="$4"
    local per_worker
    per_worker="$(awk -v r="$rate" -v c="$workers" 'BEGIN { printf "%.3f", r / c }')"
    hey -z "${seconds}s" -c "$workers" -q "$per_worker" -t "$TIMEOUT" -m POST -T application/json \
        -D "$work/bodies/body-0000.json" "$base/audit" >"$work/$name.out" 2>&1 || { cat "$work/$name.out"; exit 1; }
    awk -v events="$events_per_body" '
        /^  Total:/ { duration = $2 }
        /^Status code distribution:/ { section = "codes"; next }
        /^Error distribution:/ { section = "errors"; next }
        section != "" && $1 ~ /^\[[0-9]+\]$/ {
            key = substr($1, 2, length($1) - 2)
            if (section == "codes") { status[key] += $2; answered += $2 }
            else if ($0 ~ /Timeout|deadline exceeded/) timeouts += key
            else failed += key
        }
        /^  99% in/ { p99 = $3 * 1000 }
        /^  50% in/ { p50 = $3 * 1000 }
        /^  Slowest:/ { slowest = $2 * 1000 }
        END {
            other = answered - status[200] - status[429]
            printf "duration_s=%s sent=%.0f answered=%.0f s200=%.0f s429=%.0f other=%.0f acked_events=%.0f skipped=0 timeouts=%.0f ",
                duration, answered + timeouts + failed, answered, status[200], status[429], other, status[200] * events, timeouts
            printf "connect_errors=0 read_errors=%.0f write_errors=0 p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n", failed, p50, p99, slowest
        }' "$work/$name.out" >"$work/$name.result"
}

# field NAME KEY: one key=value of a run's RESULT line.
field() { tr ' ' '\n' <"$work/$1.result" | awk -F= -v key="$2" '$1 == key { print $2 }'; }
per_second() { awk -v n="$(field "$1" "$2")" -v d="$(field "$1" duration_s)" 'BEGIN { printf "%.0f", n / d }'; }

# measure NAME: run NAME's load between two drained metric snapshots.
measure() {
    local name="$1"
    shift
    drained_metrics "$work/$name.before"
    "$@"
    drained_metrics "$work/$name.after"
}

delta() { awk -v a="$(value "$work/$1.after" "$2")" -v b="$(value "$work/$1.before" "$2")" 'BEGIN { printf "%.0f", a - b }'; }

echo "warm-up: ${WARMUP} s on each endpoint"
run_wrk warmup-audit /audit "$WARMUP" "$CONNECTIONS"
run_wrk warmup-scan /bench/scan "$WARMUP" "$CONNECTIONS"

echo "maximum rate of POST /audit: ${DURATION} s, $CONNECTIONS connections"
measure audit run_wrk audit /audit "$DURATION" "$CONNECTIONS"
echo "maximum rate of POST /bench/scan: ${DURATION} s, $CONNECTIONS connections"
measure scan run_wrk scan /bench/scan "$DURATION" "$CONNECTIONS"

max_requests="$(per_second audit s200)"
overload_rate="${OVERLOAD_RATE:-$(awk -v r="$max_requests" -v f="$OVERLOAD_FACTOR" 'BEGIN { printf "%.0f", r * f }')}"
echo "overload: $overload_rate requests/s offered by $OVERLOAD_TOOL (maximum $max_requests), $OVERLOAD_CONNECTIONS connections, ${DURATION} s"
if [[ "$OVERLOAD_TOOL" == hey ]]; then
    measure overload run_hey overload "$DURATION" "$OVERLOAD_CONNECTIONS" "$overload_rate"
else
    measure overload run_wrk overload /audit "$DURATION" "$OVERLOAD_CONNECTIONS" "rate=$overload_rate"
fi

rss_kib="$(awk '/^VmHWM:/ { print $2 }' "/proc/$service_pid/status" 2>/dev/null || echo 0)"
stop_auditwatch

# Metrics overhead: the same maximum-rate run against a service without its Prometheus instrumentation, then once
# more with it, so that both sides have a fresh process behind them.
if [[ "$METRICS_OVERHEAD" == 1 ]]; then
    for pair in $(seq "$METRICS_PAIRS"); do
        for variant in without with; do
            if [[ "$variant" == without ]]; then start_service --Benchmark:NoMetrics=true; else start_service; fi
            run_wrk "warmup-$variant-$pair" /audit "$WARMUP" "$CONNECTIONS"
            echo "maximum rate of POST /audit $variant metrics (pair $pair of $METRICS_PAIRS): ${DURATION} s, $CONNECTIONS connections"
            run_wrk "metrics-$variant-$pair" /audit "$DURATION" "$CONNECTIONS"
            stop_auditwatch
        done
    done
fi

printf '\n%-22s %8s %10s %12s %8s %7s %6s %9s %9s %8s\n' run seconds "sent/s" "events/s" 200 429 other timeouts unanswered "p99 ms"
for run in audit scan overload; do
    printf '%-22s %8.1f %10s %12s %8s %7s %6s %9s %9s %8s\n' "$run" "$(field "$run" duration_s)" "$(per_second "$run" sent)" \
        "$(per_second "$run" acked_events)" "$(field "$run" s200)" "$(field "$run" s429)" "$(field "$run" other)" \
        "$(field "$run" timeouts)" "$(($(field "$run" sent) - $(field "$run" answered)))" "$(field "$run" p99_ms)"
done

audit_events="$(per_second audit acked_events)"
scan_events="$(per_second scan acked_events)"
overload_events="$(per_second overload acked_events)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
line() { printf '%-28s %s\n' "$1" "$2"; }
echo
line "webhook events/s:" "$audit_events (target 400000 on 2 cores)"
line "webhook / scan baseline:" "$(ratio "$audit_events" "$scan_events") (target >= 0.85; scan $scan_events events/s)"
line "overload offered:" "$(per_second overload sent) requests/s of $overload_rate asked ($(field overload skipped) schedule slots skipped)"
line "overload kept of maximum:" "$(ratio "$overload_events" "$audit_events") (target >= 0.9; 429 answers $(field overload s429), timeouts $(field overload timeouts), unanswered at the end $(($(field overload sent) - $(field overload answered))))"
if awk -v o="$overload_events" -v m="$audit_events" 'BEGIN { exit !(o > 1.1 * m) }'; then
    line "" "NOTE: the overload run accepted more than the maximum-rate run: that one did not saturate the service (raise CONNECTIONS)"
fi

# Nothing acknowledged may be lost: every event of a 200-answered body was decoded, the rest of what was decoded
# belongs to requests the client sent but saw no answer to before it stopped, and detection counted all of it.
for run in audit overload; do
    acked="$(field "$run" acked_events)"
    unanswered_events=$((($(field "$run" sent) - $(field "$run" answered)) * events_per_body))
    decoded="$(delta "$run" "$decoded_sample")"
    counted="$(awk -v a="$(delta "$run" auditwatch_requests_total)" -v b="$(ignored_sum "$work/$run.after")" \
        -v c="$(ignored_sum "$work/$run.before")" 'BEGIN { printf "%.0f", a + b - c }')"
    redeliveries="$(delta "$run" 'auditwatch_stages_ignored_total{reason="redelivery"}')"
    refused="$(delta "$run" 'auditwatch_batches_refused_total{source="webhook"}')"
    verdict="nothing lost"
    if ((decoded < acked)); then
        verdict="LOST $((acked - decoded)) acknowledged events"
    elif ((decoded - acked > unanswered_events)); then
        verdict="decoded $((decoded - acked - unanswered_events)) more events than were sent unanswered"
    elif ((counted != decoded)); then
        verdict="detection counted $counted of $decoded decoded events"
    fi
    line "$run accounting:" "acknowledged $acked events, decoded $decoded (of requests unanswered at the end: up to $unanswered_events), through detection $counted; refused batches $refused (client saw $(field "$run" s429)): $verdict"
    line "$run redeliveries:" "$redeliveries of $decoded decoded events ($(ratio $((redeliveries * 100)) "$decoded") %)"
done
line "service peak resident set:" "$((rss_kib / 1024)) MiB"
if [[ "$METRICS_OVERHEAD" == 1 ]]; then
    # One overhead per pair (each pair ran back to back), and their median: single runs differ by more than 2 %.
    overheads=()
    for pair in $(seq "$METRICS_PAIRS"); do
        with="$(per_second "metrics-with-$pair" acked_events)"
        without="$(per_second "metrics-without-$pair" acked_events)"
        overheads+=("$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.1f", (1 - a / b) * 100 }')")
        line "metrics overhead, pair $pair:" "${overheads[-1]} % ($with events/s with, $without without)"
    done
    median="$(printf '%s\n' "${overheads[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
    line "metrics overhead, median:" "$median % (target <= 2 %)"
fi

if [[ "$LATENCY" == 1 ]]; then
    half="$(awk -v e="$audit_events" 'BEGIN { printf "%.0f", e / 2 }')"
    echo
    echo "latency at half the maximum ($half events/s), ${LATENCY_DURATION} s, the first ${LATENCY_WARMUP} s not counted:"
    # shellcheck disable=SC2086
    python3 "$here/latency.py" --rate "$half" --duration "$LATENCY_DURATION" --warmup "$LATENCY_WARMUP" --bodies "$work/bodies" \
        $(for argument in $SERVICE_ARGS; do printf -- '--service-arg=%s ' "$argument"; done)
fi
