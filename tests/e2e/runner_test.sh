#!/usr/bin/env bash
# Backfill runner end-to-end checks (spec/backfill.md §4-§15, runbook scenarios 1-5):
# cascade and processor-by-processor backfills, targeted ranges, failed-date retries
# (--dates, --retry-failed, resume), dry run, pre-flight failure, SIGKILL crash + resume,
# lock conflicts, SIGINT/SIGTERM, `run --date`, --status and --no-resume.
#   runner_test.sh BIN
# Uses a small demo warehouse (2021-10-01..2021-12-31, today 2022-01-01) copied per scenario.
set -uo pipefail
BIN=$1
work=$(mktemp -d)
cleanup() {  # only this shell's still-running background jobs
  local p
  for p in $(jobs -p); do kill -9 "$p" 2> /dev/null; done
  [ -n "${KEEP_WORK:-}" ] && echo "work dir kept: $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
export BACKFILL_CHECKPOINT_DIR="$work/checkpoints"
. "$(dirname "$0")/lib.sh"
unset NBA_WAREHOUSE NBA_PRECOMPUTE_TODAY NBA_PRECOMPUTE_LOG_LEVEL PCF_WORKERS PARALLELIZATION_WORKERS XDG_STATE_HOME
started=$SECONDS

section() { echo "[$((SECONDS - started)) s] $*" >&2; }
count_is() {  # count_is NAME FIXED-TEXT N  (lines of $work/out containing TEXT)
  local n
  n=$(grep -cF -- "$2" "$work/out")
  if [ "$n" = "$3" ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $1: $n lines contain \"$2\", expected $3" >&2; fi
}
# q WH SQL: rows of `sql --format csv` without the header.
q() { "$BIN" --warehouse "$1" sql --format csv "$2" 2>&1 | tail -n +2; }
qeq() {  # qeq NAME WH SQL EXPECTED
  local got
  got=$(q "$2" "$3")
  if [ "$got" = "$4" ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); printf 'FAIL: %s\n  sql: %s\n  got:      %s\n  expected: %s\n' "$1" "$3" "$got" "$4" >&2; fi
}
# pycheck NAME FILE EXPR: EXPR is a Python expression on c = the JSON object in FILE.
pycheck() {
  python3 - "$2" "$3" << 'EOF'
import json, sys
try:
    c = json.load(open(sys.argv[1]))
    ok = eval("(" + sys.argv[2] + "\n)")
except Exception as e:  # missing file, bad JSON, missing key
    print(f"  {type(e).__name__}: {e}", file=sys.stderr)
    sys.exit(1)
if not ok:
    print("  " + json.dumps(c)[:400], file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
  check "$1" $?
}
# run_stats FILE: the run-level PRECOMPUTE_STATS object of $work/out into FILE.
run_stats() { grep -F 'PRECOMPUTE_STATS {"scope":"run"' "$work/out" | tail -1 | sed 's/^.*PRECOMPUTE_STATS //' > "$1"; }
# wait_for FILE REGEX [PID]: poll (up to ~20 s) until a line of FILE matches; gives up early when PID has exited.
wait_for() {
  local i
  for ((i = 0; i < 2000; i++)); do
    grep -qE -- "$2" "$1" 2> /dev/null && return 0
    [ -n "${3:-}" ] && ! kill -0 "$3" 2> /dev/null && return 1
    sleep 0.01
  done
  return 1
}
OUTPUT_TABLES="nba_precompute.team_defense_zone_analysis nba_precompute.player_shot_zone_analysis
  nba_precompute.player_daily_cache nba_precompute.player_composite_factors nba_predictions.ml_feature_store_v2"
dump() {  # dump WH DIR: export the five output tables
  mkdir -p "$2"
  local t
  for t in $OUTPUT_TABLES; do "$BIN" --warehouse "$1" export "$t" --out "$2/$t.csv" > /dev/null 2>&1; done
}
# Compares dumps on every column but processed_at, per date. mode "equal": same dates and rows;
# "partial": every date present has exactly the reference rows (all or none). Also duplicate keys.
cat > "$work/cmp.py" << 'EOF'
import collections, csv, os, sys
TABLES = {
    "nba_precompute.team_defense_zone_analysis": ("analysis_date", ["team_abbr", "analysis_date"]),
    "nba_precompute.player_shot_zone_analysis": ("analysis_date", ["player_lookup", "analysis_date"]),
    "nba_precompute.player_daily_cache": ("cache_date", ["player_lookup", "cache_date"]),
    "nba_precompute.player_composite_factors": ("game_date", ["player_lookup", "game_date"]),
    "nba_predictions.ml_feature_store_v2": ("game_date", ["player_lookup", "game_date"]),
}
def load(directory, table, max_date):
    date_col, key = TABLES[table]
    with open(os.path.join(directory, table + ".csv"), newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        drop, di = header.index("processed_at"), header.index(date_col)
        ki = [header.index(k) for k in key]
        by_date, keys = collections.defaultdict(list), collections.Counter()
        for row in reader:
            if max_date and row[di] > max_date:
                continue
            keys[tuple(row[i] for i in ki)] += 1
            by_date[row[di]].append(tuple(v for i, v in enumerate(row) if i != drop))
    return header, {d: sorted(v) for d, v in by_date.items()}, [k for k, n in keys.items() if n > 1]
mode, ref_dir, got_dir = sys.argv[1:4]
max_date = sys.argv[4] if len(sys.argv) > 4 else ""
problems, summary = [], []
for table in TABLES:
    ref_header, ref, _ = load(ref_dir, table, max_date)
    header, got, dups = load(got_dir, table, max_date)
    if header != ref_header:
        problems.append(f"{table}: columns differ")
    if dups:
        problems.append(f"{table}: duplicate keys {dups[:3]}")
    for d, rows in sorted(got.items()):
        if ref.get(d) != rows:
            problems.append(f"{table} {d}: {len(rows)} rows, reference has {len(ref.get(d, []))} (or values differ)")
    if mode == "equal":
        problems += [f"{table} {d}: missing ({len(ref[d])} reference rows)" for d in sorted(ref) if d not in got]
    summary.append(f"{table.split('.')[1]} {len(got)}/{len(ref)}")
print("dates with rows: " + ", ".join(summary))
for p in problems[:10]:
    print("  " + p)
sys.exit(1 if problems else 0)
EOF
compare() {  # compare NAME MODE REF GOT [MAX_DATE]
  python3 "$work/cmp.py" "$2" "$3" "$4" ${5:-} > "$work/cmp.out" 2>&1
  local rc=$?
  check "$1" $rc
  [ $rc = 0 ] || cat "$work/cmp.out" >&2
}
# state WH [nolog]: fingerprint of everything a dry run or a failed pre-flight must not touch
# (nolog: without the run_log count; §14.2 vs §6 leave a run_log row after a failed pre-flight open).
state() {
  q "$1" "SELECT (SELECT COUNT(*) FROM nba_precompute.team_defense_zone_analysis),
    (SELECT COUNT(*) FROM nba_precompute.player_shot_zone_analysis), (SELECT COUNT(*) FROM nba_precompute.player_daily_cache),
    (SELECT COUNT(*) FROM nba_precompute.player_composite_factors), (SELECT COUNT(*) FROM nba_predictions.ml_feature_store_v2),
    (SELECT COUNT(*) FROM nba_reference.processor_run_history), ${2:-(SELECT COUNT(*) FROM nba_reference.run_log)},
    (SELECT COUNT(*) FROM nba_orchestration.phase4_completion) AS n"
  (cd "$BACKFILL_CHECKPOINT_DIR" 2> /dev/null && find . -type f | sort | xargs -r md5sum)
}
cpdir() { echo "$BACKFILL_CHECKPOINT_DIR/$1-"*; }  # checkpoint directory of warehouse directory name $1

R=(--start-date 2021-10-19 --end-date 2021-12-31)  # 74 days, 72 game dates, 14 bootstrap (2021-10-19..11-01)
"$BIN" --warehouse "sqlite:$work/base" demo-data --end-date 2021-12-31 > "$work/out" 2>&1
check "demo warehouse" $?
newwh() { rm -rf "${work:?}/${1:?}"; cp -r "$work/base" "$work/$1"; echo "sqlite:$work/$1"; }
instance=$(q "sqlite:$work/base" "SELECT value FROM nba_reference.warehouse_info WHERE key = 'instance_id'")

# === Runbook scenario 1: full cascade in one command =======================================
section "Runbook scenario 1: full cascade in one command"
W1=$(newwh w1)
expect 0 "scenario 1: backfill all" -- "$BIN" --warehouse "$W1" backfill all "${R[@]}"
contains "found dates" "Found 72 game dates out of 74 calendar days (skipping 2 off-days)"
contains "tdza header" "=== team_defense_zone_analysis [tdza] (1/5): 72 game dates ==="
contains "mlfs header" "=== ml_feature_store [mlfs] (5/5): 72 game dates ==="
contains "upstreams produced by this run" "produced by this run"
contains "pre-flight passed" "PRE-FLIGHT PASSED: ml_feature_store"
contains "bootstrap day 0" "⏭ Skipped: bootstrap period (2021-10-19 [tdza], day 0 of season 2021-22)"
contains "bootstrap day 13" "⏭ Skipped: bootstrap period (2021-11-01 [mlfs], day 13 of season 2021-22)"
matches "pcf success line" "INFO    ✓ Success: [0-9]+ players processed \(2021-12-15 \[pcf\]; context upcoming 0, synthetic [0-9]+\)$"
matches "mlfs success line" "✓ Success: [0-9]+ players processed \(2021-12-15 \[mlfs\]; version=v1_baseline_25\)$"
matches "tdza success line" "✓ Success: 30 teams processed \(2021-12-31 \[tdza\]\)$"
matches "per-date line" "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z INFO  Processing game date 15/72: 2021-11-02 \[pdc\]$"
count_is "a progress line after every 10th date and the last" "Progress: " 40
count_is "final progress per processor" "Progress: 72/72 dates (100.0% success), 0 failed" 5
count_is "one summary per processor" "PHASE 4 BACKFILL SUMMARY - " 5
contains "summary counts" "Successful: 58, Skipped: 14 (bootstrap 14), Failed: 0"
lacks "no failure" "✗ Failed"
run_stats "$work/stats.json"
pycheck "run PRECOMPUTE_STATS" "$work/stats.json" \
  'c["scope"] == "run" and c["command"] == "backfill" and len(c["processors"]) == 5 and c["dates_total"] == 360
   and c["successful"] == 290 and c["skipped"] == 70 and c["failed"] == 0 and c["pending"] == 0 and c["exit_code"] == 0
   and c["start_date"] == "2021-10-19" and c["end_date"] == "2021-12-31"'
cp1=$(cpdir w1)
[ "$(ls "$cp1"/*.json 2> /dev/null | wc -l)" = 5 ]; check "five checkpoint files (§9.1)" $?
for job in team_defense_zone_analysis player_shot_zone_analysis player_daily_cache player_composite_factors ml_feature_store; do
  pycheck "checkpoint $job (§9.2)" "$cp1/${job}_2021-10-19_2021-12-31.json" \
    'list(c) == ["format_version", "job_name", "warehouse", "warehouse_instance_id", "start_date", "end_date", "created_at",
                 "last_updated", "last_run_id", "engine_version", "last_successful_date", "successful_dates", "failed_dates",
                 "skipped_dates", "failure_reasons", "skip_reasons", "stats"]
     and c["format_version"] == 1 and c["job_name"] == "'$job'" and c["warehouse_instance_id"] == "'$instance'"
     and c["stats"] == {"total_dates": 72, "processed": 72, "successful": 58, "failed": 0, "skipped": 14, "pending": 0}
     and len(c["successful_dates"]) == 58 and c["successful_dates"] == sorted(c["successful_dates"])
     and c["failed_dates"] == [] and c["failure_reasons"] == {} and c["last_successful_date"] == "2021-12-31"
     and c["skipped_dates"][0] == "2021-10-19" and c["skipped_dates"][-1] == "2021-11-01"
     and set(c["skip_reasons"].values()) == {"bootstrap"} and c["created_at"].endswith("Z") and c["last_updated"].endswith("Z")'
done
qeq "run history: one outcome per processor and date" "$W1" \
  "SELECT processor_name, status, reason_code, trigger, backfill_mode, COUNT(*) FROM nba_reference.processor_run_history
   GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2" \
  "ml_feature_store,skipped,bootstrap,backfill_range,1,14
ml_feature_store,success,,backfill_range,1,58
player_composite_factors,skipped,bootstrap,backfill_range,1,14
player_composite_factors,success,,backfill_range,1,58
player_daily_cache,skipped,bootstrap,backfill_range,1,14
player_daily_cache,success,,backfill_range,1,58
player_shot_zone_analysis,skipped,bootstrap,backfill_range,1,14
player_shot_zone_analysis,success,,backfill_range,1,58
team_defense_zone_analysis,skipped,bootstrap,backfill_range,1,14
team_defense_zone_analysis,success,,backfill_range,1,58"
qeq "run history fields" "$W1" \
  "SELECT COUNT(*) FROM nba_reference.processor_run_history WHERE status = 'success' AND (mode <> 'historical'
   OR output_hash IS NULL OR length(output_hash) <> 16 OR season_year <> 2021 OR attempts <> 1)" "0"
qeq "phase completion (§14.3)" "$W1" \
  "SELECT COUNT(*), SUM(phase4_complete), SUM(is_bootstrap), COUNT(completed_at) FROM nba_orchestration.phase4_completion" \
  "72,72,14,72"
qeq "run_log row (§14.2)" "$W1" \
  "SELECT subcommand, json_array_length(processors), start_date, end_date, dates IS NULL, exit_code, dates_total,
   successful, failed, skipped, pending, interrupted FROM nba_reference.run_log" \
  "backfill,5,2021-10-19,2021-12-31,1,0,360,290,0,70,0,0"
qeq "bootstrap dates have no rows" "$W1" \
  "SELECT (SELECT COUNT(*) FROM nba_precompute.team_defense_zone_analysis WHERE analysis_date < '2021-11-02')
   + (SELECT COUNT(*) FROM nba_precompute.player_composite_factors WHERE game_date < '2021-11-02')
   + (SELECT COUNT(*) FROM nba_predictions.ml_feature_store_v2 WHERE game_date < '2021-11-02') AS n" "0"
dump "$W1" "$work/ref"
# Resume of a complete job is a no-op (§9.4).
expect 0 "rerun of a complete cascade" -- "$BIN" --warehouse "$W1" backfill all "${R[@]}"
count_is "nothing to do, per processor" "Checkpoint complete: nothing to do (use --no-resume to recompute)" 5
contains "resume log line" "RESUMING from checkpoint $cp1/player_composite_factors_2021-10-19_2021-12-31.json: 72 dates done (58 successful, 14 skipped); 0 failed dates will be retried; 0 pending"
lacks "no date processed" "Processing game date"
qeq "no new outcomes" "$W1" "SELECT COUNT(*) FROM nba_reference.processor_run_history" "360"

# === Scenario 1, processor by processor; scenario 2 (PCF with dependencies present) ========
section "Scenario 1, processor by processor; scenario 2 (PCF with dependencies present)"
W2=$(newwh w2)
expect 0 "tdza alone" -- "$BIN" --warehouse "$W2" backfill tdza "${R[@]}" --workers 1
lacks "single processor: no cascade header" "=== "
contains "summary game dates and off-days (§15.2)" "  Game dates: 72 (skipped 2 off-days)"
expect 0 "psza alone" -- "$BIN" --warehouse "$W2" backfill psza "${R[@]}" --workers 1
expect 0 "scenario 2: pcf with dependencies present" -- "$BIN" --warehouse "$W2" backfill pcf "${R[@]}" --workers 1
matches "pcf pre-flight: tdza present" "nba_precompute\.team_defense_zone_analysis +phase4 +58/58 +100\.0% +>= 75% +OK"
matches "pcf pre-flight: psza present" "nba_precompute\.player_shot_zone_analysis +phase4 +58/58 +100\.0% +>= 75% +OK"
contains "missing context is only a NOTE" "NOTE: nba_analytics.upcoming_player_game_context covers 0/58 game dates (0.0%): synthetic context will be used where it is missing (not a failure)"
contains "pcf pre-flight passed" "PRE-FLIGHT PASSED: player_composite_factors"
contains "configuration: execution order (§15)" "Execution order: 4/5"
contains "configuration: range" "Date range: 2021-10-19 to 2021-12-31"
contains "configuration: workers" "Workers: 1"
# The runbook's order omits PDC: MLFS must refuse to start (§6 phase4 role).
expect 3 "mlfs before pdc: pre-flight fails" -- "$BIN" --warehouse "$W2" backfill mlfs "${R[@]}"
contains "phase 4 pre-flight failure" "PRE-FLIGHT CHECK FAILED: Phase 4 dependencies are incomplete!"
contains "names the missing upstream" "until player_daily_cache covers at least 75% of the game dates."
contains "skip-preflight option" "Use --skip-preflight to bypass"
qeq "failed pre-flight wrote nothing" "$W2" \
  "SELECT (SELECT COUNT(*) FROM nba_predictions.ml_feature_store_v2),
   (SELECT COUNT(*) FROM nba_reference.processor_run_history WHERE processor_name = 'ml_feature_store')" "0,0"
[ ! -e "$(cpdir w2)/ml_feature_store_2021-10-19_2021-12-31.json" ]; check "failed pre-flight: no checkpoint" $?
expect 0 "pdc alone" -- "$BIN" --warehouse "$W2" backfill pdc "${R[@]}" --workers 1
expect 0 "mlfs alone" -- "$BIN" --warehouse "$W2" backfill mlfs "${R[@]}" --workers 1
# Scenario 3: a targeted range is its own job (own checkpoint), same rows.
expect 0 "scenario 3: targeted range" -- "$BIN" --warehouse "$W2" backfill pcf --start-date 2021-12-01 --end-date 2021-12-14
contains "targeted range dates" "Found 14 game dates out of 14 calendar days (skipping 0 off-days)"
contains "targeted range: own checkpoint" "Checkpoint: $(cpdir w2)/player_composite_factors_2021-12-01_2021-12-14.json"
lacks "targeted range: not a resume" "RESUMING"
count_is "targeted range: 14 dates" "Processing game date " 14
pycheck "targeted checkpoint" "$(cpdir w2)/player_composite_factors_2021-12-01_2021-12-14.json" \
  'c["stats"] == {"total_dates": 14, "processed": 14, "successful": 14, "failed": 0, "skipped": 0, "pending": 0}'
dump "$W2" "$work/d2"
compare "processor by processor (--workers 1) = cascade (--workers 2)" equal "$work/ref" "$work/d2"

# === Scenario 5: dry run ===================================================================
section "Scenario 5: dry run"
before=$(state "$W2")
expect 0 "dry run of a complete job" -- "$BIN" --warehouse "$W2" backfill pcf "${R[@]}" --dry-run
contains "dry run header" "Dry run: player_composite_factors 2021-10-19..2021-12-31: 72 game dates"
contains "dry run: done date" "Dry run game date 72/72: 2021-12-31 [pcf]: would skip (already successful in checkpoint)"
matches "dry run summary" "Dry run summary \[pcf\]: 72 game dates: would process 0, would skip 72 "
expect 0 "dry run, targeted range without checkpoint" -- "$BIN" --warehouse "$W2" backfill mlfs --start-date 2021-12-20 --end-date 2021-12-31 --dry-run
contains "dry run: would process" "Dry run game date 1/11: 2021-12-20 [mlfs]: would process"
contains "dry run summary counts" "Dry run summary [mlfs]: 11 game dates: would process 11, would skip 0 (bootstrap 0, done 0), would fail 0"
expect 0 "dry run with --no-resume" -- "$BIN" --warehouse "$W2" backfill pcf "${R[@]}" --dry-run --no-resume
after=$(state "$W2")
[ "$before" = "$after" ]; check "dry runs wrote nothing: tables, history, run_log, checkpoints (§8)" $?
[ "$before" = "$after" ] || diff <(echo "$before") <(echo "$after") >&2
W3=$(newwh w3)
before=$(state "$W3")
expect 3 "dry run: pre-flight fails without upstreams" -- "$BIN" --warehouse "$W3" backfill pcf --start-date 2021-12-01 --end-date 2021-12-07 --dry-run
contains "dry run pre-flight failure" "PRE-FLIGHT CHECK FAILED: Phase 4 dependencies are incomplete!"
expect 1 "dry run: dates would fail" -- "$BIN" --warehouse "$W3" backfill pcf --start-date 2021-12-01 --end-date 2021-12-07 --dry-run --skip-preflight
contains "skip-preflight warning" "⚠ Pre-flight check SKIPPED (--skip-preflight flag used)"
contains "dry run would fail" "WARN  Dry run game date 1/7: 2021-12-01 [pcf]: would fail (missing_dependency: missing dependency: nba_precompute.team_defense_zone_analysis for 2021-12-01)"
contains "dry run fail summary" "Dry run summary [pcf]: 7 game dates: would process 0, would skip 0 (bootstrap 0, done 0), would fail 7"
expect 0 "dry run of the cascade: upstreams of this run count as present" -- "$BIN" --warehouse "$W3" backfill all --start-date 2021-12-01 --end-date 2021-12-07 --dry-run
contains "cascade dry run pcf" "Dry run summary [pcf]: 7 game dates: would process 7, would skip 0 (bootstrap 0, done 0), would fail 0"
contains "cascade dry run mlfs" "Dry run summary [mlfs]: 7 game dates: would process 7"
expect 0 "dry run over the bootstrap window" -- "$BIN" --warehouse "$W3" backfill tdza --start-date 2021-10-19 --end-date 2021-10-25 --dry-run
contains "dry run bootstrap" "Dry run game date 1/7: 2021-10-19 [tdza]: would skip (bootstrap: day 0 of season 2021-22)"
[ "$before" = "$(state "$W3")" ]; check "dry runs on an empty Phase 4 wrote nothing" $?
# demo-data leaves import.lock behind (a released lock file is never a stale lock, §11); no processor lock file may appear.
[ ! -d "$work/w3/locks" ] || [ -z "$(ls "$work/w3/locks" | grep -v '^import.lock$')" ]; check "dry runs take no lock (§11)" $?

# === Pre-flight failure on Phase 3 gaps (§6) ===============================================
section "Pre-flight failure on Phase 3 gaps (§6)"
"$BIN" --warehouse "$W3" sql --write "DELETE FROM nba_analytics.player_game_summary WHERE game_date BETWEEN '2021-11-05' AND '2021-11-20'" > /dev/null 2>&1
before=$(state "$W3" 0)
expect 3 "pre-flight fails on Phase 3 gaps" -- "$BIN" --warehouse "$W3" backfill psza --start-date 2021-11-02 --end-date 2021-11-30
matches "pre-flight failure at ERROR level" "Z ERROR .*PRE-FLIGHT CHECK FAILED: Phase 3 data is incomplete!"
contains "pre-flight: cannot proceed" "Cannot proceed with Phase 4 backfill of player_shot_zone_analysis until Phase 3 is complete."
contains "pre-flight: coverage line" "nba_analytics.player_game_summary: 12/28 game dates (42.9%), need >= 80%; missing: 2021-11-05, 2021-11-06,"
contains "pre-flight: details hint" "nba-precompute preflight player_shot_zone_analysis --start-date 2021-11-02 --end-date 2021-11-30 --verbose"
lacks "pre-flight failure: no date processed" "Processing game date"
[ "$before" = "$(state "$W3" 0)" ]; check "pre-flight failure wrote nothing, no checkpoint" $?
expect 0 "lower threshold lets it pass" -- "$BIN" --warehouse "$W3" backfill psza --start-date 2021-11-02 --end-date 2021-11-04 --preflight-phase3-pct 0
expect 3 "preflight command" -- "$BIN" --warehouse "$W3" preflight psza --start-date 2021-11-02 --end-date 2021-11-30
contains "preflight command report" "PRE-FLIGHT CHECK FAILED: Phase 3 data is incomplete!"
# §9.4: a checkpoint of a recreated warehouse (new instance id) is set aside.
"$BIN" --warehouse "$W3" demo-data --end-date 2021-12-31 --force > /dev/null 2>&1
expect 0 "checkpoint of another instance" -- "$BIN" --warehouse "$W3" backfill psza --start-date 2021-11-02 --end-date 2021-11-04
contains "instance warning" "checkpoint belongs to another warehouse instance (recreated?); starting fresh"
lacks "instance: not resumed" "RESUMING"
ls "$(cpdir w3)"/player_shot_zone_analysis_2021-11-02_2021-11-04.json.stale-* > /dev/null 2>&1
check "old checkpoint renamed .stale-<timestamp>" $?

# === Failed dates and retries (runbook scenario 4, §7, §9) =================================
section "Failed dates and retries (runbook scenario 4, §7, §9)"
W4=$(newwh w4)
RF=(--start-date 2021-11-02 --end-date 2021-11-20)  # 19 game dates
"$BIN" --warehouse "$W4" export nba_analytics.team_defense_game_summary --start-date 2021-11-10 --end-date 2021-11-10 --out "$work/tdgs_1110.csv" > /dev/null 2>&1
"$BIN" --warehouse "$W4" export nba_analytics.team_defense_game_summary --start-date 2021-11-14 --end-date 2021-11-14 --out "$work/tdgs_1114.csv" > /dev/null 2>&1
expect 0 "break 2021-11-10" -- "$BIN" --warehouse "$W4" sql --write "DELETE FROM nba_analytics.team_defense_game_summary WHERE game_date = '2021-11-10'"
before=$(state "$W4")
expect 1 "dry run sees the stale input (gate 5, §8)" -- "$BIN" --warehouse "$W4" backfill tdza "${RF[@]}" --dry-run
contains "dry run: stale_input" "2021-11-11 [tdza]: would fail (stale_input: team_defense_game_summary has no rows for 2021-11-10 (final games in the schedule))"
[ "$before" = "$(state "$W4")" ]; check "dry run wrote nothing" $?
expect 1 "a failed date exits 1" -- "$BIN" --warehouse "$W4" backfill tdza "${RF[@]}"
matches "failure line" "Z ERROR   ✗ Failed: 2021-11-11 \[tdza\]: stale_input: team_defense_game_summary has no rows for 2021-11-10 \(final games in the schedule\)$"
matches "failure stats line" '"date":"2021-11-11","status":"failed","reason_code":"stale_input","reason":"team_defense_game_summary has no rows for 2021-11-10 \(final games in the schedule\)"'
contains "progress with failure" "Progress: 19/19 dates (94.7% success), 1 failed"
contains "summary failed list" "    2021-11-11  stale_input: team_defense_game_summary has no rows for 2021-11-10 (final games in the schedule)"
contains "summary retry hint" "To retry: nba-precompute backfill tdza --dates 2021-11-11"
failed_dates=$(grep '✗ Failed' "$work/out" | grep -oP 'Failed: \K\d{4}-\d{2}-\d{2}' | paste -sd,)
[ "$failed_dates" = "2021-11-11" ]; check "runbook grep recipe extracts the failed date ($failed_dates)" $?
cpf="$(cpdir w4)/team_defense_zone_analysis_2021-11-02_2021-11-20.json"
pycheck "checkpoint lists the failure" "$cpf" \
  'c["failed_dates"] == ["2021-11-11"] and c["failure_reasons"]["2021-11-11"]["code"] == "stale_input"
   and c["failure_reasons"]["2021-11-11"]["message"] == "team_defense_game_summary has no rows for 2021-11-10 (final games in the schedule)"
   and c["failure_reasons"]["2021-11-11"]["attempts"] == 1 and "2021-11-11" not in c["successful_dates"]
   and c["stats"] == {"total_dates": 19, "processed": 19, "successful": 18, "failed": 1, "skipped": 0, "pending": 0}'
qeq "run history of the failure" "$W4" \
  "SELECT status, reason_code, records_written, output_hash IS NULL FROM nba_reference.processor_run_latest
   WHERE processor_name = 'team_defense_zone_analysis' AND data_date = '2021-11-11'" "failed,stale_input,0,1"
qeq "run_log of a failing run" "$W4" "SELECT exit_code, successful, failed FROM nba_reference.run_log" "1,18,1"
expect 0 "status lists the failed date" -- "$BIN" --warehouse "$W4" backfill tdza "${RF[@]}" --status
contains "status failed line" "  Failed dates:    2021-11-11 stale_input: team_defense_game_summary has no rows for 2021-11-10 (final games in the schedule)"
contains "status resume line" "  Resume:          rerun the same command: 1 failed dates retried, 0 pending dates processed"
# Downstream gates: missing dependency, and upstream_failed within a cascade (§7 rows 3-4).
expect 1 "pcf on a date tdza never produced" -- "$BIN" --warehouse "$W4" backfill pcf --dates 2021-11-11 --skip-preflight
contains "missing_dependency" "✗ Failed: 2021-11-11 [pcf]: missing_dependency: missing dependency: nba_precompute.team_defense_zone_analysis for 2021-11-11"
expect 1 "cascade with a failing upstream" -- "$BIN" --warehouse "$W4" backfill tdza --dates 2021-11-11 --cascade --skip-preflight
contains "upstream_failed" "✗ Failed: 2021-11-11 [pcf]: upstream_failed: team_defense_zone_analysis failed for 2021-11-11 in this run (stale_input)"
contains "cascade = tdza, pcf, mlfs" "=== ml_feature_store [mlfs] (5/5): 1 game dates ==="
lacks "psza is not downstream of tdza" "[psza]"
contains "mlfs gated too" "✗ Failed: 2021-11-11 [mlfs]: upstream_failed: "
# --retry-failed while still broken: fails again, attempts counted (the --dates runs above also count).
expect 1 "retry-failed, still broken" -- "$BIN" --warehouse "$W4" backfill tdza "${RF[@]}" --retry-failed
count_is "retry-failed processes only the failed date" "Processing game date " 1
contains "retry keeps the date's position" "Processing game date 10/19: 2021-11-11 [tdza]"
pycheck "attempts counted" "$cpf" 'c["failure_reasons"]["2021-11-11"]["attempts"] >= 2 and c["failed_dates"] == ["2021-11-11"]'
# Fix the input, retry: form 2 (--retry-failed).
expect 0 "restore 2021-11-10" -- "$BIN" --warehouse "$W4" import nba_analytics.team_defense_game_summary "$work/tdgs_1110.csv" --mode upsert
expect 0 "form 2: --retry-failed succeeds" -- "$BIN" --warehouse "$W4" backfill tdza "${RF[@]}" --retry-failed
count_is "retry-failed: one date" "Processing game date " 1
matches "retried date succeeds" "✓ Success: [0-9]+ teams processed \(2021-11-11 \[tdza\]"
pycheck "checkpoint after retry" "$cpf" \
  'c["failed_dates"] == [] and c["failure_reasons"] == {} and "2021-11-11" in c["successful_dates"]
   and c["stats"] == {"total_dates": 19, "processed": 19, "successful": 19, "failed": 0, "skipped": 0, "pending": 0}'
qeq "history latest is success" "$W4" \
  "SELECT status, reason_code IS NULL FROM nba_reference.processor_run_latest
   WHERE processor_name = 'team_defense_zone_analysis' AND data_date = '2021-11-11'" "success,1"
expect 2 "retry-failed without a checkpoint" -- "$BIN" --warehouse "$W4" backfill tdza --start-date 2021-11-02 --end-date 2021-11-21 --retry-failed
# Form 1 (--dates) on a newly broken date: no checkpoint of its own, range checkpoint updated (§9.6).
"$BIN" --warehouse "$W4" sql --write "DELETE FROM nba_analytics.team_defense_game_summary WHERE game_date = '2021-11-14'" > /dev/null 2>&1
files_before=$(ls "$(cpdir w4)")
expect 1 "form 1: --dates while broken" -- "$BIN" --warehouse "$W4" backfill tdza --dates "2021-11-15, 2021-11-25,2021-11-15"
contains "--dates failure" "✗ Failed: 2021-11-15 [tdza]: stale_input: team_defense_game_summary has no rows for 2021-11-14"
contains "--dates non-game date skipped" "⏭ Skipped: not a game date (2021-11-25 [tdza])"
count_is "--dates: duplicates removed" "Processing game date " 2
[ "$files_before" = "$(ls "$(cpdir w4)")" ]; check "--dates makes no checkpoint of its own" $?
pycheck "--dates outcome applied to the range checkpoint" "$cpf" 'c["failed_dates"] == ["2021-11-15"] and "2021-11-15" not in c["successful_dates"]'
qeq "--dates run_log row" "$W4" \
  "SELECT start_date IS NULL, json_array_length(dates), exit_code FROM nba_reference.run_log ORDER BY finished_at DESC LIMIT 1" "1,2,1"
# Form 3: plain resume retries failed dates.
"$BIN" --warehouse "$W4" import nba_analytics.team_defense_game_summary "$work/tdgs_1114.csv" --mode upsert > /dev/null 2>&1
expect 0 "form 3: plain resume" -- "$BIN" --warehouse "$W4" backfill tdza "${RF[@]}"
contains "resume announces the retry" "18 dates done (18 successful, 0 skipped); 1 failed dates will be retried; 0 pending"
count_is "resume: only the failed date" "Processing game date " 1
contains "resume: position kept" "Processing game date 14/19: 2021-11-15 [tdza]"
pycheck "checkpoint complete after resume" "$cpf" 'c["failed_dates"] == [] and c["stats"]["successful"] == 19'
expect 0 "form 1 after the fix: --dates" -- "$BIN" --warehouse "$W4" backfill tdza --dates 2021-11-11,2021-11-15
count_is "--dates successes" "✓ Success:" 2
qeq "--dates trigger" "$W4" \
  "SELECT COUNT(*) FROM nba_reference.processor_run_history WHERE trigger = 'backfill_dates' AND status = 'success'" "2"

# === Crash test: SIGKILL at several points, resume, compare (§17) ==========================
section "Crash test: SIGKILL at several points, resume, compare (§17)"
W5=$(newwh w5)
crash() {  # crash LABEL (SECONDS | +N dates of this run | REGEX): SIGKILL the cascade, then check all-or-none per date
  local pid rc i
  "$BIN" --warehouse "$W5" backfill all "${R[@]}" > "$work/crash.log" 2>&1 &
  pid=$!
  if [[ $2 =~ ^[0-9.]+$ ]]; then
    sleep "$2"
  elif [[ $2 =~ ^\+([0-9]+)$ ]]; then
    for ((i = 0; i < 2000; i++)); do
      [ "$(grep -c 'Processing game date' "$work/crash.log")" -ge "${BASH_REMATCH[1]}" ] && break
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.01
    done
  else
    wait_for "$work/crash.log" "$2" "$pid"
  fi
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  rc=$?
  echo "  crash $1: exit $rc, $(grep -c 'Processing game date' "$work/crash.log") dates logged" >&2
  dump "$W5" "$work/d5"
  compare "after SIGKILL $1: every date all or none, no duplicates" partial "$work/ref" "$work/d5"
  for f in "$(cpdir w5)"/*.json; do
    [ -e "$f" ] || continue
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f"
    check "after SIGKILL $1: $(basename "$f") is valid JSON" $?
  done
}
# Each run resumes the previous one (360 processor-dates in all); a kill point that a run never
# reaches just lets it finish.
crash "at 0.3 s" 0.3
crash "after 30 dates" +30
crash "at 0.8 s" 0.8
crash "after 30 more dates" +30
crash "after 45 more dates" +45
crash "at the first mlfs success" '✓ Success: .*\[mlfs\]'
expect 0 "resume after the crashes" -- "$BIN" --warehouse "$W5" backfill all "${R[@]}"
dump "$W5" "$work/d5"
compare "crashed + resumed = uninterrupted" equal "$work/ref" "$work/d5"
qeq "no duplicate keys after crashes" "$W5" \
  "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM nba_precompute.player_shot_zone_analysis GROUP BY player_lookup, analysis_date HAVING COUNT(*) > 1))
   + (SELECT COUNT(*) FROM (SELECT 1 FROM nba_predictions.ml_feature_store_v2 GROUP BY player_lookup, game_date HAVING COUNT(*) > 1)) AS n" "0"
qeq "every date has a final outcome" "$W5" \
  "SELECT status, COUNT(*) FROM nba_reference.processor_run_latest GROUP BY 1 ORDER BY 1" "skipped,70
success,290"
qeq "every date complete" "$W5" "SELECT COUNT(*), SUM(phase4_complete) FROM nba_orchestration.phase4_completion" "72,72"
for f in "$(cpdir w5)"/*.json; do
  pycheck "resumed checkpoint $(basename "$f" .json)" "$f" 'c["stats"]["pending"] == 0 and c["stats"]["successful"] == 58'
done

# === Lock (§11) ============================================================================
section "Lock (§11)"
W6=$(newwh w6)
# The holder logs into a FIFO nobody reads: once the pipe buffer is full it blocks in a log write
# (never inside a store transaction), holding its processor locks until the FIFO is drained.
mkfifo "$work/holder.fifo"
"$BIN" --warehouse "$W6" backfill all "${R[@]}" > /dev/null 2> "$work/holder.fifo" &
holder=$!
exec 7< "$work/holder.fifo"
wait_for "$work/w6/locks/team_defense_zone_analysis.lock" "\"pid\":${holder}[,}]" "$holder"
check "holder wrote its pid into the lock file" $?
expect 4 "second backfill of the same processor" -- "$BIN" --warehouse "$W6" backfill tdza "${R[@]}"
contains "lock message names the pid" "another run holds the lock for team_defense_zone_analysis on $W6: pid $holder on "
contains "lock message names the command" "backfill all --start-date 2021-10-19 --end-date 2021-12-31"
contains "lock message: kill hint with the pid" "stop it with: kill $holder"
expect 4 "run --date is locked out too" -- "$BIN" --warehouse "$W6" run --date 2021-12-15
expect 4 "import is locked out while a processor runs" -- "$BIN" --warehouse "$W6" import nba_analytics.team_defense_game_summary "$work/tdgs_1110.csv" --mode upsert
expect 0 "--status needs no lock" -- "$BIN" --warehouse "$W6" backfill tdza "${R[@]}" --status
expect 0 "--dry-run needs no lock" -- "$BIN" --warehouse "$W6" backfill tdza --start-date 2021-10-19 --end-date 2021-10-25 --dry-run
kill -0 "$holder" 2> /dev/null
check "the holder was still running during the lock checks" $?
cat <&7 > "$work/holder.log" &
drainer=$!
wait "$holder"
check "the holder finishes normally" $?
wait "$drainer"
exec 7<&-
# A lock held from the shell with flock(1) on the same file (fd 8 of this script).
lockfile="$work/w6/locks/player_composite_factors.lock"
echo '{"pid": 424242, "host": "ops-1", "started_at": "2026-01-03T20:15:30.000Z", "command": "nba-precompute backfill pcf", "run_id": "x"}' > "$lockfile"
exec 8>> "$lockfile"
flock -x -n 8
check "flock(1) takes the lock" $?
expect 4 "flock(1) holder" -- "$BIN" --warehouse "$W6" backfill pcf --start-date 2021-12-01 --end-date 2021-12-07
contains "flock holder named" "pid 424242 on ops-1 since 2026-01-03T20:15:30.000Z (nba-precompute backfill pcf)"
expect 0 "other processors are not blocked" -- "$BIN" --warehouse "$W6" backfill tdza --start-date 2021-12-01 --end-date 2021-12-07
flock -u 8
exec 8>&-
expect 0 "lock free once released" -- "$BIN" --warehouse "$W6" backfill pcf --start-date 2021-12-01 --end-date 2021-12-07
pycheck "lock file names the last holder" "$lockfile" 'c["command"].endswith("backfill pcf --start-date 2021-12-01 --end-date 2021-12-07") and c["host"] and c["run_id"]'

# === Signals (§12) =========================================================================
section "Signals (§12)"
W7=$(newwh w7)
interrupt() {  # interrupt "SIGNAL..." REGEX: signal the cascade once REGEX is logged; output in $work/out
  local pid sig
  "$BIN" --warehouse "$W7" backfill all "${R[@]}" > "$work/out" 2>&1 &
  pid=$!
  wait_for "$work/out" "$2" "$pid"
  for sig in $1; do kill -s "$sig" "$pid" 2> /dev/null; done
  wait "$pid" 2> /dev/null
}
interrupt INT 'Processing game date [0-9]+/72: .* \[psza\]'
rc=$?
[ "$rc" = 130 ]; check "SIGINT exits 130 (exit $rc)" $?
matches "Interrupted line" "WARN  Interrupted \(SIGINT\) after 2021-[0-9-]+ \[psza\]: [0-9]+/72 dates done; checkpoint saved: $(cpdir w7)/player_shot_zone_analysis_2021-10-19_2021-12-31.json; rerun the same command to resume"
contains "summary says INTERRUPTED" "PHASE 4 BACKFILL SUMMARY - player_shot_zone_analysis: INTERRUPTED"
# The cascade is pipelined by date: a processor's date D runs once its
# upstreams wrote D, so a downstream may have started, but never ahead of
# its upstream (every PDC success has a PSZA success of the same date).
qeq "no downstream date ahead of its upstream" "$W7" \
  "SELECT COUNT(*) FROM nba_reference.processor_run_latest d WHERE d.processor_name = 'player_daily_cache'
     AND d.status = 'success' AND NOT EXISTS (SELECT 1 FROM nba_reference.processor_run_latest u
     WHERE u.processor_name = 'player_shot_zone_analysis' AND u.data_date = d.data_date AND u.status = 'success')" "0"
pycheck "checkpoint saved and consistent" "$(cpdir w7)/player_shot_zone_analysis_2021-10-19_2021-12-31.json" \
  'c["stats"]["total_dates"] == 72 and 0 < c["stats"]["processed"] < 72 and c["stats"]["pending"] == 72 - c["stats"]["processed"]'
qeq "run_log: interrupted" "$W7" "SELECT exit_code, interrupted FROM nba_reference.run_log" "130,1"
psza_done=$(q "$W7" "SELECT COUNT(*) FROM nba_reference.processor_run_latest WHERE processor_name = 'player_shot_zone_analysis'")
pycheck "checkpoint = run history after SIGINT" "$(cpdir w7)/player_shot_zone_analysis_2021-10-19_2021-12-31.json" \
  "c['stats']['processed'] == ${psza_done:-0}"
interrupt TERM 'Processing game date [0-9]+/72: .* \[pcf\]'
rc=$?
[ "$rc" = 130 ]; check "SIGTERM exits 130 (exit $rc)" $?
matches "Interrupted (SIGTERM) line" "WARN  Interrupted \(SIGTERM\) after 2021-[0-9-]+ \[pcf\]"
contains "resumed psza before" "RESUMING from checkpoint $(cpdir w7)/player_shot_zone_analysis_2021-10-19_2021-12-31.json"
qeq "run_log: two interrupted runs" "$W7" "SELECT COUNT(*) FROM nba_reference.run_log WHERE interrupted = 1 AND exit_code = 130" "2"
interrupt "INT INT" 'Processing game date [0-9]+/72: .* \[mlfs\]'
rc=$?
[ "$rc" = 130 ]; check "a second signal exits 130 at once (exit $rc)" $?
for f in "$(cpdir w7)"/*.json; do
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f"
  check "after two signals: $(basename "$f") is valid JSON" $?
done
expect 0 "rerun resumes to completion" -- "$BIN" --warehouse "$W7" backfill all "${R[@]}"
contains "rerun resumes" "RESUMING from checkpoint $(cpdir w7)/player_composite_factors_2021-10-19_2021-12-31.json"
dump "$W7" "$work/d7"
compare "interrupted + resumed = uninterrupted" equal "$work/ref" "$work/d7"

# === run --date (§10) ======================================================================
section "run --date (§10)"
expect 0 "run a historical date" -- "$BIN" --warehouse "$W1" run --date 2021-12-15
contains "run per-date line" "Processing game date 1/1: 2021-12-15 [tdza]"
last=$(tail -1 "$work/out")
[[ $last =~ INFO\ \ Run\ 2021-12-15\ \(historical\):\ tdza\ ✓\ 30,\ psza\ ✓\ [0-9]+,\ pdc\ ✓\ [0-9]+,\ pcf\ ✓\ [0-9]+,\ mlfs\ ✓\ [0-9]+$ ]]
check "run: last line (got: ${last:0:120})" $?
expect 0 "run the next slate (today)" -- "$BIN" --warehouse "$W1" run --date 2022-01-01
slate=$(q "$W1" "SELECT COUNT(*) FROM nba_analytics.upcoming_player_game_context WHERE game_date = '2022-01-01'")
contains "upcoming pcf uses the context" "✓ Success: $slate players processed (2022-01-01 [pcf]; context upcoming $slate, synthetic 0)"
last=$(tail -1 "$work/out")
[[ $last =~ INFO\ \ Run\ 2022-01-01\ \(upcoming\):\ tdza\ ✓\ 30,\ psza\ ✓\ [0-9]+,\ pdc\ ✓\ [0-9]+,\ pcf\ ✓\ $slate,\ mlfs\ ✓\ $slate$ ]]
check "run upcoming: last line (got: ${last:0:120})" $?
expect 0 "run a non-game date" -- "$BIN" --warehouse "$W1" run --date 2021-12-24
contains "not a game date" "⏭ Skipped: not a game date (2021-12-24 [tdza])"
last=$(tail -1 "$work/out")
[[ $last =~ Run\ 2021-12-24\ \(.*\):\ tdza\ ⏭\ 0,\ psza\ ⏭\ 0,\ pdc\ ⏭\ 0,\ pcf\ ⏭\ 0,\ mlfs\ ⏭\ 0$ ]]
check "run non-game date: last line (got: ${last:0:120})" $?
qeq "run history of run --date" "$W1" \
  "SELECT data_date, status, COALESCE(reason_code, ''), COALESCE(mode, ''), backfill_mode, COUNT(*) FROM nba_reference.processor_run_history
   WHERE trigger = 'run' GROUP BY 1, 2, 3, 4, 5 ORDER BY 1" \
  "2021-12-15,success,,historical,0,5
2021-12-24,skipped,not_a_game_date,,0,5
2022-01-01,success,,upcoming,0,5"
qeq "run_log of run --date" "$W1" "SELECT COUNT(*) FROM nba_reference.run_log WHERE subcommand = 'run' AND exit_code = 0" "3"
dump "$W1" "$work/d1"
compare "run --date rewrote 2021-12-15 identically" equal "$work/ref" "$work/d1" 2021-12-31

# === --status and --no-resume (§9.4, §9.5) =================================================
section "--status and --no-resume (§9.4, §9.5)"
cpt="$cp1/team_defense_zone_analysis_2021-10-19_2021-12-31.json"
expect 0 "status of a complete job" -- "$BIN" --warehouse "$W1" backfill tdza "${R[@]}" --status
contains "status title" "CHECKPOINT STATUS: team_defense_zone_analysis"
contains "status warehouse" "  Warehouse:       $W1 (instance ${instance:0:8})"
contains "status range" "  Date range:      2021-10-19 to 2021-12-31"
contains "status game dates" "  Game dates:      72"
contains "status processed" "  Processed:       72 (successful 58, skipped 14, failed 0)"
contains "status pending" "  Pending:         0"
contains "status last success" "  Last success:    2021-12-31"
contains "status complete" "  Status:          COMPLETE"
contains "status file" "  Checkpoint file: $cpt"
matches "status is on stdout without prefix" "^  Last updated:    [0-9-]{10}T[0-9:.]{12}Z$"
expect 0 "status of the cascade" -- "$BIN" --warehouse "$W1" backfill all "${R[@]}" --status
count_is "status block per processor" "CHECKPOINT STATUS: " 5
"$BIN" --warehouse "$W1" backfill pcf "${R[@]}" --status --format json > "$work/status.json" 2> /dev/null
check "status json" $?
pycheck "status json content" "$work/status.json" 'c["job_name"] == "player_composite_factors" and c["stats"]["successful"] == 58'
expect 0 "status without checkpoint" -- "$BIN" --warehouse "$W1" backfill tdza --start-date 2021-12-01 --end-date 2021-12-07 --status
contains "no checkpoint message" "No checkpoint for team_defense_zone_analysis 2021-12-01..2021-12-07. Would be: $cp1/team_defense_zone_analysis_2021-12-01_2021-12-07.json"
[ ! -e "$cp1/team_defense_zone_analysis_2021-12-01_2021-12-07.json" ]; check "status creates no checkpoint" $?
created=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["created_at"])' "$cpt")
expect 0 "--no-resume recomputes" -- "$BIN" --warehouse "$W1" backfill tdza "${R[@]}" --no-resume
contains "--no-resume logs the path" "$cpt"
lacks "--no-resume does not resume" "RESUMING"
count_is "--no-resume: all dates again" "Processing game date " 72
contains "stale downstream warning (§14.3)" "WARN  116 downstream dates are now stale (player_composite_factors 58, ml_feature_store 58): rerun with --cascade"
pycheck "--no-resume: fresh checkpoint" "$cpt" "c['created_at'] > '$created' and c['stats']['processed'] == 72"
qeq "--no-resume: new outcomes recorded" "$W1" \
  "SELECT COUNT(*) FROM nba_reference.processor_run_history WHERE processor_name = 'team_defense_zone_analysis' AND trigger = 'backfill_range'" "144"
# §9.4: a 'done' date without a matching outcome in run history is processed again.
"$BIN" --warehouse "$W1" sql --write "DELETE FROM nba_reference.processor_run_history
  WHERE processor_name = 'team_defense_zone_analysis' AND data_date = '2021-12-15'" > /dev/null 2>&1
expect 0 "resume distrusts an unconfirmed date" -- "$BIN" --warehouse "$W1" backfill tdza "${R[@]}"
contains "unconfirmed date warning" "WARN  checkpoint says 2021-12-15 done but the warehouse has no such outcome; it will be processed"
count_is "only that date" "Processing game date " 1
# §9.4: an unreadable checkpoint is a usage error; --no-resume replaces it.
printf '{\n  "format_version": 1,\n  "job_name" "x"\n' > "$cpt"
expect 2 "unreadable checkpoint" -- "$BIN" --warehouse "$W1" backfill tdza "${R[@]}"
contains "unreadable message" "is unreadable"
expect 0 "--no-resume replaces an unreadable checkpoint" -- "$BIN" --warehouse "$W1" backfill tdza "${R[@]}" --no-resume
pycheck "checkpoint rewritten" "$cpt" 'c["stats"]["processed"] == 72'
expect 0 "a range without game dates" -- "$BIN" --warehouse "$W1" backfill tdza --start-date 2021-11-25 --end-date 2021-11-25
contains "no game dates warning (§4)" "WARN  No game dates found in 2021-11-25..2021-11-25"
# §9.6 applies --dates outcomes to range checkpoints; a non-game date is not one of the range's dates.
expect 0 "--dates of a non-game date inside the range" -- "$BIN" --warehouse "$W1" backfill tdza --dates 2021-11-25
contains "non-game date skipped" "⏭ Skipped: not a game date (2021-11-25 [tdza])"
pycheck "range checkpoint keeps its 72 game dates (§9.2, §9.6)" "$cpt" \
  '"2021-11-25" not in c["skipped_dates"] and c["stats"]["processed"] == 72 and c["stats"]["skipped"] == 14'
dump "$W1" "$work/d1"
compare "--no-resume recomputed identical rows" equal "$work/ref" "$work/d1" 2021-12-31

echo "runner_test: $passed passed, $failed failed ($((SECONDS - started)) s)"
[ "$failed" = 0 ]
