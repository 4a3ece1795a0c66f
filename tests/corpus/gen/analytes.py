"""Analyte table of the randomized generator: names per language, units per convention, ranges, LOINC.

Everything here is written out by hand (nothing is read at run time). LOINC codes are listed only where
the code is certain given the unit (mass vs substance concentration); `[]` otherwise.

Per analyte:
  key: (section, kind, {lang: "name|synonym|..."}, {system: (unit, lo, hi, decimals, loinc, sex)}).
  kind: range (two-sided), lt (upper bound only: `<200`), gt (lower bound only: `>40`).
  system: "US" (conventional: mg/dL, g/dL) or "SI" (mmol/L, µmol/L, g/L); a value of "*" applies to both.
  sex: None, or {"M": (lo, hi), "F": (lo, hi)} overriding lo/hi (printed on two lines when the document
  prints sex-specific ranges).
  Unit "COUNT3"/"COUNT6" are placeholders for the document's cell-count convention (see COUNT_UNITS).
"""

LANGS = ["en-US", "en-GB", "en-IN", "de", "fr", "it", "es", "pt", "nl"]


def base(lang):
    return "en" if lang.startswith("en") else lang


# name lists: first entry is the most common; "en-GB" / "en-IN" entries override "en".
A = {}


def analyte(key, section, kind, names, units):
    A[key] = dict(key=key, section=section, kind=kind, names=names, units=units)


S = lambda **kw: kw  # noqa: E731

analyte("HGB", "HEM", "range", S(
    en="Hemoglobin|Hb|HGB|Hemoglobin (Hb)", **{"en-GB": "Haemoglobin|Hb|Haemoglobin (Hb)"},
    de="Hämoglobin|Hb|Haemoglobin", fr="Hémoglobine|Hb", it="Emoglobina|Hb|Emoglobina (Hb)",
    es="Hemoglobina|Hb|HGB", pt="Hemoglobina|Hb", nl="Hemoglobine|Hb"),
    {"US": ("g/dL", 13.0, 17.0, 1, ["718-7"], {"M": (13.0, 17.0), "F": (12.0, 15.5)}),
     "SI": ("g/L", 130, 170, 0, ["718-7"], {"M": (130, 170), "F": (120, 155)})})
analyte("RBC", "HEM", "range", S(
    en="Red Blood Cell Count|RBC|RBC Count|Erythrocytes", **{"en-GB": "Red cell count|RBC|Red Blood Cells",
                                                          "en-IN": "Total RBC Count|RBC Count|R.B.C."},
    de="Erythrozyten|Ery|Erythrozytenzahl", fr="Hématies|Érythrocytes|Globules rouges",
    it="Globuli rossi|Eritrociti|GR", es="Hematíes|Eritrocitos|Glóbulos rojos", pt="Eritrócitos|Hemácias",
    nl="Erytrocyten|Ery"),
    {"*": ("COUNT6", 4.50, 5.90, 2, ["789-8", "26453-1"], {"M": (4.50, 5.90), "F": (3.90, 5.20)})})
analyte("HCT", "HEM", "range", S(
    en="Hematocrit|HCT|Hct|Packed Cell Volume", **{"en-GB": "Haematocrit|HCT|Hct", "en-IN": "Packed Cell Volume (PCV)|PCV|Hematocrit"},
    de="Hämatokrit|Hkt|HKT", fr="Hématocrite|Ht", it="Ematocrito|Ht|HCT", es="Hematocrito|Hto|HCT",
    pt="Hematócrito|Ht", nl="Hematocriet|Ht"),
    {"US": ("%", 40.0, 52.0, 1, ["4544-3", "20570-8"], {"M": (40.0, 52.0), "F": (36.0, 46.0)}),
     "SI": ("L/L", 0.40, 0.52, 2, ["4544-3", "20570-8"], {"M": (0.40, 0.52), "F": (0.36, 0.46)})})
analyte("MCV", "HEM", "range", S(
    en="MCV|Mean Corpuscular Volume|Mean Cell Volume", de="MCV|MCV (mittl. Zellvolumen)", fr="VGM|V.G.M.",
    it="MCV|Volume corpuscolare medio", es="VCM|Volumen corpuscular medio", pt="VCM|Volume corpuscular médio",
    nl="MCV"),
    {"*": ("fL", 80.0, 100.0, 1, ["787-2", "30428-7"], None)})
analyte("MCH", "HEM", "range", S(
    en="MCH|Mean Corpuscular Hemoglobin", **{"en-GB": "MCH|Mean Cell Haemoglobin"}, de="MCH", fr="TCMH|T.C.M.H.",
    it="MCH", es="HCM|Hemoglobina corpuscular media", pt="HCM", nl="MCH"),
    {"*": ("pg", 27.0, 33.0, 1, ["785-6", "28539-5"], None)})
analyte("MCHC", "HEM", "range", S(
    en="MCHC|Mean Corpuscular Hb Conc.", de="MCHC", fr="CCMH|C.C.M.H.", it="MCHC", es="CHCM", pt="CHCM", nl="MCHC"),
    {"US": ("g/dL", 32.0, 36.0, 1, ["786-4", "28540-3"], None),
     "SI": ("g/L", 320, 360, 0, ["786-4", "28540-3"], None)})
analyte("RDW", "HEM", "range", S(
    en="RDW|RDW-CV|Red Cell Distribution Width", de="RDW|Ery-Verteilungsbreite", fr="IDR|IDR-CV",
    it="RDW|RDW-CV", es="ADE|RDW", pt="RDW", nl="RDW"),
    {"*": ("%", 11.5, 14.5, 1, ["788-0", "30385-9"], None)})
analyte("WBC", "HEM", "range", S(
    en="White Blood Cell Count|WBC|Leukocytes|WBC Count", **{"en-GB": "White cell count|WBC|White Blood Cells",
                                                          "en-IN": "Total Leucocyte Count|TLC|Total WBC Count"},
    de="Leukozyten|Leuko|Leukozytenzahl", fr="Leucocytes|Globules blancs", it="Globuli bianchi|Leucociti|GB",
    es="Leucocitos", pt="Leucócitos", nl="Leukocyten|Leuco's"),
    {"*": ("COUNT3", 4.0, 11.0, 1, ["6690-2", "26464-8"], None)})
analyte("PLT", "HEM", "range", S(
    en="Platelet Count|Platelets|PLT", **{"en-IN": "Platelet Count|Platelets"}, de="Thrombozyten|Thrombo",
    fr="Plaquettes|Numération plaquettaire", it="Piastrine|PLT", es="Plaquetas", pt="Plaquetas", nl="Trombocyten|Thrombo's"),
    {"*": ("COUNT3", 150, 400, 0, ["777-3", "26515-7"], None)})
analyte("MPV", "HEM", "range", S(
    en="MPV|Mean Platelet Volume", de="MPV", fr="VPM", it="MPV", es="VPM", pt="VPM", nl="MPV"),
    {"*": ("fL", 7.5, 11.5, 1, ["32623-1", "28542-9"], None)})
analyte("NEUT_PCT", "DIFF", "range", S(
    en="Neutrophils|Neutrophils %|Neut %", de="Neutrophile|Neutrophile Granulozyten", fr="Polynucléaires neutrophiles|Neutrophiles",
    it="Neutrofili|Neutrofili %", es="Neutrófilos|Neutrófilos %", pt="Neutrófilos", nl="Neutrofielen|Neutrofiele granulocyten"),
    {"*": ("%", 40.0, 75.0, 1, ["770-8", "26511-6"], None)})
analyte("LYMPH_PCT", "DIFF", "range", S(
    en="Lymphocytes|Lymphocytes %|Lymph %", de="Lymphozyten", fr="Lymphocytes", it="Linfociti|Linfociti %",
    es="Linfocitos|Linfocitos %", pt="Linfócitos", nl="Lymfocyten"),
    {"*": ("%", 20.0, 45.0, 1, ["736-9", "26478-8"], None)})
analyte("MONO_PCT", "DIFF", "range", S(
    en="Monocytes|Monocytes %|Mono %", de="Monozyten", fr="Monocytes", it="Monociti", es="Monocitos", pt="Monócitos",
    nl="Monocyten"),
    {"*": ("%", 2.0, 10.0, 1, ["5905-5", "26485-3"], None)})
analyte("EOS_PCT", "DIFF", "range", S(
    en="Eosinophils|Eosinophils %|Eos %", de="Eosinophile|Eosinophile Granulozyten", fr="Polynucléaires éosinophiles|Éosinophiles",
    it="Eosinofili", es="Eosinófilos", pt="Eosinófilos", nl="Eosinofielen"),
    {"*": ("%", 1.0, 6.0, 1, ["713-8", "26450-7"], None)})
analyte("BASO_PCT", "DIFF", "range", S(
    en="Basophils|Basophils %|Baso %", de="Basophile", fr="Polynucléaires basophiles|Basophiles", it="Basofili",
    es="Basófilos", pt="Basófilos", nl="Basofielen"),
    {"*": ("%", 0.0, 2.0, 1, ["706-2", "30180-4"], None)})
analyte("NEUT_ABS", "DIFF", "range", S(
    en="Absolute Neutrophil Count|Neutrophils (Abs)|ANC", de="Neutrophile absolut|Neutrophile abs.",
    fr="Neutrophiles (valeur absolue)|Neutrophiles abs.", it="Neutrofili (assoluti)|Neutrofili #",
    es="Neutrófilos (absolutos)|Neutrófilos abs.", pt="Neutrófilos absolutos|Neutrófilos abs.", nl="Neutrofielen absoluut|Neutrofielen abs."),
    {"*": ("COUNT3", 2.0, 7.5, 2, ["751-8", "26499-4"], None)})
analyte("LYMPH_ABS", "DIFF", "range", S(
    en="Absolute Lymphocyte Count|Lymphocytes (Abs)|ALC", de="Lymphozyten absolut|Lymphozyten abs.",
    fr="Lymphocytes (valeur absolue)|Lymphocytes abs.", it="Linfociti (assoluti)|Linfociti #",
    es="Linfocitos (absolutos)|Linfocitos abs.", pt="Linfócitos absolutos|Linfócitos abs.", nl="Lymfocyten absoluut|Lymfocyten abs."),
    {"*": ("COUNT3", 1.0, 4.0, 2, ["731-0", "26474-7"], None)})
analyte("ESR", "HEM", "lt", S(
    en="Erythrocyte Sedimentation Rate|ESR|Sed Rate", de="BSG|Blutsenkung (1h)|Blutkörperchensenkung",
    fr="VS|Vitesse de sédimentation", it="VES|Velocità di eritrosedimentazione", es="VSG|Velocidad de sedimentación",
    pt="VHS|Velocidade de hemossedimentação", nl="BSE|Bezinking"),
    {"*": ("mm/h", None, 20, 0, ["4537-7", "30341-2"], None)})
analyte("GLU", "CHEM", "range", S(
    en="Glucose|Glucose, Fasting|Blood Glucose", **{"en-IN": "Fasting Blood Sugar|Glucose Fasting|Blood Sugar (Fasting)",
                                                 "en-GB": "Glucose|Plasma glucose|Fasting glucose"},
    de="Glukose|Glucose|Glucose nüchtern", fr="Glycémie|Glucose|Glycémie à jeun", it="Glicemia|Glucosio",
    es="Glucosa|Glucemia|Glucosa basal", pt="Glicose|Glicemia|Glicose em jejum", nl="Glucose|Glucose nuchter"),
    {"US": ("mg/dL", 70, 99, 0, ["2345-7", "1558-6"], None),
     "SI": ("mmol/L", 3.9, 5.5, 1, ["14749-6", "14771-0"], None)})
analyte("BUN", "CHEM", "range", S(en="Blood Urea Nitrogen|BUN|Urea Nitrogen"),
        {"US": ("mg/dL", 7, 20, 0, ["3094-0"], None)})
analyte("UREA", "CHEM", "range", S(
    en="Urea|Serum Urea|Blood Urea", de="Harnstoff", fr="Urée|Urémie", it="Urea|Azotemia", es="Urea", pt="Ureia",
    nl="Ureum"),
    {"US": ("mg/dL", 15, 45, 0, ["3091-6"], None), "SI": ("mmol/L", 2.5, 7.8, 1, ["22664-7"], None)})
analyte("CREAT", "CHEM", "range", S(
    en="Creatinine|Serum Creatinine|Creat", de="Kreatinin|Creatinin", fr="Créatinine|Créatininémie", it="Creatinina",
    es="Creatinina", pt="Creatinina", nl="Kreatinine|Creatinine"),
    {"US": ("mg/dL", 0.70, 1.30, 2, ["2160-0"], {"M": (0.70, 1.30), "F": (0.55, 1.02)}),
     "SI": ("µmol/L", 62, 106, 0, ["14682-9"], {"M": (62, 106), "F": (44, 80)})})
analyte("URATE", "CHEM", "range", S(
    en="Uric Acid|Urate|Serum Uric Acid", de="Harnsäure", fr="Acide urique|Uricémie", it="Acido urico|Uricemia",
    es="Ácido úrico", pt="Ácido úrico", nl="Urinezuur"),
    {"US": ("mg/dL", 3.4, 7.0, 1, ["3084-1"], {"M": (3.4, 7.0), "F": (2.4, 5.7)}),
     "SI": ("µmol/L", 202, 416, 0, ["14933-6"], {"M": (202, 416), "F": (143, 339)})})
analyte("NA", "ELEC", "range", S(
    en="Sodium|Na|Sodium (Na+)|Serum Sodium", de="Natrium|Na", fr="Sodium|Natrémie", it="Sodio|Na", es="Sodio",
    pt="Sódio", nl="Natrium"),
    {"*": ("mmol/L", 135, 145, 0, ["2951-2"], None)})
analyte("K", "ELEC", "range", S(
    en="Potassium|K|Potassium (K+)|Serum Potassium", de="Kalium|K", fr="Potassium|Kaliémie", it="Potassio|K",
    es="Potasio", pt="Potássio", nl="Kalium"),
    {"*": ("mmol/L", 3.5, 5.1, 1, ["2823-3"], None)})
analyte("CL", "ELEC", "range", S(
    en="Chloride|Cl|Serum Chloride", de="Chlorid|Cl", fr="Chlore|Chlorures", it="Cloro|Cloruri", es="Cloro|Cloruro",
    pt="Cloro|Cloreto", nl="Chloride"),
    {"*": ("mmol/L", 98, 107, 0, ["2075-0"], None)})
analyte("CO2", "ELEC", "range", S(
    en="Carbon Dioxide|CO2, Total|Bicarbonate", de="Bicarbonat|Hydrogencarbonat", fr="Bicarbonates|CO2 total",
    it="Bicarbonato", es="Bicarbonato", pt="Bicarbonato", nl="Bicarbonaat"),
    {"*": ("mmol/L", 22, 29, 0, ["2028-9", "1963-8"], None)})
analyte("CA", "ELEC", "range", S(
    en="Calcium|Total Calcium|Calcium, Serum", de="Calcium|Kalzium", fr="Calcium|Calcémie", it="Calcio|Calcemia",
    es="Calcio", pt="Cálcio", nl="Calcium"),
    {"US": ("mg/dL", 8.6, 10.3, 1, ["17861-6"], None), "SI": ("mmol/L", 2.15, 2.55, 2, ["2000-8"], None)})
analyte("MG", "ELEC", "range", S(
    en="Magnesium|Mg", de="Magnesium", fr="Magnésium|Magnésémie", it="Magnesio", es="Magnesio", pt="Magnésio",
    nl="Magnesium"),
    {"US": ("mg/dL", 1.7, 2.4, 1, ["19123-9"], None), "SI": ("mmol/L", 0.70, 1.05, 2, ["2601-3"], None)})
analyte("PHOS", "ELEC", "range", S(
    en="Phosphorus|Phosphate|Inorganic Phosphorus", de="Phosphat|Phosphat anorg.", fr="Phosphore|Phosphates",
    it="Fosforo|Fosfatemia", es="Fósforo", pt="Fósforo", nl="Fosfaat"),
    {"US": ("mg/dL", 2.5, 4.5, 1, ["2777-1"], None), "SI": ("mmol/L", 0.81, 1.45, 2, ["14879-1"], None)})
analyte("TP", "LIVER", "range", S(
    en="Total Protein|Protein, Total|Serum Protein", de="Gesamteiweiß|Eiweiß gesamt|Gesamtprotein",
    fr="Protéines totales|Protides totaux", it="Proteine totali", es="Proteínas totales", pt="Proteínas totais",
    nl="Totaal eiwit|Eiwit totaal"),
    {"US": ("g/dL", 6.0, 8.3, 1, ["2885-2"], None), "SI": ("g/L", 60, 83, 0, ["2885-2"], None)})
analyte("ALB", "LIVER", "range", S(
    en="Albumin|Alb|Serum Albumin", de="Albumin", fr="Albumine|Albuminémie", it="Albumina", es="Albúmina",
    pt="Albumina", nl="Albumine"),
    {"US": ("g/dL", 3.5, 5.2, 1, ["1751-7", "61151-7"], None), "SI": ("g/L", 35, 52, 0, ["1751-7", "61151-7"], None)})
analyte("TBIL", "LIVER", "range", S(
    en="Total Bilirubin|Bilirubin, Total|Bilirubin Total", de="Bilirubin gesamt|Gesamtbilirubin",
    fr="Bilirubine totale", it="Bilirubina totale", es="Bilirrubina total", pt="Bilirrubina total",
    nl="Bilirubine totaal|Totaal bilirubine"),
    {"US": ("mg/dL", 0.3, 1.2, 1, ["1975-2"], None), "SI": ("µmol/L", 5, 21, 0, ["14631-6"], None)})
analyte("DBIL", "LIVER", "lt", S(
    en="Direct Bilirubin|Bilirubin, Direct|Conjugated Bilirubin", de="Bilirubin direkt|Direktes Bilirubin",
    fr="Bilirubine conjuguée|Bilirubine directe", it="Bilirubina diretta", es="Bilirrubina directa",
    pt="Bilirrubina direta", nl="Bilirubine direct|Geconjugeerd bilirubine"),
    {"US": ("mg/dL", None, 0.3, 2, ["1968-7"], None), "SI": ("µmol/L", None, 5, 1, ["14629-0"], None)})
analyte("ALP", "LIVER", "range", S(
    en="Alkaline Phosphatase|ALP|Alk Phos", de="Alkalische Phosphatase|AP", fr="Phosphatases alcalines|PAL",
    it="Fosfatasi alcalina|ALP", es="Fosfatasa alcalina|FA", pt="Fosfatase alcalina|FA", nl="Alkalische fosfatase|AF"),
    {"*": ("U/L", 40, 129, 0, ["6768-6"], None)})
analyte("AST", "LIVER", "range", S(
    en="AST|Aspartate Aminotransferase|SGOT|AST (SGOT)", de="GOT|AST|GOT (AST)|ASAT", fr="ASAT|TGO|ASAT (TGO)",
    it="AST|GOT|AST (GOT)", es="GOT|AST|GOT (AST)", pt="AST|TGO|AST (TGO)", nl="ASAT|ASAT (GOT)"),
    {"*": ("U/L", 10, 40, 0, ["1920-8"], None)})
analyte("ALT", "LIVER", "range", S(
    en="ALT|Alanine Aminotransferase|SGPT|ALT (SGPT)", de="GPT|ALT|GPT (ALT)|ALAT", fr="ALAT|TGP|ALAT (TGP)",
    it="ALT|GPT|ALT (GPT)", es="GPT|ALT|GPT (ALT)", pt="ALT|TGP|ALT (TGP)", nl="ALAT|ALAT (GPT)"),
    {"*": ("U/L", 10, 41, 0, ["1742-6"], None)})
analyte("GGT", "LIVER", "range", S(
    en="GGT|Gamma GT|Gamma-Glutamyl Transferase", de="Gamma-GT|GGT|γ-GT", fr="Gamma GT|GGT|Gamma-glutamyl-transférase",
    it="Gamma GT|GGT", es="GGT|Gamma GT", pt="Gama GT|GGT", nl="Gamma-GT|GGT"),
    {"*": ("U/L", 8, 61, 0, ["2324-2"], {"M": (8, 61), "F": (5, 36)})})
analyte("LDH", "LIVER", "range", S(
    en="LDH|Lactate Dehydrogenase|LD", de="LDH|Laktatdehydrogenase", fr="LDH|Lactate déshydrogénase",
    it="LDH|Lattato deidrogenasi", es="LDH|Lactato deshidrogenasa", pt="LDH|Desidrogenase láctica", nl="LD|LDH"),
    {"*": ("U/L", 135, 225, 0, ["2532-0"], None)})
analyte("CK", "LIVER", "range", S(
    en="Creatine Kinase|CK|CPK", de="CK|Kreatinkinase|CK gesamt", fr="CK|CPK|Créatine kinase", it="CK|CPK",
    es="CK|Creatina quinasa", pt="CK|Creatinoquinase", nl="CK|Creatinekinase"),
    {"*": ("U/L", 39, 308, 0, ["2157-6"], {"M": (39, 308), "F": (26, 192)})})
analyte("CHOL", "LIPID", "lt", S(
    en="Total Cholesterol|Cholesterol|Cholesterol, Total", de="Cholesterin|Gesamtcholesterin|Cholesterin gesamt",
    fr="Cholestérol total", it="Colesterolo totale|Colesterolo", es="Colesterol total", pt="Colesterol total",
    nl="Totaal cholesterol|Cholesterol totaal"),
    {"US": ("mg/dL", None, 200, 0, ["2093-3"], None), "SI": ("mmol/L", None, 5.2, 2, ["14647-2"], None)})
analyte("TG", "LIPID", "lt", S(
    en="Triglycerides|Triglyceride", de="Triglyceride", fr="Triglycérides", it="Trigliceridi", es="Triglicéridos",
    pt="Triglicerídeos|Triglicérides", nl="Triglyceriden"),
    {"US": ("mg/dL", None, 150, 0, ["2571-8"], None), "SI": ("mmol/L", None, 1.70, 2, ["14927-8"], None)})
analyte("HDL", "LIPID", "gt", S(
    en="HDL Cholesterol|HDL-C|HDL-Cholesterol", de="HDL-Cholesterin", fr="Cholestérol HDL|HDL-cholestérol",
    it="Colesterolo HDL", es="Colesterol HDL", pt="Colesterol HDL", nl="HDL-cholesterol"),
    {"US": ("mg/dL", 40, None, 0, ["2085-9"], None), "SI": ("mmol/L", 1.00, None, 2, ["14646-4"], None)})
analyte("LDL", "LIPID", "lt", S(
    en="LDL Cholesterol|LDL-C|LDL Cholesterol (calc.)", de="LDL-Cholesterin", fr="Cholestérol LDL|LDL-cholestérol",
    it="Colesterolo LDL", es="Colesterol LDL", pt="Colesterol LDL", nl="LDL-cholesterol"),
    {"US": ("mg/dL", None, 130, 0, ["13457-7", "2089-1"], None), "SI": ("mmol/L", None, 3.40, 2, ["22748-8", "39469-2"], None)})
analyte("HBA1C", "ENDO", "range", S(
    en="HbA1c|Hemoglobin A1c|Glycated Hemoglobin", **{"en-GB": "HbA1c|Glycated haemoglobin", "en-IN": "HbA1c|Glycosylated Haemoglobin (HbA1c)"},
    de="HbA1c", fr="Hémoglobine glyquée|HbA1c", it="Emoglobina glicata|HbA1c", es="Hemoglobina glicosilada|HbA1c",
    pt="Hemoglobina glicada|HbA1c", nl="HbA1c"),
    {"US": ("%", 4.0, 5.6, 1, ["4548-4", "17856-6"], None), "SI": ("mmol/mol", 20, 38, 0, ["59261-8"], None)})
analyte("TSH", "ENDO", "range", S(
    en="TSH|Thyroid Stimulating Hormone|TSH, 3rd Generation", de="TSH|TSH basal", fr="TSH|TSH ultrasensible",
    it="TSH|Tireotropina (TSH)", es="TSH|Tirotropina (TSH)", pt="TSH|Hormônio tireoestimulante", nl="TSH"),
    {"US": ("µIU/mL", 0.27, 4.20, 2, ["3016-3", "11579-0"], None), "SI": ("mU/L", 0.27, 4.20, 2, ["3016-3", "11579-0"], None)})
analyte("FT4", "ENDO", "range", S(
    en="Free T4|FT4|Free Thyroxine", de="fT4|freies T4", fr="T4 libre|FT4", it="FT4|Tiroxina libera (FT4)",
    es="T4 libre", pt="T4 livre", nl="vrij T4|FT4"),
    {"US": ("ng/dL", 0.93, 1.70, 2, ["3024-7"], None), "SI": ("pmol/L", 12.0, 22.0, 1, ["14920-3"], None)})
analyte("FERRITIN", "IRON", "range", S(
    en="Ferritin|Serum Ferritin", de="Ferritin", fr="Ferritine", it="Ferritina", es="Ferritina", pt="Ferritina",
    nl="Ferritine"),
    {"US": ("ng/mL", 30, 400, 0, ["2276-4"], {"M": (30, 400), "F": (15, 150)}),
     "SI": ("µg/L", 30, 400, 0, ["2276-4"], {"M": (30, 400), "F": (15, 150)})})
analyte("IRON", "IRON", "range", S(
    en="Iron|Serum Iron|Iron, Total", de="Eisen", fr="Fer sérique|Fer", it="Sideremia|Ferro", es="Hierro|Hierro sérico",
    pt="Ferro sérico", nl="IJzer"),
    {"US": ("µg/dL", 60, 170, 0, ["2498-4"], None), "SI": ("µmol/L", 10.7, 30.4, 1, ["14798-3"], None)})
analyte("B12", "IRON", "range", S(
    en="Vitamin B12|Cobalamin", de="Vitamin B12", fr="Vitamine B12", it="Vitamina B12", es="Vitamina B12",
    pt="Vitamina B12", nl="Vitamine B12"),
    {"US": ("pg/mL", 197, 771, 0, ["2132-9"], None), "SI": ("pmol/L", 145, 569, 0, ["14685-2"], None)})
analyte("VITD", "IRON", "range", S(
    en="25-OH Vitamin D|Vitamin D, 25-Hydroxy", de="25-OH-Vitamin D|Vitamin D3 (25-OH)", fr="25-OH vitamine D|Vitamine D",
    it="25-OH vitamina D|Vitamina D", es="25-OH vitamina D|Vitamina D", pt="25-OH vitamina D|Vitamina D",
    nl="25-OH vitamine D|Vitamine D"),
    {"US": ("ng/mL", 30.0, 100.0, 1, ["62292-8", "1989-3", "35365-6"], None), "SI": ("nmol/L", 75, 250, 0, [], None)})
analyte("CRP", "INFL", "lt", S(
    en="CRP|C-Reactive Protein", de="CRP|C-reaktives Protein", fr="CRP|Protéine C réactive", it="PCR|Proteina C reattiva",
    es="PCR|Proteína C reactiva", pt="PCR|Proteína C reativa", nl="CRP"),
    {"US": ("mg/dL", None, 0.50, 2, ["1988-5"], None), "SI": ("mg/L", None, 5.0, 1, ["1988-5"], None)})
analyte("INR", "COAG", "range", S(
    en="INR|PT-INR|Prothrombin Time INR", de="INR", fr="INR", it="INR|PT INR", es="INR", pt="RNI|INR", nl="INR"),
    {"*": ("", 0.80, 1.20, 2, ["6301-6", "34714-6"], None)})
analyte("PSA", "ENDO", "lt", S(
    en="PSA|Prostate Specific Antigen|PSA, Total", de="PSA gesamt|PSA", fr="PSA total|PSA", it="PSA totale|PSA",
    es="PSA total|PSA", pt="PSA total|PSA", nl="PSA"),
    {"*": ("ng/mL", None, 4.0, 2, ["2857-1"], None)})
analyte("LIPASE", "LIVER", "range", S(
    en="Lipase", de="Lipase", fr="Lipase", it="Lipasi", es="Lipasa", pt="Lipase", nl="Lipase"),
    {"*": ("U/L", 13, 60, 0, ["3040-3"], None)})

# Qualitative urine strip results: value null, value_text the printed word.
QUAL = {
    "U_PROT": dict(names=S(en="Urine Protein|Protein (Urine)", de="Eiweiß (Urin)|Protein im Urin", fr="Protéines urinaires",
                           it="Proteine urine", es="Proteínas en orina", pt="Proteínas (urina)", nl="Eiwit (urine)"),
                   loinc=["20454-5", "5804-0"]),
    "U_GLU": dict(names=S(en="Urine Glucose|Glucose (Urine)", de="Glukose (Urin)|Zucker im Urin", fr="Glucose urinaire",
                          it="Glucosio urine", es="Glucosa en orina", pt="Glicose (urina)", nl="Glucose (urine)"),
                  loinc=["2349-9", "5792-7"]),
    "U_KET": dict(names=S(en="Ketones|Urine Ketones", de="Ketonkörper", fr="Corps cétoniques", it="Chetoni",
                          es="Cuerpos cetónicos", pt="Corpos cetônicos", nl="Ketonen"), loinc=["2514-8", "33903-6"]),
    "U_NIT": dict(names=S(en="Nitrite|Urine Nitrite", de="Nitrit", fr="Nitrites", it="Nitriti", es="Nitritos",
                          pt="Nitrito", nl="Nitriet"), loinc=["5802-4"]),
}
NEG = dict(en=["Negative", "NEGATIVE", "Neg"], de=["negativ", "neg."], fr=["négatif", "Négatif", "absence"],
           it=["assente", "negativo"], es=["negativo", "Negativo"], pt=["negativo", "Negativo"], nl=["negatief", "neg"])
POS = dict(en=["Positive", "Trace", "1+"], de=["positiv", "Spuren", "(+)"], fr=["positif", "traces"],
           it=["presente", "tracce"], es=["positivo", "trazas"], pt=["positivo", "traços"], nl=["positief", "spoor"])

# Cell-count unit conventions: name -> (unit for 10^3/µL quantities, unit for 10^6/µL, factor3, factor6)
# factor: printed = value * factor; decimals follow the analyte unless the factor changes the scale.
COUNT_UNITS = {
    "us": ("10^3/µL", "10^6/µL", 1, 1),
    "us_x": ("x10³/µL", "x10⁶/µL", 1, 1),
    "si": ("x10^9/L", "x10^12/L", 1, 1),
    "si_g": ("10*9/L", "10*12/L", 1, 1),
    "de": ("Tsd/µl", "Mio/µl", 1, 1),
    "de_nl": ("/nl", "/pl", 1, 1),
    "fr": ("G/L", "T/L", 1, 1),
    "in": ("/cumm", "mill/cumm", 1000, 1),
    "in_ul": ("cells/µL", "million/µL", 1000, 1),
}
COUNT_BY_LANG = {
    "en-US": ["us", "us_x", "in_ul"], "en-GB": ["si", "si_g"], "en-IN": ["in", "in_ul", "us"],
    "de": ["de", "de_nl", "si"], "fr": ["fr", "si"], "it": ["us", "si", "in_ul"], "es": ["us", "si", "in_ul"],
    "pt": ["in_ul", "us", "si"], "nl": ["si", "de_nl"],
}
# probability that a document of this language uses SI (else conventional) units
SI_PROB = {"en-US": 0.08, "en-GB": 0.92, "en-IN": 0.1, "de": 0.45, "fr": 0.7, "it": 0.25, "es": 0.25, "pt": 0.2,
           "nl": 0.9}


def names_for(a, lang):
    n = a["names"]
    if lang in n:
        return n[lang].split("|")
    b = base(lang)
    if b in n:
        return n[b].split("|")
    return None
