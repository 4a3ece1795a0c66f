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

/// Dispatches a file to its reader by its magic bytes.
pub fn read_file(
    pdfium: &pdfium_render::prelude::Pdfium,
    file: &InputFile,
    ocr: Option<&dyn PageOcr>,
) -> Result<Vec<Page>, Rejection> {
    if file.bytes.is_empty() {
        return Err(Rejection::new(RejectionReason::Empty, "the file is empty"));
    }
    match FileKind::sniff(file.bytes) {
        Some(FileKind::Pdf) => pdf::read_pdf(pdfium, file.bytes, ocr),
        Some(FileKind::Png | FileKind::Jpeg) => image::read_image(file.bytes, ocr),
        None => Err(Rejection::new(
            RejectionReason::UnsupportedFileType,
            "the file is not a PDF, PNG or JPEG",
        )),
    }
}
