#!/usr/bin/env bash
# HTTP load benchmark: sync runs of input → transform → output, each run and its trace persisted
# (one final write per run, synchronous_commit on), against the packaged app with its embedded
# PostgreSQL on this machine. Everything — app, PostgreSQL and wrk — shares the machine's cores.
#
#   bench/load.sh                  # 30 s at 16 connections after a 20 s warm-up
#   DURATION=60s CONNECTIONS=128 bench/load.sh
#   JFR=/tmp/bench.jfr bench/load.sh   # also records a JFR profile of the measured window
#   NICE=-10 bench/load.sh             # (root) run app, PostgreSQL and wrk ahead of other jobs on a shared machine
#
# Installs wrk from Debian apt when missing. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk25.sh

DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-20s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
PORT=${PORT:-18089}
export SB_KEY=bench-admin-key-0123456789abcdef

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian apt)..." >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi
[ -f app/target/switchboard.jar ] || mvn -B -q -ntp -DskipTests package

PRIO=(); [ -n "${NICE:-}" ] && PRIO=(nice -n "$NICE")
# the JVM options bin/switchboard uses (ZGC: sub-millisecond pauses keep the latency tail short)
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseZGC"}

DATA=$(mktemp -d /tmp/switchboard-bench-XXXXXX)
LOG="$DATA/app.log"
"${PRIO[@]}" java "${SB_JVM_FLAGS[@]}" $JAVA_OPTS ${BENCH_JAVA_OPTS:-} -jar app/target/switchboard.jar --server.port="$PORT" \
  --switchboard.data-dir="$DATA" --switchboard.api-key="$SB_KEY" --switchboard.demo.enabled=false \
  --logging.level.root=WARN >"$LOG" 2>&1 &
APP=$!
cleanup() { kill "$APP" 2>/dev/null && wait "$APP" 2>/dev/null; rm -rf "$DATA"; }
trap cleanup EXIT

URL="http://127.0.0.1:$PORT"
for _ in $(seq 1 240); do
  curl -fs "$URL/actuator/health" >/dev/null 2>&1 && break
  kill -0 "$APP" 2>/dev/null || { echo "the app did not start:"; cat "$LOG"; exit 1; }
  sleep 0.5
done

APP_ID=$(curl -fsS -H "Authorization: Bearer $SB_KEY" -H 'Content-Type: application/json' "$URL/api/v1/apps" -d '{
  "name": "bench", "graph": {
    "nodes": [
      {"id": "in", "type": "input", "config": {"fields": [{"name": "text", "type": "text", "required": true, "maxLength": 200}]}},
      {"id": "t", "type": "transform", "config": {"template": "Echo: {{in.text}}"}},
      {"id": "out", "type": "output", "config": {"values": {"answer": "{{t.text}}"}}}],
    "edges": [{"from": "in", "to": "t"}, {"from": "t", "to": "out"}]}}' | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
curl -fsS -o /dev/null -H "Authorization: Bearer $SB_KEY" -X POST "$URL/api/v1/apps/$APP_ID/publish"
RUN_URL="$URL/api/v1/apps/$APP_ID/runs"

echo "JVM: $JAVA_OPTS ${BENCH_JAVA_OPTS:-}${NICE:+; nice $NICE}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warm-up: $WARMUP at $CONNECTIONS connections"
"${PRIO[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/run.lua "$RUN_URL" >/dev/null
echo "measure: $DURATION at $CONNECTIONS connections ($THREADS wrk thread)"
# CPU time (clock ticks) of the app and of PostgreSQL (postmaster + pooled backends) over the run
ticks() { local s=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && s=$((s + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$s"; }
PGMASTER=$(head -1 "$DATA/postgres/postmaster.pid")
pg_pids() { echo "$PGMASTER" $(pgrep -P "$PGMASTER"); }
if [ -n "${JFR:-}" ]; then  # JFR=/tmp/run.jfr bench/load.sh: profile the measured window only
  jcmd "$APP" JFR.start name=bench settings=profile filename="$JFR" >/dev/null
fi
A0=$(ticks "$APP"); P0=$(ticks $(pg_pids)); T0=$(date +%s.%N)
"${PRIO[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/run.lua "$RUN_URL" &
WRK=$!
wait "$WRK" || true
A1=$(ticks "$APP"); P1=$(ticks $(pg_pids)); T1=$(date +%s.%N)
[ -n "${JFR:-}" ] && jcmd "$APP" JFR.stop name=bench >/dev/null
HZ=$(getconf CLK_TCK)
awk -v a=$((A1 - A0)) -v p=$((P1 - P0)) -v hz="$HZ" -v t0="$T0" -v t1="$T1" 'BEGIN {
  s = t1 - t0; printf "CPU used (cores, averaged over %.1f s): app JVM %.2f, PostgreSQL %.2f (wrk not counted)\n", s, a / hz / s, p / hz / s }'
RECORDED=$(curl -fsS -H "Authorization: Bearer $SB_KEY" "$URL/actuator/prometheus" | grep '^switchboard_runs_total' | grep 'status="succeeded"' | awk '{s+=$2} END {printf "%d", s}')
echo "runs recorded as succeeded by the app (warm-up included): $RECORDED"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
