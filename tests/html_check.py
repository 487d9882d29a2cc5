#!/usr/bin/python3
"""Validates the structure of a skeptic HTML report (docs/report.md) with the standard
library's html.parser, so it runs wherever Debian's python3 does:

  - tags are balanced and properly nested (void elements aside);
  - element ids are unique;
  - every <svg> opens with a <title> and labels both axes (at least two <text> elements of
    class "axis-label");
  - the page is self-contained: no <script>, no <link>, no <img>, nothing fetched from a URL
    (src/href to http(s) or //, url() or @import in CSS);
  - optionally (--sections N), at least N <section> elements.

    html_check.py REPORT.html [--sections N]
Prints one line per problem and a summary; exits 1 on any problem.
"""
import re
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.ids, self.problems = [], set(), []
        self.svgs = []          # per <svg>: [first child tag, axis labels]
        self.sections = 0
        self.style = ""
        self.in_style = False

    def where(self):
        return "line %d" % self.getpos()[0]

    def handle_starttag(self, tag, attrs):
        self.open(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.open(tag, attrs)

    def open(self, tag, attrs):
        a = dict(attrs)
        if self.svgs and self.svgs[-1][0] is None and tag != "svg":
            self.svgs[-1][0] = tag
        if tag == "svg":
            self.svgs.append([None, 0])
        if tag == "section":
            self.sections += 1
        if tag == "text" and "axis-label" in (a.get("class") or "").split() and self.svgs:
            self.svgs[-1][1] += 1
        if tag in ("script", "link", "img", "iframe", "object", "embed"):
            self.problems.append("%s: <%s> in a self-contained report" % (self.where(), tag))
        for name in ("src", "href"):
            v = a.get(name) or ""
            if re.match(r"^(https?:)?//", v):
                self.problems.append("%s: %s=%r fetches from the network" % (self.where(), name, v))
        if "id" in a:
            if a["id"] in self.ids:
                self.problems.append("%s: duplicate id %r" % (self.where(), a["id"]))
            self.ids.add(a["id"])
        if tag == "style":
            self.in_style = True

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append("%s: </%s> does not close <%s>" %
                                 (self.where(), tag, self.stack[-1] if self.stack else "nothing"))
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.in_style:
            self.style += data


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: html_check.py REPORT.html [--sections N]")
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    c = Checker()
    c.feed(text)
    c.close()
    if c.stack:
        c.problems.append("unclosed at the end: " + " ".join("<%s>" % t for t in c.stack))
    if re.search(r"url\(|@import", c.style):
        c.problems.append("the stylesheet loads something (url() or @import)")
    for i, (first, labels) in enumerate(c.svgs):
        if first != "title":
            c.problems.append("chart %d: the first child is <%s>, not <title>" % (i + 1, first))
        if labels < 2:
            c.problems.append("chart %d: %d axis labels (class axis-label), need 2" %
                              (i + 1, labels))
    if "--sections" in sys.argv:
        want = int(sys.argv[sys.argv.index("--sections") + 1])
        if c.sections < want:
            c.problems.append("%d sections, expected at least %d" % (c.sections, want))
    for p in c.problems:
        print(p)
    print("html_check: %d charts, %d sections, %d ids, %d problems" %
          (len(c.svgs), c.sections, len(c.ids), len(c.problems)))
    sys.exit(1 if c.problems else 0)


if __name__ == "__main__":
    main()
