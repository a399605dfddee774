#!/usr/bin/env bash
# The cost of being scraped: the CPU time of a profiled JVM with and without a
# scraper asking for Grafana Alloy's default profiles every 15 s.
#
# Starts the example Spring Boot service (examples/leaky-service, --fixed, so
# its heap stays flat) under a steady load from examples/load-client, warms it
# up, then runs REPS repetitions of two phases, `no scraper` and `scraper`, in
# alternating order (ABBA...). In a `scraper` phase five curl loops, one per
# profile, each on its own 15 s timer with its own offset, GET what
# pyroscope.scrape asks for by default: profile?seconds=14 (--max-time 24),
# allocs, goroutine, mutex, block (--max-time 10); plain GET, no
# Accept-Encoding. The loops start LEAD seconds before the measured window and
# stop at its end; every phase then waits SETTLE seconds, so a CPU profile that
# was cut off finishes outside the next window. The JVM's CPU time
# (utime + stime of /proc/PID/stat) is read at the window's start and end.
#
# Prints one row per repetition (CPU seconds of each phase, as a share of one
# core, their ratio) and the median and range of the ratios, then the size of
# one allocs body (gzip and uncompressed) and its sample count.
#
#   scripts/scrape-cost.sh            # REPS=5 WINDOW=60 WARMUP=60 RATE=200 PORT=18090
#
# Needs curl; go (for the sample count) is optional. About 2 + REPS * 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
source examples/lib.sh

REPS="${REPS:-5}"
WINDOW="${WINDOW:-60}"
WARMUP="${WARMUP:-60}"
LEAD="${LEAD:-15}"
SETTLE="${SETTLE:-15}"
RATE="${RATE:-200}"
PORT="${PORT:-18090}"
INTERVAL=15
URL="http://127.0.0.1:${PORT}/debug/pprof"
HZ=$(getconf CLK_TCK)

[[ -f "${SERVICE_JAR}" && -f "${LOAD_JAR}" ]] || build
echo "==> $(nproc) cores, $(java -version 2>&1 | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "==> Starting the service (--fixed) on port ${PORT}, ${RATE} requests/s against it"
start_service "${PORT}" --fixed
SERVICE_PID="${PIDS[-1]}"
TOTAL=$((WARMUP + REPS * 2 * (LEAD + WINDOW + SETTLE) + 120))
(load "${PORT}" "${RATE}" "${TOTAL}") > "${TEMP}/load.log" 2>&1 &
PIDS+=($!)

# cpu_ticks: utime + stime of the service, in clock ticks (the fields after the command's ")").
cpu_ticks() {
    sed 's/.*) //' "/proc/${SERVICE_PID}/stat" | awk '{ print $12 + $13 }'
}

# scrape_loop NAME OFFSET MAX_TIME PATH: GETs PATH every INTERVAL s from OFFSET s on, by the clock.
scrape_loop() {
    local name="$1" offset="$2" max_time="$3" path="$4" next
    next=$(($(date +%s%N) / 1000000 + offset * 1000))
    while true; do
        local now=$(($(date +%s%N) / 1000000))
        (( next > now )) && sleep "$(awk -v ms=$((next - now)) 'BEGIN { printf "%.3f", ms / 1000 }')"
        curl -s -o /dev/null -A 'Alloy/v1.10.0 (scrape-cost)' --max-time "${max_time}" \
            -w "${name} %{http_code} %{size_download} %{time_total} %{content_type}\n" \
            "${URL}/${path}" >> "${TEMP}/scrapes.log" || echo "${name} failed" >> "${TEMP}/scrapes.log"
        next=$((next + INTERVAL * 1000))
    done
}

LOOPS=()
start_scraper() {
    scrape_loop process_cpu 0 24 'profile?seconds=14' & LOOPS+=($!)
    scrape_loop memory 4 10 allocs & LOOPS+=($!)
    scrape_loop goroutine 7 10 goroutine & LOOPS+=($!)
    scrape_loop mutex 10 10 mutex & LOOPS+=($!)
    scrape_loop block 12 10 block & LOOPS+=($!)
    disown "${LOOPS[@]}"   # stopped by stop_scraper, not by the shell
    PIDS+=("${LOOPS[@]}")
}
# Stopped loops leave PIDS, so that cleanup never signals a reused process id.
forget() {
    local keep=() pid
    for pid in "${PIDS[@]}"; do
        [[ " $* " == *" ${pid} "* ]] || keep+=("${pid}")
    done
    PIDS=("${keep[@]}")
}
stop_scraper() {
    for pid in "${LOOPS[@]}"; do
        pkill -P "${pid}" 2> /dev/null || true   # its curl or sleep
        kill "${pid}" 2> /dev/null || true
    done
    for pid in "${LOOPS[@]}"; do
        while kill -0 "${pid}" 2> /dev/null; do sleep 0.1; done
    done
    forget "${LOOPS[@]}"
    LOOPS=()
}

# phase CONFIG: LEAD s (scraper started if CONFIG is scraper), WINDOW s measured, SETTLE s;
# writes "CPU-seconds load-average" to ${TEMP}/phase.
phase() {
    [[ "$1" == scraper ]] && start_scraper
    sleep "${LEAD}"
    : > "${TEMP}/scrapes.log"
    local before after load
    before=$(cpu_ticks)
    sleep "${WINDOW}"
    after=$(cpu_ticks)
    load=$(cut -d' ' -f1 /proc/loadavg)
    if [[ "$1" == scraper ]]; then
        # Counted before the loops stop: stopping cuts off the CPU request under way.
        local ok failed
        ok=$(awk '$2 == 200' "${TEMP}/scrapes.log" | wc -l)
        failed=$(awk '$2 != 200' "${TEMP}/scrapes.log" | wc -l)
        echo "    scraper: ${ok} scrapes answered 200 in the window, ${failed} other" >&2
        awk '$2 != 200' "${TEMP}/scrapes.log" | head -5 >&2
        stop_scraper
    fi
    sleep "${SETTLE}"
    echo "$(awk -v t=$((after - before)) -v hz="${HZ}" 'BEGIN { printf "%.2f", t / hz }') ${load}" > "${TEMP}/phase"
}

echo "==> Warm-up: ${WARMUP} s of load, one round of every profile"
for path in 'profile?seconds=2' allocs goroutine mutex block; do
    curl -s -o /dev/null --max-time 24 "${URL}/${path}"
done
sleep "${WARMUP}"

echo "==> ${REPS} repetitions of ${WINDOW} s per configuration (scraper: ${LEAD} s lead-in before the window)"
RESULTS="${TEMP}/results"
: > "${RESULTS}"
for rep in $(seq 1 "${REPS}"); do
    if (( rep % 2 == 1 )); then order=(none scraper); else order=(scraper none); fi
    declare -A cpu=() avg=()
    for config in "${order[@]}"; do
        phase "${config}"
        read -r cpu[${config}] avg[${config}] < "${TEMP}/phase"
        echo "    rep ${rep} ${config}: ${cpu[${config}]} s CPU in ${WINDOW} s (load average ${avg[${config}]})" >&2
    done
    echo "${rep} ${order[0]} ${cpu[none]} ${cpu[scraper]} ${avg[none]} ${avg[scraper]}" >> "${RESULTS}"
done

echo
echo "| rep | first | no scraper: CPU s (share of a core) | scraper: CPU s (share of a core) | ratio | extra, share of a core | load avg none / scraper |"
echo "|---|---|---|---|---|---|---|"
awk -v w="${WINDOW}" '{
    printf "| %d | %s | %.2f (%.1f%%) | %.2f (%.1f%%) | %.3f | %+.1f%% | %s / %s |\n",
        $1, ($2 == "none" ? "no scraper" : "scraper"), $3, 100 * $3 / w, $4, 100 * $4 / w, $4 / $3, 100 * ($4 - $3) / w, $5, $6
}' "${RESULTS}"
awk '{ print $4 / $3, ($4 - $3) }' "${RESULTS}" | sort -n | awk -v w="${WINDOW}" '
    { r[NR] = $1; d[NR] = $2 }
    END {
        m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
        printf "\nratio scraper / no scraper: median %.3f, range %.3f to %.3f over %d repetitions\n", m, r[1], r[NR], NR
    }'
awk '{ print ($4 - $3) }' "${RESULTS}" | sort -n | awk -v w="${WINDOW}" '
    { d[NR] = $1 }
    END {
        m = (NR % 2) ? d[(NR + 1) / 2] : (d[NR / 2] + d[NR / 2 + 1]) / 2
        printf "extra CPU: median %.2f s per %d s (%.1f%% of a core), range %.2f to %.2f s\n", m, w, 100 * m / w, d[1], d[NR]
    }'

echo
curl -s --max-time 10 -o "${TEMP}/allocs.pb.gz" "${URL}/allocs"
GZ=$(wc -c < "${TEMP}/allocs.pb.gz")
RAW=$(gzip -dc "${TEMP}/allocs.pb.gz" | wc -c)
echo "one allocs body after the run: ${GZ} bytes gzip, ${RAW} bytes uncompressed ($(awk -v b="${RAW}" 'BEGIN { printf "%.1f", 100 * b / 4194304 }')% of Pyroscope's 4 MiB)"
if command -v go > /dev/null; then
    SAMPLES=$(PPROF_TMPDIR="${TEMP}" go tool pprof -raw "${TEMP}/allocs.pb.gz" 2> /dev/null \
        | awk '/^Samples:/ { on = 1; next } /^Locations/ { on = 0 } on && /^ *[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+:/ { n++ } END { print n + 0 }')
    echo "its samples: ${SAMPLES} (Pyroscope's limit 16,000)"
fi
tail -3 "${TEMP}/load.log"
