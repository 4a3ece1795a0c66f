//! Reports built from the dev corpus truth rows: their FHIR bundles validate with the independent
//! `fhir.resources` (R4B) models (`tests/fhir/validate_fhir.py`), and their JSON matches the
//! OpenAPI `Report` schema exactly (`tests/api/validate_report.py`, jsonschema).

use labrador_engine::fhir::bundle;
use labrador_engine::standardize::{StandardizeOptions, UnitsMode, standardize};
use labrador_engine::{Extraction, FileExtraction, RawResult, Report, ReportDates, Source, Status};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../..")
}

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(|x| x.as_str()).map(str::to_string)
}

fn raw(
    name: &str,
    value: &str,
    unit: Option<&str>,
    range: Option<&str>,
    section: Option<String>,
    date: Option<String>,
) -> RawResult {
    RawResult {
        name: name.into(),
        value_text: value.into(),
        unit_text: unit.map(str::to_string),
        range_text: range.map(str::to_string),
        flag_text: None,
        highlighted: false,
        section,
        method: None,
        collection_date: date,
        source: Source {
            file: 0,
            page: 1,
            bbox: [0.0; 4],
        },
        confidence: 1.0,
    }
}

fn report_for(stem: &str, truth: &Value, options: &StandardizeOptions) -> Report {
    let mut results: Vec<RawResult> = truth["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut x = raw(
                &s(r, "original_name").unwrap_or_default(),
                &s(r, "value_text").unwrap_or_default(),
                s(r, "unit").as_deref(),
                s(r, "ref_text").as_deref(),
                s(r, "section"),
                s(r, "collection_date"),
            );
            x.flag_text = s(r, "flag_text").or_else(|| s(r, "flag"));
            x
        })
        .collect();
    // exercise bounds, qualitative values, titres and unknown names too
    results.push(raw("CRP", "<0.5", Some("mg/L"), Some("< 5"), None, None));
    results.push(raw(
        "HBsAg",
        "Non-reactive",
        None,
        None,
        Some("SEROLOGY".into()),
        None,
    ));
    results.push(raw("ANA", "1:80", None, Some("< 1:40"), None, None));
    results.push(raw("Zzyzx factor", "12", Some("zz/L"), None, None, None));
    results.push(raw(
        "Hemoglobin",
        "13.1",
        Some("g/dL"),
        Some("Men 18-60 years: 13.5-17.5; Women 18-60 years: 12.0-15.5"),
        None,
        None,
    ));
    let ext = Extraction {
        engine_version: "test".into(),
        files: vec![FileExtraction {
            file: 0,
            pages: 1,
            results,
            dates: ReportDates {
                collected: s(truth, "collection_date"),
                reported: s(truth, "result_date"),
                ..Default::default()
            },
            language: s(truth, "language"),
            lab_name: Some("Test lab".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    let std = standardize(&ext, options);
    Report::assemble(
        format!("rep_{stem}"),
        Vec::new(),
        std,
        Status::Completed,
        "completed",
        "2026-01-01T00:00:00Z",
    )
}

fn validate(files: &[PathBuf]) -> (bool, String) {
    let out = Command::new("python3")
        .arg(root().join("tests/fhir/validate_fhir.py"))
        .args(files)
        .output()
        .expect("python3 must be installed (infra/setup.sh)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(
        out.status.code(),
        Some(2),
        "validator could not run: {text}"
    );
    (out.status.success(), text)
}

#[test]
fn dev_corpus_bundles_validate() {
    let dir = std::env::temp_dir().join(format!("labrador-fhir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let truth_dir = root().join("../shared/corpus/dev/truth");
    let mut files = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&truth_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let stem = p.file_stem().unwrap().to_str().unwrap().to_string();
        let truth: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        for (suffix, units) in [
            ("", UnitsMode::Original),
            ("-canonical", UnitsMode::Canonical),
        ] {
            let report = report_for(&stem, &truth, &StandardizeOptions { units });
            let b = bundle(&report);
            // one DiagnosticReport per document
            let n_dr = b["entry"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["resource"]["resourceType"] == "DiagnosticReport")
                .count();
            assert_eq!(n_dr, report.documents.len());
            let text = b.to_string();
            assert!(
                text.contains("\"appliesTo\"") && text.contains("\"age\""),
                "sex/age ranges exported"
            );
            assert!(
                text.contains("\"comparator\":\"<\""),
                "bounds exported as comparators"
            );
            assert!(
                text.contains("\"valueString\""),
                "qualitative values exported as strings"
            );
            let out = dir.join(format!("{stem}{suffix}.json"));
            std::fs::write(&out, serde_json::to_vec_pretty(&b).unwrap()).unwrap();
            files.push(out);
        }
    }
    let (ok, text) = validate(&files);
    println!("{text}");
    assert!(ok, "FHIR validation failed:\n{text}");

    // the validator must be able to fail
    let bad = dir.join("broken.json");
    let mut b: Value = serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    let obs = b["entry"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|e| e["resource"]["resourceType"] == "Observation")
        .unwrap();
    // Observation.code is required (1..1)
    obs["resource"].as_object_mut().unwrap().remove("code");
    std::fs::write(&bad, serde_json::to_vec(&b).unwrap()).unwrap();
    let (ok, _) = validate(&[bad]);
    assert!(!ok, "a broken bundle must not validate");
    let _ = std::fs::remove_dir_all(Path::new(&dir));
}

fn validate_reports(files: &[PathBuf]) -> (bool, String) {
    let out = Command::new("python3")
        .arg(root().join("tests/api/validate_report.py"))
        .arg(root().join("shared/api/openapi.yaml"))
        .args(files)
        .output()
        .expect("python3 must be installed (infra/setup.sh)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(
        out.status.code(),
        Some(2),
        "validator could not run: {text}"
    );
    (out.status.success(), text)
}

#[test]
fn reports_match_the_openapi_report_schema() {
    let dir = std::env::temp_dir().join(format!("labrador-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("../shared/corpus/dev/truth"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let stem = p.file_stem().unwrap().to_str().unwrap().to_string();
        let truth: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        for (suffix, units) in [
            ("", UnitsMode::Original),
            ("-canonical", UnitsMode::Canonical),
        ] {
            let mut report = report_for(&stem, &truth, &StandardizeOptions { units });
            report.reference_id = Some("ref-1".into());
            report.metadata.insert("k".into(), "v".into());
            let out = dir.join(format!("{stem}{suffix}.json"));
            std::fs::write(&out, serde_json::to_vec_pretty(&report).unwrap()).unwrap();
            files.push(out);
        }
    }
    let (ok, text) = validate_reports(&files);
    println!("{text}");
    assert!(ok, "reports do not match the OpenAPI schema:\n{text}");

    // an undocumented member and a wrong type must both fail
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    v["documents"][0]["sections"][0]["results"][0]["undocumented"] = Value::Bool(true);
    let bad = dir.join("undocumented.json");
    std::fs::write(&bad, serde_json::to_vec(&v).unwrap()).unwrap();
    assert!(
        !validate_reports(&[bad]).0,
        "an undocumented field must fail"
    );
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    v["match_counts"]["auto"] = Value::String("many".into());
    let bad = dir.join("mistyped.json");
    std::fs::write(&bad, serde_json::to_vec(&v).unwrap()).unwrap();
    assert!(!validate_reports(&[bad]).0, "a mistyped field must fail");
    let _ = std::fs::remove_dir_all(Path::new(&dir));
}
