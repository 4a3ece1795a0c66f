//! What a printed token looks like: number, bound, range, unit, flag, qualitative result.

/// A plain number as printed: `12.5`, `5,100`, `1,02`, `07`, `-3`.
pub fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-', '−']).unwrap_or(s);
    let mut digits = 0;
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_digit() {
            digits += 1;
        } else if (c == '.' || c == ',') && i > 0 {
            continue;
        } else {
            return false;
        }
    }
    digits > 0 && !s.ends_with(['.', ',']) && !s.starts_with([',', '.'])
}

/// A titre: `1:160`, `1:80` (never a time such as `10:30`).
pub fn is_titre(s: &str) -> bool {
    s.split_once(':')
        .is_some_and(|(a, b)| a == "1" && b.len() >= 2 && b.bytes().all(|c| c.is_ascii_digit()))
}

/// Arrows and marks printed in front of a name to flag its row.
pub fn is_leading_mark(s: &str) -> bool {
    matches!(s, "↑" | "↓" | "↑↑" | "↓↓" | "*" | "**")
}

/// A plus or minus printed right after a value is a flag (German reports: `77,4 -`).
pub fn is_sign_flag(s: &str) -> bool {
    matches!(s, "+" | "-" | "++" | "--" | "−")
}

pub fn is_comparator(s: &str) -> bool {
    matches!(s, "<" | ">" | "<=" | ">=" | "≤" | "≥" | "=<" | "=>")
}

/// A bound printed in one token: `<0.1`, `>=60`, `≤5`.
pub fn is_bound(s: &str) -> bool {
    let rest = s.trim_start_matches(['<', '>', '=', '≤', '≥']);
    rest.len() < s.len() && is_number(rest)
}

/// A range in one token: `13.0-17.0`, `4,0-10,0`, `[13-17]`, `(4.0-10.0)`.
pub fn is_range_token(s: &str) -> bool {
    let t = s.trim_matches(['[', ']', '(', ')']);
    for sep in ['-', '–', '—'] {
        if let Some((a, b)) = t.split_once(sep)
            && is_number(a)
            && is_number(b)
        {
            return true;
        }
    }
    false
}

pub fn is_dash(s: &str) -> bool {
    matches!(s, "-" | "–" | "—" | "to" | "bis" | "à" | "a" | "al")
}

/// Flag words and marks printed beside a value.
pub fn is_flag(s: &str) -> bool {
    let l = s.trim_matches(['(', ')', '[', ']']).to_lowercase();
    matches!(
        l.as_str(),
        "h" | "l"
            | "hh"
            | "ll"
            | "high"
            | "low"
            | "*"
            | "**"
            | "↑"
            | "↓"
            | "↑↑"
            | "↓↓"
            | "a"
            | "abnormal"
            | "normal"
            | "borderline"
            | "critical"
            | "hoch"
            | "niedrig"
            | "erhöht"
            | "erniedrigt"
            | "élevé"
            | "eleve"
            | "bas"
            | "alto"
            | "bajo"
            | "basso"
            | "elevato"
            | "+"
            | "-"
    )
}

/// A strict flag (not `-`, `+` or `a`), safe to take from anywhere on a row.
pub fn is_strict_flag(s: &str) -> bool {
    is_flag(s) && !matches!(s, "-" | "+" | "a" | "A")
}

/// Something that reads as a unit: `g/dL`, `%`, `10^9/L`, `x10³/µL`, `mEq/L`, `fL`, `cumm`.
pub fn is_unit_like(s: &str) -> bool {
    if s.is_empty() || s.chars().count() > 20 {
        return false;
    }
    if is_number(s) || is_bound(s) || is_range_token(s) {
        return false;
    }
    if s == "%" || s.contains('/') || s.contains('^') || s.contains('µ') || s.contains('μ') {
        return true;
    }
    let l = s.to_lowercase();
    const UNITS: &[&str] = &[
        "g%", "fl", "pg", "cumm", "mg", "g", "ng", "ug", "iu", "u", "mmol", "mol", "mm", "ratio",
        "sec", "secs", "s", "min", "mmhg", "meq", "lakhs", "lakh", "cells", "ml", "dl", "l",
        "million", "mill", "thou", "mu", "miu", "uiu", "µiu", "index", "kg", "cm", "mosm",
    ];
    UNITS.contains(&l.as_str()) || l.starts_with("x10") || l.starts_with("10e")
}

/// Words that are results in themselves (urine, serology, smear).
pub fn is_qualitative_start(s: &str) -> bool {
    let l = s
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    const STEMS: &[&str] = &[
        "negativ",
        "positiv",
        "négatif",
        "negatif",
        "positif",
        "reactiv",
        "non-reactiv",
        "nonreactiv",
        "non",
        "nil",
        "trace",
        "absent",
        "present",
        "detected",
        "not",
        "normal",
        "normo",
        "adequate",
        "clear",
        "turbid",
        "pale",
        "yellow",
        "straw",
        "amber",
        "seen",
        "occasional",
        "few",
        "plenty",
        "many",
        "moderate",
        "hypochrom",
        "microcyt",
        "macrocyt",
        "anisocyt",
        "nachweisbar",
        "nicht",
        "assent",
        "present",
        "tracc",
        "cloudy",
        "hazy",
        "spuren",
        "absence",
        "présence",
        "ausente",
        "reactivo",
        "reattivo",
        "indétectable",
        "indetectable",
    ];
    !l.is_empty() && STEMS.iter().any(|p| l.starts_with(p))
}

/// Interpretive categories of reference tables ("Optimal", "Borderline High"): never analytes.
pub fn is_category_word(s: &str) -> bool {
    let l = s.to_lowercase();
    matches!(
        l.as_str(),
        "optimal"
            | "near"
            | "above"
            | "borderline"
            | "high"
            | "very"
            | "low"
            | "desirable"
            | "normal"
            | "abnormal"
            | "risk"
            | "deficiency"
            | "insufficiency"
            | "sufficiency"
            | "toxicity"
            | "prediabetes"
            | "diabetes"
            | "good"
            | "poor"
            | "ideal"
    )
}
