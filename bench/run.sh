#!/usr/bin/env bash
# The benchmark suite, release build, both backends side by side:
#   bash bench/run.sh [--tier 1m|10m] [--runs 30]
# 1m: 1,000,000 audit rows (demo --scale 72, with access and error rows in proportion);
# 10m: 10,000,000 (opt-in: about ten times the time and disk). Prints the demo loads' rows/s,
# the list engine against raw sqlx and through the command function (median / p95), whole
# operations (export, Genesys import, key rotation, cleanup-expired), the release app's launch to
# the dashboard and its memory there (e2e/launch.mjs), scrolling the tier's audit log in the
# window and through 100k rows with the memory after (bench/scroll.mjs), and the binary size; writes
# bench/results/<date>-<tier>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

tier=1m
runs=30
while [ $# -gt 0 ]; do
  case "$1" in
    --tier) tier="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "bench: unknown option $1 (use --tier 1m|10m, --runs N)" >&2; exit 2 ;;
  esac
done
case "$tier" in
  1m) scale=72 ;;
  10m) scale=715 ;;
  *) echo "bench: --tier is 1m or 10m" >&2; exit 2 ;;
esac
PG_URL="${WHODIS_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

# the app with its UI embedded, as the packages ship it (the launch figures below need the UI)
npm --prefix ui run build
cargo build --release -p whodis-admin --features custom-protocol
cargo build --release -p whodis-core --example list_bench --example ops_bench --example chain_bench
bin="$CARGO_TARGET_DIR/release/whodis-admin"
bench="$CARGO_TARGET_DIR/release/examples/list_bench"
ops_bench="$CARGO_TARGET_DIR/release/examples/ops_bench"
chain_bench="$CARGO_TARGET_DIR/release/examples/chain_bench"
work="$(mktemp -d)"
trap 'rm -rf "$work"; psql "$PG_URL" -qAtc "DROP DATABASE IF EXISTS whodis_bench_$tier WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

sqlite="sqlite://$work/bench.db"
pgdb="whodis_bench_$tier"
psql "$PG_URL" -qAtc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null
psql "$PG_URL" -qAtc "CREATE DATABASE $pgdb" >/dev/null
postgres="${PG_URL%/*}/$pgdb"

export WHODIS_OPERATOR=demo.admin@whodis.example
load() { # backend url → seconds
  "$bin" --database "$2" migrate >/dev/null
  local start end
  start=$(date +%s.%N)
  "$bin" --database "$2" demo --scale "$scale" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
rows=$((20000 * scale))
echo "bench: loading $rows log rows ($((rows * 7 / 10)) audit) on each backend, $(nproc) cores"
sqlite_s=$(load sqlite "$sqlite")
postgres_s=$(load postgres "$postgres")
printf 'demo load: SQLite %.1f s (%.0f log rows/s), PostgreSQL %.1f s (%.0f log rows/s), indexes included\n' \
  "$sqlite_s" "$(echo "$rows / $sqlite_s" | bc -l)" "$postgres_s" "$(echo "$rows / $postgres_s" | bc -l)"

# The reference for the PostgreSQL load, in this run: psql's \copy of the same audit rows from a
# file into a fresh table, then the same indexes built.
copy_file="$work/audit.copy"
psql "$postgres" -qAtc "\\copy audit_log TO '$copy_file'"
audit_rows=$(psql "$postgres" -qAtc "SELECT count(*) FROM audit_log")
index_ddl=$(psql "$postgres" -qAtc "SELECT string_agg(regexp_replace(indexdef, 'INDEX (\S+) ON public\.audit_log', 'INDEX \1_ref ON public.audit_ref'), '; ') FROM pg_indexes WHERE tablename = 'audit_log'")
index_count=$(psql "$postgres" -qAtc "SELECT count(*) FROM pg_indexes WHERE tablename = 'audit_log'")
psql "$postgres" -qAtc "CREATE TABLE audit_ref (LIKE audit_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
start=$(date +%s.%N)
psql "$postgres" -qAtc "\\copy audit_ref FROM '$copy_file'"
psql "$postgres" -qAtc "$index_ddl"
end=$(date +%s.%N)
reference_s=$(echo "$end - $start" | bc)
psql "$postgres" -qAtc "DROP TABLE audit_ref"
rm -f "$copy_file"
reference_rate=$(echo "$audit_rows / $reference_s" | bc -l)
postgres_rate=$(echo "$rows / $postgres_s" | bc -l)
printf 'PostgreSQL reference: psql \\copy of %d audit rows + %d indexes in %.1f s (%.0f rows/s); the demo load takes %.2fx its time per row (goal: at most 1.5x)\n' \
  "$audit_rows" "$index_count" "$reference_s" "$reference_rate" "$(echo "$reference_rate / $postgres_rate" | bc -l)"
echo

"$bench" "$sqlite" "$runs" "$work/sqlite.json"
echo
"$bench" "$postgres" "$runs" "$work/postgres.json"
echo
# whole operations, once each (they change the databases, so they run after the pages)
"$ops_bench" "$sqlite" "$work/sqlite-ops.json"
"$ops_bench" "$postgres" "$work/postgres-ops.json"
# the audit chain: 1M sealed rows verified, on a database of their own per backend
psql "$PG_URL" -qAtc "DROP DATABASE IF EXISTS whodis_bench_chain WITH (FORCE)" >/dev/null
psql "$PG_URL" -qAtc "CREATE DATABASE whodis_bench_chain" >/dev/null
"$chain_bench" "sqlite://$work/chain.db" 1000000 "$work/sqlite-chain.json"
"$chain_bench" "${PG_URL%/*}/whodis_bench_chain" 1000000 "$work/postgres-chain.json"
psql "$PG_URL" -qAtc "DROP DATABASE whodis_bench_chain WITH (FORCE)" >/dev/null

# the release app launched to the dashboard on a fresh HOME, and its memory there
if command -v tauri-driver >/dev/null 2>&1; then
  dbus-run-session -- sh scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x800x24" \
    node e2e/launch.mjs --app "$bin" --runs 11 --photos --out "$work/launch"
  # scrolling this tier's audit log in the window, then through 100k rows as fast as pages come
  # (the memory after it grows with the rows scrolled past: bench/README.md)
  for b in sqlite postgres; do
    url=$sqlite; [ "$b" = postgres ] && url=$postgres
    echo "scrolling the $b audit log:"
    dbus-run-session -- sh scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x800x24" \
      node bench/scroll.mjs --app "$bin" --database "$url" --rows 100000 --json "$work/scroll-$b.json"
  done
else
  echo "bench: tauri-driver is missing (scripts/test.sh installs it): no launch or scroll figures" >&2
  mkdir -p "$work/launch" && echo null > "$work/launch/launch.json"
  echo null > "$work/scroll-sqlite.json" && echo null > "$work/scroll-postgres.json"
fi

strip -o "$work/stripped" "$bin"
size=$(stat -c %s "$bin")
stripped=$(stat -c %s "$work/stripped")
echo
printf 'release binary: %.1f MB, stripped %.1f MB\n' "$(echo "$size / 1048576" | bc -l)" "$(echo "$stripped / 1048576" | bc -l)"

mkdir -p bench/results
out="bench/results/$(date +%Y-%m-%d)-$tier.json"
python3 - "$out" "$work" "$tier" "$rows" "$sqlite_s" "$postgres_s" "$size" "$stripped" "$audit_rows" "$reference_s" <<'EOF'
import json, os, sys
out, work, tier, rows, sqlite_s, postgres_s, size, stripped, audit_rows, reference_s = sys.argv[1:]
report = {
    "tier": tier,
    "cores": os.cpu_count(),
    "demo_load": {
        "log_rows": int(rows),
        "sqlite_seconds": float(sqlite_s),
        "postgres_seconds": float(postgres_s),
        "postgres_reference": {"what": "psql \\copy of the audit rows + their indexes",
                               "rows": int(audit_rows), "seconds": float(reference_s)},
    },
    "list": [json.load(open(f"{work}/{b}.json")) for b in ("sqlite", "postgres")],
    "operations": [json.load(open(f"{work}/{b}-ops.json")) for b in ("sqlite", "postgres")],
    "audit_chain_verify": [json.load(open(f"{work}/{b}-chain.json")) for b in ("sqlite", "postgres")],
    "binary_bytes": {"release": int(size), "stripped": int(stripped)},
    "launch": json.load(open(f"{work}/launch/launch.json")),
    "scroll": {b: json.load(open(f"{work}/scroll-{b}.json")) for b in ("sqlite", "postgres")},
}
json.dump(report, open(out, "w"), indent=2)
print(f"written: {out}")
EOF
