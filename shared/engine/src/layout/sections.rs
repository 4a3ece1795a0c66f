//! Section headings ("HEMATOLOGY", "LIPID PROFILE") and method notes ("Calculated") under names.

use super::lines::Line;

/// A line of text alone that titles what follows: capitals, bold or a larger font, short.
pub fn is_heading(text: &str, line: &Line, body_font: f32) -> bool {
    let t = text.trim();
    if t.ends_with(':') || t.ends_with('.') {
        return false;
    }
    let words = t.split_whitespace().count();
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 3 || words > 8 {
        return false;
    }
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    let all_caps = upper * 10 >= letters.len() * 9;
    let bold = line.words.iter().all(|w| w.bold);
    let larger = line.font_size > body_font * 1.12;
    all_caps || bold || larger
}

const METHOD_WORDS: &[&str] = &[
    "calculated",
    "calc",
    "calculation",
    "method",
    "methode",
    "méthode",
    "metodo",
    "método",
    "photometry",
    "photometric",
    "spectrophotometry",
    "spectrophotometric",
    "colorimetric",
    "colorimetry",
    "ise",
    "enzymatic",
    "kinetic",
    "jaffe",
    "uv",
    "hplc",
    "elisa",
    "clia",
    "cmia",
    "ecl",
    "eclia",
    "immunoassay",
    "immunoturbidimetry",
    "turbidimetry",
    "turbidimetric",
    "nephelometry",
    "impedance",
    "flow",
    "cytometry",
    "microscopy",
    "derived",
    "computed",
    "ifcc",
    "ifcc-amp",
    "uricase",
    "urease",
    "biuret",
    "biure",
    "bcg",
    "bcp",
    "arsenazo",
    "molybdate",
    "god-pod",
    "gpo",
    "chod-pod",
    "chemiluminescence",
    "electrophoresis",
    "automated",
    "analyzer",
    "analyser",
    "indirect",
    "direct",
    "diazo",
    "dpd",
    "westergren",
    "cyanmethemoglobin",
    "sls",
    "berechnet",
    "calculé",
    "calcolato",
    "calculado",
    "berekend",
    "gecalculeerd",
    "metode",
];

/// A short line under a result naming how it was measured.
pub fn is_method_note(text: &str, font: f32, row_font: f32) -> bool {
    let t = text.trim();
    let words: Vec<String> = t
        .split(|c: char| c.is_whitespace() || c == ',' || c == ':')
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.trim_matches(|c: char| c == '(' || c == ')')
                .to_lowercase()
        })
        .collect();
    if words.is_empty() || words.len() > 8 {
        return false;
    }
    if t.starts_with('(') || t.to_lowercase().starts_with("method") {
        return true;
    }
    let smaller = font < row_font - 0.4;
    smaller || words.iter().any(|w| METHOD_WORDS.contains(&w.as_str()))
}
