//! The Labrador engine: document bytes in, report out.
//!
//! Reading (`read`: PDF text layer, images and scanned pages through an [`read::PageOcr`]),
//! layout (`layout`: positioned words → lines → table rows → raw results) and
//! standardization (`standardize`: catalogue, LOINC, UCUM, ranges, flags, dates; `fhir`).
//! Deterministic and free of network or storage IO.

pub mod fhir;
pub mod layout;
pub mod model;
pub mod read;
pub mod standardize;

pub use model::*;

use std::path::PathBuf;
use std::sync::Arc;

/// The engine's version, recorded in every extraction.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Clone, Default)]
pub struct EngineConfig {
    /// libpdfium to bind; else `LABRADOR_PDFIUM_LIB`, `$LABRADOR_ASSETS/lib/libpdfium.so`,
    /// `~/.cache/labrador/assets/lib/libpdfium.so`, `/opt/lib/libpdfium.so`.
    pub pdfium_lib: Option<PathBuf>,
    /// Recognizer for images and pages without a text layer; without it they are rejected.
    pub ocr: Option<Arc<dyn read::PageOcr>>,
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
}

impl Engine {
    pub fn new(config: EngineConfig) -> Result<Engine, EngineError> {
        let pdfium = read::pdf::bind(config.pdfium_lib.as_deref())?;
        Ok(Engine {
            pdfium,
            ocr: config.ocr,
        })
    }

    pub fn has_ocr(&self) -> bool {
        self.ocr.is_some()
    }

    /// Pages of positioned words of one file (PDF text layer, or OCR for images and scans).
    pub fn read_pages(&self, file: &InputFile) -> Result<Vec<Page>, Rejection> {
        let ocr = self.ocr.as_deref();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read::read_file(self.pdfium, file, ocr)
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
