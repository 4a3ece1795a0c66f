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
