//! Standardization: raw rows → standardized results (catalogue, LOINC, UCUM, values, ranges,
//! flags, dates, panels). Pure and deterministic; the catalogue is compiled in.

pub mod catalogue;
pub mod documents;
pub mod flags;
pub mod matcher;
pub mod normalize;
pub mod panels;
pub mod plausibility;
pub mod ranges;
pub mod units;
pub mod values;

use crate::model::{
    CanonicalValue, Extraction, FileExtraction, LoincCandidate, MatchCounts, MatchStatus,
    PatientInfo, RawResult, ReferenceRange, StandardizedReport, StandardizedResult, ValueBound,
};
use documents::Placed;
use matcher::RowContext;
use units::Unit;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnitsMode {
    /// Values as printed, plus a `canonical` block where a conversion is known.
    #[default]
    Original,
    /// Values converted to the biomarker's canonical unit where a conversion is known.
    Canonical,
}

#[derive(Debug, Clone, Default)]
pub struct StandardizeOptions {
    pub units: UnitsMode,
}

/// Languages that write decimals with a comma.
fn decimal_comma(language: Option<&str>) -> bool {
    matches!(
        language
            .map(|l| l.get(..2).unwrap_or(l).to_ascii_lowercase())
            .as_deref(),
        Some("de" | "fr" | "it" | "es" | "pt" | "nl")
    )
}

fn locale(language: &str) -> String {
    match language
        .get(..2)
        .unwrap_or(language)
        .to_ascii_lowercase()
        .as_str()
    {
        "de" => "de-DE".into(),
        "fr" => "fr-FR".into(),
        "it" => "it-IT".into(),
        "es" => "es-ES".into(),
        "pt" => "pt-PT".into(),
        "nl" => "nl-NL".into(),
        other => other.to_string(),
    }
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn convert_bound(b: &ValueBound, f: impl Fn(f64) -> Option<f64>) -> Option<ValueBound> {
    Some(match b {
        ValueBound::LessThan(v) => ValueBound::LessThan(f(*v)?),
        ValueBound::LessThanOrEqual(v) => ValueBound::LessThanOrEqual(f(*v)?),
        ValueBound::GreaterThan(v) => ValueBound::GreaterThan(f(*v)?),
        ValueBound::GreaterThanOrEqual(v) => ValueBound::GreaterThanOrEqual(f(*v)?),
    })
}

fn convert_range(r: &ReferenceRange, f: &impl Fn(f64) -> Option<f64>) -> ReferenceRange {
    ReferenceRange {
        low: r.low.and_then(f),
        high: r.high.and_then(f),
        ..r.clone()
    }
}

/// Undoes the commonest OCR slips in units: a thin `l` lost after the slash ("mg/" for
/// "mg/l") and `~` read for `^` ("x10~9/L").
fn repair_unit(unit: &str, decimal_comma: bool) -> String {
    let mut u = unit.replace("10~", "10^");
    match u.as_str() {
        // femtolitres: no unit is a bare "f"
        "f" => u.push('l'),
        // enzyme activities whose slash was lost: no unit reads "UL" or "IUL"
        "UL" | "IUL" | "UIL" => u.insert(u.len() - 1, '/'),
        _ => {}
    }
    if u.ends_with('/') && u.len() > 1 {
        // German-speaking labs print litres lower case ("U/l"), others mostly upper case.
        u.push(if decimal_comma { 'l' } else { 'L' });
    }
    u
}

/// Whether a lone dot in a value groups thousands ("245.000" = 245000): only in a report of a
/// decimal-comma language whose values do show decimal commas and never a decimal dot.
fn dots_group_thousands(file: &FileExtraction) -> bool {
    if !decimal_comma(file.language.as_deref()) {
        return false;
    }
    let fraction = |v: &str, sep: char| -> Option<usize> {
        let (a, b) = v.trim().split_once(sep)?;
        (!a.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && !b.is_empty()
            && b.bytes().all(|c| c.is_ascii_digit()))
        .then_some(b.len())
    };
    let values = file.results.iter().map(|r| r.value_text.as_str());
    let commas = values
        .clone()
        .filter(|v| fraction(v, ',').is_some())
        .count();
    let dot_decimals = values
        .filter(|v| fraction(v, '.').is_some_and(|n| n != 3))
        .count();
    commas >= 2 && dot_decimals == 0
}

/// "245.000" → "245000" (see [`dots_group_thousands`]).
fn ungroup_dots(v: &str) -> Option<String> {
    let t = v.trim();
    let parts: Vec<&str> = t.split('.').collect();
    let grouped = parts.len() > 1
        && (1..=3).contains(&parts[0].len())
        && parts[1..].iter().all(|p| p.len() == 3)
        && parts.iter().all(|p| p.bytes().all(|c| c.is_ascii_digit()));
    grouped.then(|| parts.concat())
}

/// `auto` only when the name is a known alias, the code was chosen by the unit or the result type
/// (or the biomarker has one code), the value is plausible and no other entry comes close.
fn review_status(m: &matcher::Match, unit_unread: bool, implausible: bool) -> MatchStatus {
    use matcher::TermChoice;
    let chosen_by_evidence = match m.choice {
        TermChoice::Unit | TermChoice::Qualitative | TermChoice::Measure => true,
        // one code, or several of one property (methods): nothing to choose between
        TermChoice::Default => {
            let mut props = m.entry.terms().map(|t| t.property);
            let first = props.next();
            !unit_unread && props.all(|p| Some(p) == first)
        }
        TermChoice::Contradicted => false,
    };
    // another entry the evidence hardly separates from this one (the curated bonus alone is 1)
    let close_second = m
        .candidates
        .get(1)
        .is_some_and(|c| c.evidence > m.candidates[0].evidence - 1.0);
    if m.confidence >= 1.0 && chosen_by_evidence && !implausible && !close_second {
        MatchStatus::Auto
    } else {
        MatchStatus::NeedsReview
    }
}

/// Standardize one raw row.
pub fn standardize_row(
    raw: &RawResult,
    patient: &PatientInfo,
    language: Option<&str>,
    options: &StandardizeOptions,
) -> StandardizedResult {
    standardize_row_in(raw, patient, language, options, false)
}

/// [`standardize_row`] knowing whether the report groups thousands with dots.
fn standardize_row_in(
    raw: &RawResult,
    patient: &PatientInfo,
    language: Option<&str>,
    options: &StandardizeOptions,
    dots_thousands: bool,
) -> StandardizedResult {
    let dc = decimal_comma(language);
    let original_unit = non_empty(&raw.unit_text).map(|u| repair_unit(&u, dc));
    let unit: Option<&'static Unit> = original_unit.as_deref().and_then(units::to_ucum);
    let ungrouped = dots_thousands
        .then(|| ungroup_dots(&raw.value_text))
        .flatten();
    let parsed = values::parse_value(ungrouped.as_deref().unwrap_or(&raw.value_text), dc);
    let ctx = RowContext {
        unit,
        unit_printed: original_unit.is_some(),
        section: raw.section.as_deref(),
        method: raw.method.as_deref(),
        value: &parsed,
    };
    // a method note under the name ("Direct", "Calculated") can decide the variant
    let m: Option<matcher::Match> = non_empty(&raw.method)
        .and_then(|method| matcher::match_exact(&format!("{} {method}", raw.name), &ctx))
        .or_else(|| matcher::match_name(&raw.name, &ctx));
    let mut warnings = Vec::new();

    let range_text = non_empty(&raw.range_text);
    let all_ranges = range_text
        .as_deref()
        .map(|t| ranges::parse_ranges(t, dc))
        .unwrap_or_default();
    let reference_range = ranges::applicable(&all_ranges, patient);
    let reference_ranges = all_ranges;

    let flag_text = non_empty(&raw.flag_text);
    let printed = flag_text.as_deref().and_then(flags::printed_interpretation);
    let flag = printed
        .map(|i| flags::flag_code(i).to_string())
        .or_else(|| flag_text.clone());
    let flag_text = flag_text.filter(|t| Some(t) != flag.as_ref());
    let computed = flags::computed_interpretation(&parsed, reference_range.as_ref());
    let interpretation = printed.or(computed);
    let within_normal_range = computed
        .or(printed)
        .map(|i| i == crate::model::Interpretation::Normal);

    let mut confidence = raw.confidence;
    let mut implausible = false;
    if let Some(v) = parsed.value {
        let w = plausibility::check_value(m.as_ref().map(|m| m.entry), v, unit);
        if !w.is_empty() {
            confidence *= 0.6;
            implausible = true;
        }
        warnings.extend(w);
    }
    let match_status = m
        .as_ref()
        .map(|m| review_status(m, original_unit.is_some() && unit.is_none(), implausible))
        .unwrap_or(MatchStatus::Unmatched);
    // A unit that expresses none of the biomarker's properties is mostly a misprint or misread
    // (MCHC in "%", an OCR slip): the default code stays, marked for review.
    let term = m.as_ref().map(|m| m.term);
    if let Some(m) = &m
        && m.choice == matcher::TermChoice::Contradicted
    {
        warnings.push(
            "unit_property_mismatch: the unit fits none of the biomarker's LOINC codes".to_string(),
        );
    }
    let loinc_candidates: Vec<LoincCandidate> = m
        .as_ref()
        .map(|m| {
            let mut seen = Vec::new();
            m.candidates
                .iter()
                .filter(|c| {
                    let fresh = !seen.contains(&c.term.code);
                    seen.push(c.term.code);
                    fresh
                })
                .map(|c| LoincCandidate {
                    code: c.term.code.to_string(),
                    name: c.term.name.to_string(),
                    biomarker: c.entry.id.to_string(),
                    score: (c.score * 1000.0).round() / 1000.0,
                })
                .collect()
        })
        .unwrap_or_default();
    if let Some(m) = &m {
        confidence *= m.confidence;
        if m.confidence < 1.0 {
            warnings.push("fuzzy_name_match: biomarker matched by a similar name".to_string());
        }
    } else {
        confidence *= 0.7;
    }

    // canonical block
    let canonical = m.as_ref().and_then(|m| {
        let from = unit?;
        let to = units::by_code(m.entry.canonical_unit)?;
        let f = |v: f64| units::convert(v, from, to, m.entry.id, m.entry.molar_mass);
        let value = match parsed.value {
            Some(v) => Some(f(v)?),
            None => None,
        };
        let value_bound = match &parsed.bound {
            Some(b) => Some(convert_bound(b, f)?),
            None => None,
        };
        if value.is_none() && value_bound.is_none() {
            return None;
        }
        Some(CanonicalValue {
            value,
            value_bound,
            unit_code: to.code.to_string(),
            reference_range: reference_range.as_ref().map(|r| convert_range(r, &f)),
        })
    });

    let mut result = StandardizedResult {
        original_name: raw.name.trim().to_string(),
        biomarker: m
            .as_ref()
            .map(|m| m.entry.id)
            .unwrap_or("unknown")
            .to_string(),
        display_name: m.as_ref().map(|m| m.entry.display.to_string()),
        loinc_code: term.map(|t| t.code.to_string()),
        loinc_name: term.map(|t| t.name.to_string()),
        match_status,
        loinc_candidates,
        specimen: m.as_ref().map(|m| m.entry.specimen.to_string()),
        value: parsed.value,
        value_text: raw.value_text.trim().to_string(),
        value_bound: parsed.bound.clone(),
        original_unit,
        unit_code: unit.map(|u| u.code.to_string()),
        units: unit.map(|u| units::describe(u.code)),
        reference_range,
        reference_ranges,
        flag,
        flag_text,
        interpretation,
        within_normal_range,
        canonical,
        confidence: confidence.clamp(0.0, 1.0),
        warnings,
        source: raw.source.clone(),
    };
    if options.units == UnitsMode::Canonical
        && let Some(c) = result.canonical.take()
    {
        result.value = c.value;
        result.value_bound = c.value_bound;
        if let (Some(m), Some(from), Some(to)) = (&m, unit, units::by_code(&c.unit_code)) {
            let f = |v: f64| units::convert(v, from, to, m.entry.id, m.entry.molar_mass);
            result.reference_ranges = result
                .reference_ranges
                .iter()
                .map(|r| convert_range(r, &f))
                .collect();
        }
        result.units = Some(units::describe(&c.unit_code));
        result.unit_code = Some(c.unit_code);
        result.reference_range = c.reference_range;
    }
    result
}

fn placed(file: &FileExtraction, options: &StandardizeOptions) -> Vec<Placed> {
    let dots_thousands = dots_group_thousands(file);
    file.results
        .iter()
        .map(|raw| {
            let own_date = non_empty(&raw.collection_date);
            let date = own_date.clone().or_else(|| file.dates.collected.clone());
            let same_as_file = own_date.is_none() || own_date == file.dates.collected;
            Placed {
                collection_date: date,
                collection_time: same_as_file
                    .then(|| file.dates.collected_time.clone())
                    .flatten(),
                result_date: file.dates.reported.clone(),
                section: non_empty(&raw.section),
                result: standardize_row_in(
                    raw,
                    &file.patient,
                    file.language.as_deref(),
                    options,
                    dots_thousands,
                ),
            }
        })
        .collect()
}

pub fn standardize(extraction: &Extraction, options: &StandardizeOptions) -> StandardizedReport {
    let rows: Vec<Placed> = extraction
        .files
        .iter()
        .flat_map(|f| placed(f, options))
        .collect();
    let mut documents = documents::group(rows);
    let mut warnings = Vec::new();
    for doc in &mut documents {
        let all: Vec<&StandardizedResult> =
            doc.sections.iter().flat_map(|s| s.results.iter()).collect();
        let (per, doc_w) = plausibility::check_document(&all);
        warnings.extend(doc_w);
        // per-result warnings address the flattened order
        let mut flat: Vec<&mut StandardizedResult> = doc
            .sections
            .iter_mut()
            .flat_map(|s| s.results.iter_mut())
            .collect();
        for (i, w) in per {
            if let Some(r) = flat.get_mut(i) {
                r.warnings.push(w);
                r.confidence *= 0.8;
            }
        }
    }
    let first = |f: fn(&FileExtraction) -> Option<String>| extraction.files.iter().find_map(f);
    let patient = extraction
        .files
        .iter()
        .map(|f| &f.patient)
        .find(|p| p.sex.is_some() || p.age_at_collection.is_some())
        .cloned();
    let mut match_counts = MatchCounts::default();
    for r in documents
        .iter()
        .flat_map(|d| d.sections.iter())
        .flat_map(|s| s.results.iter())
    {
        match r.match_status {
            MatchStatus::Auto => match_counts.auto += 1,
            MatchStatus::NeedsReview => match_counts.needs_review += 1,
            MatchStatus::Unmatched => match_counts.unmatched += 1,
        }
    }
    StandardizedReport {
        match_counts,
        documents,
        lab_name: first(|f| f.lab_name.clone()),
        report_locale: first(|f| f.language.as_deref().map(locale)),
        patient,
        warnings,
    }
}
