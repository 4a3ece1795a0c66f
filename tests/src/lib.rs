//! Helpers shared by the end-to-end tests: the engine and a poller, and (from
//! `labrador-devkit`, which `labrador bench` shares) a recording webhook receiver, test PDFs
//! and a small HTTP client.

pub mod faults;

pub use labrador_devkit::{client, pdf, receiver, sample_pdf};

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The repository root (`tests/..`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("..")
}

/// The libpdfium of this machine, found as the edges find it (`labrador_ocr::settings`).
pub fn pdfium_lib() -> PathBuf {
    labrador_ocr::settings::pdfium_lib_from_vars(|name| std::env::var_os(name))
        .expect("libpdfium is installed (bash infra/setup.sh)")
}

/// The engine without OCR (text-layer PDFs need only libpdfium, installed by infra/setup.sh).
pub fn engine() -> Arc<labrador_engine::Engine> {
    Arc::new(
        labrador_engine::Engine::new(labrador_engine::EngineConfig::new(pdfium_lib()))
            .expect("libpdfium is installed (bash infra/setup.sh)"),
    )
}

/// Polls `f` until it yields `Some` or `timeout` passes.
pub async fn poll_until<T, F, Fut>(timeout: Duration, mut f: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f().await {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
