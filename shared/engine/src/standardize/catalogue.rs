//! The biomarker catalogue, compiled from `data/catalogue.tsv` by `build.rs`.
//!
//! Contains LOINC content (codes with their Long Common Names): see `data/LOINC-NOTICE.md`.

/// A LOINC term with its Long Common Name and the axes the matcher needs.
#[derive(Debug)]
pub struct LoincTerm {
    pub code: &'static str,
    /// LOINC PROPERTY (MCnc, SCnc, NCnc, NFr, ...).
    pub property: &'static str,
    pub system: &'static str,
    pub scale: &'static str,
    pub name: &'static str,
}

#[derive(Debug)]
pub struct Entry {
    pub id: &'static str,
    pub display: &'static str,
    pub specimen: &'static str,
    /// Canonical UCUM unit; empty for qualitative tests.
    pub canonical_unit: &'static str,
    pub molar_mass: Option<f64>,
    pub plausible_low: Option<f64>,
    pub plausible_high: Option<f64>,
    /// Indexes into [`LOINC`]; the first is the default.
    pub loinc: &'static [usize],
    /// Hand-curated (true) or generated from the LOINC Top 2000 (false).
    pub curated: bool,
    /// `(language, alias)` as written in the catalogue.
    pub aliases: &'static [(&'static str, &'static str)],
}

impl Entry {
    pub fn terms(&self) -> impl Iterator<Item = &'static LoincTerm> + '_ {
        self.loinc.iter().map(|&i| &LOINC[i])
    }
}

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// Entries whose alias key equals `key`.
pub fn lookup(key: &str) -> &'static [u16] {
    ALIAS_INDEX
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .map(|i| ALIAS_INDEX[i].1)
        .unwrap_or(&[])
}

pub fn entry(id: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.id == id)
}
