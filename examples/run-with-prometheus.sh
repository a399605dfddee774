#!/usr/bin/env bash
# The leak demo with a local Prometheus (Debian: apt-get install prometheus),
# all on loopback: the leaky service on port 18080 and the fixed one on 18081
# under the same load, Prometheus scraping both every 5 s on port 19090.
# At 20 requests/s the leaky heap grows by roughly 150 MB in the 10 minutes
# (its limit is 256 MB). Graph the heap
# of both at the address printed below; stops everything it
# started after DURATION seconds (600) or on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v prometheus > /dev/null || { echo "needs prometheus on the PATH (Debian: apt-get install prometheus)"; exit 1; }
source examples/lib.sh

RATE="${RATE:-20}"
DURATION="${DURATION:-600}"
PROMETHEUS=127.0.0.1:19090

build
echo "==> Starting the leaky service on 18080 and the fixed one on 18081"
start_side_by_side "${PROMETHEUS}"
echo "==> Prometheus on http://${PROMETHEUS}; the heap of both services:"
echo "    http://${PROMETHEUS}/graph?g0.expr=sum+by+(version)+(jvm_memory_used_bytes%7Barea%3D%22heap%22%7D)&g0.tab=0&g0.range_input=15m"
echo "==> ${RATE} requests/s to each for ${DURATION} s"
load_side_by_side "${RATE}" "${DURATION}"
