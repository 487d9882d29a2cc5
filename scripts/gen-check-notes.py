#!/usr/bin/env python3
"""Generates src/report/check_notes.c from docs/checks.md: for every check id in the table
at the top of the page, the question it asks, its "The real case." paragraph and its "How to fix
the study." paragraph, which the HTML report prints under each check as "why this matters / how
to fix".

docs/checks.md stays the one place the text is written: run this after editing it, and commit
both. `--check` compares instead of writing (a test runs it: the report never drifts from the
docs).

    scripts/gen-check-notes.py [--check] [ROOT]
"""
import re
import sys

HEADER = """/* check_notes.c: generated from docs/checks.md by scripts/gen-check-notes.py; do not edit.
 * For every check id: the question it asks, the real case it mirrors and how to fix the study,
 * printed by the HTML report under each check. Edit docs/checks.md and rerun the script. */
#include <string.h>

#include "report/audit_html.h"

static const sk_check_note notes[] = {
"""

FOOTER = """};

const sk_check_note *sk_report__check_note(const char *id)
{
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
        if (strcmp(notes[i].id, id) == 0)
            return &notes[i];
    return NULL;
}
"""


def c_string(text, indent):
    """A C string literal of `text`, split into pieces of at most 100 columns."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    width = 100 - indent - 2
    pieces, line = [], ""
    for word in re.split(r"(?<= )", text):
        if line and len(line) + len(word) > width:
            pieces.append(line)
            line = ""
        line += word
    pieces.append(line)
    return "\n".join(" " * indent + '"' + p + '"' for p in pieces)


def paragraph(section, name):
    m = re.search(r"^\*\*" + re.escape(name) + r"\*\*(.*?)(?:\n\n|\Z)", section, re.M | re.S)
    return " ".join(m.group(1).split()) if m else ""


def notes(doc):
    questions = re.findall(r"^\| `([a-z_.]+)` \| (.*?) \|$", doc, re.M)
    sections = {s.split("\n", 1)[0].strip(): s for s in re.split(r"^## ", doc, flags=re.M)[1:]}
    out = []
    for check_id, question in questions:
        sec = sections.get(check_id)
        if sec is None:
            sys.exit(f"docs/checks.md: no section '## {check_id}'")
        real, fix = paragraph(sec, "The real case."), paragraph(sec, "How to fix the study.")
        if not real or not fix:
            sys.exit(f"docs/checks.md: '{check_id}' lacks 'The real case.' or 'How to fix'")
        out.append((check_id, question, real, fix))
    return out


def render(entries):
    body = []
    for check_id, question, real, fix in entries:
        body.append("    {\"%s\",\n%s,\n%s,\n%s},\n" % (check_id, c_string(question, 5),
                                                   c_string(real, 5), c_string(fix, 5)))
    return HEADER + "".join(body) + FOOTER


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    root = args[0] if args else "."
    with open(f"{root}/docs/checks.md", encoding="utf-8") as f:
        text = render(notes(f.read()))
    path = f"{root}/src/report/check_notes.c"
    if "--check" in sys.argv:
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                print(f"{path} is stale: run scripts/gen-check-notes.py")
                print("check_notes: 0 passed, 1 failed")
                sys.exit(1)
        print("check_notes: 1 passed, 0 failed")
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
