//! Printed units → UCUM codes, unit dimensions and conversions.

use super::normalize::fold;

/// What a unit measures; units of one dimension convert by their factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    /// base g/L
    Mass,
    /// base mol/L
    Molar,
    /// base eq/L
    Equiv,
    /// base per litre
    Count,
    /// base 1 (fraction)
    Fraction,
    /// base U/L
    Enzyme,
    /// base [IU]/L
    Intl,
    /// base [arb'U]/L or U/mL for tumour markers
    Arbitrary,
    /// base s
    Time,
    /// mm/h
    Velocity,
    /// base fL
    EntVolume,
    /// base pg
    EntMass,
    Ratio,
    /// mL/min/1.73 m2
    Rate,
    PerHpf,
    PerLpf,
    Ph,
    Osmolality,
    MolarRatio,
    MassRatioCreat,
    Unity,
    Titer,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    pub code: &'static str,
    pub dim: Dim,
    /// Value in the dimension's base unit = value × factor.
    pub factor: f64,
}

const fn u(code: &'static str, dim: Dim, factor: f64) -> Unit {
    Unit { code, dim, factor }
}

/// Every UCUM code the standardizer can emit.
pub static UNITS: &[Unit] = &[
    u("g/dL", Dim::Mass, 10.0),
    u("g/L", Dim::Mass, 1.0),
    u("mg/dL", Dim::Mass, 1e-2),
    u("mg/L", Dim::Mass, 1e-3),
    u("mg/mL", Dim::Mass, 1.0),
    u("ug/mL", Dim::Mass, 1e-3),
    u("ug/dL", Dim::Mass, 1e-5),
    u("ug/L", Dim::Mass, 1e-6),
    u("ng/mL", Dim::Mass, 1e-6),
    u("ng/dL", Dim::Mass, 1e-8),
    u("ng/L", Dim::Mass, 1e-9),
    u("pg/mL", Dim::Mass, 1e-9),
    u("ng/mL{FEU}", Dim::Mass, 1e-6),
    u("ug/mL{FEU}", Dim::Mass, 1e-3),
    u("mg/L{FEU}", Dim::Mass, 1e-3),
    u("mol/L", Dim::Molar, 1.0),
    u("mmol/L", Dim::Molar, 1e-3),
    u("umol/L", Dim::Molar, 1e-6),
    u("nmol/L", Dim::Molar, 1e-9),
    u("pmol/L", Dim::Molar, 1e-12),
    u("fmol/L", Dim::Molar, 1e-15),
    u("meq/L", Dim::Equiv, 1e-3),
    u("/L", Dim::Count, 1.0),
    u("/uL", Dim::Count, 1e6),
    u("/mm3", Dim::Count, 1e6),
    u("10*3/uL", Dim::Count, 1e9),
    u("10*5/uL", Dim::Count, 1e11),
    u("10*6/uL", Dim::Count, 1e12),
    u("10*9/L", Dim::Count, 1e9),
    u("10*12/L", Dim::Count, 1e12),
    u("/nL", Dim::Count, 1e9),
    u("/pL", Dim::Count, 1e12),
    u("%", Dim::Fraction, 1e-2),
    u("L/L", Dim::Fraction, 1.0),
    u("1", Dim::Unity, 1.0),
    u("U/L", Dim::Enzyme, 1.0),
    u("U/mL", Dim::Arbitrary, 1.0),
    u("ukat/L", Dim::Enzyme, 60.0),
    u("[IU]/L", Dim::Intl, 1.0),
    u("[IU]/mL", Dim::Intl, 1e3),
    u("m[IU]/L", Dim::Intl, 1e-3),
    u("m[IU]/mL", Dim::Intl, 1.0),
    u("u[IU]/mL", Dim::Intl, 1e-3),
    u("k[IU]/L", Dim::Intl, 1e3),
    u("[arb'U]/mL", Dim::Arbitrary, 1.0),
    u("s", Dim::Time, 1.0),
    u("min", Dim::Time, 60.0),
    u("mm/h", Dim::Velocity, 1.0),
    u("fL", Dim::EntVolume, 1.0),
    u("pg", Dim::EntMass, 1.0),
    u("{ratio}", Dim::Ratio, 1.0),
    u("{INR}", Dim::Ratio, 1.0),
    u("mL/min/{1.73_m2}", Dim::Rate, 1.0),
    u("/[HPF]", Dim::PerHpf, 1.0),
    u("/[LPF]", Dim::PerLpf, 1.0),
    u("[pH]", Dim::Ph, 1.0),
    u("mosm/kg", Dim::Osmolality, 1.0),
    u("mmol/mol", Dim::MolarRatio, 1.0),
    u("mg/g{creat}", Dim::MassRatioCreat, 1.0),
    u("mg/mmol{creat}", Dim::MassRatioCreat, 8.84),
    u("{titer}", Dim::Titer, 1.0),
];

pub fn by_code(code: &str) -> Option<&'static Unit> {
    UNITS.iter().find(|u| u.code == code)
}

/// Printed spellings (after [`unit_key`]) of non-count units.
const PRINTED: &[(&str, &str)] = &[
    ("g/dl", "g/dL"),
    ("gm/dl", "g/dL"),
    ("gms/dl", "g/dL"),
    ("gr/dl", "g/dL"),
    ("g%", "g/dL"),
    ("gm%", "g/dL"),
    ("gms%", "g/dL"),
    ("g/l", "g/L"),
    ("gm/l", "g/L"),
    ("mg/dl", "mg/dL"),
    ("mg%", "mg/dL"),
    ("mgs/dl", "mg/dL"),
    ("mg/l", "mg/L"),
    ("mg/ml", "mg/mL"),
    ("ug/ml", "ug/mL"),
    ("ug/dl", "ug/dL"),
    ("ug%", "ug/dL"),
    ("ug/l", "ug/L"),
    ("ng/ml", "ng/mL"),
    ("ng/dl", "ng/dL"),
    ("ng/l", "ng/L"),
    ("pg/ml", "pg/mL"),
    ("ng/mlfeu", "ng/mL{FEU}"),
    ("ugfeu/ml", "ug/mL{FEU}"),
    ("ug/mlfeu", "ug/mL{FEU}"),
    ("mg/lfeu", "mg/L{FEU}"),
    ("mgfeu/l", "mg/L{FEU}"),
    ("mol/l", "mol/L"),
    ("mmol/l", "mmol/L"),
    ("umol/l", "umol/L"),
    ("nmol/l", "nmol/L"),
    ("pmol/l", "pmol/L"),
    ("fmol/l", "fmol/L"),
    ("meq/l", "meq/L"),
    ("mval/l", "meq/L"),
    ("%", "%"),
    ("percent", "%"),
    ("pct", "%"),
    ("%oftotalhgb", "%"),
    ("%oftotalhb", "%"),
    ("%hb", "%"),
    ("l/l", "L/L"),
    ("u/l", "U/L"),
    ("iu/l", "U/L"),
    ("ui/l", "U/L"),
    ("e/l", "U/L"),
    ("u/ml", "U/mL"),
    ("ukat/l", "ukat/L"),
    ("miu/l", "m[IU]/L"),
    ("mui/l", "m[IU]/L"),
    ("mu/l", "m[IU]/L"),
    ("miu/ml", "m[IU]/mL"),
    ("mui/ml", "m[IU]/mL"),
    ("mu/ml", "m[IU]/mL"),
    ("uiu/ml", "u[IU]/mL"),
    ("uui/ml", "u[IU]/mL"),
    ("uu/ml", "u[IU]/mL"),
    ("iu/ml", "[IU]/mL"),
    ("ui/ml", "[IU]/mL"),
    ("kiu/l", "k[IU]/L"),
    ("kui/l", "k[IU]/L"),
    ("ku/l", "k[IU]/L"),
    ("s", "s"),
    ("sec", "s"),
    ("secs", "s"),
    ("seconds", "s"),
    ("seg", "s"),
    ("sek", "s"),
    ("min", "min"),
    ("mm/h", "mm/h"),
    ("mm/hr", "mm/h"),
    ("mm/1hr", "mm/h"),
    ("mm/1h", "mm/h"),
    ("mm/1sthr", "mm/h"),
    ("mm/hora", "mm/h"),
    ("mm/std", "mm/h"),
    ("mmatendof1hr", "mm/h"),
    ("fl", "fL"),
    ("um3", "fL"),
    ("cu", "fL"),
    ("pg", "pg"),
    ("pg/cell", "pg"),
    ("ratio", "{ratio}"),
    ("index", "{ratio}"),
    ("inr", "{INR}"),
    ("ml/min/1.73m2", "mL/min/{1.73_m2}"),
    ("ml/min/1,73m2", "mL/min/{1.73_m2}"),
    ("ml/min/1.73", "mL/min/{1.73_m2}"),
    ("ml/min/1.73msq", "mL/min/{1.73_m2}"),
    ("ml/min/1.73sqm", "mL/min/{1.73_m2}"),
    ("/hpf", "/[HPF]"),
    ("hpf", "/[HPF]"),
    ("/h.p.f", "/[HPF]"),
    ("cells/hpf", "/[HPF]"),
    ("/lpf", "/[LPF]"),
    ("lpf", "/[LPF]"),
    ("ph", "[pH]"),
    ("mosm/kg", "mosm/kg"),
    ("mosm/kgh2o", "mosm/kg"),
    ("mmol/mol", "mmol/mol"),
    ("mmol/molhb", "mmol/mol"),
    ("mg/gcreat", "mg/g{creat}"),
    ("mg/gcr", "mg/g{creat}"),
    ("mg/gcrea", "mg/g{creat}"),
    ("mg/g", "mg/g{creat}"),
    ("mg/mmolcreat", "mg/mmol{creat}"),
    ("mg/mmol", "mg/mmol{creat}"),
    ("mg/mmolkrea", "mg/mmol{creat}"),
    ("titer", "{titer}"),
    ("titre", "{titer}"),
];

/// A printed unit folded for lookup: lower case, no spaces, µ→u, mcg→ug, superscripts→digits.
pub fn unit_key(printed: &str) -> String {
    let mut s = String::new();
    for c in fold(printed).chars() {
        match c {
            ' ' | '\u{a0}' => {}
            '³' => s.push('3'),
            '²' => s.push('2'),
            '⁶' => s.push('6'),
            '⁹' => s.push('9'),
            '¹' => s.push('1'),
            '⁰' => s.push('0'),
            '×' => s.push('x'),
            _ => s.push(c),
        }
    }
    let s = s
        .replace("mcg", "ug")
        .replace("ltr", "l")
        .replace("litre", "l")
        .replace("liter", "l");
    s.trim_end_matches('.').to_string()
}

/// The UCUM code for a printed unit, or None when it is not understood.
pub fn to_ucum(printed: &str) -> Option<&'static Unit> {
    let trimmed = printed.trim();
    // Upper-case G/T are SI prefixes of counts (G/l = 10^9/L); lower-case g is grams.
    if let Some(rest) = trimmed
        .strip_prefix('G')
        .or_else(|| trimmed.strip_prefix("Giga"))
        && rest.eq_ignore_ascii_case("/l")
    {
        return by_code("10*9/L");
    }
    if let Some(rest) = trimmed
        .strip_prefix('T')
        .or_else(|| trimmed.strip_prefix("Tera"))
        && rest.eq_ignore_ascii_case("/l")
    {
        return by_code("10*12/L");
    }
    let key = unit_key(printed);
    if key.is_empty() {
        return None;
    }
    if let Some((_, code)) = PRINTED.iter().find(|(k, _)| *k == key) {
        return by_code(code);
    }
    count_unit(&key)
}

/// Cell-count units: a multiplier (K, mill, lakhs, 10^9, Tsd, G...) per a volume (µL, mm³, L...).
fn count_unit(key: &str) -> Option<&'static Unit> {
    let (mult, vol) = match key.rfind('/') {
        Some(i) => (&key[..i], &key[i + 1..]),
        None => ("", key),
    };
    #[derive(PartialEq)]
    enum Vol {
        Mm3,
        Micro,
        Litre,
        Nano,
        Pico,
    }
    let vol = match vol {
        "ul" => Vol::Micro,
        "mm3" | "cumm" | "cu.mm" | "c.mm" | "cmm" | "cmm3" | "mm" => Vol::Mm3,
        "l" => Vol::Litre,
        "nl" => Vol::Nano,
        "pl" => Vol::Pico,
        _ => return None,
    };
    let mult = mult
        .trim_start_matches("cells")
        .trim_start_matches("cell")
        .trim_start_matches('x')
        .trim_start_matches('*');
    let exp = match mult {
        "" => 0,
        "k" | "thou" | "thousand" | "tsd" | "10^3" | "103" | "10*3" | "10e3" | "1000" => 3,
        "lakh" | "lakhs" | "lac" | "lacs" | "lak" | "10^5" | "105" | "10*5" | "10e5" => 5,
        "m" | "mill" | "million" | "millions" | "mio" | "10^6" | "106" | "10*6" | "10e6" => 6,
        "g" | "giga" | "10^9" | "109" | "10*9" | "10e9" => 9,
        "t" | "tera" | "10^12" | "1012" | "10*12" | "10e12" => 12,
        _ => return None,
    };
    let code = match (vol, exp) {
        (Vol::Mm3, 0) => "/mm3",
        (Vol::Micro, 0) => "/uL",
        (Vol::Mm3 | Vol::Micro, 3) => "10*3/uL",
        (Vol::Mm3 | Vol::Micro, 5) => "10*5/uL",
        (Vol::Mm3 | Vol::Micro, 6) => "10*6/uL",
        (Vol::Nano, 0) => "/nL",
        (Vol::Nano, 3) => "10*3/uL",
        (Vol::Pico, 0) => "/pL",
        (Vol::Litre, 0) => "/L",
        (Vol::Litre, 9) => "10*9/L",
        (Vol::Litre, 12) => "10*12/L",
        _ => return None,
    };
    by_code(code)
}

/// Ions for which mEq/L equals mmol/L times the valence.
fn valence(biomarker: &str) -> Option<f64> {
    match biomarker {
        "sodium" | "potassium" | "chloride" | "bicarbonate" => Some(1.0),
        "calcium" | "magnesium" | "calcium_ionized" => Some(2.0),
        _ => None,
    }
}

/// Moles per international unit, for hormones whose IU is defined against a pure standard.
/// Insulin: 1 µIU/mL = 6.00 pmol/L (the 2009 insulin standardization consensus, WHO 66/304).
fn moles_per_iu(biomarker: &str) -> Option<f64> {
    match biomarker {
        "insulin" => Some(6.0e-9),
        _ => None,
    }
}

/// Convert `value` from `from` to `to` for a biomarker (molar mass for mass↔moles). Conversions
/// that need a molar mass or an IU definition the catalogue does not have are refused (`None`).
pub fn convert(
    value: f64,
    from: &Unit,
    to: &Unit,
    biomarker: &str,
    molar_mass: Option<f64>,
) -> Option<f64> {
    if from.code == to.code {
        return Some(value);
    }
    if biomarker == "hba1c" {
        // IFCC–NGSP master equation: mmol/mol = 10.929 × (% − 2.15)
        return match (from.dim, to.dim) {
            (Dim::Fraction, Dim::MolarRatio) => Some(10.929 * (value * from.factor * 100.0 - 2.15)),
            (Dim::MolarRatio, Dim::Fraction) => Some((value / 10.929 + 2.15) / 100.0 / to.factor),
            _ => None,
        };
    }
    let base = value * from.factor;
    let base_to = match (from.dim, to.dim) {
        (a, b) if a == b => base,
        (Dim::Mass, Dim::Molar) => base / molar_mass?,
        (Dim::Molar, Dim::Mass) => base * molar_mass?,
        (Dim::Equiv, Dim::Molar) => base / valence(biomarker)?,
        (Dim::Molar, Dim::Equiv) => base * valence(biomarker)?,
        (Dim::Equiv, Dim::Mass) => base / valence(biomarker)? * molar_mass?,
        (Dim::Enzyme, Dim::Intl) | (Dim::Intl, Dim::Enzyme) => base,
        (Dim::Intl, Dim::Molar) => base * moles_per_iu(biomarker)?,
        (Dim::Molar, Dim::Intl) => base / moles_per_iu(biomarker)?,
        _ => return None,
    };
    Some(base_to / to.factor)
}

/// Whether a unit of dimension `dim` can express a LOINC property.
pub fn fits_property(dim: Dim, property: &str) -> bool {
    match property {
        "MCnc" => matches!(dim, Dim::Mass),
        "SCnc" => matches!(dim, Dim::Molar | Dim::Equiv),
        "NCnc" => matches!(dim, Dim::Count),
        // mmol/mol is a substance fraction (HbA1c by IFCC), never a mass or number fraction
        "SFr" => matches!(dim, Dim::Fraction | Dim::MolarRatio),
        "NFr" | "VFr" | "MFr" | "CFr" => matches!(dim, Dim::Fraction),
        "RelCCnc" | "RelMCnc" | "RelACnc" | "PctDiff" => matches!(dim, Dim::Fraction),
        "CCnc" => matches!(dim, Dim::Enzyme | Dim::Intl),
        "ACnc" => matches!(dim, Dim::Intl | Dim::Arbitrary | Dim::Enzyme),
        "EntVol" => matches!(dim, Dim::EntVolume),
        "EntMass" => matches!(dim, Dim::EntMass),
        "Vel" => matches!(dim, Dim::Velocity),
        "Time" => matches!(dim, Dim::Time),
        "Ratio" => matches!(dim, Dim::Fraction | Dim::Ratio | Dim::Unity),
        "RelTime" => matches!(dim, Dim::Ratio | Dim::Fraction | Dim::Unity),
        "MRto" | "SRto" | "NRto" | "MRat" | "TRto" => matches!(
            dim,
            Dim::Ratio | Dim::Unity | Dim::MassRatioCreat | Dim::Fraction
        ),
        "ArVRat" | "VRat" => matches!(dim, Dim::Rate),
        "Naric" => matches!(dim, Dim::PerHpf | Dim::PerLpf),
        "LsCnc" => matches!(dim, Dim::Ph),
        "Osmol" => matches!(dim, Dim::Osmolality),
        "Titr" => matches!(dim, Dim::Titer),
        "Rden" => matches!(dim, Dim::Unity),
        _ => false,
    }
}

const PREFIXES: &[(&str, &str)] = &[
    ("k", "kilo"),
    ("d", "deci"),
    ("c", "centi"),
    ("m", "milli"),
    ("u", "micro"),
    ("n", "nano"),
    ("p", "pico"),
    ("f", "femto"),
];

const ATOMS: &[(&str, &str)] = &[
    ("g", "gram"),
    ("mol", "mole"),
    ("eq", "equivalent"),
    ("osm", "osmole"),
    ("L", "liter"),
    ("[IU]", "international_unit"),
    ("U", "unit"),
    ("kat", "katal"),
    ("[arb'U]", "arbitrary_unit"),
    ("s", "second"),
    ("min", "minute"),
    ("h", "hour"),
    ("m", "meter"),
    ("[HPF]", "high_power_field"),
    ("[LPF]", "low_power_field"),
];

/// One UCUM component ("mg", "10*9", "{1.73_m2}") in words, singular.
fn component_words(c: &str) -> Option<String> {
    if let Some(e) = c.strip_prefix("10*") {
        return Some(format!("ten_to_the_{e}"));
    }
    if let Some(inner) = c.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        return Some(match inner {
            "1.73_m2" => "1_73_square_meters".to_string(),
            other => other.to_ascii_lowercase().replace(['.', ' '], "_"),
        });
    }
    if let Some((_, w)) = ATOMS.iter().find(|(a, _)| *a == c) {
        return Some((*w).to_string());
    }
    let (prefix, rest) = c.split_at(c.chars().next()?.len_utf8());
    let (_, p) = PREFIXES.iter().find(|(k, _)| *k == prefix)?;
    let (_, a) = ATOMS.iter().find(|(a, _)| *a == rest)?;
    Some(format!("{p}{a}"))
}

/// A UCUM code spelled out as numerator, denominator and power of ten (seed 002's `units`):
/// `mg/dL` → milligrams per deciliter, `10*9/L` → exponent 9 per liter, `%` → percent.
pub fn describe(code: &str) -> crate::model::UnitsDescription {
    use crate::model::UnitsDescription;
    let named = |name: &str, numerator: Option<&str>| UnitsDescription {
        name: name.to_string(),
        numerator: numerator.map(str::to_string),
        denominator: None,
        exponent: None,
    };
    match code {
        "%" => return named("percent", Some("%")),
        "1" => return named("unity", Some("1")),
        "[pH]" => return named("ph", Some("[pH]")),
        "{ratio}" => return named("ratio", Some("{ratio}")),
        "{INR}" => return named("international_normalized_ratio", Some("{INR}")),
        "{titer}" => return named("titer", Some("{titer}")),
        _ => {}
    }
    let (num, den) = match code.split_once('/') {
        Some((n, d)) => (n, Some(d)),
        None => (code, None),
    };
    // "mg/g{creat}": the annotation names what the denominator is of
    let strip_annotation = |s: &str| match s.find('{') {
        Some(i) if i > 0 => s[..i].to_string(),
        _ => s.to_string(),
    };
    let exponent = num.strip_prefix("10*").and_then(|e| e.parse::<i32>().ok());
    let numerator = (!num.is_empty() && exponent.is_none()).then(|| strip_annotation(num));
    let num_words = match (&numerator, exponent) {
        (Some(n), _) => component_words(n).map(|w| format!("{w}s")),
        (None, Some(e)) => Some(format!("ten_to_the_{e}")),
        (None, None) => Some("count".to_string()),
    };
    let den_words: Option<Vec<String>> = den.map(|d| {
        d.split('/')
            .map(|part| component_words(&strip_annotation(part)).unwrap_or_else(|| part.into()))
            .collect()
    });
    let mut name = num_words.unwrap_or_else(|| code.to_string());
    for w in den_words.iter().flatten() {
        name.push_str("_per_");
        name.push_str(w);
    }
    UnitsDescription {
        name,
        numerator,
        denominator: den.map(str::to_string),
        exponent,
    }
}
