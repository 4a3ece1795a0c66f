//! Positioned words → text lines (vertical-overlap clustering) → cells (runs split at wide gaps).

use crate::model::{BBox, Page, TextSource, Word};

#[derive(Debug, Clone)]
pub struct Line {
    pub page: u32,
    pub words: Vec<Word>,
    pub bbox: BBox,
    pub font_size: f32,
}

impl Line {
    pub fn text(&self) -> String {
        join(&self.words)
    }

    pub fn height(&self) -> f32 {
        (self.bbox[3] - self.bbox[1]).max(1.0)
    }
}

/// A run of words on one line with no wide gap inside.
#[derive(Debug, Clone)]
pub struct Cell {
    pub words: Vec<Word>,
    pub x0: f32,
    pub x1: f32,
}

impl Cell {
    pub fn text(&self) -> String {
        join(&self.words)
    }

    pub fn center(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
}

pub fn join(words: &[Word]) -> String {
    let mut s = String::new();
    for w in words {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&w.text);
    }
    s
}

pub fn union(a: BBox, b: BBox) -> BBox {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// OCR returns whole text lines as one "word"; split them into words, giving each a share of
/// the box proportional to its characters, so that the layout sees the same thing as for PDFs.
pub fn split_phrases(words: &[Word]) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let parts: Vec<&str> = w.text.split_whitespace().collect();
        if parts.len() <= 1 {
            if !w.text.trim().is_empty() {
                let mut w = w.clone();
                w.text = w.text.trim().to_string();
                out.push(w);
            }
            continue;
        }
        let total_chars = w.text.chars().count().max(1) as f32;
        let width = w.bbox[2] - w.bbox[0];
        let per_char = width / total_chars;
        let mut offset = 0usize;
        let text = w.text.as_str();
        for part in parts {
            let start_byte = text[offset..]
                .find(part)
                .map(|p| p + offset)
                .unwrap_or(offset);
            let start_chars = text[..start_byte].chars().count() as f32;
            let n = part.chars().count() as f32;
            out.push(Word {
                text: part.to_string(),
                bbox: [
                    w.bbox[0] + start_chars * per_char,
                    w.bbox[1],
                    w.bbox[0] + (start_chars + n) * per_char,
                    w.bbox[3],
                ],
                font_size: w.font_size,
                bold: w.bold,
                confidence: w.confidence,
            });
            offset = start_byte + part.len();
        }
    }
    out
}

/// Groups a page's words into lines, top to bottom, each sorted left to right.
pub fn build_lines(page: &Page) -> Vec<Line> {
    let words: Vec<Word> = match page.source {
        TextSource::Ocr => split_phrases(&page.words),
        TextSource::TextLayer => page.words.clone(),
    };
    let mut words: Vec<Word> = words
        .into_iter()
        .filter(|w| w.bbox.iter().all(|v| v.is_finite()) && w.bbox[3] > w.bbox[1])
        .collect();
    drop_watermarks(&mut words, page.height);
    words.sort_by(|a, b| {
        let ca = (a.bbox[1] + a.bbox[3]) / 2.0;
        let cb = (b.bbox[1] + b.bbox[3]) / 2.0;
        ca.total_cmp(&cb)
    });
    let mut lines: Vec<Line> = Vec::new();
    for w in words {
        let h = w.bbox[3] - w.bbox[1];
        let center = (w.bbox[1] + w.bbox[3]) / 2.0;
        // Only the last few lines can take this word: words come sorted by their centre.
        let mut best: Option<(usize, f32)> = None;
        let start = lines.len().saturating_sub(4);
        for (i, line) in lines.iter().enumerate().skip(start) {
            let lh = line.bbox[3] - line.bbox[1];
            let overlap = w.bbox[3].min(line.bbox[3]) - w.bbox[1].max(line.bbox[1]);
            let line_center = line_center(line);
            let ratio = overlap / h.min(lh).max(0.1);
            let close = (center - line_center).abs() < 0.45 * h.min(lh).max(1.0);
            if ratio >= 0.5 || close {
                // A word cannot overlap another word of the line horizontally.
                let collides = line.words.iter().any(|o| {
                    let overlap = w.bbox[2].min(o.bbox[2]) - w.bbox[0].max(o.bbox[0]);
                    let narrower = (w.bbox[2] - w.bbox[0]).min(o.bbox[2] - o.bbox[0]);
                    overlap > 0.5 * narrower.max(0.5)
                });
                if collides {
                    continue;
                }
                let score = ratio;
                if best.is_none_or(|(_, s)| score > s) {
                    best = Some((i, score));
                }
            }
        }
        match best {
            Some((i, _)) => {
                let line = &mut lines[i];
                line.bbox = union(line.bbox, w.bbox);
                line.words.push(w);
            }
            None => lines.push(Line {
                page: page.number,
                bbox: w.bbox,
                font_size: w.font_size,
                words: vec![w],
            }),
        }
    }
    for line in &mut lines {
        line.words.sort_by(|a, b| a.bbox[0].total_cmp(&b.bbox[0]));
        line.font_size = median(line.words.iter().map(|w| w.font_size).collect());
    }
    lines.sort_by(|a, b| line_center(a).total_cmp(&line_center(b)));
    lines
}

/// Text in a much larger font than the body, below the letterhead, is a watermark.
fn drop_watermarks(words: &mut Vec<Word>, page_height: f32) {
    let body = median(words.iter().map(|w| w.font_size).collect());
    if body <= 0.0 {
        return;
    }
    words.retain(|w| !(w.font_size > body * 2.6 && w.bbox[1] > page_height * 0.2));
}

fn line_center(line: &Line) -> f32 {
    // The median word centre resists tall glyphs and slight skew.
    median(
        line.words
            .iter()
            .map(|w| (w.bbox[1] + w.bbox[3]) / 2.0)
            .collect(),
    )
}

pub fn median(mut v: Vec<f32>) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Splits a line into cells at gaps wider than about one character height.
pub fn cells(line: &Line) -> Vec<Cell> {
    let mut out: Vec<Cell> = Vec::new();
    for w in &line.words {
        let threshold = 0.9 * w.font_size.max(line.font_size * 0.8).max(4.0);
        match out.last_mut() {
            Some(c) if w.bbox[0] - c.x1 < threshold => {
                c.x1 = c.x1.max(w.bbox[2]);
                c.words.push(w.clone());
            }
            _ => out.push(Cell {
                words: vec![w.clone()],
                x0: w.bbox[0],
                x1: w.bbox[2],
            }),
        }
    }
    out
}
