#!/usr/bin/env bash
# Added latency of the model gateway over a direct call to a loopback OpenAI mock, open-loop at a fixed rate.
# Usage: model-gateway/bench/overhead.sh [rate=1000] [measureSeconds=30] [warmupSeconds=15]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
source bin/jdk25.sh
CP="$(bench/test-classpath.sh model-gateway)"
exec "$JAVA_HOME/bin/java" -Xms512m -Xmx512m -XX:+UseG1GC \
  -cp "$CP" \
  dev.switchboard.gateway.bench.GatewayOverheadBenchmark "$@"
