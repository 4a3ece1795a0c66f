#!/usr/bin/env python3
"""Per-dimension scores of `labrador eval` on a generated corpus (see README.md).

  python3 tests/corpus/gen/dimensions.py DIR --labrador PATH [-j 2] [--shards N] [--raw] [--no-ocr]
                                          [--json OUT] [--time-docs] [--min-docs 5]

Splits DIR into shards (temporary directories of symlinks), runs `labrador eval SHARD --json` on them with -j
in parallel, merges the per-document scores and groups them by every `style` dimension recorded in the
truth files. Prints totals, one table per dimension, the ten weakest dimension values by F1 and timings.
Text-layer and image documents are reported separately. Exit status is non-zero only on errors (eval
failed, bad corpus), never because of low scores.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

SUMS = ["truth_rows", "predicted_rows", "matched", "unit_ok", "range_ok", "flag_ok", "date_ok", "date_total",
        "split_ok", "split_total", "loinc_ok", "loinc_total"]
SKIP_DIMS = {"font_size_used"}


def ratio(a, b):
    return a / b if b else 0.0


def agg(docs):
    s = {k: 0 for k in SUMS}
    for d in docs:
        for k in SUMS:
            s[k] += d.get(k, 0)
    p, r = ratio(s["matched"], s["predicted_rows"]), ratio(s["matched"], s["truth_rows"])
    s.update(docs=len(docs), P=p, R=r, F1=ratio(2 * p * r, p + r), unit=ratio(s["unit_ok"], s["matched"]),
             range=ratio(s["range_ok"], s["matched"]), flag=ratio(s["flag_ok"], s["matched"]),
             date=ratio(s["date_ok"], s["date_total"]) if s["date_total"] else None,
             split=ratio(s["split_ok"], s["split_total"]) if s["split_total"] else None,
             loinc=ratio(s["loinc_ok"], s["loinc_total"]) if s["loinc_total"] else None,
             rejected=sum(1 for d in docs if d.get("rejected")))
    return s


def font_bucket(v):
    v = float(v)
    return "6.5-7.5" if v <= 7.5 else ("8-9" if v <= 9 else "9.5-11")


# continuous image parameters: (upper bound, label) pairs, checked in order
BUCKETS = {
    "image_rotation": [(0.7, "|a|<0.7"), (1.4, "0.7-1.4"), (99, ">=1.4")],
    "image_blur": [(0.3, "none"), (0.7, "light"), (99, "strong")],
    "image_noise": [(8, "low"), (13, "medium"), (99, "high")],
    "image_jpeg_quality": [(60, "q<60"), (101, "q60-80")],
}


def bucket(x, table):
    for hi, label in table:
        if abs(x) < hi:
            return label
    return table[-1][1]


def dims_of(style):
    out = {}
    for k, v in style.items():
        if k in SKIP_DIMS:
            continue
        if k == "font_size":
            v = font_bucket(v)
        elif k in BUCKETS and v not in ("-", None):
            v = bucket(float(v), BUCKETS[k])
        out[k] = str(v)
    return out


def run_eval(lab, shard, extra, env):
    t0 = time.monotonic()
    p = subprocess.run([lab, "eval", shard, "--json", *extra], capture_output=True, text=True, env=env)
    dt = time.monotonic() - t0
    if p.returncode != 0:
        raise RuntimeError(f"labrador eval {shard} failed ({p.returncode}): {p.stderr[-2000:]}")
    return json.loads(p.stdout), dt


def make_shards(d, stems_files, n, tmp):
    shards = []
    for i in range(n):
        sd = os.path.join(tmp, f"shard{i}")
        for sub in ("files", "truth", "loinc"):
            os.makedirs(os.path.join(sd, sub))
        shards.append((sd, []))
    for k, (stem, fname) in enumerate(stems_files):
        sd, lst = shards[k % n]
        lst.append(fname)
        os.symlink(os.path.abspath(os.path.join(d, "files", fname)), os.path.join(sd, "files", fname))
        for sub in ("truth", "loinc"):
            src = os.path.abspath(os.path.join(d, sub, stem + ".json"))
            if os.path.exists(src):
                os.symlink(src, os.path.join(sd, sub, stem + ".json"))
    return [s for s in shards if s[1]]


def fmt(x):
    return "   -  " if x is None else f"{x:6.3f}"


def print_totals(label, s):
    print(f"{label}: docs {s['docs']} rows {s['predicted_rows']}/{s['truth_rows']} matched {s['matched']} | "
          f"P {s['P']:.3f} R {s['R']:.3f} F1 {s['F1']:.3f} | unit {s['unit']:.3f} range {s['range']:.3f} "
          f"flag {s['flag']:.3f} | date {fmt(s['date']).strip()} split {fmt(s['split']).strip()} "
          f"loinc {fmt(s['loinc']).strip()} | rejected {s['rejected']}")


def report(label, docs, min_docs, only=None):
    if not docs:
        return {}
    print(f"\n##### {label}")
    tot = agg(docs)
    print_totals("TOTAL", tot)
    dims = {}
    for d in docs:
        for k, v in d["dims"].items():
            if only and not any(k.startswith(o) for o in only):
                continue
            dims.setdefault(k, {}).setdefault(v, []).append(d)
    tables = {}
    weakest = []
    for k in sorted(dims):
        vals = dims[k]
        if len(vals) < 2:
            continue
        print(f"\n{k:<18} {'docs':>5} {'rows':>6} {'P':>6} {'R':>6} {'F1':>6} {'unit':>6} {'range':>6} "
              f"{'flag':>6} {'date':>6} {'split':>6}")
        tables[k] = {}
        for v in sorted(vals, key=lambda x: (-len(vals[x]), x)):
            s = agg(vals[v])
            tables[k][v] = s
            print(f"  {v:<16} {s['docs']:>5} {s['truth_rows']:>6} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} "
                  f"{s['unit']:6.3f} {s['range']:6.3f} {s['flag']:6.3f} {fmt(s['date'])} {fmt(s['split'])}")
            if s["docs"] >= min_docs:
                weakest.append((s["F1"], k, v, s))
    weakest.sort(key=lambda x: x[0])
    print(f"\nweakest dimension values by F1 (>= {min_docs} docs):")
    for f1, k, v, s in weakest[:10]:
        print(f"  {k + '=' + v:<34} F1 {f1:.3f}  P {s['P']:.3f} R {s['R']:.3f}  ({s['docs']} docs, {s['truth_rows']} rows)")
    return {"totals": tot, "dimensions": tables,
            "weakest": [dict(dimension=k, value=v, F1=f1, docs=s["docs"]) for f1, k, v, s in weakest[:10]]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--labrador", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/labrador/target")), "debug", "labrador"))
    ap.add_argument("-j", type=int, default=2, help="parallel eval processes")
    ap.add_argument("--shards", type=int, default=0, help="number of shards (default: -j)")
    ap.add_argument("--raw", action="store_true")
    ap.add_argument("--no-ocr", action="store_true")
    ap.add_argument("--ocr-images-only", action="store_true",
                    help="evaluate text-layer PDFs with --no-ocr (no OCR fallback) and images with OCR")
    ap.add_argument("--json", help="write the merged per-document scores and tables here")
    ap.add_argument("--time-docs", action="store_true",
                    help="also time every document of the slowest shard alone (eval --filter), minus start-up")
    ap.add_argument("--min-docs", type=int, default=5, help="least documents for the weakest-values list")
    a = ap.parse_args()
    if not os.access(a.labrador, os.X_OK):
        print(f"dimensions.py: no labrador binary at {a.labrador}", file=sys.stderr)
        return 2
    extra = (["--raw"] if a.raw else []) + (["--no-ocr"] if a.no_ocr else [])
    env = dict(os.environ)
    env.setdefault("LABRADOR_ASSETS", os.path.expanduser("~/.cache/labrador/assets"))
    files = sorted(os.listdir(os.path.join(a.dir, "files")))
    truths = {}
    stems_files = []
    for fname in files:
        stem = os.path.splitext(fname)[0]
        tp = os.path.join(a.dir, "truth", stem + ".json")
        if not os.path.exists(tp):
            continue
        with open(tp, encoding="utf-8") as f:
            truths[fname] = json.load(f)
        stems_files.append((stem, fname))
    if not stems_files:
        print(f"dimensions.py: no documents with truth in {a.dir}", file=sys.stderr)
        return 2
    nshards = max(1, min(a.shards or a.j, len(stems_files)))
    tmp = tempfile.mkdtemp(prefix="labrador-dims-")
    try:
        if a.ocr_images_only and not a.no_ocr:
            is_text = lambda sf: truths[sf[1]].get("has_text_layer", True)  # noqa: E731
            text_sf = [sf for sf in stems_files if is_text(sf)]
            img_sf = [sf for sf in stems_files if not is_text(sf)]
            shards = [(sd, lst, extra + ["--no-ocr"]) for sd, lst in
                      make_shards(a.dir, text_sf, max(1, min(nshards, len(text_sf))), os.path.join(tmp, "t"))] if text_sf else []
            shards += [(sd, lst, extra) for sd, lst in
                       make_shards(a.dir, img_sf, max(1, min(nshards, len(img_sf))), os.path.join(tmp, "i"))] if img_sf else []
        else:
            shards = [(sd, lst, extra) for sd, lst in make_shards(a.dir, stems_files, nshards, tmp)]
        t0 = time.monotonic()
        with ThreadPoolExecutor(a.j) as ex:
            results = list(ex.map(lambda s: run_eval(a.labrador, s[0], s[2], env), shards))
        wall = time.monotonic() - t0
        docs = []
        shard_times = []
        for (sd, lst, flags), (out, secs) in zip(shards, results):
            pages = 0
            for d in out["documents"]:
                t = truths[d["file"]]
                st = t.get("style", {})
                d["dims"] = dims_of(st)
                d["pages"] = int(st.get("pages", 1)) if t.get("has_text_layer", True) else 1
                pages += d["pages"]
                docs.append(d)
            shard_times.append((secs, len(lst), pages, sd, lst, flags))
        text = [d for d in docs if d.get("text_layer")]
        images = [d for d in docs if not d.get("text_layer")]
        mode = " --no-ocr" if a.no_ocr else (" (text-layer PDFs --no-ocr, images with OCR)" if a.ocr_images_only else "")
        print(f"labrador eval{' --raw' if a.raw else ''}{mode} on {a.dir}: "
              f"{len(docs)} documents ({len(text)} text-layer, {len(images)} images)")
        out = {"mode": "raw" if a.raw else "report", "dir": a.dir}
        out["all"] = agg(docs)
        print_totals("TOTAL all", out["all"])
        out["text_layer"] = report("text-layer documents", text, a.min_docs)
        out["images"] = report("image documents", images, a.min_docs,
                               only=("image_", "layout", "language", "dates", "font", "flag_style"))
        # timing
        tot_pages = sum(d["pages"] for d in docs)
        print(f"\ntiming: {wall:.1f} s wall for {len(docs)} docs / {tot_pages} pages with -j {a.j} "
              f"({wall / max(1, len(docs)):.3f} s/doc wall, {sum(s[0] for s in shard_times) / max(1, tot_pages):.3f} "
              f"s/page per process)")
        for secs, n, pages, sd, lst, flags in sorted(shard_times, key=lambda x: -x[0])[:5]:
            print(f"  shard {os.path.relpath(sd, tmp)}: {secs:.1f} s, {n} docs, {pages} pages "
                  f"({secs / max(1, pages):.3f} s/page)")
        timed = [d for d in docs if isinstance(d.get("seconds"), (int, float))]
        if timed and len(timed) == len(docs):  # eval reports per-document seconds
            timed.sort(key=lambda d: -d["seconds"])
            print("  slowest documents (eval's per-document seconds): " + ", ".join(
                f"{d['file']} {d['seconds']:.2f} s/{d['pages']} p ({d['seconds'] / max(1, d['pages']):.2f} s/page, "
                f"{d['dims'].get('layout')})" for d in timed[:5]))
        out["timing"] = dict(wall_seconds=wall, jobs=a.j, shards=[dict(seconds=s, docs=n, pages=p, files=lst)
                                                                  for s, n, p, _, lst, _f in shard_times])
        if a.time_docs:
            slowest = max(shard_times, key=lambda x: x[0])
            slow, flags = slowest[4], slowest[5]
            _, base = run_eval(a.labrador, a.dir, flags + ["--filter", "no-such-file-7f3a"], env)
            per = []

            def one(fname):
                _, s = run_eval(a.labrador, a.dir, flags + ["--filter", fname], env)
                return fname, max(0.0, s - base)

            with ThreadPoolExecutor(a.j) as ex:
                per = list(ex.map(one, slow))
            pages_of = {d["file"]: d["pages"] for d in docs}
            per.sort(key=lambda x: -x[1])
            print(f"  per-document (slowest shard, {len(slow)} docs, start-up {base:.2f} s subtracted); slowest 5:")
            for fname, s in per[:5]:
                st = truths[fname].get("style", {})
                print(f"    {fname}: {s:.2f} s, {pages_of[fname]} pages ({s / max(1, pages_of[fname]):.2f} s/page) "
                      f"layout={st.get('layout')} dates={st.get('dates')} size={st.get('size')}")
            out["timing"]["per_document"] = [dict(file=f, seconds=s) for f, s in per]
        if a.json:
            out["documents"] = docs
            with open(a.json, "w", encoding="utf-8") as f:
                json.dump(out, f, indent=1, ensure_ascii=False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:
        print(f"dimensions.py: {e}", file=sys.stderr)
        sys.exit(2)
