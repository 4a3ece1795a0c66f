//! One rendered or decoded page image → a page of positioned words, through the OCR port.
//!
//! Pages may arrive turned by 90, 180 or 270 degrees (scanner feed, phone held sideways). The
//! recognizer reads upright text well and anything else badly, so the page is read as given
//! and, when the words look vertical or their confidence is poor, read again turned; the reading
//! with the most confident text wins. Small skew is straightened by the OCR itself.

use crate::model::{Page, Rejection, RejectionReason, TextSource, Word};
use crate::read::PageOcr;

/// A word counts as confidently read at or above this recognizer score.
pub const CONFIDENT: f32 = 0.75;
/// Below this character-weighted mean confidence an upright reading is doubted (tried at 180°).
const DOUBTFUL_MEAN: f32 = 0.80;
/// Share of words taller than wide above which the page is taken as turned by 90/270.
const VERTICAL_SHARE: f32 = 0.5;
/// The quality gate: a readable page holds at least this many confidently read characters.
pub const MIN_CONFIDENT_CHARS: usize = 20;

/// Recognizes an RGB page image. `points_per_pixel` scales boxes back to the page's own units
/// (1.0 for images; 72/dpi for rendered PDF pages). When the page had to be turned, the page
/// size and boxes are those of the upright page.
pub fn recognize_page(
    ocr: &dyn PageOcr,
    rgb: &[u8],
    width: u32,
    height: u32,
    page_number: u32,
    points_per_pixel: f32,
) -> Result<Page, Rejection> {
    let expected = (width as usize)
        .checked_mul(height as usize)
        .and_then(|n| n.checked_mul(3));
    if width == 0 || height == 0 || expected != Some(rgb.len()) {
        return Err(Rejection::new(
            RejectionReason::Unreadable,
            format!("page {page_number}: empty or inconsistent page image"),
        ));
    }
    let read = |rgb: &[u8], w: u32, h: u32| {
        ocr.recognize(rgb, w, h).map_err(|e| {
            Rejection::new(
                RejectionReason::Unreadable,
                format!("page {page_number}: {e}"),
            )
        })
    };

    let mut best = Reading::new(read(rgb, width, height)?, width, height, 0);
    let mut alternatives = Vec::new();
    if best.vertical_share() > VERTICAL_SHARE {
        alternatives.extend([1, 3]);
    }
    for turns in alternatives {
        let (turned, w, h) = rotate_quarters(rgb, width, height, turns);
        let candidate = Reading::new(read(&turned, w, h)?, w, h, turns);
        if candidate.score() > best.score() {
            best = candidate;
        }
    }
    if best.mean_confidence() < DOUBTFUL_MEAN {
        let turns = (best.turns + 2) % 4;
        let (turned, w, h) = rotate_quarters(rgb, width, height, turns);
        let candidate = Reading::new(read(&turned, w, h)?, w, h, turns);
        if candidate.score() > best.score() {
            best = candidate;
        }
    }

    if best.confident_chars() < MIN_CONFIDENT_CHARS {
        return Err(Rejection::new(
            RejectionReason::LowImageQuality,
            format!("page {page_number}: too little text could be read with confidence"),
        ));
    }
    let scale = if points_per_pixel.is_finite() && points_per_pixel > 0.0 {
        points_per_pixel
    } else {
        1.0
    };
    let words = best
        .words
        .into_iter()
        .filter(|w| !w.text.trim().is_empty())
        .map(|mut w| {
            w.bbox = w.bbox.map(|v| v * scale);
            w.font_size *= scale;
            w
        })
        .collect();
    Ok(Page {
        number: page_number,
        width: best.width as f32 * scale,
        height: best.height as f32 * scale,
        source: TextSource::Ocr,
        words,
    })
}

/// The words read from the page turned by `turns` quarter turns clockwise.
struct Reading {
    words: Vec<Word>,
    width: u32,
    height: u32,
    turns: u32,
}

impl Reading {
    fn new(words: Vec<Word>, width: u32, height: u32, turns: u32) -> Reading {
        Reading {
            words,
            width,
            height,
            turns,
        }
    }

    fn chars(w: &Word) -> usize {
        w.text.chars().filter(|c| c.is_alphanumeric()).count()
    }

    fn confident_chars(&self) -> usize {
        self.words
            .iter()
            .filter(|w| w.confidence >= CONFIDENT)
            .map(Self::chars)
            .sum()
    }

    fn score(&self) -> f32 {
        self.words
            .iter()
            .filter(|w| w.confidence >= CONFIDENT)
            .map(|w| Self::chars(w) as f32 * w.confidence)
            .sum()
    }

    fn mean_confidence(&self) -> f32 {
        let (sum, n) = self.words.iter().fold((0.0f32, 0usize), |(s, n), w| {
            let c = Self::chars(w);
            (s + w.confidence * c as f32, n + c)
        });
        if n == 0 { 0.0 } else { sum / n as f32 }
    }

    fn vertical_share(&self) -> f32 {
        let long: Vec<&Word> = self.words.iter().filter(|w| Self::chars(w) >= 3).collect();
        if long.is_empty() {
            return 0.0;
        }
        let vertical = long
            .iter()
            .filter(|w| (w.bbox[3] - w.bbox[1]) > 1.5 * (w.bbox[2] - w.bbox[0]))
            .count();
        vertical as f32 / long.len() as f32
    }
}

/// Turns an RGB image by `turns` quarter turns clockwise; returns the buffer and its size.
pub fn rotate_quarters(rgb: &[u8], width: u32, height: u32, turns: u32) -> (Vec<u8>, u32, u32) {
    let (w, h) = (width as usize, height as usize);
    let turns = turns % 4;
    let (nw, nh) = if turns % 2 == 1 { (h, w) } else { (w, h) };
    if turns == 0 {
        return (rgb.to_vec(), width, height);
    }
    let mut out = vec![0u8; rgb.len()];
    for y in 0..h {
        for x in 0..w {
            let (nx, ny) = match turns {
                1 => (h - 1 - y, x),
                2 => (w - 1 - x, h - 1 - y),
                _ => (y, w - 1 - x),
            };
            let src = (y * w + x) * 3;
            let dst = (ny * nw + nx) * 3;
            out[dst..dst + 3].copy_from_slice(&rgb[src..src + 3]);
        }
    }
    (out, nw as u32, nh as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_turns_move_pixels_clockwise() {
        // 2x1 image: red, green.
        let rgb = [255, 0, 0, 0, 255, 0];
        let (cw, w, h) = rotate_quarters(&rgb, 2, 1, 1);
        assert_eq!((w, h), (1, 2));
        assert_eq!(cw, [255, 0, 0, 0, 255, 0]);
        let (half, _, _) = rotate_quarters(&rgb, 2, 1, 2);
        assert_eq!(half, [0, 255, 0, 255, 0, 0]);
        let (ccw, w, h) = rotate_quarters(&rgb, 2, 1, 3);
        assert_eq!((w, h), (1, 2));
        assert_eq!(ccw, [0, 255, 0, 255, 0, 0]);
        let (back, _, _) = rotate_quarters(&cw, 1, 2, 3);
        assert_eq!(back, rgb);
    }
}
