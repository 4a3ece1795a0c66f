//! FHIR R4 export: a collection Bundle with, per document, a DiagnosticReport and one Observation
//! per result. Plain JSON values, no FHIR crate. No patient identity is exported.

use crate::model::{
    Document, Interpretation, ReferenceRange, Report, StandardizedResult, ValueBound,
};
use serde_json::{Map, Value, json};

const LOINC: &str = "http://loinc.org";
const UCUM: &str = "http://unitsofmeasure.org";
const V3_INTERP: &str = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

/// A FHIR id: `[A-Za-z0-9\-\.]{1,64}`.
fn fhir_id(s: &str) -> String {
    let id: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    if id.is_empty() { "report".into() } else { id }
}

/// A stable `urn:uuid:` built from a seed (FNV-1a), so the same report gives the same bundle.
fn urn(seed: &str) -> String {
    let h = |salt: u64| {
        let mut x: u64 = 0xcbf2_9ce4_8422_2325 ^ salt;
        for b in seed.bytes() {
            x ^= u64::from(b);
            x = x.wrapping_mul(0x0100_0000_01b3);
        }
        x
    };
    let (a, b) = (h(1), h(2));
    format!(
        "urn:uuid:{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

fn quantity(value: f64, r: &StandardizedResult) -> Value {
    let mut q = Map::new();
    q.insert("value".into(), json!(value));
    // the printed unit names the value unless the value was converted to another unit
    let printed_code = r
        .original_unit
        .as_deref()
        .and_then(crate::standardize::units::to_ucum)
        .map(|u| u.code);
    let unit_text = match (&r.original_unit, &r.unit_code) {
        (Some(_), Some(c)) if printed_code != Some(c.as_str()) => Some(c.clone()),
        (Some(o), _) => Some(o.clone()),
        (None, c) => c.clone(),
    };
    if let Some(u) = unit_text {
        q.insert("unit".into(), json!(u));
    }
    if let Some(code) = &r.unit_code {
        q.insert("system".into(), json!(UCUM));
        q.insert("code".into(), json!(code));
    }
    Value::Object(q)
}

fn interpretation(i: Interpretation) -> Value {
    let (code, display) = match i {
        Interpretation::Normal => ("N", "Normal"),
        Interpretation::Low => ("L", "Low"),
        Interpretation::High => ("H", "High"),
        Interpretation::Abnormal => ("A", "Abnormal"),
        Interpretation::CriticalLow => ("LL", "Critical low"),
        Interpretation::CriticalHigh => ("HH", "Critical high"),
    };
    json!([{ "coding": [{ "system": V3_INTERP, "code": code, "display": display }] }])
}

fn reference_range(range: &ReferenceRange, r: &StandardizedResult) -> Option<Value> {
    let mut m = Map::new();
    if let Some(l) = range.low {
        m.insert("low".into(), quantity(l, r));
    }
    if let Some(h) = range.high {
        m.insert("high".into(), quantity(h, r));
    }
    let text = match (&range.text, &range.category) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(c)) => Some(c.clone()),
        _ => None,
    };
    if m.is_empty() {
        return None;
    }
    if let Some(t) = text {
        m.insert("text".into(), json!(t));
    }
    let ctx = &range.context;
    if let Some(sex) = ctx.sex {
        let (code, display) = match sex {
            crate::model::Sex::Male => ("male", "Male"),
            crate::model::Sex::Female => ("female", "Female"),
        };
        m.insert(
            "appliesTo".into(),
            json!([{ "coding": [{ "system": "http://hl7.org/fhir/administrative-gender",
                                   "code": code, "display": display }] }]),
        );
    }
    if ctx.age_low.is_some() || ctx.age_high.is_some() {
        let years = |v: f32| json!({ "value": v, "unit": "years", "system": UCUM, "code": "a" });
        let mut age = Map::new();
        if let Some(l) = ctx.age_low {
            age.insert("low".into(), years(l));
        }
        if let Some(h) = ctx.age_high {
            age.insert("high".into(), years(h));
        }
        m.insert("age".into(), Value::Object(age));
    }
    Some(Value::Object(m))
}

fn observation(
    r: &StandardizedResult,
    doc: &Document,
    specimen_ref: Option<&str>,
    id: &str,
) -> Value {
    let mut code = Map::new();
    if let (Some(c), Some(n)) = (&r.loinc_code, &r.loinc_name) {
        code.insert(
            "coding".into(),
            json!([{ "system": LOINC, "code": c, "display": n }]),
        );
    }
    code.insert("text".into(), json!(r.original_name));
    let mut o = Map::new();
    o.insert("resourceType".into(), json!("Observation"));
    o.insert("id".into(), json!(id));
    o.insert("status".into(), json!("final"));
    o.insert(
        "category".into(),
        json!([{ "coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "laboratory", "display": "Laboratory" }] }]),
    );
    o.insert("code".into(), Value::Object(code));
    if let Some(d) = &doc.collection_date {
        o.insert("effectiveDateTime".into(), json!(d));
    }
    match (r.value, &r.value_bound) {
        (Some(v), _) => {
            o.insert("valueQuantity".into(), quantity(v, r));
        }
        (None, Some(b)) => {
            let (cmp, v) = match b {
                ValueBound::LessThan(v) => ("<", v),
                ValueBound::LessThanOrEqual(v) => ("<=", v),
                ValueBound::GreaterThan(v) => (">", v),
                ValueBound::GreaterThanOrEqual(v) => (">=", v),
            };
            let mut q = quantity(*v, r);
            q["comparator"] = json!(cmp);
            o.insert("valueQuantity".into(), q);
        }
        (None, None) if !r.value_text.trim().is_empty() => {
            o.insert("valueString".into(), json!(r.value_text));
        }
        _ => {
            o.insert(
                "dataAbsentReason".into(),
                json!({ "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                    "code": "unknown", "display": "Unknown" }] }),
            );
        }
    }
    if let Some(i) = r.interpretation {
        o.insert("interpretation".into(), interpretation(i));
    }
    let ranges: Vec<Value> = if r.reference_ranges.is_empty() {
        r.reference_range
            .iter()
            .filter_map(|x| reference_range(x, r))
            .collect()
    } else {
        r.reference_ranges
            .iter()
            .filter_map(|x| reference_range(x, r))
            .collect()
    };
    if !ranges.is_empty() {
        o.insert("referenceRange".into(), Value::Array(ranges));
    }
    if let Some(s) = specimen_ref {
        o.insert("specimen".into(), json!({ "reference": s }));
    }
    Value::Object(o)
}

/// The report as a FHIR R4 `Bundle` of type `collection`.
pub fn bundle(report: &Report) -> Value {
    let rid = fhir_id(&report.id);
    let mut entries = Vec::new();
    for (di, doc) in report.documents.iter().enumerate() {
        let mut result_refs = Vec::new();
        let mut specimens: Vec<(String, String)> = Vec::new();
        let mut observations = Vec::new();
        for (si, section) in doc.sections.iter().enumerate() {
            for (ri, r) in section.results.iter().enumerate() {
                let specimen_ref = r.specimen.as_ref().map(|s| {
                    if let Some((_, u)) = specimens.iter().find(|(k, _)| k == s) {
                        u.clone()
                    } else {
                        let u = urn(&format!("{rid}/{di}/specimen/{s}"));
                        specimens.push((s.clone(), u.clone()));
                        u
                    }
                });
                let oid = format!("{rid}-{di}-{si}-{ri}");
                let oid = fhir_id(&oid);
                let full = urn(&format!("{rid}/{di}/{si}/{ri}"));
                result_refs.push(json!({ "reference": full }));
                observations.push(json!({
                    "fullUrl": full,
                    "resource": observation(r, doc, specimen_ref.as_deref(), &oid),
                }));
            }
        }
        for (i, (kind, u)) in specimens.iter().enumerate() {
            entries.push(json!({
                "fullUrl": u,
                "resource": {
                    "resourceType": "Specimen",
                    "id": fhir_id(&format!("{rid}-{di}-specimen-{i}")),
                    "type": { "text": kind.replace('_', " ") },
                }
            }));
        }
        let mut dr = Map::new();
        dr.insert("resourceType".into(), json!("DiagnosticReport"));
        dr.insert("id".into(), json!(fhir_id(&format!("{rid}-{di}"))));
        dr.insert("status".into(), json!("final"));
        dr.insert(
            "category".into(),
            json!([{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v2-0074",
                                  "code": "LAB", "display": "Laboratory" }] }]),
        );
        dr.insert(
            "code".into(),
            json!({ "coding": [{ "system": LOINC, "code": "11502-2", "display": "Laboratory report" }],
                    "text": "Laboratory report" }),
        );
        if let Some(d) = &doc.collection_date {
            dr.insert("effectiveDateTime".into(), json!(d));
        }
        if let Some(lab) = &report.lab_name {
            dr.insert("performer".into(), json!([{ "display": lab }]));
        }
        dr.insert("result".into(), Value::Array(result_refs));
        entries.push(json!({
            "fullUrl": urn(&format!("{rid}/{di}/report")),
            "resource": Value::Object(dr),
        }));
        entries.extend(observations);
    }
    let mut b = Map::new();
    b.insert("resourceType".into(), json!("Bundle"));
    b.insert("id".into(), json!(rid));
    b.insert("type".into(), json!("collection"));
    if chrono_like(&report.updated_at) {
        b.insert("timestamp".into(), json!(report.updated_at));
    }
    b.insert("entry".into(), Value::Array(entries));
    Value::Object(b)
}

/// FHIR instants need a full date-time with a zone.
fn chrono_like(s: &str) -> bool {
    s.len() >= 20
        && s.as_bytes().get(10) == Some(&b'T')
        && (s.ends_with('Z') || s[19..].contains(['+', '-']))
}
