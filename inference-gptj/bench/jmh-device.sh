#!/usr/bin/env bash
# The JMH kernel benchmarks (src/test/java/dev/switchboard/gptj/bench) on the GPU machine's CPU, from
# the jmh/ folder that `JMH=1 bench/package-device.sh` adds to .device/ (test classes + JMH jars):
#   .device/jmh/run.sh 'Int8VariantsBenchmark.(engineDot|farStreams2)$' -f 1 -wi 1 -i 3 -p rows=98304 -t 2
# Use rows large enough that the matrix exceeds that machine's last-level cache (300 MB there).
# Prints JMH's result table only (the whole log is /tmp/jmh.log there).
D="$(cd "$(dirname "$0")/.." && pwd)"; W=/tmp/sb; mkdir -p $W
[ -f $W/jdk/jmh-ok ] || { rm -rf $W/jdk; tar -C "$W" -xzf "$D/jdk.tgz"; touch $W/jdk/jmh-ok; }
CP="$D/jmh/classes:$(ls $D/jmh/*.jar $D/lib/inference-gptj-*.jar | tr '\n' ':')"
"$W/jdk/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$CP" \
  org.openjdk.jmh.Main "${@:-Int8Variants}" > /tmp/jmh.log 2>&1
grep -E "^(Benchmark|[A-Z][A-Za-z0-9]+Benchmark\.)" /tmp/jmh.log || tail -20 /tmp/jmh.log
