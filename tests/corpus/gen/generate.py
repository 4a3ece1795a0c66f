#!/usr/bin/env python3
"""Randomized lab-report generator with ground truth (see README.md).

  python3 tests/corpus/gen/generate.py --out DIR --n 500 --seed 1 [--images 6] [-j 2]

Writes DIR/files/gen_XXXX.pdf (+ gen_img_XXXX.png/.jpg), DIR/truth/<stem>.json, DIR/loinc/<stem>.json.
Every document samples its own style (language, layout, column order, dates, ...) from the seed; the
sampled values are recorded in each truth file's "style" object. Deterministic given --seed.
"""
import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from reportlab.lib.pagesizes import A4, landscape, letter  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

import analytes as AN  # noqa: E402
import lang as L  # noqa: E402

DEJAVU = "/usr/share/fonts/truetype/dejavu/"
pdfmetrics.registerFont(TTFont("DejaVu", DEJAVU + "DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont("DejaVu-Bold", DEJAVU + "DejaVuSans-Bold.ttf"))
FONTS = {"Helvetica": ("Helvetica", "Helvetica-Bold"), "Times": ("Times-Roman", "Times-Bold"),
         "Courier": ("Courier", "Courier-Bold")}

METHOD_WORD = {"en": "Method", "de": "Methode", "fr": "Méthode", "it": "Metodo", "es": "Método", "pt": "Método",
               "nl": "Methode"}
METHODS = ["Photometry", "ISE indirect", "Flow cytometry", "ECLIA (cobas e801)", "Enzymatic colorimetric", "Calculated",
           "Impedance", "CLIA", "Turbidimetry", "HPLC (D-10)", "Jaffe, IDMS traceable"]
BOUND_KEYS = {"CRP", "DBIL", "PSA"}
ORDERS = ["nvur", "nvru", "nuvr", "nrvu", "nruv", "nurv"]
LAYOUTS = ["table", "stacked", "leaders", "headerless", "side_by_side"]
FLAG_STYLES = ["letter_col", "letter_append", "word_col", "arrow_col", "arrow_append", "bold", "none"]
RANGE_STYLES = ["dash_spaced", "dash", "word", "paren", "bracket"]
DATE_FORMATS = {
    "en-US": ["mdy_slash", "iso", "mon_d_y", "d_mon_y"],
    "en-GB": ["dmy_slash", "d_mon_y", "iso", "local"],
    "en-IN": ["dmy_slash", "dmy_dash", "d_mon_y_dash", "d_mon_y", "iso"],
    "de": ["dmy_dot", "iso", "local"], "fr": ["dmy_slash", "iso", "local"], "it": ["dmy_slash", "iso", "local"],
    "es": ["dmy_slash", "iso", "local"], "pt": ["dmy_slash", "iso", "local"], "nl": ["dmy_dash", "iso", "local"],
}


def base(lang):
    return "en" if lang.startswith("en") else lang


def cp1252(s):
    try:
        s.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


# ---------------------------------------------------------------- style
def sample_style(r):
    st = {}
    lang = r.choice(AN.LANGS)
    st["language"] = lang
    d = r.random()
    if d < 0.55:
        dates = "1"
    elif d < 0.9:
        dates = str(r.randint(2, 8))
    else:
        dates = "two_reports"
    st["dates"] = dates
    cumulative = dates not in ("1", "two_reports")
    st["layout"] = "table" if cumulative else r.choice(LAYOUTS)
    st["columns"] = r.choice(ORDERS)
    if st["layout"] == "headerless":
        st["header"] = "no"
    elif st["layout"] == "table" or cumulative:
        st["header"] = "yes"
    else:
        st["header"] = r.choice(["yes", "no"])
    fs = r.choice(FLAG_STYLES + (["plus_minus"] if lang == "de" else []))
    if cumulative and fs in ("letter_col", "word_col", "arrow_col", "plus_minus"):
        fs = {"letter_col": "letter_append", "word_col": "letter_append", "arrow_col": "arrow_append",
              "plus_minus": "letter_append"}[fs]
    st["flag_style"] = fs
    st["flag_pos"] = r.choice(["after_value", "end"]) if fs.endswith("_col") or fs == "plus_minus" else "-"
    st["code_column"] = "yes" if r.random() < 0.25 else "no"
    st["code_pos"] = r.choice(["first", "after_name", "end"]) if st["code_column"] == "yes" else "-"
    st["date_format"] = r.choice(DATE_FORMATS[lang])
    st["range_style"] = r.choice(RANGE_STYLES)
    st["one_sided"] = r.choice(["lt", "lt_spaced", "le", "le_ascii"])
    st["sex_ranges"] = "yes" if r.random() < 0.3 else "no"
    st["units"] = "SI" if r.random() < AN.SI_PROB[lang] else "US"
    st["count_unit"] = r.choice(AN.COUNT_BY_LANG[lang])
    st["unit_case"] = "lower" if r.random() < (0.5 if lang in ("de", "nl", "it") else 0.08) else "as_is"
    st["micro"] = "u" if r.random() < 0.15 else "µ"
    st["font"] = "Courier" if st["layout"] == "headerless" and r.random() < 0.6 else r.choice(list(FONTS))
    st["font_size"] = r.choice([6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10, 10.5, 11])
    st["orientation"] = "landscape" if r.random() < 0.2 else "portrait"
    st["paper"] = "letter" if lang == "en-US" else "A4"
    k = r.random()
    st["size"] = "short" if k < 0.35 else ("medium" if k < 0.75 else "long")
    st["sections"] = "yes" if r.random() < 0.7 else "no"
    st["notes"] = "yes" if r.random() < 0.5 else "no"
    st["qualitative"] = "yes" if (not cumulative and r.random() < 0.3) else "no"
    st["line_spacing"] = r.choice(["tight", "normal", "loose"])
    st["method_lines"] = "yes" if (st["layout"] in ("table", "headerless", "side_by_side") and r.random() < 0.2) else "no"
    st["value_unit"] = "joined" if (not cumulative and r.random() < 0.12) else "separate"
    return st


# ---------------------------------------------------------------- formatting
def fnum(x, dec, comma):
    s = f"{x:.{dec}f}"
    return s.replace(".", ",") if comma else s


def fmt_date(d, style, lang):
    b = base(lang)
    months = L.MONTHS[b]
    en3 = L.MONTHS["en"][d.month - 1][:3]
    if style == "iso":
        return d.strftime("%Y-%m-%d")
    if style == "dmy_slash":
        return d.strftime("%d/%m/%Y")
    if style == "dmy_dot":
        return d.strftime("%d.%m.%Y")
    if style == "dmy_dash":
        return d.strftime("%d-%m-%Y")
    if style == "mdy_slash":
        return d.strftime("%m/%d/%Y")
    if style == "d_mon_y":
        return f"{d.day:02d} {en3} {d.year}"
    if style == "d_mon_y_dash":
        return f"{d.day:02d}-{en3}-{d.year}"
    if style == "mon_d_y":
        return f"{en3} {d.day:02d}, {d.year}"
    m = months[d.month - 1]
    if b == "de":
        return f"{d.day}. {m} {d.year}"
    if b in ("es", "pt"):
        return f"{d.day} de {m} de {d.year}"
    return f"{d.day} {m} {d.year}"


def unit_text(u, st):
    if not u:
        return u
    if st["unit_case"] == "lower":
        u = u.replace("/L", "/l").replace("dL", "dl").replace("mL", "ml").replace("fL", "fl").replace("L/l", "l/l")
    if st["micro"] == "u":
        u = u.replace("µ", "u")
    return u


class Gen:
    def __init__(self, r, st, sex):
        self.r, self.st, self.sex = r, st, sex
        self.lang = st["language"]
        self.b = base(self.lang)
        self.comma = L.COMMA[self.lang]

    def num(self, x, dec):
        return fnum(x, dec, self.comma)

    def range_text(self, lo, hi, dec, kind):
        """Printed reference text (one line) for one lo/hi pair."""
        st = self.st
        if kind == "lt":
            b = self.num(hi, dec)
            return {"lt": f"<{b}", "lt_spaced": f"< {b}", "le": f"≤ {b}", "le_ascii": f"<= {b}"}[st["one_sided"]]
        if kind == "gt":
            a = self.num(lo, dec)
            return {"lt": f">{a}", "lt_spaced": f"> {a}", "le": f"≥ {a}", "le_ascii": f">= {a}"}[st["one_sided"]]
        a, b = self.num(lo, dec), self.num(hi, dec)
        s = st["range_style"]
        if s == "dash_spaced":
            return f"{a} - {b}"
        if s == "dash":
            return f"{a}-{b}"
        if s == "word":
            return f"{a} {L.RANGE_WORD[self.b]} {b}"
        if s == "paren":
            return f"({a} - {b})"
        return f"[{a}-{b}]"

    def value(self, lo, hi, kind, dec, oor):
        r = self.r
        out = r.random() < oor
        if kind == "range":
            w = hi - lo
            if not out:
                v = r.uniform(lo + 0.05 * w, hi - 0.05 * w)
            elif r.random() < 0.45 and lo > 0:
                v = max(lo - w * r.uniform(0.06, 0.3), lo * 0.5)
            else:
                v = hi + w * r.uniform(0.06, 0.5)
        elif kind == "lt":
            v = hi * (r.uniform(1.08, 1.6) if out else r.uniform(0.25, 0.9))
        else:
            v = lo * (r.uniform(0.6, 0.92) if out else r.uniform(1.08, 1.6))
        v = round(v, dec)
        if dec == 0:
            v = float(int(v))
        return v


def pick_analytes(r, st):
    lang = st["language"]
    keys = [k for k, a in AN.A.items() if AN.names_for(a, lang)]
    if lang != "en-US":
        keys = [k for k in keys if k != "BUN"]
    elif "UREA" in keys and "BUN" in keys:
        keys.remove(r.choice(["UREA", "BUN"]))
    if st["units"] == "US" and lang == "en-US" and "UREA" in keys:
        keys.remove("UREA") if "BUN" in keys else None
    n = {"short": r.randint(4, 15), "medium": r.randint(16, 40), "long": r.randint(41, len(keys))}[st["size"]]
    n = min(n, len(keys))
    if st["dates"] not in ("1", "two_reports"):
        n = min(n, r.randint(8, 30))
    # keep panels together: pick whole sections in random order until n reached, then in-section order
    secs = {}
    for k in keys:
        secs.setdefault(AN.A[k]["section"], []).append(k)
    order = list(secs)
    r.shuffle(order)
    if "HEM" in order and r.random() < 0.6:
        order.remove("HEM")
        order.insert(0, "HEM")
    chosen = []
    for s in order:
        ks = secs[s]
        if len(chosen) >= n:
            break
        take = ks if len(chosen) + len(ks) <= n else ks[: n - len(chosen)]
        chosen.extend(take)
    return chosen


def build_rows(g, keys, collection_dates, oor):
    """Row specs: each has display cells + one truth row per date (or None = not done)."""
    st, r = g.st, g.r
    rows = []
    sexref_doc = st["sex_ranges"] == "yes"
    sl = L.SEX_LABELS[g.b]
    short_sex = r.random() < 0.5
    for k in keys:
        a = AN.A[k]
        names = AN.names_for(a, st["language"])
        name = names[0] if r.random() < 0.55 else r.choice(names)
        sysk = st["units"] if st["units"] in a["units"] else ("*" if "*" in a["units"] else next(iter(a["units"])))
        unit, lo, hi, dec, loinc, sexr = a["units"][sysk]
        factor = 1
        if unit in ("COUNT3", "COUNT6"):
            u3, u6, f3, f6 = AN.COUNT_UNITS[st["count_unit"]]
            unit, factor = (u3, f3) if unit == "COUNT3" else (u6, f6)
            if factor != 1:
                dec = 0
        unit = unit_text(unit, st)
        kind = a["kind"]
        sexlines = None
        if sexr and sexref_doc and kind == "range":
            lo, hi = sexr[g.sex]
            lines = []
            for sx in ("M", "F"):
                slo, shi = sexr[sx]
                lab = sl[2 if short_sex else 0] if sx == "M" else sl[3 if short_sex else 1]
                lines.append(f"{lab}: {g.range_text(slo * factor, shi * factor, dec, kind)}")
            sexlines = lines
        elif sexr and kind == "range":
            lo, hi = sexr[g.sex]
        lo = lo * factor if lo is not None else None
        hi = hi * factor if hi is not None else None
        ref_lines = sexlines or [g.range_text(lo, hi, dec, kind)]
        lo_p = float(g.num(lo, dec).replace(",", ".")) if lo is not None else None
        hi_p = float(g.num(hi, dec).replace(",", ".")) if hi is not None else None
        code = loinc[0] if loinc else ""
        vals = []
        for cd in collection_dates:
            if len(collection_dates) > 1 and r.random() < 0.1:
                vals.append(None)  # not done: printed "--" / blank
                continue
            if k in BOUND_KEYS and r.random() < 0.15:  # below the detection limit
                vt = "<" + g.num(hi * r.choice([0.05, 0.1, 0.2]), dec + (1 if dec < 2 else 0))
                vals.append(dict(value=None, value_text=vt, abn=None, cd=cd))
                continue
            v = g.value(lo, hi, kind, dec, oor)
            vt = g.num(v, dec)
            v = float(vt.replace(",", "."))
            abn = None
            if lo_p is not None and v < lo_p:
                abn = "L"
            if hi_p is not None and v > hi_p:
                abn = "H"
            vals.append(dict(value=v, value_text=vt, abn=abn, cd=cd))
        rows.append(dict(key=k, section=a["section"], name=name, unit=unit, ref_lines=ref_lines,
                         ref_text=" / ".join(ref_lines), lo=lo_p if kind != "lt" else None,
                         hi=hi_p if kind != "gt" else None, code=code, loinc=loinc, vals=vals,
                         concept=f"{k}:{sysk}"))
    if st["qualitative"] == "yes":
        for k, q in AN.QUAL.items():
            if r.random() < 0.3:
                continue
            names = q["names"].get(g.b) or q["names"]["en"]
            name = r.choice(names.split("|"))
            neg = r.choice(AN.NEG[g.b])
            vt = neg if r.random() < 0.75 else r.choice(AN.POS[g.b])
            rows.append(dict(key=k, section="URINE", name=name, unit="", ref_lines=[neg], ref_text=neg, lo=None,
                             hi=None, code=q["loinc"][0], loinc=q["loinc"],
                             vals=[dict(value=None, value_text=vt, abn=None, cd=collection_dates[0], qual=True)],
                             concept=k))
    return rows


# ---------------------------------------------------------------- layout
class Page:
    def __init__(self):
        self.ops = []


def flag_cell(st, abn, b):
    """(text appended to value, text of the flag column, flag, flag_text, bold)."""
    fs = st["flag_style"]
    if not abn:
        return "", "", None, None, False
    if fs == "letter_col":
        return "", abn, abn, None, False
    if fs == "letter_append":
        return " " + abn, "", abn, None, False
    if fs == "word_col":
        w = L.FLAG_WORDS[b][0 if abn == "H" else 1]
        return "", w, abn, w, False
    if fs == "arrow_col":
        a = "↑" if abn == "H" else "↓"
        return "", a, abn, a, False
    if fs == "arrow_append":
        a = "↑" if abn == "H" else "↓"
        return " " + a, "", abn, a, False
    if fs == "plus_minus":
        p = "+" if abn == "H" else "-"
        return "", p, abn, p, False
    if fs == "bold":
        return "", "", None, None, True
    return "", "", None, None, False


def render_doc(stem, r, st, outdir, gen_pdf=True):
    lang = st["language"]
    b = base(lang)
    sex = r.choice("MF")
    g = Gen(r, st, sex)
    oor = r.uniform(0.08, 0.35)
    # dates
    start = dt.date(2022, 1, 1) + dt.timedelta(days=r.randint(0, 1300))
    if st["dates"] == "two_reports":
        reports = [[start], [start + dt.timedelta(days=r.randint(20, 200))]]
    elif st["dates"] == "1":
        reports = [[start]]
    else:
        nd = int(st["dates"])
        ds, d = [], start
        for _ in range(nd):
            ds.append(d)
            d = d + dt.timedelta(days=r.randint(7, 120))
        reports = [ds]
    keys = pick_analytes(r, st)
    cumulative = len(reports[0]) > 1
    dates_desc = cumulative and r.random() < 0.4
    report_specs = []
    for rep_dates in reports:
        rows = build_rows(g, keys if not report_specs else [k for k in keys if r.random() < 0.85] or keys,
                          rep_dates, oor)
        report_specs.append((rep_dates, rows))

    fam = FONTS[st["font"]]
    font, bold = fam
    size = st["font_size"]
    page = A4 if st["paper"] == "A4" else letter
    if st["orientation"] == "landscape":
        page = landscape(page)
    W, H = page
    margin = 36 if r.random() < 0.5 else 48
    lead_f = {"tight": 1.2, "normal": 1.4, "loose": 1.7}[st["line_spacing"]]
    col_titles = {k: r.choice(v) for k, v in L.COLS[b].items()}
    sec_titles = {k: r.choice(v) for k, v in L.SECTIONS[b].items()}
    sec_upper = r.random() < 0.3
    lab = f"{r.choice(L.PLACES)} {L.LAB_WORD[b]}"
    P = L.PATIENT[b]
    dl = L.DATE_LABELS[lang]
    coll_label, rep_label, recv_label = r.choice(dl["coll"]), r.choice(dl["rep"]), r.choice(dl["recv"])
    dob = dt.date(1940, 1, 1) + dt.timedelta(days=r.randint(0, 25000))
    pname = f"{r.choice(L.SURNAMES)}, {r.choice(L.GIVEN[sex])}"
    pid = f"{r.randint(10000000, 99999999)}"
    sid = f"{r.choice('ABCDEFGH')}{r.randint(100000000, 999999999)}"
    rep_id = f"R{r.randint(22, 25)}-{r.randint(100000, 999999)}"
    phone = f"+{r.choice(['1 555', '44 20 7946', '49 30 5550', '33 1 5550', '39 02 5550', '34 91 555', '351 21 555', '31 20 555', '91 22 5550'])} {r.randint(1000, 9999)}"
    fdate = lambda d: fmt_date(d, st["date_format"], lang)  # noqa: E731
    times = [f"{r.randint(6, 11):02d}:{r.randint(0, 59):02d}" for _ in range(4)]
    show_notes = st["notes"] == "yes"

    # ---- column model
    order = [c for c in st["columns"][1:]]  # v, u, r
    cols = ["name"]
    for c in order:
        cols.append({"v": "value", "u": "unit", "r": "range"}[c])
    has_flag_col = st["flag_style"] in ("letter_col", "word_col", "arrow_col", "plus_minus")
    if has_flag_col:
        if st["flag_pos"] == "after_value":
            cols.insert(cols.index("value") + 1, "flag")
        else:
            cols.append("flag")
    if st["code_column"] == "yes":
        if st["code_pos"] == "first":
            cols.insert(0, "code")
        elif st["code_pos"] == "after_name":
            cols.insert(cols.index("name") + 1, "code")
        else:
            cols.append("code")
    ndates = len(reports[0])
    if cumulative:
        date_order = list(range(ndates))
        if dates_desc:
            date_order.reverse()
        i = cols.index("value")
        cols[i:i + 1] = [f"v{j}" for j in date_order]

    joined = st["value_unit"] == "joined"
    if joined:
        cols.remove("unit")
    layout = st["layout"]
    header = st["header"] == "yes"
    frames_n = 2 if layout == "side_by_side" else 1

    # cell texts per row (independent of font)
    def cells(row):
        c = {"name": row["name"], "unit": row["unit"], "range": row["ref_lines"], "code": row["code"]}
        fl_texts = []
        for j, v in enumerate(row["vals"]):
            if v is None:
                c[f"v{j}"] = ("--" if r.random() < 0.7 else "", False)
                continue
            app, col, flag, ftext, bold_v = flag_cell(st, v["abn"], b)
            v["flag"], v["flag_text"], v["bold"] = flag, ftext, bold_v
            vu = v["value_text"] + (" " + row["unit"] if joined and row["unit"] else "")
            c[f"v{j}"] = (vu + app, bold_v)
            fl_texts.append(col)
        if not cumulative:
            c["value"] = c.pop("v0")
            c["flag"] = fl_texts[0] if fl_texts else ""
        return c

    for rep_dates, rows in report_specs:
        for row in rows:
            row["cells"] = cells(row)

    def sw(s, f, sz):
        return pdfmetrics.stringWidth(s, f if cp1252(s) else "DejaVu", sz)

    def col_widths(sz):
        ws = {}
        for cname in cols:
            if cname.startswith("v") and cname != "value":
                j = int(cname[1:])
                ttl = fdate(reports[0][j])
            else:
                ttl = col_titles.get(cname, "")
            w = sw(ttl, bold, sz) if header else 0
            for _, rows in report_specs:
                for row in rows:
                    v = row["cells"].get(cname, "")
                    if isinstance(v, tuple):
                        v = v[0]
                    lines = v if isinstance(v, list) else [v]
                    for ln in lines:
                        w = max(w, sw(ln, bold if cname == "name" else font, sz))
            ws[cname] = w + sz * 1.6
        return ws

    indent = 0
    while True:
        ws = col_widths(size)
        frame_w = (W - 2 * margin - (24 if frames_n == 2 else 0)) / frames_n
        if layout == "stacked":
            indent = size * 2
            need_w = max(ws["name"], indent + sum(v for k, v in ws.items() if k != "name"))
        elif layout == "leaders":
            need_w = sum(ws.values()) + size * 4
        else:
            need_w = sum(ws.values())
        if need_w <= frame_w or size <= 5:
            break
        size -= 0.5
        if size < 6 and st["orientation"] == "portrait":
            st["orientation"] = "landscape"
            page = landscape(page)
            W, H = page
            size = st["font_size"]
    st["font_size_used"] = size
    lead = size * lead_f
    if layout == "leaders":
        ws["name"] += size * 4
    # x positions within frame
    xs = {}
    if layout == "stacked":
        x = indent
        xs["name"] = 0
        for cname in cols:
            if cname == "name":
                continue
            xs[cname] = x
            x += ws[cname]
    else:
        x = 0
        for cname in cols:
            xs[cname] = x
            x += ws[cname]
    right_align_vals = r.random() < 0.4

    pages = []
    state = {}

    def text(pg, x, y, s, f, sz, align="L"):
        if not s:
            return
        ff = f if cp1252(s) else ("DejaVu-Bold" if f.endswith("Bold") else "DejaVu")
        pg.ops.append(("t", x, y, s, ff, sz, align))

    def letterhead(pg, rep_dates, first):
        y = H - margin
        if first:
            text(pg, margin, y - 4, lab, bold, size + 5)
            y -= size + 10
            text(pg, margin, y, f"{r.randint(1, 240)} {r.choice(L.STREETS)}, {r.randint(10000, 99999)} {r.choice(L.PLACES)}",
                 font, size - 0.5)
            y -= size + 2
            text(pg, margin, y, f"{P['tel']} {phone} · Fax {phone[:-4]}{r.randint(1000, 9999)} · www.{lab.split()[0].lower().replace(chr(39), '')}-lab.example",
                 font, size - 0.5)
            y -= size + 8
            text(pg, W / 2, y, P["lab"], bold, size + 2, "C")
            y -= size + 8
        else:
            text(pg, margin, y, lab, bold, size + 1)
            text(pg, W - margin, y, f"{P['patient']}: {pname} · {P['id']} {pid}", font, size - 0.5, "R")
            y -= size + 6
        # patient block
        if first:
            lines = [
                (f"{P['name']}: {pname}", f"{P['id']}: {pid}"),
                (f"{P['dob']}: {fdate(dob)}   {P['sex']}: {P['sexv'][0 if sex == 'M' else 1]}",
                 f"{P['sample']}: {sid}"),
            ]
        else:
            lines = []
        if len(rep_dates) == 1:
            cd = rep_dates[0]
            rd = cd + dt.timedelta(days=r.choice([0, 0, 1, 2]))
            lines.append((f"{coll_label}: {fdate(cd)} {times[0]}", f"{rep_label}: {fdate(rd)} {times[2]}"))
            if first:
                lines.append((f"{recv_label}: {fdate(cd)} {times[1]}", f"{P['doctor']}: Dr. A. Example"))
        else:
            rd = rep_dates[-1] + dt.timedelta(days=1)
            lines.append((f"{rep_label}: {fdate(rd)} {times[2]}", f"{P['doctor']}: Dr. A. Example"))
        for left, right in lines:
            text(pg, margin, y, left, font, size)
            text(pg, max(W / 2 + 10, margin + sw(left, font, size) + size * 2), y, right, font, size)
            y -= size + 3
        y -= 4
        pg.ops.append(("l", margin, y + size * 0.6, W - margin, y + size * 0.6, 0.5))
        y -= size + 4
        return y

    def table_header(pg, fx, y):
        if not header:
            return y
        for cname in cols:
            if cname.startswith("v") and cname != "value":
                ttl = fdate(reports[0][int(cname[1:])])
            else:
                ttl = col_titles.get(cname, "")
            if layout == "stacked" and cname == "name":
                text(pg, fx, y, ttl, bold, size)
                continue
            text(pg, fx + xs[cname], y - (lead if layout == "stacked" else 0), ttl, bold, size)
        if layout == "stacked":
            y -= lead
        if layout != "headerless":
            pg.ops.append(("l", fx, y - 3, fx + frame_w, y - 3, 0.6))
        return y - lead - 3

    def new_page(rep_dates, first):
        pg = Page()
        pages.append(pg)
        top = letterhead(pg, rep_dates, first)
        state.update(pg=pg, top=top, frame=0, y=table_header(pg, margin, top))

    bottom = margin + size * 4

    def frame_x():
        return margin + state["frame"] * (frame_w + 24)

    def need(h, rep_dates):
        if state["y"] - h < bottom:
            if state["frame"] + 1 < frames_n:
                state["frame"] += 1
                state["y"] = table_header(state["pg"], frame_x(), state["top"])
            else:
                new_page(rep_dates, False)
                if state.get("sec"):
                    text(state["pg"], frame_x(), state["y"], f"{state['sec']} {P['cont']}", bold, size + 1)
                    state["y"] -= lead * 1.2

    truth_rows = []
    for ri, (rep_dates, rows) in enumerate(report_specs):
        new_page(rep_dates, True)
        cur_sec = None
        state["sec"] = None
        # side by side: put the second half of the sections in the right frame
        split_at = len(rows) // 2 if frames_n == 2 else None
        for idx, row in enumerate(rows):
            if split_at is not None and idx == split_at and state["frame"] == 0:
                state["frame"] = 1
                state["y"] = table_header(state["pg"], frame_x(), state["top"])
                cur_sec = None if st["sections"] == "yes" else cur_sec
            sec_printed = None
            if st["sections"] == "yes":
                sec_printed = sec_titles.get(row["section"])
                if sec_printed and sec_upper:
                    sec_printed = sec_printed.upper()
                if row["section"] != cur_sec:
                    need(lead * 3, rep_dates)
                    state["y"] -= lead * 0.3
                    text(state["pg"], frame_x(), state["y"], sec_printed, bold, size + 1)
                    state["y"] -= lead * 1.2
                    cur_sec = row["section"]
                    state["sec"] = sec_printed
            c = row["cells"]
            nl = max(1, len(row["ref_lines"]))
            method = None
            if st["method_lines"] == "yes" and r.random() < 0.5:
                method = f"{METHOD_WORD[b]}: {r.choice(METHODS)}"
            h = lead * (nl + (1 if layout == "stacked" else 0) + (0.9 if method else 0))
            need(h, rep_dates)
            fx = frame_x()
            pg = state["pg"]
            y = state["y"]
            yv = y - (lead if layout == "stacked" else 0)
            for cname in cols:
                x = fx + xs[cname]
                if cname == "name":
                    nm = c["name"]
                    if layout == "leaders":
                        dw = pdfmetrics.stringWidth(".", font, size)
                        avail = ws["name"] - size * 1.6 - sw(nm + " ", font, size)
                        nm = nm + " " + "." * max(3, int(avail / dw))
                    text(pg, x, y, nm, font, size)
                    continue
                v = c.get(cname)
                if cname == "range":
                    for li, ln in enumerate(v):
                        text(pg, x, yv - li * lead, ln, font, size)
                    continue
                if isinstance(v, tuple):
                    s, bv = v
                    if right_align_vals:
                        text(pg, x + ws[cname] - size * 1.6, yv, s, bold if bv else font, size, "R")
                    else:
                        text(pg, x, yv, s, bold if bv else font, size)
                    continue
                text(pg, x, yv, v, bold if cname == "flag" else font, size)
            if method:
                text(pg, fx + xs["name"] + size, y - lead * nl, method, font, size - 1.5)
            state["y"] -= h
            for j, v in enumerate(row["vals"]):
                if v is None:
                    continue
                t = dict(original_name=row["name"], value=v["value"], value_text=v["value_text"],
                         unit=row["unit"] or None, ref_low=row["lo"], ref_high=row["hi"], ref_text=row["ref_text"],
                         flag=v.get("flag"))
                if v.get("flag_text"):
                    t["flag_text"] = v["flag_text"]
                if v.get("bold"):
                    t["highlight"] = "bold"
                t["section"] = sec_printed
                t["page"] = len(pages)
                if len(reports) > 1 or cumulative:
                    t["collection_date"] = v["cd"].isoformat()
                truth_rows.append((t, row))
        if show_notes:
            need(lead * 3, rep_dates)
            note = r.choice(L.NOTES[b]).format(d=fdate(start - dt.timedelta(days=r.randint(30, 400))), t=times[1])
            state["y"] -= lead * 0.5
            text(state["pg"], frame_x(), state["y"], note, font, size - 1)
            state["y"] -= lead
        need(lead * 2, rep_dates)
        text(state["pg"], W / 2, state["y"] - lead * 0.5, P["end"], font, size - 1, "C")

    npages = len(pages)
    st["pages"] = str(npages)
    printed = f"{P['printed']}: {fdate(reports[-1][-1] + dt.timedelta(days=2))} {times[3]}"
    for i, pg in enumerate(pages):
        y = margin
        pg.ops.append(("l", margin, y + size + 2, W - margin, y + size + 2, 0.4))
        text(pg, margin, y, f"Report ID {rep_id} · {printed}", font, size - 1)
        text(pg, W - margin, y, P["page"].format(p=i + 1, n=npages), font, size - 1, "R")
        text(pg, margin, y - size - 1, f"{lab} · {P['tel']} {phone} · Acc. No. {r.randint(1000, 9999)}", font, size - 1.5)

    if gen_pdf:
        path = os.path.join(outdir, "files", f"{stem}.pdf")
        c = canvas.Canvas(path, pagesize=page, invariant=1)
        c.setTitle(f"Laboratory report {stem}")
        for pg in pages:
            for op in pg.ops:
                if op[0] == "t":
                    _, x, y, s, f, sz, al = op
                    c.setFont(f, sz)
                    if al == "R":
                        c.drawRightString(x, y, s)
                    elif al == "C":
                        c.drawCentredString(x, y, s)
                    else:
                        c.drawString(x, y, s)
                else:
                    _, x1, y1, x2, y2, lw = op
                    c.setLineWidth(lw)
                    c.line(x1, y1, x2, y2)
            c.showPage()
        c.save()

    top_cd = reports[0][0].isoformat() if len(reports) == 1 and not cumulative else None
    meta = dict(language=lang, lab_style=f"generated: {st['layout']} layout, columns {st['columns']}, {lang}",
                collection_date=top_cd, result_date=None, coverage=f"all {npages} pages",
                notes="Generated by tests/corpus/gen/generate.py; see its README for the truth conventions.")
    return truth_rows, meta, npages


def write_truth(outdir, stem, fname, mime, has_text, meta, truth_rows, st):
    results = [t for t, _ in truth_rows]
    truth = {"source": {"repo": None, "path": "generated (tests/corpus/gen/generate.py)", "commit": None,
                        "license": "generated for this project (synthetic, fictitious lab and patient)"},
             "file": fname, "mime_type": mime, "has_text_layer": has_text}
    truth.update(meta)
    truth["style"] = st
    truth["results"] = results
    with open(os.path.join(outdir, "truth", f"{stem}.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=1, ensure_ascii=False)
        f.write("\n")
    lrows = [dict(i=i, original_name=t["original_name"], unit=t["unit"], loinc=row["loinc"], concept=row["concept"])
             for i, (t, row) in enumerate(truth_rows)]
    loinc = {"truth": f"truth/{stem}.json",
             "loinc_notice": "This material contains content from LOINC (http://loinc.org). LOINC is copyright (c) "
                             "1995-2024, Regenstrief Institute, Inc. and the LOINC Committee, available at no cost "
                             "under the license at http://loinc.org/license.",
             "rows": lrows}
    with open(os.path.join(outdir, "loinc", f"{stem}.json"), "w", encoding="utf-8") as f:
        json.dump(loinc, f, indent=1, ensure_ascii=False)
        f.write("\n")


def gen_text_doc(args):
    outdir, seed, i = args
    stem = f"gen_{i:04d}"
    r = random.Random(f"{seed}-doc-{i}")
    st = sample_style(r)
    truth_rows, meta, npages = render_doc(stem, r, st, outdir)
    tries = 0
    while npages > 4 and tries < 5:  # keep documents at 1..4 pages: fewer results, same style otherwise
        tries += 1
        r = random.Random(f"{seed}-doc-{i}-retry{tries}")
        st = sample_style(random.Random(f"{seed}-doc-{i}"))
        st["size"] = "medium" if tries < 3 else "short"
        truth_rows, meta, npages = render_doc(stem, r, st, outdir)
    write_truth(outdir, stem, f"{stem}.pdf", "application/pdf", True, meta, truth_rows, st)
    return stem


def gen_image_doc(args):
    outdir, seed, i = args
    from PIL import Image, ImageFilter

    stem = f"gen_img_{i:04d}"
    r = random.Random(f"{seed}-img-{i}")
    st = sample_style(r)
    st["font_size"] = max(st["font_size"], 8.5)  # legible after degradation
    with tempfile.TemporaryDirectory() as td:
        os.makedirs(td + "/files")
        truth_rows, meta, npages = render_doc(stem, r, st, td)
        dpi = r.choice([150, 200])
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", f"{td}/files/{stem}.pdf",
                        f"{td}/p"], check=True)
        png = [f for f in os.listdir(td) if f.startswith("p") and f.endswith(".png")][0]
        im = Image.open(os.path.join(td, png)).convert("L")
    ang = round(r.uniform(-2.0, 2.0), 2)
    im = im.rotate(ang, resample=Image.BICUBIC, expand=False, fillcolor=255)
    blur = round(r.uniform(0.0, 1.0), 2)
    if blur > 0.2:
        im = im.filter(ImageFilter.GaussianBlur(blur))
    noise = round(r.uniform(4, 18), 1)
    nb = r.randbytes(im.size[0] * im.size[1])
    nimg = Image.frombytes("L", im.size, nb)
    im = Image.blend(im, nimg, noise / 255.0 * 1.5)
    fmt = r.choice(["jpg", "png"])
    q = r.randint(45, 80)
    fname = f"{stem}.{fmt}"
    if fmt == "jpg":
        im.convert("RGB").save(os.path.join(outdir, "files", fname), quality=q)
    else:
        im.save(os.path.join(outdir, "files", fname), optimize=False)
    st.update(image_format=fmt, image_dpi=str(dpi), image_rotation=str(ang), image_blur=str(blur),
              image_noise=str(noise), image_jpeg_quality=str(q) if fmt == "jpg" else "-")
    truth_rows = [(t, row) for t, row in truth_rows if t["page"] == 1]
    meta["coverage"] = "page 1 only"
    write_truth(outdir, stem, fname, "image/jpeg" if fmt == "jpg" else "image/png", False, meta, truth_rows, st)
    return stem


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=100, help="text-layer PDFs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--images", type=int, default=0, help="image documents (.png/.jpg, no text layer)")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    for sub in ("files", "truth", "loinc"):
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
    jobs = [(a.out, a.seed, i) for i in range(a.n)]
    ijobs = [(a.out, a.seed, i) for i in range(a.images)]
    if a.j > 1:
        with ProcessPoolExecutor(a.j) as ex:
            list(ex.map(gen_text_doc, jobs, chunksize=8))
            list(ex.map(gen_image_doc, ijobs))
    else:
        for j in jobs:
            gen_text_doc(j)
        for j in ijobs:
            gen_image_doc(j)
    print(f"generated {a.n} PDFs and {a.images} images in {a.out}")


if __name__ == "__main__":
    main()
