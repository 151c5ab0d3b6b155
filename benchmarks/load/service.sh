# Sourced by the load and soak scripts: starting AuditWatch on loopback for a measurement.
# Needs $repo and $executable; passes $SERVICE_ARGS (a list of extra arguments) on.

# As the container image runs it (Dockerfile): hot code is optimised from the first seconds of load. Set it to 100,
# the runtime's default, to measure without.
export DOTNET_TC_CallCountingDelayMs="${DOTNET_TC_CallCountingDelayMs:-0}"

# free_port: prints a free loopback port.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# run_auditwatch PORT STDOUT STDERR DATA_DIRECTORY [ARGUMENTS...]: starts `AuditWatch run` with the default rules and
# JSON-lines alerts, waits until /readyz answers; sets service_pid and base. Exits (showing STDERR) if it dies first.
run_auditwatch() {
    local port="$1" stdout="$2" stderr="$3" data="$4"
    shift 4
    base="http://127.0.0.1:$port"
    # shellcheck disable=SC2086 # SERVICE_ARGS is a list of arguments
    (cd "$repo" && exec "$executable" run --urls "$base" --output jsonl --rules "$repo/rules" \
        "--Detection:DataDirectory=$data" "$@" $SERVICE_ARGS >"$stdout" 2>"$stderr") &
    service_pid=$!
    for _ in $(seq 300); do
        curl -sf "$base/readyz" >/dev/null && return 0
        kill -0 "$service_pid" 2>/dev/null || { cat "$stderr"; echo "AuditWatch exited" >&2; exit 1; }
        sleep 0.2
    done
    echo "AuditWatch did not become ready" >&2
    exit 1
}

# use_work_directory NAME: makes $work, a temporary directory for one script's run, and on exit stops the AuditWatch
# that run_auditwatch started and removes $work.
use_work_directory() {
    work="$(mktemp -d "/tmp/auditwatch-$1.XXXXXX")"
    service_pid=""
    trap 'stop_auditwatch; rm -rf "$work"' EXIT
}

# stop_auditwatch: stops the instance run_auditwatch started (SIGTERM, then waits for it), if it still runs.
stop_auditwatch() {
    if [[ -n "${service_pid:-}" ]] && kill -0 "$service_pid" 2>/dev/null; then
        kill -TERM "$service_pid" 2>/dev/null || true
        wait "$service_pid" 2>/dev/null || true
    fi
    service_pid=""
}
