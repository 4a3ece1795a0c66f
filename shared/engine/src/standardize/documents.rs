//! Grouping standardized rows into documents (one per collection date) and sections.

use super::panels;
use crate::model::{Document, Section, StandardizedResult};

/// A standardized row with what grouping needs.
pub struct Placed {
    pub collection_date: Option<String>,
    pub collection_time: Option<String>,
    pub result_date: Option<String>,
    pub section: Option<String>,
    pub result: StandardizedResult,
}

fn section_key(s: &Option<String>) -> String {
    s.as_deref()
        .map(|s| s.trim().to_lowercase())
        .unwrap_or_default()
}

/// Documents in order of first appearance; sections in order of first appearance within each.
pub fn group(rows: Vec<Placed>) -> Vec<Document> {
    let mut docs: Vec<Document> = Vec::new();
    for row in rows {
        let di = match docs
            .iter()
            .position(|d| d.collection_date == row.collection_date)
        {
            Some(i) => i,
            None => {
                docs.push(Document {
                    collection_date: row.collection_date.clone(),
                    collection_time: row.collection_time.clone(),
                    result_date: row.result_date.clone(),
                    sections: Vec::new(),
                });
                docs.len() - 1
            }
        };
        let doc = &mut docs[di];
        let key = section_key(&row.section);
        let si = match doc
            .sections
            .iter()
            .position(|s| section_key(&s.name) == key)
        {
            Some(i) => i,
            None => {
                doc.sections.push(Section {
                    name: row.section.as_ref().map(|s| s.trim().to_string()),
                    loinc_code: None,
                    loinc_name: None,
                    results: Vec::new(),
                });
                doc.sections.len() - 1
            }
        };
        doc.sections[si].results.push(row.result);
    }
    for doc in &mut docs {
        for s in &mut doc.sections {
            let direct = s
                .results
                .iter()
                .any(|r| r.biomarker == "ldl_cholesterol_direct");
            let ids: Vec<&str> = s.results.iter().map(|r| r.biomarker.as_str()).collect();
            let panel = s
                .name
                .as_deref()
                .and_then(|n| panels::panel_for(n, direct))
                .or_else(|| panels::panel_from_results(&ids));
            if let Some(p) = panel {
                s.loinc_code = Some(p.code.to_string());
                s.loinc_name = Some(p.name.to_string());
            }
        }
    }
    docs
}
