//! Dates printed on reports → ISO `YYYY-MM-DD`, and the labelled report dates.

use super::lines::Line;
use crate::model::ReportDates;

/// Day-month order for all-numeric dates, decided once per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericOrder {
    DayFirst,
    MonthFirst,
}

/// Month names and abbreviations in en, de, fr, it, es, pt and nl, without accents (the text is
/// folded before the look-up: `févr.` → `fevr`, `März` → `marz`).
const MONTHS: &[(&str, u32)] = &[
    // English
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
    // German
    ("januar", 1),
    ("janner", 1),
    ("jaenner", 1),
    ("februar", 2),
    ("feber", 2),
    ("marz", 3),
    ("maerz", 3),
    ("mrz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("okt", 10),
    ("dezember", 12),
    ("dez", 12),
    // French
    ("janvier", 1),
    ("janv", 1),
    ("fevrier", 2),
    ("fevr", 2),
    ("fev", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("decembre", 12),
    // Italian
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
    // Spanish
    ("enero", 1),
    ("ene", 1),
    ("febrero", 2),
    ("abril", 4),
    ("abr", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("out", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mrt", 3),
    ("mei", 5),
    ("augustus", 8),
];

fn month(s: &str) -> Option<u32> {
    let l = super::tokens::fold_accents(s.trim_end_matches(['.', ',']));
    MONTHS.iter().find(|(n, _)| *n == l).map(|(_, m)| *m)
}

/// Words printed between the parts of a textual date: `12 de febrero de 2024`,
/// `12 de fevereiro de 2024`, `12 del 2024`.
fn is_date_filler(s: &str) -> bool {
    matches!(s.to_lowercase().as_str(), "de" | "del" | "di")
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
        // Textual: "15-Jan-2024", "15.Jan.24", "Feb-12-2024".
        let parts: Vec<&str> = t
            .split(['-', '/', '.', ' '])
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() == 3 {
            let dmy = (parts[0].parse::<u32>(), month(parts[1]), year(parts[2]));
            if let (Ok(d), Some(m), Some(y)) = dmy
                && let Some(iso) = valid(y, m, d)
            {
                return Some((iso, *end));
            }
            let mdy = (month(parts[0]), parts[1].parse::<u32>(), year(parts[2]));
            if let (Some(m), Ok(d), Some(y)) = mdy
                && let Some(iso) = valid(y, m, d)
            {
                return Some((iso, *end));
            }
        }
        // Over several tokens: "15 Jan 2024", "15. Januar 2024", "12 de febrero de 2024",
        // "Feb 12, 2024", "February 12 2024", "12 févr. 24".
        let words: Vec<usize> = (i..tokens.len())
            .filter(|&k| k == i || !is_date_filler(&tokens[k].0))
            .take(3)
            .collect();
        if words.len() == 3 && words[2] - i <= 4 {
            let piece = |k: usize| tokens[k].0.trim_end_matches(['.', ',']);
            let (a, b, c) = (piece(words[0]), piece(words[1]), piece(words[2]));
            let last = tokens[words[2]].2;
            // Two-digit years only with a month name and a plain two-digit token.
            let y = year(c).filter(|_| c.len() == 4 || c.bytes().all(|b| b.is_ascii_digit()));
            let day = |x: &str| {
                (x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| x.parse::<u32>().ok())
                    .flatten()
            };
            if let (Some(d), Some(m), Some(y)) = (day(a), month(b), y)
                && let Some(iso) = valid(y, m, d)
            {
                return Some((iso, last));
            }
            if let (Some(m), Some(d), Some(y)) = (month(a), day(b), y)
                && let Some(iso) = valid(y, m, d)
            {
                return Some((iso, last));
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
        // ISO date-time: "2024-02-12T08:30:00Z"
        if let Some((day, _)) = last.split_once('T') {
            *last = day;
        }
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
    super::tokens::fold_accents(s)
}

/// Label keywords, checked in this order (the first match before a date wins). Keywords are
/// folded (lower case, no accents) and match inside words: `afname` in `Afnamedatum`.
const LABELS: &[(&str, DateKind)] = &[
    ("birth", DateKind::Ignored),
    ("dob", DateKind::Ignored),
    ("d.o.b", DateKind::Ignored),
    ("born", DateKind::Ignored),
    ("geburt", DateKind::Ignored),
    ("geb.", DateKind::Ignored),
    ("geboren", DateKind::Ignored),
    ("geboorte", DateKind::Ignored),
    ("ne le", DateKind::Ignored),
    ("nee le", DateKind::Ignored),
    ("ne(e) le", DateKind::Ignored),
    ("naissance", DateKind::Ignored),
    ("nascita", DateKind::Ignored),
    ("nacimiento", DateKind::Ignored),
    ("nascimento", DateKind::Ignored),
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
    ("obtencion", DateKind::Collected),
    ("colheita", DateKind::Collected),
    ("coleta", DateKind::Collected),
    ("afname", DateKind::Collected),
    ("monstername", DateKind::Collected),
    ("receiv", DateKind::Received),
    ("registered", DateKind::Received),
    ("registration", DateKind::Received),
    ("reg date", DateKind::Received),
    ("reg. date", DateKind::Received),
    ("eingang", DateKind::Received),
    ("recu le", DateKind::Received),
    ("reception", DateKind::Received),
    ("accettazione", DateKind::Received),
    ("ricevimento", DateKind::Received),
    ("recepcion", DateKind::Received),
    ("recepcao", DateKind::Received),
    ("rececao", DateKind::Received),
    ("recebido", DateKind::Received),
    ("ontvangst", DateKind::Received),
    ("ontvangen", DateKind::Received),
    ("binnenkomst", DateKind::Received),
    ("report", DateKind::Reported),
    ("rapport", DateKind::Reported),
    ("printed", DateKind::Reported),
    ("generated", DateKind::Reported),
    ("validat", DateKind::Reported),
    ("validad", DateKind::Reported),
    ("validiert", DateKind::Reported),
    ("validacao", DateKind::Reported),
    ("authori", DateKind::Reported),
    ("befund", DateKind::Reported),
    ("freigabe", DateKind::Reported),
    ("valide", DateKind::Reported),
    ("edite", DateKind::Reported),
    ("referto", DateKind::Reported),
    ("refertat", DateKind::Reported),
    ("refertazione", DateKind::Reported),
    ("informe", DateKind::Reported),
    ("emision", DateKind::Reported),
    ("relatorio", DateKind::Reported),
    ("laudo", DateKind::Reported),
    ("liberado", DateKind::Reported),
    ("liberacao", DateKind::Reported),
    ("uitslag", DateKind::Reported),
    ("verslag", DateKind::Reported),
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
        let before_date = &text[offset..date_end];
        // The time after the date, glued to it ("2024-02-12T08:30"), or printed before it.
        let date_token = before_date
            .rfind(char::is_whitespace)
            .map_or(before_date, |k| &before_date[k..]);
        let time = find_time(&text[date_end..])
            .or_else(|| find_time(date_token))
            .or_else(|| find_time(before_date));
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
        // ISO date-time: the time follows the `T`.
        let t = match t.split_once('T') {
            Some((d, time)) if d.ends_with(|c: char| c.is_ascii_digit()) => time,
            _ => t,
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Option<String> {
        parse_date(text, None)
    }

    #[test]
    fn textual_dates_in_seven_languages() {
        for t in [
            "12 Feb 2024",
            "12-Feb-2024",
            "12-FEB-2024",
            "12.Feb.2024",
            "12 Feb. 2024",
            "12 February 2024",
            "Feb 12, 2024",
            "Feb. 12, 2024",
            "February 12 2024",
            "February 12, 2024",
            "12-Feb-24",
            "12 Feb 24",
            "12 febbraio 2024",
            "12 feb 2024",
            "12. Februar 2024",
            "12. Feber 2024",
            "12 février 2024",
            "12 fevrier 2024",
            "12 févr. 2024",
            "12 FÉVRIER 2024",
            "12 de febrero de 2024",
            "12 de fevereiro de 2024",
            "12 fev 2024",
            "12 februari 2024",
            "12 Feb, 2024",
        ] {
            assert_eq!(iso(t).as_deref(), Some("2024-02-12"), "{t}");
        }
        for (t, d) in [
            ("3 März 2024", "2024-03-03"),
            ("3 Marz 2024", "2024-03-03"),
            ("3 mrt 2024", "2024-03-03"),
            ("3 maart 2024", "2024-03-03"),
            ("3 março 2024", "2024-03-03"),
            ("1 mei 2024", "2024-05-01"),
            ("1 maio 2024", "2024-05-01"),
            ("1 mai 2024", "2024-05-01"),
            ("15 août 2024", "2024-08-15"),
            ("15 augustus 2024", "2024-08-15"),
            ("15 ago 2024", "2024-08-15"),
            ("5 set 2024", "2024-09-05"),
            ("5 setembro 2024", "2024-09-05"),
            ("9 out 2024", "2024-10-09"),
            ("9 outubro 2024", "2024-10-09"),
            ("9 okt. 2024", "2024-10-09"),
            ("24 dic 2024", "2024-12-24"),
            ("24 dez. 2024", "2024-12-24"),
            ("24 déc. 2024", "2024-12-24"),
            ("7 gen 2024", "2024-01-07"),
            ("7 janv. 2024", "2024-01-07"),
            ("7 Jänner 2024", "2024-01-07"),
            ("7 ene 2024", "2024-01-07"),
            ("7 de janeiro de 2024", "2024-01-07"),
            ("30 juin 2024", "2024-06-30"),
            ("30 junho 2024", "2024-06-30"),
            ("31 juillet 2024", "2024-07-31"),
            ("31 julho 2024", "2024-07-31"),
            ("31 luglio 2024", "2024-07-31"),
        ] {
            assert_eq!(iso(t).as_deref(), Some(d), "{t}");
        }
        // not dates
        for t in [
            "out 5 of 10",
            "12 Feb",
            "Feb 2024",
            "12 Foo 2024",
            "31 Feb 2024",
            "12 may",
        ] {
            assert_eq!(iso(t), None, "{t}");
        }
    }

    #[test]
    fn numeric_dates_and_times() {
        for (t, d) in [
            ("12/02/2024", "2024-02-12"),
            ("12/02/2024 08:30", "2024-02-12"),
            ("12.02.24", "2024-02-12"),
            ("2024-02-12", "2024-02-12"),
            ("2024-02-12T08:30:00", "2024-02-12"),
            ("2024-02-12T08:30:00Z", "2024-02-12"),
            ("2024-02-12 08:30", "2024-02-12"),
            ("12-02-98", "1998-02-12"),
        ] {
            assert_eq!(iso(t).as_deref(), Some(d), "{t}");
        }
        assert_eq!(find_time("08:30").as_deref(), Some("08:30"));
        assert_eq!(find_time("2024-02-12T08:30:00").as_deref(), Some("08:30"));
        assert_eq!(find_time("8:30 pm").as_deref(), Some("20:30"));
    }

    fn kind_and_date(text: &str) -> (DateKind, String, Option<String>) {
        labelled_dates(text, None)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no labelled date in {text}"))
    }

    #[test]
    fn collection_labels_in_seven_languages() {
        for t in [
            "Collected: 12/02/2024 08:30",
            "Collection date: 12/02/2024 08:30",
            "Sample date 12 Feb 2024 08:30",
            "Entnahme: 12.02.2024 08:30",
            "Abnahmedatum 12.02.2024 08:30",
            "Prélèvement du 12/02/2024 à 08:30",
            "Prélevé le 12/02/2024 08:30",
            "Data prelievo: 12/02/2024 08:30",
            "Prelievo del 12/02/2024 08:30",
            "Fecha de extracción: 12/02/2024 08:30",
            "Extracción 12 de febrero de 2024 08:30",
            "Fecha de toma 12/02/2024 08:30",
            "Colheita: 12/02/2024 08:30",
            "Data da colheita 12/02/2024 08:30",
            "Data de coleta 12/02/2024 08:30",
            "Afname: 12-02-2024 08:30",
            "Afnamedatum 12 februari 2024 08:30",
            "Collected 2024-02-12T08:30:00",
        ] {
            let (kind, date, time) = kind_and_date(t);
            assert_eq!(kind, DateKind::Collected, "{t}");
            assert_eq!(date, "2024-02-12", "{t}");
            assert_eq!(time.as_deref(), Some("08:30"), "{t}");
        }
    }

    #[test]
    fn report_and_receipt_labels_in_seven_languages() {
        for t in [
            "Reported: 13/02/2024",
            "Report date 13 Feb 2024",
            "Befund vom 13.02.2024",
            "Befunddatum: 13.02.2024",
            "Validé le 13/02/2024",
            "Date de validation 13/02/2024",
            "Rapport du 13/02/2024",
            "Refertato il 13/02/2024",
            "Data referto 13/02/2024",
            "Fecha de informe: 13/02/2024",
            "Relatório 13/02/2024",
            "Data do laudo 13/02/2024",
            "Uitslag 13-02-2024",
            "Validated 13 Feb 2024",
            "Freigabe 13.02.2024",
        ] {
            let (kind, date, _) = kind_and_date(t);
            assert_eq!(kind, DateKind::Reported, "{t}");
            assert_eq!(date, "2024-02-13", "{t}");
        }
        for t in [
            "Received: 13/02/2024",
            "Eingang 13.02.2024",
            "Reçu le 13/02/2024",
            "Accettazione 13/02/2024",
            "Recepción 13/02/2024",
            "Data de receção 13/02/2024",
            "Ontvangst 13-02-2024",
        ] {
            let (kind, _, _) = kind_and_date(t);
            assert_eq!(kind, DateKind::Received, "{t}");
        }
        for t in [
            "Date of birth 01/01/1980",
            "Geboortedatum 01-01-1980",
            "Data de nascimento 01/01/1980",
            "Né le 01/01/1980",
        ] {
            let (kind, _, _) = kind_and_date(t);
            assert_eq!(kind, DateKind::Ignored, "{t}");
        }
    }
}
