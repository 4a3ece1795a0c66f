//! Printed values: numbers with decimal commas and thousands separators, bounds, qualitative words,
//! titres.

use super::normalize::fold;
use crate::model::ValueBound;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualitative {
    Negative,
    Positive,
    Trace,
    Normal,
    Abnormal,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedValue {
    pub value: Option<f64>,
    pub bound: Option<ValueBound>,
    pub qualitative: Option<Qualitative>,
    /// Denominator of a titre `1:80`.
    pub titre: Option<f64>,
}

/// Parse a number as printed. `decimal_comma` says how to read a lone `1,234`.
pub fn parse_number(text: &str, decimal_comma: bool) -> Option<f64> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .map(|c| if c == '−' || c == '–' { '-' } else { c })
        .collect();
    let t = t.trim_start_matches('+');
    if t.is_empty() {
        return None;
    }
    let body = t.strip_prefix('-').unwrap_or(t);
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        || !body.chars().next()?.is_ascii_digit() && !body.starts_with('.')
    {
        return None;
    }
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();
    let grouped = |sep: char| {
        let parts: Vec<&str> = body.split(sep).collect();
        parts.len() > 1
            && (1..=3).contains(&parts[0].len())
            && parts[1..].iter().all(|p| p.len() == 3)
    };
    let normalized = if commas > 0 && dots > 0 {
        // the last separator is the decimal one
        if body.rfind(',') > body.rfind('.') {
            body.replace('.', "").replace(',', ".")
        } else {
            body.replace(',', "")
        }
    } else if commas > 1 || (commas == 1 && grouped(',') && !decimal_comma) {
        body.replace(',', "")
    } else if commas == 1 {
        body.replace(',', ".")
    } else if dots > 1 && grouped('.') {
        body.replace('.', "")
    } else {
        body.to_string()
    };
    let v: f64 = normalized.parse().ok()?;
    let v = if t.starts_with('-') { -v } else { v };
    v.is_finite().then_some(v)
}

/// Reading of a lone dot-grouped number as thousands (`10.000`), used for range bounds.
pub fn dot_thousands(text: &str) -> Option<f64> {
    let t = text.trim();
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() == 2
        && (1..=3).contains(&parts[0].len())
        && parts[1].len() == 3
        && t.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        t.replace('.', "").parse().ok()
    } else {
        None
    }
}

fn qualitative(folded: &str) -> Option<Qualitative> {
    let f = folded.trim().trim_end_matches(['.', '!']).trim();
    let q = match f {
        "negative" | "neg" | "non reactive" | "nonreactive" | "non-reactive" | "not detected"
        | "nil" | "absent" | "absence" | "none" | "none seen" | "not seen" | "negatif"
        | "negative " | "negativ" | "negativo" | "negativa" | "no reactivo" | "non reattivo"
        | "nicht reaktiv" | "non detecte" | "non detectable" | "undetectable" | "not found"
        | "-" | "neg." | "assente" | "ausente" | "absente" | "kein" | "keine" | "nein" | "n.n."
        | "nn" | "nicht nachweisbar" => Qualitative::Negative,
        "positive" | "pos" | "reactive" | "detected" | "present" | "positif" | "positiv"
        | "positivo" | "positiva" | "reactivo" | "reattivo" | "reaktiv" | "detecte"
        | "presente" | "nachweisbar" | "+" | "++" | "+++" | "++++" | "1+" | "2+" | "3+" | "4+" => {
            Qualitative::Positive
        }
        "trace" | "traces" | "traza" | "trazas" | "tracce" | "spuren" | "+/-" | "±" => {
            Qualitative::Trace
        }
        "normal"
        | "normale"
        | "norm"
        | "within normal limits"
        | "wnl"
        | "adequate"
        | "adequate on smear"
        | "clear"
        | "pale yellow"
        | "yellow"
        | "straw"
        | "klar"
        | "limpide"
        | "limpido"
        | "transparente"
        | "normocytic normochromic"
        | "normocytic, normochromic" => Qualitative::Normal,
        _ => return None,
    };
    Some(q)
}

type MakeBound = fn(f64) -> ValueBound;

/// Parse a printed value.
pub fn parse_value(text: &str, decimal_comma: bool) -> ParsedValue {
    let folded = fold(text);
    // markers printed next to the value ("12.5*", "7.2 ↑") are not part of it
    let t = folded
        .trim()
        .trim_end_matches(['*', '!', '↑', '↓', '#'])
        .trim();
    let mut out = ParsedValue::default();
    if let Some(q) = qualitative(t) {
        out.qualitative = Some(q);
        return out;
    }
    let bounds: [(&str, MakeBound); 14] = [
        ("<=", ValueBound::LessThanOrEqual),
        ("≤", ValueBound::LessThanOrEqual),
        (">=", ValueBound::GreaterThanOrEqual),
        ("≥", ValueBound::GreaterThanOrEqual),
        ("<", ValueBound::LessThan),
        (">", ValueBound::GreaterThan),
        ("less than", ValueBound::LessThan),
        ("below", ValueBound::LessThan),
        ("inferieur a", ValueBound::LessThan),
        ("kleiner als", ValueBound::LessThan),
        ("greater than", ValueBound::GreaterThan),
        ("more than", ValueBound::GreaterThan),
        ("above", ValueBound::GreaterThan),
        ("superieur a", ValueBound::GreaterThan),
    ];
    for (prefix, make) in bounds {
        if let Some(rest) = t.strip_prefix(prefix)
            && let Some(v) = parse_number(rest, decimal_comma)
        {
            out.bound = Some(make(v));
            return out;
        }
    }
    if let Some((a, b)) = t.split_once(':')
        && parse_number(a, false) == Some(1.0)
        && let Some(d) = parse_number(b, false)
    {
        out.titre = Some(d);
        return out;
    }
    // "5.4 %" or "12.5 H": a number followed by a unit or a flag that the reader left attached
    let first = t.split_whitespace().next().unwrap_or("");
    out.value = parse_number(t, decimal_comma).or_else(|| {
        let rest = &t[first.len()..];
        (!rest.trim().is_empty() && rest.trim().chars().all(|c| !c.is_ascii_digit()))
            .then(|| parse_number(first, decimal_comma))
            .flatten()
    });
    out
}
