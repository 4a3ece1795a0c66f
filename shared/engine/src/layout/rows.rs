//! Parsed lines → result rows: headers switch the table model; names, values, units and ranges
//! printed on separate lines (stacked cells, values below names) are put back together.

use super::cells::{Fields, parse_headerless, parse_with_header};
use super::dates::NumericOrder;
use super::header::{self, Header};
use super::lines::{Line, union};
use super::sections::{is_heading, is_method_note};
use super::tokens::{
    is_bound, is_category_word, is_leading_mark, is_number, is_qualitative_start, is_titre,
};
use crate::model::{BBox, RawResult, Source};

#[derive(Debug, Clone)]
struct Draft {
    name: String,
    value: Option<String>,
    flag: Option<String>,
    unit: Option<String>,
    range: Option<String>,
    method: Option<String>,
    section: Option<String>,
    collection_date: Option<String>,
    page: u32,
    bbox: BBox,
    value_bold: bool,
    name_font: f32,
    /// Bottom of the last line that contributed to the row.
    bottom: f32,
    line_height: f32,
    /// Assembled from separate lines: a little less certain.
    stacked: bool,
    with_header: bool,
    header_has_unit: bool,
    header_has_range: bool,
}

struct Pending {
    text: String,
    heading: bool,
    /// The second line of the name of this row, unless a value below claims it as a name.
    continues: Option<usize>,
    page: u32,
    bbox: BBox,
    font: f32,
}

#[derive(Default)]
struct State {
    rows: Vec<Draft>,
    pending: Vec<Pending>,
    section: Option<String>,
    /// Index of the row the previous line belonged to (for method notes).
    last_row_line: Option<usize>,
    block_start: usize,
}

/// Reads the rows of a document's lines (all pages, in reading order).
pub fn extract_rows(
    lines: &[Line],
    file: usize,
    page_dates: &dyn Fn(u32) -> Option<String>,
) -> Vec<RawResult> {
    extract_rows_with_order(lines, file, page_dates, None)
}

/// [`extract_rows`], reading dates in column titles in the document's day-month order.
pub fn extract_rows_with_order(
    lines: &[Line],
    file: usize,
    page_dates: &dyn Fn(u32) -> Option<String>,
    order: Option<NumericOrder>,
) -> Vec<RawResult> {
    let (ordered, block_starts): (Vec<Line>, Vec<bool>) =
        super::blocks::reading_order(lines).into_iter().unzip();
    let lines = ordered.as_slice();
    let mut st = State::default();
    let mut header: Option<Header> = None;
    let body_font = super::lines::median(lines.iter().map(|l| l.font_size).collect());
    let furniture = repeated_furniture(lines);
    let mut page = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        i += 1;
        if furniture[i - 1] {
            continue;
        }
        if block_starts[i - 1] {
            // The right-hand table of a side-by-side pair: its own columns, its own sections.
            flush_continuations(&mut st);
            st.pending.clear();
            st.last_row_line = None;
            st.block_start = st.rows.len();
            header = None;
        }
        if line.page != page {
            page = line.page;
            // A heading at the foot of a page titles the table continued on the next.
            flush_continuations(&mut st);
            st.pending.retain(|p| p.heading);
            st.last_row_line = None;
            st.block_start = st.rows.len();
        }
        if let Some(mut h) = header::detect_with_order(line, order) {
            let below: Vec<&Line> = lines[i..]
                .iter()
                .take_while(|l| l.page == line.page)
                .take(15)
                .collect();
            h.learn_untitled(&below);
            flush_continuations(&mut st);
            st.pending.retain(|p| p.heading);
            st.last_row_line = None;
            st.block_start = st.rows.len();
            let blocks = h.blocks();
            if blocks.len() > 1 {
                let end = side_by_side_end(lines, i, &blocks, order);
                let region: Vec<&Line> = (i..end)
                    .filter(|&k| !furniture[k])
                    .map(|k| &lines[k])
                    .collect();
                read_side_by_side(&mut st, &region, &blocks, body_font);
                i = end;
                header = blocks.into_iter().next().map(|(_, h)| h);
            } else {
                header = Some(h);
            }
            continue;
        }
        let (mark, stripped) = strip_leading_mark(line);
        let line = stripped.as_ref().unwrap_or(line);
        let (mut fields, used) = read_line(line, header.as_ref());
        if fields.flag.is_none() {
            fields.flag = mark;
        }
        step(&mut st, line, fields, used, body_font);
    }
    finish(st, file, page_dates)
}

/// A line's fields by the table's header; a line that reads as a whole result by itself but
/// fits no column of the header is read without it (with less confidence).
fn read_line<'h>(line: &Line, header: Option<&'h Header>) -> (Fields, Option<&'h Header>) {
    let Some(h) = header else {
        return (parse_headerless(line), None);
    };
    let fields = parse_with_header(line, h);
    // Name, unit and range in their columns with the value below is a stacked row, not a misfit.
    let fits = fields.value.is_some() || !fields.dated_values.is_empty() || fields.has_tail();
    if fields.only_name || (fits && !fields.noise) {
        return (fields, header);
    }
    let alone = parse_headerless(line);
    let whole = alone.name.is_some()
        && alone.value.is_some()
        && !alone.noise
        && (alone.unit.is_some() || alone.range.is_some());
    if whole {
        (alone, None)
    } else {
        (fields, header)
    }
}

/// Where a region of side-by-side tables ends: at the page end, at the next header line, or
/// at a line with a word across a gutter between blocks (a note printed full width).
fn side_by_side_end(
    lines: &[Line],
    start: usize,
    blocks: &[(f32, Header)],
    order: Option<NumericOrder>,
) -> usize {
    let page = lines.get(start.saturating_sub(1)).map(|l| l.page);
    let gutters: Vec<f32> = blocks.iter().skip(1).map(|(x, _)| *x).collect();
    let mut k = start;
    while k < lines.len() {
        let l = &lines[k];
        let across = l
            .words
            .iter()
            .any(|w| gutters.iter().any(|g| w.bbox[0] < *g && w.bbox[2] > *g));
        if Some(l.page) != page || across || header::detect_with_order(l, order).is_some() {
            break;
        }
        k += 1;
    }
    k
}

/// Reads each block of side-by-side tables in turn, top to bottom, as a table of its own.
fn read_side_by_side(st: &mut State, region: &[&Line], blocks: &[(f32, Header)], body_font: f32) {
    let section = st.section.clone();
    for (b, (left, h)) in blocks.iter().enumerate() {
        let right = blocks.get(b + 1).map(|(x, _)| *x).unwrap_or(f32::MAX);
        flush_continuations(st);
        st.pending.clear();
        st.last_row_line = None;
        st.block_start = st.rows.len();
        st.section = section.clone();
        for line in region {
            let Some(part) = super::blocks::part(line, *left, right) else {
                continue;
            };
            let (mark, stripped) = strip_leading_mark(&part);
            let part = stripped.unwrap_or(part);
            let mut fields = parse_with_header(&part, h);
            if fields.flag.is_none() {
                fields.flag = mark;
            }
            step(st, &part, fields, Some(h), body_font);
        }
    }
}

/// An arrow or star printed before a name ("↑ Natrium"): the row's flag, and the line without it.
fn strip_leading_mark(line: &Line) -> (Option<String>, Option<Line>) {
    let (Some(first), Some(second)) = (line.words.first(), line.words.get(1)) else {
        return (None, None);
    };
    if !is_leading_mark(&first.text) || !second.text.starts_with(char::is_alphabetic) {
        return (None, None);
    }
    let words = line.words[1..].to_vec();
    let bbox = words
        .iter()
        .map(|w| w.bbox)
        .reduce(union)
        .unwrap_or(line.bbox);
    let rest = Line {
        page: line.page,
        bbox,
        font_size: line.font_size,
        words,
    };
    (Some(first.text.clone()), Some(rest))
}

/// Letterhead and footer lines printed identically on several pages.
fn repeated_furniture(lines: &[Line]) -> Vec<bool> {
    use std::collections::HashMap;
    let mut page_bottom: HashMap<u32, f32> = HashMap::new();
    for l in lines {
        let b = page_bottom.entry(l.page).or_insert(0.0);
        *b = b.max(l.bbox[3]);
    }
    let in_margin = |l: &Line| {
        let bottom = page_bottom.get(&l.page).copied().unwrap_or(0.0);
        l.bbox[1] < bottom * 0.18 || l.bbox[1] > bottom * 0.9
    };
    let mut pages_of: HashMap<String, Vec<u32>> = HashMap::new();
    for l in lines.iter().filter(|l| in_margin(l)) {
        let pages = pages_of.entry(l.text()).or_default();
        if !pages.contains(&l.page) {
            pages.push(l.page);
        }
    }
    lines
        .iter()
        .map(|l| in_margin(l) && pages_of.get(&l.text()).is_some_and(|p| p.len() > 1))
        .collect()
}

fn step(st: &mut State, line: &Line, f: Fields, header: Option<&Header>, body_font: f32) {
    let with_header = header.is_some();
    let lh = line.height();
    match (&f.name, &f.value) {
        (Some(name), Some(value)) if !f.noise || with_header => {
            let unit_ok = f
                .unit
                .as_deref()
                .and_then(|u| u.split_whitespace().next())
                .is_some_and(super::tokens::is_unit_like);
            // A word result read without a header sits in a cell of its own (see cells.rs).
            let word_result = !with_header && !f.noise && is_qualitative_start(value);
            let acceptable = with_header || f.range.is_some() || unit_ok || word_result;
            if !acceptable || !plausible_name(name) {
                st.last_row_line = None;
                return;
            }
            let numeric = is_number(value) || is_bound(value) || is_titre(value);
            if !numeric && !word_result && (!with_header || f.noise) {
                return;
            }
            take_headings(st);
            flush_continuations(st);
            st.pending.clear();
            let base = draft(st, line, &f, name.clone(), Some(value.clone()), header);
            if header.is_some_and(|h| h.date_columns.len() >= 2) && !f.dated_values.is_empty() {
                for dv in &f.dated_values {
                    let mut d = base.clone();
                    d.value = Some(dv.value.clone());
                    d.flag = dv.flag.clone();
                    d.collection_date = Some(dv.date.clone());
                    d.bbox = union(f.name_bbox.unwrap_or(dv.bbox), dv.bbox);
                    st.rows.push(d);
                }
            } else {
                st.rows.push(base);
            }
            st.last_row_line = Some(st.rows.len() - 1);
        }
        (Some(name), None) if !f.noise && f.has_tail() && with_header => {
            // Name, range and unit, with the value printed on a line of its own.
            if !plausible_name(name) {
                return;
            }
            take_headings(st);
            flush_continuations(st);
            st.pending.clear();
            let mut d = draft(st, line, &f, name.clone(), None, header);
            d.stacked = true;
            st.rows.push(d);
            st.last_row_line = Some(st.rows.len() - 1);
        }
        (Some(name), None) if f.only_name => {
            let text = name.trim().to_string();
            if let Some(i) = st.last_row_line {
                let row = &st.rows[i];
                let close = line.bbox[1] - row.bottom < 1.6 * lh.max(row.line_height);
                if close
                    && row.page == line.page
                    && is_method_note(&text, line.font_size, row.name_font)
                {
                    let row = &mut st.rows[i];
                    row.method = Some(match row.method.take() {
                        Some(m) => format!("{m} {text}"),
                        None => text,
                    });
                    row.bottom = line.bbox[3];
                    return;
                }
            }
            let heading = is_heading(&text, line, body_font);
            let continues = st
                .last_row_line
                .filter(|&i| !heading && continues_name(&st.rows[i], line, &text));
            st.pending.push(Pending {
                text,
                heading,
                continues,
                page: line.page,
                bbox: line.bbox,
                font: line.font_size,
            });
            st.last_row_line = None;
        }
        (None, Some(value)) if !f.noise => {
            // A value printed away from its name: the oldest row still waiting for a value,
            // else the oldest name printed alone since the last complete row.
            let waiting = (st.block_start..st.rows.len()).find(|&i| {
                let r = &st.rows[i];
                r.value.is_none() && r.page == line.page && line.bbox[1] - r.bottom < 6.0 * lh
            });
            let idx = if let Some(i) = waiting {
                let r = &mut st.rows[i];
                r.value = Some(value.clone());
                r.value_bold = f.value_bold;
                if let Some(b) = f.value_bbox {
                    r.bbox = union(r.bbox, b);
                }
                i
            } else if let Some(p) = st
                .pending
                .iter()
                .position(|p| {
                    // Names of a stacked table sit just above their values, not in the letterhead.
                    !p.heading
                        && p.page == line.page
                        && line.bbox[1] - p.bbox[3] < 8.0 * lh
                        && plausible_name(&p.text)
                })
                .or_else(|| name_above(&st.pending, line).filter(|_| f.has_tail()))
            {
                // Headings before the name are sections of what follows.
                for h in st.pending.drain(..p) {
                    if h.heading {
                        st.section = Some(h.text);
                    }
                }
                let p = st.pending.remove(0);
                if !plausible_name(&p.text) {
                    return;
                }
                let mut d = draft(st, line, &f, p.text, Some(value.clone()), header);
                d.bbox = union(p.bbox, f.value_bbox.unwrap_or(p.bbox));
                d.name_font = p.font;
                d.stacked = true;
                st.rows.push(d);
                st.rows.len() - 1
            } else {
                return;
            };
            fill_missing(&mut st.rows[idx], &f);
            st.last_row_line = Some(idx);
        }
        (None, None) if !f.noise && (f.range.is_some() || f.unit.is_some()) => {
            fill_from_stack(st, line, &f);
        }
        _ => {
            if f.noise {
                st.last_row_line = None;
            }
        }
    }
}

/// A short capitalised line right above a value line ("HDL" / "52 mg/dL") is the value's
/// name, though it looks like a heading; headings before it stay sections.
fn name_above(pending: &[Pending], line: &Line) -> Option<usize> {
    let last = pending.len().checked_sub(1)?;
    let p = &pending[last];
    let lh = line.height();
    let gap = line.bbox[1] - p.bbox[3];
    let short = p.text.split_whitespace().count() <= 4;
    (p.page == line.page && short && gap > -0.3 * lh && gap < 1.2 * lh).then_some(last)
}

/// A name printed over two lines ("Mean Corpuscular Hemoglobin" / "Concentration (MCHC)"): the
/// line right below a row, aligned with its name, that reads as the name's end (it starts in
/// lower case, closes with the bracketed abbreviation the first line lacks, or follows a
/// connective).
fn continues_name(row: &Draft, line: &Line, text: &str) -> bool {
    let lh = line.height();
    let below = line.bbox[1] - row.bottom;
    let aligned = (line.bbox[0] - row.bbox[0]).abs() < 0.5 * lh;
    if row.page != line.page || !(below > -0.2 * lh && below < 0.8 * lh) || !aligned {
        return false;
    }
    // notes printed under a row are sentences, not the end of a name
    if text.split_whitespace().count() > 5 || text.ends_with('.') || text.contains(':') {
        return false;
    }
    let name = row.name.trim();
    let lower_start = text.starts_with(|c: char| c.is_lowercase());
    let closes_bracket = text.ends_with(')') && text.contains('(') && !name.contains('(');
    let last = name.rsplit(' ').next().unwrap_or("").to_lowercase();
    let connective = name.ends_with([',', '/', '-', '&'])
        || matches!(
            last.as_str(),
            "and" | "of" | "de" | "du" | "des" | "di" | "del" | "und"
        );
    lower_start || closes_bracket || connective
}

/// Second name lines no value claimed: they end the names of their rows.
fn flush_continuations(st: &mut State) {
    for p in &st.pending {
        if let Some(row) = p.continues.and_then(|i| st.rows.get_mut(i)) {
            row.name = format!("{} {}", row.name.trim(), p.text);
            row.bbox = union(row.bbox, p.bbox);
        }
    }
    for p in &mut st.pending {
        p.continues = None;
    }
}

fn fill_missing(row: &mut Draft, f: &Fields) {
    if row.unit.is_none() {
        row.unit = f.unit.clone();
    }
    if row.range.is_none() {
        row.range = f.range.clone();
    }
    if row.flag.is_none() {
        row.flag = f.flag.clone();
    }
}

/// A line holding only a range and/or unit: it completes the oldest row of the current block
/// that lacks them, or continues the previous row's range ("Female : 12 - 14").
fn fill_from_stack(st: &mut State, line: &Line, f: &Fields) {
    let lh = line.height();
    let recent = st.block_start.max(st.rows.len().saturating_sub(8));
    let same_page = |r: &Draft| r.page == line.page;
    if let Some(range) = &f.range {
        let target = (recent..st.rows.len()).find(|&i| {
            let r = &st.rows[i];
            r.range.is_none() && same_page(r) && r.header_has_range
        });
        match target {
            Some(i) => {
                st.rows[i].range = Some(range.clone());
                if st.rows[i].flag.is_none() {
                    st.rows[i].flag = f.flag.clone();
                }
            }
            None => {
                if let Some(r) = st.rows.last_mut()
                    && r.page == line.page
                    && line.bbox[1] - r.bottom < 1.2 * lh
                    && r.range.is_some()
                {
                    let prev = r.range.take().unwrap_or_default();
                    r.range = Some(format!("{prev} / {range}"));
                    r.bottom = line.bbox[3];
                }
            }
        }
    }
    if let Some(unit) = &f.unit {
        let target = (recent..st.rows.len()).find(|&i| {
            let r = &st.rows[i];
            r.unit.is_none() && same_page(r) && r.header_has_unit
        });
        if let Some(i) = target {
            st.rows[i].unit = Some(unit.clone());
        }
    }
}

fn take_headings(st: &mut State) {
    if let Some(h) = st.pending.iter().rev().find(|p| p.heading) {
        st.section = Some(h.text.clone());
    }
}

fn draft(
    st: &State,
    line: &Line,
    f: &Fields,
    name: String,
    value: Option<String>,
    header: Option<&Header>,
) -> Draft {
    use super::header::Role;
    let bbox = match (f.name_bbox, f.value_bbox) {
        (Some(a), Some(b)) => union(a, b),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => line.bbox,
    };
    Draft {
        name,
        value,
        flag: f.flag.clone(),
        unit: f.unit.clone(),
        range: f.range.clone(),
        method: None,
        section: st.section.clone(),
        collection_date: None,
        page: line.page,
        bbox,
        value_bold: f.value_bold && !f.name_bold,
        name_font: line.font_size,
        bottom: line.bbox[3],
        line_height: line.height(),
        stacked: false,
        with_header: header.is_some(),
        header_has_unit: header.is_none_or(|h| h.has(Role::Unit)),
        header_has_range: header.is_none_or(|h| h.has(Role::Range)),
    }
}

/// Labels, interpretive categories and page furniture are not analytes.
fn plausible_name(name: &str) -> bool {
    let trimmed = name.trim().trim_end_matches([':', '.', '-']).trim();
    if trimmed.contains(':') || trimmed.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return false;
    }
    // Letterheads and footers: phone numbers, addresses, web and mail addresses.
    let digits = trimmed.chars().filter(|c| c.is_ascii_digit()).count();
    if digits > 5 || trimmed.contains(['·', '@', '|']) || trimmed.contains("www.") {
        return false;
    }
    let words: Vec<String> = trimmed
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 10 {
        return false;
    }
    if words.iter().all(|w| is_category_word(w)) {
        return false;
    }
    const NOT_ANALYTES: &[&str] = &[
        "page",
        "age",
        "sex",
        "gender",
        "dob",
        "date",
        "time",
        "phone",
        "tel",
        "fax",
        "email",
        "patient",
        "name",
        "reg",
        "uhid",
        "pid",
        "mrn",
        "barcode",
        "tat",
        "bed",
        "ward",
        "room",
        "doctor",
        "dr",
        "physician",
        "printed",
        "specimen",
        "sample",
        "collected",
        "received",
        "registered",
        "reported",
        "report",
        "requisition",
        "client",
        "ref",
        "referred",
        "referring",
        "lab",
        "account",
        "accession",
        "order",
        "visit",
        "seite",
        "pagina",
        "página",
        "alter",
        "geschlecht",
        "sexe",
        "âge",
        "edad",
        "sexo",
        "età",
        "sesso",
    ];
    !NOT_ANALYTES.contains(&words[0].as_str())
}

fn finish(
    mut st: State,
    file: usize,
    page_dates: &dyn Fn(u32) -> Option<String>,
) -> Vec<RawResult> {
    flush_continuations(&mut st);
    st.rows
        .into_iter()
        .filter_map(|d| {
            let value = d.value?;
            let mut confidence: f32 = 1.0;
            if d.stacked {
                confidence -= 0.1;
            }
            if !d.with_header {
                confidence -= 0.1;
            }
            if d.unit.is_none() && d.range.is_none() {
                confidence -= 0.1;
            }
            let name = d.name.trim().trim_end_matches(':').trim().to_string();
            Some(RawResult {
                name,
                value_text: value,
                unit_text: d.unit,
                range_text: d.range,
                flag_text: d.flag,
                highlighted: d.value_bold,
                section: d.section,
                method: d.method,
                collection_date: d.collection_date.or_else(|| page_dates(d.page)),
                source: Source {
                    file,
                    page: d.page,
                    bbox: d.bbox,
                },
                confidence,
            })
        })
        .collect()
}
