"""Shared helpers of the synthetic corpus generator: value generation, truth rows, PDF rendering."""
import io
import json
import random

from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

DEJAVU = "/usr/share/fonts/truetype/dejavu/"
pdfmetrics.registerFont(TTFont("DejaVu", DEJAVU + "DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont("DejaVu-Bold", DEJAVU + "DejaVuSans-Bold.ttf"))

# LOINC codes (from shared/reference/loinc-common.csv, first code preferred); [] = not sure.
LOINC = {
    "GLU": ["2345-7"], "GLU_FAST": ["1558-6", "2345-7"], "GLU_SI": ["14749-6"],
    "BUN": ["3094-0"], "UREA": ["3091-6"], "UREA_SI": [], "BUNCR": ["3097-3"],
    "CREAT": ["2160-0"], "CREAT_SI": ["14682-9"], "EGFR": ["98979-8", "62238-1"],
    "NA": ["2951-2"], "K": ["2823-3"], "CL": ["2075-0"], "CO2": ["2028-9"],
    "CA": ["17861-6"], "CA_SI": ["2000-8"], "TP": ["2885-2"], "ALB": ["1751-7", "61151-7"],
    "GLOB": ["10834-0", "2336-6"], "AG": ["1759-0"], "TBIL": ["1975-2"], "TBIL_SI": ["14631-6"],
    "DBIL": ["1968-7"], "ALP": ["6768-6"], "AST": ["1920-8"], "ALT": ["1742-6"], "GGT": ["2324-2"],
    "CHOL": ["2093-3"], "CHOL_SI": ["14647-2"], "TG": ["2571-8"], "TG_SI": ["14927-8"],
    "HDL": ["2085-9"], "HDL_SI": ["14646-4"], "LDL": ["2089-1", "13457-7"],
    "LDL_CALC": ["13457-7", "2089-1"], "LDL_SI": ["22748-8", "39469-2"], "VLDL": ["13458-5", "2091-7"],
    "NONHDL": ["43396-1"], "CHOL_HDL": ["9830-1"],
    "HBA1C": ["4548-4", "17856-6"], "HBA1C_IFCC": [], "EAG": ["27353-2"],
    "HGB": ["718-7"], "RBC": ["789-8", "26453-1"], "HCT": ["4544-3", "20570-8"],
    "MCV": ["787-2", "30428-7"], "MCH": ["785-6", "28539-5"], "MCHC": ["786-4", "28540-3"],
    "RDW": ["788-0", "30385-9"], "WBC": ["6690-2", "26464-8"], "PLT": ["777-3", "26515-7"],
    "MPV": ["32623-1", "28542-9"],
    "NEUT_PCT": ["770-8", "26511-6"], "LYMPH_PCT": ["736-9", "26478-8"],
    "MONO_PCT": ["5905-5", "26485-3"], "EOS_PCT": ["713-8", "26450-7"], "BASO_PCT": ["706-2", "30180-4"],
    "NEUT_ABS": ["751-8", "26499-4"], "LYMPH_ABS": ["731-0", "26474-7"], "MONO_ABS": ["742-7", "26484-6"],
    "EOS_ABS": ["711-2", "26449-9"], "BASO_ABS": ["704-7", "26444-0"],
    "ESR": ["4537-7", "30341-2"], "CRP": ["1988-5"], "TSH": ["3016-3", "11579-0"],
    "FT4": ["3024-7"], "FT4_SI": ["14920-3"], "FT3": ["3051-0"], "T3": ["3053-6"], "T4": ["3026-2"],
    "FERRITIN": ["2276-4"], "IRON": ["2498-4"], "IRON_SI": ["14798-3"], "B12": ["2132-9"],
    "FOLATE": ["2284-8"], "URATE": ["3084-1"], "URATE_SI": ["14933-6"],
    "PT": ["5902-2"], "INR": ["6301-6", "34714-6"], "APTT": ["14979-9", "3173-2"], "QUICK": [],
    "U_SG": ["5811-5", "2965-2"], "U_PH": ["5803-2"], "U_PROT": ["20454-5", "5804-0"],
    "U_GLU": ["2349-9", "5792-7"], "U_KET": ["2514-8", "33903-6"], "U_BLD": ["5794-3"],
    "U_NIT": ["5802-4"], "U_LE": ["5799-2"], "U_BIL": ["5770-3"], "U_UBG": ["5818-0", "20405-7"],
    "U_COLOR": ["5778-6"], "U_APP": ["5767-9"],
    "HBSAG": ["5196-1", "5195-3"], "HIV": ["48345-3"], "HCV": ["13955-0", "16128-1"], "VDRL": [],
    "RF": ["11572-5"], "WIDAL": [], "CT_NAA": ["21613-5", "43304-5"], "PSA": ["2857-1"],
    "CK": ["2157-6"], "TROPI": ["10839-9"], "BNP": ["30934-4"], "LDH": ["2532-0"], "MG": ["19123-9"], "PHOS": ["2777-1"],
    "VITD": ["62292-8", "1989-3", "35365-6"], "AMYL": ["1798-8"], "LIPASE": ["3040-3"],
}


def fnum(x, dec, comma=False):
    s = f"{x:.{dec}f}"
    return s.replace(".", ",") if comma else s


def parse_num(s):
    return float(s.replace(",", "."))


class Doc:
    """One generated document: its rows (truth) and its flow (what gets drawn)."""

    def __init__(self, stem, seed, comma=False, sex="M", oor=0.22):
        self.stem = stem
        self.rng = random.Random(f"{seed}-{stem}")
        self.comma = comma
        self.sex = sex
        self.oor = oor
        self.flow = []
        self.section = None

    def value(self, lo, hi, kind, dec):
        r = self.rng
        out = r.random() < self.oor
        if kind == "range":
            w = hi - lo
            if not out:
                v = r.uniform(lo + 0.08 * w, hi - 0.08 * w)
            elif r.random() < 0.45 and lo > 0:
                v = max(lo - w * r.uniform(0.06, 0.3), lo * 0.5)
            else:
                v = hi + w * r.uniform(0.06, 0.45)
        elif kind == "lt":
            v = hi * (r.uniform(1.06, 1.5) if out else r.uniform(0.3, 0.9))
        else:
            v = lo * (r.uniform(0.6, 0.94) if out else r.uniform(1.06, 1.5))
        return round(v, dec)

    def q(self, name, unit, lo, hi, dec, loinc, kind="range", rng_fmt=None, value=None,
          sexref=None, method=None, flag_ok=True):
        """A quantitative row. lo/hi are printed strings ('0.76'); kind range|lt|gt."""
        c = self.comma
        lo_f = parse_num(lo) if lo is not None else None
        hi_f = parse_num(hi) if hi is not None else None
        if sexref:
            lo, hi = sexref[self.sex]
            lo_f, hi_f = parse_num(lo), parse_num(hi)
        if value is None:
            v = self.value(lo_f, hi_f, kind, dec)
        else:
            v = value
        vt = fnum(v, dec, c)
        v = parse_num(vt)
        flag = None
        if lo_f is not None and v < lo_f:
            flag = "L"
        if hi_f is not None and v > hi_f:
            flag = "H"
        if kind == "range":
            pr = (rng_fmt or "{lo} - {hi}").format(lo=lo, hi=hi)
        elif kind == "lt":
            pr = (rng_fmt or "< {hi}").format(hi=hi)
        else:
            pr = (rng_fmt or "> {lo}").format(lo=lo)
        if sexref:
            pr = None  # the doc prints its own two-line text
        row = dict(original_name=name, value=v, value_text=vt, unit=unit,
                   ref_low=lo_f if kind != "lt" else None, ref_high=hi_f if kind != "gt" else None,
                   ref_text=pr, _abn=flag, flag=None, section=self.section, page=None,
                   _loinc=loinc, _method=method, _sexref=sexref, _flag_ok=flag_ok)
        return row

    def ql(self, name, text, ref, loinc, unit=None, abn=False):
        return dict(original_name=name, value=None, value_text=text, unit=unit, ref_low=None,
                    ref_high=None, ref_text=ref, _abn="A" if abn else None, flag=None,
                    section=self.section, page=None, _loinc=loinc, _method=None, _sexref=None,
                    _flag_ok=False)

    def bound(self, name, text, unit, loinc, ref_text=None, lo=None, hi=None):
        return dict(original_name=name, value=None, value_text=text, unit=unit,
                    ref_low=lo, ref_high=hi, ref_text=ref_text, _abn=None, flag=None,
                    section=self.section, page=None, _loinc=loinc, _method=None, _sexref=None,
                    _flag_ok=False)

    # flow
    def sec(self, title, level=1):
        self.section = title
        self.flow.append(("section", title, level))

    def add(self, row, cells, truth=True):
        self.flow.append(("row", cells, [row] if truth and isinstance(row, dict) else (row if truth else [])))

    def text(self, s, size=7.5, font=None, gap=2):
        self.flow.append(("text", s, size, font, gap))

    def gap(self, h):
        self.flow.append(("gap", h))

    def colbreak(self):
        self.flow.append(("colbreak",))

    def rows(self):
        out = []
        for item in self.flow:
            if item[0] == "row":
                out.extend(item[2])
        return out


def wrap(text, font, size, width):
    words = text.split(" ")
    lines, cur = [], ""
    for w in words:
        t = (cur + " " + w).strip()
        if pdfmetrics.stringWidth(t, font, size) <= width or not cur:
            cur = t
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


class Layout:
    """How a document is drawn. columns: (key, header, x, width, align) relative to frame x."""

    def __init__(self, page=A4, font="Helvetica", bold="Helvetica-Bold", size=8.5, lead=11,
                 columns=(), frames=None, margin_bottom=70, header_line=True, zebra=False,
                 bold_abnormal=False, grid=False):
        self.page = page
        self.font, self.bold, self.size, self.lead = font, bold, size, lead
        self.columns = columns
        self.frames = frames or [(40, page[0] - 80)]
        self.margin_bottom = margin_bottom
        self.header_line = header_line
        self.zebra = zebra
        self.bold_abnormal = bold_abnormal
        self.grid = grid


def render(path, doc, lay, letterhead, footer):
    """Draws twice: first to count pages, then for real with 'Page n of N'."""
    total = _render(io.BytesIO(), doc, lay, letterhead, footer, None)
    _render(path, doc, lay, letterhead, footer, total)
    return total


def _render(target, doc, lay, letterhead, footer, total):
    c = canvas.Canvas(target, pagesize=lay.page, invariant=1)
    c.setTitle(f"Laboratory report {doc.stem}")
    st = {"page": 1, "frame": 0}

    def start_page():
        top = letterhead(c, st["page"])
        st["top"] = top
        st["y"] = top
        st["frame"] = 0
        table_header()

    def table_header():
        fx, fw = lay.frames[st["frame"]]
        if not lay.columns or lay.header_line is None:
            return
        if lay.header_line:
            c.setFont(lay.bold, lay.size)
            for key, head, x, w, al in lay.columns:
                if head:
                    _draw(c, head, fx + x, w, al, st["y"])
            c.setLineWidth(0.6)
            c.line(fx, st["y"] - 3, fx + fw, st["y"] - 3)
            st["y"] -= lay.lead + 4

    def end_page():
        footer(c, st["page"], total or 0)
        c.showPage()
        st["page"] += 1

    def need(h):
        if st["y"] - h < lay.margin_bottom:
            if st["frame"] + 1 < len(lay.frames):
                st["frame"] += 1
                st["y"] = st["top"]
                table_header()
            else:
                end_page()
                start_page()

    start_page()
    for item in doc.flow:
        fx, fw = lay.frames[st["frame"]]
        kind = item[0]
        if kind == "section":
            _, title, level = item
            need(lay.lead * 4)
            fx, fw = lay.frames[st["frame"]]
            st["y"] -= 3 if level == 1 else 0
            c.setFont(lay.bold, lay.size + (1.5 if level == 1 else 0.5))
            c.drawString(fx, st["y"], title)
            if level == 1 and lay.grid:
                c.setLineWidth(0.3)
                c.line(fx, st["y"] - 2.5, fx + fw, st["y"] - 2.5)
            st["y"] -= lay.lead + 2
        elif kind == "gap":
            st["y"] -= item[1]
        elif kind == "colbreak":
            if st["frame"] + 1 < len(lay.frames):
                st["frame"] += 1
                st["y"] = st["top"]
                table_header()
        elif kind == "text":
            _, s, size, font, gp = item
            lines = []
            for para in s.split("\n"):
                lines.extend(wrap(para, font or lay.font, size, fw))
            need(len(lines) * (size + 2.5))
            fx, fw = lay.frames[st["frame"]]
            c.setFont(font or lay.font, size)
            for ln in lines:
                c.drawString(fx, st["y"], ln)
                st["y"] -= size + 2.5
            st["y"] -= gp
        elif kind == "row":
            _, cells, truth = item
            blocks = {}
            nl = 1
            for key, head, x, w, al in lay.columns:
                v = cells.get(key)
                if v is None or v == "":
                    continue
                if isinstance(v, str):
                    v = wrap(v, lay.font, lay.size, w) if key == "name" else [v]
                blocks[key] = v
                nl = max(nl, len(v))
            method = cells.get("method")
            h = nl * lay.lead + (lay.lead - 2 if method else 0)
            need(h)
            fx, fw = lay.frames[st["frame"]]
            y0 = st["y"]
            abn = cells.get("abn", False)
            for key, head, x, w, al in lay.columns:
                if key not in blocks:
                    continue
                bold = (abn and lay.bold_abnormal and key in ("result", "valunit", "flag")) or \
                       (cells.get("bold_name") and key == "name") or key in cells.get("bold_keys", ())
                c.setFont(lay.bold if bold else lay.font, lay.size)
                for i, ln in enumerate(blocks[key]):
                    _draw(c, ln, fx + x, w, al, y0 - i * lay.lead)
            if method:
                c.setFont(lay.font, lay.size - 2)
                c.setFillGray(0.35)
                c.drawString(fx + lay.columns[0][2] + 2, y0 - nl * lay.lead + 2, method)
                c.setFillGray(0)
            st["y"] -= h
            for r in truth:
                r["page"] = st["page"]
    end_page()
    c.save()
    return st["page"] - 1


def _draw(c, s, x, w, al, y):
    if al == "R":
        c.drawRightString(x + w, y, s)
    elif al == "C":
        c.drawCentredString(x + w / 2, y, s)
    else:
        c.drawString(x, y, s)


def write_truth(outdir, stem, ext, meta, rows, mime="application/pdf"):
    results = []
    loinc_rows = []
    for i, r in enumerate(rows):
        out = {k: v for k, v in r.items() if not k.startswith("_")}
        results.append(out)
        loinc_rows.append(dict(i=i, original_name=r["original_name"], unit=r["unit"],
                               loinc=LOINC[r["_loinc"]], concept=r["_loinc"]))
    truth = {
        "source": {"repo": None, "path": "generated for this corpus (tests/corpus/synth/generate.py, reportlab)",
                   "commit": None, "license": "generated for this project (synthetic, fictitious lab and patient)"},
        "file": f"{stem}.{ext}", "mime_type": mime, "has_text_layer": True,
    }
    truth.update(meta)
    truth["results"] = results
    with open(f"{outdir}/truth/{stem}.json", "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=1, ensure_ascii=False)
        f.write("\n")
    loinc = {"truth": f"synth/truth/{stem}.json",
             "loinc_notice": "This material contains content from LOINC (http://loinc.org). LOINC is copyright (c) "
                             "1995-2024, Regenstrief Institute, Inc. and the LOINC Committee, available at no cost "
                             "under the license at http://loinc.org/license.",
             "rows": loinc_rows}
    with open(f"{outdir}/loinc/{stem}.json", "w", encoding="utf-8") as f:
        json.dump(loinc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return truth
