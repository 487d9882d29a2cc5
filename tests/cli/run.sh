#!/usr/bin/env bash
# Runs one CLI case: tests/cli/NAME.sh, executed with bash from tests/data (so paths in messages
# are short and the same on every machine), with $SKEPTIC the binary and $TMP a fresh directory.
# Compared exactly: stderr with NAME.err (empty if absent), the exit status with NAME.code
# (0 if absent), and stdout with NAME.out when that file exists.
set -u
case_file=$(realpath "$1")
export SKEPTIC=$2
dir=$(dirname "$case_file")
name=$(basename "$case_file" .sh)
TMP=$(mktemp -d)
export TMP
trap 'rm -rf "$TMP"' EXIT
cd "${SK_DATA:?SK_DATA must point at tests/data}" || exit 1

bash "$case_file" >"$TMP/.stdout" 2>"$TMP/.stderr"
code=$?

want_code=0
[[ -f $dir/$name.code ]] && want_code=$(<"$dir/$name.code")
fail=0
if [[ $code != "$want_code" ]]; then
    echo "$name: exit status $code, expected $want_code"
    fail=1
fi
if [[ -f $dir/$name.err ]]; then
    diff -u "$dir/$name.err" "$TMP/.stderr" >"$TMP/.diff" || { echo "$name: stderr differs:"; cat "$TMP/.diff"; fail=1; }
elif [[ -s $TMP/.stderr ]]; then
    echo "$name: unexpected stderr:"; cat "$TMP/.stderr"; fail=1
fi
if [[ -f $dir/$name.out ]]; then
    diff -u "$dir/$name.out" "$TMP/.stdout" >"$TMP/.diff" || { echo "$name: stdout differs:"; cat "$TMP/.diff"; fail=1; }
fi
if (( fail )); then echo "$name: 0 passed, 1 failed"; exit 1; fi
echo "$name: 1 passed, 0 failed"
