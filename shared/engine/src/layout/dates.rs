//! Dates printed on reports → ISO `YYYY-MM-DD`, and the labelled report dates.

use super::lines::Line;
use crate::model::ReportDates;

/// Day-month order for all-numeric dates, decided once per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericOrder {
    DayFirst,
    MonthFirst,
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // German, French, Italian, Spanish.
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("mär", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("okt", 10),
    ("dezember", 12),
    ("dez", 12),
    ("janvier", 1),
    ("janv", 1),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fév", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    ("gennaio", 1),
    ("gen", 1),
    ("febbraio", 2),
    ("marzo", 3),
    ("aprile", 4),
    ("maggio", 5),
    ("mag", 5),
    ("giugno", 6),
    ("giu", 6),
    ("luglio", 7),
    ("lug", 7),
    ("agosto", 8),
    ("ago", 8),
    ("settembre", 9),
    ("set", 9),
    ("ottobre", 10),
    ("ott", 10),
    ("dicembre", 12),
    ("dic", 12),
    ("enero", 1),
    ("ene", 1),
    ("febrero", 2),
    ("abril", 4),
    ("abr", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("septiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
];

fn month(s: &str) -> Option<u32> {
    let l = s.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == l).map(|(_, m)| *m)
}

fn valid(y: i32, m: u32, d: u32) -> Option<String> {
    if !(1900..=2100).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if d > days[(m - 1) as usize] {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn year(s: &str) -> Option<i32> {
    let y: i32 = s.parse().ok()?;
    match s.len() {
        4 => Some(y),
        2 => Some(if y < 70 { 2000 + y } else { 1900 + y }),
        _ => None,
    }
}

/// The first date in `text`, as ISO. `order` settles `01/08/2025`; without it day first
/// unless the numbers rule it out.
pub fn parse_date(text: &str, order: Option<NumericOrder>) -> Option<String> {
    find_date(text, order).map(|(d, _)| d)
}

/// The first date in `text` and the byte offset just after it.
pub fn find_date(text: &str, order: Option<NumericOrder>) -> Option<(String, usize)> {
    let tokens = tokenize(text);
    for i in 0..tokens.len() {
        // Numeric: d/m/y, m/d/y, y-m-d, d.m.y (one token with separators).
        let (t, _, end) = &tokens[i];
        if let Some(d) = numeric_date(t, order) {
            return Some((d, *end));
        }
        // Textual: "15-Jan-2024", "15 Jan 2024", "Jan 15, 2024", "15. Januar 2024".
        let parts: Vec<&str> = t
            .split(['-', '/', '.', ' '])
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() == 3
            && let (Ok(d), Some(m), Some(y)) =
                (parts[0].parse::<u32>(), month(parts[1]), year(parts[2]))
            && let Some(iso) = valid(y, m, d)
        {
            return Some((iso, *end));
        }
        if i + 2 < tokens.len() {
            let a = tokens[i].0.trim_end_matches(['.', ',']);
            let b = tokens[i + 1].0.trim_end_matches(['.', ',']);
            let c = tokens[i + 2].0.trim_end_matches(['.', ',']);
            if let (Ok(d), Some(m), Some(y)) = (a.parse::<u32>(), month(b), year(c))
                && c.len() == 4
                && let Some(iso) = valid(y, m, d)
            {
                return Some((iso, tokens[i + 2].2));
            }
            if let (Some(m), Ok(d), Some(y)) = (month(a), b.parse::<u32>(), year(c))
                && c.len() == 4
                && let Some(iso) = valid(y, m, d)
            {
                return Some((iso, tokens[i + 2].2));
            }
        }
    }
    None
}

fn tokenize(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let sep = c.is_whitespace() || c == ',' || c == '|' || c == ';';
        match (sep, start) {
            (true, Some(s)) => {
                out.push((text[s..i].to_string(), s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((text[s..].to_string(), s, text.len()));
    }
    out
}

fn numeric_date(t: &str, order: Option<NumericOrder>) -> Option<String> {
    let t = t.trim_matches(|c: char| !c.is_ascii_digit());
    let sep = t.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let mut parts: Vec<&str> = t.split(sep).collect();
    if let Some(last) = parts.get_mut(2) {
        *last = strip_glued_time(last);
    }
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if parts[0].len() == 4 {
        let y = year(parts[0])?;
        return valid(y, parts[1].parse().ok()?, parts[2].parse().ok()?);
    }
    let a: u32 = parts[0].parse().ok()?;
    let b: u32 = parts[1].parse().ok()?;
    let y = year(parts[2])?;
    if parts[0].len() > 2 || parts[1].len() > 2 {
        return None;
    }
    let month_first = match order {
        _ if a > 12 => false,
        _ if b > 12 => true,
        Some(NumericOrder::MonthFirst) => true,
        _ => false,
    };
    if month_first {
        valid(y, a, b)
    } else {
        valid(y, b, a)
    }
}

/// OCR often loses the space between a date and its time ("16.01.202407:50"): the year is
/// the four digits before a glued `H:MM` / `HH:MM`.
fn strip_glued_time(last: &str) -> &str {
    let Some(colon) = last.find(':') else {
        return last;
    };
    let digits = &last[..colon];
    if digits.bytes().all(|b| b.is_ascii_digit()) && (5..=6).contains(&digits.len()) {
        &last[..4]
    } else {
        last
    }
}

/// Looks at every numeric date of a document to tell day-first from month-first.
pub fn numeric_order(texts: &[String]) -> Option<NumericOrder> {
    let mut day_first = 0;
    let mut month_first = 0;
    for text in texts {
        for (t, _, _) in tokenize(text) {
            let t = t.trim_matches(|c: char| !c.is_ascii_digit());
            let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
            if parts.len() == 3 && parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2
            {
                let (Ok(a), Ok(b)) = (parts[0].parse::<u32>(), parts[1].parse::<u32>()) else {
                    continue;
                };
                if a > 12 && b <= 12 {
                    day_first += 1;
                } else if b > 12 && a <= 12 {
                    month_first += 1;
                }
            }
        }
    }
    match (day_first, month_first) {
        (0, 0) => None,
        (d, m) if m > d => Some(NumericOrder::MonthFirst),
        _ => Some(NumericOrder::DayFirst),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    Collected,
    Received,
    Reported,
    Generic,
    /// Birth dates and the like: never a report date.
    Ignored,
}

fn fold(s: &str) -> String {
    s.to_lowercase()
        .replace(['é', 'è'], "e")
        .replace('ó', "o")
        .replace('à', "a")
}

/// Label keywords, checked in this order (the first match before a date wins).
const LABELS: &[(&str, DateKind)] = &[
    ("birth", DateKind::Ignored),
    ("dob", DateKind::Ignored),
    ("d.o.b", DateKind::Ignored),
    ("born", DateKind::Ignored),
    ("geburt", DateKind::Ignored),
    ("geb.", DateKind::Ignored),
    ("ne le", DateKind::Ignored),
    ("nee le", DateKind::Ignored),
    ("naissance", DateKind::Ignored),
    ("nascita", DateKind::Ignored),
    ("nacimiento", DateKind::Ignored),
    ("collect", DateKind::Collected),
    ("sample date", DateKind::Collected),
    ("sampling", DateKind::Collected),
    ("sampled", DateKind::Collected),
    ("specimen date", DateKind::Collected),
    ("drawn", DateKind::Collected),
    ("draw date", DateKind::Collected),
    ("entnahme", DateKind::Collected),
    ("abnahme", DateKind::Collected),
    ("probenahme", DateKind::Collected),
    ("preleve", DateKind::Collected),
    ("prelevement", DateKind::Collected),
    ("prelievo", DateKind::Collected),
    ("extraccion", DateKind::Collected),
    ("toma de muestra", DateKind::Collected),
    ("fecha de toma", DateKind::Collected),
    ("receiv", DateKind::Received),
    ("registered", DateKind::Received),
    ("registration", DateKind::Received),
    ("reg date", DateKind::Received),
    ("reg. date", DateKind::Received),
    ("eingang", DateKind::Received),
    ("recu le", DateKind::Received),
    ("reception", DateKind::Received),
    ("accettazione", DateKind::Received),
    ("recepcion", DateKind::Received),
    ("report", DateKind::Reported),
    ("printed", DateKind::Reported),
    ("generated", DateKind::Reported),
    ("validated", DateKind::Reported),
    ("authori", DateKind::Reported),
    ("befund", DateKind::Reported),
    ("valide", DateKind::Reported),
    ("edite", DateKind::Reported),
    ("referto", DateKind::Reported),
    ("informe", DateKind::Reported),
    ("emision", DateKind::Reported),
    ("date", DateKind::Generic),
    ("datum", DateKind::Generic),
    ("fecha", DateKind::Generic),
    ("data", DateKind::Generic),
];

/// Every labelled date on a line: the label nearest before each date decides its kind.
pub fn labelled_dates(
    text: &str,
    order: Option<NumericOrder>,
) -> Vec<(DateKind, String, Option<String>)> {
    let mut out = Vec::new();
    let mut offset = 0;
    while offset < text.len() {
        let Some((date, end)) = find_date(&text[offset..], order) else {
            break;
        };
        let date_end = offset + end;
        // The label is the last keyword between the previous date and this one; a specific
        // keyword ("Report Date", "Sample Date") beats the generic "date" right after it.
        let before = fold(&text[offset..date_end]);
        // OCR splits words ("Collec ted"): try again without spaces when no label is found.
        let squeezed: String = before.chars().filter(|c| !c.is_whitespace()).collect();
        let kind = label_kind(&before, false).or_else(|| label_kind(&squeezed, true));
        let time = find_time(&text[date_end..]).or_else(|| find_time(&text[offset..date_end]));
        if let Some(kind) = kind {
            out.push((kind, date, time));
        }
        offset = date_end;
    }
    out
}

/// The kind of the label nearest before a date, from the folded text before it.
fn label_kind(before: &str, squeezed: bool) -> Option<DateKind> {
    let mut specific: Option<(usize, DateKind)> = None;
    let mut generic: Option<usize> = None;
    for (kw, k) in LABELS {
        let kw = if squeezed {
            kw.replace(' ', "")
        } else {
            kw.to_string()
        };
        if let Some(p) = before.rfind(&kw) {
            if *k == DateKind::Generic {
                if generic.is_none_or(|g| p > g) {
                    generic = Some(p);
                }
            } else if specific.is_none_or(|(b, _)| p > b) {
                specific = Some((p, *k));
            }
        }
    }
    match (specific, generic) {
        (Some((s, k)), Some(g)) if g <= s + 16 => Some(k),
        (_, Some(_)) => Some(DateKind::Generic),
        (Some((_, k)), None) => Some(k),
        (None, None) => None,
    }
}

/// `07:45`, `7:45 pm`, `04:55 PM` → `HH:MM` (24 h), looking only at the first few tokens.
pub fn find_time(text: &str) -> Option<String> {
    let tokens: Vec<&str> = text.split_whitespace().take(3).collect();
    for (i, t) in tokens.iter().enumerate() {
        let t = t.trim_matches(|c: char| !c.is_ascii_digit() && c != ':');
        let mut parts = t.split(':');
        let (Some(h), Some(m)) = (parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(mut h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>()) else {
            continue;
        };
        if h > 23 || m > 59 || t.len() < 4 {
            continue;
        }
        if let Some(next) = tokens.get(i + 1) {
            let n = next.to_lowercase();
            if n.starts_with("pm") && h < 12 {
                h += 12;
            } else if n.starts_with("am") && h == 12 {
                h = 0;
            }
        }
        return Some(format!("{h:02}:{m:02}"));
    }
    None
}

/// Report dates from the lines of a document (or of one of its pages).
pub fn report_dates(lines: &[&Line], order: Option<NumericOrder>) -> ReportDates {
    let mut dates = ReportDates::default();
    let mut generic = None;
    for line in lines {
        for (kind, date, time) in labelled_dates(&line.text(), order) {
            match kind {
                DateKind::Collected if dates.collected.is_none() => {
                    dates.collected = Some(date);
                    dates.collected_time = time;
                }
                DateKind::Received if dates.received.is_none() => dates.received = Some(date),
                DateKind::Reported if dates.reported.is_none() => dates.reported = Some(date),
                DateKind::Generic if generic.is_none() => generic = Some(date),
                _ => {}
            }
        }
    }
    if dates.collected.is_none() {
        dates.collected = generic;
    }
    dates
}
