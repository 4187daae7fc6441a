#!/usr/bin/env bash
# Packs what bench/gpu.sh needs on the GPU machine (which has no JDK, no Maven and no network) into
# one folder, by default /work/main/.device (git-ignored; name it in the device call's `carry`):
#   jdk.tgz       jlinked JDK 25 runtime (java.base, jdk.incubator.vector, java.logging,
#                 jdk.unsupported + what the jars need per jdeps), built once and reused
#   lib/          inference-gptj jar + runtime dependencies (DJL tokenizers stripped to linux-x86_64)
#   test/         test classes + fixtures (GPU tests run there with the JUnit console launcher)
#   bench/        gpu.sh, hf_gpu_bench.py, gpu_table.py
#   cpu/          cpu-vs-hf.sh, hf_bench.py and a gptj launcher (issue 4's CPU comparison)
#   jmh/          with JMH=1 only: the JMH kernel benchmarks and bench/jmh-device.sh as jmh/run.sh
# Keep the whole under the 64 MiB a device call carries.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-/work/main/.device}"
cd "$root"
source bin/jdk25.sh >/dev/null
rm -rf inference-gptj/target/device-lib inference-gptj/target/device-test-lib
mvn -B -ntp -q -pl inference-gptj -am -DskipTests package
mvn -B -ntp -q -pl inference-gptj test-compile
mvn -B -ntp -q -pl inference-gptj dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/device-lib
mvn -B -ntp -q -pl inference-gptj dependency:copy-dependencies -DincludeScope=test -DexcludeScope=runtime \
  -DincludeArtifactIds=assertj-core -DoutputDirectory=target/device-test-lib 2>/dev/null || true
mvn -B -ntp -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:6.0.3 \
  -DoutputDirectory=inference-gptj/target/device-test-lib

rm -rf "$out/lib" "$out/test" "$out/bench"
mkdir -p "$out/lib" "$out/test/lib" "$out/bench"
cp inference-gptj/target/inference-gptj-*.jar "$out/lib/"
for j in inference-gptj/target/device-lib/*.jar; do
  case "$(basename "$j")" in
    tokenizers-*.jar)
      tmp=$(mktemp -d); (cd "$tmp" && unzip -q "$root/$j" && rm -rf native/lib/win-* native/lib/osx-* native/lib/linux-aarch64 \
        && zip -q -r -9 "$out/lib/$(basename "$j")" .); rm -rf "$tmp" ;;
    *) cp "$j" "$out/lib/" ;;
  esac
done
cp inference-gptj/target/device-test-lib/*.jar "$out/test/lib/"
cp -r inference-gptj/target/test-classes "$out/test/classes"
rm -rf "$out/test/classes/gptj/tokenizer"
cp inference-gptj/bench/gpu.sh inference-gptj/bench/hf_gpu_bench.py inference-gptj/bench/gpu_table.py "$out/bench/"
# issue 4's CPU comparison, laid out as its script expects (bench/package.sh's folder): the script,
# its hf_bench.py and a `gptj` launcher, here over the jars in lib/
rm -rf "$out/cpu"
mkdir -p "$out/cpu"
cp inference-gptj/bench/cpu-vs-hf.sh inference-gptj/bench/hf_bench.py inference-gptj/bench/hf-shapes.sh inference-gptj/bench/hf_shapes.py "$out/cpu/"
cat > "$out/cpu/gptj" <<'LAUNCH'
#!/usr/bin/env bash
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2086
exec "${GPTJ_JAVA:-java}" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -Dai.djl.offline=true -XX:MaxRAMPercentage=75 ${GPTJ_JAVA_OPTS:-} \
  -cp "$here/../lib/*" dev.switchboard.gptj.internal.cli.GptjCli "$@"
LAUNCH
chmod +x "$out/cpu/gptj" "$out/cpu/cpu-vs-hf.sh" "$out/cpu/hf-shapes.sh"

rm -rf "$out/jmh"
if [ "${JMH:-0}" = 1 ]; then
  mkdir -p "$out/jmh/classes/dev/switchboard/gptj"
  cp -r inference-gptj/target/test-classes/META-INF "$out/jmh/classes/"
  cp -r inference-gptj/target/test-classes/dev/switchboard/gptj/bench "$out/jmh/classes/dev/switchboard/gptj/"
  mvn -B -ntp -q dependency:copy -Dartifact=org.openjdk.jmh:jmh-core:1.37 -DoutputDirectory="$out/jmh"
  mvn -B -ntp -q dependency:copy -Dartifact=net.sf.jopt-simple:jopt-simple:5.0.4 -DoutputDirectory="$out/jmh"
  mvn -B -ntp -q dependency:copy -Dartifact=org.apache.commons:commons-math3:3.6.1 -DoutputDirectory="$out/jmh"
  cp inference-gptj/bench/jmh-device.sh "$out/jmh/run.sh"
fi

if [ ! -f "$out/jdk.tgz" ]; then
  # jdeps over all jars also names java.desktop (DJL's image classes) and java.sql (Jackson's optional
  # date handlers); neither is loaded by the paths run there, and java.desktop alone would add 12 MB.
  # java.management: JMH (bench/jmh.sh's benchmarks, run there from the jmh folder).
  mods="java.base,jdk.incubator.vector,java.logging,jdk.unsupported,java.xml,java.sql,java.management,jdk.management"
  echo "jlink modules: $mods"
  tmp=$(mktemp -d)
  "$JAVA_HOME/bin/jlink" --add-modules "$mods" --compress zip-9 --strip-debug --no-man-pages --no-header-files \
    --output "$tmp/jdk"
  tar -C "$tmp" -czf "$out/jdk.tgz" jdk
  rm -rf "$tmp"
fi
du -sh "$out"/* | sort -h
du -sh "$out"
