#!/usr/bin/env bash
# Prints the test classpath of one module (its test classes, its classes, its test-scope dependencies)
# after compiling it and the modules it depends on: what the benchmark launchers run on.
# Usage: bench/test-classpath.sh MODULE   (app, model-gateway, ...); expects bin/jdk25.sh sourced.
set -euo pipefail
module="${1:?usage: bench/test-classpath.sh MODULE}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
# one reactor run: -am compiles the dependencies too; each module writes the file, the named one last
mvn -B -ntp -q -pl "$module" -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
echo "$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$cp_file")"
