//! Tables printed side by side: a gutter that names start right of, on many lines, splits
//! those lines into a left and a right block, read one after the other (with or without a
//! header line above them).

use super::lines::{Line, cells, median, union};
use super::tokens::{is_flag, is_number, is_qualitative_start, is_unit_like};

/// The lines in reading order: each side-by-side region left block first, then right block.
/// The flag marks the first line of a right block, a table of its own.
pub fn reading_order(lines: &[Line]) -> Vec<(Line, bool)> {
    let mut out = Vec::with_capacity(lines.len());
    let mut start = 0;
    while start < lines.len() {
        let page = lines[start].page;
        let end = (start..lines.len())
            .find(|&i| lines[i].page != page)
            .unwrap_or(lines.len());
        read_page(&lines[start..end], &mut out);
        start = end;
    }
    out
}

fn read_page(lines: &[Line], out: &mut Vec<(Line, bool)>) {
    let whole = |l: &Line| (l.clone(), false);
    let Some(gutter) = find_gutter(lines) else {
        out.extend(lines.iter().map(whole));
        return;
    };
    let mut i = 0;
    while i < lines.len() {
        if crosses(&lines[i], gutter) {
            out.push(whole(&lines[i]));
            i += 1;
            continue;
        }
        let end = (i..lines.len())
            .find(|&k| crosses(&lines[k], gutter))
            .unwrap_or(lines.len());
        let region = &lines[i..end];
        let both = region
            .iter()
            .filter(|l| part(l, f32::MIN, gutter).is_some() && part(l, gutter, f32::MAX).is_some())
            .count();
        if both >= 3 {
            out.extend(
                region
                    .iter()
                    .filter_map(|l| part(l, f32::MIN, gutter))
                    .map(|l| (l, false)),
            );
            let right: Vec<Line> = region
                .iter()
                .filter_map(|l| part(l, gutter, f32::MAX))
                .collect();
            out.extend(right.into_iter().enumerate().map(|(k, l)| (l, k == 0)));
        } else {
            out.extend(region.iter().map(whole));
        }
        i = end;
    }
}

/// A word across the gutter: the line is printed full width (a note, a page heading).
fn crosses(line: &Line, gutter: f32) -> bool {
    line.words
        .iter()
        .any(|w| w.bbox[0] < gutter - 1.0 && w.bbox[2] > gutter + 1.0)
}

/// The left edge of a right-hand table: where, on at least three lines, a name starts after
/// a cell ending a result (a number, unit or range) and is followed by a number.
fn find_gutter(lines: &[Line]) -> Option<f32> {
    let mut starts: Vec<f32> = Vec::new();
    for line in lines {
        let cs = cells(line);
        for k in 1..cs.len() {
            let prev = cs[k - 1].text();
            let last = prev.split_whitespace().last().unwrap_or("");
            let ends_result = last.chars().any(|c| c.is_ascii_digit())
                || is_unit_like(last)
                || matches!(last, "H" | "L" | "High" | "Low" | "↑" | "↓" | "*");
            let text = cs[k].text();
            let first = text.split_whitespace().next().unwrap_or("");
            let starts_name = first.chars().next().is_some_and(|c| c.is_alphabetic())
                && text.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !first.ends_with(':')
                && !is_unit_like(first)
                && !is_flag(first)
                && !is_qualitative_start(first);
            let value_after = cs[k + 1..].iter().any(|c| {
                c.words
                    .iter()
                    .any(|w| is_number(w.text.trim_end_matches(['H', 'L'])))
            });
            // The left-hand table has names of its own (a code column is no table).
            let name_left = cs[..k - 1]
                .iter()
                .chain(std::iter::once(&cs[k - 1]))
                .any(|c| {
                    c.words
                        .first()
                        .is_some_and(|w| w.text.chars().next().is_some_and(char::is_alphabetic))
                });
            if ends_result && starts_name && value_after && name_left {
                starts.push(cs[k].x0);
            }
        }
    }
    if starts.len() < 3 {
        return None;
    }
    starts.sort_by(|a, b| a.total_cmp(b));
    let tolerance = 0.6 * median(lines.iter().map(|l| l.height()).collect()).max(2.0);
    let mut best: Option<(usize, f32)> = None;
    let mut i = 0;
    while i < starts.len() {
        let j = (i..starts.len())
            .find(|&j| starts[j] - starts[i] > tolerance)
            .unwrap_or(starts.len());
        if best.is_none_or(|(n, _)| j - i > n) {
            best = Some((j - i, starts[i]));
        }
        i += 1;
    }
    let (count, x) = best?;
    (count >= 3).then_some(x - 2.0)
}

/// The words of a line whose left edge lies in `[left, right)`.
pub(super) fn part(line: &Line, left: f32, right: f32) -> Option<Line> {
    let words: Vec<_> = line
        .words
        .iter()
        .filter(|w| w.bbox[0] >= left && w.bbox[0] < right)
        .cloned()
        .collect();
    let bbox = words.iter().map(|w| w.bbox).reduce(union)?;
    Some(Line {
        page: line.page,
        bbox,
        font_size: median(words.iter().map(|w| w.font_size).collect()),
        words,
    })
}
