//! Raw name → catalogue entry: exact alias lookup over candidate keys, then a guarded fuzzy match,
//! disambiguated by unit, specimen (name words, section) and value plausibility.

use super::catalogue::{ALIAS_INDEX, ENTRIES, Entry, LoincTerm, lookup};
use super::normalize::{NameKey, SpecimenHint, candidate_keys, specimen_hint};
use super::units::{self, Unit};
use super::values::ParsedValue;

/// What the matcher knows about a row besides its name.
pub struct RowContext<'a> {
    pub unit: Option<&'static Unit>,
    pub unit_printed: bool,
    pub section: Option<&'a str>,
    pub method: Option<&'a str>,
    pub value: &'a ParsedValue,
}

#[derive(Debug, Clone, Copy)]
pub struct Match {
    pub entry: &'static Entry,
    pub term: &'static LoincTerm,
    /// 1.0 for an exact alias, lower for fuzzy matches.
    pub confidence: f32,
}

const FUZZY_MIN: f64 = 0.86;

/// Optimal-string-alignment distance: Levenshtein plus adjacent transpositions.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// Short tokens and tokens with digits ("a", "d", "b12", "t3") must agree exactly for a fuzzy
/// match: one letter apart is another analyte (vitamin A / vitamin D, T3 / T4).
fn same_short_tokens(a: &str, b: &str) -> bool {
    fn short(s: &str) -> Vec<&str> {
        let mut v: Vec<&str> = s
            .split(' ')
            .filter(|t| t.chars().count() <= 3 || t.chars().any(|c| c.is_ascii_digit()))
            .collect();
        v.sort_unstable();
        v
    }
    short(a) == short(b)
}

fn similarity(a: &str, b: &str) -> f64 {
    let n = a.chars().count().max(b.chars().count());
    if n == 0 {
        return 0.0;
    }
    1.0 - edit_distance(a, b) as f64 / n as f64
}

fn is_urine(entry: &Entry) -> bool {
    entry.specimen == "urine"
}

/// The entry's LOINC term that fits the unit, or its default.
pub fn pick_term(entry: &'static Entry, unit: Option<&Unit>) -> (&'static LoincTerm, bool) {
    let default = &super::catalogue::LOINC[entry.loinc[0]];
    match unit {
        Some(u) => entry
            .terms()
            .find(|t| units::fits_property(u.dim, t.property))
            .map(|t| (t, true))
            .unwrap_or((default, false)),
        None => (default, false),
    }
}

fn score(entry: &'static Entry, hint: Option<SpecimenHint>, ctx: &RowContext) -> f64 {
    let mut s = 0.0;
    let section_hint = ctx
        .section
        .and_then(specimen_hint)
        .or(ctx.method.and_then(specimen_hint));
    match hint.or(section_hint) {
        Some(SpecimenHint::Urine) => s += if is_urine(entry) { 3.0 } else { -3.0 },
        Some(SpecimenHint::Blood) => s += if is_urine(entry) { -3.0 } else { 1.0 },
        None => {
            if is_urine(entry) {
                s -= 1.0;
            }
        }
    }
    let qualitative_entry = entry.terms().all(|t| t.scale != "Qn");
    if let Some(u) = ctx.unit {
        let (_, fits) = pick_term(entry, Some(u));
        s += if fits { 2.0 } else { -2.0 };
    } else if ctx.value.qualitative.is_some() {
        if qualitative_entry || entry.terms().any(|t| t.scale != "Qn") {
            s += 1.5;
        }
    } else if ctx.value.value.is_some() && !ctx.unit_printed && qualitative_entry {
        s -= 0.5;
    }
    if let (Some(v), Some(u)) = (ctx.value.value, ctx.unit)
        && let Some(canon) = units::by_code(entry.canonical_unit)
        && let Some(c) = units::convert(v, u, canon, entry.id, entry.molar_mass)
    {
        let lo = entry.plausible_low.unwrap_or(f64::NEG_INFINITY);
        let hi = entry.plausible_high.unwrap_or(f64::INFINITY);
        if c < lo || c > hi {
            s -= 1.0;
        }
    }
    if entry.curated {
        s += 1.0;
    }
    s
}

fn best_of(
    ids: &[u16],
    hint: Option<SpecimenHint>,
    ctx: &RowContext,
) -> Option<(&'static Entry, f64)> {
    let mut best: Option<(&'static Entry, f64)> = None;
    for &i in ids {
        let e = &ENTRIES[i as usize];
        let s = score(e, hint, ctx);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((e, s));
        }
    }
    best
}

/// Match a printed name. None when no confident match exists ("unknown").
pub fn match_name(name: &str, ctx: &RowContext) -> Option<Match> {
    match_impl(name, ctx, true)
}

/// Alias lookup only, no fuzzy guess.
pub fn match_exact(name: &str, ctx: &RowContext) -> Option<Match> {
    match_impl(name, ctx, false)
}

/// "GOT/AST", "SGPT/ALT": two names of one test. Taken when both sides name the same entry,
/// or one side does and the other is a short code the catalogue does not know; never for
/// ratios of two different tests ("BUN/Creatinine", "Na/K").
fn slash_synonyms(name: &str, ctx: &RowContext) -> Option<Match> {
    let (a, b) = name.trim().split_once('/')?;
    let (a, b) = (a.trim(), b.trim());
    let code =
        |s: &str| (2..=5).contains(&s.chars().count()) && s.chars().all(|c| c.is_ascii_uppercase());
    if a.is_empty() || b.is_empty() || b.contains('/') {
        return None;
    }
    match (match_impl(a, ctx, false), match_impl(b, ctx, false)) {
        (Some(x), Some(y)) => (x.entry.id == y.entry.id).then_some(x),
        (Some(x), None) if code(b) => Some(x),
        (None, Some(y)) if code(a) => Some(y),
        _ => None,
    }
}

fn match_impl(name: &str, ctx: &RowContext, fuzzy: bool) -> Option<Match> {
    let keys: Vec<NameKey> = candidate_keys(name);
    let section_hint = ctx
        .section
        .and_then(specimen_hint)
        .or(ctx.method.and_then(specimen_hint));
    for k in &keys {
        // a name made of specimen words only ("Blood") is a test only in a urine section
        if k.generic && section_hint != Some(SpecimenHint::Urine) {
            continue;
        }
        let ids = lookup(&k.key);
        if let Some((entry, s)) = best_of(ids, k.hint, ctx) {
            // a candidate that contradicts the specimen or unit badly is not a match
            if s < -2.5 {
                continue;
            }
            let (term, _) = pick_term(entry, ctx.unit);
            return Some(Match {
                entry,
                term,
                confidence: 1.0,
            });
        }
    }
    if let Some(m) = slash_synonyms(name, ctx) {
        return Some(m);
    }
    // fuzzy: only on the whole name and its bracket-free form, only for long enough keys
    if !fuzzy {
        return None;
    }
    for k in keys.iter().take(2) {
        if k.key.chars().count() < 6 {
            continue;
        }
        // best similarity per entry over all its aliases
        let mut per_entry: Vec<f64> = vec![0.0; ENTRIES.len()];
        let klen = k.key.chars().count();
        for (alias, ids) in ALIAS_INDEX {
            // the edit distance is at least the length difference: skip hopeless aliases
            let alen = alias.chars().count();
            if (klen.abs_diff(alen) as f64) > (1.0 - FUZZY_MIN) * klen.max(alen) as f64 {
                continue;
            }
            if !same_short_tokens(&k.key, alias) {
                continue;
            }
            let sim = similarity(&k.key, alias);
            for &i in *ids {
                let slot = &mut per_entry[i as usize];
                if sim > *slot {
                    *slot = sim;
                }
            }
        }
        let top = per_entry.iter().copied().fold(0.0, f64::max);
        if top < FUZZY_MIN {
            continue;
        }
        let tied: Vec<u16> = (0..per_entry.len())
            .filter(|&i| per_entry[i] >= top - 1e-9)
            .map(|i| i as u16)
            .collect();
        // a close runner-up of another entry makes the guess unsafe, unless the specimen or
        // unit tells them apart (both are scored by best_of below)
        let runner_up = per_entry
            .iter()
            .enumerate()
            .filter(|(i, _)| !tied.contains(&(*i as u16)))
            .map(|(_, s)| *s)
            .fold(0.0, f64::max);
        if top - runner_up < 0.04 {
            continue;
        }
        if let Some((entry, s)) = best_of(&tied, k.hint, ctx)
            && s > -1.0
        {
            let (term, _) = pick_term(entry, ctx.unit);
            return Some(Match {
                entry,
                term,
                confidence: (top as f32) * 0.9,
            });
        }
    }
    None
}
