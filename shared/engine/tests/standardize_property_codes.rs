//! Generator-driven: for every catalogue entry and every LOINC property it has a code for, rows
//! are generated in each unit that expresses that property (the unit systems: conventional mass
//! units, SI substance units, counts, fractions, international and enzyme units) and with a
//! qualitative value for ordinal terms. Each row must find its entry and get the code of the
//! property its unit (or value) says; never the code of another property.

use labrador_engine::standardize::catalogue::{ENTRIES, Entry, LoincTerm};
use labrador_engine::standardize::units::{self, UNITS, Unit};
use labrador_engine::standardize::{StandardizeOptions, standardize_row};
use labrador_engine::{MatchStatus, PatientInfo, RawResult, Source, StandardizedResult};

fn raw(entry: &Entry, name: &str, value: &str, unit: Option<&str>) -> RawResult {
    RawResult {
        name: name.into(),
        value_text: value.into(),
        unit_text: unit.map(str::to_string),
        range_text: None,
        flag_text: None,
        highlighted: false,
        section: (entry.specimen == "urine").then(|| "Urinalysis".to_string()),
        method: None,
        collection_date: None,
        source: Source {
            file: 0,
            page: 1,
            bbox: [0.0; 4],
        },
        confidence: 1.0,
    }
}

fn run(r: &RawResult) -> StandardizedResult {
    standardize_row(
        r,
        &PatientInfo::default(),
        None,
        &StandardizeOptions::default(),
    )
}

/// A value plausible for the entry, written in `unit` (the middle of the plausible range when the
/// conversion is known; otherwise a neutral 1.5).
fn plausible_value(entry: &Entry, unit: &Unit) -> String {
    let mid = match (entry.plausible_low, entry.plausible_high) {
        (Some(lo), Some(hi)) => (lo.max(0.0) + hi) / 2.0,
        _ => 1.5,
    };
    let v = units::by_code(entry.canonical_unit)
        .and_then(|canon| units::convert(mid, canon, unit, entry.id, entry.molar_mass))
        .unwrap_or(1.5);
    format!("{v:.3}")
}

/// Units that read back as themselves when printed as their code: the generated unit systems.
fn printable_units() -> Vec<&'static Unit> {
    UNITS
        .iter()
        .filter(|u| units::to_ucum(u.code).is_some_and(|p| p.code == u.code))
        .collect()
}

fn is_ordinal(t: &LoincTerm) -> bool {
    t.scale == "Ord" || matches!(t.property, "PrThr" | "Prid")
}

/// The first alias of the entry by which a plain row finds this entry (aliases shared by several
/// analytes are decided by the unit or the section, which the generated rows also carry).
fn reaching_name(entry: &Entry, probe: &dyn Fn(&str) -> RawResult) -> Option<&'static str> {
    std::iter::once(entry.display)
        .chain(entry.aliases.iter().map(|&(_, a)| a))
        .find(|name| run(&probe(name)).biomarker == entry.id)
}

#[test]
fn every_entry_gets_the_code_of_the_property_its_row_measured() {
    let units = printable_units();
    let mut checked = 0usize;
    let mut failures = Vec::new();
    let mut unreachable = Vec::new();
    for entry in ENTRIES {
        for term in entry.terms() {
            let rows: Vec<(String, Option<&Unit>)> = if term.scale == "Qn" {
                units
                    .iter()
                    .filter(|u| units::fits_property(u.dim, term.property))
                    // the term this dimension selects is the first of the entry's that fits it
                    .filter(|u| {
                        entry
                            .terms()
                            .find(|t| units::fits_property(u.dim, t.property))
                            .is_some_and(|t| t.code == term.code)
                    })
                    .map(|u| (plausible_value(entry, u), Some(*u)))
                    .collect()
            } else if is_ordinal(term)
                && entry.terms().find(|t| is_ordinal(t)).map(|t| t.code) == Some(term.code)
            {
                vec![("Negative".to_string(), None)]
            } else {
                Vec::new()
            };
            for (value, unit) in rows {
                let probe = |name: &str| raw(entry, name, &value, unit.map(|u| u.code));
                let Some(name) = reaching_name(entry, &probe) else {
                    let row = format!("{} [{}]", entry.id, unit.map_or("-", |u| u.code));
                    if entry.curated {
                        failures.push(format!("{row}: no alias of a curated entry finds it"));
                    } else {
                        unreachable.push(row);
                    }
                    continue;
                };
                let r = run(&probe(name));
                checked += 1;
                if r.loinc_code.as_deref() != Some(term.code) {
                    failures.push(format!(
                        "{} {:?} {} {:?}: got {:?} ({:?}), want {} ({})",
                        entry.id,
                        name,
                        value,
                        unit.map(|u| u.code),
                        r.loinc_code,
                        r.match_status,
                        term.code,
                        term.property
                    ));
                } else if r.match_status == MatchStatus::Unmatched {
                    failures.push(format!("{} {name:?}: coded but unmatched", entry.id));
                }
            }
        }
    }
    assert!(checked > 2000, "only {checked} generated rows");
    assert!(
        failures.is_empty(),
        "{} of {checked} rows got another property's code:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Entries generated from the LOINC Top 2000 for another specimen (glucose in whole blood,
    // electrolytes in arterial blood) share their names with the curated serum entry, which a row
    // without a specimen word rightly finds; they must stay few.
    eprintln!("{checked} rows checked, {} unreachable", unreachable.len());
    assert!(
        unreachable.len() * 10 < checked,
        "{} rows found no name of their own entry:\n{}",
        unreachable.len(),
        unreachable.join("\n")
    );
}

#[test]
fn curated_entries_with_a_molar_mass_convert_both_ways() {
    for entry in ENTRIES.iter().filter(|e| e.curated) {
        let Some(canon) = units::by_code(entry.canonical_unit) else {
            continue;
        };
        for unit in printable_units().into_iter().filter(|u| u.dim != canon.dim) {
            let Some(there) = units::convert(2.0, canon, unit, entry.id, entry.molar_mass) else {
                continue;
            };
            let back = units::convert(there, unit, canon, entry.id, entry.molar_mass)
                .expect("a conversion that exists one way exists back");
            assert!(
                (back - 2.0).abs() < 1e-9,
                "{} {} -> {} -> back = {back}",
                entry.id,
                canon.code,
                unit.code
            );
        }
    }
}
