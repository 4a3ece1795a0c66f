//! Positioned words → text lines (vertical-overlap clustering) → cells (runs split at wide gaps).

use super::tokens::{is_leader, is_leader_char, is_number, leader_free_parts, leader_weight};
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
    let words: Vec<Word> = words
        .into_iter()
        .filter(|w| w.bbox.iter().all(|v| v.is_finite()) && w.bbox[3] > w.bbox[1])
        .collect();
    let mut words = cut_leaders(words);
    drop_watermarks(&mut words, page.height);
    words.sort_by(|a, b| {
        let ca = (a.bbox[1] + a.bbox[3]) / 2.0;
        let cb = (b.bbox[1] + b.bbox[3]) / 2.0;
        ca.total_cmp(&cb)
    });
    let mut lines: Vec<Line> = Vec::new();
    // Each line's word centres, kept sorted: its median centre in constant time, so that
    // placing a word costs one pass over the words of the few lines it may join.
    let mut centres: Vec<Vec<f32>> = Vec::new();
    for w in words {
        let h = w.bbox[3] - w.bbox[1];
        let center = (w.bbox[1] + w.bbox[3]) / 2.0;
        // Only the last few lines can take this word: words come sorted by their centre.
        let mut best: Option<(usize, f32)> = None;
        let start = lines.len().saturating_sub(4);
        for (i, line) in lines.iter().enumerate().skip(start) {
            let lh = line.bbox[3] - line.bbox[1];
            let overlap = w.bbox[3].min(line.bbox[3]) - w.bbox[1].max(line.bbox[1]);
            let line_center = centres[i][centres[i].len() / 2];
            let ratio = overlap / h.min(lh).max(0.1);
            let close = (center - line_center).abs() < 0.45 * h.min(lh).max(1.0);
            if ratio >= 0.5 || close {
                // A word cannot overlap another word of the line horizontally.
                let collides = line.words.iter().any(|o| {
                    let overlap = w.bbox[2].min(o.bbox[2]) - w.bbox[0].max(o.bbox[0]);
                    overlap > 0.0 && {
                        let narrower = (w.bbox[2] - w.bbox[0]).min(o.bbox[2] - o.bbox[0]);
                        overlap > 0.5 * narrower.max(0.5)
                    }
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
                let c = &mut centres[i];
                let at = c.partition_point(|v| *v <= center);
                c.insert(at, center);
            }
            None => {
                centres.push(vec![center]);
                lines.push(Line {
                    page: page.number,
                    bbox: w.bbox,
                    font_size: w.font_size,
                    words: vec![w],
                })
            }
        }
    }
    for line in &mut lines {
        line.words.sort_by(|a, b| a.bbox[0].total_cmp(&b.bbox[0]));
        drop_leader_runs(&mut line.words);
        line.font_size = median(line.words.iter().map(|w| w.font_size).collect());
    }
    lines.sort_by(|a, b| line_center(a).total_cmp(&line_center(b)));
    lines
}

/// Leaders drawn as characters (`Sodium ........ 143`, `Sodium.......`, `____`) are gaps, not
/// words: whole-leader words go, and leader runs glued to a word are cut off it, the word
/// keeping the share of its box its remaining characters take.
pub fn cut_leaders(words: Vec<Word>) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        if !w.text.chars().any(is_leader_char) {
            out.push(w);
            continue;
        }
        if is_leader(&w.text) {
            // A short one ("...", "…") may join two numbers: decided on its line.
            if w.text.chars().map(leader_weight).sum::<usize>() <= 3 {
                out.push(w);
            }
            continue;
        }
        let parts = leader_free_parts(&w.text);
        if parts.len() == 1 && parts[0] == (0, w.text.len()) {
            out.push(w);
            continue;
        }
        let total = w.text.chars().count().max(1) as f32;
        let per_char = (w.bbox[2] - w.bbox[0]) / total;
        for (a, b) in parts {
            let text = w.text[a..b].trim();
            if text.is_empty() {
                continue;
            }
            let c0 = w.text[..a].chars().count() as f32;
            let c1 = w.text[..b].chars().count() as f32;
            out.push(Word {
                text: text.to_string(),
                bbox: [
                    w.bbox[0] + c0 * per_char,
                    w.bbox[1],
                    w.bbox[0] + c1 * per_char,
                    w.bbox[3],
                ],
                ..w.clone()
            });
        }
    }
    out
}

/// Leaders printed as spaced characters (`. . . . .`, `- - - -`): a run of leader-only words
/// close together, three characters or more, is a gap. One short word between two numbers
/// stays (`3 ... 5`, `3 … 5`: a range).
pub fn drop_leader_runs(words: &mut Vec<Word>) {
    let leaderish = |w: &Word| !w.text.is_empty() && w.text.chars().all(is_leader_char);
    if !words.iter().any(leaderish) {
        return;
    }
    let mut keep = vec![true; words.len()];
    let mut i = 0;
    while i < words.len() {
        if !leaderish(&words[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut weight = words[i].text.chars().map(leader_weight).sum::<usize>();
        i += 1;
        while i < words.len() && leaderish(&words[i]) {
            let gap = words[i].bbox[0] - words[i - 1].bbox[2];
            let size = words[i].font_size.max(words[i - 1].font_size).max(1.0);
            if gap > 1.5 * size {
                break;
            }
            weight += words[i].text.chars().map(leader_weight).sum::<usize>();
            i += 1;
        }
        if weight < 3 {
            continue;
        }
        let numeric = |w: Option<&Word>| w.is_some_and(|w| is_number(&w.text));
        let connective = i - start == 1
            && weight <= 3
            && numeric(start.checked_sub(1).and_then(|k| words.get(k)))
            && numeric(words.get(i));
        if !connective {
            keep[start..i].iter_mut().for_each(|k| *k = false);
        }
    }
    let mut k = 0;
    words.retain(|_| {
        k += 1;
        keep[k - 1]
    });
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Words of monospaced text (`cw` points a character) at `y`, split at spaces.
    fn mono(text: &str, x: f32, y: f32, cw: f32) -> Vec<Word> {
        let mut out = Vec::new();
        let mut col = 0usize;
        for part in text.split(' ') {
            let n = part.chars().count();
            if n > 0 {
                out.push(Word {
                    text: part.to_string(),
                    bbox: [x + col as f32 * cw, y, x + (col + n) as f32 * cw, y + 8.0],
                    font_size: 8.0,
                    bold: false,
                    confidence: 1.0,
                });
            }
            col += n + 1;
        }
        out
    }

    fn page(words: Vec<Word>) -> Page {
        Page {
            number: 1,
            width: 595.0,
            height: 842.0,
            source: TextSource::TextLayer,
            words,
        }
    }

    fn cell_texts(line: &Line) -> Vec<String> {
        cells(line).iter().map(|c| c.text()).collect()
    }

    #[test]
    fn dot_leaders_become_gaps_between_cells() {
        let rows = [
            "Sodium ........ 143 mmol/L 135-145",
            "Sodium.......... 143 mmol/L 135-145",
            "Sodium . . . . . 143 mmol/L 135-145",
            "Sodium ________ 143 mmol/L 135-145",
            "Sodium -------- 143 mmol/L 135-145",
            "Sodium …………… 143 mmol/L 135-145",
            "Sodium.........143 mmol/L 135-145",
        ];
        for (k, row) in rows.iter().enumerate() {
            let lines = build_lines(&page(mono(row, 40.0, 100.0 + 12.0 * k as f32, 4.8)));
            assert_eq!(lines.len(), 1, "{row}");
            let cells = cell_texts(&lines[0]);
            assert_eq!(cells[0], "Sodium", "{row}: {cells:?}");
            assert!(cells[1].starts_with("143"), "{row}: {cells:?}");
            assert!(!lines[0].text().contains(".."), "{row}");
        }
    }

    #[test]
    fn short_connectives_and_single_marks_stay() {
        for row in [
            "Sodium 3 ... 5",
            "Sodium 3 … 5",
            "Sodium 143 - 5",
            "Sodium 3...5",
        ] {
            let lines = build_lines(&page(mono(row, 40.0, 100.0, 4.8)));
            assert_eq!(lines[0].text(), row);
        }
        // "- -" far apart: two "not done" cells, not a leader
        let mut words = mono("Hb --", 40.0, 100.0, 4.8);
        words.extend(mono("--", 200.0, 100.0, 4.8));
        let lines = build_lines(&page(words));
        assert_eq!(lines[0].text(), "Hb -- --");
    }

    #[test]
    fn glued_leaders_keep_a_proportional_box() {
        let words = cut_leaders(mono("Sodium......143", 0.0, 0.0, 5.0));
        assert_eq!(words.len(), 2);
        assert_eq!(words[0].text, "Sodium");
        assert_eq!(words[0].bbox[2], 30.0);
        assert_eq!(words[1].text, "143");
        assert_eq!(words[1].bbox[0], 60.0);
    }

    #[test]
    fn many_rows_of_many_words_make_one_line_each() {
        let mut words = Vec::new();
        for r in 0..200 {
            let row = format!("Analyte{r} {} 12.5 mg/dL 10-20", ". ".repeat(40));
            words.extend(mono(&row, 20.0, 20.0 + 10.0 * r as f32, 4.0));
        }
        let lines = build_lines(&page(words));
        assert_eq!(lines.len(), 200);
        assert!(lines.iter().all(|l| l.words.len() == 4));
    }
}
