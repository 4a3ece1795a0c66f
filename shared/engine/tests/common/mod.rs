//! Synthetic words for the layout tests (no PDF library).

#![allow(dead_code)]

use labrador_engine::{Page, RawResult, TextSource, Word};

/// Words of a line: each (x, text); words inside a text are spaced like a 10 pt font.
pub fn line(y: f32, cells: &[(f32, &str)]) -> Vec<Word> {
    let mut out = Vec::new();
    for (x, text) in cells {
        let mut cx = *x;
        for w in text.split_whitespace() {
            let width = 5.0 * w.chars().count() as f32;
            out.push(Word {
                text: w.to_string(),
                bbox: [cx, y, cx + width, y + 10.0],
                font_size: 10.0,
                bold: false,
                confidence: 1.0,
            });
            cx += width + 3.0;
        }
    }
    out
}

/// A US-letter text-layer page of these lines.
pub fn page(lines: Vec<Vec<Word>>) -> Page {
    Page {
        number: 1,
        width: 612.0,
        height: 792.0,
        source: TextSource::TextLayer,
        words: lines.into_iter().flatten().collect(),
    }
}

/// The row named `name`; the test fails listing the names found otherwise.
pub fn find<'a>(rows: &'a [RawResult], name: &str) -> &'a RawResult {
    rows.iter().find(|r| r.name == name).unwrap_or_else(|| {
        panic!(
            "no row {name:?} in {:?}",
            rows.iter().map(|r| &r.name).collect::<Vec<_>>()
        )
    })
}
