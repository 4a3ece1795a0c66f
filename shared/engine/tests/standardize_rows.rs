//! Behaviour of single rows and whole reports: values, ranges, flags, conversions, documents,
//! panels, plausibility warnings.

use labrador_engine::standardize::ranges::{applicable, parse_ranges};
use labrador_engine::standardize::values::{Qualitative, parse_value};
use labrador_engine::standardize::{StandardizeOptions, UnitsMode, standardize, standardize_row};
use labrador_engine::{
    Extraction, FileExtraction, Interpretation, MatchStatus, PatientInfo, RawResult, ReportDates,
    Sex, Source, StandardizedResult, ValueBound,
};

fn raw(name: &str, value: &str, unit: &str, range: &str, flag: &str) -> RawResult {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    RawResult {
        name: name.into(),
        value_text: value.into(),
        unit_text: opt(unit),
        range_text: opt(range),
        flag_text: opt(flag),
        highlighted: false,
        section: None,
        method: None,
        collection_date: None,
        source: Source {
            file: 0,
            page: 1,
            bbox: [0.0; 4],
        },
        confidence: 1.0,
    }
}

fn row(r: &RawResult) -> StandardizedResult {
    standardize_row(
        r,
        &PatientInfo::default(),
        None,
        &StandardizeOptions::default(),
    )
}

#[test]
fn values() {
    let v = |t: &str, dc: bool| parse_value(t, dc);
    assert_eq!(v("12,5", true).value, Some(12.5));
    assert_eq!(v("5,100", false).value, Some(5100.0));
    assert_eq!(v("1.234,5", true).value, Some(1234.5));
    assert_eq!(v("1,234.5", false).value, Some(1234.5));
    assert_eq!(v("150 000", false).value, Some(150000.0));
    assert_eq!(v("07", false).value, Some(7.0));
    assert_eq!(v("<0.1", false).bound, Some(ValueBound::LessThan(0.1)));
    assert_eq!(v("< 0,1", true).bound, Some(ValueBound::LessThan(0.1)));
    assert_eq!(
        v("≤ 5", false).bound,
        Some(ValueBound::LessThanOrEqual(5.0))
    );
    assert_eq!(v(">90", false).bound, Some(ValueBound::GreaterThan(90.0)));
    assert_eq!(
        v("less than 0.5", false).bound,
        Some(ValueBound::LessThan(0.5))
    );
    assert_eq!(
        v(">= 60", false).bound,
        Some(ValueBound::GreaterThanOrEqual(60.0))
    );
    for neg in [
        "Negative",
        "NEGATIVE",
        "Nil",
        "Absent",
        "Non-reactive",
        "Non Reactive",
        "négatif",
        "negativ",
        "negativo",
        "Not detected",
    ] {
        assert_eq!(
            v(neg, false).qualitative,
            Some(Qualitative::Negative),
            "{neg}"
        );
        assert_eq!(v(neg, false).value, None);
    }
    for pos in [
        "Positive", "Reactive", "Detected", "+", "++", "positif", "positivo",
    ] {
        assert_eq!(
            v(pos, false).qualitative,
            Some(Qualitative::Positive),
            "{pos}"
        );
    }
    assert_eq!(v("Trace", false).qualitative, Some(Qualitative::Trace));
    assert_eq!(v("1:80", false).titre, Some(80.0));
    assert_eq!(v("abc", false), Default::default());
}

fn bounds(text: &str, dc: bool) -> (Option<f64>, Option<f64>) {
    let r = applicable(&parse_ranges(text, dc), &PatientInfo::default()).expect(text);
    (r.low, r.high)
}

#[test]
fn ranges() {
    assert_eq!(bounds("13.0 - 17.0", false), (Some(13.0), Some(17.0)));
    assert_eq!(bounds("13,0–17,0", true), (Some(13.0), Some(17.0)));
    assert_eq!(bounds("[13-17]", false), (Some(13.0), Some(17.0)));
    assert_eq!(bounds("(3.5 to 5.0)", false), (Some(3.5), Some(5.0)));
    assert_eq!(bounds("< 200", false), (None, Some(200.0)));
    assert_eq!(bounds("<5.0", false), (None, Some(5.0)));
    assert_eq!(bounds("> 40", false), (Some(40.0), None));
    assert_eq!(bounds("> OR = 60", false), (Some(60.0), None));
    assert_eq!(bounds("≥ 60", false), (Some(60.0), None));
    assert_eq!(bounds("Up to 5", false), (None, Some(5.0)));
    assert_eq!(bounds("bis 5,0", true), (None, Some(5.0)));
    assert_eq!(bounds("jusqu'à 5", true), (None, Some(5.0)));
    assert_eq!(
        bounds("4000 - 10.000 / cu.mm", false),
        (Some(4000.0), Some(10000.0))
    );
    assert_eq!(
        bounds("4.0 - 6.0 million / cu.mm", false),
        (Some(4.0), Some(6.0))
    );
    assert_eq!(bounds("0,74 - 1,06", true), (Some(0.74), Some(1.06)));
    assert!(parse_ranges("see note", false).is_empty());

    let female = PatientInfo {
        sex: Some(Sex::Female),
        age_at_collection: Some(40.0),
    };
    let male = PatientInfo {
        sex: Some(Sex::Male),
        age_at_collection: Some(40.0),
    };
    for (text, dc) in [
        ("M: 13-17 F: 12-15", false),
        ("Men 13-17 Women 12-15", false),
        ("Male : 13 - 17 g% / Female : 12 - 15 g%", false),
        ("Homme : 13,0-17,0 ; Femme : 12,0-15,0", true),
        ("Männer: 13-17\nFrauen: 12-15", true),
        ("Uomini 13-17 Donne 12-15", true),
        ("Hombres 13-17 Mujeres 12-15", true),
    ] {
        let all = parse_ranges(text, dc);
        assert_eq!(all.len(), 2, "{text}: {all:?}");
        let f = applicable(&all, &female).unwrap();
        assert_eq!((f.low, f.high), (Some(12.0), Some(15.0)), "{text}");
        assert_eq!(f.context.sex, Some(Sex::Female));
        let m = applicable(&all, &male).unwrap();
        assert_eq!((m.low, m.high), (Some(13.0), Some(17.0)), "{text}");
    }

    let cats = parse_ranges("Desirable < 200; Borderline 200-239; High ≥ 240", false);
    assert_eq!(cats.len(), 3, "{cats:?}");
    assert_eq!(cats[0].category.as_deref(), Some("Desirable"));
    assert_eq!((cats[1].low, cats[1].high), (Some(200.0), Some(239.0)));
    assert_eq!((cats[2].low, cats[2].high), (Some(240.0), None));
    let a = applicable(&cats, &PatientInfo::default()).unwrap();
    assert_eq!((a.low, a.high), (None, Some(200.0)));
    let cats = parse_ranges(
        "Optimal: <100 Near optimal: 100-129 Borderline high: 130-159 High: 160-189 Very high: >=190",
        false,
    );
    assert_eq!(cats.len(), 5, "{cats:?}");
}

#[test]
fn flags_and_interpretation() {
    let r = row(&raw("Hemoglobin", "12.5", "g/dL", "13.0 - 17.0", "L"));
    assert_eq!(r.flag.as_deref(), Some("L"));
    assert_eq!(r.interpretation, Some(Interpretation::Low));
    assert_eq!(r.within_normal_range, Some(false));
    // computed when nothing is printed; flag stays null
    let r = row(&raw("Hemoglobin", "18.5", "g/dL", "13.0 - 17.0", ""));
    assert_eq!(r.flag, None);
    assert_eq!(r.interpretation, Some(Interpretation::High));
    // the printed flag wins over the computed interpretation; both are kept
    let r = row(&raw("Hemoglobin", "14", "g/dL", "13.0 - 17.0", "H"));
    assert_eq!(r.interpretation, Some(Interpretation::High));
    assert_eq!(r.within_normal_range, Some(true));
    let r = row(&raw("Potassium", "7.1", "mmol/L", "3.5-5.0", "HH"));
    assert_eq!(r.interpretation, Some(Interpretation::CriticalHigh));
    let r = row(&raw("Glucose", "40", "mg/dL", "70-99", "↓"));
    assert_eq!(r.interpretation, Some(Interpretation::Low));
    let r = row(&raw("CRP", "<0.5", "mg/L", "< 5", ""));
    assert_eq!(r.value, None);
    assert_eq!(r.value_bound, Some(ValueBound::LessThan(0.5)));
    assert_eq!(r.interpretation, Some(Interpretation::Normal));
    let r = row(&raw("HBsAg", "Reactive", "", "", ""));
    assert_eq!(r.biomarker, "hbsag");
    assert_eq!(r.interpretation, Some(Interpretation::Abnormal));
    assert_eq!(r.value_text, "Reactive");
}

#[test]
fn conversions_and_units_mode() {
    let r = row(&raw("Total WBC count", "9000", "cumm", "4000-11000", ""));
    assert_eq!(r.original_unit.as_deref(), Some("cumm"));
    assert_eq!(r.unit_code.as_deref(), Some("/mm3"));
    let c = r.canonical.as_ref().unwrap();
    assert_eq!(c.unit_code, "10*3/uL");
    assert!((c.value.unwrap() - 9.0).abs() < 1e-9);
    let cr = c.reference_range.as_ref().unwrap();
    assert!((cr.low.unwrap() - 4.0).abs() < 1e-9 && (cr.high.unwrap() - 11.0).abs() < 1e-9);

    let r = row(&raw("Platelet Count", "2.5", "lakhs/cumm", "1.5 - 4.1", ""));
    assert!((r.canonical.as_ref().unwrap().value.unwrap() - 250.0).abs() < 1e-9);
    let r = row(&raw("WBC", "9.0", "10^3/µL", "", ""));
    assert!((r.canonical.as_ref().unwrap().value.unwrap() - 9.0).abs() < 1e-9);

    let r = row(&raw("Glucose", "5.3", "mmol/L", "3.9-5.5", ""));
    assert_eq!(r.loinc_code.as_deref(), Some("14749-6"));
    let c = r.canonical.unwrap();
    assert_eq!(c.unit_code, "mg/dL");
    assert!((c.value.unwrap() - 95.48).abs() < 0.01);

    let r = row(&raw("Sodium", "140", "mEq/L", "", ""));
    assert!((r.canonical.unwrap().value.unwrap() - 140.0).abs() < 1e-9);
    let r = row(&raw("Calcium", "5", "mEq/L", "", ""));
    assert!(
        (r.canonical.unwrap().value.unwrap() - 10.02).abs() < 0.01,
        "2.5 mmol/L = 10.02 mg/dL"
    );

    let ext = one_file(
        vec![raw("Glycémie", "1,02", "g/L", "0,74 - 1,06", "")],
        Some("fr"),
    );
    let rep = standardize(
        &ext,
        &StandardizeOptions {
            units: UnitsMode::Canonical,
        },
    );
    let r = &rep.documents[0].sections[0].results[0];
    assert_eq!(rep.report_locale.as_deref(), Some("fr-FR"));
    assert_eq!(r.original_unit.as_deref(), Some("g/L"));
    assert_eq!(r.unit_code.as_deref(), Some("mg/dL"));
    assert!((r.value.unwrap() - 102.0).abs() < 1e-9);
    assert!((r.reference_range.as_ref().unwrap().high.unwrap() - 106.0).abs() < 1e-9);
    assert!(r.canonical.is_none());
}

#[test]
fn unknown_names_are_kept_and_not_guessed() {
    for name in [
        "Zzyzx factor",
        "Sample type",
        "Remarks",
        "Comment",
        "Hemoglobin electrophoresis pattern",
    ] {
        let r = row(&raw(name, "12", "", "", ""));
        assert_eq!(r.biomarker, "unknown", "{name} -> {}", r.biomarker);
        assert_eq!(r.loinc_code, None);
        assert_eq!(r.original_name, name);
    }
    // one letter apart is another analyte: never a fuzzy match
    let r = row(&raw("Vitamin A", "40", "ug/dL", "", ""));
    assert_ne!(r.biomarker, "vitamin_d_25oh");
    let r = row(&raw("Free T5", "4", "pg/mL", "", ""));
    assert_eq!(r.biomarker, "unknown");
    // "Blood" is a urine dipstick test only in a urine section
    assert_eq!(
        row(&raw("Blood", "Negative", "", "", "")).biomarker,
        "unknown"
    );
    let mut b = raw("Blood", "Negative", "", "", "");
    b.section = Some("URINE EXAMINATION".into());
    assert_eq!(row(&b).biomarker, "urine_blood");
    // a typo close to a known name is matched fuzzily, with lower confidence
    let r = row(&raw("Haemoglobine", "13", "g/dL", "", ""));
    assert_eq!(r.biomarker, "hemoglobin");
    let r = row(&raw("Trigylcerides", "140", "mg/dL", "", ""));
    assert_eq!(r.biomarker, "triglycerides");
    assert!(r.confidence < 1.0);
}

fn one_file(results: Vec<RawResult>, lang: Option<&str>) -> Extraction {
    Extraction {
        engine_version: "t".into(),
        files: vec![FileExtraction {
            file: 0,
            pages: 1,
            results,
            dates: ReportDates {
                collected: Some("2025-03-01".into()),
                reported: Some("2025-03-02".into()),
                ..Default::default()
            },
            language: lang.map(str::to_string),
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[test]
fn documents_sections_and_panels() {
    let mut rows = vec![
        raw("Hemoglobin", "14", "g/dL", "13-17", ""),
        raw("Total Cholesterol", "190", "mg/dL", "<200", ""),
        raw("Hemoglobin", "13", "g/dL", "13-17", ""),
    ];
    rows[0].section = Some("COMPLETE BLOOD COUNT (CBC)".into());
    rows[1].section = Some("LIPID PROFILE".into());
    rows[2].section = Some("COMPLETE BLOOD COUNT (CBC)".into());
    rows[2].collection_date = Some("2025-01-08".into());
    let rep = standardize(&one_file(rows, Some("en")), &StandardizeOptions::default());
    assert_eq!(rep.documents.len(), 2);
    let d0 = &rep.documents[0];
    assert_eq!(d0.collection_date.as_deref(), Some("2025-03-01"));
    assert_eq!(d0.result_date.as_deref(), Some("2025-03-02"));
    assert_eq!(d0.sections.len(), 2);
    assert_eq!(d0.sections[0].loinc_code.as_deref(), Some("58410-2"));
    assert_eq!(
        d0.sections[0].name.as_deref(),
        Some("COMPLETE BLOOD COUNT (CBC)")
    );
    assert_eq!(d0.sections[1].loinc_code.as_deref(), Some("24331-1"));
    assert!(d0.sections[1].loinc_name.is_some());
    assert_eq!(
        rep.documents[1].collection_date.as_deref(),
        Some("2025-01-08")
    );
    assert_eq!(rep.documents[1].sections[0].results.len(), 1);
}

#[test]
fn plausibility_warnings() {
    let rep = standardize(
        &one_file(
            vec![
                raw("Total Cholesterol", "150", "mg/dL", "", ""),
                raw("HDL Cholesterol", "180", "mg/dL", "", ""),
                raw("Hemoglobin", "135", "g/dL", "", ""),
                raw("Hematocrit", "420", "%", "", ""),
                raw("Neutrophils", "60", "%", "", ""),
                raw("Lymphocytes", "60", "%", "", ""),
                raw("Monocytes", "8", "%", "", ""),
                raw("Eosinophils", "3", "%", "", ""),
            ],
            None,
        ),
        &StandardizeOptions::default(),
    );
    let res = &rep.documents[0].sections[0].results;
    let warned = |i: usize, w: &str| res[i].warnings.iter().any(|x| x.starts_with(w));
    assert!(
        warned(1, "component_exceeds_total"),
        "{:?}",
        res[1].warnings
    );
    assert!(res[1].confidence < 1.0);
    assert!(warned(2, "implausible_value"));
    assert!(res[2].confidence < 1.0);
    assert!(warned(3, "percent_out_of_bounds"));
    assert!(
        rep.warnings
            .iter()
            .any(|w| w.starts_with("differential_sum")),
        "{:?}",
        rep.warnings
    );
    assert!(res[0].warnings.is_empty());
}

#[test]
fn age_specific_ranges() {
    let all = parse_ranges(
        "Children 1-10 years: 3.0-5.5; Adults 18-60 years: 4.0-6.0; > 60 years: 4.5-7.0",
        false,
    );
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(
        (all[0].context.age_low, all[0].context.age_high),
        (Some(1.0), Some(10.0))
    );
    assert_eq!(
        (all[2].context.age_low, all[2].context.age_high),
        (Some(60.0), None)
    );
    let at = |age: f32| {
        let r = applicable(
            &all,
            &PatientInfo {
                sex: None,
                age_at_collection: Some(age),
            },
        )
        .unwrap();
        (r.low, r.high)
    };
    assert_eq!(at(5.0), (Some(3.0), Some(5.5)));
    assert_eq!(at(40.0), (Some(4.0), Some(6.0)));
    assert_eq!(at(70.0), (Some(4.5), Some(7.0)));
    // unknown age: the adult range
    assert_eq!(
        bounds(
            "Children 1-10 years: 3.0-5.5; Adults 18-60 years: 4.0-6.0",
            false
        ),
        (Some(4.0), Some(6.0))
    );
    let m = parse_ranges("Männer 18-50 Jahre: 13-17", true);
    assert_eq!(m[0].context.sex, Some(Sex::Male));
    assert_eq!((m[0].low, m[0].high), (Some(13.0), Some(17.0)));
}

#[test]
fn method_note_and_panel_from_results() {
    let mut r = raw("LDL Cholesterol", "120", "mg/dL", "", "");
    r.method = Some("Direct".into());
    assert_eq!(row(&r).biomarker, "ldl_cholesterol_direct");
    r.method = Some("Calculated".into());
    assert_eq!(row(&r).biomarker, "ldl_cholesterol");
    r.method = Some("Enzymatic colorimetric assay on an automated analyser, 37 °C".into());
    assert_eq!(row(&r).biomarker, "ldl_cholesterol");

    let rows = vec![
        raw("Hb", "14", "g/dL", "", ""),
        raw("WBC", "7", "10^3/uL", "", ""),
        raw("RBC", "4.8", "10^6/uL", "", ""),
        raw("Platelets", "250", "10^3/uL", "", ""),
        raw("MCV", "88", "fL", "", ""),
    ];
    let rep = standardize(&one_file(rows, None), &StandardizeOptions::default());
    assert_eq!(rep.documents[0].sections[0].name, None);
    assert_eq!(
        rep.documents[0].sections[0].loinc_code.as_deref(),
        Some("58410-2")
    );
    let rep = standardize(
        &one_file(vec![raw("Hb", "14", "g/dL", "", "")], None),
        &StandardizeOptions::default(),
    );
    assert_eq!(rep.documents[0].sections[0].loinc_code, None);
}

#[test]
fn printed_flags_are_normalized_and_kept_as_printed() {
    let cases = [
        ("Alto", "H"),
        ("Bajo", "L"),
        ("erhöht", "H"),
        ("erniedrigt", "L"),
        ("élevé", "H"),
        ("basso", "L"),
        ("↑", "H"),
        ("↓", "L"),
        ("+", "H"),
        ("-", "L"),
        ("High", "H"),
        ("HH", "HH"),
        ("A", "A"),
    ];
    for (printed, code) in cases {
        let r = row(&raw("Glucose", "150", "mg/dL", "70 - 99", printed));
        assert_eq!(r.flag.as_deref(), Some(code), "{printed}");
        let kept = (printed != code).then(|| printed.to_string());
        assert_eq!(r.flag_text, kept, "{printed}");
    }
    let r = row(&raw("Glucose", "150", "mg/dL", "70 - 99", "*"));
    assert_eq!(r.flag.as_deref(), Some("*"));
    assert_eq!(r.flag_text, None);
    let r = row(&raw("Glucose", "150", "mg/dL", "70 - 99", ""));
    assert_eq!(r.flag, None);
}

#[test]
fn ocr_slips_in_units_are_repaired() {
    let r = row(&raw("Eosinophils", "0.2", "x10~9/L", "", ""));
    assert_eq!(r.original_unit.as_deref(), Some("x10^9/L"));
    let r = row(&raw("MCV", "82", "f", "80 - 99", ""));
    assert_eq!(r.original_unit.as_deref(), Some("fl"));
    let r = row(&raw("CRP", "7", "mg/", "< 5", ""));
    assert_eq!(r.original_unit.as_deref(), Some("mg/L"));
}

#[test]
fn dots_group_thousands_only_where_the_report_writes_decimal_commas() {
    let values = |results: Vec<RawResult>, lang: Option<&str>| -> Vec<Option<f64>> {
        standardize(&one_file(results, lang), &StandardizeOptions::default()).documents[0]
            .sections
            .iter()
            .flat_map(|s| s.results.iter().map(|r| r.value))
            .collect()
    };
    let german = vec![
        raw("Leukozyten", "5,2", "Tsd/µl", "", ""),
        raw("Hämoglobin", "14,5", "g/dl", "", ""),
        raw("Thrombozyten", "245.000", "/µl", "", ""),
    ];
    assert_eq!(values(german, Some("de"))[2], Some(245000.0));
    // a German report printing decimal dots: the dot stays a decimal point
    let dotted = vec![
        raw("Leukozyten", "5.2", "Tsd/µl", "", ""),
        raw("Hämoglobin", "14,5", "g/dl", "", ""),
        raw("Kreatinin", "0,94", "mg/dl", "", ""),
        raw("Spez. Gewicht", "1.015", "", "", ""),
    ];
    assert_eq!(values(dotted, Some("de"))[3], Some(1.015));
    let english = vec![
        raw("Hemoglobin", "14,5", "g/dL", "", ""),
        raw("WBC", "5,2", "K/uL", "", ""),
        raw("Specific gravity", "1.015", "", "", ""),
    ];
    assert_eq!(values(english, Some("en"))[2], Some(1.015));
}

#[test]
fn slash_synonyms_and_qualifier_words_find_their_test() {
    assert_eq!(row(&raw("GOT/AST", "34", "U/L", "", "")).biomarker, "ast");
    assert_eq!(row(&raw("GPT/ALT", "27", "U/L", "", "")).biomarker, "alt");
    // a ratio of two tests is neither of them
    assert_ne!(
        row(&raw("BUN/Creatinine", "18", "", "9 - 23", "")).biomarker,
        "bun"
    );
    assert_eq!(
        row(&raw("ESR - 1st Hour", "12", "mm/hr", "", "")).biomarker,
        "esr"
    );
    assert_eq!(
        row(&raw("VLDL Cholesterol Cal", "30", "mg/dL", "", "")).biomarker,
        "vldl_cholesterol"
    );
}

#[test]
fn enzyme_units_missing_their_slash_are_repaired() {
    let r = row(&raw("GGT", "30", "UL", "10 - 71", ""));
    assert_eq!(r.original_unit.as_deref(), Some("U/L"));
    let r = row(&raw("ALP", "80", "IUL", "", ""));
    assert_eq!(r.original_unit.as_deref(), Some("IU/L"));
    // micro-litres stay as printed
    let r = row(&raw("WBC", "5.2", "x10^3/uL", "", ""));
    assert_eq!(r.original_unit.as_deref(), Some("x10^3/uL"));
}

#[test]
fn the_unit_decides_the_property_code() {
    let code =
        |name: &str, value: &str, unit: &str| row(&raw(name, value, unit, "", "")).loinc_code;
    assert_eq!(
        code("Creatinine", "1.0", "mg/dL").as_deref(),
        Some("2160-0")
    );
    assert_eq!(
        code("Creatinine", "88", "µmol/L").as_deref(),
        Some("14682-9")
    );
    assert_eq!(
        code("Kreatinin", "88", "umol/l").as_deref(),
        Some("14682-9")
    );
    assert_eq!(code("Urea", "5.0", "mmol/L").as_deref(), Some("22664-7"));
    assert_eq!(
        code("Bilirubin total", "12", "µmol/L").as_deref(),
        Some("14631-6")
    );
    assert_eq!(code("Insulin", "60", "pmol/L").as_deref(), Some("14796-7"));
    assert_eq!(code("Insulin", "10", "µIU/mL").as_deref(), Some("20448-7"));
    assert_eq!(
        code("Hemoglobine", "8.7", "mmol/L").as_deref(),
        Some("59260-0")
    );
    assert_eq!(code("Hemoglobin", "14", "g/dL").as_deref(), Some("718-7"));
    // a unit that expresses none of the analyte's properties keeps the default code, for review
    let r = row(&raw("Creatinine", "1.0", "mmHg", "", ""));
    assert_ne!(r.match_status, MatchStatus::Auto);
}

#[test]
fn counts_and_fractions_of_the_differential_by_unit_or_name() {
    let r = row(&raw("Neutrophils", "4.2", "10^3/µL", "", ""));
    assert_eq!(r.loinc_code.as_deref(), Some("751-8"));
    let r = row(&raw("Neutrophils", "58", "%", "", ""));
    assert_eq!(r.loinc_code.as_deref(), Some("770-8"));
    // without a unit, the name's qualifier says which
    let r = row(&raw("MONOCITI #", "0.5", "", "", ""));
    assert_eq!(r.loinc_code.as_deref(), Some("742-7"));
    let r = row(&raw("Monocytes %", "7", "", "", ""));
    assert_eq!(r.loinc_code.as_deref(), Some("5905-5"));
    let r = row(&raw("Abs. Eosinophils", "0.2", "", "", ""));
    assert_eq!(r.loinc_code.as_deref(), Some("711-2"));
}

#[test]
fn qualitative_results_get_the_ordinal_code() {
    let r = row(&raw("Glucose, urine", "Negative", "", "", ""));
    assert_eq!(r.loinc_code.as_deref(), Some("2349-9"));
    let r = row(&raw("Glucose, urine", "5.5", "mmol/L", "", ""));
    assert_eq!(r.loinc_code.as_deref(), Some("22705-8"));
}

#[test]
fn match_status_and_candidates() {
    let r = row(&raw("Creatinine", "88", "µmol/L", "62-106", ""));
    assert_eq!(r.match_status, MatchStatus::Auto);
    assert_eq!(r.loinc_candidates[0].code, "14682-9");
    assert!(r.loinc_candidates[0].score > 0.8);
    assert!(
        r.loinc_candidates
            .windows(2)
            .all(|w| w[0].score >= w[1].score)
    );

    // a similar name is a guess: kept for a human, never auto
    let r = row(&raw("Creatinnine", "88", "µmol/L", "", ""));
    assert_eq!(r.biomarker, "creatinine");
    assert_eq!(r.match_status, MatchStatus::NeedsReview);

    // an implausible value for the unit is not auto either
    let r = row(&raw("Creatinine", "88000", "µmol/L", "", ""));
    assert_eq!(r.match_status, MatchStatus::NeedsReview);

    let r = row(&raw("Zzyzx factor", "3", "U/L", "", ""));
    assert_eq!(r.match_status, MatchStatus::Unmatched);
    assert_eq!(r.loinc_code, None);

    let ext = one_file(
        vec![
            raw("Creatinine", "88", "µmol/L", "", ""),
            raw("Creatinnine", "88", "µmol/L", "", ""),
            raw("Zzyzx factor", "3", "U/L", "", ""),
        ],
        None,
    );
    let rep = standardize(&ext, &StandardizeOptions::default());
    let c = rep.match_counts;
    assert_eq!((c.auto, c.needs_review, c.unmatched), (1, 1, 1));
}

#[test]
fn units_object_describes_the_ucum_code() {
    let r = row(&raw("Creatinine", "88", "µmol/L", "", ""));
    let u = r.units.unwrap();
    assert_eq!(u.name, "micromoles_per_liter");
    assert_eq!(u.numerator.as_deref(), Some("umol"));
    assert_eq!(u.denominator.as_deref(), Some("L"));
    assert_eq!(u.exponent, None);
    let r = row(&raw("WBC", "9.0", "10^3/µL", "", ""));
    let u = r.units.unwrap();
    assert_eq!(u.exponent, Some(3));
    assert_eq!(u.numerator, None);
    assert_eq!(u.denominator.as_deref(), Some("uL"));
    assert_eq!(u.name, "ten_to_the_3_per_microliter");
}

#[test]
fn conversions_by_molar_mass_or_iu_definition_or_refused() {
    let canonical = |name: &str, value: &str, unit: &str| {
        let r = row(&raw(name, value, unit, "", ""));
        r.canonical.map(|c| (c.value.unwrap(), c.unit_code))
    };
    // insulin 60 pmol/L = 10 µIU/mL (1 µIU/mL = 6.00 pmol/L)
    let (v, u) = canonical("Insulin", "60", "pmol/L").unwrap();
    assert!((v - 10.0).abs() < 1e-9 && u == "u[IU]/mL", "{v} {u}");
    // haemoglobin 8.7 mmol/L (monomer, Hb(Fe)) = 14.02 g/dL
    let (v, u) = canonical("Hemoglobine", "8.7", "mmol/L").unwrap();
    assert!((v - 14.02).abs() < 0.01 && u == "g/dL", "{v} {u}");
    // PTH 5.0 pmol/L = 47.1 pg/mL
    let (v, _) = canonical("PTH", "5.0", "pmol/L").unwrap();
    assert!((v - 47.12).abs() < 0.01, "{v}");
    // C-peptide 0.5 nmol/L = 1.51 ng/mL
    let (v, _) = canonical("C-peptide", "0.5", "nmol/L").unwrap();
    assert!((v - 1.510).abs() < 0.001, "{v}");
    // no molar mass in the catalogue: refused, the value stays as printed
    let r = row(&raw("Ferritin", "100", "pmol/L", "", ""));
    assert!(r.canonical.is_none());
    assert_eq!(r.value, Some(100.0));
}
