#!/usr/bin/env bash
# Regenerates the pictures and the quoted outputs of docs/finding-memory-leaks.md
# from a real run: the leaky service (port 18080) and the fixed one (18081)
# under the same load, a local Prometheus scraping both, then pprof4j's heap
# profile of the leaky one read by go tool pprof. Needs a JDK 17+, go,
# prometheus, graphviz (dot) and gnuplot (Debian: apt-get install golang-go
# prometheus graphviz gnuplot-nox). About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in go prometheus dot gnuplot; do
    command -v "${tool}" > /dev/null || { echo "needs ${tool} on the PATH"; exit 1; }
done
source examples/lib.sh

RATE="${RATE:-100}"
DURATION="${DURATION:-90}"
OUT=docs/images
PROMETHEUS=127.0.0.1:19090
URL=http://127.0.0.1:18080/debug/pprof
export PPROF_TMPDIR="${TEMP}"

build
start_side_by_side "${PROMETHEUS}"
echo "==> ${RATE} requests/s to each service for ${DURATION} s"
load_side_by_side "${RATE}" "${DURATION}"
# Let the fixed load finish and Prometheus scrape once more.
sleep 10

echo "==> Memory over time, from Prometheus"
java examples/scripts/PrometheusRange.java "http://${PROMETHEUS}" \
    'sum by (version) (jvm_memory_used_bytes{area="heap"})' version $((DURATION + 20)) > "${TEMP}/heap.tsv"
gnuplot <<GNUPLOT
set terminal svg size 800,400 font "sans,12" background rgb "white"
# Plain text: gnuplot's enhanced mode would set the metric name's underscores as subscripts.
set termoption noenhanced
set output "${OUT}/memory-leaky-vs-fixed.svg"
set title "Heap in use (jvm_memory_used_bytes, area=heap), ${RATE} requests/s to each"
set xlabel "seconds"
set ylabel "MB"
set key top left
set grid
plot "${TEMP}/heap.tsv" using 1:"leaky" with lines linewidth 2 title "leaky", \
     "" using 1:"fixed" with lines linewidth 2 title "fixed"
GNUPLOT

echo "==> The leaky service's heap profile, read by go tool pprof"
# Whole outputs to files first, then excerpts: a reader that stops early would fail a pipeline (pipefail).
curl -sf "${URL}/heap?gc=1" -o "${TEMP}/heap.pb.gz"
curl -sf "${URL}/heap?gc=1&debug=1" -o "${TEMP}/heap.txt"
# Excerpts, as the guide quotes them: the first record of the text form, the top rows of -top.
awk 'NR <= 6 { print substr($0, 1, 150) }' "${TEMP}/heap.txt" > "${OUT}/heap-debug1.txt"
go tool pprof -top -sample_index=inuse_space "${TEMP}/heap.pb.gz" > "${TEMP}/top.txt" 2> /dev/null
awk '/^Showing nodes/ { on = 1 } on && n++ < 8' "${TEMP}/top.txt" > "${OUT}/heap-top.txt"
go tool pprof -top -lines -cum -sample_index=inuse_space -focus=RequestTimingFilter -show_from=RequestTimingFilter \
    "${TEMP}/heap.pb.gz" > "${TEMP}/focus.txt" 2> /dev/null
awk '/^Active filters/ { on = 1 } on && n++ < 9' "${TEMP}/focus.txt" > "${OUT}/heap-focus-lines.txt"
go tool pprof -svg -sample_index=inuse_space -nodecount=40 "${TEMP}/heap.pb.gz" > "${OUT}/heap-graph.svg" 2> /dev/null
go tool pprof -svg -lines -sample_index=inuse_space -focus=RequestTimingFilter -show_from=RequestTimingFilter \
    -nodecount=20 "${TEMP}/heap.pb.gz" > "${OUT}/heap-focus-lines.svg" 2> /dev/null
# The guide quotes each excerpt between <!-- BEGIN images/NAME.txt --> and <!-- END -->.
awk -v out="${OUT}" '
    /^<!-- BEGIN images\/.*\.txt -->$/ {
        print; file = $3; sub(/^images\//, "", file); print "```"
        while ((getline line < (out "/" file)) > 0) print line
        close(out "/" file); print "```"; skipping = 1; next
    }
    /^<!-- END -->$/ { skipping = 0 }
    !skipping { print }
' docs/finding-memory-leaks.md > "${TEMP}/guide.md"
cp "${TEMP}/guide.md" docs/finding-memory-leaks.md
ls -l "${OUT}"
