#!/usr/bin/env bash
# Regenerates the viewer's pictures in docs/finding-memory-leaks.md from a real
# run: the leaky service (port 18080) under load, opened in pprof4j's own
# viewer (/debug/pprof/ui/) by headless Chromium. Needs a JDK 17+ and
# chromium (Debian: apt-get install chromium). About 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium > /dev/null || { echo "needs chromium on the PATH"; exit 1; }
source examples/lib.sh

RATE="${RATE:-100}"
OUT=docs/images
UI=http://127.0.0.1:18080/debug/pprof/ui/

# shot NAME HEIGHT QUERY: a picture 1400 wide of the viewer at ?QUERY.
shot() {
    chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="${TEMP}/chromium" \
        --hide-scrollbars --window-size="1400,$2" --virtual-time-budget=120000 \
        --screenshot="${OUT}/$1.png" "${UI}?$3" 2> /dev/null
}

build
start_service 18080
echo "==> ${RATE} requests/s for 90 s; pictures after 40 s"
(load 18080 "${RATE}" 90 > /dev/null) &
PIDS+=($!)
sleep 40
shot viewer-flame 1100 'profile=heap&sample=inuse_space&search=RequestTimingFilter'
# Below the filter by line, the frameworks' callers hidden, as -focus, -hide and -lines do.
BELOW_FILTER='focus=RequestTimingFilter&hide=%5E(org%5C.(apache%7Cspringframework)%7Cjava%5C.lang%5C.Thread%7Cjakarta)&lines=1&sort=cum'
shot viewer-top-lines 560 "profile=heap&sample=inuse_space&view=top&${BELOW_FILTER}"
shot viewer-growth 560 "profile=heap&sample=inuse_space&growth=20&${BELOW_FILTER}"
ls -l "${OUT}"/viewer-*.png
