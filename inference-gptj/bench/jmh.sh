#!/usr/bin/env bash
# JMH kernel benchmarks of inference-gptj (src/test/java/dev/switchboard/gptj/bench).
# Usage: inference-gptj/bench/jmh.sh [REGEX] [JMH options], e.g. `-p format=f32,int8 -p n=1`, or
# `Int8Variants -p rows=32768` (REGEX, if given first, selects benchmarks; default: all of them).
# Single-threaded; divide the weight bytes (rows × cols × bytes per weight) by the time per op for GB/s.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/bin/jdk25.sh"
cd "$root"
cp_file="$root/inference-gptj/target/jmh.classpath"
mvn -B -q -ntp -pl inference-gptj -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test "-Dmdep.outputFile=$cp_file" >&2
m="$root/inference-gptj/target"
include='dev.switchboard.gptj.bench.*'
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  include="$1"
  shift
fi
exec "$JAVA_HOME/bin/java" "${SB_JVM_FLAGS[@]}" -cp "$m/test-classes:$m/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main "$include" "$@"
