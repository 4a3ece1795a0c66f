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

/// A range in one token: `13.0-17.0`, `4,0-10,0`, `3.5–5.1`, `3.5‐5.1`, `3...5`, `3~5`,
/// `[13-17]`, `(4.0-10.0)`, `[3.5;5.1]`. A printed LOINC code (`2345-7`) is not a range.
pub fn is_range_token(s: &str) -> bool {
    range_token_bounds(s).is_some()
}

/// Separators of the two numbers of a range printed in one token, longest first.
const RANGE_SEPARATORS: &[&str] = &["...", "..", "…", "-", "–", "—", "‐", "‑", "−", "~", "～"];

/// The low and high numbers of a range printed in one token (see [`is_range_token`]).
pub fn range_token_bounds(s: &str) -> Option<(&str, &str)> {
    let bracketed = s.starts_with(['[', '(']) && s.ends_with([']', ')']);
    let t = s.trim_matches(['[', ']', '(', ')']);
    if is_code_not_range(t) {
        return None;
    }
    let semicolon: &[&str] = if bracketed { &[";"] } else { &[] };
    for sep in RANGE_SEPARATORS.iter().chain(semicolon) {
        for (i, _) in t.match_indices(sep) {
            // A minus at the start is the low number's sign.
            if i == 0 {
                continue;
            }
            let (a, b) = (&t[..i], &t[i + sep.len()..]);
            if is_number(a) && is_number(b) {
                return Some((a, b));
            }
        }
    }
    None
}

/// Words and marks between the two numbers of a range: `-`, `–`, `to`, `bis`, `à`, `a`, `al`,
/// `até`, `tot`, `t/m`, `...`, `…`, `~`.
pub fn is_dash(s: &str) -> bool {
    if matches!(
        s,
        "-" | "–" | "—" | "‐" | "‑" | "−" | "~" | "～" | "..." | ".." | "…" | "a" | "à"
    ) {
        return true;
    }
    matches!(
        s.to_lowercase().as_str(),
        "to" | "bis" | "al" | "até" | "ate" | "tot" | "t/m" | "tm" | "à"
    )
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

/// Which end of the range a one-sided bound gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundSide {
    /// `< 5`, `up to 5`, `bis 5`: the high end.
    Upper,
    /// `> 40`, `ab 40`, `min. 40`: the low end.
    Lower,
}

/// Phrases printed before a number for an upper bound only, as lower-case words.
const UPPER_PHRASES: &[&[&str]] = &[
    &["<"],
    &["≤"],
    &["<="],
    &["=<"],
    &["<or="],
    &["<", "or", "="],
    &["up", "to"],
    &["upto"],
    &["less", "than"],
    &["below"],
    &["under"],
    &["max"],
    &["max."],
    &["maximum"],
    &["bis"],
    &["bis", "zu"],
    &["kleiner", "als"],
    &["unter"],
    &["jusqu'à"],
    &["jusqu'a"],
    &["jusqu’à"],
    &["jusqu’a"],
    &["jusqu'", "à"],
    &["inférieur", "à"],
    &["inferieur", "a"],
    &["moins", "de"],
    &["hasta"],
    &["menor", "de"],
    &["menos", "de"],
    &["inferior", "a"],
    &["fino", "a"],
    &["inferiore", "a"],
    &["meno", "di"],
    &["até"],
    &["ate"],
    &["abaixo", "de"],
    &["tot"],
    &["kleiner", "dan"],
    &["minder", "dan"],
    &["lager", "dan"],
    &["onder"],
];

/// Phrases printed before a number for a lower bound only, as lower-case words.
const LOWER_PHRASES: &[&[&str]] = &[
    &[">"],
    &["≥"],
    &[">="],
    &["=>"],
    &[">or="],
    &[">", "or", "="],
    &["more", "than"],
    &["greater", "than"],
    &["above"],
    &["over"],
    &["at", "least"],
    &["min"],
    &["min."],
    &["minimum"],
    &["ab"],
    &["über"],
    &["mehr", "als"],
    &["größer", "als"],
    &["grösser", "als"],
    &["mindestens"],
    &["supérieur", "à"],
    &["superieur", "a"],
    &["plus", "de"],
    &["à", "partir", "de"],
    &["a", "partir", "de"],
    &["mayor", "de"],
    &["más", "de"],
    &["mas", "de"],
    &["desde"],
    &["superiore", "a"],
    &["oltre"],
    &["maggiore", "di"],
    &["mais", "de"],
    &["acima", "de"],
    &["vanaf"],
    &["groter", "dan"],
    &["hoger", "dan"],
    &["meer", "dan"],
    &["boven"],
];

/// A one-sided range starting at `tokens[i]`: `< 5`, `<5`, `≤ 5`, `up to 5`, `bis 5`,
/// `jusqu'à 5`, `hasta 5`, `fino a 5`, `até 5`, `tot 5`, `> 40`, `≥ 40`, `ab 40`, `min. 40`.
/// Returns the side and the index of the token holding the number.
pub fn one_sided_at<S: AsRef<str>>(tokens: &[S], i: usize) -> Option<(BoundSide, usize)> {
    let first = strip_brackets(tokens.get(i)?.as_ref());
    if is_bound(first) {
        let side = if first.starts_with(['<', '≤']) || first.starts_with("=<") {
            BoundSide::Upper
        } else {
            BoundSide::Lower
        };
        return Some((side, i));
    }
    for (side, phrases) in [
        (BoundSide::Upper, UPPER_PHRASES),
        (BoundSide::Lower, LOWER_PHRASES),
    ] {
        for phrase in phrases {
            let n = phrase.len();
            let Some(words) = tokens.get(i..i + n) else {
                continue;
            };
            let same = words.iter().zip(phrase.iter()).all(|(w, p)| {
                w.as_ref()
                    .trim_start_matches(['(', '['])
                    .to_lowercase()
                    .replace('’', "'")
                    == p.replace('’', "'")
            });
            if same
                && tokens
                    .get(i + n)
                    .is_some_and(|t| is_number(strip_brackets(t.as_ref())))
            {
                return Some((side, i + n));
            }
        }
    }
    None
}

/// A token without the brackets and separators printed around a range's numbers:
/// `(3.5` → `3.5`, `5.1)` → `5.1`, `[3.5;` → `3.5`.
pub fn strip_brackets(s: &str) -> &str {
    s.trim_start_matches(['(', '['])
        .trim_end_matches([')', ']', ';', ','])
}

/// How many tokens a range starting at `tokens[i]` takes, for every printed form: one token
/// (`3.5-5.1`, `[3.5;5.1]`), number–connective–number (`3.5 - 5.1`, `(3.5 – 5.1)`,
/// `3,5 bis 5,1`, `3 à 5`, `3 tot 5`), a glued dash (`3.5 -5.1`, `3.5- 5.1`), a bracketed
/// pair (`[3.5; 5.1]`) and one-sided bounds ([`one_sided_at`]).
pub fn range_len<S: AsRef<str>>(tokens: &[S], i: usize) -> Option<usize> {
    let t = tokens.get(i)?.as_ref();
    let next = tokens.get(i + 1).map(|s| s.as_ref()).unwrap_or("");
    let after = tokens.get(i + 2).map(|s| s.as_ref()).unwrap_or("");
    if is_range_token(t) {
        return Some(1);
    }
    if let Some((_, end)) = one_sided_at(tokens, i) {
        return Some(end - i + 1);
    }
    const DASHES: [char; 5] = ['-', '–', '—', '‐', '−'];
    let a = strip_brackets(t);
    let bracketed_pair = next == ";" && t.starts_with(['[', '(']);
    if is_number(a) && (is_dash(next) || bracketed_pair) && is_number(strip_brackets(after)) {
        return Some(3);
    }
    // "3.5 -5.1" (not a LOINC code split at its dash)
    if is_number(a)
        && let Some(rest) = next.strip_prefix(DASHES)
        && is_number(strip_brackets(rest))
        && !is_code_not_range(&format!("{a}-{rest}"))
    {
        return Some(2);
    }
    // "3.5- 5.1", "[3.5; 5.1]"
    let glued = t.trim_end_matches(DASHES).trim_end_matches(';');
    if glued.len() < t.len() && is_number(strip_brackets(glued)) && is_number(strip_brackets(next))
    {
        return Some(2);
    }
    None
}

/// A LOINC code as printed: 1 to 6 digits, a dash and the mod-10 check digit (`2345-7`,
/// `718-7`, `14682-9`).
pub fn is_loinc_code(s: &str) -> bool {
    let Some((body, check)) = s.split_once('-') else {
        return false;
    };
    if body.is_empty()
        || body.len() > 6
        || check.len() != 1
        || !body.bytes().all(|b| b.is_ascii_digit())
        || !check.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    loinc_check_digit(body) == Some(check.as_bytes()[0] - b'0')
}

/// The LOINC mod-10 check digit of a code's digits (the LOINC users' guide): the digits in
/// odd positions counted from the right, read right to left as one number, doubled; the
/// digits in even positions, read likewise, put in front; the check digit brings the sum of
/// all those digits up to the next multiple of ten.
pub fn loinc_check_digit(body: &str) -> Option<u8> {
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits: Vec<u8> = body.bytes().rev().map(|b| b - b'0').collect();
    let odd: Vec<u8> = digits.iter().step_by(2).copied().collect();
    let even: Vec<u8> = digits.iter().skip(1).step_by(2).copied().collect();
    let sum: u32 = even
        .iter()
        .chain(double_decimal(&odd).iter())
        .map(|d| u32::from(*d))
        .sum();
    Some(((10 - sum % 10) % 10) as u8)
}

/// Twice a decimal number given as its digits, most significant first (any length).
fn double_decimal(digits: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(digits.len() + 1);
    let mut carry = 0;
    for d in digits.iter().rev() {
        let v = d * 2 + carry;
        out.push(v % 10);
        carry = v / 10;
    }
    if carry > 0 {
        out.push(carry);
    }
    out.reverse();
    out
}

/// A printed code that must not be read as a range: `\d{3,6}-\d` whose last digit is its
/// valid LOINC check digit (`2345-7`, `718-7`, `14682-9`). `4-8`, `10-40` and `135-145`
/// stay ranges: a code's right side is one digit and its left side three digits or more
/// (read as a range, it would run downwards, which no reference range does).
pub fn is_code_not_range(s: &str) -> bool {
    s.split_once('-')
        .is_some_and(|(body, _)| (3..=6).contains(&body.len()))
        && is_loinc_code(s)
}

/// Characters that draw leaders and rules: `.....`, `. . .`, `……`, `____`, `----`, `····`.
pub fn is_leader_char(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | '…' | '⋯' | '‥' | '_' | '-' | '–' | '—' | '‐' | '−' | '·' | '•' | '='
    )
}

/// How many printed characters a leader character stands for (an ellipsis is three dots).
pub fn leader_weight(c: char) -> usize {
    match c {
        '…' | '⋯' => 3,
        '‥' => 2,
        _ => 1,
    }
}

/// A word that is all leader, three characters or more: `...`, `........`, `……`, `____`,
/// `----`, `===`.
pub fn is_leader(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(is_leader_char)
        && s.chars().map(leader_weight).sum::<usize>() >= 3
}

/// The parts of a word left once its leader runs are cut out, as byte ranges:
/// `Sodium.......` → `Sodium`; `Sodium.....143` → `Sodium`, `143`; `.......` → none.
/// A short run between digits is a range's connective and stays (`3...5`, `3…5`), and so
/// do the dots and dashes of numbers, dates and names (`1.5`, `12.02.2024`, `Anti-HBs`).
pub fn leader_free_parts(s: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut parts = Vec::new();
    let mut start = 0usize;
    let mut k = 0;
    while k < chars.len() {
        if !is_leader_char(chars[k].1) {
            k += 1;
            continue;
        }
        let run_start = k;
        let mut weight = 0;
        while k < chars.len() && is_leader_char(chars[k].1) {
            weight += leader_weight(chars[k].1);
            k += 1;
        }
        if weight < 3 {
            continue;
        }
        let before = run_start.checked_sub(1).map(|j| chars[j].1);
        let after = chars.get(k).map(|c| c.1);
        let between_digits =
            before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit());
        if between_digits && weight <= 3 {
            continue;
        }
        let b0 = chars[run_start].0;
        let b1 = chars.get(k).map(|c| c.0).unwrap_or(s.len());
        if b0 > start {
            parts.push((start, b0));
        }
        start = b1;
    }
    if start < s.len() {
        parts.push((start, s.len()));
    }
    parts
}

/// Lower case without accents: `Février` → `fevrier`, `März` → `marz`, `Março` → `marco`.
pub fn fold_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        out.push(match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            '\u{2019}' => '\'',
            c => c,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn range_tokens_in_every_glued_form() {
        for s in [
            "13.0-17.0",
            "4,0-10,0",
            "3.5–5.1",
            "3,5-5,1",
            "3.5‐5.1",
            "3.5—5.1",
            "3.5−5.1",
            "3...5",
            "3..5",
            "3…5",
            "3~5",
            "[13-17]",
            "(4.0-10.0)",
            "[3.5;5.1]",
            "(3.5;5.1)",
            "-3-5",
            "4-8",
            "10-40",
            "135-145",
        ] {
            assert!(is_range_token(s), "{s}");
        }
        assert_eq!(range_token_bounds("3.5–5.1"), Some(("3.5", "5.1")));
        assert_eq!(range_token_bounds("[3.5;5.1]"), Some(("3.5", "5.1")));
        assert_eq!(range_token_bounds("-3-5"), Some(("-3", "5")));
        for s in [
            "3.5;5.1",
            "12-02-2024",
            "2024-02-12",
            "abc-def",
            "3.5",
            "-",
            "3-",
            "2345-7",
        ] {
            assert!(!is_range_token(s), "{s}");
        }
    }

    #[test]
    fn connectives_of_every_language() {
        for s in [
            "-", "–", "—", "‐", "−", "to", "TO", "bis", "à", "a", "al", "até", "ate", "tot", "t/m",
            "...", "…", "~",
        ] {
            assert!(is_dash(s), "{s}");
        }
        for s in ["A", "and", "or", "5", "de"] {
            assert!(!is_dash(s), "{s}");
        }
    }

    #[test]
    fn two_sided_ranges_over_several_tokens() {
        for (s, n) in [
            ("3.5 - 5.1 mmol/L", 3),
            ("3.5 – 5.1", 3),
            ("3 to 5", 3),
            ("3,5 bis 5,1", 3),
            ("3 à 5", 3),
            ("3 a 5", 3),
            ("3 até 5", 3),
            ("3 tot 5", 3),
            ("3 al 5", 3),
            ("3 ... 5", 3),
            ("(3.5 - 5.1)", 3),
            ("[3.5 ; 5.1]", 3),
            ("[3.5; 5.1]", 2),
            ("3.5 -5.1", 2),
            ("3.5- 5.1", 2),
            ("3.5-5.1 g/dL", 1),
        ] {
            assert_eq!(range_len(&toks(s), 0), Some(n), "{s}");
        }
        for s in ["3.5 mmol/L", "Sodium 143", "2345 -7", "H 5"] {
            assert_eq!(range_len(&toks(s), 0), None, "{s}");
        }
    }

    #[test]
    fn one_sided_ranges_of_every_language() {
        use BoundSide::*;
        for (s, side, n) in [
            ("< 5", Upper, 1),
            ("<5", Upper, 0),
            ("≤ 5", Upper, 1),
            ("≤5", Upper, 0),
            ("up to 5", Upper, 2),
            ("Up to 5", Upper, 2),
            ("upto 5", Upper, 1),
            ("bis 5", Upper, 1),
            ("jusqu'à 5", Upper, 1),
            ("jusqu’à 5", Upper, 1),
            ("hasta 5", Upper, 1),
            ("fino a 5", Upper, 2),
            ("até 5", Upper, 1),
            ("tot 5", Upper, 1),
            ("max. 5", Upper, 1),
            ("(< 5)", Upper, 1),
            ("> 40", Lower, 1),
            (">40", Lower, 0),
            ("≥ 40", Lower, 1),
            (">=60", Lower, 0),
            ("ab 40", Lower, 1),
            ("min. 40", Lower, 1),
            ("min 40", Lower, 1),
            ("vanaf 40", Lower, 1),
            ("more than 40", Lower, 2),
        ] {
            assert_eq!(one_sided_at(&toks(s), 0), Some((side, n)), "{s}");
            assert!(range_len(&toks(s), 0).is_some(), "{s}");
        }
        for s in ["bis", "up to", "ab und zu", "tot hier", "Sodium 5"] {
            assert_eq!(one_sided_at(&toks(s), 0), None, "{s}");
        }
    }

    #[test]
    fn loinc_check_digits() {
        for code in [
            "2345-7", "718-7", "14682-9", "2951-2", "2823-3", "2160-0", "6690-2", "777-3",
            "4548-4", "1742-6", "1920-8", "2093-3", "3016-3", "789-8", "785-6", "17856-6",
            "33914-3",
        ] {
            assert!(is_loinc_code(code), "{code}");
            assert!(is_code_not_range(code), "{code}");
            assert!(!is_range_token(code), "{code}");
        }
        // one check digit off
        for s in [
            "2345-6",
            "718-1",
            "14682-3",
            "1234567-1",
            "2345-77",
            "-7",
            "2345-",
        ] {
            assert!(!is_loinc_code(s), "{s}");
        }
        assert_eq!(loinc_check_digit("12345"), Some(5));
        // a code column is no range start, bracketed or not
        for code in ["2345-7", "[2345-7]", "(718-7)", "14682-9"] {
            assert_eq!(range_len(&[code], 0), None, "{code}");
        }
        assert_eq!(range_len(&["2345", "-7"], 0), None);
        assert!(!is_unit_like("2345-7"));
        assert_eq!(loinc_check_digit(""), None);
    }

    #[test]
    fn short_ranges_stay_ranges_even_when_the_digit_checks() {
        // "10-40", "4-8": the left side is short; "135-145": the right side is not one digit.
        // "12-5" and "1-8" are valid LOINC forms but too short to be taken for codes.
        for s in ["4-8", "10-40", "135-145", "1-8", "12-5", "0-5"] {
            assert!(!is_code_not_range(s), "{s}");
            assert!(is_range_token(s), "{s}");
        }
        assert!(is_loinc_code("1-8") && is_loinc_code("12-5"));
    }

    #[test]
    fn leaders() {
        for s in [
            "...",
            "........",
            "……",
            "…",
            "____",
            "----",
            "===",
            "·····",
            ". . .".replace(' ', "").as_str(),
        ] {
            assert!(is_leader(s), "{s}");
        }
        for s in ["..", "-", "--", "1.5", "Na", "..a"] {
            assert!(!is_leader(s), "{s}");
        }
        let parts = |s: &str| -> Vec<String> {
            leader_free_parts(s)
                .into_iter()
                .map(|(a, b)| s[a..b].to_string())
                .collect()
        };
        assert_eq!(parts("Sodium......."), ["Sodium"]);
        assert_eq!(parts("Sodium.....143"), ["Sodium", "143"]);
        assert_eq!(parts("Sodium____"), ["Sodium"]);
        assert_eq!(parts("Sodium----"), ["Sodium"]);
        assert_eq!(parts("Sodium……"), ["Sodium"]);
        assert_eq!(parts("......Sodium"), ["Sodium"]);
        assert!(parts(".......").is_empty());
        for keep in [
            "3...5",
            "3…5",
            "1.5",
            "12.02.2024",
            "Anti-HBs",
            "HbA1c",
            "a..b",
            "3.5--5",
        ] {
            assert_eq!(parts(keep), [keep], "{keep}");
        }
        assert_eq!(parts("143.....135"), ["143", "135"]);
    }
}
