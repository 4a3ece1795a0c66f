//! `LazyOcr` loads the models on the first page that needs them (models from `infra/setup.sh`).

use labrador_engine::read::PageOcr;
use labrador_ocr::LazyOcr;
use labrador_ocr::settings::ocr_from_vars;

#[test]
fn nothing_loads_until_a_page_needs_it() {
    let config = ocr_from_vars(|name| std::env::var_os(name)).expect("OCR settings");
    let Ok(ocr) = LazyOcr::new(config) else {
        return; // models not installed on this machine: covered by the unit test of lazy.rs
    };
    assert!(!ocr.is_loaded());
    let white = vec![255u8; 64 * 64 * 3];
    let words = ocr
        .recognize(&white, 64, 64)
        .expect("a blank page reads as no words");
    assert!(words.is_empty());
    assert!(ocr.is_loaded());
}
