//! Real-world spellings of names and units (en-US/UK/IN, de, fr, it, es) → biomarker, LOINC, UCUM.
//! The table is `tests/data/standardize_spellings.tsv`.

use labrador_engine::standardize::{StandardizeOptions, standardize_row};
use labrador_engine::{PatientInfo, RawResult, Source};

#[test]
fn spellings_table() {
    let text = include_str!("data/standardize_spellings.tsv");
    let mut total = 0;
    let mut misses = Vec::new();
    let mut langs_seen = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 7, "bad table line {line:?}");
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let raw = RawResult {
            name: f[0].into(),
            value_text: f[3].into(),
            unit_text: opt(f[1]),
            range_text: None,
            flag_text: None,
            highlighted: false,
            section: opt(f[2]),
            method: None,
            collection_date: None,
            source: Source {
                file: 0,
                page: 1,
                bbox: [0.0; 4],
            },
            confidence: 1.0,
        };
        let r = standardize_row(
            &raw,
            &PatientInfo::default(),
            None,
            &StandardizeOptions::default(),
        );
        total += 1;
        let want_unit = (f[6] != "-").then(|| f[6].to_string());
        if r.biomarker != f[4] || r.loinc_code.as_deref() != Some(f[5]) || r.unit_code != want_unit
        {
            misses.push(format!(
                "{:?} [{}] in {:?}: got {} {:?} {:?}; want {} {} {:?}",
                f[0], f[1], f[2], r.biomarker, r.loinc_code, r.unit_code, f[4], f[5], want_unit
            ));
        }
        if r.loinc_code.is_some() {
            assert!(
                r.loinc_name.is_some(),
                "a LOINC code always carries its name"
            );
        }
        langs_seen += 1;
    }
    for m in &misses {
        println!("miss: {m}");
    }
    println!("spellings: {}/{} right", total - misses.len(), total);
    assert!(
        total >= 300 && langs_seen == total,
        "the table holds at least 300 pairs"
    );
    assert!(
        misses.is_empty(),
        "{} of {total} spellings mis-standardized",
        misses.len()
    );
}
