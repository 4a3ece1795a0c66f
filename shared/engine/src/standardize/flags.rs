//! Printed flags and the interpretation computed from the value and the range.

use super::normalize::fold;
use super::values::{ParsedValue, Qualitative};
use crate::model::{Interpretation, ReferenceRange, ValueBound};

/// What a printed flag says, when it says something we understand.
pub fn printed_interpretation(flag: &str) -> Option<Interpretation> {
    let f = fold(flag);
    let t = f
        .trim()
        .trim_matches(|c: char| c == '*' || c == '(' || c == ')' || c == '!');
    let i = match t {
        "hh" | "h*" | "critical high" | "crit high" | "panic high" | "↑↑" | ">>" | "++" => {
            Interpretation::CriticalHigh
        }
        "ll" | "l*" | "critical low" | "crit low" | "panic low" | "↓↓" | "<<" | "--" => {
            Interpretation::CriticalLow
        }
        "h" | "high" | "hi" | "↑" | ">" | "+" | "elevated" | "raised" | "erhoht" | "hoch"
        | "eleve" | "haut" | "alto" | "elevato" | "elevado" => Interpretation::High,
        "l" | "low" | "lo" | "↓" | "<" | "-" | "decreased" | "erniedrigt" | "niedrig" | "bas"
        | "basse" | "basso" | "bajo" | "baja" => Interpretation::Low,
        "a" | "abn" | "abnormal" | "anormal" | "anormale" | "pathologisch" | "path"
        | "patologico" => Interpretation::Abnormal,
        "n" | "normal" | "normale" | "norm" => Interpretation::Normal,
        _ => return None,
    };
    Some(i)
}

/// The short code for a printed flag's meaning.
pub fn flag_code(i: Interpretation) -> &'static str {
    match i {
        Interpretation::High => "H",
        Interpretation::Low => "L",
        Interpretation::CriticalHigh => "HH",
        Interpretation::CriticalLow => "LL",
        Interpretation::Abnormal => "A",
        Interpretation::Normal => "N",
    }
}

/// Interpretation from a numeric value (or bound) against the applicable range.
pub fn computed_interpretation(
    value: &ParsedValue,
    range: Option<&ReferenceRange>,
) -> Option<Interpretation> {
    if let Some(q) = value.qualitative {
        return match q {
            Qualitative::Negative | Qualitative::Normal => Some(Interpretation::Normal),
            Qualitative::Positive | Qualitative::Abnormal => Some(Interpretation::Abnormal),
            Qualitative::Trace => None,
        };
    }
    let range = range?;
    if range.low.is_none() && range.high.is_none() {
        return None;
    }
    // a bound is treated by the interval it states
    let (lo_v, hi_v) = match (value.value, &value.bound) {
        (Some(v), _) => (v, v),
        (None, Some(ValueBound::LessThan(b) | ValueBound::LessThanOrEqual(b))) => {
            (f64::NEG_INFINITY, *b)
        }
        (None, Some(ValueBound::GreaterThan(b) | ValueBound::GreaterThanOrEqual(b))) => {
            (*b, f64::INFINITY)
        }
        _ => return None,
    };
    if let Some(h) = range.high
        && lo_v > h
    {
        return Some(Interpretation::High);
    }
    if let Some(l) = range.low
        && hi_v < l
    {
        return Some(Interpretation::Low);
    }
    if hi_v <= range.high.unwrap_or(f64::INFINITY) && lo_v >= range.low.unwrap_or(f64::NEG_INFINITY)
    {
        Some(Interpretation::Normal)
    } else {
        None
    }
}
