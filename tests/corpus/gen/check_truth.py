#!/usr/bin/env python3
"""Checks generated truth against the PDFs: every truth row's name and value_text must appear on the page it
claims (text of `pdftotext -layout -f p -l p`), every row's page must exist, and dates/values must be
consistent (value == value_text read with a decimal point; collection_date ISO). Image documents are
checked through their truth only (page 1).

  python3 tests/corpus/gen/check_truth.py DIR [-q]

Exit status 1 when any check fails (a generator bug), 0 otherwise.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def page_texts(pdf):
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends every page with a form feed
    return [[norm(ln) for ln in p.split("\n")] for p in pages]


def check_doc(d, stem):
    errs = []
    with open(os.path.join(d, "truth", stem + ".json"), encoding="utf-8") as f:
        t = json.load(f)
    with open(os.path.join(d, "loinc", stem + ".json"), encoding="utf-8") as f:
        lo = json.load(f)
    rows = t["results"]
    if len(lo["rows"]) != len(rows) or any(r["i"] != i for i, r in enumerate(lo["rows"])):
        errs.append("loinc rows do not line up with truth rows")
    if "style" not in t:
        errs.append("no style")
    multi = t["collection_date"] is None
    for i, r in enumerate(rows):
        vt = r["value_text"]
        if r["value"] is not None:
            try:
                if abs(float(vt.replace(",", ".")) - r["value"]) > 1e-9:
                    errs.append(f"row {i}: value {r['value']} != value_text {vt}")
            except ValueError:
                errs.append(f"row {i}: value {r['value']} but value_text {vt!r} is not a number")
        if multi and not re.fullmatch(r"\d{4}-\d\d-\d\d", r.get("collection_date") or ""):
            errs.append(f"row {i}: top-level collection_date null but row has none")
        if r["flag"] not in (None, "H", "L"):
            errs.append(f"row {i}: flag {r['flag']!r}")
        if r["ref_low"] is not None and r["ref_high"] is not None and r["ref_low"] > r["ref_high"]:
            errs.append(f"row {i}: ref_low > ref_high")
    if not t["has_text_layer"]:
        if any(r["page"] != 1 for r in rows):
            errs.append("image truth has rows beyond page 1")
        return stem, len(rows), errs
    pages = page_texts(os.path.join(d, "files", t["file"]))
    for i, r in enumerate(rows):
        p = r["page"]
        if not (1 <= p <= len(pages)):
            errs.append(f"row {i}: page {p} of {len(pages)}")
            continue
        lines = pages[p - 1]
        name, vt = norm(r["original_name"]), norm(r["value_text"])
        # the value is on the name's line (tables, leaders, cumulative) or on one of the next two (stacked)
        near = [" ".join(lines[k:k + 3]) for k, ln in enumerate(lines) if name in ln]
        if not near:
            errs.append(f"row {i}: original_name {r['original_name']!r} not on page {p}")
        elif not any(vt in ln for ln in near):
            errs.append(f"row {i}: value_text {r['value_text']!r} not next to {r['original_name']!r} on page {p}")
        if r.get("flag_text") and not any(r["flag_text"] in ln for ln in near):
            errs.append(f"row {i}: flag_text {r['flag_text']!r} not next to {r['original_name']!r} on page {p}")
    if str(len(pages)) != t["style"].get("pages"):
        errs.append(f"style pages {t['style'].get('pages')} but PDF has {len(pages)}")
    return stem, len(rows), errs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("-q", action="store_true", help="print failures only")
    a = ap.parse_args()
    stems = sorted(f[:-5] for f in os.listdir(os.path.join(a.dir, "truth")) if f.endswith(".json"))
    bad = 0
    nrows = 0
    with ThreadPoolExecutor(os.cpu_count() or 2) as ex:
        for stem, n, errs in ex.map(lambda s: check_doc(a.dir, s), stems):
            nrows += n
            if errs:
                bad += 1
                print(f"{stem}: {len(errs)} problem(s)")
                for e in errs[:8]:
                    print(f"    {e}")
    print(f"check_truth: {len(stems)} documents, {nrows} truth rows, {bad} with problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
