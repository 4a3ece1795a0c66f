//! Readers: document bytes → pages of positioned words.

pub mod image;
pub mod ocr_page;
pub mod pdf;

use crate::model::{FileKind, InputFile, Page, Rejection, RejectionReason, Word};

/// Optical character recognition of one page image. Implemented outside the engine
/// (the `labrador-ocr` crate) so that the engine stays free of model runtimes.
pub trait PageOcr: Send + Sync {
    /// Recognizes the words of an 8-bit RGB image (`width * height * 3` bytes, row-major).
    /// Boxes are in the image's pixels, origin top-left.
    fn recognize(&self, rgb: &[u8], width: u32, height: u32) -> Result<Vec<Word>, OcrError>;
}

#[derive(Debug, thiserror::Error)]
#[error("ocr failed: {0}")]
pub struct OcrError(pub String);

/// What one document may cost the reader. A document over a limit is rejected as `too_large`
/// with the limit it broke, never read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Pages of a PDF (text-layer pages are cheap: a cumulative export runs to hundreds).
    pub max_pages: u32,
    /// Pages of a PDF that need OCR (blank pages are skipped and do not count).
    pub max_ocr_pages: u32,
    /// Time for the OCR of one document's pages.
    pub ocr_budget: std::time::Duration,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_pages: 500,
            max_ocr_pages: 50,
            ocr_budget: std::time::Duration::from_secs(240),
        }
    }
}

/// Dispatches a file to its reader by its magic bytes.
pub fn read_file(
    pdfium: &pdfium_render::prelude::Pdfium,
    file: &InputFile,
    ocr: Option<&dyn PageOcr>,
    limits: &ReadLimits,
) -> Result<Vec<Page>, Rejection> {
    if file.bytes.is_empty() {
        return Err(Rejection::new(RejectionReason::Empty, "the file is empty"));
    }
    match FileKind::sniff(file.bytes) {
        Some(FileKind::Pdf) => pdf::read_pdf(pdfium, file.bytes, ocr, limits),
        Some(FileKind::Png | FileKind::Jpeg) => image::read_image(file.bytes, ocr),
        None => Err(Rejection::new(
            RejectionReason::UnsupportedFileType,
            "the file is not a PDF, PNG or JPEG",
        )),
    }
}
