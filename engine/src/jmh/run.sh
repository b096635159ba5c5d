#!/bin/bash
# Builds the engine's JMH benchmarks (Maven profile jmh) and runs BenchMain.
# Usage: engine/src/jmh/run.sh [REGEX]   (env: BENCH_DIR=/tmp where files go; JAVA_OPTS e.g. -Dbench.wi=2 -Dbench.i=3)
#   more JAVA_OPTS: -Dbench.size=1024 (that entry size only), -Dbench.topics=8 (append cases with that topic count only),
#   -Dbench.jvmArgs=-XX:+UnlockDiagnosticVMOptions,-XX:+DumpPerfMapAtExit (comma-separated, for the forked JVMs)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
./mvnw -q -Pjmh -pl engine test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.classpath \
  -Dmdep.includeScope=test >&2
cp="engine/target/test-classes:engine/target/classes:$(cat engine/target/jmh.classpath)"
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
exec "$java" ${JAVA_OPTS:-} -Dbench.dir="${BENCH_DIR:-/tmp}" -cp "$cp" dev.walrus.engine.bench.BenchMain "${1:-}"
