#!/usr/bin/env bash
# Packs the overhead benchmark with a jlinked JDK 25 into model-gateway/target/bench-dist (~55 MB), for running
# on a machine without a JDK:  bench-dist/jdk/bin/java -cp "bench-dist/lib/*" \
#   dev.switchboard.gateway.bench.GatewayOverheadBenchmark [rate] [measureSeconds] [warmupSeconds]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
source bin/jdk25.sh
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -ntp -q -pl model-gateway -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
D=model-gateway/target/bench-dist
rm -rf "$D"
mkdir -p "$D/lib"
tr ':' '\n' < "$CP_FILE" \
  | grep -E 'jackson|resilience4j|micrometer|HdrHistogram|LatencyUtils|caffeine|bucket4j|slf4j-api|jspecify|error_prone' \
  | xargs -I{} cp {} "$D/lib/"
(cd model-gateway/target/classes && "$JAVA_HOME/bin/jar" cf ../bench-dist/lib/model-gateway.jar .)
(cd model-gateway/target/test-classes && "$JAVA_HOME/bin/jar" cf ../bench-dist/lib/model-gateway-bench.jar dev/switchboard/gateway/bench)
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.net.http,java.logging,java.management,java.sql,java.xml,jdk.management,jdk.unsupported \
  --compress zip-9 --strip-debug --no-man-pages --no-header-files --output "$D/jdk"
du -sh "$D"
