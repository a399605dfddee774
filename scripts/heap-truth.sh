#!/usr/bin/env bash
# The heap-truth benchmark: every leak shape of core's test tree
# (dev.pprof4j.testing.heap), REPS runs (default 3) on JDK 17 and on JDK 25,
# each run a fresh JVM reading its own heap and allocation profiles through
# go tool pprof; prints a markdown table per shape and JDK, then the figures
# outside the targets. Needs go on the PATH. Shapes run SECONDS each
# (default 10), the slow leak SLOW_SECONDS (default 120): about 4 minutes a run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go > /dev/null || { echo "needs go on the PATH"; exit 1; }
REPS="${1:-3}"
SECONDS_PER_SHAPE="${SECONDS_PER_SHAPE:-10}"
SLOW_SECONDS="${SLOW_SECONDS:-120}"
JDKS="${JDKS:-/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64}"
OUT="$(mktemp -d)"

./mvnw -B -q -pl core test-compile
./mvnw -B -q -pl core dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="${OUT}/classpath" > /dev/null
CLASSPATH="core/target/classes:core/target/test-classes:$(cat "${OUT}/classpath")"

for jdk in ${JDKS}; do
    for rep in $(seq 1 "${REPS}"); do
        echo "==> $("${jdk}/bin/java" -version 2>&1 | head -1), run ${rep} of ${REPS}" >&2
        "${jdk}/bin/java" -cp "${CLASSPATH}" -Dheap-truth.seconds="${SECONDS_PER_SHAPE}" \
            -Dheap-truth.slowSeconds="${SLOW_SECONDS}" \
            dev.pprof4j.testing.heap.HeapTruthBench run > "${OUT}/$(basename "${jdk}")-${rep}.tsv"
    done
done
java -cp "${CLASSPATH}" dev.pprof4j.testing.heap.HeapTruthBench table "${OUT}"/*.tsv
echo "(results: ${OUT})" >&2
