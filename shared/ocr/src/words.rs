//! A recognized text line → words with estimated positions.
//!
//! The recognizer returns whole lines ("Haemoglobin 12.5 g/dL 13.0-17.0"); the layout stage
//! wants words. Each word gets the slice of the line box its characters take, estimated from
//! typical relative glyph widths of proportional fonts.

use crate::skew::Line;
use labrador_engine::model::Word;

/// Relative advance width of a character (an average lowercase letter is 1.0).
fn char_width(c: char) -> f32 {
    match c {
        ' ' => 0.55,
        'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | '`' => 0.45,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '/' | '-' | '"' => 0.6,
        'm' | 'w' | 'M' | 'W' | '%' | '@' => 1.45,
        c if c.is_ascii_uppercase() => 1.2,
        c if c.is_ascii_digit() => 1.0,
        c if c.is_ascii() => 1.0,
        // CJK and other full-width glyphs.
        c if (c as u32) >= 0x2E80 => 1.9,
        _ => 1.0,
    }
}

pub fn split_line(line: &Line) -> Vec<Word> {
    let [x0, y0, x1, y1] = line.bbox;
    let total: f32 = line.text.chars().map(char_width).sum();
    if total <= 0.0 || x1 <= x0 {
        return Vec::new();
    }
    let scale = (x1 - x0) / total;
    let height = (y1 - y0).max(0.0);
    let mut words = Vec::new();
    let mut cursor = 0.0f32;
    let mut current = String::new();
    let mut start = 0.0f32;
    for c in line.text.chars() {
        let w = char_width(c);
        if c.is_whitespace() {
            if !current.is_empty() {
                words.push(word(
                    &mut current,
                    x0 + start * scale,
                    x0 + cursor * scale,
                    line,
                    height,
                ));
            }
            cursor += w;
            continue;
        }
        if current.is_empty() {
            start = cursor;
        }
        current.push(c);
        cursor += w;
    }
    if !current.is_empty() {
        words.push(word(&mut current, x0 + start * scale, x1, line, height));
    }
    words
}

fn word(text: &mut String, x0: f32, x1: f32, line: &Line, height: f32) -> Word {
    Word {
        text: std::mem::take(text),
        bbox: [x0, line.bbox[1], x1.max(x0), line.bbox[3]],
        font_size: height,
        bold: false,
        confidence: line.confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Line {
        Line {
            text: text.into(),
            bbox: [100.0, 10.0, 500.0, 30.0],
            confidence: 0.9,
        }
    }

    #[test]
    fn words_split_on_spaces_in_order_and_inside_the_line() {
        let words = split_line(&line("Haemoglobin 12.5 g/dL 13.0-17.0"));
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["Haemoglobin", "12.5", "g/dL", "13.0-17.0"]);
        for pair in words.windows(2) {
            assert!(pair[0].bbox[2] < pair[1].bbox[0], "{pair:?}");
        }
        assert_eq!(words[0].bbox[0], 100.0);
        assert_eq!(words[3].bbox[2], 500.0);
        assert!(words.iter().all(|w| w.bbox[1] == 10.0 && w.bbox[3] == 30.0));
        assert!(
            words
                .iter()
                .all(|w| w.confidence == 0.9 && w.font_size == 20.0)
        );
    }

    #[test]
    fn blank_or_degenerate_lines_give_no_words() {
        assert!(split_line(&line("   ")).is_empty());
        let mut flat = line("abc");
        flat.bbox = [5.0, 5.0, 5.0, 9.0];
        assert!(split_line(&flat).is_empty());
    }
}
