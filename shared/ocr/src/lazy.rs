//! The recognizer loaded the first time a page needs it: a process that reads only text-layer
//! PDFs (most reports; `labrador parse`; an extract Lambda's cold start) never pays for the
//! models. The model files are checked up front, so a deployment without them still fails at
//! start-up instead of on its first scan.

use crate::{DET_MODEL, KEYS, OcrConfig, OcrLoadError, PaddleOcr, REC_MODEL};
use labrador_engine::model::Word;
use labrador_engine::read::{OcrError, PageOcr};
use std::sync::OnceLock;

pub struct LazyOcr {
    config: OcrConfig,
    loaded: OnceLock<Result<PaddleOcr, String>>,
}

impl LazyOcr {
    /// Checks that the model files are there; loads nothing.
    pub fn new(config: OcrConfig) -> Result<LazyOcr, OcrLoadError> {
        for name in [DET_MODEL, REC_MODEL, KEYS] {
            let file = config.models_dir.join(name);
            if !file.is_file() {
                return Err(OcrLoadError {
                    path: config.models_dir.clone(),
                    reason: format!("missing {}", file.display()),
                });
            }
        }
        Ok(LazyOcr {
            config,
            loaded: OnceLock::new(),
        })
    }

    /// Whether a page has needed the models yet.
    pub fn is_loaded(&self) -> bool {
        self.loaded.get().is_some()
    }
}

impl PageOcr for LazyOcr {
    fn recognize(&self, rgb: &[u8], width: u32, height: u32) -> Result<Vec<Word>, OcrError> {
        let ocr = self
            .loaded
            .get_or_init(|| PaddleOcr::load(&self.config).map_err(|e| e.to_string()));
        match ocr {
            Ok(ocr) => ocr.recognize(rgb, width, height),
            Err(reason) => Err(OcrError(reason.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_models_fail_at_start() {
        let config = OcrConfig::new("/nonexistent/labrador-no-models-here");
        let err = LazyOcr::new(config)
            .err()
            .expect("no models, no recognizer");
        assert!(err.reason.contains("missing"));
    }
}
