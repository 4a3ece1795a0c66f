//! Builds the engine from the environment: the PDF library and OCR models found under
//! `LABRADOR_ASSETS` (default `~/.cache/labrador/assets`, filled by `infra/setup.sh`) or the
//! explicit `LABRADOR_PDFIUM_LIB` / `LABRADOR_OCR_MODELS` paths.
