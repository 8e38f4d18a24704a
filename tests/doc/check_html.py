#!/usr/bin/env python3
"""`aipol doc` on the standard library writes a well-formed, self-contained catalogue.

usage: check_html.py AIPOL [POLICY...]

Runs `aipol doc -o TMP` and checks that
- it prints the two files it wrote, and `--stdout html|md` prints the same bytes;
- index.html is well-formed: every element that is opened is closed, in order
  (void elements excepted), and ids are unique;
- it is self-contained: no scripts, no external style sheets, images, fonts or
  links; every href is a fragment (`#id`) naming an id of the page;
- catalogue.md links only to its own anchors (`<a id="...">`);
- every obligation and prohibition appears in both.
"""
import html.parser
import os
import re
import subprocess
import sys
import tempfile

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.ids = set()
        self.hrefs = []
        self.tags = set()

    def where(self):
        line, col = self.getpos()
        return f"line {line}, column {col + 1}"

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name == "id":
                if value in self.ids:
                    self.errors.append(f"{self.where()}: duplicate id {value!r}")
                self.ids.add(value)
            if name == "href":
                self.hrefs.append((value, self.where()))
            if name in ("src", "srcset", "action", "formaction", "data", "poster", "background"):
                self.errors.append(f"{self.where()}: external reference {name}={value!r}")
            if name.startswith("on"):
                self.errors.append(f"{self.where()}: script attribute {name}")
        if tag in ("script", "link", "iframe", "object", "embed", "img", "base"):
            self.errors.append(f"{self.where()}: <{tag}> is not allowed in a self-contained page")
        if tag not in VOID:
            self.stack.append((tag, self.where()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append(f"{self.where()}: end tag for void element <{tag}>")
            return
        if not self.stack:
            self.errors.append(f"{self.where()}: </{tag}> closes nothing")
            return
        open_tag, opened = self.stack.pop()
        if open_tag != tag:
            self.errors.append(f"{self.where()}: </{tag}> closes <{open_tag}> opened at {opened}")


def run(args):
    return subprocess.run(args, capture_output=True)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    aipol = sys.argv[1]
    policy = [arg for p in sys.argv[2:] for arg in ("-p", p)]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "catalogue")
        result = run([aipol, "doc", *policy, "-o", out])
        if result.returncode != 0:
            print(result.stderr.decode(errors="replace"))
            print(f"FAIL: aipol doc exited {result.returncode}")
            return 1
        written = result.stdout.decode().splitlines()
        expected = [os.path.join(out, "index.html"), os.path.join(out, "catalogue.md")]
        if written != expected:
            failures.append(f"aipol doc printed {written!r}, expected {expected!r}")
        with open(expected[0], "rb") as f:
            page_bytes = f.read()
        with open(expected[1], "rb") as f:
            md_bytes = f.read()
        for kind, data in (("html", page_bytes), ("md", md_bytes)):
            printed = run([aipol, "doc", *policy, "--stdout", kind])
            if printed.returncode != 0 or printed.stdout != data:
                failures.append(f"`aipol doc --stdout {kind}` differs from the file written")

    page = page_bytes.decode("utf-8")
    checker = Checker()
    checker.feed(page)
    checker.close()
    failures += checker.errors
    for tag, opened in checker.stack:
        failures.append(f"<{tag}> opened at {opened} is never closed")
    if not page.startswith("<!DOCTYPE html>"):
        failures.append("index.html does not start with <!DOCTYPE html>")
    for required in ("html", "head", "body", "title", "style", "meta"):
        if required not in checker.tags:
            failures.append(f"index.html has no <{required}>")
    for href, where in checker.hrefs:
        if not href.startswith("#"):
            failures.append(f"{where}: href {href!r} leaves the page")
        elif href[1:] not in checker.ids:
            failures.append(f"{where}: href {href!r} names no id of the page")
    lowered = page.lower()
    for pattern in ("url(", "@import", "<script"):
        if pattern in lowered:
            failures.append(f"index.html contains {pattern!r}")

    md = md_bytes.decode("utf-8")
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', md))
    for target in re.findall(r"\]\(([^)]*)\)", md):
        if not target.startswith("#"):
            failures.append(f"catalogue.md links outside itself: {target!r}")
        elif target[1:] not in anchors:
            failures.append(f"catalogue.md links to a missing anchor: {target!r}")

    # Every obligation and prohibition is in both documents.
    ids = re.findall(r'<article class="(?:obligation|prohibition)" id="([^"]+)"', page)
    if not ids:
        failures.append("index.html lists no obligation or prohibition")
    for item in ids:
        if f'<a id="{item}"></a>' not in md:
            failures.append(f"catalogue.md lacks {item}")

    for failure in failures[:50]:
        print("FAIL:", failure)
    if failures:
        print(f"{len(failures)} problems")
        return 1
    print(f"ok: {len(ids)} items, {len(checker.ids)} ids, {len(checker.hrefs)} links, {len(page_bytes)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
