//! What one document may cost the reader (`ReadLimits`): blank scanned pages are skipped without
//! OCR, a PDF over the page limit or with more pages to OCR than allowed is rejected as
//! `too_large` instead of being read on. The OCR here is a counting stand-in (the limits are the
//! engine's logic, not the recognizer's).

mod reader_support;

use labrador_engine::model::{InputFile, RejectionReason, Word};
use labrador_engine::read::{OcrError, PageOcr, ReadLimits};
use labrador_engine::{Engine, EngineConfig};
use reader_support::pdfium_lib;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts the pages it is asked to read; finds one confident word on each (so no page is
/// read again upside down).
#[derive(Default)]
struct CountingOcr(AtomicUsize);

impl PageOcr for CountingOcr {
    fn recognize(&self, _rgb: &[u8], _w: u32, _h: u32) -> Result<Vec<Word>, OcrError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(vec![Word {
            text: "Haemoglobin".into(),
            bbox: [100.0, 100.0, 300.0, 130.0],
            font_size: 30.0,
            bold: false,
            confidence: 0.99,
        }])
    }
}

/// A PDF of `n` A4 pages without a text layer: blank, or with a dark box drawn (as a scan's
/// ink would be) when `inked`.
fn pages_pdf(n: usize, inked: bool) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    // 1: catalog, 2: pages, then per page: page object, content stream.
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + 2 * i)).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n} >>",
        kids.join(" ")
    ));
    let content = if inked {
        "0 0 0 rg 72 400 450 200 re f"
    } else {
        ""
    };
    for i in 0..n {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R >>",
            4 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn engine_with(limits: ReadLimits) -> (Engine, Arc<CountingOcr>) {
    let ocr = Arc::new(CountingOcr::default());
    let engine = Engine::new(
        EngineConfig::new(pdfium_lib())
            .with_ocr(ocr.clone())
            .with_limits(limits),
    )
    .expect("libpdfium (infra/setup.sh)");
    (engine, ocr)
}

fn read(engine: &Engine, bytes: &[u8]) -> Result<usize, (RejectionReason, String)> {
    let file = InputFile {
        index: 0,
        file_name: "scan.pdf",
        bytes,
    };
    engine
        .read_pages(&file)
        .map(|pages| pages.len())
        .map_err(|r| (r.reason, r.message))
}

#[test]
fn blank_scanned_pages_are_skipped_without_ocr() {
    let (engine, ocr) = engine_with(ReadLimits::default());
    let started = Instant::now();
    let outcome = read(&engine, &pages_pdf(120, false));
    let took = started.elapsed();
    assert_eq!(
        ocr.0.load(Ordering::SeqCst),
        0,
        "no blank page is sent to OCR"
    );
    let (reason, _) = outcome.expect_err("nothing to read");
    assert_eq!(reason, RejectionReason::Unreadable);
    println!("120 blank scanned pages: {took:?}");
}

#[test]
fn inked_pages_are_recognized() {
    let (engine, ocr) = engine_with(ReadLimits::default());
    let _ = read(&engine, &pages_pdf(3, true));
    assert_eq!(ocr.0.load(Ordering::SeqCst), 3, "a page with ink is read");
}

#[test]
fn more_pages_to_ocr_than_allowed_is_too_large() {
    let limits = ReadLimits {
        max_ocr_pages: 4,
        ..ReadLimits::default()
    };
    let (engine, ocr) = engine_with(limits);
    let (reason, message) = read(&engine, &pages_pdf(6, true)).expect_err("over the OCR limit");
    assert_eq!(reason, RejectionReason::TooLarge);
    assert!(message.contains("more than 4 pages"), "{message}");
    assert_eq!(ocr.0.load(Ordering::SeqCst), 4, "it stops at the limit");
}

#[test]
fn the_page_limit_counts_every_page() {
    let limits = ReadLimits {
        max_pages: 10,
        ..ReadLimits::default()
    };
    let (engine, ocr) = engine_with(limits);
    let (reason, message) = read(&engine, &pages_pdf(11, false)).expect_err("over the page limit");
    assert_eq!(reason, RejectionReason::TooLarge);
    assert!(message.contains("11 pages (limit 10)"), "{message}");
    assert_eq!(ocr.0.load(Ordering::SeqCst), 0);
}

#[test]
fn the_ocr_time_budget_stops_the_document() {
    let limits = ReadLimits {
        ocr_budget: Duration::ZERO,
        ..ReadLimits::default()
    };
    let (engine, _) = engine_with(limits);
    let started = Instant::now();
    let (reason, message) = read(&engine, &pages_pdf(2, true)).expect_err("over the budget");
    assert_eq!(reason, RejectionReason::TooLarge);
    assert!(message.contains("longer than 0 s"), "{message}");
    assert!(started.elapsed() < Duration::from_secs(30));
}
