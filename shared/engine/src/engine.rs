//! The engine: files in, pages of positioned words, raw results or why a file yields none.

use crate::model::*;
use crate::{ENGINE_VERSION, layout, read};
use std::path::PathBuf;
use std::sync::Arc;

/// What an engine is built from. The caller finds the paths (the edges load them with
/// `labrador_ocr::settings`); the engine reads no environment.
#[derive(Clone)]
pub struct EngineConfig {
    /// The libpdfium shared library to bind.
    pub pdfium_lib: PathBuf,
    /// Recognizer for images and pages without a text layer; without it they are rejected.
    pub ocr: Option<Arc<dyn read::PageOcr>>,
    /// What one document may cost.
    pub limits: read::ReadLimits,
}

impl EngineConfig {
    /// pdfium from `pdfium_lib`, no OCR.
    pub fn new(pdfium_lib: impl Into<PathBuf>) -> EngineConfig {
        EngineConfig {
            pdfium_lib: pdfium_lib.into(),
            ocr: None,
            limits: read::ReadLimits::default(),
        }
    }

    pub fn with_limits(mut self, limits: read::ReadLimits) -> EngineConfig {
        self.limits = limits;
        self
    }

    pub fn with_ocr(mut self, ocr: Arc<dyn read::PageOcr>) -> EngineConfig {
        self.ocr = Some(ocr);
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    PdfLibrary(#[from] read::pdf::PdfLibraryError),
}

/// Built once per process (Lambda cold start); `Send + Sync`.
pub struct Engine {
    pdfium: &'static pdfium_render::prelude::Pdfium,
    ocr: Option<Arc<dyn read::PageOcr>>,
    limits: read::ReadLimits,
}

impl Engine {
    pub fn new(config: EngineConfig) -> Result<Engine, EngineError> {
        let pdfium = read::pdf::bind(&config.pdfium_lib)?;
        Ok(Engine {
            pdfium,
            ocr: config.ocr,
            limits: config.limits,
        })
    }

    pub fn has_ocr(&self) -> bool {
        self.ocr.is_some()
    }

    /// Pages of positioned words of one file (PDF text layer, or OCR for images and scans).
    pub fn read_pages(&self, file: &InputFile) -> Result<Vec<Page>, Rejection> {
        let ocr = self.ocr.as_deref();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read::read_file(self.pdfium, file, ocr, &self.limits)
        })) {
            Ok(r) => r,
            Err(_) => Err(Rejection::new(
                RejectionReason::Unreadable,
                "the file could not be read",
            )),
        }
    }

    /// Reads one file to its raw results, or why it yields none.
    pub fn extract_file(&self, file: &InputFile) -> Result<FileExtraction, Rejection> {
        let pages = self.read_pages(file)?;
        let analyzed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            layout::analyze(&pages, file.index)
        }));
        let extraction = analyzed.map_err(|_| {
            Rejection::new(RejectionReason::Unreadable, "the layout could not be read")
        })?;
        if extraction.results.is_empty() {
            return Err(if layout::looks_like_lab_report(&pages) {
                Rejection::new(RejectionReason::NoResultsFound, "no result rows were found")
            } else {
                Rejection::new(
                    RejectionReason::NotALabReport,
                    "the document is not a lab report",
                )
            });
        }
        Ok(extraction)
    }

    /// Reads every file: pages → layout → raw results; never panics; rejections inside.
    pub fn extract(&self, files: &[InputFile]) -> Extraction {
        let mut out = Extraction {
            engine_version: ENGINE_VERSION.to_string(),
            ..Default::default()
        };
        for file in files {
            match self.extract_file(file) {
                Ok(fe) => out.files.push(fe),
                Err(r) => out.file_rejections.push((file.index, r)),
            }
        }
        if out.files.is_empty() {
            out.rejection =
                Some(pick_rejection(&out.file_rejections).unwrap_or_else(|| {
                    Rejection::new(RejectionReason::Empty, "no file was given")
                }));
        }
        out
    }
}

/// The report-level reason when every file failed: the most telling one.
fn pick_rejection(rejections: &[(usize, Rejection)]) -> Option<Rejection> {
    use RejectionReason::*;
    let rank = |r: RejectionReason| match r {
        NoResultsFound => 0,
        NotALabReport => 1,
        Encrypted => 2,
        LowImageQuality => 3,
        Unreadable => 4,
        TooLarge => 5,
        UnsupportedFileType => 6,
        Empty => 7,
        Duplicate => 8,
    };
    rejections
        .iter()
        .min_by_key(|(_, r)| rank(r.reason))
        .map(|(_, r)| r.clone())
}
