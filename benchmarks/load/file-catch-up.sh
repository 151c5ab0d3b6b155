#!/usr/bin/env bash
# A tailed audit log with a backlog, as after downtime: AuditWatch tails a file that already holds HOURS hours of the
# PerfSPEC capture (each hour its own audit IDs) and reads it to the end. Prints the seconds from the file appearing
# (moved into place once the service is ready) until every line was received and detection took every event, the
# rate, how often the full queue made the tailer wait, and the collections by generation since start.
#
#   bash benchmarks/load/file-catch-up.sh                       # 30 hours (496,890 events, 243 MB), default queue
#   QUEUE=2000 bash benchmarks/load/file-catch-up.sh            # a small queue: the tailer waits on nearly every chunk
set -euo pipefail

HOURS=${HOURS:-30}
QUEUE=${QUEUE:-}                  # Queue:CapacityEvents (the service's default, 200,000, when unset)
SKIP_BUILD=${SKIP_BUILD:-0}
SERVICE_ARGS=${SERVICE_ARGS:-}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
executable="$repo/src/AuditWatch/bin/Release/net10.0/AuditWatch"

# shellcheck source=service.sh
source "$here/service.sh"
use_work_directory catch-up

if [[ "$SKIP_BUILD" != 1 ]]; then
    dotnet build -c Release "$repo/src/AuditWatch" -v quiet -nologo >/dev/null
fi

# The backlog is moved into place once the service is ready, so start-up is not part of the time.
log="$work/audit.log"
backlog="$work/backlog.jsonl"
python3 "$repo/benchmarks/replay/distinct-hours.py" "$repo/tests/fixtures/audit/perfspec_helm_audit.jsonl" "$HOURS" >"$backlog"
events=$(grep -c . "$backlog")

queue_args=()
[[ -n "$QUEUE" ]] && queue_args=("--Queue:CapacityEvents=$QUEUE")
run_auditwatch "$(free_port)" /dev/null "$work/stderr" "$work/data" \
    "--Sources:Files:Paths:0=$log" "--Sources:Files:PollInterval=00:00:00.050" ${queue_args[@]+"${queue_args[@]}"}
mv "$backlog" "$log"

# Polls /metrics from the move until every line was received and detection took every event (queue empty).
python3 - "$base/metrics" "$events" "${QUEUE:-200000 (default)}" "$repo/benchmarks" <<'EOF'
import sys, time, urllib.request
metrics, events, queue = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.path.insert(0, sys.argv[4])
from prometheus_text import parse_text, total  # benchmarks/prometheus_text.py

start = time.monotonic()
while True:
    samples = parse_text(urllib.request.urlopen(metrics).read().decode())
    # Received counts rejected lines too, so a line the service refuses cannot keep this waiting.
    if total(samples, "auditwatch_events_received_total") >= events and total(samples, "auditwatch_queue_depth_events") == 0:
        break
    if time.monotonic() - start > 1800:
        sys.exit(f"not caught up after 30 minutes: {total(samples, 'auditwatch_events_received_total'):.0f} of {events} events")
    time.sleep(0.05)
seconds = time.monotonic() - start
waits = int(total(samples, "auditwatch_batches_refused_total"))
collections = "/".join(str(int(total(samples, "dotnet_collection_count_total", generation=g))) for g in "012")
print(f"RESULT events={events} queue={queue} seconds={seconds:.2f} events_per_s={events / seconds:,.0f} waits={waits} "
      f"gc0/1/2={collections}")
EOF
