#!/usr/bin/env bash
# The end-to-end benchmark: generates data sets with `generate`, runs `sync` on each (three file
# destinations, the five audiences in bench/audiences) and prints wall time, throughput and peak
# resident memory, next to DuckDB doing the same job (bench/duckdb/audiences.sql, two threads, its
# files checked byte for byte against ours) and the ratio of the two medians. Then, on the 1M set, a
# sync over the previous run with nothing changed (the nightly case) and `plan --only` of one audience.
#
#   bench/run.sh                       # 100k, 1M and 3M customers, 3 runs each
#   SIZES="1000000" RUNS=5 bench/run.sh
#
# Data sets are kept in $DATA between runs (about 3.1 GB per million customers).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100000 1000000 3000000"}
RUNS=${RUNS:-3}
DATA=${DATA:-/tmp/audience-bench}
# heap: 900 MB per million customers (the README's advice), at least 900 MB; GC: the throughput collector; the class-data archive
# that `mvn package` makes (docs/operations.md, "Start-up time")
JAVA_OPTS=${JAVA_OPTS:-"-XX:SharedArchiveFile=target/audience-exporter.jsa -XX:+UseParallelGC"}
JAR=target/audience-exporter.jar
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

[ -f "$JAR" ] && [ -f target/audience-exporter.jsa ] || mvn -B -q package -DskipTests
DUCKDB=target/bench/duckdb_jdbc-2.0.0.1.jar
[ -f "$DUCKDB" ] || mvn -B -q dependency:copy -Dartifact=org.duckdb:duckdb_jdbc:2.0.0.1 -DoutputDirectory=target/bench

# one timed run from nothing (the first sync: everything is added, and the audit trail records every add);
# prints "<wall seconds> <peak RSS in KB>"
timed() {
  rm -rf "$WORK/out" "$WORK/state"
  again "$@"
}

# one timed run over what the previous run left (a night without changes in the data)
again() {
  /usr/bin/time -f "%e %M" -o "$WORK/time" java $JAVA_OPTS -Xmx"$HEAP" -jar "$JAR" "$@" \
    --config bench/exporter.yaml --audiences bench/audiences --out "$WORK/out" --state "$WORK/state" \
    --as-of 2026-11-22 --no-progress > /dev/null 2> "$WORK/log" || { cat "$WORK/log" >&2; exit 1; }
  cat "$WORK/time"
}

# one timed DuckDB run of the same job on $1, checked against the exporter's files in $WORK/out
duck() {
  rm -rf "$WORK/duck"
  /usr/bin/time -f "%e %M" -o "$WORK/time" java -Xmx4g -cp "$DUCKDB" bench/DuckDbReference.java "$1" "$WORK/duck" \
    2026-11-22 "$WORK/out" > /dev/null 2> "$WORK/log" || { cat "$WORK/log" >&2; exit 1; }
  cat "$WORK/time"
}

# min and median of the runs' walls, max of their RSS
summarize() {
  sort -n | awk '{ wall[NR] = $1; if ($2 > rss) rss = $2 }
    END { printf "%.2f %.2f %d\n", wall[1], (NR % 2 ? wall[(NR + 1) / 2] : (wall[NR / 2] + wall[NR / 2 + 1]) / 2), rss }'
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $(java -version 2>&1 | head -1), options: $JAVA_OPTS -Xmx<900 MB per million customers>, $RUNS runs each"
printf '\n%-28s %12s %8s %8s %9s %9s %8s %12s %10s %7s\n' "run" "rows" "MB" "min s" "median s" "Mrows/s" "MB/s" "peak RSS MB" \
  "DuckDB s" "ratio"

for n in $SIZES; do
  HEAP="$(( (n + 999999) / 1000000 * 900 ))m"
  dir="$DATA/$n"
  if [ ! -f "$dir/events.csv" ]; then
    java -jar "$JAR" generate --customers "$n" --out "$dir" > /dev/null
  fi
  bytes=$(cat "$dir"/*.csv | wc -c)
  rows=$(cat "$dir"/*.csv | wc -l)
  result=$(for r in $(seq "$RUNS"); do timed sync --data "$dir"; done | summarize)
  read -r min median rss <<< "$result"
  read -r _ duck_median _ <<< "$(for r in $(seq "$RUNS"); do duck "$dir"; done | summarize)"
  printf '%-28s %12d %8d %8.2f %9.2f %9.2f %8.0f %12d %10.2f %7.2f\n' "sync $n customers" "$rows" "$((bytes / 1000000))" \
    "$min" "$median" "$(awk "BEGIN { print $rows / $median / 1e6 }")" "$(awk "BEGIN { print $bytes / $median / 1e6 }")" "$((rss / 1024))" \
    "$duck_median" "$(awk "BEGIN { print $median / $duck_median }")"
  if [ "$n" = 1000000 ]; then DUCK_1M=$duck_median; fi
done

if [ -d "$DATA/1000000" ]; then
  HEAP=900m
  timed sync --data "$DATA/1000000" > /dev/null
  result=$(for r in $(seq "$RUNS"); do again sync --data "$DATA/1000000"; done | summarize)
  read -r min median rss <<< "$result"
  # DuckDB has no state: a quiet night is the same job for it
  [ -n "${DUCK_1M:-}" ] || read -r _ DUCK_1M _ <<< "$(for r in $(seq "$RUNS"); do duck "$DATA/1000000"; done | summarize)"
  printf '%-28s %12s %8s %8.2f %9.2f %9s %8s %12d %10.2f %7.2f\n' "sync again (1M, no change)" "" "" "$min" "$median" "" "" \
    "$((rss / 1024))" "$DUCK_1M" "$(awk "BEGIN { print $median / $DUCK_1M }")"
  result=$(for r in $(seq "$RUNS"); do timed plan --only crime-buyers-90d --data "$DATA/1000000"; done | summarize)
  read -r min median rss <<< "$result"
  printf '%-28s %12s %8s %8.2f %9.2f %9s %8s %12d\n' "plan --only (1M customers)" "" "" "$min" "$median" "" "" "$((rss / 1024))"
fi
