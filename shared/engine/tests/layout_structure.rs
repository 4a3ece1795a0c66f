//! Layout by structure, on synthetic word sets: rows read whatever the column order, with or
//! without a header, with values printed below their names, codes before names and many
//! date columns.

mod common;

use common::{find, line, page};
use labrador_engine::layout::analyze;
use labrador_engine::{Page, RawResult, Word};

fn rows(p: Page) -> Vec<RawResult> {
    analyze(&[p], 0).results
}

/// Each column order of value (v), unit (u) and range (r), laid out at fixed x per slot.
fn table(order: &str, header: Option<[&str; 4]>) -> Vec<Vec<Word>> {
    let data = [
        ("Sodium", "141", "mmol/L", "135 - 145"),
        ("Potassium", "5.9", "mmol/L", "3.5 - 5.1"),
        ("Creatinine", "88", "umol/L", "62 - 106"),
        ("Glucose", "5.4", "mmol/L", "3.9 - 6.1"),
    ];
    let xs = [40.0, 200.0, 300.0, 420.0];
    let mut out = Vec::new();
    if let Some(titles) = header {
        let mut cells = vec![(xs[0], titles[0])];
        for (slot, c) in order.chars().enumerate() {
            let t = match c {
                'v' => titles[1],
                'u' => titles[2],
                _ => titles[3],
            };
            cells.push((xs[slot + 1], t));
        }
        out.push(line(80.0, &cells));
    }
    for (i, (n, v, u, r)) in data.iter().enumerate() {
        let mut cells = vec![(xs[0], *n)];
        for (slot, c) in order.chars().enumerate() {
            let t = match c {
                'v' => *v,
                'u' => *u,
                _ => *r,
            };
            cells.push((xs[slot + 1], t));
        }
        out.push(line(100.0 + 18.0 * i as f32, &cells));
    }
    out
}

fn check_table(r: &[RawResult], label: &str) {
    assert_eq!(r.len(), 4, "{label}: {r:#?}");
    let k = find(r, "Potassium");
    assert_eq!(k.value_text, "5.9", "{label}");
    assert_eq!(k.unit_text.as_deref(), Some("mmol/L"), "{label}");
    assert_eq!(k.range_text.as_deref(), Some("3.5 - 5.1"), "{label}");
}

#[test]
fn headerless_rows_in_every_column_order() {
    for order in ["vur", "vru", "uvr", "rvu", "ruv", "urv"] {
        check_table(&rows(page(table(order, None))), order);
    }
}

#[test]
fn headed_rows_in_every_column_order_and_language() {
    let headers = [
        ["Test", "Result", "Unit", "Reference range"],
        ["Bepaling", "Uitslag", "Eenheid", "Referentiewaarden"],
        ["Exame", "Resultado", "Unidade", "Valores de referência"],
        ["Untersuchung", "Ergebnis", "Einheit", "Referenzbereich"],
        ["Analyse", "Résultat", "Unité", "Valeurs usuelles"],
    ];
    for h in headers {
        for order in ["vur", "vru", "uvr", "rvu", "ruv", "urv"] {
            check_table(
                &rows(page(table(order, Some(h)))),
                &format!("{h:?} {order}"),
            );
        }
    }
}

#[test]
fn single_spaced_rows_without_header() {
    // "name value unit low - high", one space between everything, section headings.
    let r = rows(page(vec![
        line(80.0, &[(40.0, "BIOQUIMICA")]),
        line(100.0, &[(40.0, "Glucosa 92 mg/dL 70 - 110")]),
        line(118.0, &[(40.0, "Colesterol total 231 mg/dL 120 - 200")]),
        line(136.0, &[(40.0, "Vitamina B12 310 pg/mL 200 - 900")]),
        line(
            154.0,
            &[(40.0, "Los valores fuera de rango 3 veces deben repetirse.")],
        ),
    ]));
    assert_eq!(r.len(), 3, "{r:#?}");
    let c = find(&r, "Colesterol total");
    assert_eq!(c.value_text, "231");
    assert_eq!(c.unit_text.as_deref(), Some("mg/dL"));
    assert_eq!(c.range_text.as_deref(), Some("120 - 200"));
    assert_eq!(c.section.as_deref(), Some("BIOQUIMICA"));
    assert_eq!(find(&r, "Vitamina B12").value_text, "310");
}

#[test]
fn values_printed_below_their_names() {
    for with_header in [false, true] {
        let mut lines = Vec::new();
        if with_header {
            lines.push(line(
                60.0,
                &[
                    (40.0, "Test"),
                    (200.0, "Result"),
                    (300.0, "Unit"),
                    (400.0, "Range"),
                ],
            ));
        }
        lines.push(line(80.0, &[(40.0, "LIPIDS")]));
        let names = ["HDL", "Triglycerides", "LDL Cholesterol"];
        let values = [
            ("52", "mg/dL", ">40"),
            ("180", "mg/dL", "<150"),
            ("98", "mg/dL", "<100"),
        ];
        let mut y = 100.0;
        for (n, (v, u, r)) in names.iter().zip(values) {
            lines.push(line(y, &[(40.0, n)]));
            lines.push(line(y + 12.0, &[(200.0, v), (300.0, u), (400.0, r)]));
            y += 30.0;
        }
        let r = rows(page(lines));
        assert_eq!(r.len(), 3, "header {with_header}: {r:#?}");
        let hdl = find(&r, "HDL");
        assert_eq!(hdl.value_text, "52");
        assert_eq!(hdl.range_text.as_deref(), Some(">40"));
        assert_eq!(hdl.section.as_deref(), Some("LIPIDS"));
        assert_eq!(find(&r, "Triglycerides").value_text, "180");
    }
}

#[test]
fn a_code_column_is_not_a_range() {
    for header in [true, false] {
        let mut lines = Vec::new();
        if header {
            lines.push(line(
                80.0,
                &[
                    (40.0, "LOINC"),
                    (100.0, "Test"),
                    (250.0, "Result"),
                    (330.0, "Unit"),
                    (420.0, "Reference"),
                ],
            ));
        }
        lines.push(line(
            100.0,
            &[
                (40.0, "2345-7"),
                (100.0, "Glucose"),
                (250.0, "92"),
                (330.0, "mg/dL"),
                (420.0, "70 - 99"),
            ],
        ));
        lines.push(line(
            118.0,
            &[
                (40.0, "2160-0"),
                (100.0, "Creatinine"),
                (250.0, "1.1"),
                (330.0, "mg/dL"),
                (420.0, "0.7 - 1.3"),
            ],
        ));
        let r = rows(page(lines));
        assert_eq!(r.len(), 2, "header {header}: {r:#?}");
        let g = find(&r, "Glucose");
        assert_eq!(g.value_text, "92");
        assert_eq!(g.range_text.as_deref(), Some("70 - 99"));
    }
}

#[test]
fn eight_date_columns_give_eight_results_per_row() {
    let dates = [
        "02/01/2024",
        "09/01/2024",
        "16/01/2024",
        "23/01/2024",
        "30/01/2024",
        "06/02/2024",
        "13/02/2024",
        "20/02/2024",
    ];
    let mut head = vec![(30.0, "Test")];
    for (i, d) in dates.iter().enumerate() {
        head.push((110.0 + 62.0 * i as f32, d));
    }
    head.push((610.0, "Units"));
    head.push((660.0, "Range"));
    let mut row = vec![(30.0, "Sodium")];
    let values = ["140", "141", "139", "144", "146", "138", "137", "140"];
    for (i, v) in values.iter().enumerate() {
        row.push((115.0 + 62.0 * i as f32, v));
    }
    row.push((610.0, "mmol/L"));
    row.push((660.0, "135-145"));
    let r = rows(page(vec![line(80.0, &head), line(100.0, &row)]));
    assert_eq!(r.len(), 8, "{r:#?}");
    let mut seen: Vec<&str> = r
        .iter()
        .filter_map(|x| x.collection_date.as_deref())
        .collect();
    seen.dedup();
    assert_eq!(seen.len(), 8);
    assert!(r.iter().all(|x| x.unit_text.as_deref() == Some("mmol/L")));
    assert!(r.iter().all(|x| x.range_text.as_deref() == Some("135-145")));
}

#[test]
fn side_by_side_tables_without_header_are_read_one_after_the_other() {
    let left = [
        ("HbA1c", "5.2", "%", "4.0-5.6"),
        ("TSH", "1.85", "mIU/L", "0.27-4.20"),
        ("Free T4", "1.27", "ng/dL", "0.93-1.70"),
        ("Ferritin", "231", "ng/mL", "30-400"),
    ];
    let right = [
        ("Hematocrit", "48.4", "%", "40.0-52.0"),
        ("MCV", "84.8", "fL", "80.0-100.0"),
        ("MCH", "35.5", "pg", "27.0-33.0"),
        ("RDW", "14.2", "%", "11.5-14.5"),
    ];
    let mut lines = vec![line(60.0, &[(40.0, "HORMONES"), (330.0, "BLOOD COUNT")])];
    for (i, (l, r)) in left.iter().zip(right.iter()).enumerate() {
        lines.push(line(
            80.0 + 16.0 * i as f32,
            &[
                (40.0, l.0),
                (130.0, l.1),
                (180.0, l.2),
                (240.0, l.3),
                (330.0, r.0),
                (420.0, r.1),
                (470.0, r.2),
                (520.0, r.3),
            ],
        ));
    }
    let r = rows(page(lines));
    assert_eq!(r.len(), 8, "{r:#?}");
    let mcv = find(&r, "MCV");
    assert_eq!(mcv.value_text, "84.8");
    assert_eq!(mcv.unit_text.as_deref(), Some("fL"));
    assert_eq!(mcv.range_text.as_deref(), Some("80.0-100.0"));
    assert_eq!(mcv.section.as_deref(), Some("BLOOD COUNT"));
    assert_eq!(find(&r, "TSH").section.as_deref(), Some("HORMONES"));
    assert_eq!(find(&r, "Ferritin").value_text, "231");
}

#[test]
fn stacked_rows_with_the_range_first() {
    let r = rows(page(vec![
        line(
            100.0,
            &[
                (40.0, "Eingang: 2023-01-16 06:23"),
                (431.0, "Einsender: Dr. A. Example"),
            ],
        ),
        line(162.0, &[(36.0, "Hämoglobin")]),
        line(
            173.0,
            &[(55.0, "[13,0-17,0]"), (139.0, "g/dl"), (199.0, "14,5")],
        ),
        line(185.0, &[(36.0, "Erythrozytenzahl")]),
        line(
            196.0,
            &[
                (55.0, "[4,50-5,90]"),
                (139.0, "x10^12/l"),
                (199.0, "6,39"),
                (237.0, "↑"),
            ],
        ),
    ]));
    assert_eq!(r.len(), 2, "{r:#?}");
    assert_eq!(find(&r, "Hämoglobin").value_text, "14,5");
    assert_eq!(
        find(&r, "Erythrozytenzahl").unit_text.as_deref(),
        Some("x10^12/l")
    );
}

#[test]
fn abbreviated_and_untitled_columns() {
    // "Unid." is a unit title; "Val." is no known title: its cells below make it a range column.
    let titles = [
        (36.0, "Análise"),
        (150.0, "Resultado"),
        (250.0, "Val."),
        (400.0, "Unid."),
    ];
    let r = rows(page(vec![
        line(80.0, &titles),
        line(
            100.0,
            &[
                (36.0, "Sódio"),
                (150.0, "141"),
                (250.0, "135 - 145"),
                (400.0, "mmol/L"),
            ],
        ),
        line(
            118.0,
            &[
                (36.0, "Potássio"),
                (150.0, "5,9"),
                (250.0, "3,5 - 5,1"),
                (400.0, "mmol/L"),
            ],
        ),
        line(
            136.0,
            &[
                (36.0, "Ureia"),
                (150.0, "31"),
                (250.0, "15 - 45"),
                (400.0, "mg/dL"),
            ],
        ),
    ]));
    assert_eq!(r.len(), 3, "{r:#?}");
    let k = find(&r, "Potássio");
    assert_eq!(k.unit_text.as_deref(), Some("mmol/L"));
    assert_eq!(k.range_text.as_deref(), Some("3,5 - 5,1"));
}

fn page_n(number: u32, lines: Vec<Vec<Word>>) -> Page {
    let mut p = page(lines);
    p.number = number;
    p
}

#[test]
fn a_table_continued_on_the_next_page_keeps_its_columns() {
    let head = [
        (40.0, "Test"),
        (200.0, "Unit"),
        (300.0, "Range"),
        (420.0, "Result"),
    ];
    let row = |y: f32, n: &'static str, v: &'static str| {
        line(
            y,
            &[
                (40.0, n),
                (200.0, "mmol/L"),
                (300.0, "3.5 - 5.1"),
                (420.0, v),
            ],
        )
    };
    let p1 = page_n(
        1,
        vec![
            line(100.0, &head),
            row(120.0, "Potassium", "4.2"),
            row(138.0, "Chloride", "101"),
        ],
    );
    // Page 2 prints no header again: the rows are read with page 1's columns.
    let p2 = page_n(
        2,
        vec![
            row(100.0, "Bicarbonate", "24"),
            row(118.0, "Calcium", "2.31"),
        ],
    );
    let r = analyze(&[p1, p2], 0).results;
    assert_eq!(r.len(), 4, "{r:#?}");
    let ca = find(&r, "Calcium");
    assert_eq!((ca.value_text.as_str(), ca.source.page), ("2.31", 2));
    assert_eq!(ca.range_text.as_deref(), Some("3.5 - 5.1"));
    assert_eq!(ca.unit_text.as_deref(), Some("mmol/L"));
}

#[test]
fn two_reports_in_one_file_keep_their_own_dates() {
    let report = |n: u32, date: &'static str, v: &'static str| {
        page_n(
            n,
            vec![
                line(60.0, &[(40.0, "Collection date:"), (130.0, date)]),
                line(
                    100.0,
                    &[
                        (40.0, "Test"),
                        (200.0, "Result"),
                        (300.0, "Unit"),
                        (400.0, "Range"),
                    ],
                ),
                line(
                    120.0,
                    &[
                        (40.0, "Sodium"),
                        (200.0, v),
                        (300.0, "mmol/L"),
                        (400.0, "135 - 145"),
                    ],
                ),
            ],
        )
    };
    let f = analyze(
        &[
            report(1, "12/02/2024", "141"),
            report(2, "20/03/2024", "139"),
        ],
        0,
    );
    assert_eq!(f.results.len(), 2, "{:#?}", f.results);
    let dates: Vec<Option<&str>> = f
        .results
        .iter()
        .map(|r| r.collection_date.as_deref())
        .collect();
    assert_eq!(dates, [Some("2024-02-12"), Some("2024-03-20")]);
}
