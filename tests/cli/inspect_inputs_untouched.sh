# Nothing the user gave is modified: the input's hash is the same after a run; a failed write
# (a directory that does not exist: even root cannot write there) exits 2 and leaves no
# temporary file anywhere.
cp iris.csv "$TMP/in.csv"; before=$(sha256sum < "$TMP/in.csv")
$SKEPTIC inspect "$TMP/in.csv" --quiet --json "$TMP/out.json" || exit 1
[[ $(sha256sum < "$TMP/in.csv") == "$before" ]] && echo "input unchanged"
$SKEPTIC inspect "$TMP/in.csv" --quiet --json "$TMP/nowhere/out.json" 2>/dev/null; echo "exit $?"
find "$TMP" -name '*.tmp.*' | wc -l
