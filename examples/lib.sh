# Shared by the example scripts (sourced, not run): building, starting a
# service, stopping everything started, on any exit.

SERVICE_JAR=examples/leaky-service/target/leaky-service.jar
LOAD_JAR=examples/load-client/target/load-client.jar
PIDS=()
TEMP="$(mktemp -d)"

cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "${pid}" 2> /dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "${pid}" 2> /dev/null || true
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

# load PORT RATE SECONDS: drives load against the service in the foreground.
load() {
    java -jar "${LOAD_JAR}" --url "http://127.0.0.1:$1/" --rate "$2" --duration "$3s"
}
