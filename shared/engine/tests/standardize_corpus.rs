//! Every truth row of the dev corpus, fed as a raw row through `standardize`: LOINC mapping
//! accuracy against `corpus/dev/loinc/`, and reference-range bounds against `ref_low/ref_high`.

use labrador_engine::standardize::{StandardizeOptions, standardize};
use labrador_engine::{Extraction, FileExtraction, RawResult, ReportDates, Source};
use serde_json::Value;
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../../../shared/corpus/dev")
}

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(|x| x.as_str()).map(str::to_string)
}

/// A raw row built from a truth row, as a perfect reader would produce it.
pub fn raw_row(r: &Value) -> RawResult {
    let flag = s(r, "flag_text").or_else(|| s(r, "flag"));
    RawResult {
        name: s(r, "original_name").unwrap_or_default(),
        value_text: s(r, "value_text").unwrap_or_default(),
        unit_text: s(r, "unit"),
        range_text: s(r, "ref_text"),
        flag_text: flag,
        highlighted: false,
        section: s(r, "section"),
        method: None,
        collection_date: s(r, "collection_date"),
        source: Source {
            file: 0,
            page: 1,
            bbox: [0.0; 4],
        },
        confidence: 1.0,
    }
}

#[test]
fn dev_corpus_loinc_and_ranges() {
    let mut total = 0;
    let mut right = 0;
    let mut range_total = 0;
    let mut range_right = 0;
    let mut misses = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(corpus().join("truth"))
        .expect("corpus truth dir")
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    for path in entries {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let truth: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let loinc: Value = serde_json::from_str(
            &std::fs::read_to_string(corpus().join("loinc").join(format!("{stem}.json"))).unwrap(),
        )
        .unwrap();
        let rows = truth["results"].as_array().unwrap();
        for (i, r) in rows.iter().enumerate() {
            let ext = Extraction {
                engine_version: "test".into(),
                files: vec![FileExtraction {
                    file: 0,
                    pages: 1,
                    results: vec![raw_row(r)],
                    dates: ReportDates::default(),
                    language: s(&truth, "language"),
                    ..Default::default()
                }],
                ..Default::default()
            };
            let rep = standardize(&ext, &StandardizeOptions::default());
            let res = &rep.documents[0].sections[0].results[0];
            let expected: Vec<String> = loinc["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["i"].as_u64() == Some(i as u64))
                .and_then(|x| x["loinc"].as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            if !expected.is_empty() {
                total += 1;
                if res
                    .loinc_code
                    .as_ref()
                    .is_some_and(|c| expected.contains(c))
                {
                    right += 1;
                } else {
                    misses.push(format!(
                        "{stem}[{i}] {:?} unit {:?} -> {:?} {:?}, expected {expected:?}",
                        res.original_name, res.original_unit, res.biomarker, res.loinc_code
                    ));
                }
            }
            range_total += 1;
            let want = (r["ref_low"].as_f64(), r["ref_high"].as_f64());
            let got = res
                .reference_range
                .as_ref()
                .map(|x| (x.low, x.high))
                .unwrap_or((None, None));
            if want == got {
                range_right += 1;
            } else {
                misses.push(format!(
                    "{stem}[{i}] range {:?}: got {got:?}, want {want:?}",
                    r["ref_text"]
                ));
            }
        }
    }
    println!(
        "LOINC mapping accuracy: {right}/{total} = {:.4}",
        right as f64 / total as f64
    );
    println!("range accuracy: {range_right}/{range_total}");
    for m in &misses {
        println!("miss: {m}");
    }
    assert_eq!(
        right, total,
        "every mapped dev row must carry an accepted LOINC code"
    );
    assert_eq!(
        range_right, range_total,
        "every printed range must parse to the truth bounds"
    );
}
