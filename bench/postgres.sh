#!/usr/bin/env bash
# Issue 14's measurement of reading from PostgreSQL: COPY ... TO STDOUT (the exporter's way) against
# a cursor with a fetch size, on the generated data set (1M customers unless N says otherwise).
# Starts PostgreSQL 14 with embedded-postgres from the Maven repository (bench/PostgresServer.java;
# nothing installed by hand, works as root), loads the five files into tables of text columns with
# COPY FROM (once: the server's directory is kept next to the data set), runs
# bench/PostgresReadBench.java on TABLES, and stops the server.
#
#   bench/postgres.sh                          # events, customers and orders of the 1M set, 3 runs each
#   TABLES="events" REPS=5 bench/postgres.sh
#
# The data set takes about 3.1 GB and the server's directory about 5.1 GB.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-1000000}
DATA=${DATA:-/tmp/audience-bench}
CSV=${CSV:-$DATA/$N}
PGDIR=${PGDIR:-$DATA/$N-postgres}
PORT=${PORT:-54329}
TABLES=${TABLES:-"events customers orders"}
REPS=${REPS:-3}
JAR=target/audience-exporter.jar
CLASSPATH_FILE=target/bench/test.classpath

[ -f "$JAR" ] || mvn -B -q package -DskipTests
[ -f "$CLASSPATH_FILE" ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE"
if [ ! -f "$CSV/events.csv" ]; then
  java -jar "$JAR" generate --customers "$N" --out "$CSV" > /dev/null
fi

LOG=$(mktemp)
java -cp "$(cat "$CLASSPATH_FILE")" bench/PostgresServer.java "$PGDIR" "$PORT" "$CSV" > "$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2> /dev/null; wait "$SERVER" 2> /dev/null || true; rm -f "$LOG"' EXIT
until grep -q '^ready ' "$LOG"; do
  kill -0 "$SERVER" 2> /dev/null || { cat "$LOG" >&2; echo "the server did not start" >&2; exit 1; }
  sleep 1
done
grep '^loaded ' "$LOG" || true
URL=$(sed -n 's/^ready //p' "$LOG")

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $(java -version 2>&1 | head -1); PostgreSQL 14 (embedded-postgres, default settings) on the same machine"
echo "load before: $(uptime | sed 's/.*load average: //')"
# shellcheck disable=SC2086 # TABLES is a list
java -cp "$(tr ':' '\n' < "$CLASSPATH_FILE" | grep '/postgresql-[0-9.]*\.jar$')" bench/PostgresReadBench.java \
  "$URL" postgres $TABLES REPS="$REPS"
echo "load after: $(uptime | sed 's/.*load average: //')"
