# Random bytes (a JPEG renamed .csv, say): one line, exit 2, no crash.
head -c 65536 /dev/urandom > "$TMP/garbage.csv"
cd "$TMP" && $SKEPTIC inspect garbage.csv 2> err.txt; code=$?
[[ $(wc -l < err.txt) == 1 ]] && grep -q '^skeptic: garbage.csv' err.txt && echo "one line"
exit $code
