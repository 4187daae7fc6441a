# Sourced by the scripts in bin/: finds a JDK 25 (or newer) and exports JAVA_HOME.
# Order: $SWITCHBOARD_JAVA_HOME, $JAVA_HOME, the JDKs under /usr/lib/jvm and /opt, then `java` on PATH.

_sb_java_major() {
  # prints the feature version of the java binary given, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n1
}

_sb_find_jdk25() {
  local candidates=()
  [ -n "${SWITCHBOARD_JAVA_HOME:-}" ] && candidates+=("$SWITCHBOARD_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local d
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/jdk* /opt/java/*; do
    [ -d "$d" ] && candidates+=("$d")
  done
  if command -v java >/dev/null 2>&1; then
    local j
    j=$(readlink -f "$(command -v java)")
    candidates+=("${j%/bin/java}")
  fi
  local home major
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(_sb_java_major "$home/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      echo "$home"
      return 0
    fi
  done
  return 1
}

if ! SB_JAVA_HOME=$(_sb_find_jdk25); then
  cat >&2 <<'MSG'
error: Switchboard needs JDK 25 or newer, and none was found.
  Looked at $SWITCHBOARD_JAVA_HOME, $JAVA_HOME, /usr/lib/jvm/*, /opt/jdk* and `java` on the PATH.
  Install one (e.g. Temurin 25: https://adoptium.net, or `apt-get install temurin-25-jdk`)
  or point SWITCHBOARD_JAVA_HOME at it.
MSG
  exit 1
fi
export JAVA_HOME="$SB_JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"
# JVM flags every Switchboard process needs (Vector API, FFM/JNA native access, offline DJL).
SB_JVM_FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true)
# Maven 3.8 on JDK 25 warns about Guava's use of sun.misc.Unsafe; the flag silences it.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
