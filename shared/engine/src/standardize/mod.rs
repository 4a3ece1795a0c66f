//! Standardization: raw rows → standardized results (catalogue, LOINC, UCUM, values, ranges,
//! flags, dates, panels). Interim pass-through until the catalogue lands.

use crate::model::{Document, Extraction, Section, StandardizedReport, StandardizedResult};

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

pub fn standardize(extraction: &Extraction, _options: &StandardizeOptions) -> StandardizedReport {
    let mut documents = Vec::new();
    for file in &extraction.files {
        let results = file
            .results
            .iter()
            .map(|raw| StandardizedResult {
                original_name: raw.name.clone(),
                biomarker: "unknown".into(),
                display_name: None,
                loinc_code: None,
                loinc_name: None,
                specimen: None,
                value: raw.value_text.trim().replace(',', ".").parse().ok(),
                value_text: raw.value_text.clone(),
                value_bound: None,
                original_unit: raw.unit_text.clone(),
                unit_code: None,
                reference_range: None,
                reference_ranges: Vec::new(),
                flag: raw.flag_text.clone(),
                interpretation: None,
                within_normal_range: None,
                canonical: None,
                confidence: raw.confidence,
                warnings: Vec::new(),
                source: raw.source.clone(),
            })
            .collect();
        documents.push(Document {
            collection_date: file.dates.collected.clone(),
            collection_time: file.dates.collected_time.clone(),
            result_date: file.dates.reported.clone(),
            sections: vec![Section {
                name: None,
                loinc_code: None,
                loinc_name: None,
                results,
            }],
        });
    }
    StandardizedReport {
        documents,
        ..Default::default()
    }
}
