//! Predicted rows from a report (the product's output) or from the raw extraction (to judge
//! the reading layer alone, whatever standardization does).

use super::scoring::PredRow;
use labrador_engine::{Extraction, MatchStatus, Report, ValueBound};

pub fn from_report(report: &Report) -> (Vec<PredRow>, Vec<Option<String>>) {
    let mut rows = Vec::new();
    let mut dates = Vec::new();
    for doc in &report.documents {
        dates.push(doc.collection_date.clone());
        for section in &doc.sections {
            for r in &section.results {
                let bound = r.value_bound.as_ref().map(|b| match b {
                    ValueBound::LessThan(v) => ("<".to_string(), *v),
                    ValueBound::LessThanOrEqual(v) => ("<=".to_string(), *v),
                    ValueBound::GreaterThan(v) => (">".to_string(), *v),
                    ValueBound::GreaterThanOrEqual(v) => (">=".to_string(), *v),
                });
                rows.push(PredRow {
                    name: r.original_name.clone(),
                    value: r.value,
                    bound,
                    value_text: r.value_text.clone(),
                    unit: r.original_unit.clone(),
                    low: r.reference_range.as_ref().and_then(|x| x.low),
                    high: r.reference_range.as_ref().and_then(|x| x.high),
                    flag: r.flag.clone(),
                    collection_date: doc.collection_date.clone(),
                    loinc: r.loinc_code.clone(),
                    auto: r.match_status == MatchStatus::Auto,
                });
            }
        }
    }
    (rows, dates)
}

pub fn from_extraction(extraction: &Extraction) -> (Vec<PredRow>, Vec<Option<String>>) {
    let mut rows = Vec::new();
    let mut dates = Vec::new();
    for file in &extraction.files {
        dates.push(file.dates.collected.clone());
        for r in &file.results {
            let (low, high) = r
                .range_text
                .as_deref()
                .map(parse_range)
                .unwrap_or((None, None));
            let date = r
                .collection_date
                .clone()
                .or_else(|| file.dates.collected.clone());
            if !dates.contains(&date) {
                dates.push(date.clone());
            }
            rows.push(PredRow {
                name: r.name.clone(),
                value: parse_number(&r.value_text),
                bound: parse_bound(&r.value_text),
                value_text: r.value_text.clone(),
                unit: r.unit_text.clone(),
                low,
                high,
                flag: r.flag_text.clone(),
                collection_date: date,
                loinc: None,
                auto: false,
            });
        }
    }
    (rows, dates)
}

/// A printed number: decimal comma or point; a comma before exactly three digits (and no
/// point) is a thousands separator.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'))
    {
        return None;
    }
    let t = if s.contains('.') && s.contains(',') {
        s.replace(',', "")
    } else if let Some((_, frac)) = s.rsplit_once(',') {
        if frac.len() == 3 && !s.starts_with("0,") {
            s.replace(',', "")
        } else {
            s.replace(',', ".")
        }
    } else {
        s.to_string()
    };
    t.parse().ok()
}

fn parse_bound(s: &str) -> Option<(String, f64)> {
    let s = s.trim();
    for cmp in ["<=", ">=", "<", ">", "≤", "≥"] {
        if let Some(rest) = s.strip_prefix(cmp) {
            let c = match cmp {
                "≤" => "<=",
                "≥" => ">=",
                c => c,
            };
            return parse_number(rest.trim()).map(|v| (c.to_string(), v));
        }
    }
    None
}

/// Low and high of the first range in a printed reference text.
pub fn parse_range(text: &str) -> (Option<f64>, Option<f64>) {
    let first = text.split(" / ").next().unwrap_or(text);
    let cleaned: String = first
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | '(' | ')') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let lower = cleaned.to_lowercase();
    let nums: Vec<(usize, f64)> = numbers(&cleaned);
    let pos_of = |pat: &str| lower.find(pat);
    let single_after = |p: usize| match nums.as_slice() {
        [(i, v)] if *i > p => Some(*v),
        _ => None,
    };
    if let Some(v) = pos_of("up to")
        .or_else(|| pos_of("upto"))
        .or_else(|| pos_of("<"))
        .or_else(|| pos_of("≤"))
        .and_then(single_after)
    {
        return (None, Some(v));
    }
    if let Some(v) = pos_of(">").or_else(|| pos_of("≥")).and_then(single_after) {
        return (Some(v), None);
    }
    match nums.as_slice() {
        [(_, a), (_, b), ..] => (Some(*a), Some(*b)),
        _ => (None, None),
    }
}

fn numbers(s: &str) -> Vec<(usize, f64)> {
    let mut out = Vec::new();
    let bytes: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < bytes.len() {
        let (start, c) = bytes[i];
        if c.is_ascii_digit() {
            let mut j = i;
            while j < bytes.len()
                && (bytes[j].1.is_ascii_digit() || matches!(bytes[j].1, '.' | ','))
            {
                j += 1;
            }
            let end = bytes.get(j).map(|b| b.0).unwrap_or(s.len());
            let text = s[start..end].trim_end_matches(['.', ',']);
            if let Some(v) = parse_number(text) {
                out.push((start, v));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("13.0 - 17.0"), (Some(13.0), Some(17.0)));
        assert_eq!(parse_range("< 200.00"), (None, Some(200.0)));
        assert_eq!(parse_range("> OR = 60"), (Some(60.0), None));
        assert_eq!(parse_range("Up to 150"), (None, Some(150.0)));
        assert_eq!(parse_range("0,74 - 1,06"), (Some(0.74), Some(1.06)));
        assert_eq!(parse_range("4,800 - 10,800"), (Some(4800.0), Some(10800.0)));
        assert_eq!(
            parse_range("male : 14 - 16 g% / Female : 12 - 14 g%"),
            (Some(14.0), Some(16.0))
        );
        assert_eq!(parse_range("135.00 -145.00"), (Some(135.0), Some(145.0)));
    }

    #[test]
    fn numbers_as_printed() {
        assert_eq!(parse_number("5,100"), Some(5100.0));
        assert_eq!(parse_number("1,02"), Some(1.02));
        assert_eq!(parse_number("07"), Some(7.0));
        assert_eq!(parse_number("Normal"), None);
    }
}
