//! Bad files get a rejection reason, never a panic.

mod reader_support;

use labrador_engine::{InputFile, RejectionReason};
use reader_support::{engine, lab_report_texts, pdf, t};

fn reason(bytes: &[u8], name: &str) -> Option<RejectionReason> {
    let file = InputFile {
        index: 0,
        file_name: name,
        bytes,
    };
    let extraction = engine().extract(std::slice::from_ref(&file));
    extraction.rejection.map(|r| r.reason)
}

#[test]
fn empty_file_is_empty() {
    assert_eq!(reason(b"", "empty.pdf"), Some(RejectionReason::Empty));
}

#[test]
fn random_bytes_named_pdf_are_not_a_supported_file() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    assert_eq!(
        reason(&bytes, "random.pdf"),
        Some(RejectionReason::UnsupportedFileType)
    );
}

#[test]
fn pdf_header_with_garbage_is_unreadable() {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..2000u32).map(|i| (i * 7 % 251) as u8));
    assert_eq!(
        reason(&bytes, "garbage.pdf"),
        Some(RejectionReason::Unreadable)
    );
}

#[test]
fn truncated_pdf_is_unreadable() {
    let full = pdf(&lab_report_texts(), false);
    let cut = &full[..60];
    assert_eq!(reason(cut, "cut.pdf"), Some(RejectionReason::Unreadable));
}

#[test]
fn encrypted_pdf_is_encrypted() {
    let bytes = pdf(&lab_report_texts(), true);
    assert_eq!(
        reason(&bytes, "locked.pdf"),
        Some(RejectionReason::Encrypted)
    );
}

#[test]
fn a_letter_is_not_a_lab_report() {
    let texts = vec![
        t(50.0, 80.0, "Dear Ms Smith,"),
        t(
            50.0,
            110.0,
            "Thank you for your letter of 3 March about the garden fence.",
        ),
        t(
            50.0,
            125.0,
            "We will repaint it in spring, weather permitting, at no cost to you.",
        ),
        t(50.0, 160.0, "Kind regards,"),
        t(50.0, 175.0, "The Housing Office"),
    ];
    assert_eq!(
        reason(&pdf(&texts, false), "letter.pdf"),
        Some(RejectionReason::NotALabReport)
    );
}

#[test]
fn a_lab_page_without_rows_has_no_results() {
    let texts = vec![
        t(50.0, 80.0, "City Clinical Laboratory"),
        t(
            50.0,
            110.0,
            "Specimen: blood (serum). Results will follow in a separate report.",
        ),
        t(50.0, 125.0, "Hemoglobin and glucose testing is pending."),
    ];
    assert_eq!(
        reason(&pdf(&texts, false), "pending.pdf"),
        Some(RejectionReason::NoResultsFound)
    );
}

#[test]
fn the_handmade_report_reads() {
    let bytes = pdf(&lab_report_texts(), false);
    let file = InputFile {
        index: 0,
        file_name: "ok.pdf",
        bytes: &bytes,
    };
    let extraction = engine().extract(std::slice::from_ref(&file));
    assert!(extraction.rejection.is_none(), "{:?}", extraction.rejection);
    let f = &extraction.files[0];
    let names: Vec<&str> = f.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["Hemoglobin", "Platelet Count", "HIV 1/2 Antibodies"]
    );
    let hb = &f.results[0];
    assert_eq!(hb.value_text, "11.2");
    assert_eq!(hb.flag_text.as_deref(), Some("L"));
    assert_eq!(hb.unit_text.as_deref(), Some("g/dL"));
    assert_eq!(hb.range_text.as_deref(), Some("12.0 - 15.5"));
    assert_eq!(hb.section.as_deref(), Some("HEMATOLOGY"));
    assert_eq!(f.results[2].value_text, "Non Reactive");
    assert_eq!(f.dates.collected.as_deref(), Some("2024-01-15"));
    assert_eq!(f.patient.sex, Some(labrador_engine::Sex::Female));
    assert_eq!(f.patient.age_at_collection, Some(34.0));
    assert_eq!(f.lab_name.as_deref(), Some("City Clinical Laboratory"));
    assert_eq!(f.language.as_deref(), Some("en"));
    assert_eq!(extraction.engine_version, env!("CARGO_PKG_VERSION"));
}
