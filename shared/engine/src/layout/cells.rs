//! One line → its fields (name, value, flag, unit, range), with or without a table header.

use super::header::{Header, Role};
use super::lines::{Cell, Line, cells, union};
use super::tail::{Tail, is_sex_label, read_tail};
use super::tokens::*;
use crate::model::{BBox, Word};

#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub name: Option<String>,
    pub name_bbox: Option<BBox>,
    pub name_bold: bool,
    pub value: Option<String>,
    pub value_bbox: Option<BBox>,
    pub value_bold: bool,
    pub flag: Option<String>,
    pub unit: Option<String>,
    pub range: Option<String>,
    /// Values of date columns (cumulative reports), one per column with a value.
    pub dated_values: Vec<DatedValue>,
    /// Cells that fit no field: the line is not a clean table row.
    pub noise: bool,
    /// The line holds one cell of text and nothing else.
    pub only_name: bool,
}

/// A value in a date column of a cumulative table.
#[derive(Debug, Clone)]
pub struct DatedValue {
    pub date: String,
    pub column: usize,
    pub value: String,
    pub flag: Option<String>,
    pub bbox: BBox,
}

impl Fields {
    pub fn has_tail(&self) -> bool {
        self.unit.is_some() || self.range.is_some()
    }
}

fn texts(words: &[&Word]) -> Vec<String> {
    words.iter().map(|w| w.text.clone()).collect()
}

/// Splits "83%" or "12.5g/dL" into number and unit.
fn split_number_prefix(t: &str) -> Option<(String, String)> {
    let end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map(|(i, _)| i)?;
    let (num, rest) = t.split_at(end);
    if super::dates::parse_date(t, None).is_some() {
        return None;
    }
    (is_number(num) && is_unit_like(rest)).then(|| (num.to_string(), rest.to_string()))
}

/// Splits "26.6L", "0.11H" or "4,96Alto" (a flag glued to its value, as OCR often reads them)
/// into number and flag.
fn split_flag_suffix(t: &str) -> Option<(String, String)> {
    let end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map(|(i, _)| i)?;
    let (num, rest) = t.split_at(end);
    (is_number(num) && is_strict_flag(rest) && rest != "*")
        .then(|| (num.to_string(), rest.to_string()))
}

/// Reads a value at the start of `tokens`: flags before it, a number, a bound or a qualitative
/// phrase. Returns (flag, value, index after the value).
pub fn take_value(
    tokens: &[String],
    allow_qualitative: bool,
) -> (Option<String>, Option<String>, usize, Option<String>) {
    let mut i = 0;
    let mut flag = None;
    while i + 1 < tokens.len() && is_strict_flag(&tokens[i]) && !is_qualitative_start(&tokens[i]) {
        flag = Some(tokens[i].clone());
        i += 1;
    }
    let Some(t) = tokens.get(i) else {
        return (flag, None, i, None);
    };
    if is_comparator(t) && tokens.get(i + 1).is_some_and(|n| is_number(n)) {
        return (flag, Some(format!("{t}{}", tokens[i + 1])), i + 2, None);
    }
    if is_titre(t) {
        return (flag, Some(t.clone()), i + 1, None);
    }
    if is_urine_grade(t) && allow_qualitative {
        return (flag, Some(t.clone()), i + 1, None);
    }
    if is_number(t) || is_bound(t) {
        // A number followed by a dash and another number is a range, not a value.
        let next = tokens.get(i + 1).map(String::as_str);
        if next.is_some_and(is_dash) && tokens.get(i + 2).is_some_and(|n| is_number(n)) {
            return (flag, None, i, None);
        }
        return (flag, Some(t.clone()), i + 1, None);
    }
    if let Some((num, glued_flag)) = split_flag_suffix(t) {
        return (flag.or(Some(glued_flag)), Some(num), i + 1, None);
    }
    if let Some((num, unit)) = split_number_prefix(t) {
        return (flag, Some(num), i + 1, Some(unit));
    }
    if allow_qualitative && is_qualitative_start(t) {
        // The phrase runs to the first flag or the end.
        let mut j = i;
        let mut parts = Vec::new();
        while j < tokens.len() && !(j > i && is_strict_flag(&tokens[j])) {
            parts.push(tokens[j].clone());
            j += 1;
        }
        return (flag, Some(parts.join(" ")), j, None);
    }
    (flag, None, i, None)
}

/// Dipstick grades: `1+`, `2+`, `+++`.
fn is_urine_grade(s: &str) -> bool {
    let digits = s.trim_end_matches('+');
    s.len() >= 2
        && digits.len() < s.len()
        && (digits.is_empty() || (digits.len() == 1 && is_number(digits)))
}

/// A lone `+`/`-` right after the value, not starting a range: the value's flag.
fn sign_flag(tokens: &[String], next: usize) -> Option<String> {
    let t = tokens.get(next)?;
    let before_number = tokens.get(next + 1).is_some_and(|n| is_number(n));
    (is_sign_flag(t) && !before_number).then(|| t.clone())
}

/// Does a reference range start at `i`?
pub fn starts_range(tokens: &[String], i: usize) -> bool {
    let t = tokens[i].as_str();
    let next = tokens.get(i + 1).map(String::as_str).unwrap_or("");
    let after = tokens.get(i + 2).map(String::as_str).unwrap_or("");
    let l = t.to_lowercase();
    is_range_token(t)
        || is_bound(t)
        || (is_comparator(t) && (is_number(next) || next.eq_ignore_ascii_case("or")))
        || (is_number(t) && is_dash(next) && is_number(after))
        || (is_number(t) && next.starts_with(['-', '–']) && is_number(&next[next.len().min(1)..]))
        || (l == "up" && next.eq_ignore_ascii_case("to"))
        || l == "upto"
        || ((l.starts_with('[') || l.starts_with('(')) && t.chars().any(|c| c.is_ascii_digit()))
        || is_sex_label(t, next)
}

/// Splits a range cell into the range and a unit printed after it ("65-99 mg/dL",
/// "<5.7 % of total Hgb"). Parenthesized notes such as "(calc)" are dropped from the unit.
pub fn split_range_unit(tokens: &[String]) -> (String, Option<String>) {
    let mut seen_number = false;
    let mut cut = tokens.len();
    for (i, t) in tokens.iter().enumerate() {
        let numeric = t.chars().any(|c| c.is_ascii_digit());
        let connective = is_dash(t)
            || is_comparator(t)
            || matches!(
                t.to_lowercase().as_str(),
                "or" | "=" | "up" | "to" | "upto" | ":" | "and" | "than" | "less" | "greater"
            );
        if seen_number && !numeric && !connective {
            cut = i;
            break;
        }
        if seen_number
            && numeric
            && !(is_number(t) || is_bound(t) || is_range_token(t) || t.starts_with('-'))
        {
            cut = i;
            break;
        }
        if numeric {
            seen_number = true;
        }
    }
    let range = tokens[..cut].join(" ");
    let rest: Vec<&String> = tokens[cut..]
        .iter()
        .filter(|t| !(t.starts_with('(') && t.ends_with(')')))
        .collect();
    let unit = if rest.is_empty() {
        None
    } else {
        Some(
            rest.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        )
    };
    (range, unit)
}

/// After the value: flags, then a unit, then a range (any may be missing).
pub fn classify_tail(tokens: &[String], fields: &mut Fields) {
    let mut unit_parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if starts_range(tokens, i) {
            let (range, unit) = split_range_unit(&tokens[i..]);
            set_range(fields, range);
            if unit_parts.is_empty()
                && let Some(u) = unit
            {
                unit_parts.push(u);
            }
            break;
        }
        let t = &tokens[i];
        if is_strict_flag(t) && (unit_parts.is_empty() || t.chars().count() > 1) {
            fields.flag.get_or_insert_with(|| t.clone());
        } else if !(t.starts_with('(') && t.ends_with(')')) {
            unit_parts.push(t.clone());
        }
        i += 1;
    }
    if !unit_parts.is_empty() && fields.unit.is_none() {
        fields.unit = Some(unit_parts.join(" "));
    }
}

fn set_range(fields: &mut Fields, range: String) {
    if !range.is_empty() && range.chars().any(|c| c.is_ascii_digit()) {
        fields.range.get_or_insert(range);
    }
}

fn is_name_text(text: &str) -> bool {
    let first = text.chars().next().unwrap_or(' ');
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2
        && (first.is_alphabetic() || matches!(first, '(' | '%' | '-' | '*' | '"' | '\'' | '#'))
}

/// Reads a line under a table header: each cell goes to the nearest column.
pub fn parse_with_header(line: &Line, header: &Header) -> Fields {
    let line_cells = cells(line);
    let mut f = Fields {
        only_name: line_cells.len() == 1,
        ..Default::default()
    };
    let first_other_x = header
        .columns
        .iter()
        .filter(|c| c.role != Role::Name)
        .map(|c| c.x0)
        .fold(f32::MAX, f32::min);
    let mut by_role: Vec<(Role, &Cell, Option<usize>)> = Vec::new();
    for (k, cell) in line_cells.iter().enumerate() {
        let col = header.column_at(cell);
        let mut role = col.map(|i| header.columns[i].role).unwrap_or(Role::Other);
        let text = cell.text();
        // The leftmost text cell, starting left of every data column, is the name.
        if k == 0 && cell.x0 < first_other_x - 2.0 && is_name_text(&text) && !is_unit_cell(cell) {
            role = Role::Name;
        }
        by_role.push((role, cell, col));
    }
    // "17.3 g/dL" printed as one cell under a "Result Unit" header lands in the unit column.
    if !by_role.iter().any(|(r, _, _)| *r == Role::Value)
        && let Some(entry) = by_role
            .iter_mut()
            .find(|(r, c, _)| *r == Role::Unit && number_then_unit(c))
    {
        entry.0 = Role::Value;
        entry.2 = None;
    }
    let mut value_words = Vec::new();
    let mut range_tokens: Vec<String> = Vec::new();
    let mut unit_tokens: Vec<String> = Vec::new();
    for (role, cell, col) in &by_role {
        match role {
            Role::Name => {
                let text = cell.text();
                if f.name.is_none() {
                    f.name = Some(text);
                    f.name_bbox = Some(cell_bbox(cell));
                    f.name_bold = cell.words.iter().all(|w| w.bold);
                } else if !value_words.is_empty() || !is_strict_flag(&text) {
                    f.noise = true;
                } else {
                    f.flag = Some(text);
                }
            }
            Role::Value => {
                let date = col.and_then(|c| {
                    header
                        .date_columns
                        .iter()
                        .find(|(i, _)| *i == c)
                        .map(|(_, d)| (c, d.clone()))
                });
                match date {
                    Some((column, date)) => dated_value(&mut f, cell, column, date),
                    None => value_words.extend(cell.words.iter()),
                }
            }
            Role::Range => range_tokens.extend(cell.words.iter().map(|w| w.text.clone())),
            Role::Unit => unit_tokens.extend(cell.words.iter().map(|w| w.text.clone())),
            Role::Flag => {
                f.flag.get_or_insert_with(|| cell.text());
            }
            Role::Other => {}
        }
    }
    if !value_words.is_empty() {
        let tokens = texts(&value_words);
        let (flag, value, next, unit) = take_value(&tokens, true);
        if flag.is_some() {
            f.flag = flag;
        }
        if let Some(v) = value {
            f.value = Some(v);
            let used = &value_words[..next.min(value_words.len())];
            f.value_bbox = used.iter().map(|w| w.bbox).reduce(union);
            f.value_bold = used.iter().any(|w| w.bold);
            f.unit = unit;
            let mut next = next;
            if let Some(sign) = sign_flag(&tokens, next) {
                f.flag.get_or_insert(sign);
                next += 1;
            }
            classify_tail(&tokens[next..], &mut f);
        } else if starts_range(&tokens, next) || tokens.len() > next {
            // Text in the value column that is no value: a range spilling over, or noise.
            let mut tail = Fields::default();
            classify_tail(&tokens[next..], &mut tail);
            if let Some(r) = tail.range {
                f.range.get_or_insert(r);
            } else {
                f.noise = true;
            }
            if f.flag.is_none() {
                f.flag = tail.flag;
            }
        }
    }
    if let Some(name) = f.name.take() {
        let value_x0 = header
            .columns
            .iter()
            .filter(|c| c.role == Role::Value)
            .map(|c| c.x0)
            .fold(f32::MAX, f32::min);
        // The name phrase runs up to (or into) the value column.
        let reaches_value = f
            .name_bbox
            .is_some_and(|b| b[2] > value_x0 - 1.5 * (b[3] - b[1]));
        f.name = Some(split_name_tail(name, reaches_value, &mut f));
    }
    if f.value.is_none()
        && let Some(first) = f.dated_values.first()
    {
        f.value = Some(first.value.clone());
        f.value_bbox = Some(first.bbox);
    }
    if !range_tokens.is_empty() {
        let mut i = 0;
        while i + 1 < range_tokens.len() && is_strict_flag(&range_tokens[i]) {
            f.flag.get_or_insert_with(|| range_tokens[i].clone());
            i += 1;
        }
        let rest = &range_tokens[i..];
        if !rest.is_empty() {
            if header.has(Role::Unit) {
                set_range(&mut f, rest.join(" "));
            } else {
                let (range, unit) = split_range_unit(rest);
                set_range(&mut f, range);
                if f.unit.is_none() {
                    f.unit = unit;
                }
            }
            if f.range.is_none()
                && !rest.iter().all(|t| is_strict_flag(t))
                && !is_qualitative_start(&rest[0])
            {
                f.noise = true;
            }
        }
    }
    if !unit_tokens.is_empty() {
        let mut tail = Fields::default();
        if starts_range(&unit_tokens, 0) {
            classify_tail(&unit_tokens, &mut tail);
            if f.range.is_none() {
                f.range = tail.range;
            }
            if f.unit.is_none() {
                f.unit = tail.unit;
            }
        } else if unit_tokens.len() == 1
            && is_strict_flag(&unit_tokens[0])
            && unit_tokens[0].len() > 1
        {
            f.flag.get_or_insert_with(|| unit_tokens[0].clone());
        } else {
            f.unit = Some(unit_tokens.join(" "));
            if unit_tokens.len() > 4 || !unit_tokens.iter().any(|t| is_unit_like(t)) {
                f.noise = true;
            }
        }
    }
    f
}

/// OCR reads a row as phrases, and a name phrase may swallow the flag or the value printed
/// after it ("MCHC H", "Mean Corpuscular Volume (MCV) 87.75"): give them back.
fn split_name_tail(name: String, reaches_value: bool, f: &mut Fields) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let [head @ .., last] = words.as_slice() else {
        return name;
    };
    if head.is_empty() || !is_name_text(&head.join(" ")) {
        return name;
    }
    let flag_letter = matches!(*last, "H" | "L" | "HH" | "LL" | "↑" | "↓");
    if flag_letter && reaches_value && f.value.is_some() && f.flag.is_none() {
        f.flag = Some(last.to_string());
        return head.join(" ");
    }
    if reaches_value && f.value.is_none() && f.dated_values.is_empty() && is_number(last) {
        f.value = Some(last.to_string());
        return head.join(" ");
    }
    name
}

/// A cell reading "17.3 g/dL": a number, then a unit.
fn number_then_unit(cell: &Cell) -> bool {
    let tokens: Vec<String> = cell.words.iter().map(|w| w.text.clone()).collect();
    let (_, value, next, _) = take_value(&tokens, false);
    value.is_some() && tokens.len() == next + 1 && is_unit_like(&tokens[next])
}

/// A cell under a date column title: its value and flag ("1.47 H"); "--" and empty cells
/// mean not measured that day. A flag printed apart from its value joins the value.
fn dated_value(f: &mut Fields, cell: &Cell, column: usize, date: String) {
    let tokens: Vec<String> = cell.words.iter().map(|w| w.text.clone()).collect();
    let (flag_before, value, next, _) = take_value(&tokens, true);
    let flag_after = tokens
        .get(next)
        .filter(|t| is_strict_flag(t) || matches!(t.as_str(), "+" | "-"))
        .cloned();
    match value {
        Some(value) => f.dated_values.push(DatedValue {
            date,
            column,
            value,
            flag: flag_before.or(flag_after),
            bbox: cell_bbox(cell),
        }),
        None => {
            if let Some(last) = f
                .dated_values
                .last_mut()
                .filter(|d| d.column == column && d.flag.is_none())
                && tokens.len() == 1
                && is_strict_flag(&tokens[0])
            {
                last.flag = Some(tokens[0].clone());
            }
        }
    }
}

/// Reads a line with no header: a name, then the value, unit and range in whatever order they
/// are printed, told apart by what they look like ([`read_tail`]). A line that starts with a
/// value (printed below its name) has no name.
pub fn parse_headerless(line: &Line) -> Fields {
    let mut line_cells = cells(line);
    // A code or row number printed before the name is not part of the result.
    while line_cells.len() > 1
        && is_row_code(&line_cells[0].text())
        && reads_as_name(&line_cells[1])
    {
        line_cells.remove(0);
    }
    let mut f = Fields {
        only_name: line_cells.len() == 1,
        ..Default::default()
    };
    let Some(first) = line_cells.first() else {
        return f;
    };
    let name = first.text();
    let sex_range = first
        .words
        .first()
        .is_some_and(|w| is_sex_label(&w.text, first.words.get(1).map_or("", |n| n.text.as_str())));
    if !is_name_text(&name) || is_unit_cell(first) || sex_range {
        let words: Vec<&Word> = line_cells.iter().flat_map(|c| c.words.iter()).collect();
        let tail = read_tail(&texts(&words), false);
        if tail.value.is_none() && tail.range.is_none() && tail.unit.is_none() || tail.leftover > 2
        {
            f.noise = true;
        }
        apply_tail(&mut f, tail, &words);
        return f;
    }
    let rest: Vec<&Word> = line_cells[1..]
        .iter()
        .flat_map(|c| c.words.iter())
        .collect();
    let rest_tail = read_tail(&texts(&rest), false);
    let (name_words, rest, tail) = match split_glued_name(first, &rest, &rest_tail) {
        Some((k, tail_words, tail)) => {
            f.only_name = false;
            (
                first.words[..k].iter().collect::<Vec<_>>(),
                tail_words,
                tail,
            )
        }
        None => (first.words.iter().collect(), rest, rest_tail),
    };
    f.name = Some(
        name_words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    f.name_bbox = name_words.iter().map(|w| w.bbox).reduce(union);
    f.name_bold = name_words.iter().all(|w| w.bold);
    if rest.is_empty() {
        return f;
    }
    if tail.value.is_none() {
        // A word result in a cell of its own ("Nitritos   negativo   negativo").
        if let Some(cell) = line_cells.get(1).filter(|c| qualitative_cell(c)) {
            f.value = Some(cell.text());
            f.value_bbox = Some(cell_bbox(cell));
            f.value_bold = cell.words.iter().any(|w| w.bold);
            if let Some(next) = line_cells.get(2).filter(|c| qualitative_cell(c)) {
                f.range = Some(next.text());
            }
            f.noise = line_cells.len() > 4;
            return f;
        }
    }
    if tail.value.is_none() || tail.leftover > 3 {
        f.noise = true;
    }
    apply_tail(&mut f, tail, &rest);
    f
}

/// A short cell holding a word result: "negative", "Not detected", "trace".
fn qualitative_cell(cell: &Cell) -> bool {
    cell.words.len() <= 3
        && cell
            .words
            .first()
            .is_some_and(|w| is_qualitative_start(&w.text))
}

/// A name cell that swallowed its value ("Sodium 143 mmol/L" printed with single spaces):
/// where the value starts, and the words from there on. Only when the other cells hold no
/// value themselves (else the number belongs to the name: "Vitamin D 25 OH   30 ng/mL").
fn split_glued_name<'a>(
    first: &'a Cell,
    rest: &[&'a Word],
    rest_tail: &Tail,
) -> Option<(usize, Vec<&'a Word>, Tail)> {
    if first.words.len() < 2 || first.text().ends_with('.') {
        return None;
    }
    if !rest.is_empty() && rest_tail.value.is_some() {
        return None;
    }
    let k = (1..first.words.len()).find(|&k| {
        let t = first.words[k].text.as_str();
        is_number(t) || is_bound(t) || is_comparator(t)
    })?;
    let head: Vec<&str> = first.words[..k].iter().map(|w| w.text.as_str()).collect();
    if k > 6 || !is_name_text(&head.join(" ")) {
        return None;
    }
    let mut tail_words: Vec<&Word> = first.words[k..].iter().collect();
    tail_words.extend(rest.iter().copied());
    let tail = read_tail(&texts(&tail_words), false);
    let complete =
        tail.value.is_some() && (tail.unit.is_some() || tail.range.is_some()) && tail.leftover <= 2;
    complete.then_some((k, tail_words, tail))
}

fn apply_tail(f: &mut Fields, tail: Tail, words: &[&Word]) {
    if let Some((s, e)) = tail.value_span {
        let used = &words[s.min(words.len())..e.min(words.len())];
        f.value_bbox = used.iter().map(|w| w.bbox).reduce(union);
        f.value_bold = used.iter().any(|w| w.bold);
    }
    f.value = tail.value;
    f.unit = tail.unit;
    f.flag = tail.flag;
    if let Some(r) = tail.range {
        set_range(f, r);
    }
}

/// A LOINC-style code (`2345-7`) or a row number (`12`, `12.`) in a column of its own.
fn is_row_code(text: &str) -> bool {
    let t = text.trim_end_matches('.');
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match t.split_once('-') {
        Some((a, b)) => digits(a) && a.len() <= 6 && b.len() == 1 && digits(b),
        None => digits(t) && t.len() <= 3,
    }
}

/// A cell holding only a unit (`x10^9/L`, `ng/mL`): the start of a value line printed below its
/// name in unit–value order, not a name ("A/G" and "BUN/Creatinine" are names).
fn is_unit_cell(cell: &Cell) -> bool {
    let [word] = cell.words.as_slice() else {
        return false;
    };
    let t = word.text.as_str();
    const MARKS: &[&str] = &["/l", "/L", "/µ", "/μ", "/u", "/d", "/m", "/h", "/k", "^"];
    is_unit_like(t) && t.chars().count() <= 10 && MARKS.iter().any(|m| t.contains(m))
}

/// A cell that starts with a word of a name, not a unit.
fn reads_as_name(cell: &Cell) -> bool {
    is_name_text(&cell.text()) && cell.words.first().is_some_and(|w| !is_unit_like(&w.text))
}

fn cell_bbox(cell: &Cell) -> BBox {
    cell.words
        .iter()
        .map(|w| w.bbox)
        .reduce(union)
        .unwrap_or([0.0; 4])
}
