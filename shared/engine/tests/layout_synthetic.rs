//! Layout on synthetic word sets (no PDF library): the tricky table shapes.

mod common;

use common::{find, line, page};
use labrador_engine::layout::{analyze, dates};
use labrador_engine::{Page, RawResult, TextSource, Word};

fn rows(p: Page) -> Vec<RawResult> {
    analyze(&[p], 0).results
}

fn header(y: f32) -> Vec<Word> {
    line(
        y,
        &[
            (40.0, "Investigation"),
            (200.0, "Result"),
            (320.0, "Reference Value"),
            (460.0, "Unit"),
        ],
    )
}

#[test]
fn headed_table_with_flag_words_between_columns() {
    let r = rows(page(vec![
        header(100.0),
        line(
            120.0,
            &[
                (40.0, "Hemoglobin (Hb)"),
                (200.0, "12.5"),
                (300.0, "Low 13.0 - 17.0"),
                (460.0, "g/dL"),
            ],
        ),
        line(
            140.0,
            &[
                (40.0, "Packed Cell Volume"),
                (200.0, "57.5"),
                (300.0, "High 40 - 50"),
                (460.0, "%"),
            ],
        ),
        line(
            160.0,
            &[
                (40.0, "Urea"),
                (200.0, "16.00"),
                (250.0, "Normal"),
                (330.0, "13.00 - 43.00"),
                (460.0, "mg/dL"),
            ],
        ),
    ]));
    assert_eq!(r.len(), 3);
    let hb = find(&r, "Hemoglobin (Hb)");
    assert_eq!(
        (hb.value_text.as_str(), hb.flag_text.as_deref()),
        ("12.5", Some("Low"))
    );
    assert_eq!(hb.range_text.as_deref(), Some("13.0 - 17.0"));
    assert_eq!(hb.unit_text.as_deref(), Some("g/dL"));
    assert_eq!(
        find(&r, "Packed Cell Volume").flag_text.as_deref(),
        Some("High")
    );
    assert_eq!(find(&r, "Urea").flag_text.as_deref(), Some("Normal"));
}

#[test]
fn sections_and_method_notes_are_not_results() {
    let mut lines = vec![header(100.0), line(118.0, &[(40.0, "BLOOD INDICES")])];
    lines.push(line(
        134.0,
        &[
            (40.0, "MCV"),
            (200.0, "87.75"),
            (320.0, "83 - 101"),
            (460.0, "fL"),
        ],
    ));
    let mut note = line(146.0, &[(40.0, "Calculated")]);
    for w in &mut note {
        w.font_size = 6.0;
    }
    lines.push(note);
    lines.push(line(
        160.0,
        &[
            (40.0, "MCH"),
            (200.0, "27.2"),
            (320.0, "27 - 32"),
            (460.0, "pg"),
        ],
    ));
    let r = rows(page(lines));
    assert_eq!(r.len(), 2);
    let mcv = find(&r, "MCV");
    assert_eq!(mcv.method.as_deref(), Some("Calculated"));
    assert_eq!(mcv.section.as_deref(), Some("BLOOD INDICES"));
}

#[test]
fn stacked_differential_values_find_their_names() {
    let r = rows(page(vec![
        header(100.0),
        line(120.0, &[(40.0, "DIFFERENTIAL WBC COUNT")]),
        line(135.0, &[(40.0, "Neutrophils")]),
        line(150.0, &[(40.0, "Lymphocytes")]),
        line(165.0, &[(40.0, "Eosinophils")]),
        line(180.0, &[(200.0, "60")]),
        line(195.0, &[(200.0, "31")]),
        line(210.0, &[(200.0, "1")]),
        line(225.0, &[(330.0, "50 - 62")]),
        line(240.0, &[(330.0, "20 - 40")]),
        line(255.0, &[(330.0, "00 - 06")]),
        line(270.0, &[(460.0, "%")]),
        line(285.0, &[(460.0, "%")]),
        line(300.0, &[(460.0, "%")]),
    ]));
    let got: Vec<(&str, &str, Option<&str>, Option<&str>)> = r
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.value_text.as_str(),
                r.range_text.as_deref(),
                r.unit_text.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Neutrophils", "60", Some("50 - 62"), Some("%")),
            ("Lymphocytes", "31", Some("20 - 40"), Some("%")),
            ("Eosinophils", "1", Some("00 - 06"), Some("%")),
        ]
    );
    assert!(
        r.iter()
            .all(|r| r.section.as_deref() == Some("DIFFERENTIAL WBC COUNT"))
    );
}

#[test]
fn value_printed_below_its_name() {
    let r = rows(page(vec![
        header(100.0),
        line(
            120.0,
            &[
                (40.0, "Triglycerides"),
                (320.0, "< 150.00"),
                (460.0, "mg/dL"),
            ],
        ),
        line(135.0, &[(200.0, "100.00")]),
    ]));
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].value_text, "100.00");
    assert_eq!(r[0].range_text.as_deref(), Some("< 150.00"));
}

#[test]
fn headerless_rows_with_value_and_unit_in_one_cell() {
    let r = rows(page(vec![
        line(
            60.0,
            &[(40.0, "Patient: Demo"), (200.0, "Collected: 2026-06-01")],
        ),
        line(
            100.0,
            &[
                (40.0, "Hemoglobin"),
                (180.0, "9.1 g/dL"),
                (300.0, "13.0-17.0"),
            ],
        ),
        line(120.0, &[(40.0, "Neutrophils"), (180.0, "83%")]),
        line(
            140.0,
            &[
                (40.0, "Total Cholesterol"),
                (180.0, "235 mg/dL"),
                (300.0, "<200"),
            ],
        ),
        line(160.0, &[(40.0, "Page 1 of 2"), (300.0, "printed 2026")]),
    ]));
    assert_eq!(r.len(), 3, "{r:?}");
    let hb = find(&r, "Hemoglobin");
    assert_eq!(
        (
            hb.value_text.as_str(),
            hb.unit_text.as_deref(),
            hb.range_text.as_deref()
        ),
        ("9.1", Some("g/dL"), Some("13.0-17.0"))
    );
    let n = find(&r, "Neutrophils");
    assert_eq!(
        (n.value_text.as_str(), n.unit_text.as_deref()),
        ("83", Some("%"))
    );
    assert_eq!(
        find(&r, "Total Cholesterol").range_text.as_deref(),
        Some("<200")
    );
}

#[test]
fn bracketed_ranges_decimal_commas_and_other_languages() {
    let r = rows(page(vec![
        line(
            100.0,
            &[
                (40.0, "Paramètre"),
                (220.0, "Résultat"),
                (320.0, "Unité"),
                (420.0, "Valeurs de référence"),
            ],
        ),
        line(120.0, &[(40.0, "Biochimie")]),
        line(
            140.0,
            &[
                (40.0, "Glycémie à jeun"),
                (220.0, "1,02"),
                (320.0, "g/L"),
                (420.0, "[0,74 - 1,06]"),
            ],
        ),
        line(
            160.0,
            &[
                (40.0, "Leucocytes"),
                (220.0, "6,4"),
                (320.0, "10^9/L"),
                (420.0, "(4,0 - 10,0)"),
            ],
        ),
    ]));
    assert_eq!(r.len(), 2);
    let g = find(&r, "Glycémie à jeun");
    assert_eq!(
        (g.value_text.as_str(), g.range_text.as_deref()),
        ("1,02", Some("[0,74 - 1,06]"))
    );
    assert_eq!(
        find(&r, "Leucocytes").range_text.as_deref(),
        Some("(4,0 - 10,0)")
    );
}

#[test]
fn german_and_spanish_headers() {
    for (h, name) in [
        (
            ["Untersuchung", "Ergebnis", "Einheit", "Referenzbereich"],
            "Kreatinin",
        ),
        (
            ["Prueba", "Resultado", "Unidades", "Valores de referencia"],
            "Creatinina",
        ),
    ] {
        let r = rows(page(vec![
            line(
                100.0,
                &[(40.0, h[0]), (220.0, h[1]), (320.0, h[2]), (420.0, h[3])],
            ),
            line(
                120.0,
                &[
                    (40.0, name),
                    (220.0, "0,9"),
                    (320.0, "mg/dl"),
                    (420.0, "0,5 - 1,2"),
                ],
            ),
        ]));
        assert_eq!(r.len(), 1, "{h:?}");
        assert_eq!(r[0].name, name);
        assert_eq!(r[0].unit_text.as_deref(), Some("mg/dl"));
    }
}

#[test]
fn summit_style_range_with_unit_and_out_of_range_column() {
    let r = rows(page(vec![
        line(
            100.0,
            &[
                (40.0, "Test Name"),
                (250.0, "In Range"),
                (330.0, "Out Of Range"),
                (420.0, "Reference Range"),
                (540.0, "Lab"),
            ],
        ),
        line(
            120.0,
            &[
                (40.0, "GLUCOSE"),
                (330.0, "112 H"),
                (420.0, "65-99 mg/dL"),
                (540.0, "EV"),
            ],
        ),
        line(
            135.0,
            &[
                (40.0, "EGFR"),
                (250.0, "83"),
                (420.0, "> OR = 60 mL/min/1.73m2"),
                (540.0, "EV"),
            ],
        ),
        line(
            150.0,
            &[
                (40.0, "CHOL/HDLC RATIO"),
                (250.0, "4.8"),
                (420.0, "<5.0 (calc)"),
                (540.0, "EV"),
            ],
        ),
    ]));
    assert_eq!(r.len(), 3);
    let g = find(&r, "GLUCOSE");
    assert_eq!(
        (
            g.value_text.as_str(),
            g.flag_text.as_deref(),
            g.range_text.as_deref(),
            g.unit_text.as_deref()
        ),
        ("112", Some("H"), Some("65-99"), Some("mg/dL"))
    );
    let e = find(&r, "EGFR");
    assert_eq!(
        (e.range_text.as_deref(), e.unit_text.as_deref()),
        (Some("> OR = 60"), Some("mL/min/1.73m2"))
    );
    assert_eq!(find(&r, "CHOL/HDLC RATIO").unit_text, None);
}

#[test]
fn interpretive_tables_and_patient_blocks_are_not_results() {
    let r = rows(page(vec![
        line(60.0, &[(40.0, "Age : 21 Years"), (300.0, "Sex : Male")]),
        header(100.0),
        line(
            120.0,
            &[
                (40.0, "Cholesterol Total"),
                (200.0, "250.00"),
                (320.0, "< 200.00"),
                (460.0, "mg/dL"),
            ],
        ),
        line(
            200.0,
            &[(40.0, "Optimal"), (200.0, "< 40"), (320.0, "< 100")],
        ),
        line(
            215.0,
            &[
                (40.0, "Borderline High"),
                (200.0, "200 - 239"),
                (320.0, "130 - 159"),
            ],
        ),
        line(230.0, &[(40.0, "Primary Sample Type :"), (200.0, "Blood")]),
    ]));
    assert_eq!(
        r.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["Cholesterol Total"]
    );
}

#[test]
fn ocr_phrases_are_split_into_words() {
    let mut p = page(vec![]);
    p.source = TextSource::Ocr;
    let phrase = |x: f32, y: f32, text: &str| Word {
        text: text.into(),
        bbox: [x, y, x + 6.0 * text.chars().count() as f32, y + 12.0],
        font_size: 12.0,
        bold: false,
        confidence: 0.93,
    };
    p.words = vec![
        phrase(40.0, 100.0, "Test Name"),
        phrase(220.0, 100.0, "Result"),
        phrase(320.0, 100.0, "Unit"),
        phrase(420.0, 100.0, "Reference Range"),
        phrase(40.0, 121.0, "Hemoglobin"),
        phrase(220.0, 122.0, "10.2"),
        phrase(320.0, 121.0, "g/dL"),
        phrase(420.0, 120.0, "12.0 - 17.5"),
    ];
    let f = analyze(&[p], 0);
    assert_eq!(f.results.len(), 1);
    assert_eq!(f.results[0].range_text.as_deref(), Some("12.0 - 17.5"));
    assert!(f.results[0].confidence <= 1.0);
}

#[test]
fn cumulative_date_columns_give_one_result_per_date() {
    let r = rows(page(vec![
        line(
            100.0,
            &[
                (40.0, "Test"),
                (200.0, "15/01/2024"),
                (280.0, "20/03/2024"),
                (380.0, "Units"),
                (460.0, "Reference"),
            ],
        ),
        line(
            120.0,
            &[
                (40.0, "Hemoglobin"),
                (200.0, "12.1"),
                (280.0, "13.4"),
                (380.0, "g/dL"),
                (460.0, "12.0 - 15.5"),
            ],
        ),
    ]));
    assert_eq!(r.len(), 2, "{r:?}");
    assert_eq!(r[0].collection_date.as_deref(), Some("2024-01-15"));
    assert_eq!(r[0].value_text, "12.1");
    assert_eq!(r[1].collection_date.as_deref(), Some("2024-03-20"));
    assert_eq!(r[1].value_text, "13.4");
}

#[test]
fn dates_in_common_formats() {
    let cases = [
        ("15/01/2024", "2024-01-15"),
        ("2024-01-15", "2024-01-15"),
        ("15-Jan-2024", "2024-01-15"),
        ("Jan 15, 2024", "2024-01-15"),
        ("15.01.2024", "2024-01-15"),
        ("15 janvier 2024", "2024-01-15"),
        ("15. März 2024", "2024-03-15"),
        ("2025/07/25", "2025-07-25"),
    ];
    for (text, iso) in cases {
        assert_eq!(
            dates::parse_date(text, None).as_deref(),
            Some(iso),
            "{text}"
        );
    }
    assert_eq!(dates::parse_date("02 Dec, 2X", None), None);
    assert_eq!(
        dates::parse_date("01/08/2025", Some(dates::NumericOrder::MonthFirst)).as_deref(),
        Some("2025-01-08")
    );
}

#[test]
fn labelled_dates_in_several_languages() {
    let p = page(vec![
        line(
            40.0,
            &[
                (40.0, "Né le : 12/06/1988"),
                (250.0, "Prélevé le : 08/04/2026 07:42"),
            ],
        ),
        line(60.0, &[(40.0, "Befunddatum: 10.04.2026")]),
    ]);
    let f = analyze(&[p], 0);
    assert_eq!(f.dates.collected.as_deref(), Some("2026-04-08"));
    assert_eq!(f.dates.collected_time.as_deref(), Some("07:42"));
    assert_eq!(f.dates.reported.as_deref(), Some("2026-04-10"));
}
