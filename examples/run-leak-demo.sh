#!/usr/bin/env bash
# The leak hunt, start to end: builds the leaky Spring Boot service, starts it
# with pprof4j mounted, drives load against it while its own metrics show the
# heap growing, then reads /debug/pprof/heap and prints the lines that hold
# the heap, the leaking one first. Needs only a JDK 17+; where Go is installed,
# shows go tool pprof's view too, and the leaking line's in-use bytes beside
# the leak's size as the service measures it from its own live heap (which
# releases the leak). Stops everything it started, also on Ctrl-C.
#
#   examples/run-leak-demo.sh            # the leak
#   examples/run-leak-demo.sh --fixed    # the same load on the fixed service: memory stays flat
#
# PORT (18080), RATE (requests/s, 100) and DURATION (seconds, 60) may be set.
set -euo pipefail
cd "$(dirname "$0")/.."
source examples/lib.sh

VERSION=leaky
FIXED=()
if [[ "${1:-}" == "--fixed" ]]; then
    VERSION=fixed
    FIXED=(--fixed)
fi
PORT="${PORT:-18080}"
RATE="${RATE:-100}"
DURATION="${DURATION:-60}"
ORIGIN="http://127.0.0.1:${PORT}"
URL="${ORIGIN}/debug/pprof"

build
echo "==> Starting the ${VERSION} service on port ${PORT}, its heap capped at 256 MB"
start_service "${PORT}" ${FIXED[@]+"${FIXED[@]}"}

# in_use_total PROFILE: the total in-use bytes of a heap profile, by go tool pprof.
in_use_total() {
    PPROF_TMPDIR="${TEMP}" go tool pprof -top -unit=B -nodecount=1 -sample_index=inuse_space "$1" 2> /dev/null \
        | sed -n 's/^Showing nodes accounting for .* of \([0-9]*\)B total$/\1/p'
}
if command -v go > /dev/null; then
    java examples/scripts/Fetch.java "${URL}/heap?gc=1" > "${TEMP}/before.pb.gz"
    BEFORE=$(in_use_total "${TEMP}/before.pb.gz")
fi

echo "==> ${RATE} requests/s for ${DURATION} s, and the service's own metrics (${ORIGIN}/metrics) every 5 s"
java examples/scripts/MetricsWatch.java "${ORIGIN}/metrics" 5 &
WATCH=$!
PIDS+=("${WATCH}")
(load "${PORT}" "${RATE}" "${DURATION}")
kill "${WATCH}" 2> /dev/null || true

echo
echo "==> ${URL}/heap?gc=1&debug=1: in-use bytes by the line of the service's code that allocated them"
java examples/scripts/HeapTop.java "${URL}/heap?gc=1&debug=1" --focus '^dev\.pprof4j\.examples\.leak\.'

if command -v go > /dev/null; then
    FOCUS=(-focus=RequestTimingFilter -show_from=RequestTimingFilter)
    echo
    echo "==> go tool pprof -top -lines -cum -sample_index=inuse_space ${FOCUS[*]} '${URL}/heap?gc=1'"
    if java examples/scripts/Fetch.java "${URL}/heap?gc=1" > "${TEMP}/heap.pb.gz" \
        && PPROF_TMPDIR="${TEMP}" go tool pprof -top -lines -cum -sample_index=inuse_space "${FOCUS[@]}" \
            "${TEMP}/heap.pb.gz" > "${TEMP}/focus.txt" 2> "${TEMP}/pprof.log"; then
        # From the report's table on: above it are the profile's comments, which say how it was made.
        awk '/^Active filters/ { on = 1 } on && n++ < 14' "${TEMP}/focus.txt"
        LINE="RequestTimingFilter.java:$(grep -n 'timer = Timer.builder(METER).tag("request"' \
            examples/leaky-service/src/main/java/dev/pprof4j/examples/leak/RequestTimingFilter.java | cut -d: -f1)"
        # The same report in bytes, for the leaking line's cumulative in-use bytes.
        PPROF_TMPDIR="${TEMP}" go tool pprof -top -lines -cum -unit=B -nodecount=1000 -sample_index=inuse_space \
            "${FOCUS[@]}" "${TEMP}/heap.pb.gz" > "${TEMP}/focus-bytes.txt" 2> /dev/null
        AT_LINE=$(awk -v line="/${LINE}" '$NF ~ line "$" { sub(/B$/, "", $4); print $4; exit }' "${TEMP}/focus-bytes.txt")
        AFTER=$(in_use_total "${TEMP}/heap.pb.gz")
        # Last, as measuring the leak releases it: "timers=N bytes=B".
        RELEASED=$(java examples/scripts/Fetch.java "${ORIGIN}/leak/release" --post)
        TIMERS=$(sed 's/timers=\([0-9]*\).*/\1/' <<< "${RELEASED}")
        LEAK=$(sed 's/.*bytes=\(-*[0-9]*\).*/\1/' <<< "${RELEASED}")
        echo
        echo "==> The profile beside the heap's own figures"
        awk -v line="${LINE}" -v at="${AT_LINE:-0}" -v before="${BEFORE}" -v after="${AFTER}" -v timers="${TIMERS}" \
            -v leak="${LEAK}" 'BEGIN {
                mb = 1024 * 1024  # as go tool pprof counts them
                printf "in use in all (heap?gc=1):             %6.1fMB before the load, %.1fMB after\n", before / mb, after / mb
                printf "in use at %s:     %6.1fMB\n", line, at / mb
                if (timers == 0) {
                    print "the leak, as the service measures it:  none, no per-request timer in the registry"
                } else {
                    printf "the leak, as the service measures it:  %6.1fMB, the live heap with its %d per-request timers minus without\n", leak / mb, timers
                    printf "the leaking line holds %.0f%% of the leak\n", 100 * at / leak
                }
            }'
    else
        cat "${TEMP}/pprof.log"
    fi
fi

echo
echo "To explore it yourself, start the service and its load, then open pprof's web view:"
echo "  java -Xmx256m -jar ${SERVICE_JAR} --server.port=${PORT} ${FIXED[*]+${FIXED[*]}}"
echo "  java -jar ${LOAD_JAR} --url ${ORIGIN}/ --rate ${RATE} --duration 10m"
echo "  go tool pprof -http=: ${URL}/heap"
echo "The guide, step by step: docs/finding-memory-leaks.md"
