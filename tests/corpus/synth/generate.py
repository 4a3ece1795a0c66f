#!/usr/bin/env python3
"""Generates the synthetic multilingual lab-report corpus (see README.md). Deterministic: fixed seed.

Usage: python3 tests/corpus/synth/generate.py   (writes files/, truth/, loinc/ next to this script)
"""
import os
import sys

from reportlab.lib.pagesizes import A4, letter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import Doc, Layout, render, write_truth  # noqa: E402
from images import degrade  # noqa: E402

SEED = 20240115
OUT = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- drawing helpers
def letterhead(lab, addr_lines, title, pairs, font="Helvetica", bold="Helvetica-Bold", page=A4,
               lab_size=15, rule=True, pair_cols=2, center=False, extra=None):
    W, H = page

    def draw(c, pageno):
        y = H - 48
        c.setFont(bold, lab_size)
        (c.drawCentredString(W / 2, y, lab) if center else c.drawString(40, y, lab))
        c.setFont(font, 7.5)
        for ln in addr_lines:
            y -= 10
            (c.drawCentredString(W / 2, y, ln) if center else c.drawString(40, y, ln))
        y -= 8
        if rule:
            c.setLineWidth(1.2)
            c.line(40, y, W - 40, y)
        y -= 14
        rows = (len(pairs) + pair_cols - 1) // pair_cols
        colw = (W - 80) / pair_cols
        for i, (lab_, val) in enumerate(pairs):
            col, r = divmod(i, rows)
            x = 40 + col * colw
            yy = y - r * 11
            c.setFont(bold, 8)
            c.drawString(x, yy, lab_)
            c.setFont(font, 8)
            c.drawString(x + 88, yy, val)
        y -= rows * 11 + 2
        c.setLineWidth(0.5)
        c.line(40, y, W - 40, y)
        y -= 18
        if title:
            c.setFont(bold, 11)
            c.drawCentredString(W / 2, y, title)
            y -= 20
        if extra:
            y = extra(c, y)
        return y

    return draw


def footer_std(lines, pagefmt="Page {p} of {n}", font="Helvetica", page=A4, sign=None):
    W, H = page

    def draw(c, p, n):
        if sign and p == n:
            c.setFont(font, 8)
            for i, ln in enumerate(sign):
                c.drawRightString(W - 40, 100 - i * 10, ln)
        c.setLineWidth(0.4)
        c.line(40, 52, W - 40, 52)
        c.setFont(font, 6.5)
        for i, ln in enumerate(lines):
            c.drawString(40, 42 - i * 8, ln)
        c.setFont(font, 7.5)
        c.drawRightString(W - 40, 42, pagefmt.format(p=p, n=n))

    return draw


def flag(row, style):
    """Sets the truth flag for what gets printed and returns the printed flag text."""
    a = row["_abn"]
    if a not in ("H", "L") or not row["_flag_ok"]:
        if a == "A" and style == "HL":
            row["flag_text"] = "A"
            return "A"
        if style == "HNL" and row["value"] is not None:
            return "N"
        return ""
    txt = {"HL": a, "HNL": a, "word": {"H": "High", "L": "Low"}[a], "pm": {"H": "+", "L": "-"}[a],
           "arrow": {"H": "\u2191", "L": "\u2193"}[a], "es": {"H": "Alto", "L": "Bajo"}[a]}[style]
    row["flag"] = a
    if txt != a:
        row["flag_text"] = txt
    return txt


def sexref_text(row, fmt):
    m, f = row["_sexref"]["M"], row["_sexref"]["F"]
    return [fmt[0].format(lo=m[0], hi=m[1]), fmt[1].format(lo=f[0], hi=f[1])]


def meta(lang, style, coll, res, notes, coverage):
    return dict(language=lang, lab_style=style, collection_date=coll, result_date=res,
                coverage=coverage, notes=notes)


def finish(d, lay, lh, ft, m, ext="pdf"):
    path = f"{OUT}/files/{d.stem}.{ext}"
    n = render(path, d, lay, lh, ft)
    m["coverage"] = f"all {n} page{'s' if n > 1 else ''}"
    rows = d.rows()
    return write_truth(OUT, d.stem, ext, m, rows)


# ---------------------------------------------------------------- en-US reference lab
def us_meridian():
    d = Doc("us_meridian_cmp_lipid_ua", SEED, sex="F")
    lay = Layout(page=letter, size=8.5, lead=11.5, columns=[
        ("name", "TESTS", 0, 190, "L"), ("result", "RESULT", 195, 60, "L"), ("flag", "FLAG", 262, 30, "L"),
        ("unit", "UNITS", 300, 75, "L"), ("range", "REFERENCE INTERVAL", 382, 110, "L"), ("lab", "LAB", 500, 30, "L")])
    lh = letterhead("MERIDIAN CLINICAL LABORATORIES", [
        "1250 Commerce Parkway, Suite 400, Columbus, OH 43215  |  Phone 614-555-0142  |  CLIA 36D0998877",
        "Laboratory Director: Helen R. Whitcomb, MD"], None, [
        ("Patient Name:", "HARTLEY, MONICA J"), ("DOB:", "03/22/1968"), ("Age / Sex:", "55 / F"),
        ("Patient ID:", "MCL-00482917"), ("Ordering Physician:", "D. OKAFOR, MD"), ("Account:", "Riverside Family Practice"),
        ("Specimen ID:", "024-118-4471-0"), ("Date Collected:", "01/15/2024 07:42 AM"),
        ("Date Received:", "01/15/2024 02:10 PM"), ("Date Reported:", "01/16/2024 06:55 AM"),
        ("Fasting:", "Yes"), ("Control ID:", "L7740021")], page=letter, pair_cols=2)
    ft = footer_std(["This report contains confidential health information. Results relate only to the specimen tested.",
                     "01 = MCL Columbus, 1250 Commerce Pkwy, Columbus OH 43215  Dir: H. Whitcomb, MD"],
                    pagefmt="Page {p} of {n}", page=letter,
                    sign=["Final Report", "Electronically verified by J. Tran, MT(ASCP)"])

    def row(r, rng=None):
        ft_ = flag(r, "HL")
        d.add(r, dict(name=r["original_name"], result=r["value_text"], flag=ft_, unit=r["unit"] or "",
                      range=rng if rng is not None else (r["ref_text"] or ""), lab="01", abn=bool(ft_)))

    d.sec("Comp. Metabolic Panel (14)")
    for a in [("Glucose", "mg/dL", "65", "99", 0, "GLU_FAST"), ("BUN", "mg/dL", "6", "24", 0, "BUN"),
              ("Creatinine", "mg/dL", "0.57", "1.00", 2, "CREAT")]:
        row(d.q(*a, rng_fmt="{lo}-{hi}"))
    row(d.q("eGFR", "mL/min/1.73", "59", None, 0, "EGFR", kind="gt", rng_fmt=">{lo}"))
    row(d.q("BUN/Creatinine Ratio", None, "9", "23", 0, "BUNCR", rng_fmt="{lo}-{hi}"))
    for a in [("Sodium", "mmol/L", "134", "144", 0, "NA"), ("Potassium", "mmol/L", "3.5", "5.2", 1, "K"),
              ("Chloride", "mmol/L", "96", "106", 0, "CL"), ("Carbon Dioxide, Total", "mmol/L", "20", "29", 0, "CO2"),
              ("Calcium", "mg/dL", "8.7", "10.3", 1, "CA"), ("Protein, Total", "g/dL", "6.0", "8.5", 1, "TP"),
              ("Albumin", "g/dL", "3.8", "4.9", 1, "ALB"), ("Globulin, Total", "g/dL", "1.5", "4.5", 1, "GLOB"),
              ("Bilirubin, Total", "mg/dL", "0.0", "1.2", 1, "TBIL"), ("Alkaline Phosphatase", "IU/L", "44", "121", 0, "ALP"),
              ("AST (SGOT)", "IU/L", "0", "40", 0, "AST"), ("ALT (SGPT)", "IU/L", "0", "32", 0, "ALT")]:
        row(d.q(*a, rng_fmt="{lo}-{hi}"))
    d.sec("Lipid Panel")
    row(d.q("Cholesterol, Total", "mg/dL", "100", "199", 0, "CHOL", rng_fmt="{lo}-{hi}"))
    row(d.q("Triglycerides", "mg/dL", "0", "149", 0, "TG", rng_fmt="{lo}-{hi}"))
    row(d.q("HDL Cholesterol", "mg/dL", "39", None, 0, "HDL", kind="gt", rng_fmt=">{lo}"))
    row(d.q("VLDL Cholesterol Cal", "mg/dL", "5", "40", 0, "VLDL", rng_fmt="{lo}-{hi}"))
    row(d.q("LDL Chol Calc (NIH)", "mg/dL", "0", "99", 0, "LDL_CALC", rng_fmt="{lo}-{hi}"))
    d.text("LDL-C values of 100-129 mg/dL are near optimal; 130-159 mg/dL borderline high; "
           "160 mg/dL or greater high (NLA 2015).", size=7)
    d.sec("Hemoglobin A1c")
    row(d.q("Hemoglobin A1c", "%", "4.8", "5.6", 1, "HBA1C", rng_fmt="{lo}-{hi}"))
    d.text("Prediabetes: 5.7 - 6.4   Diabetes: >6.4   Glycemic control for adults with diabetes: <7.0", size=7)
    d.sec("Urinalysis, Complete")
    row(d.q("Specific Gravity", None, "1.005", "1.030", 3, "U_SG", rng_fmt="{lo}-{hi}"))
    row(d.q("pH", None, "5.0", "7.5", 1, "U_PH", rng_fmt="{lo}-{hi}"))
    row(d.ql("Urine-Color", "Yellow", "Yellow", "U_COLOR"))
    row(d.ql("Appearance", "Cloudy", "Clear", "U_APP", abn=True))
    row(d.ql("Protein", "Trace", "Negative/Trace", "U_PROT"))
    row(d.ql("Glucose", "Negative", "Negative", "U_GLU"))
    row(d.ql("Ketones", "Negative", "Negative", "U_KET"))
    row(d.ql("Occult Blood", "1+", "Negative", "U_BLD", abn=True))
    row(d.ql("Leukocyte Esterase", "Negative", "Negative", "U_LE"))
    row(d.ql("Nitrite, Urine", "Negative", "Negative", "U_NIT"))
    d.sec("Chlamydia/Gonococcus, NAA")
    row(d.ql("Chlamydia trachomatis, NAA", "Not Detected", "Not Detected", "CT_NAA"))
    d.gap(6)
    d.text("Flag legend: H = High, L = Low, A = Abnormal. Reference intervals are age and sex specific.", size=7)
    return finish(d, lay, lh, ft, meta(
        "en", "Synthetic US reference-lab report (LabCorp/Quest-like, Letter): columns TESTS | RESULT | FLAG | UNITS | "
        "REFERENCE INTERVAL | LAB; flags H/L/A in their own column; qualitative urinalysis", "2024-01-15", "2024-01-16",
        "Flag 'A' (abnormal, qualitative rows) is not H/L: flag null, flag_text 'A'. Comment lines under LDL and A1c "
        "contain numbers that are not results. '>39' -> ref_low 39; '0-149' -> ref_low 0. Units null where the "
        "UNITS column is empty.", ""))


# ---------------------------------------------------------------- en-GB NHS-like
def gb_northgate():
    d = Doc("gb_northgate_fbc_ue_lft", SEED, sex="M")
    lay = Layout(size=8.5, lead=11.5, columns=[
        ("name", "Test", 0, 170, "L"), ("result", "Result", 175, 55, "R"), ("flag", "", 234, 16, "L"),
        ("unit", "Units", 262, 70, "L"), ("range", "Reference range", 340, 110, "L")])
    lh = letterhead("Northgate University Hospitals NHS Trust", [
        "Department of Blood Sciences - Pathology Laboratory, Northgate General Hospital, Hollins Road, Leeds LS9 7TF",
        "Enquiries: 0113 496 0821   UKAS accredited medical laboratory No. 9912"], "CLINICAL BIOCHEMISTRY & HAEMATOLOGY REPORT", [
        ("Surname:", "PEMBERTON"), ("Forename:", "GRAHAM ALAN"), ("Sex:", "Male"), ("DOB:", "12-Mar-1961 (62y)"),
        ("NHS No:", "943 476 5919"), ("Hospital No:", "NG7731054"), ("Requested by:", "Dr S. Achebe (GP)"),
        ("Location:", "Moortown Medical Centre"), ("Collected:", "09-Feb-2024 08:42"), ("Received:", "09-Feb-2024 11:05"),
        ("Reported:", "09-Feb-2024 16:31"), ("Lab No:", "24B0917734")], pair_cols=2)
    ft = footer_std(["Reference ranges apply to adults. Results should be interpreted in the clinical context.",
                     "Printed by PATHnet. CONFIDENTIAL - contains patient identifiable information."],
                    pagefmt="Page {p} of {n}", sign=["Authorised by: Dr K. Lindqvist, Consultant Chemical Pathologist"])

    def row(r):
        f = flag(r, "HL")
        d.add(r, dict(name=r["original_name"], result=r["value_text"], flag=f, unit=r["unit"] or "",
                      range=r["ref_text"] or "", abn=bool(f)))

    br = "({lo} - {hi})"
    d.sec("FULL BLOOD COUNT")
    for a in [("Haemoglobin", "g/L", "130", "170", 0, "HGB"), ("White cell count", "x10^9/L", "4.0", "11.0", 1, "WBC"),
              ("Platelet count", "x10^9/L", "150", "400", 0, "PLT"), ("Red cell count", "x10^12/L", "4.50", "5.50", 2, "RBC"),
              ("Haematocrit", "L/L", "0.40", "0.50", 3, "HCT"), ("Mean cell volume", "fL", "83", "101", 1, "MCV"),
              ("Mean cell haemoglobin", "pg", "27.0", "32.0", 1, "MCH"), ("Neutrophils", "x10^9/L", "2.0", "7.0", 2, "NEUT_ABS"),
              ("Lymphocytes", "x10^9/L", "1.0", "3.0", 2, "LYMPH_ABS"), ("Monocytes", "x10^9/L", "0.2", "1.0", 2, "MONO_ABS"),
              ("Eosinophils", "x10^9/L", "0.02", "0.50", 2, "EOS_ABS"), ("Basophils", "x10^9/L", "0.02", "0.10", 2, "BASO_ABS")]:
        row(d.q(*a, rng_fmt=br))
    d.sec("UREA & ELECTROLYTES")
    for a in [("Serum sodium", "mmol/L", "133", "146", 0, "NA"), ("Serum potassium", "mmol/L", "3.5", "5.3", 1, "K"),
              ("Serum urea", "mmol/L", "2.5", "7.8", 1, "UREA_SI"), ("Serum creatinine", "umol/L", "59", "104", 0, "CREAT_SI")]:
        row(d.q(*a, rng_fmt=br))
    r = d.bound("eGFR (CKD-EPI)", ">90", "mL/min/1.73m2", "EGFR")
    row(r)
    d.text("eGFR calculated using the CKD-EPI 2009 equation. Values above 90 are reported as >90. "
           "Not valid in acute kidney injury.", size=7)
    d.sec("LIVER FUNCTION TESTS")
    for a in [("Serum total bilirubin", "umol/L", "0", "21", 0, "TBIL_SI"), ("Serum ALT", "IU/L", "0", "41", 0, "ALT"),
              ("Serum alkaline phosphatase", "IU/L", "30", "130", 0, "ALP"), ("Serum albumin", "g/L", "35", "50", 0, "ALB"),
              ("Serum total protein", "g/L", "60", "80", 0, "TP")]:
        row(d.q(*a, rng_fmt=br))
    d.sec("OTHER TESTS")
    row(d.q("Serum C reactive protein", "mg/L", "0", "5", 0, "CRP", rng_fmt=br))
    row(d.q("HbA1c (IFCC)", "mmol/mol", "20", "41", 0, "HBA1C_IFCC", rng_fmt=br))
    d.text("HbA1c 42-47 mmol/mol: increased risk of diabetes. 48 mmol/mol or above is consistent with diabetes.", size=7)
    d.gap(4)
    d.text("Comment: Mild lymphopenia may be seen with intercurrent viral illness; suggest repeat FBC in 4-6 weeks "
           "if clinically indicated.", size=7.5)
    return finish(d, lay, lh, ft, meta(
        "en", "Synthetic NHS-style hospital pathology report (A4): Test | Result | flag | Units | Reference range; "
        "ranges in brackets '(130 - 170)'; H/L printed right after the value; 'Serum ...' names; SI units",
        "2024-02-09", "2024-02-09",
        "eGFR printed as '>90' (value null, value_text '>90', no printed range). Comment lines contain numbers that are "
        "not results (90, 42-47, 48, 4-6). ref_text keeps the brackets as printed. HbA1c IFCC mmol/mol: no LOINC "
        "code listed (not in the common list).", ""))


# ---------------------------------------------------------------- en-IN style 1 (bordered, method notes)
def in_balaji():
    d = Doc("in_balaji_cbc_thyroid", SEED, sex="F")
    lay = Layout(size=8.5, lead=11, grid=True, columns=[
        ("name", "Investigation", 0, 150, "L"), ("result", "Observed Value", 160, 55, "R"), ("flag", "", 222, 30, "L"),
        ("unit", "Unit", 262, 65, "L"), ("range", "Biological Reference Interval", 335, 180, "L")])

    def extra(c, y):
        c.setFont("Helvetica", 7)
        c.drawString(40, y + 6, "Sample Type: Whole Blood EDTA / Serum        Barcode: SBD2401879")
        return y - 8
    lh = letterhead("SHREE BALAJI DIAGNOSTIC CENTRE", [
        "NABL Accredited Laboratory | Shop 4-6, Sai Complex, FC Road, Shivajinagar, Pune - 411005",
        "Ph: +91 20 2553 0xx1 | Email: reports@balajidiag.example.in"], "HAEMATOLOGY REPORT", [
        ("Patient Name", ": Mrs. KAVITA S. DESHMUKH"), ("Age / Gender", ": 42 Years / Female"), ("Patient ID", ": SBD-240118-0072"),
        ("Ref. By", ": Dr. Anil Kulkarni (MD)"), ("Sample Collected", ": 18/01/2024 08:15 AM"), ("Sample Received", ": 18/01/2024 09:02 AM"),
        ("Reported On", ": 18/01/2024 01:40 PM"), ("Status", ": Final")], center=True, pair_cols=2, extra=extra)
    ft = footer_std(["*** End of Report ***   Results are for the sample received. Kindly correlate clinically.",
                     "Not valid for medico-legal purposes. Home collection: 020-2553-0xx2"], pagefmt="Page {p} of {n}",
                    sign=["Dr. Meera Joshi", "MD (Pathology), Consultant Pathologist"])

    def row(r, method=None, rng=None):
        f = flag(r, "word")
        d.add(r, dict(name=r["original_name"], result=r["value_text"], flag=f, unit=r["unit"] or "",
                      range=rng if rng is not None else r["ref_text"], method=method, abn=bool(f), bold_keys=("flag",)))

    sexfmt = ("Male : {lo} - {hi}", "Female : {lo} - {hi}")
    d.sec("COMPLETE BLOOD COUNT (CBC)")
    d.sec("HEMOGLOBIN", 2)
    r = d.q("Hemoglobin (Hb)", "g/dL", None, None, 1, "HGB", sexref={"M": ("13.0", "17.0"), "F": ("12.0", "15.5")})
    r["ref_text"] = "Male : 13.0 - 17.0 / Female : 12.0 - 15.5"
    row(r, "Method: SLS Hemoglobin Photometry", sexref_text(r, sexfmt))
    d.sec("RBC COUNT", 2)
    r = d.q("Total RBC Count", "mill/cumm", None, None, 2, "RBC", sexref={"M": ("4.50", "5.50"), "F": ("3.80", "4.80")})
    r["ref_text"] = "Male : 4.50 - 5.50 / Female : 3.80 - 4.80"
    row(r, "Method: Electrical Impedance", sexref_text(r, sexfmt))
    d.sec("BLOOD INDICES", 2)
    r = d.q("Packed Cell Volume (PCV)", "%", None, None, 1, "HCT", sexref={"M": ("40", "50"), "F": ("36", "46")})
    r["ref_text"] = "Male : 40 - 50 / Female : 36 - 46"
    row(r, "Method: Calculated", sexref_text(r, sexfmt))
    row(d.q("Mean Corpuscular Volume (MCV)", "fL", "83", "101", 1, "MCV"), "Method: Calculated")
    row(d.q("Mean Corpuscular Hemoglobin (MCH)", "pg", "27", "32", 1, "MCH"), "Method: Calculated")
    row(d.q("Mean Corpuscular Hemoglobin Concentration (MCHC)", "g/dL", "31.5", "34.5", 1, "MCHC"), "Method: Calculated")
    row(d.q("Red Cell Distribution Width (RDW-CV)", "%", "11.6", "14.0", 1, "RDW"), "Method: Calculated")
    d.sec("WBC COUNT", 2)
    row(d.q("Total Leucocyte Count (TLC)", "cumm", "4000", "10000", 0, "WBC"), "Method: Flow Cytometry")
    d.sec("DIFFERENTIAL LEUCOCYTE COUNT", 2)
    for a in [("Neutrophils", "%", "40", "80", 0, "NEUT_PCT"), ("Lymphocytes", "%", "20", "40", 0, "LYMPH_PCT"),
              ("Eosinophils", "%", "1", "6", 0, "EOS_PCT"), ("Monocytes", "%", "2", "10", 0, "MONO_PCT"),
              ("Basophils", "%", "0", "2", 0, "BASO_PCT")]:
        row(d.q(*a))
    row(d.q("Absolute Neutrophil Count", "cumm", "2000", "7000", 0, "NEUT_ABS"), "Method: Calculated")
    row(d.q("Absolute Lymphocyte Count", "cumm", "1000", "3000", 0, "LYMPH_ABS"), "Method: Calculated")
    d.sec("PLATELET COUNT", 2)
    row(d.q("Platelet Count", "lakhs/cumm", "1.5", "4.1", 2, "PLT"), "Method: Electrical Impedance")
    row(d.q("Mean Platelet Volume (MPV)", "fL", "7.5", "11.5", 1, "MPV"))
    d.sec("ERYTHROCYTE SEDIMENTATION RATE", 2)
    row(d.q("ESR - 1st Hour", "mm/hr", "0", "20", 0, "ESR"), "Method: Westergren")
    d.text("Interpretation: Mild microcytic picture may suggest iron deficiency; correlate with serum ferritin.", size=7)
    d.sec("THYROID PROFILE (T3, T4, TSH)")
    row(d.q("Triiodothyronine Total (T3)", "ng/mL", "0.69", "2.15", 2, "T3"), "Method: CLIA")
    row(d.q("Thyroxine Total (T4)", "\u00b5g/dL", "5.2", "12.7", 2, "T4"), "Method: CLIA")
    row(d.q("Thyroid Stimulating Hormone (TSH)", "\u00b5IU/mL", "0.30", "4.50", 3, "TSH"), "Method: CLIA")
    d.text("Note: TSH has a diurnal rhythm with peak levels at 2-4 AM and minimum at 6-10 PM. Values may vary "
           "by up to 50% during the day.", size=7)
    d.sec("GLYCOSYLATED HEMOGLOBIN (HbA1c)")
    row(d.q("HbA1c", "%", "4.0", "5.6", 1, "HBA1C"), "Method: HPLC")
    row(d.q("Estimated Average Glucose (eAG)", "mg/dL", "68", "114", 0, "EAG"), "Method: Calculated")
    return finish(d, lay, lh, ft, meta(
        "en", "Synthetic Indian diagnostic-centre report (NABL-style, A4): Investigation | Observed Value | flag word | "
        "Unit | Biological Reference Interval; small grey 'Method: ...' notes under names; sub-headings per "
        "parameter group; long names wrap over two lines; units cumm, lakhs/cumm, mill/cumm",
        "2024-01-18", "2024-01-18",
        "Flag words Low/High (bold) are printed between value and unit: flag H/L, flag_text the word. Sex-specific ranges "
        "printed on two lines ('Male : 13.0 - 17.0' / 'Female : 12.0 - 15.5'): ref_low/ref_high are the patient's "
        "(Female) range; ref_text joins both lines with ' / '. 'Method: ...' notes are not part of names. "
        "section = nearest printed heading (sub-heading when present).", ""))


# ---------------------------------------------------------------- en-IN style 2 (value+unit in one cell, serology)
def in_lifeline():
    d = Doc("in_lifeline_lft_kft_serology", SEED, sex="M")
    lay = Layout(size=8.5, lead=12, columns=[
        ("name", "TEST NAME", 0, 200, "L"), ("valunit", "RESULT", 210, 110, "L"), ("range", "BIOLOGICAL REF. RANGE", 330, 185, "L")])
    lh = letterhead("LIFELINE PATHOLOGY & IMAGING", [
        "12/3 Residency Road, Near Richmond Circle, Bengaluru - 560025, Karnataka",
        "Tel: 080-4110 2xx0  |  www.lifelinepath.example.in  |  Open 7 AM - 9 PM"], None, [
        ("Name", ": Mr. RAHUL VENKATESH"), ("Age/Sex", ": 36 Y / M"), ("UHID", ": LPL/24/031145"),
        ("Referred By", ": Dr. S. Narayan"), ("Collected On", ": 22-Jan-2024 07:55"), ("Received On", ": 22-Jan-2024 08:40"),
        ("Reported On", ": 22-Jan-2024 15:12"), ("Sample", ": Serum")], lab_size=17, pair_cols=2)
    ft = footer_std(["Results marked * are outside the biological reference range.  Test(s) performed at Lifeline central lab.",
                     "This is a computer generated report."], pagefmt="Page {p} / {n}",
                    sign=["Dr. Priya Raman, MD", "Chief Pathologist"])

    def row(r, rng=None):
        vt = r["value_text"] + (" " + r["unit"] if r["unit"] else "")
        d.add(r, dict(name=r["original_name"].upper(), result=None, valunit=vt, range=rng if rng is not None else (r["ref_text"] or ""),
                      abn=False, bold_name=False))
        r["original_name"] = r["original_name"].upper()

    sexfmt = ("M: {lo}-{hi}", "F: {lo}-{hi}")
    d.sec("LIVER FUNCTION TEST (LFT)")
    for a in [("Bilirubin Total", "mg/dL", "0.3", "1.2", 2, "TBIL"), ("Bilirubin Direct", "mg/dL", "0.0", "0.3", 2, "DBIL"),
              ("SGOT (AST)", "U/L", "5", "40", 0, "AST"), ("SGPT (ALT)", "U/L", "5", "41", 0, "ALT"),
              ("Alkaline Phosphatase", "U/L", "40", "129", 0, "ALP"), ("Gamma GT", "U/L", "10", "71", 0, "GGT"),
              ("Total Protein", "g/dL", "6.4", "8.3", 1, "TP"), ("Albumin", "g/dL", "3.5", "5.2", 1, "ALB")]:
        row(d.q(*a, rng_fmt="{lo} - {hi}"))
    d.sec("KIDNEY FUNCTION TEST (KFT)")
    row(d.q("Blood Urea", "mg/dL", "17", "43", 0, "UREA"))
    r = d.q("Serum Creatinine", "mg/dL", None, None, 2, "CREAT", sexref={"M": ("0.70", "1.30"), "F": ("0.55", "1.02")})
    r["ref_text"] = "M: 0.70-1.30 / F: 0.55-1.02"
    row(r, sexref_text(r, sexfmt))
    r = d.q("Uric Acid", "mg/dL", None, None, 1, "URATE", sexref={"M": ("3.5", "7.2"), "F": ("2.6", "6.0")})
    r["ref_text"] = "M: 3.5-7.2 / F: 2.6-6.0"
    row(r, sexref_text(r, sexfmt))
    for a in [("Sodium", "mmol/L", "136", "145", 0, "NA"), ("Potassium", "mmol/L", "3.5", "5.1", 1, "K"),
              ("Chloride", "mmol/L", "98", "107", 0, "CL")]:
        row(d.q(*a))
    d.sec("SEROLOGY & IMMUNOLOGY")
    for name, val, ref, lo in [("HBsAg (Rapid Card)", "Non Reactive", "Non Reactive", "HBSAG"),
                               ("HIV I & II Antibodies", "Non Reactive", "Non Reactive", "HIV"),
                               ("Anti HCV Antibody", "Non Reactive", "Non Reactive", "HCV"),
                               ("VDRL (RPR)", "Reactive", "Non Reactive", "VDRL"),
                               ("RA Factor (Qualitative)", "Positive", "Negative", "RF")]:
        row(d.ql(name, val, ref, lo))
    d.sec("WIDAL TEST (Slide Agglutination)", 2)
    row(d.ql("Salmonella Typhi O", "1:160", "< 1:80", "WIDAL"))
    row(d.ql("Salmonella Typhi H", "1:80", "< 1:80", "WIDAL"))
    row(d.ql("Salmonella Paratyphi AH", "1:20", "< 1:80", "WIDAL"))
    d.sec("INFLAMMATION & VITAMINS")
    row(d.bound("C-Reactive Protein (CRP)", "<0.1", "mg/dL", "CRP", "0.0 - 0.5", 0.0, 0.5))
    row(d.bound("Vitamin B12", ">2000", "pg/mL", "B12", "211 - 911", 211.0, 911.0))
    row(d.q("25-OH Vitamin D (Total)", "ng/mL", "30", "100", 1, "VITD"))
    d.text("Vitamin D status: Deficiency <20 ng/mL, Insufficiency 20-29 ng/mL, Sufficiency 30-100 ng/mL, "
           "Toxicity >100 ng/mL.", size=7)
    d.text("Widal: titres of 1:80 or more for O antigen are significant in non-endemic areas; single test to be "
           "interpreted with caution.", size=7)
    return finish(d, lay, lh, ft, meta(
        "en", "Synthetic Indian pathology report, style 2 (A4, no borders): TEST NAME | RESULT | BIOLOGICAL REF. RANGE, "
        "the unit printed in the result cell after the value ('0.84 mg/dL'); upper-case names; no flags printed",
        "2024-01-22", "2024-01-22",
        "Value and unit share one cell: unit = the text after the value. No flag printed anywhere (flag null even when "
        "out of range). Sex-specific ranges on two lines ('M: 0.70-1.30' / 'F: 0.55-1.02'): ref_low/high of the "
        "patient's sex (Male). Titres '1:160' and qualitative Reactive/Non Reactive/Positive are value_text only; "
        "'<0.1' and '>2000' are bounds (value null). Footer text mentions '*' but no '*' is printed. Interpretive "
        "lines under Vitamin D/Widal contain numbers that are not results.", ""))


# ---------------------------------------------------------------- de-DE style 1 (+/- flags)
def de_brenner():
    d = Doc("de_brenner_blutbild_chemie", SEED, comma=True, sex="M")
    lay = Layout(size=8.5, lead=11.5, columns=[
        ("name", "Untersuchung", 0, 165, "L"), ("result", "Ergebnis", 170, 50, "R"), ("flag", "", 226, 12, "L"),
        ("unit", "Einheit", 250, 75, "L"), ("range", "Referenzbereich", 335, 110, "L"), ("prev", "Vorbefund", 455, 60, "R")])
    lh = letterhead("Labor Dr. Brenner & Kollegen MVZ GmbH", [
        "Fachärzte für Laboratoriumsmedizin, Mikrobiologie und Transfusionsmedizin",
        "Hauptstraße 112 · 70173 Stuttgart · Tel. 0711 555 2040 · Fax 0711 555 2049 · www.labor-brenner.example.de"],
        "Laborbefund", [
            ("Patient:", "Schneider, Klaus-Peter"), ("Geb.-Datum:", "04.09.1957"), ("Geschlecht:", "männlich"),
            ("Auftrags-Nr.:", "2401161187"), ("Einsender:", "Dr. med. U. Hoffmann, Allgemeinmedizin"),
            ("Entnahme:", "16.01.2024 07:50"), ("Eingang:", "16.01.2024 10:12"), ("Befunddatum:", "16.01.2024 17:45"),
            ("Befundstatus:", "Endbefund"), ("Material:", "EDTA-Blut, Serum, Urin")], pair_cols=2)
    ft = footer_std(["Labor Dr. Brenner & Kollegen MVZ GmbH · Geschäftsführer: Dr. med. F. Brenner · Akkreditiert nach DIN EN ISO 15189",
                     "+ = oberhalb, - = unterhalb des Referenzbereichs. Referenzbereiche alters- und geschlechtsspezifisch."],
                    pagefmt="Seite {p} von {n}", sign=["Dr. med. F. Brenner", "Facharzt für Laboratoriumsmedizin"])
    prev_rng = __import__("random").Random(f"{SEED}-prev")

    def row(r, prev=True):
        f = flag(r, "pm")
        pv = ""
        if prev and r["value"] is not None and prev_rng.random() < 0.5:
            dec = len(r["value_text"].split(",")[1]) if "," in r["value_text"] else 0
            pv = f"{r['value'] * prev_rng.uniform(0.85, 1.15):.{dec}f}".replace(".", ",")
        d.add(r, dict(name=r["original_name"], result=r["value_text"], flag=f, unit=r["unit"] or "",
                      range=r["ref_text"] or "", prev=pv, abn=bool(f)))

    d.sec("Blutbild")
    for a in [("Leukozyten", "Tsd/µl", "3,9", "10,2", 1, "WBC"), ("Erythrozyten", "Mio/µl", "4,3", "5,75", 2, "RBC"),
              ("Hämoglobin", "g/dl", "13,5", "17,5", 1, "HGB"), ("Hämatokrit", "%", "40", "52", 1, "HCT"),
              ("MCV", "fl", "80", "99", 1, "MCV"), ("MCH", "pg", "27", "33,5", 1, "MCH"), ("MCHC", "g/dl", "31,5", "36", 1, "MCHC"),
              ("Thrombozyten", "Tsd/µl", "146", "328", 0, "PLT"), ("RDW", "%", "11,6", "14,4", 1, "RDW")]:
        row(d.q(*a))
    d.sec("Klinische Chemie")
    for a in [("Natrium", "mmol/l", "136", "145", 0, "NA"), ("Kalium", "mmol/l", "3,5", "5,1", 1, "K"),
              ("Kreatinin", "mg/dl", "0,7", "1,2", 2, "CREAT")]:
        row(d.q(*a))
    row(d.q("eGFR (CKD-EPI)", "ml/min/1,73m²", "60", None, 0, "EGFR", kind="gt"), prev=False)
    for a in [("Harnstoff", "mg/dl", "17", "43", 0, "UREA"), ("Harnsäure", "mg/dl", "3,4", "7,0", 1, "URATE")]:
        row(d.q(*a))
    for a in [("GOT (AST)", "U/l", None, "50", 0, "AST"), ("GPT (ALT)", "U/l", None, "50", 0, "ALT"),
              ("Gamma-GT", "U/l", None, "60", 0, "GGT"), ("Cholesterin, gesamt", "mg/dl", None, "200", 0, "CHOL")]:
        row(d.q(*a, kind="lt"))
    row(d.q("HDL-Cholesterin", "mg/dl", "40", None, 0, "HDL", kind="gt"))
    row(d.q("LDL-Cholesterin", "mg/dl", None, "116", 0, "LDL", kind="lt"))
    row(d.q("Triglyceride", "mg/dl", None, "150", 0, "TG", kind="lt"))
    row(d.q("CRP", "mg/l", None, "5,0", 1, "CRP", kind="lt"))
    row(d.q("HbA1c", "%", "4,0", "5,6", 1, "HBA1C"))
    row(d.q("TSH basal", "mU/l", "0,27", "4,20", 2, "TSH"))
    d.text("LDL-Zielwert bei hohem kardiovaskulärem Risiko < 70 mg/dl (ESC/EAS 2019).", size=7)
    d.sec("Urinstatus (Teststreifen)")
    row(d.q("pH", None, "5,0", "8,0", 1, "U_PH"), prev=False)
    for name, lo in [("Eiweiß", "U_PROT"), ("Glucose", "U_GLU"), ("Nitrit", "U_NIT"), ("Ketonkörper", "U_KET")]:
        row(d.ql(name, "negativ", "negativ", lo), prev=False)
    d.gap(4)
    d.text("Beurteilung: Leichte Erhöhung der Transaminasen, Kontrolle in 4 Wochen empfohlen.", size=7.5)
    return finish(d, lay, lh, ft, meta(
        "de", "Synthetischer deutscher Laborbefund (MVZ, A4): Untersuchung | Ergebnis | +/- | Einheit | Referenzbereich "
        "| Vorbefund; Dezimalkomma; Tsd/µl, Mio/µl; einseitige Bereiche '< 50' / '> 40'",
        "2024-01-16", "2024-01-16",
        "Flags '+'/'-' in a narrow column after the value -> H/L (flag_text '+'/'-'). The 'Vorbefund' column holds "
        "previous values without a date: NOT current results (no truth rows). Urine dipstick 'negativ' rows are "
        "qualitative. Comment line contains numbers that are not results (70, 2019, 4).", ""))


# ---------------------------------------------------------------- de-DE style 2 (arrows, G/l, H/N/L-free)
def de_nordhafen():
    d = Doc("de_nordhafen_pfeile", SEED, comma=True, sex="F")
    F, FB = "DejaVu", "DejaVu-Bold"
    lay = Layout(font=F, bold=FB, size=8, lead=11, columns=[
        ("flag", "", 0, 12, "L"), ("name", "Parameter", 14, 160, "L"), ("result", "Ergebnis", 180, 50, "R"),
        ("unit", "Einheit", 245, 70, "L"), ("range", "Referenzbereich", 325, 110, "L")], bold_abnormal=True)
    lh = letterhead("Medizinisches Labor Nordhafen", [
        "Elbchaussee 40 · 22763 Hamburg · Telefon 040 555 7788 · Laborärztliche Gemeinschaftspraxis"],
        None, [("Name, Vorname:", "Yılmaz, Ayşe"), ("Geburtsdatum:", "27.05.1979"), ("Geschlecht:", "W"),
               ("Labornummer:", "H-24-0057712"), ("Arzt:", "Praxis Dr. Brandt / Dr. Öztürk"), ("Entnahme:", "23.01.24 08:10"),
               ("Eingang:", "23.01.24 11:30"), ("Befundausgang:", "24.01.24")], font=F, bold=FB, pair_cols=2, lab_size=14)
    ft = footer_std(["↑ erhöht  ↓ erniedrigt  (Werte außerhalb des Referenzbereichs fett)",
                     "Befund elektronisch freigegeben. Ärztlich validiert durch Dr. med. J. Petersen."], font=F,
                    pagefmt="Seite {p}/{n}")

    def row(r):
        f = flag(r, "arrow")
        d.add(r, dict(name=r["original_name"], result=r["value_text"], flag=f, unit=r["unit"] or "",
                      range=r["ref_text"] or "", abn=bool(f)))
        if f:
            r["highlight"] = "bold"

    d.sec("Hämatologie")
    for a in [("Leukozyten", "G/l", "3,5", "9,8", 1, "WBC"), ("Erythrozyten", "T/l", "3,9", "5,2", 2, "RBC"),
              ("Hämoglobin", "g/dl", "12,0", "15,4", 1, "HGB"), ("Hämatokrit", "l/l", "0,35", "0,46", 2, "HCT"),
              ("Thrombozyten", "G/l", "150", "370", 0, "PLT"), ("Neutrophile", "%", "42", "77", 1, "NEUT_PCT"),
              ("Lymphozyten", "%", "20", "44", 1, "LYMPH_PCT"), ("Monozyten", "%", "2", "9,5", 1, "MONO_PCT")]:
        row(d.q(*a, rng_fmt="{lo} - {hi}"))
    d.sec("Gerinnung")
    row(d.q("Quick", "%", "70", "130", 0, "QUICK"))
    row(d.q("INR", None, "0,85", "1,15", 2, "INR"))
    row(d.q("aPTT", "s", "25", "37", 1, "APTT"))
    d.sec("Elektrolyte / Niere")
    for a in [("Natrium", "mmol/l", "135", "145", 0, "NA"), ("Kalium", "mmol/l", "3,5", "5,1", 2, "K"),
              ("Calcium", "mmol/l", "2,15", "2,55", 2, "CA_SI"), ("Kreatinin", "µmol/l", "45", "84", 0, "CREAT_SI")]:
        row(d.q(*a))
    d.sec("Leber / Pankreas")
    for a in [("ALAT (GPT)", "U/l", None, "35", 0, "ALT"), ("ASAT (GOT)", "U/l", None, "35", 0, "AST"),
              ("GGT", "U/l", None, "40", 0, "GGT"), ("Lipase", "U/l", None, "60", 0, "LIPASE")]:
        row(d.q(*a, kind="lt", rng_fmt="< {hi}"))
    row(d.q("Bilirubin gesamt", "mg/dl", None, "1,2", 2, "TBIL", kind="lt", rng_fmt="< {hi}"))
    d.sec("Schilddrüse")
    row(d.q("TSH", "mU/l", "0,40", "4,00", 2, "TSH"))
    row(d.q("fT4", "pmol/l", "12,0", "22,0", 1, "FT4_SI"))
    d.sec("Eisenstoffwechsel")
    row(d.q("Ferritin", "µg/l", "15", "150", 0, "FERRITIN"))
    row(d.q("Eisen", "µmol/l", "6,6", "26,0", 1, "IRON_SI"))
    d.gap(4)
    d.text("Kommentar: Bei erniedrigtem Ferritin und grenzwertigem Hämoglobin Eisenmangel wahrscheinlich.", size=7.5)
    return finish(d, lay, lh, ft, meta(
        "de", "Synthetischer deutscher Befund, Stil 2 (A4, DejaVu font): arrow column ↑/↓ BEFORE the parameter name, "
        "Parameter | Ergebnis | Einheit | Referenzbereich; G/l, T/l, l/l, µmol/l; out-of-range values bold; short "
        "dates '23.01.24'", "2024-01-23", "2024-01-24",
        "Arrows ↑/↓ are printed in a column left of the name -> flag H/L, flag_text the arrow; flagged values are bold "
        "(highlight 'bold'). Dates printed with two-digit year (23.01.24 = 2024-01-23). Quick (%) has no common LOINC code "
        "listed here.", ""))


# ---------------------------------------------------------------- fr-FR with Antériorités column
def fr_lumiere():
    d = Doc("fr_lumiere_bilan_anteriorites", SEED, comma=True, sex="M")
    lay = Layout(size=8.5, lead=12, bold_abnormal=True, columns=[
        ("name", "Analyse", 0, 160, "L"), ("result", "Résultat", 162, 50, "R"), ("unit", "Unité", 222, 78, "L"),
        ("range", "Valeurs de référence", 305, 105, "L"), ("prev", "Antériorités", 420, 95, "L")])
    lh = letterhead("Laboratoire de Biologie Médicale BIOLAB Lumière", [
        "18 rue de la République · 69002 Lyon · Tél. 04 78 55 21 30 · SELAS au capital de 40 000 €",
        "Biologistes : Dr Anne-Sophie Morel, Dr Julien Roux — Accréditation Cofrac n° 8-9999"], "COMPTE RENDU D'ANALYSES", [
        ("Patient :", "M. LEFEBVRE Olivier"), ("Né le :", "11/07/1972"), ("Sexe :", "Masculin"), ("N° dossier :", "240119-0412"),
        ("Prescripteur :", "Dr Claire Fontaine"), ("Prélèvement du :", "19/01/2024 à 08h05"), ("Reçu le :", "19/01/2024 à 09h20"),
        ("Edité le :", "19/01/2024 à 17h48")], pair_cols=2)
    ft = footer_std(["Les valeurs en gras sont en dehors des valeurs de référence. Antériorités : dernier résultat connu et sa date.",
                     "Compte rendu validé par Dr A.-S. Morel, biologiste médical. Ce document ne peut être reproduit que dans son intégralité."],
                    pagefmt="Page {p}/{n}", sign=["Dr Anne-Sophie Morel", "Biologiste médical"])
    import random as _r
    pr = _r.Random(f"{SEED}-fr-prev")
    dates = ["12/06/2023", "03/10/2023", "21/02/2023"]

    def row(r, sub=None):
        pv = ""
        if r["value"] is not None and pr.random() < 0.7:
            dec = len(r["value_text"].split(",")[1]) if "," in r["value_text"] else 0
            pv = f"{r['value'] * pr.uniform(0.8, 1.2):.{dec}f}".replace(".", ",") + " (" + pr.choice(dates) + ")"
        abn = r["_abn"] in ("H", "L")
        d.add(r, dict(name=r["original_name"], result=r["value_text"], unit=r["unit"] or "", range=r["ref_text"] or "",
                      prev=pv, abn=abn))
        if abn:
            r["highlight"] = "bold"
        if sub:
            d.text(sub, size=7, gap=1)

    d.sec("HÉMATOLOGIE")
    d.sec("Numération Formule Sanguine", 2)
    for a in [("Hématies", "T/L", "4,28", "6,00", 2, "RBC"), ("Hémoglobine", "g/dL", "13,0", "18,0", 1, "HGB"),
              ("Hématocrite", "%", "39", "53", 1, "HCT"), ("VGM", "fL", "78", "98", 1, "MCV"), ("TCMH", "pg", "26", "34", 1, "MCH"),
              ("CCMH", "g/dL", "31", "36,5", 1, "MCHC"), ("Leucocytes", "G/L", "4,00", "10,00", 2, "WBC"),
              ("Polynucléaires neutrophiles", "G/L", "1,80", "7,50", 2, "NEUT_ABS"), ("Lymphocytes", "G/L", "1,00", "4,00", 2, "LYMPH_ABS"),
              ("Plaquettes", "G/L", "150", "400", 0, "PLT")]:
        row(d.q(*a))
    d.sec("BIOCHIMIE SANGUINE")
    r = d.q("Glycémie à jeun", "g/L", "0,70", "1,10", 2, "GLU_FAST")
    row(r, f"   soit {r['value'] * 5.551:.2f} mmol/L".replace(".", ","))
    r = d.q("Créatinine", "mg/L", "7,2", "11,7", 1, "CREAT")
    row(r, f"   soit {r['value'] * 8.84:.0f} µmol/L")
    row(d.q("DFG estimé (CKD-EPI)", "mL/min/1,73m²", "90", None, 0, "EGFR", kind="gt"))
    row(d.q("Cholestérol total", "g/L", None, "2,00", 2, "CHOL", kind="lt"))
    row(d.q("Cholestérol HDL", "g/L", "0,40", None, 2, "HDL", kind="gt"))
    row(d.q("Cholestérol LDL calculé", "g/L", None, "1,60", 2, "LDL_CALC", kind="lt"))
    row(d.q("Triglycérides", "g/L", None, "1,50", 2, "TG", kind="lt"))
    row(d.q("ASAT (TGO)", "UI/L", None, "35", 0, "AST", kind="lt"))
    row(d.q("ALAT (TGP)", "UI/L", None, "45", 0, "ALT", kind="lt"))
    row(d.q("Gamma GT", "UI/L", "12", "64", 0, "GGT"))
    row(d.q("Protéine C réactive (CRP)", "mg/L", None, "5,0", 1, "CRP", kind="lt"))
    d.sec("HORMONOLOGIE")
    row(d.q("TSH ultrasensible", "mUI/L", "0,40", "4,00", 2, "TSH"))
    row(d.q("Ferritine", "ng/mL", "22", "275", 0, "FERRITIN"))
    d.gap(4)
    d.text("Commentaire du biologiste : bilan lipidique à contrôler dans 3 mois après mesures hygiéno-diététiques. "
           "Objectif LDL < 1,00 g/L selon le risque cardiovasculaire.", size=7.5)
    return finish(d, lay, lh, ft, meta(
        "fr", "Synthetic French LBM report (A4): Analyse | Résultat | Unité | Valeurs de référence | Antériorités; "
        "decimal commas; out-of-range values bold, no flag letters; conventional units g/L, G/L, T/L",
        "2024-01-19", "2024-01-19",
        "The 'Antériorités' column holds a PREVIOUS value with its date in brackets ('13,9 (12/06/2023)'): not a current "
        "result, no truth rows. Lines 'soit 5,27 mmol/L' / 'soit 80 µmol/L' under Glycémie and Créatinine are the same "
        "result in SI units: not separate results. No flag is printed (flag null); out-of-range values are bold "
        "(highlight 'bold'). Comment line contains '1,00 g/L' which is not a result.", ""))


# ---------------------------------------------------------------- it-IT
def it_sanmarco():
    d = Doc("it_sanmarco_emocromo_chimica", SEED, comma=True, sex="F")
    lay = Layout(size=8.5, lead=11.5, columns=[
        ("name", "Esame", 0, 165, "L"), ("result", "Risultato", 170, 50, "R"), ("flag", "", 226, 14, "L"),
        ("unit", "Unità di misura", 250, 70, "L"), ("range", "Valori di riferimento", 330, 150, "L")])
    lh = letterhead("Laboratorio Analisi Cliniche San Marco S.r.l.", [
        "Via Roma 45 · 20121 Milano · Tel. 02 5550 3344 · P.IVA 01234560157",
        "Direttore Sanitario: Dott.ssa Lucia Bernardi — Struttura accreditata SSN"], "REFERTO DI LABORATORIO", [
        ("Paziente:", "ROSSI GIULIA"), ("Data di nascita:", "14/02/1985"), ("Sesso:", "F"), ("Codice paziente:", "SM-0098123"),
        ("Medico richiedente:", "Dott. Marco Ferri"), ("Prelievo del:", "25/01/2024 07:35"), ("Accettazione:", "25/01/2024 07:35"),
        ("Data referto:", "26/01/2024")], pair_cols=2)
    ft = footer_std(["H = valore superiore, L = valore inferiore ai valori di riferimento.",
                     "Referto firmato digitalmente ai sensi del D.Lgs. 82/2005. Il presente referto non costituisce diagnosi."],
                    pagefmt="Pagina {p} di {n}", sign=["Il Direttore del Laboratorio", "Dott.ssa Lucia Bernardi"])

    def row(r, rng=None):
        f = flag(r, "HL")
        d.add(r, dict(name=r["original_name"], result=r["value_text"], flag=f, unit=r["unit"] or "",
                      range=rng if rng is not None else (r["ref_text"] or ""), abn=bool(f)))

    d.sec("EMOCROMO")
    r = d.q("Emoglobina", "g/dL", None, None, 1, "HGB", sexref={"M": ("13,5", "17,5"), "F": ("12,0", "16,0")})
    r["ref_text"] = "Uomini: 13,5 - 17,5 / Donne: 12,0 - 16,0"
    row(r, sexref_text(r, ("Uomini: {lo} - {hi}", "Donne: {lo} - {hi}")))
    for a in [("Globuli bianchi", "10^3/µL", "4,00", "10,00", 2, "WBC"), ("Globuli rossi", "10^6/µL", "4,00", "5,20", 2, "RBC"),
              ("Ematocrito", "%", "36,0", "46,0", 1, "HCT"), ("Volume corpuscolare medio (MCV)", "fL", "80", "99", 1, "MCV"),
              ("Piastrine", "10^3/µL", "150", "450", 0, "PLT"), ("Neutrofili", "%", "40,0", "75,0", 1, "NEUT_PCT"),
              ("Linfociti", "%", "20,0", "45,0", 1, "LYMPH_PCT"), ("Eosinofili", "%", "0,0", "6,0", 1, "EOS_PCT")]:
        row(d.q(*a))
    d.sec("CHIMICA CLINICA")
    row(d.q("Glucosio", "mg/dL", "70", "100", 0, "GLU"))
    row(d.q("Creatinina", "mg/dL", "0,51", "0,95", 2, "CREAT"))
    row(d.q("Azotemia", "mg/dL", "15", "50", 0, "UREA"))
    row(d.q("Colesterolo totale", "mg/dL", None, "200", 0, "CHOL", kind="lt", rng_fmt="< {hi}"))
    row(d.q("Colesterolo HDL", "mg/dL", "45", None, 0, "HDL", kind="gt", rng_fmt="> {lo}"))
    row(d.q("Trigliceridi", "mg/dL", None, "150", 0, "TG", kind="lt", rng_fmt="< {hi}"))
    row(d.q("AST (GOT)", "U/L", None, "32", 0, "AST", kind="lt", rng_fmt="< {hi}"))
    row(d.q("ALT (GPT)", "U/L", None, "33", 0, "ALT", kind="lt", rng_fmt="< {hi}"))
    row(d.q("Sideremia", "µg/dL", "37", "145", 0, "IRON"))
    row(d.q("Ferritina", "ng/mL", "13", "150", 0, "FERRITIN"))
    row(d.q("VES (velocità di eritrosedimentazione)", "mm/h", "2", "25", 0, "ESR"))
    d.sec("ESAME URINE COMPLETO")
    row(d.q("Peso specifico", None, "1,010", "1,030", 3, "U_SG"))
    row(d.q("pH", None, "5,0", "7,0", 1, "U_PH"))
    row(d.ql("Proteine", "Assenti", "Assenti", "U_PROT"))
    row(d.ql("Glucosio urinario", "Assente", "Assente", "U_GLU"))
    row(d.ql("Emoglobina urinaria", "Tracce", "Assente", "U_BLD"))
    d.gap(4)
    d.text("Nota: valori di colesterolo LDL desiderabili < 115 mg/dL in assenza di fattori di rischio.", size=7.5)
    return finish(d, lay, lh, ft, meta(
        "it", "Synthetic Italian private-lab report (A4): Esame | Risultato | H/L | Unità di misura | Valori di riferimento; "
        "decimal commas; units 10^3/µL", "2024-01-25", "2024-01-26",
        "H/L printed in a narrow column after the value. Sex-specific range for Emoglobina on two lines "
        "('Uomini: 13,5 - 17,5' / 'Donne: 12,0 - 16,0'): ref_low/high of the patient's sex (F). Urine qualitative results "
        "Assente/Assenti/Tracce are value_text only. Note line contains '115 mg/dL', not a result.", ""))


# ---------------------------------------------------------------- es-ES
def es_levante():
    d = Doc("es_levante_analitica", SEED, comma=True, sex="M")
    lay = Layout(size=8.5, lead=11.5, zebra=False, columns=[
        ("name", "Prueba", 0, 170, "L"), ("result", "Resultado", 175, 60, "R"), ("flag", "", 240, 28, "L"),
        ("unit", "Unidades", 275, 65, "L"), ("range", "Valores de referencia", 350, 140, "L")])
    lh = letterhead("Laboratorio Clínico Análisis Levante", [
        "Avda. de Aragón 30, 46021 Valencia · Tel. 963 55 01 22 · info@analisislevante.example.es",
        "Laboratorio autorizado por la Conselleria de Sanitat, n.º registro 46/1234"], "INFORME DE RESULTADOS", [
        ("Paciente:", "GARCÍA MARTÍNEZ, JAVIER"), ("Fecha nac.:", "30/10/1969"), ("Sexo:", "Hombre"), ("N.º historia:", "ALV-771203"),
        ("Médico:", "Dra. Elena Navarro Ruiz"), ("Fecha de extracción:", "29/01/2024"), ("Fecha de recepción:", "29/01/2024"),
        ("Fecha de validación:", "30/01/2024")], pair_cols=2)
    ft = footer_std(["Los resultados fuera del intervalo de referencia se indican como Alto / Bajo.",
                     "Informe validado por el facultativo responsable. Documento confidencial (RGPD)."],
                    pagefmt="Página {p} de {n}", sign=["Dr. Andrés Soler Vidal", "Facultativo especialista en Análisis Clínicos"])

    def row(r):
        f = flag(r, "es")
        d.add(r, dict(name=r["original_name"], result=r["value_text"], flag=f, unit=r["unit"] or "",
                      range=r["ref_text"] or "", abn=bool(f)))

    d.sec("HEMATOLOGÍA")
    d.sec("Hemograma", 2)
    for a in [("Hematíes", "x10^6/µL", "4,50", "5,90", 2, "RBC"), ("Hemoglobina", "g/dL", "13,5", "17,5", 1, "HGB"),
              ("Hematocrito", "%", "41,0", "53,0", 1, "HCT"), ("V.C.M.", "fL", "80,0", "100,0", 1, "MCV"),
              ("Leucocitos", "x10^3/µL", "4,0", "11,0", 2, "WBC"), ("Neutrófilos", "%", "40,0", "75,0", 1, "NEUT_PCT"),
              ("Linfocitos", "%", "20,0", "45,0", 1, "LYMPH_PCT"), ("Plaquetas", "x10^3/µL", "150", "400", 0, "PLT")]:
        row(d.q(*a))
    d.sec("BIOQUÍMICA")
    for a in [("Glucosa", "mg/dL", "74", "106", 0, "GLU"), ("Urea", "mg/dL", "17", "49", 0, "UREA"),
              ("Creatinina", "mg/dL", "0,70", "1,20", 2, "CREAT"), ("Ácido úrico", "mg/dL", "3,4", "7,0", 1, "URATE"),
              ("Colesterol total", "mg/dL", "110", "200", 0, "CHOL"), ("Colesterol HDL", "mg/dL", "40", "60", 0, "HDL"),
              ("Colesterol LDL", "mg/dL", "50", "130", 0, "LDL"), ("Triglicéridos", "mg/dL", "50", "150", 0, "TG"),
              ("GOT/AST", "U/L", "5", "40", 0, "AST"), ("GPT/ALT", "U/L", "5", "41", 0, "ALT"), ("GGT", "U/L", "10", "71", 0, "GGT"),
              ("Fosfatasa alcalina", "U/L", "40", "129", 0, "ALP"), ("Hierro", "µg/dL", "59", "158", 0, "IRON"),
              ("Ferritina", "ng/mL", "30", "400", 0, "FERRITIN")]:
        row(d.q(*a))
    d.sec("HORMONAS Y VITAMINAS")
    for a in [("TSH", "µUI/mL", "0,27", "4,20", 2, "TSH"), ("T4 libre", "ng/dL", "0,93", "1,70", 2, "FT4"),
              ("Vitamina B12", "pg/mL", "197", "771", 0, "B12"), ("Ácido fólico", "ng/mL", "3,9", "26,8", 1, "FOLATE")]:
        row(d.q(*a))
    d.gap(4)
    d.text("Comentario: Se recomienda repetir perfil lipídico en ayunas de 12 horas.", size=7.5)
    return finish(d, lay, lh, ft, meta(
        "es", "Synthetic Spanish clinical-lab report (A4): Prueba | Resultado | Alto/Bajo | Unidades | Valores de referencia; "
        "decimal commas; x10^3/µL", "2024-01-29", "2024-01-30",
        "Flag words 'Alto'/'Bajo' printed after the value -> H/L (flag_text the word). 'Fecha de extracción' = "
        "collection date. Comment line contains '12', not a result.", ""))


# ---------------------------------------------------------------- cumulative table, 3 collection dates
def cumulative():
    d = Doc("cumulative_riverside_3dates", SEED, sex="M")
    dates = [("10/02/2023", "2023-10-02"), ("01/15/2024", "2024-01-15"), ("04/22/2024", "2024-04-22")]
    lay = Layout(page=letter, size=8.5, lead=12.5, columns=[
        ("name", "Test", 0, 150, "L"), ("unit", "Units", 152, 70, "L"), ("range", "Ref Range", 224, 70, "L"),
        ("d0", dates[0][0], 300, 70, "R"), ("d1", dates[1][0], 380, 70, "R"), ("d2", dates[2][0], 460, 70, "R")])

    def extra(c, y):
        c.setFont("Helvetica", 7)
        for i, t in enumerate(["07:31", "08:02", "07:48"]):
            c.drawRightString(40 + 300 + 70 + i * 80, y - 2, f"Collected {t}")
        return y - 12
    lh = letterhead("RIVERSIDE REGIONAL MEDICAL CENTER", [
        "Department of Laboratory Medicine · 900 River Road, Harrisburg, PA 17101 · (717) 555-0190"],
        "CUMULATIVE LABORATORY REPORT", [
            ("Patient:", "DELGADO, MARCUS T"), ("MRN:", "RRM-4417720"), ("DOB / Sex:", "08/19/1959 / M"),
            ("Attending:", "Priya Shah, MD"), ("Location:", "Endocrinology Clinic"), ("Printed:", "04/23/2024 09:14")],
        page=letter, pair_cols=2, extra=extra)
    ft = footer_std(["H = above reference range, L = below reference range. -- = not performed on this date.",
                     "Riverside Regional Medical Center Laboratory, CLIA 39D0654321. Cumulative view of final results."],
                    page=letter, pagefmt="Page {p} of {n}")
    panels = [
        ("CHEMISTRY", [("Glucose", "mg/dL", "70", "99", 0, "GLU"), ("Hemoglobin A1c", "%", "4.0", "5.6", 1, "HBA1C"),
                       ("Creatinine", "mg/dL", "0.70", "1.30", 2, "CREAT"), ("eGFR", "mL/min/1.73m2", "60", None, 0, "EGFR"),
                       ("Sodium", "mmol/L", "136", "145", 0, "NA"), ("Potassium", "mmol/L", "3.5", "5.1", 1, "K"),
                       ("ALT", "U/L", "7", "56", 0, "ALT")]),
        ("LIPIDS", [("Cholesterol", "mg/dL", None, "200", 0, "CHOL"), ("HDL Cholesterol", "mg/dL", "40", None, 0, "HDL"),
                    ("LDL Cholesterol, Calc", "mg/dL", None, "100", 0, "LDL_CALC"), ("Triglycerides", "mg/dL", None, "150", 0, "TG")]),
        ("HEMATOLOGY / THYROID", [("Hemoglobin", "g/dL", "13.2", "17.1", 1, "HGB"), ("Platelets", "K/uL", "140", "400", 0, "PLT"),
                                  ("TSH", "mIU/L", "0.40", "4.50", 2, "TSH")])]
    missing = {("TSH", 0), ("ALT", 1), ("Hemoglobin", 2), ("Platelets", 2)}
    for title, items in panels:
        d.sec(title)
        for name, unit, lo, hi, dec, lc in items:
            kind = "range" if lo and hi else ("lt" if hi else "gt")
            fmt = {"range": "{lo}-{hi}", "lt": "<{hi}", "gt": ">={lo}"}[kind]
            rows, cells = [], dict(name=name, unit=unit)
            for i, (shown, iso) in enumerate(dates):
                r = d.q(name, unit, lo, hi, dec, lc, kind=kind, rng_fmt=fmt)
                cells["range"] = r["ref_text"]
                if (name, i) in missing:
                    cells[f"d{i}"] = "--"
                    continue
                f = flag(r, "HL")
                cells[f"d{i}"] = r["value_text"] + (f" {f}" if f else "")
                r["collection_date"] = iso
                rows.append(r)
            d.add(rows, cells)
    d.gap(6)
    d.text("Interpretive note: HbA1c goal for most adults with diabetes is <7.0%. eGFR >=60 is reported as a number "
           "when calculable (CKD-EPI 2021).", size=7)
    return finish(d, lay, lh, ft, meta(
        "en", "Synthetic US hospital cumulative report (Letter): one row per test, columns Test | Units | Ref Range and one "
        "value column per collection date (10/02/2023, 01/15/2024, 04/22/2024); flag letter appended to the value",
        None, None,
        "Cumulative table: each truth row carries its own collection_date (from the column header); top-level "
        "collection_date null; a correct split gives 3 documents. '--' = not performed (no truth row). '>=60' -> "
        "ref_low 60; '<200' -> ref_high 200. Interpretive note numbers are not results. Collection dates present: "
        "2023-10-02, 2024-01-15, 2024-04-22.", ""))


# ---------------------------------------------------------------- two side-by-side tables
def twocol():
    d = Doc("in_wellness_twocolumn", SEED, sex="M")
    cols = [("name", "Test", 0, 100, "L"), ("result", "Result", 102, 38, "R"), ("unit", "Unit", 146, 46, "L"),
            ("range", "Ref. Range", 194, 62, "L")]
    lay = Layout(size=7.5, lead=10, columns=cols, frames=[(36, 258), (304, 258)], bold_abnormal=True)
    lh = letterhead("CARE PLUS HEALTH CHECK-UP CENTRE", [
        "Plot 22, Sector 18, Gurugram, Haryana 122015  ·  Helpline 1800-000-2xx4  ·  www.careplus.example.in"],
        "EXECUTIVE HEALTH PACKAGE - SUMMARY OF RESULTS", [
            ("Name:", "Mr. ARJUN MEHTA"), ("Age / Sex:", "45 Yrs / Male"), ("Booking ID:", "CPH-2402-00917"),
            ("Referred by:", "Self (Corporate)"), ("Collected on:", "2024-02-03 07:20"), ("Reported on:", "2024-02-03 18:05")],
        pair_cols=2)
    ft = footer_std(["Values in bold are outside the reference range. Please consult your physician.",
                     "CarePlus Health Check-up Centre - a unit of CarePlus Diagnostics Pvt. Ltd."], pagefmt="Page {p} of {n}",
                    sign=["Dr. Nidhi Arora, MD Pathology"])

    def row(r):
        abn = r["_abn"] in ("H", "L")
        d.add(r, dict(name=r["original_name"], result=r["value_text"], unit=r["unit"] or "", range=r["ref_text"] or "", abn=abn))
        if abn:
            r["highlight"] = "bold"

    d.sec("HAEMATOLOGY")
    for a in [("Haemoglobin", "g/dL", "13.0", "17.0", 1, "HGB"), ("Total RBC", "mill/cumm", "4.5", "5.5", 2, "RBC"),
              ("Haematocrit (PCV)", "%", "40", "50", 1, "HCT"), ("MCV", "fL", "83", "101", 1, "MCV"),
              ("MCH", "pg", "27", "32", 1, "MCH"), ("MCHC", "g/dL", "31.5", "34.5", 1, "MCHC"),
              ("Total WBC", "/cumm", "4000", "10000", 0, "WBC"), ("Neutrophils", "%", "40", "80", 0, "NEUT_PCT"),
              ("Lymphocytes", "%", "20", "40", 0, "LYMPH_PCT"), ("Monocytes", "%", "2", "10", 0, "MONO_PCT"),
              ("Eosinophils", "%", "1", "6", 0, "EOS_PCT"), ("Platelets", "lakh/cumm", "1.5", "4.1", 2, "PLT"),
              ("ESR", "mm/hr", "0", "15", 0, "ESR")]:
        row(d.q(*a, rng_fmt="{lo}-{hi}"))
    d.colbreak()
    d.sec("BIOCHEMISTRY")
    for a in [("Fasting Glucose", "mg/dL", "70", "100", 0, "GLU_FAST"), ("HbA1c", "%", "4.0", "5.6", 1, "HBA1C"),
              ("Urea", "mg/dL", "17", "43", 0, "UREA"), ("Creatinine", "mg/dL", "0.7", "1.3", 2, "CREAT"),
              ("Uric Acid", "mg/dL", "3.5", "7.2", 1, "URATE"), ("Total Cholesterol", "mg/dL", "0", "200", 0, "CHOL"),
              ("Triglycerides", "mg/dL", "0", "150", 0, "TG"), ("HDL Cholesterol", "mg/dL", "40", "60", 0, "HDL"),
              ("LDL Cholesterol", "mg/dL", "0", "100", 0, "LDL"), ("SGOT (AST)", "U/L", "0", "40", 0, "AST"),
              ("SGPT (ALT)", "U/L", "0", "41", 0, "ALT"), ("Total Bilirubin", "mg/dL", "0.3", "1.2", 2, "TBIL"),
              ("TSH", "µIU/mL", "0.35", "5.50", 2, "TSH"), ("Vitamin D (25-OH)", "ng/mL", "30", "100", 1, "VITD"),
              ("Vitamin B12", "pg/mL", "211", "911", 0, "B12")]:
        row(d.q(*a, rng_fmt="{lo}-{hi}"))
    return finish(d, lay, lh, ft, meta(
        "en", "Synthetic Indian health-check summary (A4): two side-by-side tables on one page (HAEMATOLOGY left, "
        "BIOCHEMISTRY right), each Test | Result | Unit | Ref. Range, small font; ISO dates", "2024-02-03", "2024-02-03",
        "Two-column page layout: rows of the left and right tables share baselines but are separate results. No flag "
        "printed (flag null); out-of-range values bold (highlight 'bold').", ""))


# ---------------------------------------------------------------- LIS printout without table headers
def noheader():
    d = Doc("us_staugustine_lis_noheader", SEED, sex="F")
    F, FB = "Courier", "Courier-Bold"
    lay = Layout(page=letter, font=F, bold=FB, size=8.5, lead=11, header_line=None, columns=[
        ("name", None, 10, 170, "L"), ("result", None, 185, 50, "R"), ("flag", None, 242, 20, "L"),
        ("unit", None, 270, 80, "L"), ("range", None, 355, 110, "L")])
    lh = letterhead("ST. AUGUSTINE COMMUNITY HOSPITAL - CLINICAL LABORATORY", [
        "2100 Anastasia Blvd, St. Augustine, FL 32080     (904) 555-0133"], None, [
            ("PATIENT:", "WHITFIELD, DOROTHY A"), ("MRN:", "000873321"), ("DOB:", "Jun 02, 1948"), ("AGE/SEX:", "75Y F"),
            ("PHYSICIAN:", "BAKER, THOMAS MD"), ("ROOM:", "3W-312"), ("COLLECTED:", "Feb 12, 2024 05:40"),
            ("RECEIVED:", "Feb 12, 2024 06:05"), ("REPORTED:", "Feb 12, 2024 08:22"), ("ACCESSION:", "24-043-0117")],
        font=F, bold=FB, lab_size=11, pair_cols=2)
    ft = footer_std(["*** CONTINUED ON NEXT PAGE IF INDICATED ***  H=HIGH L=LOW  RESULTS VERIFIED BY: MLS K. ORTEGA",
                     "ST. AUGUSTINE COMMUNITY HOSPITAL LABORATORY  CLIA 10D0777001"], font=F, page=letter,
                    pagefmt="PAGE {p} OF {n}")

    def row(r):
        f = flag(r, "HL")
        d.add(r, dict(name=r["original_name"], result=r["value_text"], flag=f, unit=r["unit"] or "", range=r["ref_text"] or ""))

    d.sec("---------- CHEMISTRY ----------")
    for a in [("SODIUM", "mmol/L", "136", "145", 0, "NA"), ("POTASSIUM", "mmol/L", "3.5", "5.1", 1, "K"),
              ("CHLORIDE", "mmol/L", "98", "107", 0, "CL"), ("CO2", "mmol/L", "22", "29", 0, "CO2"),
              ("BUN", "mg/dL", "8", "23", 0, "BUN"), ("CREATININE", "mg/dL", "0.50", "1.00", 2, "CREAT"),
              ("GLUCOSE", "mg/dL", "74", "106", 0, "GLU"), ("CALCIUM", "mg/dL", "8.6", "10.3", 1, "CA"),
              ("MAGNESIUM", "mg/dL", "1.6", "2.6", 1, "MG"), ("PHOSPHORUS", "mg/dL", "2.5", "4.5", 1, "PHOS"),
              ("TROPONIN I", "ng/mL", "0.00", "0.04", 2, None)]:
        if a[5] is None:
            continue
        row(d.q(*a, rng_fmt="{lo}-{hi}"))
    row(d.bound("TROPONIN I HS", "<0.01", "ng/mL", "TROPI", "0.00-0.04", 0.0, 0.04))
    row(d.q("BNP", "pg/mL", None, "100", 0, "BNP", kind="lt", rng_fmt="<{hi}"))
    d.sec("---------- HEMATOLOGY ----------")
    for a in [("WBC", "K/uL", "4.5", "11.0", 1, "WBC"), ("RBC", "M/uL", "4.00", "5.20", 2, "RBC"),
              ("HGB", "g/dL", "12.0", "16.0", 1, "HGB"), ("HCT", "%", "36.0", "46.0", 1, "HCT"),
              ("MCV", "fL", "80", "100", 1, "MCV"), ("PLT", "K/uL", "150", "400", 0, "PLT"),
              ("NEUT %", "%", "40.0", "74.0", 1, "NEUT_PCT"), ("LYMPH %", "%", "19.0", "48.0", 1, "LYMPH_PCT")]:
        row(d.q(*a, rng_fmt="{lo}-{hi}"))
    d.sec("---------- COAGULATION ----------")
    row(d.q("PROTIME", "sec", "11.7", "14.5", 1, "PT", rng_fmt="{lo}-{hi}"))
    row(d.q("INR", None, "0.9", "1.1", 2, "INR", rng_fmt="{lo}-{hi}"))
    row(d.q("APTT", "sec", "25.0", "36.5", 1, "APTT", rng_fmt="{lo}-{hi}"))
    d.gap(6)
    d.text("COMMENT: INR THERAPEUTIC RANGE FOR WARFARIN 2.0-3.0. CRITICAL VALUES CALLED TO RN J. SIMMS 02/12/24 0815.",
           size=8, font=F)
    return finish(d, lay, lh, ft, meta(
        "en", "Synthetic US hospital LIS printout (Letter, Courier monospace): no table headers at all; each line is "
        "NAME  VALUE  FLAG  UNIT  RANGE separated by spacing; dashed section banners; dates 'Feb 12, 2024'",
        "2024-02-12", "2024-02-12",
        "No column headers. '<0.01' troponin is a bound (value null). INR has no unit (null). Comment line numbers "
        "(2.0-3.0, 02/12/24, 0815) are not results.", ""))


# ---------------------------------------------------------------- images and main
IMAGES = [  # (source stem, output name, kind, dpi, rotation degrees)
    ("gb_northgate_fbc_ue_lft", "photo_gb_northgate_fbc_ue_lft.jpg", "photo", 170, 1.4),
    ("es_levante_analitica", "photo_es_levante_analitica.jpg", "photo", 160, -1.8),
    ("de_brenner_blutbild_chemie", "scan_de_brenner_blutbild_chemie.png", "scan", 170, 0.6),
    ("in_balaji_cbc_thyroid", "scan_in_balaji_cbc_thyroid.png", "scan", 150, -0.9),
]


def image_versions():
    import json
    for src, name, kind, dpi, angle in IMAGES:
        degrade(f"{OUT}/files/{src}.pdf", f"{OUT}/files/{name}", kind, SEED, dpi=dpi, angle=angle)
        stem, ext = name.rsplit(".", 1)
        truth = json.load(open(f"{OUT}/truth/{src}.json", encoding="utf-8"))
        loinc = json.load(open(f"{OUT}/loinc/{src}.json", encoding="utf-8"))
        keep = [i for i, r in enumerate(truth["results"]) if r["page"] == 1]
        truth["results"] = [truth["results"][i] for i in keep]
        rows = []
        for j, i in enumerate(keep):
            row = dict(loinc["rows"][i])
            row["i"] = j
            rows.append(row)
        loinc["rows"] = rows
        loinc["truth"] = f"synth/truth/{stem}.json"
        truth.update(file=name, mime_type="image/jpeg" if ext == "jpg" else "image/png", has_text_layer=False,
                     coverage="page 1 only",
                     derived=f"{'photo-like JPEG (q60)' if kind == 'photo' else 'grey-scale scan PNG'} of page 1 of "
                             f"{src}.pdf: {dpi} dpi, rotation {angle} deg, noise, blur")
        for path, obj in ((f"{OUT}/truth/{stem}.json", truth), (f"{OUT}/loinc/{stem}.json", loinc)):
            with open(path, "w", encoding="utf-8") as f:
                json.dump(obj, f, indent=1, ensure_ascii=False)
                f.write("\n")


DOCS = [us_meridian, gb_northgate, in_balaji, in_lifeline, de_brenner, de_nordhafen, fr_lumiere, it_sanmarco,
        es_levante, cumulative, twocol, noheader]


def main():
    for sub in ("files", "truth", "loinc"):
        os.makedirs(f"{OUT}/{sub}", exist_ok=True)
    total = 0
    for make in DOCS:
        t = make()
        total += len(t["results"])
        oor = sum(1 for r in t["results"] if r.get("flag") or r.get("highlight"))
        print(f"{t['file']:45s} {t['language']} rows {len(t['results']):3d}  {t['coverage']}  marked {oor}")
    image_versions()
    print(f"{len(DOCS)} PDFs + {len(IMAGES)} images, {total} PDF truth rows")


if __name__ == "__main__":
    main()
