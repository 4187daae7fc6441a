#!/usr/bin/env bash
# Twilio webhook ack latency while every run waits 30 s on its model (issue 5's target: p99 < 100 ms).
#
#   bench/twilio-ack.sh                              # 10 webhooks/s for 60 s after a 10 s warm-up
#   RATE=20 DURATION=120 MODEL_DELAY=30 bench/twilio-ack.sh
#
# The packaged app runs with its defaults (embedded PostgreSQL, synchronous_commit on) against a
# fake OpenAI-compatible model and a fake Twilio REST API on loopback (bench/TwilioAckBench.java).
# Latency counts from each webhook's scheduled send time (open loop). App, PostgreSQL and the
# load generator share this machine's cores. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk25.sh
[ -f app/target/switchboard.jar ] || mvn -B -q -ntp -DskipTests package
SB_JVM_FLAGS="${SB_JVM_FLAGS[*]}" exec java bench/TwilioAckBench.java
