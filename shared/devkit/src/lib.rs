//! Development tools shared by `labrador bench` and the tests (never by a Lambda): a small
//! client of the API over HTTP, a webhook receiver that records what it is sent, synthetic
//! text-layer lab-report PDFs, and a `moto_server` launcher for the AWS adapters.

pub mod client;
pub mod moto;
pub mod pdf;
pub mod receiver;

pub use moto::MotoServer;

use std::path::PathBuf;

/// A sample report: the corpus demo report (`../shared/corpus/dev/files/synth_minimal_demo.pdf`
/// beside the repository) when present, else a generated text-layer PDF.
pub fn sample_pdf() -> Vec<u8> {
    let repo_root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = repo_root.join("../shared/corpus/dev/files/synth_minimal_demo.pdf");
    std::fs::read(corpus).unwrap_or_else(|_| pdf::lab_report_pdf(&pdf::default_rows()))
}
