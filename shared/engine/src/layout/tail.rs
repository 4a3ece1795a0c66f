//! The fields after a row's name when no header says which column is which: the value, unit,
//! range and flag are told apart by what they look like, in whatever order the lab prints them
//! (`value unit range`, `range value unit`, `unit value range`, ...).

use super::cells::{split_range_unit, take_value};
use super::tokens::*;

/// What the tokens after a name hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tail {
    pub value: Option<String>,
    /// Token indices `[start, end)` of the value.
    pub value_span: Option<(usize, usize)>,
    pub unit: Option<String>,
    pub range: Option<String>,
    pub flag: Option<String>,
    /// Words that fit no field (method names, notes).
    pub leftover: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Free,
    Range,
    Value,
    Used,
}

/// A reference range starting at `i`: its end and whether it can only be a range (a lone
/// bound such as `<5` may be a value as well).
fn range_span(t: &[String], i: usize) -> Option<(usize, bool)> {
    let cur = t[i].as_str();
    let next = t.get(i + 1).map(String::as_str).unwrap_or("");
    let after = t.get(i + 2).map(String::as_str).unwrap_or("");
    if is_sex_label(cur, next) {
        let start = if cur.ends_with(':') { i + 1 } else { i + 2 };
        if start >= t.len() {
            return None;
        }
        let (end, _) = range_span(t, start)?;
        // "Male: 13-17 Female: 12-15" is one range text.
        if end < t.len()
            && is_sex_label(&t[end], t.get(end + 1).map_or("", String::as_str))
            && let Some((second, _)) = range_span(t, end)
        {
            return Some((second, true));
        }
        return Some((end, true));
    }
    if (cur.starts_with('(') || cur.starts_with('[')) && cur.chars().any(|c| c.is_ascii_digit()) {
        if cur.ends_with([')', ']']) {
            return Some((i + 1, true));
        }
        let close = (i + 1..t.len().min(i + 6)).find(|&j| t[j].ends_with([')', ']']))?;
        return Some((close + 1, true));
    }
    if is_number(cur) && is_dash(next) && is_number(after) {
        // "77,4 - 80 - 100": a value with a minus flag, then the range.
        let again =
            t.get(i + 3).is_some_and(|d| is_dash(d)) && t.get(i + 4).is_some_and(|n| is_number(n));
        if again {
            return None;
        }
    }
    // Every other form is the token grammar's; a lone bound (`<5`, `< 5`) may be a value too.
    let len = range_len(t, i)?;
    let lone_bound = is_bound(cur) || (is_comparator(cur) && len == 2);
    Some((i + len, !lone_bound))
}

/// "Male:", "Femmes :", "Uomini:", "H:" before a sex-specific range.
pub fn is_sex_label(cur: &str, next: &str) -> bool {
    let l = cur.trim_end_matches(':').to_lowercase();
    const LABELS: &[&str] = &[
        "male",
        "female",
        "men",
        "women",
        "m",
        "f",
        "h",
        "w",
        "adults",
        "adult",
        "children",
        "männer",
        "frauen",
        "mann",
        "frau",
        "hommes",
        "femmes",
        "homme",
        "femme",
        "uomini",
        "donne",
        "uomo",
        "donna",
        "hombres",
        "mujeres",
        "hombre",
        "mujer",
        "homens",
        "mulheres",
        "homem",
        "mulher",
        "mannen",
        "vrouwen",
        "man",
        "vrouw",
        "erwachsene",
        "adultes",
        "adulti",
        "adultos",
        "volwassenen",
        "kinder",
        "enfants",
        "bambini",
        "niños",
        "crianças",
        "kinderen",
    ];
    LABELS.contains(&l.as_str()) && (cur.ends_with(':') || next == ":")
}

/// Reads the tokens after a name. `qualitative` allows word values ("Negative").
pub fn read_tail(t: &[String], qualitative: bool) -> Tail {
    let mut marks = vec![Mark::Free; t.len()];
    let mut ranges: Vec<(usize, usize, bool)> = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match range_span(t, i) {
            Some((end, definite)) if end > i => {
                ranges.push((i, end.min(t.len()), definite));
                i = end;
            }
            _ => i += 1,
        }
    }
    for &(s, e, definite) in &ranges {
        if definite {
            marks[s..e].fill(Mark::Range);
        }
    }
    let mut out = Tail::default();
    let mut glued_unit = None;
    // The value: the first free token that reads as one.
    let mut k = 0;
    while k < t.len() {
        if marks[k] != Mark::Free || ranges.iter().any(|&(s, e, d)| !d && (s..e).contains(&k)) {
            k += 1;
            continue;
        }
        let run_end = (k..t.len())
            .find(|&j| marks[j] != Mark::Free)
            .unwrap_or(t.len());
        let (flag, value, next, unit) = take_value(&t[k..run_end], qualitative);
        if let Some(v) = value {
            out.value = Some(v);
            out.value_span = Some((k + next_value_start(&t[k..run_end], next), k + next));
            if flag.is_some() {
                out.flag = flag;
            }
            glued_unit = unit;
            marks[k..k + next].fill(Mark::Value);
            break;
        }
        k += 1;
    }
    // A lone bound is the value when nothing else is, and the range otherwise.
    let mut bounds = ranges.iter().filter(|r| !r.2);
    if out.value.is_none()
        && let Some(&(s, e, _)) = bounds.next()
    {
        out.value = Some(t[s..e].concat());
        out.value_span = Some((s, e));
        marks[s..e].fill(Mark::Value);
    }
    let range = ranges
        .iter()
        .find(|&&(s, _, d)| d || marks[s] == Mark::Free)
        .copied();
    if let Some((s, e, _)) = range {
        marks[s..e].fill(Mark::Range);
        // Text after a range inside its span ("65-99 mg/dL" as one token run) is split later.
        out.range = Some(t[s..e].join(" "));
    }
    for &(s, e, _) in &ranges {
        if Some(s) != range.map(|r| r.0) && marks[s] != Mark::Value {
            marks[s..e].fill(Mark::Used);
        }
    }
    // A sign right after the value is its flag ("77,4 -"); strict flags anywhere.
    if let Some((_, ve)) = out.value_span
        && ve < t.len()
        && marks[ve] == Mark::Free
        && is_sign_flag(&t[ve])
    {
        out.flag.get_or_insert_with(|| t[ve].clone());
        marks[ve] = Mark::Used;
    }
    for j in 0..t.len() {
        if marks[j] == Mark::Free && is_strict_flag(&t[j]) {
            let long = t[j].chars().count() > 1;
            // A one-letter flag after a unit word is part of the unit ("U/L" then "A" is rare)
            if long || out.flag.is_none() {
                out.flag.get_or_insert_with(|| t[j].clone());
                marks[j] = Mark::Used;
            }
        }
    }
    // The unit: the first run of free words holding a unit-like token.
    let mut j = 0;
    while j < t.len() {
        if marks[j] != Mark::Free {
            j += 1;
            continue;
        }
        let end = (j..t.len())
            .find(|&x| marks[x] != Mark::Free)
            .unwrap_or(t.len());
        let words: Vec<&String> = t[j..end]
            .iter()
            .filter(|w| !(w.starts_with('(') && w.ends_with(')')))
            .collect();
        let unit_at = words.iter().position(|w| unit_word(w));
        if out.unit.is_none()
            && let Some(p) = unit_at
            && words.len() <= 4
        {
            // Words before the unit-like one belong to it only when short ("x 10^9/L").
            let from = if p > 0 && words[p - 1].chars().count() <= 2 {
                p - 1
            } else {
                p
            };
            out.unit = Some(
                words[from..]
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            out.leftover += from;
            marks[j..end].fill(Mark::Used);
        } else {
            out.leftover += words.len();
        }
        j = end;
    }
    if out.unit.is_none() {
        out.unit = glued_unit;
    }
    // A unit printed inside the range's run ("70 - 99 mg/dL" read as one range text).
    if let Some(r) = out.range.take() {
        let tokens: Vec<String> = r.split_whitespace().map(String::from).collect();
        if tokens.last().is_some_and(|t| is_unit_like(t)) {
            let (range, unit) = split_range_unit(&tokens);
            out.range = Some(range);
            if out.unit.is_none() {
                out.unit = unit;
            }
        } else {
            out.range = Some(r);
        }
    }
    out
}

/// A unit as printed after a value: symbols (`mg/dL`, `%`, `x10^9/L`) or a short or lower-case
/// word (`fL`, `U`, `cumm`); a capitalised word ("Mill Lane") is text, not a unit.
fn unit_word(w: &str) -> bool {
    if !is_unit_like(w) {
        return false;
    }
    let plain = w.chars().all(char::is_alphabetic);
    let capitalised = w.chars().next().is_some_and(char::is_uppercase)
        && w.chars().skip(1).all(char::is_lowercase);
    !(plain && capitalised && w.chars().count() > 3)
}

/// Where the value starts within a run: after any flags printed before it.
fn next_value_start(run: &[String], value_end: usize) -> usize {
    let mut i = 0;
    while i + 1 < value_end && is_strict_flag(&run[i]) && !is_qualitative_start(&run[i]) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tail(s: &str) -> Tail {
        let t: Vec<String> = s.split_whitespace().map(String::from).collect();
        read_tail(&t, false)
    }

    fn fields(
        s: &str,
    ) -> (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        let t = tail(s);
        (t.value, t.unit, t.range, t.flag)
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn every_column_order() {
        let want = (some("85"), some("mg/dL"), some("70 - 99"), None);
        for order in [
            "85 mg/dL 70 - 99",
            "85 70 - 99 mg/dL",
            "mg/dL 85 70 - 99",
            "70 - 99 85 mg/dL",
            "70 - 99 mg/dL 85",
            "mg/dL 70 - 99 85",
        ] {
            assert_eq!(fields(order), want, "{order}");
        }
    }

    #[test]
    fn bounds_are_values_or_ranges_by_what_else_is_there() {
        assert_eq!(fields("<0.1 mg/dL").0, some("<0.1"));
        assert_eq!(fields("<0.1 mg/dL").2, None);
        assert_eq!(
            fields("52 mg/dL >40"),
            (some("52"), some("mg/dL"), some(">40"), None)
        );
        assert_eq!(
            fields(">40 52 mg/dL"),
            (some("52"), some("mg/dL"), some(">40"), None)
        );
        assert_eq!(fields("< 5 0.3 U/L").0, some("0.3"));
        assert_eq!(fields(">90 mL/min >60").0, some(">90"));
        assert_eq!(fields(">90 mL/min >60").2, some(">60"));
    }

    #[test]
    fn flags_and_glued_forms() {
        assert_eq!(
            fields("H 12.1 x10^9/L 4.0-11.0"),
            (some("12.1"), some("x10^9/L"), some("4.0-11.0"), some("H"))
        );
        assert_eq!(
            fields("12.1 High 4.0 - 11.0 x 10^9/L"),
            (
                some("12.1"),
                some("x 10^9/L"),
                some("4.0 - 11.0"),
                some("High")
            )
        );
        assert_eq!(fields("77,4 - 80 - 100 fL").3, some("-"));
        assert_eq!(fields("77,4 - 80 - 100 fL").2, some("80 - 100"));
        assert_eq!(fields("(3.5 - 5.1) 4.2 mmol/L").2, some("(3.5 - 5.1)"));
        assert_eq!(fields("5.2% 4.0 - 6.0").1, some("%"));
    }

    #[test]
    fn sex_specific_ranges_are_one_range() {
        let t = tail("14.2 g/dL Male: 13 - 17 Female: 12 - 15");
        assert_eq!(t.value, some("14.2"));
        assert_eq!(t.range, some("Male: 13 - 17 Female: 12 - 15"));
    }

    #[test]
    fn no_value_when_only_a_range() {
        let t = tail("13.0 - 17.0 g/dL");
        assert_eq!(t.value, None);
        assert_eq!(t.range, some("13.0 - 17.0"));
        assert_eq!(t.unit, some("g/dL"));
    }
}
