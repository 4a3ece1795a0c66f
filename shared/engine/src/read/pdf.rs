//! PDF text layer with positions, and page rendering for OCR.
