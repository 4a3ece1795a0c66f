//! Arbitrary printed text never makes standardization panic.

use labrador_engine::standardize::ranges::parse_ranges;
use labrador_engine::standardize::values::parse_value;
use labrador_engine::standardize::{StandardizeOptions, standardize_row};
use labrador_engine::{PatientInfo, RawResult, Sex, Source};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[0-9.,<>=≤≥ ÄäÖößéè%/µ:;()-]{0,30}",
        "(M|F|Men|Frauen|Homme|Desirable|Up to|bis|> OR =)? ?[0-9]{1,5}([.,][0-9]{1,3})? ?(-|–|to)? ?[0-9.,]{0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn rows_never_panic(name in text(), value in text(), unit in text(), range in text(), flag in text(), section in text()) {
        let raw = RawResult {
            name,
            value_text: value.clone(),
            unit_text: Some(unit),
            range_text: Some(range.clone()),
            flag_text: Some(flag),
            highlighted: false,
            section: Some(section),
            method: None,
            collection_date: None,
            source: Source { file: 0, page: 1, bbox: [0.0; 4] },
            confidence: 1.0,
        };
        let patient = PatientInfo { sex: Some(Sex::Female), age_at_collection: None };
        let r = standardize_row(&raw, &patient, Some("de"), &StandardizeOptions::default());
        prop_assert!(r.confidence >= 0.0 && r.confidence <= 1.0);
        prop_assert!(r.loinc_code.is_none() == r.loinc_name.is_none());
        let _ = parse_ranges(&range, false);
        let _ = parse_value(&value, true);
    }
}
