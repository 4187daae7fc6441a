#!/usr/bin/env bash
# Builds a self-contained folder for running the engine where there is no Maven or JDK build:
#   inference-gptj/target/gptj-dist/
#     lib/*.jar            the module jar and its runtime dependencies
#     gptj                 launcher: runs the CLI with $GPTJ_JAVA (default: java on the PATH)
#     jlink-modules.txt    JDK modules the jars need (for `jlink --add-modules $(cat jlink-modules.txt)`)
#     cpu-vs-hf.sh, hf_bench.py   the CPU comparison against HF transformers (see cpu-vs-hf.sh)
# Usage: inference-gptj/bench/package.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/bin/jdk25.sh"
cd "$root"
dist="$root/inference-gptj/target/gptj-dist"
rm -rf "$dist"
mkdir -p "$dist/lib"
mvn -B -q -ntp -pl inference-gptj -DskipTests package dependency:copy-dependencies \
  -DincludeScope=runtime "-DoutputDirectory=$dist/lib" >&2
cp "$root"/inference-gptj/target/inference-gptj-*.jar "$dist/lib/"
cp "$root/inference-gptj/bench/cpu-vs-hf.sh" "$root/inference-gptj/bench/hf_bench.py" "$dist/"

# Modules a jlinked runtime needs for every command (verified: generate with a tokenizer, logits, bench,
# random-init). jdeps lists more (java.desktop, java.sql ... from optional code paths of dependencies);
# java.xml is needed although jdeps misses it (Jackson looks up DOM support when writing JSON).
echo "java.base,java.logging,java.xml,jdk.incubator.vector,jdk.unsupported" > "$dist/jlink-modules.txt"

cat > "$dist/gptj" <<'LAUNCH'
#!/usr/bin/env bash
# Runs the gptj CLI from this folder. GPTJ_JAVA: the java binary (default: java on the PATH).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2086
exec "${GPTJ_JAVA:-java}" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -Dai.djl.offline=true -XX:MaxRAMPercentage=75 ${GPTJ_JAVA_OPTS:-} \
  -cp "$here/lib/*" dev.switchboard.gptj.internal.cli.GptjCli "$@"
LAUNCH
chmod +x "$dist/gptj" "$dist/cpu-vs-hf.sh"
echo "$dist ($(du -sh "$dist" | cut -f1)); jlink modules: $(cat "$dist/jlink-modules.txt")"
