//! The recognizer loaded the first time a page needs it: a process that reads only text-layer
//! PDFs (most reports; `labrador parse`; an extract Lambda's cold start) never pays for the
//! models. The model files are checked up front, so a deployment without them still fails at
//! start-up instead of on its first scan.

use crate::{DET_MODEL, KEYS, OcrLoadError, PaddleOcr, REC_MODEL};
use labrador_engine::model::Word;
use labrador_engine::read::{OcrError, PageOcr};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub struct LazyOcr {
    models_dir: PathBuf,
    loaded: OnceLock<Result<PaddleOcr, String>>,
}

impl LazyOcr {
    /// Checks that the model files are there; loads nothing.
    pub fn new(models_dir: &Path) -> Result<LazyOcr, OcrLoadError> {
        for name in [DET_MODEL, REC_MODEL, KEYS] {
            let file = models_dir.join(name);
            if !file.is_file() {
                return Err(OcrLoadError {
                    path: models_dir.to_path_buf(),
                    reason: format!("missing {}", file.display()),
                });
            }
        }
        Ok(LazyOcr {
            models_dir: models_dir.to_path_buf(),
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
            .get_or_init(|| PaddleOcr::load(&self.models_dir).map_err(|e| e.to_string()));
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
        let dir = std::env::temp_dir().join("labrador-no-models-here");
        let err = LazyOcr::new(&dir).err().expect("no models, no recognizer");
        assert!(err.reason.contains("missing"));
    }

    #[test]
    fn nothing_loads_until_a_page_needs_it() {
        let dir = crate::default_models_dir();
        let Ok(ocr) = LazyOcr::new(&dir) else {
            return; // models not installed on this machine: covered by the test above
        };
        assert!(!ocr.is_loaded());
        let white = vec![255u8; 64 * 64 * 3];
        let words = ocr
            .recognize(&white, 64, 64)
            .expect("a blank page reads as no words");
        assert!(words.is_empty());
        assert!(ocr.is_loaded());
    }
}
