//! The libpdfium of this machine for the engine's own tests and examples, which cannot use the
//! edges' loader (`labrador_ocr::settings`, a crate that depends on this one): the same places,
//! `LABRADOR_PDFIUM_LIB`, else `$LABRADOR_ASSETS/lib/libpdfium.so`, else
//! `~/.cache/labrador/assets/lib/libpdfium.so`.

use std::path::PathBuf;

pub fn pdfium_lib() -> PathBuf {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(path) = var("LABRADOR_PDFIUM_LIB") {
        return PathBuf::from(path);
    }
    let assets = var("LABRADOR_ASSETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(var("HOME").unwrap_or_default()).join(".cache/labrador/assets")
        });
    assets.join("lib/libpdfium.so")
}
