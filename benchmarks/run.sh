#!/usr/bin/env bash
# Runs event-streamer's benchmarks on this machine: the server pinned to CPU 0, the load generator
# pinned to CPU 1, over loopback. Prints one JSON line per result on stdout.
#
#   benchmarks/run.sh targets               every target below, each against a fresh server (~21 min)
#   benchmarks/run.sh TARGET                one of: ceiling latency idle churn ingest slow (issue 7),
#                                           ceiling-sse latency-sse (the same over Server-Sent Events)
#   benchmarks/run.sh SCENARIO FLAGS...     idle|fanout|sweep|churn with the load generator's own flags
#   benchmarks/run.sh jmh [JMH ARGS...]     the JMH microbenchmarks (e.g. jmh PublishBenchmark -prof gc)
#
# Environment:
#   PORT         server port (28417)
#   SERVER_OPTS  extra JVM options for the server, after bin/event-streamer's defaults
#   REBUILD=1    rebuild the distribution and the benchmarks jar even if they exist
#   LOG_DIR      where the server's output goes (benchmarks/target/run-logs)
#
# The server runs with bin/event-streamer's default JVM flags; only these settings are changed:
# port, host 127.0.0.1, and max-clients (the default of 1000 is below what the scenarios open).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
dist=$root/distribution/target/event-streamer
jar=$root/benchmarks/target/benchmarks.jar
port=${PORT:-28417}
log_dir=${LOG_DIR:-$root/benchmarks/target/run-logs}

if [ $# -eq 0 ]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

if [ "${REBUILD:-0}" = 1 ] || [ ! -x "$dist/bin/event-streamer" ] || [ ! -f "$jar" ]; then
  echo "building the distribution and benchmarks/target/benchmarks.jar" >&2
  mvn -B -q -DskipTests package -pl distribution,benchmarks -am >&2
fi

if [ "$1" = jmh ]; then
  shift
  exec taskset -c 1 java -jar "$jar" "$@"
fi

# File descriptors: 10,000 connections need as many on both sides (the hard limit here is 20000).
ulimit -n "$(ulimit -Hn)"
mkdir -p "$log_dir"

server_pid=
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
trap stop_server EXIT

start_server() {
  local name=$1
  if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
    echo "something already listens on port $port; set PORT to a free one" >&2
    exit 1
  fi
  # The load generator opens thousands of connections from a few loopback addresses, with hundreds
  # of upgrades in flight at once: the per-address limits (WebSocket and plain HTTP) must not refuse them.
  JAVA_OPTS="-Devent-streamer.server.port=$port -Devent-streamer.server.host=127.0.0.1 \
-Devent-streamer.max-clients=60000 -Devent-streamer.limits.max-connections-per-address=100000 \
-Devent-streamer.limits.max-http-connections-per-address=100000 ${SERVER_OPTS:-}" \
    taskset -c 0 "$dist/bin/event-streamer" >"$log_dir/server-$name.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      break
    fi
    if grep -q "listening on port $port" "$log_dir/server-$name.log"; then
      return 0
    fi
    sleep 0.2
  done
  echo "the server did not start; see $log_dir/server-$name.log" >&2
  exit 1
}

load() {
  taskset -c 1 java -Xms1g -Xmx1g -XX:+UseSerialGC -XX:+AlwaysPreTouch \
    -cp "$jar" io.eventstreamer.benchmarks.load.LoadGenerator \
    --target "http://127.0.0.1:$port" --server-pid "$server_pid" "$@"
}

# One run against a fresh server, so that memory and warm-up don't carry over between targets.
run() {
  local name=$1
  shift
  echo "== $name: $*" >&2
  start_server "$name"
  load "$@"
  stop_server
}

sources=127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5,127.0.0.6,127.0.0.7,127.0.0.8,127.0.0.9

target() {
  case $1 in
    ceiling) run ceiling --scenario sweep --connections 1000 --rate 100 --warmup 60s --warmup-rate 200 --duration 10s ;;
    # Two minutes of warm-up: at 80 events/s the server's JIT still compiles (HTTP and heartbeat
    # paths reach their thresholds slowly) between 60 and 120 s, and p99 measured then is 3-5 ms higher.
    latency) run latency --scenario fanout --connections 1000 --rate 80 --warmup 120s --duration 30s ;;
    # The same two with Server-Sent Events subscribers (GET /sse) instead of WebSocket ones.
    ceiling-sse) run ceiling-sse --transport sse --scenario sweep --connections 1000 --rate 100 --warmup 60s \
      --warmup-rate 200 --duration 10s ;;
    latency-sse) run latency-sse --transport sse --scenario fanout --connections 1000 --rate 80 --warmup 120s \
      --duration 30s ;;
    idle) run idle --scenario idle --connections 10000 --duration 70s --bind-addresses "$sources" ;;
    churn) run churn --scenario churn --connections 1000 --rate 100 --churn-rate 500 --warmup 30s --duration 30s \
      --bind-addresses "$sources" ;;
    # Batches of 100, two POSTs in flight: a POST enqueues its whole batch to every subscriber at
    # once; a subscriber that reads may hold four batches beyond message-queue-size (100) before
    # it counts as slow (docs/protocol.md, "Slow clients").
    ingest) run ingest --scenario sweep --connections 10 --rate 25000 --batch 100 --publish-concurrency 2 --warmup 30s \
      --warmup-rate 25000 --duration 10s --max-rate 800000 ;;
    slow) run slow --scenario sweep --connections 1000 --slow-consumers 1 --rate 100 --warmup 60s --warmup-rate 200 \
      --duration 10s ;;
    *) return 1 ;;
  esac
}

case $1 in
  targets)
    for t in ceiling latency idle churn ingest slow ceiling-sse latency-sse; do
      target "$t"
    done
    ;;
  ceiling | latency | ingest | slow | ceiling-sse | latency-sse)
    target "$1"
    ;;
  idle | churn)
    # Alone, the issue-7 target; with flags, the scenario as specified.
    if [ $# -eq 1 ]; then
      target "$1"
    else
      scenario=$1
      shift
      run "$scenario" --scenario "$scenario" "$@"
    fi
    ;;
  fanout | sweep)
    scenario=$1
    shift
    run "$scenario" --scenario "$scenario" "$@"
    ;;
  *)
    echo "unknown target or scenario '$1'; run benchmarks/run.sh without arguments for help" >&2
    exit 2
    ;;
esac
