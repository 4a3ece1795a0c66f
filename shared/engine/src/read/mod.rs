//! Readers: document bytes → pages of positioned words.

pub mod image;
pub mod ocr_page;
pub mod pdf;

use crate::model::Word;

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
