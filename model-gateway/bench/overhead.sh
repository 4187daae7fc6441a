#!/usr/bin/env bash
# Added latency of the model gateway over a direct call to a loopback OpenAI mock, open-loop at a fixed rate.
# Usage: model-gateway/bench/overhead.sh [rate=1000] [measureSeconds=30] [warmupSeconds=15]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
source bin/jdk25.sh
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
# one reactor run: compiles the module and its dependencies, then writes the test classpath (the last module
# of the reactor, model-gateway, writes the file last)
mvn -B -ntp -q -pl model-gateway -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
exec "$JAVA_HOME/bin/java" -Xms512m -Xmx512m -XX:+UseG1GC \
  -cp "model-gateway/target/test-classes:model-gateway/target/classes:$(cat "$CP_FILE")" \
  dev.switchboard.gateway.bench.GatewayOverheadBenchmark "$@"
