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

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn similarity(a: &str, b: &str) -> f64 {
    let n = a.chars().count().max(b.chars().count());
    if n == 0 {
        return 0.0;
    }
    1.0 - levenshtein(a, b) as f64 / n as f64
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
    let keys: Vec<NameKey> = candidate_keys(name);
    for k in &keys {
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
    // fuzzy: only on the whole name and its bracket-free form, only for long enough keys
    for k in keys.iter().take(2) {
        if k.key.chars().count() < 6 {
            continue;
        }
        let mut best: Option<(f64, &[u16])> = None;
        let mut second = 0.0;
        for (alias, ids) in ALIAS_INDEX {
            let sim = similarity(&k.key, alias);
            match best {
                Some((b, bids)) if sim > b => {
                    if bids != *ids {
                        second = b;
                    }
                    best = Some((sim, ids));
                }
                Some((b, bids)) if sim > second && bids != *ids => second = sim.min(b),
                None => best = Some((sim, ids)),
                _ => {}
            }
        }
        if let Some((sim, ids)) = best
            && sim >= FUZZY_MIN
            && sim - second >= 0.04
            && let Some((entry, s)) = best_of(ids, k.hint, ctx)
            && s > -1.0
        {
            let (term, _) = pick_term(entry, ctx.unit);
            return Some(Match {
                entry,
                term,
                confidence: (sim as f32) * 0.9,
            });
        }
    }
    None
}
