# Shared by the example scripts (sourced, not run): building, starting a
# service, stopping everything started, on any exit.

SERVICE_JAR=examples/leaky-service/target/leaky-service.jar
LOAD_JAR=examples/load-client/target/load-client.jar
PIDS=()
TEMP="$(mktemp -d)"

# ${PIDS[@]+...}: an empty array under set -u is an error in bash before 4.4.
cleanup() {
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do
        kill "${pid}" 2> /dev/null || true
    done
    # A JVM busy collecting a full heap may take long to stop: 10 s, then it is killed.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        local alive=0
        for pid in ${PIDS[@]+"${PIDS[@]}"}; do
            kill -0 "${pid}" 2> /dev/null && alive=1
        done
        [[ "${alive}" == 0 ]] && break
        sleep 1
    done
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do
        kill -9 "${pid}" 2> /dev/null || true
    done
    rm -rf "${TEMP}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build() {
    echo "==> Building the service and the load client (./mvnw package, tests skipped)"
    ./mvnw -q -B -DskipTests -pl examples/leaky-service,examples/load-client -am package
}

# start_service PORT [--fixed]: starts the service with a 256 MB heap, waits until it is healthy.
start_service() {
    local port="$1"
    shift
    local log="${TEMP}/service-${port}.log"
    java -Xmx256m -jar "${SERVICE_JAR}" --server.port="${port}" --server.address=127.0.0.1 "$@" > "${log}" 2>&1 &
    PIDS+=($!)
    java examples/scripts/Fetch.java "http://127.0.0.1:${port}/health" --wait 90 > /dev/null || {
        echo "the service did not start; its log:"; cat "${log}"; exit 1; }
}

# load PORT RATE SECONDS: drives load against the service (exec: in the background, $! is the client).
load() {
    exec java -jar "${LOAD_JAR}" --url "http://127.0.0.1:$1/" --rate "$2" --duration "$3s"
}

# start_side_by_side ADDRESS: the leaky service on 18080, the fixed one on 18081, and Prometheus on
# ADDRESS scraping both every 5 s, labelled version="leaky" and version="fixed".
start_side_by_side() {
    start_service 18080
    start_service 18081 --fixed
    cat > "${TEMP}/prometheus.yml" <<YAML
global:
  scrape_interval: 5s
scrape_configs:
  - job_name: leaky-service
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:18080"]
        labels: {version: leaky}
      - targets: ["127.0.0.1:18081"]
        labels: {version: fixed}
YAML
    prometheus --config.file="${TEMP}/prometheus.yml" --storage.tsdb.path="${TEMP}/prometheus" \
        --web.listen-address="$1" > "${TEMP}/prometheus.log" 2>&1 &
    PIDS+=($!)
}

# load_side_by_side RATE SECONDS: the same load on both; the leaky one's progress in the foreground.
load_side_by_side() {
    load 18081 "$1" "$2" > "${TEMP}/load-fixed.log" &
    PIDS+=($!)
    (load 18080 "$1" "$2")
}
