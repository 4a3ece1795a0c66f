//! OCR of page images with PaddleOCR ONNX models in pure Rust, behind the engine's PageOcr port.
