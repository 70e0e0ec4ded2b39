#!/usr/bin/env bash
# The explorer's introspection on a database with many tables: makes one with N tables (each
# with a primary key, six columns of mixed types, an index and a foreign key to the one before)
# on SQLite and PostgreSQL, then times `whodis-admin tables` (open, catalog read, every table
# summarised with its row estimate) over repeated runs. Prints median and p95 per backend.
#
#   bash bench/explore_tables.sh [--tables 500] [--runs 11] [--app PATH] [--pg-url URL]
set -euo pipefail
cd "$(dirname "$0")/.."
tables=500 runs=11 app="" pg_url="postgres://postgres@127.0.0.1:5432/postgres"
while [ $# -gt 0 ]; do
  case "$1" in
    --tables) tables="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --app) app="$2"; shift 2 ;;
    --pg-url) pg_url="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/whodis-admin/target}"
if [ -z "$app" ]; then
  cargo build --release -p whodis-admin >&2
  app="$CARGO_TARGET_DIR/release/whodis-admin"
fi

schema() { # $1: sqlite|postgres
  local serial="INTEGER PRIMARY KEY" json="JSON" ts="DATETIME"
  if [ "$1" = postgres ]; then serial="SERIAL PRIMARY KEY" json="JSONB" ts="TIMESTAMP"; fi
  echo "BEGIN;"
  for i in $(seq 1 "$tables"); do
    local fk=""
    if [ "$i" -gt 1 ]; then fk=", parent_id INTEGER REFERENCES t$((i - 1))(id)"; fi
    echo "CREATE TABLE t$i (id $serial, name VARCHAR(100) NOT NULL DEFAULT 'x', amount NUMERIC(10,2), is_active BOOLEAN, details $json, created_at $ts, expires_at $ts$fk);"
    echo "CREATE INDEX ix_t${i}_created_at ON t$i (created_at);"
  done
  echo "COMMIT;"
}

work="$(mktemp -d)"
trap 'rm -rf "$work"; psql -q "$pg_url" -c "DROP DATABASE IF EXISTS whodis_bench_explore" >/dev/null 2>&1 || true' EXIT
schema sqlite | sqlite3 "$work/many.db"
psql -q "$pg_url" -c "DROP DATABASE IF EXISTS whodis_bench_explore" >/dev/null
psql -q "$pg_url" -c "CREATE DATABASE whodis_bench_explore" >/dev/null
pg_db="${pg_url%/*}/whodis_bench_explore"
schema postgres | psql -q "$pg_db" >/dev/null

time_runs() { # $1: database URL → prints the sorted milliseconds of each run
  for _ in $(seq 1 "$runs"); do
    local start end
    start=$(date +%s%N)
    "$app" --database "$1" tables >"$work/out.json"
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
  done | sort -n
}

echo "whodis-admin tables on $tables tables, $runs runs, $(nproc) cores ($(basename "$app") at $app)"
printf "%-10s %8s %8s %8s\n" backend listed median_ms p95_ms
for backend in sqlite postgres; do
  url="sqlite:$work/many.db"
  [ "$backend" = postgres ] && url="$pg_db"
  mapfile -t ms < <(time_runs "$url")
  listed=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$work/out.json")
  median=${ms[$((runs / 2))]}
  p95=${ms[$(((runs * 95 + 99) / 100 - 1))]}
  printf "%-10s %8s %8s %8s\n" "$backend" "$listed" "$median" "$p95"
done
