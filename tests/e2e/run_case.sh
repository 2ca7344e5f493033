#!/usr/bin/env bash
# Runs one data-driven end-to-end case (tests/e2e/README.md):
#   run_case.sh BIN CASE_DIR
# A fresh warehouse gets CASE_DIR/inputs/* (import --dir); each line of
# CASE_DIR/cmd is run as `BIN --warehouse WH <line>` (the last line's exit code
# must equal CASE_DIR/expected_exit, default 0); then every
# CASE_DIR/expected/NAME.sql is run with `sql --format csv` and compared with
# CASE_DIR/expected/NAME.csv byte for byte.
set -uo pipefail
BIN=$1
CASE=$2
name=$(basename "$CASE")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
WH="sqlite:$work/wh"
export BACKFILL_CHECKPOINT_DIR="$work/checkpoints"
export NBA_PRECOMPUTE_TODAY=${NBA_PRECOMPUTE_TODAY:-2026-01-03}
fail() { echo "FAIL [$name]: $*" >&2; exit 1; }

if [ -d "$CASE/inputs" ]; then
  "$BIN" --warehouse "$WH" import --dir "$CASE/inputs" > "$work/import.out" 2>&1 \
    || { cat "$work/import.out" >&2; fail "import of inputs failed"; }
fi
expected_exit=0
[ -f "$CASE/expected_exit" ] && expected_exit=$(tr -d '[:space:]' < "$CASE/expected_exit")
rc=0
line_no=0
while IFS= read -r line || [ -n "$line" ]; do
  line_no=$((line_no + 1))
  case "$line" in ''|'#'*) continue ;; esac
  eval "set -- $line"
  "$BIN" --warehouse "$WH" --no-progress "$@" > "$work/cmd$line_no.out" 2> "$work/cmd$line_no.err"
  rc=$?
done < "$CASE/cmd"
if [ "$rc" != "$expected_exit" ]; then
  tail -20 "$work/cmd$line_no.err" >&2
  fail "last command exited $rc, expected $expected_exit"
fi
if [ -f "$CASE/expected_log" ]; then
  # Every line of expected_log is a fixed string that must occur in the last command's stderr.
  while IFS= read -r pattern || [ -n "$pattern" ]; do
    [ -z "$pattern" ] && continue
    grep -qF -- "$pattern" "$work/cmd$line_no.err" || fail "log lacks: $pattern"
  done < "$CASE/expected_log"
fi
shopt -s nullglob
checked=0
for query in "$CASE"/expected/*.sql; do
  want="${query%.sql}.csv"
  got="$work/$(basename "$want")"
  "$BIN" --warehouse "$WH" sql -f "$query" --format csv > "$got" 2> "$work/sql.err" \
    || { cat "$work/sql.err" >&2; fail "query $(basename "$query") failed"; }
  if ! diff -u "$want" "$got" > "$work/diff" 2>&1; then
    head -40 "$work/diff" >&2
    fail "$(basename "$query") differs from $(basename "$want")"
  fi
  checked=$((checked + 1))
done
echo "PASS [$name]: exit $rc, $checked table checks"
