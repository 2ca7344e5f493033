#!/usr/bin/env bash
# `nba-precompute report` end to end (spec/validation.md §8): builds a small
# demo warehouse, writes the report, checks it is one self-contained file
# (no http:// or https://, no <link>, no <script src>), deterministic except
# the generation-time line, then loads it in headless Chromium: a screenshot
# that is not trivial and no console error.
#   report_browser_test.sh BIN
# Env: CHROMIUM (default /usr/bin/chromium); REPORT_SCREENSHOT=PATH keeps a
# copy of the screenshot.
set -uo pipefail
BIN=$1
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BACKFILL_CHECKPOINT_DIR="$work/checkpoints"
. "$(dirname "$0")/lib.sh"
unset NBA_WAREHOUSE NBA_PRECOMPUTE_TODAY PCF_WORKERS PARALLELIZATION_WORKERS


if [ ! -x "$CHROMIUM" ]; then
  echo "error: $CHROMIUM not found: this test needs Debian's headless Chromium (apt-get install -y chromium)" >&2
  echo "report_test: 0 passed, 1 failed"
  exit 1
fi

WH="sqlite:$work/wh"
expect 0 "demo-data" -- "$BIN" --warehouse "$WH" --quiet demo-data --end-date 2021-12-31
expect 0 "backfill" -- "$BIN" --warehouse "$WH" --quiet --no-progress backfill all --start-date 2021-10-19 --end-date 2021-12-31

# --- the file ------------------------------------------------------------------
F="$work/F.html"
expect 0 "report" -- "$BIN" --warehouse "$WH" report --out "$F"
check "report file written" "$([ -s "$F" ]; echo $?)"
check "no http:// or https://" "$(grep -qiE 'https?://' "$F" && echo 1 || echo 0)"
check "no <link>" "$(grep -qi '<link' "$F" && echo 1 || echo 0)"
check "no <script src>" "$(grep -qiE '<script[^>]*src' "$F" && echo 1 || echo 0)"
check "no url() but fragments" "$(grep -oiE 'url\([^)#]*\)' "$F" | grep -q . && echo 1 || echo 0)"
check "one <style>" "$([ "$(grep -o '<style>' "$F" | wc -l)" = 1 ]; echo $?)"
check "HTML5 doctype" "$(head -1 "$F" | grep -qx '<!DOCTYPE html>'; echo $?)"
check "UTF-8" "$(grep -q '<meta charset="utf-8">' "$F"; echo $?)"
check "size <= 5 MB" "$([ "$(stat -c %s "$F")" -le 5242880 ]; echo $?)"
for section in coverage failures features timings; do
  check "section $section" "$(grep -q "<section id=\"$section\">" "$F"; echo $?)"
done
check "calendar tooltip" "$(grep -qE '<title>2021-11-20 · player_composite_factors · success · [0-9,]+ rows · run [0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}</title>' "$F"; echo $?)"
check "bootstrap squares" "$(grep -q 'class="boot"><title>2021-10-19 · ml_feature_store · skipped · bootstrap' "$F"; echo $?)"
check "MLFS histogram" "$(grep -q '<b>24 team_win_pct</b>' "$F"; echo $?)"
check "not validated" "$(grep -q 'not validated' "$F"; echo $?)"

# --- determinism: identical except the generation-time line -----------------------
sleep 1
expect 0 "report again (stdout)" -- "$BIN" --warehouse "$WH" report --out -
grep -v '^<p class="gen">Generated ' "$F" > "$work/a.html"
grep -v '^<p class="gen">Generated ' "$work/out" > "$work/b.html"
check "same bytes but the generation line" "$(cmp -s "$work/a.html" "$work/b.html"; echo $?)"
check "only one line differs" "$([ "$(diff "$F" "$work/out" | grep -c '^[<>]')" -le 2 ]; echo $?)"

# --- options and errors --------------------------------------------------------------
expect 0 "title escaped" -- "$BIN" --warehouse "$WH" report --out - --title '<b>Q&A</b> http://x' --processor pcf
check "title has no http://" "$(grep -qiE 'https?://' "$work/out" && echo 1 || echo 0)"
check "title escaped text" "$(grep -qF '<h1>&lt;b&gt;Q&amp;A&lt;/b&gt; http:&#47;&#47;x</h1>' "$work/out"; echo $?)"
check "processor filter" "$(grep -q 'id="cal-ml_feature_store"' "$work/out" && echo 1 || echo 0)"
expect 2 "unknown processor" -- "$BIN" --warehouse "$WH" report --processor pfc --out "$work/x.html"
expect 2 "bad date" -- "$BIN" --warehouse "$WH" report --start-date 2021-13-01 --out "$work/x.html"
expect 2 "missing warehouse" -- "$BIN" --warehouse "sqlite:$work/nope" report --out "$work/x.html"
expect 1 "unwritable output" -- "$BIN" --warehouse "$WH" report --out "$work/no/such/dir/r.html"

# --- headless Chromium ---------------------------------------------------------------------
chrome() {  # chrome PROFILE-NAME ARGS...
  local profile="$work/profile-$1"
  shift
  mkdir -p "$profile"
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" "$@"
}
PNG="$work/report.png"
chrome shot --screenshot="$PNG" --window-size=1400,2000 "file://$F" > "$work/shot.log" 2>&1
check "chromium screenshot ran" "$([ -f "$PNG" ]; echo $?)"
check "screenshot is a PNG" "$(head -c 8 "$PNG" 2>/dev/null | od -An -tx1 | tr -d ' \n' | grep -qx '89504e470d0a1a0a'; echo $?)"
size=$(stat -c %s "$PNG" 2>/dev/null || echo 0)
check "screenshot non-trivial (${size} bytes > 20 kB)" "$([ "$size" -gt 20480 ]; echo $?)"
[ -n "${REPORT_SCREENSHOT:-}" ] && [ -f "$PNG" ] && cp "$PNG" "$REPORT_SCREENSHOT"

chrome dom --enable-logging=stderr --v=0 --dump-dom "file://$F" > "$work/dom.html" 2> "$work/console.log"
check "DOM rendered" "$(grep -q 'Feature distributions' "$work/dom.html"; echo $?)"
if grep -qE 'CONSOLE|Uncaught|Failed to load resource|ERR_' "$work/console.log"; then
  check "no console errors" 1
  grep -E 'CONSOLE|Uncaught|Failed to load resource|ERR_' "$work/console.log" | head -5 >&2
else
  check "no console errors" 0
fi

echo "report_test: $passed passed, $failed failed"
[ "$failed" = 0 ]
