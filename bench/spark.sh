#!/usr/bin/env bash
# The Spark build on this machine in local mode, next to bench/run.sh's single-machine figures:
# the same data sets, audiences and file destinations, `build` instead of `sync`. Spark is not in
# the jar, so the classpath comes from Maven (the `provided` spark-sql dependency), and the JVM
# gets the Java options Spark 4 needs on Java 17 (pom.xml's spark.java.options).
#
#   bench/spark.sh                          # the 1M set on local[2], 3 runs
#   SIZES="100000 1000000" MASTER="local[2]" RUNS=1 bench/spark.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-1000000}
RUNS=${RUNS:-3}
MASTER=${MASTER:-local[2]}
DATA=${DATA:-/tmp/audience-bench}
HEAP=${HEAP:-4g}
JAR=target/audience-exporter.jar
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

[ -f "$JAR" ] || mvn -B -q package -DskipTests
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile="$WORK/cp" > /dev/null 2>&1
SPARK_OPTS=$(mvn -B -q -Dstyle.color=never help:evaluate -Dexpression=spark.java.options -DforceStdout 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g')

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GB; Spark $MASTER, driver -Xmx$HEAP, $RUNS runs each"
printf '\n%-34s %8s %9s %12s\n' "run" "min s" "median s" "peak RSS MB"
for n in $SIZES; do
  dir="$DATA/$n"
  [ -f "$dir/events.csv" ] || java -jar "$JAR" generate --customers "$n" --out "$dir" > /dev/null
  for r in $(seq "$RUNS"); do
    rm -rf "$WORK/out"
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %M" -o "$WORK/time" java $SPARK_OPTS -Xmx"$HEAP" -Dspark.master="$MASTER" -Dspark.ui.enabled=false \
      -cp "$JAR:$(cat "$WORK/cp")" se.nestit.audience.spark.SparkBuild build \
      --config bench/exporter.yaml --audiences bench/audiences --data "$dir" --out "$WORK/out" --as-of 2026-11-22 \
      > /dev/null 2> "$WORK/log" || { tail -20 "$WORK/log" >&2; exit 1; }
    cat "$WORK/time"
  done | sort -n | awk -v name="build $n customers, $MASTER" '{ wall[NR] = $1; if ($2 > rss) rss = $2 }
    END { printf "%-34s %8.2f %9.2f %12d\n", name, wall[1], (NR % 2 ? wall[(NR + 1) / 2] : (wall[NR / 2] + wall[NR / 2 + 1]) / 2), rss / 1024 }'
done
