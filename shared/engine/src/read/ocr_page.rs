//! One rendered or decoded page image → a page of positioned words, through the OCR port.

use crate::model::{Page, Rejection, RejectionReason};
use crate::read::PageOcr;

/// Recognizes an RGB page image. `points_per_pixel` scales boxes back to the page's own units
/// (1.0 for images; 72/dpi for rendered PDF pages). Stub until the OCR work lands.
pub fn recognize_page(
    _ocr: &dyn PageOcr,
    _rgb: &[u8],
    _width: u32,
    _height: u32,
    _page_number: u32,
    _points_per_pixel: f32,
) -> Result<Page, Rejection> {
    Err(Rejection::new(
        RejectionReason::Unreadable,
        "page OCR is not available",
    ))
}
