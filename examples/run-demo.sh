#!/usr/bin/env bash
# Builds the Jetty servlet example, starts it with pprof4j mounted, and reads
# its profiles the way a user would. Needs only a JDK 17+; uses go tool pprof
# too when Go is installed. Stops everything it started, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-18080}"
URL="http://127.0.0.1:${PORT}/debug/pprof"
FETCH=(java examples/scripts/Fetch.java)

echo "==> Building (./mvnw package, tests skipped)"
./mvnw -q -B -DskipTests -pl examples/jetty-servlet -am package

echo "==> Starting the example on port ${PORT}"
LOG="$(mktemp)"
java -jar examples/jetty-servlet/target/jetty-servlet-example.jar "${PORT}" > "${LOG}" 2>&1 &
APP=$!
trap 'kill "${APP}" 2>/dev/null || true; wait "${APP}" 2>/dev/null || true; rm -f "${LOG}"' EXIT INT TERM
"${FETCH[@]}" "http://127.0.0.1:${PORT}/" --wait 30 > /dev/null

echo
echo "==> ${URL}/  (the index: profiles and their counts)"
"${FETCH[@]}" "${URL}/" | sed -n "s|^<tr><td>\([0-9]*\)</td><td><a href='[^']*'>\([^<]*\)</a>.*|  \2: \1|p"

echo
echo "==> ${URL}/cmdline  (arguments, NUL-separated; secrets redacted)"
"${FETCH[@]}" "${URL}/cmdline" | tr '\0' ' '
echo

echo
echo "==> ${URL}/goroutine?debug=1  (threads by stack; first 30 lines)"
"${FETCH[@]}" "${URL}/goroutine?debug=1" | head -30

echo
echo "==> ${URL}/heap?gc=1&debug=1  (in-use and allocated bytes by allocation stack; first 12 lines)"
"${FETCH[@]}" "${URL}/heap?gc=1&debug=1" | head -12

if command -v go > /dev/null; then
    echo
    echo "==> go tool pprof -top ${URL}/goroutine"
    PPROF_TMPDIR="$(mktemp -d)" go tool pprof -top "${URL}/goroutine" 2>&1 | head -20
    echo
    echo "==> go tool pprof -top -sample_index=alloc_space ${URL}/allocs"
    PPROF_TMPDIR="$(mktemp -d)" go tool pprof -top -sample_index=alloc_space "${URL}/allocs" 2>&1 | head -16
else
    echo
    echo "Go is not installed here; with it you would run:"
fi
echo
echo "Explore interactively (with the example running: java -jar examples/jetty-servlet/target/jetty-servlet-example.jar ${PORT}):"
echo "  go tool pprof -http=: ${URL}/heap"
echo "  go tool pprof -http=: ${URL}/goroutine"
