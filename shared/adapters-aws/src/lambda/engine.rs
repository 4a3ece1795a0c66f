//! The engine of the standardize function: standardization only. Reading documents needs
//! libpdfium and the OCR models, which only the extract function carries (its layer).

use labrador_domain::engine::model::{Extraction, InputFile, Rejection, RejectionReason};
use labrador_domain::services::ReportEngine;

#[derive(Debug, Clone, Copy, Default)]
pub struct StandardizeOnly;

impl ReportEngine for StandardizeOnly {
    /// Not reached: the standardize function gets no extract jobs. Answer with a rejection
    /// rather than a panic should a misrouted job arrive.
    fn extract(&self, _files: &[InputFile<'_>]) -> Extraction {
        Extraction {
            rejection: Some(Rejection::new(
                RejectionReason::Unreadable,
                "this worker does not read documents",
            )),
            ..Default::default()
        }
    }
}
