//! Raw name → catalogue entry: exact alias lookup over candidate keys, then a guarded fuzzy match,
//! disambiguated by unit, specimen (name words, section) and value plausibility.

use super::catalogue::{ALIAS_INDEX, ENTRIES, Entry, LoincTerm, lookup};
use super::normalize::{MeasureHint, NameKey, SpecimenHint, candidate_keys, specimen_hint};
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

/// How the LOINC term of a match was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermChoice {
    /// The printed unit's dimension expresses the term's property.
    Unit,
    /// A qualitative result took the entry's ordinal (presence) term.
    Qualitative,
    /// No unit; the name's qualifier ("#", "%") chose the property.
    Measure,
    /// Nothing told the properties apart: the entry's default term.
    Default,
    /// The printed unit expresses none of the entry's properties: no term is safe.
    Contradicted,
}

#[derive(Debug, Clone)]
pub struct Match {
    pub entry: &'static Entry,
    pub term: &'static LoincTerm,
    pub choice: TermChoice,
    /// 1.0 for an exact alias, lower for fuzzy matches.
    pub confidence: f32,
    /// Entries the name could denote, best first (the match itself first), each with its term
    /// and a score in 0..1.
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub entry: &'static Entry,
    pub term: &'static LoincTerm,
    pub score: f32,
    /// The row score behind `score` (specimen, unit, plausibility, curated; about -6..6).
    pub evidence: f64,
}

const FUZZY_MIN: f64 = 0.86;

/// A name folded to its letters and digits only.
fn squeeze(name: &str) -> String {
    super::normalize::fold(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Every alias of at least two words, squeezed (see [`squeeze`]) → its entries.
fn squeezed_index() -> &'static std::collections::HashMap<String, Vec<u16>> {
    static INDEX: std::sync::OnceLock<std::collections::HashMap<String, Vec<u16>>> =
        std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m: std::collections::HashMap<String, Vec<u16>> = Default::default();
        for (i, e) in ENTRIES.iter().enumerate() {
            for (_, alias) in e.aliases {
                if !alias.contains([' ', '-']) {
                    continue;
                }
                let k = squeeze(alias);
                if k.chars().count() < 8 {
                    continue;
                }
                let v = m.entry(k).or_default();
                if !v.contains(&(i as u16)) {
                    v.push(i as u16);
                }
            }
        }
        m
    })
}

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

fn is_ordinal(t: &LoincTerm) -> bool {
    t.scale == "Ord" || t.scale == "Nom" || matches!(t.property, "PrThr" | "Prid" | "Imp")
}

fn fits_measure(t: &LoincTerm, m: MeasureHint) -> bool {
    match m {
        MeasureHint::Count => units::fits_property(units::Dim::Count, t.property),
        MeasureHint::Fraction => units::fits_property(units::Dim::Fraction, t.property),
    }
}

/// The entry's LOINC term for what the row measured: the property its unit's dimension expresses,
/// else the ordinal term for a qualitative result, else the property its name's qualifier says,
/// else the default (first) term.
pub fn pick_term(
    entry: &'static Entry,
    unit: Option<&Unit>,
    qualitative: bool,
    measure: Option<MeasureHint>,
) -> (&'static LoincTerm, TermChoice) {
    let default = &super::catalogue::LOINC[entry.loinc[0]];
    if let Some(u) = unit {
        return match entry
            .terms()
            .find(|t| units::fits_property(u.dim, t.property))
        {
            Some(t) => (t, TermChoice::Unit),
            None => (default, TermChoice::Contradicted),
        };
    }
    if qualitative && let Some(t) = entry.terms().find(|t| is_ordinal(t)) {
        return (t, TermChoice::Qualitative);
    }
    if let Some(m) = measure
        && let Some(t) = entry.terms().find(|t| fits_measure(t, m))
    {
        return (t, TermChoice::Measure);
    }
    (default, TermChoice::Default)
}

fn score(entry: &'static Entry, key: &NameKey, ctx: &RowContext) -> f64 {
    let hint = key.hint;
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
    if let Some(m) = key.measure {
        // weaker than a unit: a misread "%" beside a count unit must not outvote the unit
        s += if entry.terms().any(|t| fits_measure(t, m)) {
            1.5
        } else {
            -1.5
        };
    }
    if let Some(u) = ctx.unit {
        let fits = entry
            .terms()
            .any(|t| units::fits_property(u.dim, t.property));
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

/// The entries of `ids` scored for the row, best first (ties keep the catalogue order).
fn ranked(ids: &[u16], key: &NameKey, ctx: &RowContext) -> Vec<(&'static Entry, f64)> {
    let mut v: Vec<(&'static Entry, f64)> = ids
        .iter()
        .map(|&i| {
            let e = &ENTRIES[i as usize];
            (e, score(e, key, ctx))
        })
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v
}

/// A row score (specimen, unit, plausibility agreement; about -6..6) as a factor in 0..1.
fn agreement(s: f64) -> f64 {
    1.0 / (1.0 + (-(s - 0.5)).exp())
}

fn build_match(
    ranked: &[(&'static Entry, f64)],
    key: &NameKey,
    ctx: &RowContext,
    name_similarity: f64,
) -> Match {
    let qualitative = ctx.value.qualitative.is_some() && ctx.value.value.is_none();
    let term_of = |e: &'static Entry| pick_term(e, ctx.unit, qualitative, key.measure);
    let candidates: Vec<Candidate> = ranked
        .iter()
        .take(5)
        .map(|&(e, s)| Candidate {
            entry: e,
            term: term_of(e).0,
            score: (name_similarity * agreement(s)) as f32,
            evidence: s,
        })
        .collect();
    let (entry, _) = ranked[0];
    let (term, choice) = term_of(entry);
    Match {
        entry,
        term,
        choice,
        confidence: name_similarity as f32,
        candidates,
    }
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
        let ranked = ranked(lookup(&k.key), k, ctx);
        // a candidate that contradicts the specimen or unit badly is not a match
        if ranked.first().is_some_and(|(_, s)| *s >= -2.5) {
            return Some(build_match(&ranked, k, ctx, 1.0));
        }
    }
    if let Some(m) = slash_synonyms(name, ctx) {
        return Some(m);
    }
    // words run together, as OCR prints "TOTALLEUKOCYTECOUNT"
    let squeezed = squeeze(name);
    if let Some(ids) = squeezed_index().get(&squeezed) {
        let key = candidate_keys(name).into_iter().next().unwrap_or(NameKey {
            key: squeezed,
            hint: None,
            measure: None,
            generic: false,
        });
        let ranked = ranked(ids, &key, ctx);
        if ranked.first().is_some_and(|(_, s)| *s >= -2.5) {
            return Some(build_match(&ranked, &key, ctx, 1.0));
        }
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
        let ranked = ranked(&tied, k, ctx);
        if ranked.first().is_some_and(|(_, s)| *s > -1.0) {
            return Some(build_match(&ranked, k, ctx, top * 0.9));
        }
    }
    None
}
