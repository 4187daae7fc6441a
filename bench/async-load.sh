#!/usr/bin/env bash
# Durable async-run benchmark: async runs of input → transform → ai (a fake OpenAI-compatible model
# on loopback) → output, each accepted run written `queued`, claimed from the PostgreSQL queue
# (FOR UPDATE SKIP LOCKED, leases), checkpointed (the ai node's result rides along with the final
# write; TWO_MODELS=1 adds a checkpoint statement) and finished with its trace — synchronous_commit
# on. wrk submits as fast as it can for DURATION (a connection refused with 429 waits Retry-After).
# Figures: runs completed during the flood; end to end (every run accepted in the window, until the
# last is final: accepting and executing share the cores); CPU per run; claim latency; and what
# happened to every accepted run (lost / executed twice).
#
#   bench/async-load.sh                      # one replica, 30 s after a 30 s warm-up (the JIT needs it)
#   REPLICAS=2 bench/async-load.sh           # two app processes on one PostgreSQL
#   MODEL_DELAY_MS=200 CONCURRENCY=512 bench/async-load.sh
#   RATE=400 bench/async-load.sh            # paced at 400 runs/s per replica (claim and pickup latency below capacity)
#   TWO_MODELS=1 bench/async-load.sh        # input → ai → ai → output: one checkpoint statement per run
#   STATEMENTS=1 R1_ARGS=--switchboard.db.embedded.settings.shared_preload_libraries=pg_stat_statements \
#     bench/async-load.sh                    # plus PostgreSQL's statement counts and times
#   MODEL_JAVA_OPTS=-Dsun.net.httpserver.maxIdleConnections=16 bench/async-load.sh  # a server closing pooled connections
#   NICE=-10 bench/async-load.sh             # (root) run ahead of other jobs on a shared machine
#
# Everything (PostgreSQL, the app(s), the fake model, wrk) shares this machine's cores; traffic
# goes to 127.0.0.1 only. Needs wrk and psql (installed from Debian apt when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk25.sh

REPLICAS=${REPLICAS:-1}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-30}
CONNECTIONS=${CONNECTIONS:-16}
CONCURRENCY=${CONCURRENCY:-256}
MODEL_DELAY_MS=${MODEL_DELAY_MS:-0}
BASE_PORT=${BASE_PORT:-18190}
export SB_KEY=bench-admin-key-0123456789abcdef CONNECTIONS RATE=${RATE:-}

need() { command -v "$1" >/dev/null 2>&1 || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo";
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need psql postgresql-client
[ -f app/target/switchboard.jar ] || mvn -B -q -ntp -DskipTests package

DATA=$(mktemp -d /tmp/switchboard-async-bench-XXXXXX)
PIDS=()
cleanup() { mkdir -p /tmp/switchboard-async-bench-last && cp "$DATA"/*.log /tmp/switchboard-async-bench-last/ 2>/dev/null; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; rm -rf "$DATA"; }
trap cleanup EXIT

MODEL_PORT=$((BASE_PORT + 9)); PG_PORT=$((BASE_PORT + 8))
PRIO=(); [ -n "${NICE:-}" ] && PRIO=(nice -n "$NICE")
# MODEL_JAVA_OPTS=-Dsun.net.httpserver.maxIdleConnections=16: the fake model closes more keep-alive connections
# (the JDK HttpServer closes one going idle beyond that count, 200 by default, without Connection: close)
"${PRIO[@]}" java ${MODEL_JAVA_OPTS:-} bench/FakeModel.java "$MODEL_PORT" >"$DATA/model.log" 2>&1 &
PIDS+=($!)

JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseZGC -Xmx1g"}
COMMON=(--switchboard.api-key="$SB_KEY" --switchboard.demo.enabled=false --logging.level.root=WARN
  --switchboard.gateway.providers.fake.type=openai-compatible
  --switchboard.gateway.providers.fake.base-url="http://127.0.0.1:$MODEL_PORT/v1"
  --switchboard.gateway.providers.fake.api-key=sk-fake
  --switchboard.runs.async-concurrency="$CONCURRENCY"
  "--management.metrics.distribution.expiry[switchboard.queue]=${DURATION}s"
  "--management.metrics.distribution.buffer-length[switchboard.queue]=1")
start_app() { # name port extra-args...
  local name=$1 port=$2; shift 2
  "${PRIO[@]}" java "${SB_JVM_FLAGS[@]}" $JAVA_OPTS -jar app/target/switchboard.jar --server.port="$port" \
    --switchboard.instance-id="$name" --switchboard.data-dir="$DATA/$name" "${COMMON[@]}" "$@" >"$DATA/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && return 0
    kill -0 "${PIDS[-1]}" 2>/dev/null || { echo "$name did not start:"; tail -50 "$DATA/$name.log"; exit 1; }
    sleep 0.5
  done
  echo "$name did not start in time"; exit 1
}
# replica 1 owns the (embedded) PostgreSQL; the others connect to it like to any external one
start_app r1 "$BASE_PORT" --switchboard.db.embedded.port="$PG_PORT" ${R1_ARGS:-}
DB_URL="jdbc:postgresql://localhost:$PG_PORT/switchboard"
for i in $(seq 2 "$REPLICAS"); do
  start_app "r$i" $((BASE_PORT + i - 1)) --spring.datasource.url="$DB_URL" --spring.datasource.username=postgres
done
PSQL=(psql -h localhost -p "$PG_PORT" -U postgres -d switchboard -At)

URL="http://127.0.0.1:$BASE_PORT"
MODEL="fake/delay-$MODEL_DELAY_MS"
if [ -n "${TWO_MODELS:-}" ]; then
  # input → ai → ai → output: the first model answer is checkpointed (its own statement) before the
  # second model call starts, as durability requires
  GRAPH='{"nodes": [
      {"id": "in", "type": "input", "config": {"fields": [{"name": "text", "type": "text", "required": true, "maxLength": 200}]}},
      {"id": "ai", "type": "ai", "config": {"model": "'"$MODEL"'", "prompt": "Sentiment of: {{in.text}}", "maxTokens": 8}},
      {"id": "ai2", "type": "ai", "config": {"model": "'"$MODEL"'", "prompt": "One word for: {{ai.text}}", "maxTokens": 8}},
      {"id": "out", "type": "output", "config": {"values": {"sentiment": "{{ai2.text}}"}}}],
    "edges": [{"from": "in", "to": "ai"}, {"from": "ai", "to": "ai2"}, {"from": "ai2", "to": "out"}]}'
else
  # input → transform → ai → output: the model answer's checkpoint rides along with the final write
  GRAPH='{"nodes": [
      {"id": "in", "type": "input", "config": {"fields": [{"name": "text", "type": "text", "required": true, "maxLength": 200}]}},
      {"id": "ask", "type": "transform", "config": {"template": "Sentiment of: {{in.text}}"}},
      {"id": "ai", "type": "ai", "config": {"model": "'"$MODEL"'", "prompt": "{{ask.text}}", "maxTokens": 8}},
      {"id": "out", "type": "output", "config": {"values": {"sentiment": "{{ai.text}}"}}}],
    "edges": [{"from": "in", "to": "ask"}, {"from": "ask", "to": "ai"}, {"from": "ai", "to": "out"}]}'
fi
APP_ID=$(curl -fsS -H "Authorization: Bearer $SB_KEY" -H 'Content-Type: application/json' "$URL/api/v1/apps" \
  -d '{"name": "async bench", "graph": '"$GRAPH"'}' | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
curl -fsS -o /dev/null -H "Authorization: Bearer $SB_KEY" -X POST "$URL/api/v1/apps/$APP_ID/publish"

metric() { # port name [label filter] -> sum of matching samples
  curl -fsS "http://127.0.0.1:$1/actuator/prometheus" | grep "^$2" | grep -F "${3:-}" | awk '{s+=$2} END {printf "%.6f", s}'
}
completed() { local s=0 i; for i in $(seq 1 "$REPLICAS"); do
  s=$(awk -v a="$s" -v b="$(metric $((BASE_PORT + i - 1)) switchboard_runs_total 'mode="async"')" 'BEGIN {printf "%d", a + b}'); done; echo "$s"; }
drain() { for _ in $(seq 1 600); do
  [ "$("${PSQL[@]}" -c "SELECT count(*) FROM runs WHERE status IN ('queued', 'running')")" = 0 ] && return 0; sleep 0.5; done; }
load() { # seconds -> runs wrk against every replica at once
  local i w=(); for i in $(seq 1 "$REPLICAS"); do
    "${PRIO[@]}" wrk -t1 -c"$CONNECTIONS" -d"$1s" -s bench/async.lua "http://127.0.0.1:$((BASE_PORT + i - 1))/api/v1/apps/$APP_ID/runs?mode=async" \
      >"$DATA/wrk-$i.out" 2>&1 &
    w+=($!)
  done
  for i in "${w[@]}"; do wait "$i" || true; done
  for i in $(seq 1 "$REPLICAS"); do grep -h "accepted\|unexpected" "$DATA/wrk-$i.out" | sed "s/^/  r$i wrk: /"; done; }
ticks() { local s=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && s=$((s + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$s"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JVM: $JAVA_OPTS${NICE:+; nice $NICE}"
if [ -n "${TWO_MODELS:-}" ]; then PER_RUN=two; SHAPE="input → ai → ai → output"; else PER_RUN=one; SHAPE="input → transform → ai → output"; fi
echo "graph: $SHAPE"
echo "replicas: $REPLICAS, async-concurrency $CONCURRENCY each, fake model delay ${MODEL_DELAY_MS} ms, wrk $CONNECTIONS connections per replica${RATE:+, paced at $RATE runs/s per replica}"
echo "warm-up: ${WARMUP} s"; load "$WARMUP" >/dev/null; drain
PGPIDS="$(head -1 "$DATA/r1/postgres/postmaster.pid") $(pgrep -P "$(head -1 "$DATA/r1/postgres/postmaster.pid")" | tr '\n' ' ')"
APPS="${PIDS[*]:1}"
C0=$(completed); T0=$(date +%s.%N); A0=$(ticks $APPS); P0=$(ticks $PGPIDS); M0=$(ticks "${PIDS[0]}")
echo "measure: ${DURATION} s"; load "$DURATION"
PGPIDS=$(echo $PGPIDS $(pgrep -P "$(head -1 "$DATA/r1/postgres/postmaster.pid")") | tr ' ' '\n' | sort -u | tr '\n' ' ') # each once
C1=$(completed); T1=$(date +%s.%N); A1=$(ticks $APPS); P1=$(ticks $PGPIDS); M1=$(ticks "${PIDS[0]}")
DEPTH=$("${PSQL[@]}" -c "SELECT count(*) FROM runs WHERE status = 'queued'")
for i in $(seq 1 "$REPLICAS"); do
  P=$((BASE_PORT + i - 1))
  printf "  r%d: claim statement p50 %.2f ms, p99 %.2f ms; accepted→claimed p99 %.0f ms\n" "$i" \
    "$(awk -v v="$(metric $P switchboard_queue_claim_seconds 'quantile="0.5"')" 'BEGIN{print v*1000}')" \
    "$(awk -v v="$(metric $P switchboard_queue_claim_seconds 'quantile="0.99"')" 'BEGIN{print v*1000}')" \
    "$(awk -v v="$(metric $P switchboard_queue_wait_seconds 'quantile="0.99"')" 'BEGIN{print v*1000}')"
done
awk -v c0="$C0" -v c1="$C1" -v t0="$T0" -v t1="$T1" -v d="$DEPTH" -v a=$((A1 - A0)) -v p=$((P1 - P0)) -v m=$((M1 - M0)) \
  -v hz="$(getconf CLK_TCK)" 'BEGIN { s = t1 - t0
  printf "completed: %d runs in %.1f s = %.0f runs/s (queue depth at the end: %d)\n", c1 - c0, s, (c1 - c0) / s, d
  printf "CPU (cores): app JVM(s) %.2f, PostgreSQL %.2f, fake model %.2f (wrk not counted)\n", a / hz / s, p / hz / s, m / hz / s }'
echo "draining the queue..."; drain
# end to end: every run accepted in the window, from the window's start until the last one finished —
# accepting and executing share the cores, so this is the rate the machine sustains
T2=$(date +%s.%N); A2=$(ticks $APPS); P2=$(ticks $PGPIDS); M2=$(ticks "${PIDS[0]}")
N=$("${PSQL[@]}" -c "SELECT count(*) FROM runs WHERE created_at >= to_timestamp($T0)")
awk -v n="$N" -v t0="$T0" -v t2="$T2" -v a=$((A2 - A0)) -v p=$((P2 - P0)) -v m=$((M2 - M0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {
  s = t2 - t0; per = (a + p + m) / hz / n * 1000
  printf "end to end: %d runs accepted in the window, all final after %.1f s = %.0f runs/s\n", n, s, n / s
  printf "CPU per run (accept + execute): app %.2f ms, PostgreSQL %.2f ms, fake model %.2f ms = %.2f ms (%d cores idle would fit %.0f runs/s)\n",
    a / hz / n * 1000, p / hz / n * 1000, m / hz / n * 1000, per, '"$(nproc)"', '"$(nproc)"' * 1000 / per }'
echo "what became of every accepted run:"
"${PSQL[@]}" -c "SELECT '  ' || status || ': ' || count(*) || ' (claimed more than once: ' || count(*) FILTER (WHERE claims > 1) || ')' FROM runs GROUP BY status"
"${PSQL[@]}" -c "SELECT '    not succeeded: ' || status || ' ' || coalesce(error::text, '') || ' × ' || count(*) FROM runs WHERE status <> 'succeeded' GROUP BY status, error::text ORDER BY count(*) DESC LIMIT 5"
"${PSQL[@]}" -c "SELECT '  executed by ' || runner || ': ' || count(*) FROM runs GROUP BY runner ORDER BY runner"
# the gateway's view: failed model-call attempts by error type, retries, calls an open circuit refused, and
# the log lines of circuits opening (a resent stale keep-alive connection is not a failed attempt)
for i in $(seq 1 "$REPLICAS"); do
  curl -fsS "http://127.0.0.1:$((BASE_PORT + i - 1))/actuator/prometheus" >"$DATA/r$i-metrics.log"
  awk -v r="r$i" '
    /^gen_ai_client_operation_duration_seconds_count/ && /error_type="/ && !/error_type="none"/ {
      match($0, /error_type="[^"]*"/); failed[substr($0, RSTART + 12, RLENGTH - 13)] += $NF }
    /^switchboard_gateway_retries_total/ { match($0, /error_type="[^"]*"/); retries[substr($0, RSTART + 12, RLENGTH - 13)] += $NF }
    /^switchboard_gateway_rejections_total/ { match($0, /reason="[^"]*"/); rej[substr($0, RSTART + 8, RLENGTH - 9)] += $NF }
    function list(a,  k, s) { s = ""; for (k in a) s = s (s == "" ? "" : ", ") k " " a[k]; return s == "" ? "none" : s }
    END { printf "  %s gateway: failed attempts: %s; retries: %s; refused before calling: %s\n", r, list(failed), list(retries), list(rej) }' \
    "$DATA/r$i-metrics.log"
  grep -h "circuit of" "$DATA/r$i.log" | cut -c1-400 | sed "s/^/  r$i log: /" | head -5 || true
done
RUNS=$("${PSQL[@]}" -c "SELECT count(*) FROM runs")
echo "  runs: $RUNS, model calls: $(curl -fsS "http://127.0.0.1:$MODEL_PORT/stats") ($PER_RUN per run = none lost, none repeated)"
[ -n "${STATEMENTS:-}" ] && "${PSQL[@]}" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null && "${PSQL[@]}" -c "SELECT round(total_exec_time::numeric, 0) || ' ms  ' || calls || ' calls  ' || left(regexp_replace(query, '\s+', ' ', 'g'), 110) FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
