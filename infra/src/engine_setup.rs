//! Builds the engine from the environment, as `labrador_ocr::settings` reads it: the PDF library
//! and OCR models under `LABRADOR_ASSETS` (default `~/.cache/labrador/assets`, filled by
//! `infra/setup.sh`), or the explicit `LABRADOR_PDFIUM_LIB` / `LABRADOR_OCR_MODELS` paths, and
//! `LABRADOR_OCR_THREADS`.

use anyhow::Context;
use labrador_engine::{Engine, EngineConfig, read::PageOcr};
use labrador_ocr::settings::EngineSettings;
use std::sync::Arc;

/// The settings of this process's environment.
fn settings() -> anyhow::Result<EngineSettings> {
    EngineSettings::from_vars(|name| std::env::var_os(name))
        .context("cannot start the engine (run infra/setup.sh to install libpdfium)")
}

/// The engine for parse/eval/serve/bench: pdfium required, OCR when its models load.
pub(crate) fn build_engine() -> anyhow::Result<Engine> {
    build_engine_with(true)
}

/// Same, choosing whether to try loading OCR.
pub(crate) fn build_engine_with(ocr: bool) -> anyhow::Result<Engine> {
    let settings = settings()?;
    let mut config = EngineConfig::new(settings.pdfium_lib).with_limits(settings.limits);
    if ocr && let Some(ocr) = load_ocr(settings.ocr) {
        config = config.with_ocr(ocr);
    }
    Engine::new(config).context("cannot start the engine (run infra/setup.sh to install libpdfium)")
}

/// The models are loaded by the first page that needs them (a text PDF never does).
fn load_ocr(config: labrador_ocr::OcrConfig) -> Option<Arc<dyn PageOcr>> {
    match labrador_ocr::LazyOcr::new(config) {
        Ok(ocr) => Some(Arc::new(ocr)),
        Err(e) => {
            eprintln!("labrador: OCR unavailable ({e}); images and scanned pages will be rejected");
            None
        }
    }
}
