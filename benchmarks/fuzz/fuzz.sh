#!/usr/bin/env bash
# Fuzzes one target for a fixed time budget, seeded from the committed corpus tests/fixtures/fuzz/<target>/.
#
#   benchmarks/fuzz/fuzz.sh <decoder|envelopes|webhook-body|rules|sigma> [seconds, default 300]
#
# Coverage-guided with afl++ and SharpFuzz (installed when missing: apt-get afl++, dotnet tool SharpFuzz.CommandLine);
# FUZZ_ENGINE=mutate, or afl++ failing to start, runs the property-based mutator for the budget instead. Every crash,
# hang or over-budget input found is copied into tests/fixtures/fuzz/<target>/ (so that the tests replay it from then
# on) and the script exits 1; 0 means nothing was found.
set -euo pipefail

target=${1:?usage: fuzz.sh <decoder|envelopes|webhook-body|rules|sigma> [seconds]}
seconds=${2:-300}
repo=$(cd "$(dirname "$0")/../.." && pwd)
corpus="$repo/tests/fixtures/fuzz/$target"
work=$(mktemp -d "${TMPDIR:-/tmp}/auditwatch-fuzz-$target.XXXXXX")
engine=${FUZZ_ENGINE:-afl}
[ -d "$corpus" ] || { echo "no corpus for target '$target' in $corpus" >&2; exit 2; }

echo "== building the harness (work directory $work)"
dotnet build "$repo/benchmarks/AuditWatch.Fuzzing/AuditWatch.Fuzzing.csproj" -c Release -nologo -v quiet -o "$work/plain" >/dev/null
harness=(dotnet "$work/plain/AuditWatch.Fuzzing.dll")

found=0
keep() { # keep <kind> <file>: copy a finding into the corpus under a content-derived name
    local name="$1-$(sha1sum "$2" | cut -c1-12).bin"
    cp "$2" "$corpus/$name"
    echo "   kept $corpus/$name"
    found=1
}

install_afl() {
    command -v afl-fuzz >/dev/null || { echo "== installing afl++"; apt-get install -y afl++ >/dev/null || return 1; }
    export PATH="$PATH:$HOME/.dotnet/tools"
    command -v sharpfuzz >/dev/null || { echo "== installing sharpfuzz"; dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null || return 1; }
}

run_afl() {
    cp -r "$work/plain" "$work/instrumented"
    # Only the product assemblies are instrumented: coverage of the code under test, not of the harness or the runtime.
    (cd "$work/instrumented" && sharpfuzz AuditWatch.Ingestion.dll >/dev/null && sharpfuzz AuditWatch.Rules.dll >/dev/null) || return 1
    mkdir -p "$work/seeds"
    # afl++ refuses seeds over 1 MB; the corpus holds none, but a kept finding could grow.
    find "$corpus" -maxdepth 1 -type f -size -1024k -exec cp {} "$work/seeds/" \;
    echo "== afl-fuzz on '$target' for $seconds s"
    # dotnet is not an afl-instrumented binary (the assemblies are), .NET needs no memory limit, and the CPU is shared.
    AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
        afl-fuzz -i "$work/seeds" -o "$work/afl" -t 10000 -m none -V "$seconds" \
        -- dotnet "$work/instrumented/AuditWatch.Fuzzing.dll" afl "$target" >"$work/afl.log" 2>&1 || { tail -20 "$work/afl.log" >&2; return 1; }
    local stats="$work/afl/default/fuzzer_stats"
    grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|edges_found|saved_crashes|saved_hangs) ' "$stats"
    for f in "$work"/afl/default/crashes/id:*; do [ -e "$f" ] && keep afl-crash "$f"; done
    for f in "$work"/afl/default/hangs/id:*; do [ -e "$f" ] && keep afl-hang "$f"; done
    # afl++ sees neither allocation nor the decoder's agreement check failing slowly: replay what it found, unbounded.
    echo "== replaying afl's $(ls "$work/afl/default/queue" | wc -l) queue entries for allocation budgets"
    "${harness[@]}" run "$target" "$work/afl/default/queue" >"$work/replay.log" || true
    # Lines read "<file>: <crash|hang|alloc>: <what>"; afl's file names hold ':' but never ': '.
    while IFS= read -r line; do
        rest=${line#*: }
        keep "${rest%%:*}" "${line%%: *}"
    done < <(grep -E "^$work/afl/default/queue/[^ ]*: (crash|hang|alloc)" "$work/replay.log")
}

run_mutator() {
    echo "== property-based mutator on '$target' for $seconds s"
    local findings="$work/mutator"
    set +e
    "${harness[@]}" mutate "$target" "$seconds" "$corpus" "$findings" "${FUZZ_SEED:-$RANDOM}"
    local status=$?
    set -e
    # A stack overflow ends the process: the input it was running is left behind as .current.
    if [ -e "$findings/.current" ]; then keep crash "$findings/.current"; fi
    for f in "$findings"/*.bin; do [ -e "$f" ] && keep "$(basename "$f" | cut -d- -f1)" "$f"; done
    [ $status -le 1 ] || found=1
}

if [ "$engine" = afl ] && install_afl && run_afl; then
    :
else
    [ "$engine" = afl ] && echo "== afl++ could not run here; falling back to the mutator" >&2
    run_mutator
fi

if [ $found -ne 0 ]; then
    echo "== findings were copied into $corpus: fix them, then commit them as regression inputs" >&2
    exit 1
fi
echo "== nothing found"
