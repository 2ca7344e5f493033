# Shared helpers of the CLI end-to-end scripts (sourced; needs $work).
# Each helper counts one passed or failed check; the script prints
# "<name>: N passed, M failed" at the end.
passed=0
failed=0

check() {  # check NAME CONDITION-EXIT-CODE
  if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1" >&2; fi
}
expect() {  # expect CODE NAME -- command...   (stdout+stderr captured in $work/out)
  local want=$1 name=$2
  shift 3
  "$@" > "$work/out" 2>&1
  local got=$?
  if [ "$got" = "$want" ]; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $name: exit $got, expected $want" >&2; tail -5 "$work/out" >&2; fi
}
contains() {  # contains NAME TEXT  (fixed string in $work/out)
  if grep -qF -- "$2" "$work/out"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $1: output lacks: $2" >&2; head -5 "$work/out" >&2; fi
}
matches() {  # matches NAME REGEX  (extended regex in $work/out)
  if grep -qE -- "$2" "$work/out"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $1: output matches no line: $2" >&2; fi
}
lacks() {  # lacks NAME TEXT
  if grep -qF -- "$2" "$work/out"; then failed=$((failed + 1)); echo "FAIL: $1: output has: $2" >&2; else
    passed=$((passed + 1)); fi
}
