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
    "ate",
    "tot",
    "jusqu’a",
    "bis zu",
    "unter",
    "moins de",
    "menos de",
    "meno di",
    "abaixo de",
    "kleiner dan",
    "minder dan",
    "lager dan",
    "onder",
    "maximum",
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
    "ab",
    "minimum",
    "mindestens",
    "mehr als",
    "uber",
    "plus de",
    "a partir de",
    "mas de",
    "desde",
    "oltre",
    "maggiore di",
    "mais de",
    "acima de",
    "vanaf",
    "groter dan",
    "hoger dan",
    "meer dan",
    "boven",
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
            while i < b.len()
                && (b[i].is_ascii_digit()
                    || ((b[i] == b'.' || b[i] == b',')
                        && b.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
            {
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
    let text = bracket_semicolons(text);
    let mut segs = Vec::new();
    for part in text.split(['\n', ';', '|']) {
        for p in part.split(" / ") {
            segs.extend(split_at_labels(p));
        }
    }
    segs.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// `[3.5;5.1]`, `(3.5 ; 5.1)`: a semicolon inside brackets is the range's dash, not a
/// separator between ranges.
fn bracket_semicolons(text: &str) -> String {
    let mut depth = 0i32;
    text.chars()
        .map(|c| {
            match c {
                '[' | '(' => depth += 1,
                ']' | ')' => depth -= 1,
                ';' if depth > 0 => return '-',
                _ => {}
            }
            c
        })
        .collect()
}

/// The dashes, ellipses and tildes printed between the two numbers of a range, as `-`/`...`.
fn normalize_dashes(seg: &str) -> String {
    seg.replace(['–', '—', '−', '‐', '‑', '~', '～'], "-")
        .replace('…', "...")
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
    let seg = normalize_dashes(seg);
    if has_titre(&seg) {
        // "< 1:80": dilutions are not numbers on the value's scale; keep the text only.
        return Some(ReferenceRange {
            text: Some(seg.trim().to_string()),
            ..Default::default()
        });
    }
    if let Some(age) = age_clause(&seg, decimal_comma) {
        let mut r = parse_plain(&seg[age.rest..], decimal_comma)?;
        r.context.age_low = age.low;
        r.context.age_high = age.high;
        if r.context.sex.is_none() {
            r.context.sex = label_context(&seg[..age.label_end]).0.sex;
        }
        r.text = Some(seg.trim().to_string());
        return Some(r);
    }
    parse_plain(&seg, decimal_comma)
}

/// A titre such as `1:80` (never a time such as `10:30`).
fn has_titre(seg: &str) -> bool {
    seg.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '=' | '≤' | '≥'))
        .any(|t| {
            t.split_once(':').is_some_and(|(a, b)| {
                a == "1" && b.len() >= 2 && b.bytes().all(|c| c.is_ascii_digit())
            })
        })
}

const YEAR_WORDS: &[&str] = &[
    "years", "year", "yrs", "yr", "y", "ans", "jahre", "jahren", "j", "anni", "anno", "anos",
];
const MONTH_WORDS: &[&str] = &["months", "month", "mo", "mois", "monate", "mesi", "meses"];

struct AgeClause {
    low: Option<f32>,
    high: Option<f32>,
    /// Where the label before the age ends.
    label_end: usize,
    /// Where the range after the age starts.
    rest: usize,
}

/// "18-60 years: 13-17", "Adults > 18 y: < 200", "Children 1-10 Jahre 3-5".
fn age_clause(seg: &str, decimal_comma: bool) -> Option<AgeClause> {
    let nums = numbers(seg);
    for (i, n) in nums.iter().enumerate().take(2) {
        let after = &seg[n.end..];
        let after_f = fold(after);
        let trimmed = after_f.trim_start();
        let word: String = trimmed.chars().take_while(|c| c.is_alphabetic()).collect();
        let scale = if YEAR_WORDS.contains(&word.as_str()) {
            1.0
        } else if MONTH_WORDS.contains(&word.as_str()) {
            1.0 / 12.0
        } else {
            continue;
        };
        // the range must follow the age
        if nums.len() < i + 2 {
            return None;
        }
        let skip = after.len() - after.trim_start().len()
            + after
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphabetic())
                .map(char::len_utf8)
                .sum::<usize>();
        let rest = n.end + skip;
        let v = |x: &Num| parse_number(&x.text, decimal_comma).map(|v| (v * scale) as f32);
        if i == 1 {
            let between = fold(&seg[nums[0].end..n.start]);
            if !matches!(between.trim(), "-" | "to" | "bis" | "a") {
                return None;
            }
            return Some(AgeClause {
                low: v(&nums[0]),
                high: v(n),
                label_end: nums[0].start,
                rest,
            });
        }
        let prefix = fold(&seg[..n.start]);
        let (low, high) = if prefix.contains('>')
            || prefix.contains('≥')
            || ["over", "above", "ab", "uber", "vanaf", "desde", "oltre"]
                .iter()
                .any(|w| word_at(&prefix, w).is_some())
        {
            (v(n), None)
        } else if prefix.contains('<')
            || prefix.contains('≤')
            || ["under", "below", "unter", "bis", "tot", "hasta", "ate"]
                .iter()
                .any(|w| word_at(&prefix, w).is_some())
        {
            (None, v(n))
        } else {
            return None;
        };
        let label_end = prefix_label_end(seg, n.start);
        return Some(AgeClause {
            low,
            high,
            label_end,
            rest,
        });
    }
    None
}

fn prefix_label_end(seg: &str, num_start: usize) -> usize {
    seg[..num_start]
        .rfind(|c: char| c.is_alphabetic())
        .map(|i| i + 1)
        .unwrap_or(0)
}

fn parse_plain(seg: &str, decimal_comma: bool) -> Option<ReferenceRange> {
    let s = normalize_dashes(seg);
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
    let is_sep = |b: &str| {
        matches!(
            b,
            "-" | "to"
                | "bis"
                | "a"
                | "al"
                | "ate"
                | "tot"
                | "t/m"
                | "tm"
                | "tot en met"
                | ".."
                | "..."
                | "-<"
                | "a <"
        )
    };
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
    // without a known age, assume an adult
    let age = patient.age_at_collection.unwrap_or(30.0);
    let fits = |r: &&ReferenceRange| {
        let sex_ok = match (r.context.sex, patient.sex) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let age_ok = r.context.age_low.is_none_or(|l| age >= l)
            && r.context.age_high.is_none_or(|h| age <= h);
        sex_ok && age_ok
    };
    let mut candidates: Vec<&ReferenceRange> = ranges.iter().filter(fits).collect();
    if candidates.is_empty() {
        candidates = ranges.iter().collect();
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(text: &str, dc: bool) -> (Option<f64>, Option<f64>) {
        let r = parse_ranges(text, dc);
        assert_eq!(r.len(), 1, "{text}: {r:?}");
        (r[0].low, r[0].high)
    }

    #[test]
    fn two_sided_ranges_in_every_language_and_glyph() {
        let both = (Some(3.5), Some(5.1));
        for t in [
            "3.5 - 5.1",
            "3.5-5.1",
            "3.5 – 5.1",
            "3.5–5.1",
            "3.5‐5.1",
            "3.5 − 5.1",
            "3.5 to 5.1",
            "3.5 bis 5.1",
            "3.5 à 5.1",
            "3.5 a 5.1",
            "3.5 até 5.1",
            "3.5 tot 5.1",
            "3.5 t/m 5.1",
            "3.5 al 5.1",
            "3.5...5.1",
            "3.5 ... 5.1",
            "3.5..5.1",
            "3.5…5.1",
            "3.5~5.1",
            "(3.5 - 5.1)",
            "[3.5;5.1]",
            "[3.5 ; 5.1]",
            "(3.5;5.1)",
        ] {
            assert_eq!(bounds(t, false), both, "{t}");
        }
        for t in [
            "3,5-5,1",
            "3,5 – 5,1",
            "3,5 bis 5,1",
            "[3,5;5,1]",
            "3,5 à 5,1",
            "3,5...5,1",
        ] {
            assert_eq!(bounds(t, true), both, "{t}");
        }
    }

    #[test]
    fn one_sided_ranges_in_every_language() {
        for t in [
            "< 5",
            "<5",
            "≤ 5",
            "≤5",
            "<= 5",
            "up to 5",
            "Up to 5",
            "bis 5",
            "bis zu 5",
            "jusqu'à 5",
            "jusqu’à 5",
            "hasta 5",
            "fino a 5",
            "até 5",
            "tot 5",
            "max. 5",
            "kleiner dan 5",
        ] {
            assert_eq!(bounds(t, false), (None, Some(5.0)), "{t}");
        }
        for t in [
            "> 40",
            ">40",
            "≥ 40",
            ">= 40",
            "ab 40",
            "min. 40",
            "min 40",
            "vanaf 40",
            "más de 40",
            "a partir de 40",
            "superiore a 40",
        ] {
            assert_eq!(bounds(t, false), (Some(40.0), None), "{t}");
        }
    }

    #[test]
    fn semicolons_outside_brackets_still_separate_ranges() {
        let r = parse_ranges("M: 13-17; F: 12-15", false);
        assert_eq!(r.len(), 2);
        assert_eq!((r[1].low, r[1].high), (Some(12.0), Some(15.0)));
    }

    #[test]
    fn german_age_clauses_with_ab_and_bis() {
        let r = parse_ranges("ab 18 Jahre: 3-5", false);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!((r[0].low, r[0].high), (Some(3.0), Some(5.0)));
        assert_eq!(r[0].context.age_low, Some(18.0));
    }
}
