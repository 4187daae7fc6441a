#!/usr/bin/env bash
# Added latency of the app's OpenAI-compatible endpoint (POST /v1/chat/completions: auth, parsing,
# gateway with the PostgreSQL budget store, upstream call, OpenAI response) over calling the
# loopback OpenAI mock directly, open-loop at a fixed rate. App, embedded PostgreSQL, mock and load
# generator share this machine (and one JVM, except PostgreSQL).
# Usage: bench/openai-overhead.sh [rate=200] [measureSeconds=20] [warmupSeconds=10]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
source bin/jdk25.sh
CP="$(bench/test-classpath.sh app)"
exec "$JAVA_HOME/bin/java" "${SB_JVM_FLAGS[@]}" -Xms1g -Xmx1g -XX:+UseZGC \
  -cp "$CP" \
  dev.switchboard.app.bench.OpenAiEndpointOverheadBenchmark "$@"
