//! PNG and JPEG pages: decode safely (limits, EXIF orientation), then OCR.

use crate::model::{Page, Rejection, RejectionReason};
use crate::read::PageOcr;

/// Reads an image file into one page of words. Stub until the OCR work lands.
pub fn read_image(_bytes: &[u8], ocr: Option<&dyn PageOcr>) -> Result<Vec<Page>, Rejection> {
    let _ = ocr;
    Err(Rejection::new(
        RejectionReason::Unreadable,
        "image reading is not available",
    ))
}
