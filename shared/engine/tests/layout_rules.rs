//! General layout rules pinned on synthetic words (no PDF library): side-by-side tables,
//! cumulative date columns, flags printed in unusual places, qualitative values.

mod common;

use common::{find, line, page};
use labrador_engine::layout::analyze;
use labrador_engine::{Page, RawResult, TextSource, Word};

fn rows(lines: Vec<Vec<Word>>) -> Vec<RawResult> {
    analyze(&[page(lines)], 0).results
}

#[test]
fn side_by_side_tables_are_read_block_by_block() {
    let r = rows(vec![
        line(
            100.0,
            &[
                (30.0, "Test"),
                (120.0, "Result Unit"),
                (200.0, "Ref. Range"),
                (310.0, "Test"),
                (400.0, "Result Unit"),
                (480.0, "Ref. Range"),
            ],
        ),
        line(115.0, &[(30.0, "HAEMATOLOGY"), (310.0, "BIOCHEMISTRY")]),
        line(
            130.0,
            &[
                (30.0, "Haemoglobin"),
                (125.0, "17.3 g/dL"),
                (200.0, "13.0-17.0"),
                (310.0, "Glucose"),
                (405.0, "91 mg/dL"),
                (480.0, "70-100"),
            ],
        ),
        line(
            145.0,
            &[
                (30.0, "MCV"),
                (125.0, "98.5 fL"),
                (200.0, "83-101"),
                (310.0, "Urea"),
                (405.0, "47 mg/dL"),
                (480.0, "17-43"),
            ],
        ),
        line(
            160.0,
            &[(310.0, "TSH"), (405.0, "6.06 mIU/L"), (480.0, "0.35-5.50")],
        ),
        line(
            200.0,
            &[(
                30.0,
                "Values in bold are outside the reference range of the laboratory",
            )],
        ),
    ]);
    assert_eq!(r.len(), 5, "{r:?}");
    let names: Vec<&str> = r.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Haemoglobin", "MCV", "Glucose", "Urea", "TSH"]);
    let urea = find(&r, "Urea");
    assert_eq!(urea.value_text, "47");
    assert_eq!(urea.unit_text.as_deref(), Some("mg/dL"));
    assert_eq!(urea.range_text.as_deref(), Some("17-43"));
    assert_eq!(urea.section.as_deref(), Some("BIOCHEMISTRY"));
    assert_eq!(find(&r, "MCV").section.as_deref(), Some("HAEMATOLOGY"));
}

#[test]
fn cumulative_cells_carry_their_own_flags_and_skip_dashes() {
    let r = rows(vec![
        line(40.0, &[(40.0, "DOB: 08/19/1959")]),
        line(
            100.0,
            &[
                (40.0, "Test"),
                (160.0, "Units"),
                (220.0, "Ref Range"),
                (320.0, "10/02/2023"),
                (400.0, "01/15/2024"),
                (480.0, "04/22/2024"),
            ],
        ),
        line(
            120.0,
            &[
                (40.0, "Creatinine"),
                (160.0, "mg/dL"),
                (220.0, "0.70-1.30"),
                (330.0, "0.78"),
                (405.0, "1.47 H"),
                (490.0, "0.78"),
            ],
        ),
        line(
            135.0,
            &[
                (40.0, "TSH"),
                (160.0, "mIU/L"),
                (220.0, "0.40-4.50"),
                (335.0, "--"),
                (405.0, "2.35"),
                (485.0, "5.16 H"),
            ],
        ),
    ]);
    let tsh: Vec<&RawResult> = r.iter().filter(|r| r.name == "TSH").collect();
    assert_eq!(tsh.len(), 2, "{r:?}");
    assert_eq!(tsh[0].collection_date.as_deref(), Some("2024-01-15"));
    assert_eq!(tsh[0].flag_text, None);
    assert_eq!(tsh[1].value_text, "5.16");
    assert_eq!(tsh[1].flag_text.as_deref(), Some("H"));
    let crea: Vec<&RawResult> = r.iter().filter(|r| r.name == "Creatinine").collect();
    assert_eq!(crea.len(), 3);
    // month first, as the other dates of the document show
    assert_eq!(crea[0].collection_date.as_deref(), Some("2023-10-02"));
    assert_eq!(crea[0].flag_text, None);
    assert_eq!(crea[1].flag_text.as_deref(), Some("H"));
}

fn german_header(y: f32) -> Vec<Word> {
    line(
        y,
        &[
            (40.0, "Parameter"),
            (250.0, "Ergebnis"),
            (330.0, "Einheit"),
            (420.0, "Referenzbereich"),
        ],
    )
}

#[test]
fn arrows_before_names_and_signs_after_values_are_flags() {
    let r = rows(vec![
        german_header(100.0),
        line(
            120.0,
            &[
                (30.0, "↑"),
                (40.0, "Natrium"),
                (260.0, "147"),
                (330.0, "mmol/l"),
                (420.0, "135 - 145"),
            ],
        ),
        line(
            135.0,
            &[
                (40.0, "MCV"),
                (260.0, "77,4 -"),
                (330.0, "fl"),
                (420.0, "80 - 99"),
            ],
        ),
        line(
            150.0,
            &[
                (40.0, "CRP"),
                (260.0, "7,4 +"),
                (330.0, "mg/l"),
                (420.0, "< 5,0"),
            ],
        ),
    ]);
    assert_eq!(r.len(), 3, "{r:?}");
    let na = find(&r, "Natrium");
    assert_eq!(na.flag_text.as_deref(), Some("↑"));
    assert_eq!(na.value_text, "147");
    let mcv = find(&r, "MCV");
    assert_eq!(mcv.flag_text.as_deref(), Some("-"));
    assert_eq!(mcv.unit_text.as_deref(), Some("fl"));
    assert_eq!(find(&r, "CRP").flag_text.as_deref(), Some("+"));
}

#[test]
fn titres_grades_and_plural_qualitative_words_are_values() {
    let r = rows(vec![
        line(
            100.0,
            &[
                (40.0, "Test Name"),
                (250.0, "Result"),
                (330.0, "Flag"),
                (420.0, "Reference Range"),
            ],
        ),
        line(
            120.0,
            &[
                (40.0, "Salmonella Typhi O"),
                (250.0, "1:160"),
                (420.0, "< 1:80"),
            ],
        ),
        line(
            135.0,
            &[
                (40.0, "Occult Blood"),
                (250.0, "1+"),
                (330.0, "A"),
                (420.0, "Negative"),
            ],
        ),
        line(
            150.0,
            &[(40.0, "Proteine"), (250.0, "Assenti"), (420.0, "Assenti")],
        ),
        line(
            165.0,
            &[(40.0, "Appearance"), (250.0, "Cloudy"), (420.0, "Clear")],
        ),
        // a time is no titre
        line(180.0, &[(40.0, "Uhrzeit"), (250.0, "10:30")]),
    ]);
    assert_eq!(find(&r, "Salmonella Typhi O").value_text, "1:160");
    assert_eq!(find(&r, "Occult Blood").value_text, "1+");
    assert_eq!(find(&r, "Proteine").value_text, "Assenti");
    assert_eq!(find(&r, "Appearance").value_text, "Cloudy");
    assert!(r.iter().all(|r| r.name != "Uhrzeit"), "{r:?}");
}

#[test]
fn a_date_is_never_a_value() {
    let r = rows(vec![
        line(
            40.0,
            &[
                (40.0, "Fecha nac.:"),
                (150.0, "30/10/1969"),
                (300.0, "Sexo: Hombre"),
            ],
        ),
        line(
            100.0,
            &[
                (40.0, "Prueba"),
                (250.0, "Resultado"),
                (330.0, "Unidades"),
                (420.0, "Valores de referencia"),
            ],
        ),
        line(
            120.0,
            &[
                (40.0, "Glucosa"),
                (260.0, "103"),
                (330.0, "mg/dL"),
                (420.0, "74 - 106"),
            ],
        ),
    ]);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].name, "Glucosa");
}

#[test]
fn ocr_glue_is_undone() {
    use labrador_engine::layout::dates::parse_date;
    // a date and its time read without the space between them
    assert_eq!(
        parse_date("16.01.202407:50", None).as_deref(),
        Some("2024-01-16")
    );
    assert_eq!(
        parse_date(":18/01/202408:15 AM", None).as_deref(),
        Some("2024-01-18")
    );
    let r = rows(vec![
        line(
            100.0,
            &[
                (40.0, "Test"),
                (250.0, "Result"),
                (330.0, "Units"),
                (420.0, "Reference Range"),
            ],
        ),
        // flags glued to values
        line(
            120.0,
            &[
                (40.0, "Basophils"),
                (250.0, "0.11H"),
                (330.0, "x10^9/L"),
                (420.0, "(0.02-0.10)"),
            ],
        ),
        line(
            135.0,
            &[
                (40.0, "TSH"),
                (250.0, "4,96Alto"),
                (330.0, "µUI/mL"),
                (420.0, "0,27 - 4,20"),
            ],
        ),
        // an antigen letter far from the value column is part of the name
        line(
            110.0,
            &[
                (40.0, "Salmonella Typhi H"),
                (250.0, "1:80"),
                (420.0, "< 1:80"),
            ],
        ),
        // a flag at the end of the name phrase, and a value swallowed by a long name phrase
        line(
            150.0,
            &[
                (85.0, "MEAN CELL HAEMOGLOBIN CON, MCHC H"),
                (250.0, "35.7"),
                (330.0, "%"),
            ],
        ),
        line(
            165.0,
            &[
                (100.0, "Mean Corpuscular Volume (MCV) 87.75"),
                (330.0, "fL"),
                (420.0, "83 - 101"),
            ],
        ),
    ]);
    let salmonella = find(&r, "Salmonella Typhi H");
    assert_eq!(salmonella.flag_text, None);
    let baso = find(&r, "Basophils");
    assert_eq!(
        (baso.value_text.as_str(), baso.flag_text.as_deref()),
        ("0.11", Some("H"))
    );
    let tsh = find(&r, "TSH");
    assert_eq!(
        (tsh.value_text.as_str(), tsh.flag_text.as_deref()),
        ("4,96", Some("Alto"))
    );
    let mchc = find(&r, "MEAN CELL HAEMOGLOBIN CON, MCHC");
    assert_eq!(mchc.flag_text.as_deref(), Some("H"));
    assert_eq!(
        find(&r, "Mean Corpuscular Volume (MCV)").value_text,
        "87.75"
    );
}

#[test]
fn labels_split_by_ocr_still_name_their_date() {
    let p = Page {
        number: 1,
        width: 612.0,
        height: 792.0,
        source: TextSource::TextLayer,
        words: line(40.0, &[(40.0, "Sample Collec ted :18/01/202408:15 AM")]),
    };
    let f = analyze(&[p], 0);
    assert_eq!(f.dates.collected.as_deref(), Some("2024-01-18"));
}

#[test]
fn previous_result_columns_are_ignored() {
    let r = rows(vec![
        line(
            100.0,
            &[
                (40.0, "Untersuchung"),
                (250.0, "Ergebnis"),
                (330.0, "Einheit"),
                (420.0, "Referenzbereich"),
                (530.0, "Vorbefund"),
            ],
        ),
        line(
            120.0,
            &[
                (40.0, "Hämoglobin"),
                (255.0, "15,6"),
                (330.0, "g/dl"),
                (420.0, "13,5 - 17,5"),
                (540.0, "15,2"),
            ],
        ),
    ]);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].value_text, "15,6");
    assert_eq!(r[0].range_text.as_deref(), Some("13,5 - 17,5"));
}

#[test]
fn a_name_printed_over_two_lines_is_joined() {
    let row = |y: f32, name: &'static str, value: &'static str, range: &'static str| {
        line(
            y,
            &[
                (40.0, name),
                (250.0, value),
                (330.0, "g/dL"),
                (420.0, range),
            ],
        )
    };
    let r = rows(vec![
        line(
            100.0,
            &[
                (40.0, "Investigation"),
                (250.0, "Result"),
                (330.0, "Unit"),
                (420.0, "Reference Range"),
            ],
        ),
        row(120.0, "Mean Corpuscular Hemoglobin", "33.0", "31.5 - 34.5"),
        line(131.0, &[(40.0, "Concentration (MCHC)")]),
        row(145.0, "Total Protein", "7.1", "6.0 - 8.3"),
        // a name alone, its value on the next line: a stacked row, not a continuation
        line(156.0, &[(40.0, "Albumin (Serum)")]),
        line(
            167.0,
            &[(250.0, "4.2"), (330.0, "g/dL"), (420.0, "3.5 - 5.2")],
        ),
        row(181.0, "Globulin", "2.9", "2.0 - 3.5"),
        // a note below a row is not the end of its name
        line(
            192.0,
            &[(40.0, "calculated from total protein and albumin.")],
        ),
    ]);
    let names: Vec<&str> = r.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Mean Corpuscular Hemoglobin Concentration (MCHC)",
            "Total Protein",
            "Albumin (Serum)",
            "Globulin"
        ]
    );
}

#[test]
fn a_code_column_after_the_range_is_not_a_second_table() {
    let r = rows(vec![
        line(
            100.0,
            &[
                (40.0, "Test"),
                (200.0, "Result"),
                (280.0, "Units"),
                (360.0, "Reference Range"),
                (480.0, "Test Code"),
            ],
        ),
        line(
            120.0,
            &[
                (40.0, "Glucose"),
                (200.0, "95"),
                (280.0, "mg/dL"),
                (360.0, "70 - 99"),
                (480.0, "GLU01"),
            ],
        ),
    ]);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].value_text, "95");
    assert_eq!(r[0].range_text.as_deref(), Some("70 - 99"));
}
