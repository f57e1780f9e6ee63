#!/usr/bin/env bash
# A JFR profile of one run of the benchmark's job with the README's production options: CPU samples
# per thread and their top frames, JIT compilations and deoptimizations, GC pauses
# (bench/JfrProfile.java). By default a night with nothing changed, over a first sync made before
# it untimed; "fresh" profiles the first sync itself.
#
#   bench/profile.sh              # quiet night of the 1M set
#   SIZE=100000 bench/profile.sh fresh
#
# The recording stays in $OUT/run.jfr for `jfr print` or JDK Mission Control.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-1000000}
DATA=${DATA:-/tmp/audience-bench}/$SIZE
OUT=${OUT:-/tmp/audience-profile}
MODE=${1:-again}
JAR=target/audience-exporter.jar
JAVA_OPTS=${JAVA_OPTS:-"-XX:SharedArchiveFile=target/audience-exporter.jsa -XX:+UseParallelGC"}
HEAP="$(( (SIZE + 999999) / 1000000 * 900 ))m"

[ -f "$JAR" ] && [ -f target/audience-exporter.jsa ] || mvn -B -q package -DskipTests
[ -f "$DATA/events.csv" ] || java -jar "$JAR" generate --customers "$SIZE" --out "$DATA" > /dev/null

run() {
  java $JAVA_OPTS -Xmx"$HEAP" "$@" -jar "$JAR" sync --config bench/exporter.yaml --audiences bench/audiences \
    --data "$DATA" --out "$OUT/out" --state "$OUT/state" --as-of 2026-11-22 --no-progress > /dev/null
}

mkdir -p "$OUT"
if [ "$MODE" = fresh ] || [ ! -d "$OUT/state" ]; then
  rm -rf "$OUT/out" "$OUT/state"
  [ "$MODE" = fresh ] || run
fi
# every compilation (the default settings keep only those over 1 s); line numbers inside inlined code
run -XX:StartFlightRecording=filename="$OUT/run.jfr",settings=profile,jdk.Compilation#threshold=0ms \
  -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints 2> "$OUT/jfr.log"
java bench/JfrProfile.java "$OUT/run.jfr"
