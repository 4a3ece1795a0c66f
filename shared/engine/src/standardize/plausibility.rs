//! Plausibility checks: impossible values per result, inconsistencies across a document.

use super::catalogue::Entry;
use super::units::{self, Dim, Unit};
use crate::model::StandardizedResult;

/// Warnings about one value in its printed unit.
pub fn check_value(entry: Option<&Entry>, value: f64, unit: Option<&Unit>) -> Vec<String> {
    let mut w = Vec::new();
    if let Some(u) = unit
        && u.dim == Dim::Fraction
        && u.code == "%"
        && !(0.0..=100.0).contains(&value)
    {
        w.push("percent_out_of_bounds: a percentage outside 0-100".to_string());
    }
    let Some(entry) = entry else { return w };
    if value < 0.0 && !entry.id.contains("gap") && !entry.id.contains("excess") {
        w.push("negative_value: a negative value for a non-negative quantity".to_string());
    }
    if let (Some(u), Some(canon)) = (unit, units::by_code(entry.canonical_unit))
        && let Some(c) = units::convert(value, u, canon, entry.id, entry.molar_mass)
    {
        let lo = entry.plausible_low.unwrap_or(f64::NEG_INFINITY);
        let hi = entry.plausible_high.unwrap_or(f64::INFINITY);
        if c < lo || c > hi {
            w.push(format!(
                "implausible_value: outside the plausible limits for {} in {}",
                entry.display, entry.canonical_unit
            ));
        }
    }
    w
}

fn canonical(results: &[&StandardizedResult], id: &str) -> Option<(usize, f64)> {
    results.iter().enumerate().find_map(|(i, r)| {
        (r.biomarker == id)
            .then(|| r.canonical.as_ref().and_then(|c| c.value))
            .flatten()
            .map(|v| (i, v))
    })
}

/// Cross-result checks within one document. Returns (result index, warning) pairs and
/// document-level warnings.
pub fn check_document(results: &[&StandardizedResult]) -> (Vec<(usize, String)>, Vec<String>) {
    let mut per = Vec::new();
    let mut doc = Vec::new();
    for (part, total) in [
        ("hdl_cholesterol", "cholesterol_total"),
        ("ldl_cholesterol", "cholesterol_total"),
        ("ldl_cholesterol_direct", "cholesterol_total"),
        ("bilirubin_direct", "bilirubin_total"),
        ("albumin", "protein_total"),
        ("psa_free", "psa_total"),
    ] {
        if let (Some((i, p)), Some((_, t))) = (canonical(results, part), canonical(results, total))
            && p > t
        {
            per.push((i, format!("component_exceeds_total: {part} > {total}")));
        }
    }
    let diff = [
        "neutrophils_pct",
        "lymphocytes_pct",
        "monocytes_pct",
        "eosinophils_pct",
        "basophils_pct",
        "bands_pct",
    ];
    let found: Vec<f64> = diff
        .iter()
        .filter_map(|id| {
            results
                .iter()
                .find(|r| r.biomarker == *id && r.unit_code.as_deref() == Some("%"))
                .and_then(|r| r.value)
        })
        .collect();
    if found.len() >= 4 {
        let sum: f64 = found.iter().sum();
        if !(90.0..=110.0).contains(&sum) {
            doc.push(format!(
                "differential_sum: leukocyte differential percentages sum to {sum:.0}, not about 100"
            ));
        }
    }
    (per, doc)
}
