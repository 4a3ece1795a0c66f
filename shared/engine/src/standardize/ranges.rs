//! Printed reference ranges: `13.0 - 17.0`, `< 200`, `> OR = 60`, `Up to 5`, `bis 5`, `[13-17]`,
//! sex-specific lines and category lists.

use super::normalize::fold;
use super::values::{dot_thousands, parse_number};
use crate::model::{PatientInfo, RangeContext, ReferenceRange, Sex};

const MALE: &[&str] = &[
    "m", "male", "males", "men", "man", "homme", "hommes", "h", "mann", "manner", "maenner",
    "uomo", "uomini", "maschi", "maschio", "hombre", "hombres", "varon", "varones", "masculin",
];
const FEMALE: &[&str] = &[
    "f", "female", "females", "women", "woman", "femme", "femmes", "frau", "frauen", "w", "donna",
    "donne", "femmine", "femmina", "mujer", "mujeres", "feminin",
];
const CATEGORY_START: &[&str] = &[
    "desirable",
    "borderline",
    "high",
    "optimal",
    "near",
    "very",
    "low",
    "normal",
    "deficiency",
    "deficient",
    "insufficiency",
    "insufficient",
    "sufficiency",
    "sufficient",
    "toxic",
    "toxicity",
    "adults",
    "adult",
    "children",
    "child",
    "pregnancy",
    "ideal",
    "risk",
    "elevated",
    "prediabetes",
    "diabetes",
    "diabetic",
    "non",
    "souhaitable",
    "optimale",
    "limite",
    "eleve",
    "wunschenswert",
    "grenzwertig",
    "hoch",
    "erhoht",
    "deseable",
    "limitrofe",
    "alto",
    "ottimale",
    "desiderabile",
];
const NORMAL_CATEGORIES: &[&str] = &[
    "desirable",
    "optimal",
    "normal",
    "sufficient",
    "sufficiency",
    "ideal",
    "souhaitable",
    "optimale",
    "wunschenswert",
    "deseable",
    "ottimale",
    "desiderabile",
    "non diabetic",
    "normale",
    "adult",
    "adults",
];
const HIGH_WORDS: &[&str] = &[
    "<=",
    "=<",
    "≤",
    "<",
    "less than",
    "up to",
    "upto",
    "bis",
    "jusqu a",
    "jusqu'a",
    "fino a",
    "hasta",
    "below",
    "max",
    "under",
    "inferieur a",
    "inf a",
    "kleiner als",
    "menor de",
    "inferiore a",
];
const LOW_WORDS: &[&str] = &[
    ">=",
    "=>",
    "≥",
    "> or =",
    ">or=",
    ">",
    "greater than",
    "more than",
    "above",
    "min",
    "over",
    "at least",
    "superieur a",
    "sup a",
    "grosser als",
    "mayor de",
    "superiore a",
];

struct Num {
    start: usize,
    end: usize,
    text: String,
}

fn numbers(s: &str) -> Vec<Num> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' || b[i] == b',') {
                i += 1;
            }
            let mut end = i;
            while end > start && (b[end - 1] == b'.' || b[end - 1] == b',') {
                end -= 1;
            }
            out.push(Num {
                start,
                end,
                text: s[start..end].to_string(),
            });
        } else {
            i += 1;
        }
    }
    out
}

fn split_segments(text: &str) -> Vec<String> {
    let mut segs = Vec::new();
    for part in text.split(['\n', ';', '|']) {
        for p in part.split(" / ") {
            segs.extend(split_at_labels(p));
        }
    }
    segs.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// Split "M: 13-17 F: 12-15" or "Desirable < 200 Borderline 200-239" at each label after a number.
fn split_at_labels(seg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in seg.split_inclusive(char::is_whitespace) {
        let w = fold(word.trim())
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string();
        let is_label = MALE.contains(&w.as_str())
            || FEMALE.contains(&w.as_str())
            || CATEGORY_START.contains(&w.as_str());
        if is_label && cur.chars().any(|c| c.is_ascii_digit()) {
            out.push(std::mem::take(&mut cur));
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn label_context(label: &str) -> (RangeContext, Option<String>) {
    let mut ctx = RangeContext::default();
    let f = fold(label);
    let words: Vec<&str> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| MALE.contains(w)) {
        ctx.sex = Some(Sex::Male);
    } else if words.iter().any(|w| FEMALE.contains(w)) {
        ctx.sex = Some(Sex::Female);
    }
    let category = words
        .first()
        .filter(|w| CATEGORY_START.contains(w))
        .map(|_| {
            label
                .trim()
                .trim_matches([':', '-', '(', ')'])
                .trim()
                .to_string()
        })
        .filter(|c| !c.is_empty());
    (ctx, category)
}

/// Last position of `w` in `s`; alphabetic words must stand alone (not "min" in "uomini").
fn word_at(s: &str, w: &str) -> Option<usize> {
    let alpha = w.starts_with(|c: char| c.is_alphabetic());
    s.rmatch_indices(w).map(|(i, _)| i).find(|&i| {
        !alpha
            || (!s[..i].ends_with(|c: char| c.is_alphanumeric())
                && !s[i + w.len()..].starts_with(|c: char| c.is_alphanumeric()))
    })
}

/// Parse one segment into a range, if it holds bounds.
fn parse_segment(seg: &str, decimal_comma: bool) -> Option<ReferenceRange> {
    let s = seg.replace(['–', '—', '−'], "-");
    let nums = numbers(&s);
    let first = nums.first()?;
    let prefix_raw = &s[..first.start];
    let prefix = fold(prefix_raw);
    let prefix_t = prefix.trim().trim_matches(|c| c == '[' || c == '(').trim();
    let num = |n: &Num| parse_number(&n.text, decimal_comma);
    let mut low = None;
    let mut high = None;
    let mut label_end = prefix_raw.len();
    let comparator_at = |words: &[&'static str]| -> Option<(usize, &'static str)> {
        words
            .iter()
            .filter_map(|w| word_at(prefix_t, w).map(|i| (i, *w)))
            .max_by_key(|(i, w)| (*i, w.len()))
    };
    let between = nums
        .get(1)
        .map(|n2| fold(&s[first.end..n2.start]).trim().to_string());
    let is_sep = |b: &str| matches!(b, "-" | "to" | "bis" | "a" | ".." | "..." | "-<" | "a <");
    let lo_cmp = comparator_at(LOW_WORDS);
    let hi_cmp = comparator_at(HIGH_WORDS);
    if let (Some(b), Some(n2)) = (between.as_deref(), nums.get(1))
        && is_sep(b)
        && lo_cmp.is_none()
        && hi_cmp.is_none()
    {
        low = num(first);
        high = num(n2);
        if let (Some(l), Some(h)) = (low, high)
            && h < l
        {
            // "4000 - 10.000": a dot grouping thousands
            high = dot_thousands(&n2.text).filter(|v| *v >= l).or(high);
        }
    } else {
        match (lo_cmp, hi_cmp) {
            (Some((li, lw)), Some((hi, hw))) => {
                // the comparator closest to the number wins
                if li + lw.len() >= hi + hw.len() {
                    low = num(first);
                } else {
                    high = num(first);
                }
            }
            (Some(_), None) => low = num(first),
            (None, Some(_)) => high = num(first),
            (None, None) => return None,
        }
        if let Some((i, _)) = lo_cmp.or(hi_cmp) {
            // `i` is a byte offset into the folded, trimmed prefix; map it back by characters
            // (folding may change lengths, so fall back to the whole prefix when unsure)
            let off = prefix_t.as_ptr() as usize - prefix.as_ptr() as usize;
            label_end = prefix
                .get(..off + i)
                .and_then(|head| {
                    prefix_raw
                        .char_indices()
                        .map(|(b, _)| b)
                        .nth(head.chars().count())
                })
                .unwrap_or(prefix_raw.len());
        }
    }
    if low.is_none() && high.is_none() {
        return None;
    }
    let label = prefix_raw.get(..label_end).unwrap_or(prefix_raw);
    let (context, mut category) = label_context(label);
    if category.is_none() && label.trim().is_empty() {
        // "< 200 desirable"
        let tail_start = nums
            .get(1)
            .filter(|_| low.is_some() && high.is_some())
            .unwrap_or(first)
            .end;
        let (_, c) = label_context(&s[tail_start..]);
        category = c;
    }
    Some(ReferenceRange {
        low,
        high,
        text: Some(seg.trim().to_string()),
        category,
        context,
    })
}

/// Every range printed in `text`.
pub fn parse_ranges(text: &str, decimal_comma: bool) -> Vec<ReferenceRange> {
    split_segments(text)
        .iter()
        .filter_map(|s| parse_segment(s, decimal_comma))
        .collect()
}

/// The range that applies to the patient: matching sex, a "normal" category, else the first.
pub fn applicable(ranges: &[ReferenceRange], patient: &PatientInfo) -> Option<ReferenceRange> {
    let fits = |r: &&ReferenceRange| match (r.context.sex, patient.sex) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let candidates: Vec<&ReferenceRange> = ranges.iter().filter(fits).collect();
    let pick = candidates
        .iter()
        .find(|r| {
            r.category.as_deref().is_some_and(|c| {
                let f = fold(c);
                NORMAL_CATEGORIES.iter().any(|n| f.starts_with(n))
            })
        })
        .or_else(|| candidates.first())
        .copied()?;
    Some(pick.clone())
}
