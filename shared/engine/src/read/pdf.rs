//! PDF text layer with positions (pdfium), and page rendering for OCR of scanned pages.
//!
//! Pdfium is bound once per process to the `libpdfium.so` the caller names. Every document is
//! read under one process-wide lock: pdfium keeps global state and is not re-entrant.

use crate::layout::tokens::{is_leader_char, leader_free_parts};
use crate::model::{Page, Rejection, RejectionReason, TextSource, Word};
use crate::read::{PageOcr, ReadLimits};
use pdfium_render::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Rendering resolution for OCR of pages without usable text.
const RENDER_DPI: f32 = 200.0;
/// Cap on rendered pixels per page (about A4 at 200 dpi, with margin).
const MAX_RENDER_PIXELS: f32 = 12_000_000.0;
/// A rendered page with fewer dark pixels than this share is blank (a scanner's empty sheet,
/// a separator page): skipped without OCR. One line of small print is about 0.5 %.
const BLANK_INK_SHARE: f32 = 0.0005;

#[derive(Debug, thiserror::Error)]
pub enum PdfLibraryError {
    #[error("libpdfium not found at {}", path.display())]
    LibraryNotFound { path: PathBuf },
    #[error("cannot bind libpdfium at {}", path.display())]
    Bind {
        path: PathBuf,
        #[source]
        source: PdfiumError,
    },
}

/// The process's binding; set by the first successful [`bind`].
static PDFIUM: OnceLock<Pdfium> = OnceLock::new();
/// Serializes binding attempts.
static BINDING: Mutex<()> = Mutex::new(());
static DOCUMENT_LOCK: Mutex<()> = Mutex::new(());

/// Binds the libpdfium at `path`, once per process: after a successful call, later calls return
/// that binding whatever their path. A failed call binds nothing, so a later one may succeed.
pub fn bind(path: &Path) -> Result<&'static Pdfium, PdfLibraryError> {
    let _guard = BINDING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(pdfium) = PDFIUM.get() {
        return Ok(pdfium);
    }
    if !path.is_file() {
        return Err(PdfLibraryError::LibraryNotFound {
            path: path.to_path_buf(),
        });
    }
    let bindings = Pdfium::bind_to_library(path).map_err(|source| PdfLibraryError::Bind {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(PDFIUM.get_or_init(|| Pdfium::new(bindings)))
}

/// Reads every page of a PDF into positioned words. Pages without a usable text layer are
/// rendered and recognized through `ocr`; without OCR such pages make the file unreadable
/// (when no page has text) or are skipped.
pub fn read_pdf(
    pdfium: &Pdfium,
    bytes: &[u8],
    ocr: Option<&dyn PageOcr>,
    limits: &ReadLimits,
) -> Result<Vec<Page>, Rejection> {
    let _guard = DOCUMENT_LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let document = pdfium
        .load_pdf_from_byte_slice(bytes, None)
        .map_err(load_rejection)?;
    let count = document.pages().len();
    if count == 0 {
        return Err(Rejection::new(
            RejectionReason::Empty,
            "the PDF has no pages",
        ));
    }
    if count as u32 > limits.max_pages {
        return Err(Rejection::new(
            RejectionReason::TooLarge,
            format!("the PDF has {count} pages (limit {})", limits.max_pages),
        ));
    }
    let mut pages = Vec::with_capacity(count as usize);
    let mut needs_ocr = 0usize;
    let mut recognized = 0u32;
    let started = std::time::Instant::now();
    for index in 0..count {
        let number = index as u32 + 1;
        let page = match document.pages().get(index) {
            Ok(p) => p,
            Err(_) => continue,
        };
        let width = page.width().value;
        let height = page.height().value;
        let words = page_words(&page, height);
        if has_usable_text(&words) {
            pages.push(Page {
                number,
                width,
                height,
                source: TextSource::TextLayer,
                words,
            });
            continue;
        }
        needs_ocr += 1;
        let Some(ocr) = ocr else { continue };
        if started.elapsed() > limits.ocr_budget {
            return Err(Rejection::new(
                RejectionReason::TooLarge,
                format!(
                    "the OCR of the PDF's pages took longer than {} s (stopped at page {number})",
                    limits.ocr_budget.as_secs()
                ),
            ));
        }
        let Some(image) = render_page(&page) else {
            continue;
        };
        if image.is_blank() {
            continue;
        }
        recognized += 1;
        if recognized > limits.max_ocr_pages {
            return Err(Rejection::new(
                RejectionReason::TooLarge,
                format!(
                    "more than {} pages of the PDF need OCR",
                    limits.max_ocr_pages
                ),
            ));
        }
        if let Some(p) = image.recognize(ocr, number) {
            pages.push(p);
        }
    }
    if pages.is_empty() {
        return Err(if needs_ocr > 0 && ocr.is_none() {
            Rejection::new(
                RejectionReason::Unreadable,
                "the PDF has no text layer and OCR is not configured",
            )
        } else if needs_ocr > 0 {
            Rejection::new(RejectionReason::Unreadable, "no text could be recognized")
        } else {
            Rejection::new(RejectionReason::Unreadable, "no page could be read")
        });
    }
    Ok(pages)
}

fn load_rejection(e: PdfiumError) -> Rejection {
    match e {
        PdfiumError::PdfiumLibraryInternalError(
            PdfiumInternalError::PasswordError | PdfiumInternalError::SecurityError,
        ) => Rejection::new(RejectionReason::Encrypted, "the PDF is password-protected"),
        _ => Rejection::new(RejectionReason::Unreadable, "the PDF cannot be parsed"),
    }
}

/// A page's text layer has usable text when it holds enough letters and digits. Leaders and
/// rules (`Sodium ........ 143`, `______`) count neither way: a dense page of dot leaders is
/// a good text layer, not one to send to OCR.
fn has_usable_text(words: &[Word]) -> bool {
    let mut good = 0usize;
    let mut total = 0usize;
    for w in words {
        if w.text.chars().all(is_leader_char) {
            continue;
        }
        for (a, b) in leader_free_parts(&w.text) {
            for c in w.text[a..b].chars() {
                total += 1;
                if c.is_alphanumeric() && (c.is_ascii() || c.is_alphabetic()) {
                    good += 1;
                }
            }
        }
    }
    good >= 20 && good * 2 >= total
}

struct Glyph {
    c: char,
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    size: f32,
    bold: bool,
}

/// Characters in content order → words, breaking at spaces, gaps and line changes.
fn page_words(page: &PdfPage, page_height: f32) -> Vec<Word> {
    let Ok(text) = page.text() else {
        return Vec::new();
    };
    let mut words = Vec::new();
    let mut current: Vec<Glyph> = Vec::new();
    for ch in text.chars().iter() {
        let Some(c) = ch.unicode_char() else { continue };
        if c.is_whitespace() || c == '\u{0}' || c.is_control() {
            flush(&mut current, &mut words);
            continue;
        }
        if let Ok(angle) = ch.angle_degrees() {
            // Rotated text is decoration (watermarks, margin notes), never table content.
            let a = angle.rem_euclid(360.0);
            if a > 3.0 && a < 357.0 {
                flush(&mut current, &mut words);
                continue;
            }
        }
        if is_faint(&ch) {
            flush(&mut current, &mut words);
            continue;
        }
        let Ok(b) = ch.loose_bounds().or_else(|_| ch.tight_bounds()) else {
            continue;
        };
        let size = ch.scaled_font_size().value.max(1.0);
        let g = Glyph {
            c,
            x0: b.left().value,
            x1: b.right().value,
            y0: page_height - b.top().value,
            y1: page_height - b.bottom().value,
            size,
            bold: is_bold(&ch),
        };
        if let Some(prev) = current.last() {
            let gap = g.x0 - prev.x1;
            let mid_prev = (prev.y0 + prev.y1) / 2.0;
            let mid = (g.y0 + g.y1) / 2.0;
            let same_line = (mid - mid_prev).abs() < 0.5 * prev.size.max(g.size);
            // Ligatures ("ti", "fi") give overlapping glyph boxes: not a break.
            let backwards = g.x0 < prev.x0 - 0.5 * prev.size;
            if !same_line || gap > 0.25 * prev.size.max(g.size) || backwards {
                flush(&mut current, &mut words);
            }
        }
        current.push(g);
    }
    flush(&mut current, &mut words);
    words
}

fn flush(glyphs: &mut Vec<Glyph>, words: &mut Vec<Word>) {
    if glyphs.is_empty() {
        return;
    }
    let text: String = glyphs.iter().map(|g| g.c).collect();
    let mut bbox = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for g in glyphs.iter() {
        bbox[0] = bbox[0].min(g.x0);
        bbox[1] = bbox[1].min(g.y0);
        bbox[2] = bbox[2].max(g.x1);
        bbox[3] = bbox[3].max(g.y1);
    }
    let size = glyphs.iter().map(|g| g.size).fold(0.0, f32::max);
    let bold = glyphs.iter().filter(|g| g.bold).count() * 2 > glyphs.len();
    if bbox.iter().all(|v| v.is_finite()) {
        words.push(Word {
            text,
            bbox,
            font_size: size,
            bold,
            confidence: 1.0,
        });
    }
    glyphs.clear();
}

fn is_bold(ch: &PdfPageTextChar) -> bool {
    let weight_bold = match ch.font_weight() {
        Some(PdfFontWeight::Weight600)
        | Some(PdfFontWeight::Weight700Bold)
        | Some(PdfFontWeight::Weight800)
        | Some(PdfFontWeight::Weight900) => true,
        Some(PdfFontWeight::Custom(w)) => w >= 600,
        _ => false,
    };
    if weight_bold || ch.font_is_bold_reenforced() {
        return true;
    }
    let name = ch.font_name().to_ascii_lowercase();
    name.contains("bold") || name.contains("black") || name.contains("heavy")
}

/// Very light or transparent text: watermarks.
fn is_faint(ch: &PdfPageTextChar) -> bool {
    match ch.fill_color() {
        Ok(c) => {
            // Only transparency: white text on dark bands is often a section heading.
            c.alpha() < 90
        }
        Err(_) => false,
    }
}

/// Renders a page and recognizes it; boxes come back in PDF points.
/// A page rendered for OCR: RGB pixels and the page's points per pixel.
struct RenderedPage {
    rgb: Vec<u8>,
    width: u32,
    height: u32,
    points_per_pixel: f32,
}

impl RenderedPage {
    /// Almost no dark pixels: nothing to read (checked on a sample grid, so it costs little).
    fn is_blank(&self) -> bool {
        let pixels = (self.width as usize) * (self.height as usize);
        let step = 3usize;
        let mut seen = 0usize;
        let mut dark = 0usize;
        for px in self.rgb.chunks_exact(3).step_by(step) {
            seen += 1;
            let luma = (px[0] as u32 * 299 + px[1] as u32 * 587 + px[2] as u32 * 114) / 1000;
            if luma < 128 {
                dark += 1;
            }
        }
        pixels == 0 || (dark as f32) < BLANK_INK_SHARE * seen as f32
    }

    fn recognize(&self, ocr: &dyn PageOcr, number: u32) -> Option<Page> {
        crate::read::ocr_page::recognize_page(
            ocr,
            &self.rgb,
            self.width,
            self.height,
            number,
            self.points_per_pixel,
        )
        .ok()
    }
}

fn render_page(page: &PdfPage) -> Option<RenderedPage> {
    let (w_pt, h_pt) = (page.width().value, page.height().value);
    if !(w_pt > 0.0 && h_pt > 0.0) {
        return None;
    }
    let mut scale = RENDER_DPI / 72.0;
    let pixels = w_pt * scale * h_pt * scale;
    if pixels > MAX_RENDER_PIXELS {
        scale *= (MAX_RENDER_PIXELS / pixels).sqrt();
    }
    let width = (w_pt * scale).round().max(1.0) as i32;
    let height = (h_pt * scale).round().max(1.0) as i32;
    let config = PdfRenderConfig::new()
        .set_target_width(width)
        .set_maximum_height(height)
        .render_form_data(true);
    let bitmap = page.render_with_config(&config).ok()?;
    let (bw, bh) = (bitmap.width() as u32, bitmap.height() as u32);
    let rgba = bitmap.as_rgba_bytes();
    if rgba.len() < (bw as usize) * (bh as usize) * 4 {
        return None;
    }
    let mut rgb = Vec::with_capacity((bw as usize) * (bh as usize) * 3);
    for px in rgba.chunks_exact(4) {
        rgb.extend_from_slice(&px[..3]);
    }
    Some(RenderedPage {
        rgb,
        width: bw,
        height: bh,
        points_per_pixel: w_pt / bw.max(1) as f32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(texts: &[&str]) -> Vec<Word> {
        texts
            .iter()
            .map(|t| Word {
                text: t.to_string(),
                bbox: [0.0, 0.0, 10.0, 8.0],
                font_size: 8.0,
                bold: false,
                confidence: 1.0,
            })
            .collect()
    }

    #[test]
    fn a_page_of_dot_leaders_keeps_its_text_layer() {
        let mut texts = Vec::new();
        for _ in 0..40 {
            texts.extend([
                "Sodium..............................",
                "143",
                "mmol/L",
                "135-145",
                ".",
                ".",
                ".",
                "________________",
            ]);
        }
        assert!(has_usable_text(&words(&texts)));
    }

    #[test]
    fn garbage_text_layers_still_go_to_ocr() {
        let texts = ["\u{fffd}\u{fffd}\u{fffd}\u{fffd}a"; 50];
        assert!(!has_usable_text(&words(&texts)));
        assert!(!has_usable_text(&words(&["ab", "cd"])));
    }
}
