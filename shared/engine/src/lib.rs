//! The Labrador engine: document bytes in, report out.
//!
//! Reading (`read`: PDF text layer, images and scanned pages through an [`read::PageOcr`]),
//! layout (`layout`: positioned words → lines → table rows → raw results) and
//! standardization (`standardize`: catalogue, LOINC, UCUM, ranges, flags, dates; `fhir`).
//! Deterministic and free of network or storage IO.
//!
//! Feature `reader` (default) adds reading and the [`Engine`]; without it the crate is its pure
//! part (model, layout, standardization, FHIR) and links neither pdfium nor `image`.

pub mod fhir;
pub mod layout;
pub mod model;
#[cfg(feature = "reader")]
pub mod read;
pub mod standardize;

#[cfg(feature = "reader")]
mod engine;

#[cfg(feature = "reader")]
pub use engine::{Engine, EngineConfig, EngineError};
pub use model::*;

/// The engine's version, recorded in every extraction.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
