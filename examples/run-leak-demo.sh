#!/usr/bin/env bash
# The leak hunt, start to end: builds the leaky Spring Boot service, starts it
# with pprof4j mounted, drives load against it while its own metrics show the
# heap growing, then reads /debug/pprof/heap and prints the lines that hold
# the heap, the leaking one first. Needs only a JDK 17+; shows go tool pprof's
# view too when Go is installed. Stops everything it started, also on Ctrl-C.
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
    echo
    echo "==> go tool pprof -top -lines -cum -sample_index=inuse_space -focus=RequestTimingFilter -show_from=RequestTimingFilter ${URL}/heap"
    if PPROF_TMPDIR="${TEMP}" go tool pprof -top -lines -cum -sample_index=inuse_space -focus=RequestTimingFilter \
        -show_from=RequestTimingFilter "${URL}/heap" > "${TEMP}/focus.txt" 2> "${TEMP}/pprof.log"; then
        awk '!/^(pprof4j|live heap)/ && n++ < 14' "${TEMP}/focus.txt"
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
