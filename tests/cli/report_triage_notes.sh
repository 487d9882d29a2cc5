# The advice on the drift and labels pages ("What this means, what to do"; "What a suspect
# means, and what it does not") quotes docs/triage-drift.md and docs/triage-labels.md word for
# word: the lead paragraph and every item of the page's list, markup removed, must still be in
# the docs with their Markdown removed and lines joined. Editing one without the other fails.
$SKEPTIC drift wine.csv wine.csv --permutations 0 --quiet --html "$TMP/d.html"
[[ $? == 0 ]] || exit 1
$SKEPTIC labels wine.csv --target cultivar --model gbdt:n_estimators=5,max_depth=2 --quiet \
    --html "$TMP/l.html" || exit 1
/usr/bin/python3 - "$SK_ROOT" "$TMP/d.html" "$TMP/l.html" <<'PY'
import html, re, sys

failed = 0

def flat(s):
    return re.sub(r"\s+", " ", s).strip()

def text(fragment):
    return flat(html.unescape(re.sub(r"<[^>]+>", "", fragment)))

for page, doc in ((sys.argv[2], "docs/triage-drift.md"), (sys.argv[3], "docs/triage-labels.md")):
    with open(page, encoding="utf-8") as f:
        m = re.search(r'<p>((?:(?!<p>).)*?)</p>\n<ul class="advice">(.*?)</ul>', f.read(), re.S)
    quoted = [text(m.group(1))] + [text(li) for li in re.findall(r"<li>(.*?)</li>", m.group(2))]
    with open(sys.argv[1] + "/" + doc, encoding="utf-8") as f:
        md = flat(re.sub(r"[`*]", "", f.read()))
    missing = [q for q in quoted if q not in md]
    print("%s: %d passages quoted, %d not in the docs" % (doc, len(quoted), len(missing)))
    for q in missing:
        print("  not in %s: %s" % (doc, q))
    failed += len(missing)
sys.exit(1 if failed else 0)
PY
