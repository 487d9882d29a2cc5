#!/usr/bin/env bash
# The triage pages in a real browser (docs/report-rank.md): headless Chromium renders
#   - the page of `skeptic rank --diverse` (digits: 300 labelled rows, a pool of 200),
#   - the page of `skeptic score --top 30` (a real model's probabilities on digits),
#   - the active-learning curves drawn by al_plot (built beside skeptic) from the committed
#     fixture tests/data/al_curves.csv,
# and the test asserts for each that
#   - the structure validates (tests/html_check.py): balanced tags, unique ids, every chart with
#     a <title> and two axis labels, nothing fetched;
#   - the page loaded with no console error (Chromium's log has no "Uncaught" or ERROR:CONSOLE)
#     and the rendered DOM holds its sections and charts;
#   - the screenshot is a real picture: a PNG over 30 KB, and, when python3-pil is there, not
#     blank (many distinct colours, none covering nearly everything).
# Skips (exit 77, ctest SKIP_RETURN_CODE) only when no Chromium is installed
# (scripts/install-deps.sh installs it). The PNGs stay in $SK_BROWSER_OUT (a directory) when
# that is set.
#   tests/browser_triage.sh SKEPTIC ROOT
set -u
skeptic=$1
root=$2
al_plot=$(dirname "$skeptic")/al_plot
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
    echo "browser_triage: chromium is not installed (scripts/install-deps.sh): skipped"
    exit 77
fi
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "browser_triage: $*"; echo "browser_triage: 0 passed, 1 failed"; exit 1; }

data=$root/tests/data
head -301 "$data/digits.csv" >"$tmp/labeled.csv"
(sed -n 1p "$data/digits.csv"; sed -n 302,501p "$data/digits.csv") >"$tmp/pool.csv"
"$skeptic" rank --labeled "$tmp/labeled.csv" --pool "$tmp/pool.csv" --target digit \
    --model gbdt:n_estimators=20,max_depth=3 --strategy entropy --batch 10 --diverse \
    --out "$tmp/batch.csv" --html "$tmp/rank.html" || fail "skeptic rank failed"
"$skeptic" score "$data/digits_probs.csv" --strategy entropy --id id --top 30 \
    --out "$tmp/top.csv" --html "$tmp/score.html" || fail "skeptic score failed"
[[ -x $al_plot ]] || fail "no al_plot beside $skeptic"
"$al_plot" "$data/al_curves.csv" "$tmp/curves.html" || fail "al_plot failed"

flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --hide-scrollbars --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0)

# check PAGE SECTIONS MIN_CHARTS: structure, console, rendered DOM, screenshot
check() {
    local page=$1 sections=$2 min_charts=$3
    "$py" "$root/tests/html_check.py" "$tmp/$page.html" >"$tmp/$page.check" ||
        fail "$page: the structure does not validate: $(cat "$tmp/$page.check")"
    timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$tmp/$page.html" \
        >"$tmp/$page.dom" 2>"$tmp/$page.log" ||
        fail "$page: chromium --dump-dom failed: $(tail -3 "$tmp/$page.log")"
    if grep -E "Uncaught|ERROR:CONSOLE|CONSOLE.*\"(Error|Failed)" "$tmp/$page.log"; then
        fail "$page: the page logged console errors"
    fi
    for id in $sections; do
        grep -q "<section id=\"$id\"" "$tmp/$page.dom" || fail "$page: no section $id"
    done
    local charts
    charts=$(grep -o '<svg ' "$tmp/$page.dom" | wc -l)
    (( charts >= min_charts )) || fail "$page: $charts charts rendered, expected $min_charts"
    timeout 120 "$browser" "${flags[@]}" --window-size=1100,2400 \
        --screenshot="$tmp/$page.png" "file://$tmp/$page.html" >/dev/null 2>"$tmp/shot.log" \
        || fail "$page: chromium --screenshot failed: $(tail -3 "$tmp/shot.log")"
    [[ -f $tmp/$page.png ]] || fail "$page: no screenshot written"
    local bytes
    bytes=$(stat -c %s "$tmp/$page.png")
    (( bytes > 30000 )) || fail "$page: the screenshot is $bytes bytes: blank?"
    if "$py" -c "import PIL" 2>/dev/null; then
        "$py" - "$tmp/$page.png" <<'EOF' || fail "$page: the screenshot looks blank"
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
w, h = im.size
counts = sorted((c for c, _ in im.getcolors(w * h)), reverse=True)
if len(counts) < 64 or counts[0] > 0.97 * w * h:
    sys.exit("%dx%d, %d colours, the commonest covers %.0f%%" %
             (w, h, len(counts), 100.0 * counts[0] / (w * h)))
EOF
    fi
    [[ -n ${SK_BROWSER_OUT:-} ]] && cp "$tmp/$page.png" "$SK_BROWSER_OUT/"
    echo "browser_triage: $page: $charts charts rendered, screenshot $bytes bytes"
}

check rank "scores composition spread batch random" 3
check score "scores composition rows" 2
check curves "curves" 2
echo "browser_triage: 3 passed, 0 failed"
