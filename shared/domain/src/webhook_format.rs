//! The webhook body in each payload format an endpoint can choose. Every format renders the
//! same event; the sender signs whatever bytes a format gives, so signatures, ids and retries
//! are the same in all of them.
//!
//! - `labrador`: the envelope of [`WebhookEvent`] (`id`, `type`, …, the report under `data`).
//! - `lab_report_record`: a flat lab-report record (`record_id`, `status` `completed` or
//!   `failed`, `parsing_error`, `collection_date`, `sections[].results[]` with LOINC codes,
//!   numeric `value` and boolean `within_normal_range`), as receivers of record-style lab-report
//!   APIs read it. `GET /lab_reports/{id}` answers the same record under `lab_report`.
//! - `terra_v2`: Terra's v2 lab-report body (`upload_id`, `reference_id`, `data[]` of
//!   `{date, time, results[]}` with biomarker enums, UCUM `unit_code`, `units` and contextual
//!   `reference_ranges`).

use crate::record::ReportRecord;
use crate::webhook::WebhookEvent;
use labrador_engine::model::{
    ReferenceRange, Report, Section, StandardizedResult, Status, UnitsDescription, ValueBound,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// How an endpoint's webhook bodies are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayloadFormat {
    #[default]
    #[serde(rename = "labrador")]
    Labrador,
    #[serde(rename = "lab_report_record")]
    LabReportRecord,
    #[serde(rename = "terra_v2")]
    TerraV2,
}

impl PayloadFormat {
    pub const ALL: [PayloadFormat; 3] = [
        PayloadFormat::Labrador,
        PayloadFormat::LabReportRecord,
        PayloadFormat::TerraV2,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PayloadFormat::Labrador => "labrador",
            PayloadFormat::LabReportRecord => "lab_report_record",
            PayloadFormat::TerraV2 => "terra_v2",
        }
    }

    pub fn parse(s: &str) -> Option<PayloadFormat> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The body of `event` in this format.
    pub fn render(self, event: &WebhookEvent) -> Result<Vec<u8>, serde_json::Error> {
        match self {
            PayloadFormat::Labrador => serde_json::to_vec(event),
            PayloadFormat::LabReportRecord => serde_json::to_vec(&lab_report_record(&event.data)),
            PayloadFormat::TerraV2 => serde_json::to_vec(&terra_v2(&event.data)),
        }
    }
}

fn failed(status: Status) -> bool {
    matches!(status, Status::Failed | Status::Rejected)
}

/// Why a failed or rejected report has no results, in words.
fn parsing_error(report: &Report) -> String {
    report
        .rejection
        .as_ref()
        .map(|r| r.message.clone())
        .or_else(|| report.error.as_ref().map(|e| e.message.clone()))
        .unwrap_or_else(|| "the report could not be processed".to_string())
}

/// A finished report as a lab-report record: `status` is `completed` or `failed` (with
/// `parsing_error`); dates are the first the report's documents give.
pub fn lab_report_record(report: &Report) -> Value {
    let sections: Vec<Value> = report
        .documents
        .iter()
        .flat_map(|d| &d.sections)
        .map(record_section)
        .collect();
    let mut out = json!({
        "application_user_id": report.reference_id,
        "record_id": report.id,
        "status": if failed(report.status) { "failed" } else { "completed" },
        "collection_date": report.documents.iter().find_map(|d| d.collection_date.clone()),
        "result_date": report.documents.iter().find_map(|d| d.result_date.clone()),
        "sections": sections,
        "uploaded_at": report.uploaded_at,
        "modified_at": report.updated_at,
    });
    if failed(report.status) {
        out["parsing_error"] = json!(parsing_error(report));
    }
    out
}

/// A report still being read, as a lab-report record: `status` is `processing`.
pub fn processing_lab_report_record(record: &ReportRecord) -> Value {
    json!({
        "application_user_id": record.reference_id,
        "record_id": record.id,
        "status": "processing",
        "uploaded_at": record.uploaded_at,
        "modified_at": record.updated_at,
    })
}

fn record_section(section: &Section) -> Value {
    let results: Vec<Value> = section.results.iter().map(record_result).collect();
    json!({
        "loinc_code": section.loinc_code,
        "loinc_common_name": section.loinc_name,
        "original_section_name": section.name,
        "results": results,
    })
}

fn record_result(r: &StandardizedResult) -> Value {
    json!({
        "loinc_code": r.loinc_code,
        "loinc_common_name": r.loinc_name,
        "original_test_name": r.original_name,
        "original_unit_name": r.original_unit,
        "standard_unit_name": r.unit_code,
        "value": r.value,
        "within_normal_range": r.within_normal_range,
    })
}

/// A finished report as Terra's v2 body: one `data` item per document (none for a failed or
/// rejected report).
pub fn terra_v2(report: &Report) -> Value {
    let data: Vec<Value> = if failed(report.status) {
        Vec::new()
    } else {
        report
            .documents
            .iter()
            .map(|d| {
                let results: Vec<Value> = d
                    .sections
                    .iter()
                    .flat_map(|s| &s.results)
                    .map(terra_result)
                    .collect();
                json!({
                    "date": d.collection_date,
                    "time": d.collection_time.as_deref().map(hours_minutes),
                    "results": results,
                })
            })
            .collect()
    };
    json!({
        "upload_id": report.id,
        "reference_id": report.reference_id,
        "data": data,
    })
}

/// `HH:MM` of a time written `HH:MM` or `HH:MM:SS`.
fn hours_minutes(time: &str) -> String {
    time.trim().chars().take(5).collect()
}

fn terra_result(r: &StandardizedResult) -> Value {
    let ranges: Vec<Value> = if r.reference_ranges.is_empty() {
        r.reference_range.iter().map(terra_range).collect()
    } else {
        r.reference_ranges.iter().map(terra_range).collect()
    };
    let specimen = match r.specimen.as_deref() {
        Some("urine") => "urine",
        _ => "blood",
    };
    json!({
        "original_name": r.original_name,
        "display_name": r.display_name,
        "biomarker": r.biomarker,
        "type": specimen,
        "value": r.value,
        "value_bound": r.value_bound.as_ref().map(terra_bound),
        "display_units": r.original_unit.as_deref().unwrap_or("Unknown"),
        "unit_code": r.unit_code,
        "units": terra_units(r.units.as_ref()),
        "reference_ranges": ranges,
        "notes": Value::Null,
    })
}

fn terra_bound(bound: &ValueBound) -> Value {
    let (greater_than, less_than) = match *bound {
        ValueBound::GreaterThan(v) | ValueBound::GreaterThanOrEqual(v) => (Some(v), None),
        ValueBound::LessThan(v) | ValueBound::LessThanOrEqual(v) => (None, Some(v)),
    };
    json!({"greater_than": greater_than, "less_than": less_than})
}

/// The unit spelled out; every field null when the unit is not known.
fn terra_units(units: Option<&UnitsDescription>) -> Value {
    json!({
        "id": Value::Null,
        "name": units.map(|u| &u.name),
        "numerator": units.and_then(|u| u.numerator.as_ref()),
        "denominator": units.and_then(|u| u.denominator.as_ref()),
        "exponent": units.and_then(|u| u.exponent),
    })
}

/// `normal`, `borderline` or `abnormal`, from the range's printed category (none: normal).
fn classification(category: Option<&str>) -> &'static str {
    let Some(c) = category.map(str::to_lowercase) else {
        return "normal";
    };
    if c.contains("borderline") {
        "borderline"
    } else if ["normal", "desirable", "optimal", "ideal", "reference"]
        .iter()
        .any(|w| c.contains(w))
    {
        "normal"
    } else {
        "abnormal"
    }
}

fn terra_range(range: &ReferenceRange) -> Value {
    let modifiers: Vec<Value> = range
        .context
        .condition
        .iter()
        .map(|c| json!({"dimension": "condition", "value": c}))
        .collect();
    json!({
        "reference_lower_bound": range.low,
        "reference_upper_bound": range.high,
        "classification": classification(range.category.as_deref()),
        "context": {
            "sex": range.context.sex,
            "age_lower_bound": range.context.age_low,
            "age_upper_bound": range.context.age_high,
            "modifiers": modifiers,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::EventType;
    use labrador_engine::model::{
        Document, MatchCounts, RangeContext, ReportError, Sex, Source, StatusChange,
    };
    use std::collections::BTreeMap;

    fn result() -> StandardizedResult {
        StandardizedResult {
            original_name: "White Blood Count".into(),
            biomarker: "white_blood_cell_count".into(),
            display_name: Some("White Blood Cell Count".into()),
            loinc_code: Some("6690-2".into()),
            loinc_name: Some("Leukocytes [#/volume] in Blood".into()),
            match_status: Default::default(),
            loinc_candidates: Vec::new(),
            specimen: Some("blood".into()),
            value: Some(7.2),
            value_text: "7.2".into(),
            value_bound: None,
            original_unit: Some("K/uL".into()),
            unit_code: Some("10*3/uL".into()),
            units: None,
            reference_range: Some(ReferenceRange {
                low: Some(4.0),
                high: Some(11.0),
                text: Some("4.0-11.0".into()),
                category: None,
                context: RangeContext {
                    sex: Some(Sex::Male),
                    ..RangeContext::default()
                },
            }),
            reference_ranges: Vec::new(),
            flag: None,
            flag_text: None,
            interpretation: None,
            within_normal_range: Some(true),
            canonical: None,
            confidence: 0.9,
            warnings: Vec::new(),
            source: Source {
                file: 0,
                page: 1,
                bbox: [0.0; 4],
            },
        }
    }

    fn report(status: Status) -> Report {
        Report {
            id: "r1".into(),
            status,
            stage: "completed".into(),
            reference_id: Some("user_1".into()),
            metadata: BTreeMap::new(),
            uploaded_at: "2024-01-15T10:30:04.521Z".into(),
            updated_at: "2024-01-15T10:30:12.132Z".into(),
            files: Vec::new(),
            documents: vec![Document {
                collection_date: Some("2024-01-15".into()),
                collection_time: Some("09:30:00".into()),
                result_date: Some("2024-01-16".into()),
                sections: vec![Section {
                    name: Some("HEMATOLOGY".into()),
                    loinc_code: Some("58410-2".into()),
                    loinc_name: Some("CBC panel".into()),
                    results: vec![result()],
                }],
            }],
            lab_name: None,
            report_locale: None,
            patient: None,
            match_counts: MatchCounts::default(),
            status_history: Vec::<StatusChange>::new(),
            warnings: Vec::new(),
            rejection: None,
            error: None,
            request_id: None,
        }
    }

    #[test]
    fn formats_round_trip_by_name() {
        for f in PayloadFormat::ALL {
            assert_eq!(PayloadFormat::parse(f.as_str()), Some(f));
            assert_eq!(serde_json::to_value(f).unwrap(), json!(f.as_str()));
        }
        assert_eq!(PayloadFormat::parse("xml"), None);
    }

    #[test]
    fn lab_report_record_is_flat_and_typed() {
        let v = lab_report_record(&report(Status::Completed));
        assert_eq!(v["record_id"], "r1");
        assert_eq!(v["application_user_id"], "user_1");
        assert_eq!(v["status"], "completed");
        assert_eq!(v["collection_date"], "2024-01-15");
        assert_eq!(v["result_date"], "2024-01-16");
        assert!(v.get("parsing_error").is_none());
        let r = &v["sections"][0]["results"][0];
        assert_eq!(v["sections"][0]["original_section_name"], "HEMATOLOGY");
        assert_eq!(r["value"], json!(7.2));
        assert_eq!(r["within_normal_range"], json!(true));
        assert_eq!(r["original_unit_name"], "K/uL");
        assert_eq!(r["standard_unit_name"], "10*3/uL");

        let mut bad = report(Status::Failed);
        bad.documents.clear();
        bad.error = Some(ReportError {
            code: "engine_failed".into(),
            message: "no text could be read".into(),
            retriable: false,
        });
        let v = lab_report_record(&bad);
        assert_eq!(v["status"], "failed");
        assert_eq!(v["parsing_error"], "no text could be read");
        assert_eq!(v["collection_date"], Value::Null);
    }

    #[test]
    fn terra_v2_spells_out_units_bounds_and_ranges() {
        let mut rep = report(Status::Completed);
        let r = &mut rep.documents[0].sections[0].results[0];
        r.value = None;
        r.value_bound = Some(ValueBound::LessThan(0.1));
        r.original_unit = None;
        let v = terra_v2(&rep);
        assert_eq!(v["upload_id"], "r1");
        assert_eq!(v["reference_id"], "user_1");
        let d = &v["data"][0];
        assert_eq!(d["date"], "2024-01-15");
        assert_eq!(d["time"], "09:30");
        let r = &d["results"][0];
        assert_eq!(r["type"], "blood");
        assert_eq!(r["value"], Value::Null);
        assert_eq!(
            r["value_bound"],
            json!({"greater_than": null, "less_than": 0.1})
        );
        assert_eq!(r["display_units"], "Unknown");
        assert_eq!(r["units"]["name"], Value::Null);
        let range = &r["reference_ranges"][0];
        assert_eq!(range["reference_lower_bound"], json!(4.0));
        assert_eq!(range["classification"], "normal");
        assert_eq!(range["context"]["sex"], "male");
        assert_eq!(range["context"]["modifiers"], json!([]));
        assert!(
            terra_v2(&report(Status::Rejected))["data"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn every_format_renders_the_same_event() {
        let event = WebhookEvent::new(
            "evt_1".into(),
            EventType::Completed,
            "2024-01-15T10:30:12.132Z".into(),
            report(Status::Completed),
        );
        let labrador: Value =
            serde_json::from_slice(&PayloadFormat::Labrador.render(&event).unwrap()).unwrap();
        assert_eq!(labrador["data"]["id"], "r1");
        let record: Value =
            serde_json::from_slice(&PayloadFormat::LabReportRecord.render(&event).unwrap())
                .unwrap();
        assert_eq!(record["record_id"], "r1");
        let terra: Value =
            serde_json::from_slice(&PayloadFormat::TerraV2.render(&event).unwrap()).unwrap();
        assert_eq!(terra["upload_id"], "r1");
    }

    #[test]
    fn classification_reads_the_category() {
        assert_eq!(classification(None), "normal");
        assert_eq!(classification(Some("Desirable")), "normal");
        assert_eq!(classification(Some("Borderline high")), "borderline");
        assert_eq!(classification(Some("High")), "abnormal");
    }
}
