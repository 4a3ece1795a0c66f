#!/usr/bin/env python3
"""LOINC mapping figures of a `labrador eval DIR --json` run, split by style dimensions.

Usage: labrador eval DIR --json -j 2 > eval.json; python3 tests/corpus/gen/loinc_split.py eval.json [DIM...]
Prints, per value of each dimension (default: language, units), the LOINC accuracy over matched
rows with annotated codes, the share of those rows whose match_status is `auto`, and the accuracy
within `auto`.
"""
import json
import sys
from collections import defaultdict


def fmt(a, b):
    return f"{a / b:.3f}" if b else "-"


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    docs = json.load(open(argv[1]))["documents"]
    dims = argv[2:] or ["language", "units"]
    keys = ("loinc_ok", "loinc_total", "loinc_auto", "loinc_auto_ok")
    total = {k: sum(d.get(k, 0) for d in docs) for k in keys}
    print(f"{'':<14}{'rows':>7} {'loinc':>13} {'auto share':>11} {'auto right':>11}")

    def line(label, s):
        print(f"{label:<14}{s['loinc_total']:>7} {s['loinc_ok']:>6}={fmt(s['loinc_ok'], s['loinc_total']):>6}"
              f" {fmt(s['loinc_auto'], s['loinc_total']):>11} {fmt(s['loinc_auto_ok'], s['loinc_auto']):>11}")

    line("all", total)
    for dim in dims:
        groups = defaultdict(lambda: dict.fromkeys(keys, 0))
        for d in docs:
            v = (d.get("style") or {}).get(dim, "-")
            for k in keys:
                groups[v][k] += d.get(k, 0)
        print(dim)
        for v in sorted(groups):
            line(f"  {v}", groups[v])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
