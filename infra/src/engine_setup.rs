//! Builds the engine from the environment: the PDF library and OCR models found under
//! `LABRADOR_ASSETS` (default `~/.cache/labrador/assets`, filled by `infra/setup.sh`) or the
//! explicit `LABRADOR_PDFIUM_LIB` / `LABRADOR_OCR_MODELS` paths.

use anyhow::Context;
use labrador_engine::{Engine, EngineConfig, read::PageOcr};
use std::sync::Arc;

/// The engine for parse/eval/serve/bench: pdfium required, OCR when its models load.
pub(crate) fn build_engine() -> anyhow::Result<Engine> {
    build_engine_with(true)
}

/// Same, choosing whether to try loading OCR.
pub(crate) fn build_engine_with(ocr: bool) -> anyhow::Result<Engine> {
    let ocr: Option<Arc<dyn PageOcr>> = if ocr { load_ocr() } else { None };
    Engine::new(EngineConfig {
        pdfium_lib: None,
        ocr,
    })
    .context("cannot start the engine (run infra/setup.sh to install libpdfium)")
}

/// The models are loaded by the first page that needs them (a text PDF never does).
fn load_ocr() -> Option<Arc<dyn PageOcr>> {
    let dir = labrador_ocr::default_models_dir();
    match labrador_ocr::LazyOcr::new(&dir) {
        Ok(ocr) => Some(Arc::new(ocr)),
        Err(e) => {
            eprintln!("labrador: OCR unavailable ({e}); images and scanned pages will be rejected");
            None
        }
    }
}
