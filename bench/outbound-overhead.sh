#!/usr/bin/env bash
# What the outbound (SSRF) guard adds to one request on loopback, closed loop, one client thread:
# the JDK client direct (keep-alive) vs the same client through GuardedProxy (workspace model
# endpoints) vs OutboundHttp (http and webhook nodes). Server and client share this machine and JVM.
# Usage: bench/outbound-overhead.sh [requests=20000]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
source bin/jdk25.sh
CP="$(bench/test-classpath.sh app)"
exec "$JAVA_HOME/bin/java" "${SB_JVM_FLAGS[@]}" -Xms512m -Xmx512m \
  -cp "$CP" \
  dev.switchboard.app.outbound.OutboundOverheadBenchmark "$@"
