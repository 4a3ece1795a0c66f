//! The dev corpus (`../shared/corpus/dev`, beside the repository), when present: every
//! text-layer report is read, nearly every truth row is found with its value, unit and range
//! text, and every printed collection date is found.

mod reader_support;

use labrador_engine::InputFile;
use reader_support::engine;
use serde_json::Value;
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../../../shared/corpus/dev");
    dir.join("truth").is_dir().then_some(dir)
}

fn norm(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

#[test]
fn text_layer_reports_read_their_rows() {
    let Some(dir) = corpus() else {
        eprintln!("no ../shared/corpus/dev: corpus test not applicable");
        return;
    };
    let (mut truth_rows, mut found, mut unit_ok, mut predicted) = (0usize, 0usize, 0usize, 0usize);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir.join("truth"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for truth_path in entries {
        let truth: Value =
            serde_json::from_str(&std::fs::read_to_string(&truth_path).unwrap()).unwrap();
        if truth["has_text_layer"] != Value::Bool(true) {
            continue;
        }
        let file = dir.join("files").join(truth["file"].as_str().unwrap());
        let bytes = std::fs::read(&file).unwrap();
        let input = InputFile {
            index: 0,
            file_name: "x.pdf",
            bytes: &bytes,
        };
        let extraction = engine().extract(std::slice::from_ref(&input));
        assert!(
            extraction.rejection.is_none(),
            "{}: {:?}",
            file.display(),
            extraction.rejection
        );
        let fe = &extraction.files[0];
        predicted += fe.results.len();
        if let Some(date) = truth["collection_date"].as_str() {
            let dates: Vec<Option<&str>> = std::iter::once(fe.dates.collected.as_deref())
                .chain(fe.results.iter().map(|r| r.collection_date.as_deref()))
                .collect();
            assert!(
                dates.contains(&Some(date)),
                "{}: collection date {date} not found",
                file.display()
            );
        }
        let mut used = vec![false; fe.results.len()];
        for row in truth["results"].as_array().unwrap() {
            truth_rows += 1;
            let name = norm(row["original_name"].as_str().unwrap());
            let value = row["value_text"].as_str().unwrap();
            let hit = fe.results.iter().enumerate().position(|(i, r)| {
                !used[i] && norm(&r.value_text) == norm(value) && {
                    let n = norm(&r.name);
                    n.contains(&name) || name.contains(&n)
                }
            });
            if let Some(i) = hit {
                used[i] = true;
                found += 1;
                let unit = row["unit"].as_str().map(norm);
                if fe.results[i].unit_text.as_deref().map(norm) == unit {
                    unit_ok += 1;
                }
            } else {
                eprintln!(
                    "{}: missed {:?} = {value}",
                    file.display(),
                    row["original_name"]
                );
            }
        }
    }
    let recall = found as f64 / truth_rows as f64;
    let precision = found as f64 / predicted as f64;
    let units = unit_ok as f64 / found as f64;
    eprintln!("corpus: rows {truth_rows}, found {found}, predicted {predicted}, units {units:.3}");
    assert!(truth_rows > 100);
    assert!(recall >= 0.97, "recall {recall:.3}");
    assert!(precision >= 0.97, "precision {precision:.3}");
    assert!(units >= 0.95, "unit accuracy {units:.3}");
}
