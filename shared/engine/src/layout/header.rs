//! Table header lines: column names in several languages → column roles and x-extents.

use super::dates::NumericOrder;
use super::lines::{Cell, Line, cells};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Name,
    Value,
    Unit,
    Range,
    Flag,
    Other,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub role: Role,
    pub x0: f32,
    pub x1: f32,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub columns: Vec<Column>,
    /// Dates printed as column titles (cumulative reports), with the column index.
    pub date_columns: Vec<(usize, String)>,
    /// Extents of titles no word list names ("Einh.", "Val."): their role is learnt from the
    /// cells printed below them ([`Header::learn_untitled`]).
    pub untitled: Vec<(f32, f32)>,
}

impl Header {
    /// The role of a cell: the column whose extent is nearest to the cell's centre.
    pub fn role_at(&self, cell: &Cell) -> Role {
        self.column_at(cell)
            .map(|i| self.columns[i].role)
            .unwrap_or(Role::Other)
    }

    pub fn column_at(&self, cell: &Cell) -> Option<usize> {
        let c = cell.center();
        let mut best: Option<(usize, f32)> = None;
        for (i, col) in self.columns.iter().enumerate() {
            let d = if c < col.x0 {
                col.x0 - c
            } else if c > col.x1 {
                c - col.x1
            } else {
                0.0
            };
            // Left-aligned text starting at a column's left edge belongs to that column.
            let d = if (cell.x0 - col.x0).abs() < 3.0 {
                0.0
            } else {
                d
            };
            if best.is_none_or(|(_, bd)| d < bd) {
                best = Some((i, d));
            }
        }
        best.map(|(i, _)| i)
    }

    pub fn has(&self, role: Role) -> bool {
        self.columns.iter().any(|c| c.role == role)
    }
}

fn norm(s: &str) -> String {
    super::tokens::fold_accents(s)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '.')
        .collect::<String>()
        .trim()
        .to_string()
}

/// The role a header cell's text names, if any.
pub fn role_of(text: &str) -> Option<Role> {
    let t = norm(text);
    let t = t.trim_end_matches('.');
    if t.is_empty() {
        return None;
    }
    // Whole phrases first: "In Range" is a value column, "Reference Range" a range column.
    const VALUE_PHRASES: &[&str] = &["in range", "out of range", "within range", "outside range"];
    if VALUE_PHRASES.contains(&t) {
        return Some(Role::Value);
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    let has = |list: &[&str]| {
        words
            .iter()
            .any(|w| list.contains(&w.trim_end_matches('.')))
    };
    const RANGE: &[&str] = &[
        "reference",
        "ref",
        "range",
        "interval",
        "normal",
        "normals",
        "referenz",
        "referenzbereich",
        "normbereich",
        "normalbereich",
        "referenzwerte",
        "referencia",
        "riferimento",
        "reference",
        "normales",
        "normali",
        "biological",
        "bio",
        "limits",
        "limites",
        "expected",
        "usuelles",
        "usuel",
        "normes",
        "norme",
        "norm",
        "normwerte",
        "normwert",
        "referentie",
        "referentiewaarde",
        "referentiewaarden",
        "normaalwaarde",
        "normaalwaarden",
        "referencia",
        "intervalo",
        "intervallo",
        "bereich",
    ];
    const UNIT: &[&str] = &[
        "unit",
        "units",
        "unite",
        "unites",
        "einheit",
        "unidad",
        "unidades",
        "unita",
        "uom",
        "unidade",
        "eenheid",
        "eenheden",
        "einh",
        "u.m",
        "um",
        "unid",
        "eenh",
        "einheiten",
        "ud",
        "uds",
    ];
    const VALUE: &[&str] = &[
        "result",
        "results",
        "value",
        "values",
        "observed",
        "resultat",
        "resultats",
        "ergebnis",
        "befund",
        "wert",
        "messwert",
        "resultado",
        "resultados",
        "risultato",
        "risultati",
        "valeur",
        "valore",
        "valor",
        "finding",
        "findings",
        "reading",
        "observation",
        "uitslag",
        "uitslagen",
        "resultaat",
        "waarde",
        "esito",
    ];
    const NAME: &[&str] = &[
        "test",
        "tests",
        "investigation",
        "investigations",
        "parameter",
        "parameters",
        "analyte",
        "analytes",
        "examination",
        "description",
        "name",
        "parametre",
        "parametres",
        "analyse",
        "analyses",
        "examen",
        "untersuchung",
        "analyt",
        "esame",
        "esami",
        "prueba",
        "pruebas",
        "determinacion",
        "determinaciones",
        "estudio",
        "analisi",
        "analisis",
        "analise",
        "analises",
        "component",
        "components",
        "exame",
        "exames",
        "parametro",
        "parametros",
        "analito",
        "bepaling",
        "bepalingen",
        "onderzoek",
        "analysis",
        "determination",
        "prestation",
    ];
    const FLAG: &[&str] = &["flag", "flags", "status", "indicator", "kennzeichen", "h/l"];
    // Previous results ("Vorbefund", "Previous Result", "Antériorités"): never today's value.
    const PREVIOUS: &[&str] = &[
        "previous",
        "prev",
        "prior",
        "vorbefund",
        "vorwert",
        "vorwerte",
        "anteriorite",
        "anteriorites",
        "anterieur",
        "precedente",
        "precedenti",
        "anterior",
        "anteriores",
    ];
    if has(PREVIOUS) && words.len() <= 3 {
        return Some(Role::Other);
    }
    const CODE: &[&str] = &["code", "loinc", "codigo", "codice", "kode", "cod"];
    if has(CODE) && words.len() <= 3 {
        return Some(Role::Other);
    }
    // Order matters: "Reference Value" and "Normal Values" are ranges, "Test Result" a value.
    if has(RANGE) && words.len() <= 4 {
        return Some(Role::Range);
    }
    if has(UNIT) && words.len() <= 3 {
        return Some(Role::Unit);
    }
    if has(VALUE) && words.len() <= 3 {
        return Some(Role::Value);
    }
    if has(NAME) && words.len() <= 3 {
        return Some(Role::Name);
    }
    if has(FLAG) && words.len() <= 2 {
        return Some(Role::Flag);
    }
    if matches!(
        t,
        "lab" | "method" | "methode" | "methodik" | "metodo" | "site" | "comment" | "methode."
    ) {
        return Some(Role::Other);
    }
    None
}

/// A header line has a value column and at least one other known column, and little else.
pub fn detect(line: &Line) -> Option<Header> {
    detect_with_order(line, None)
}

/// [`detect`], reading dates printed as column titles in the document's day-month order.
pub fn detect_with_order(line: &Line, order: Option<NumericOrder>) -> Option<Header> {
    let line_cells = cells(line);
    // Cumulative tables title a column per collection date: up to a dozen columns.
    if line_cells.len() < 2 || line_cells.len() > 16 {
        return None;
    }
    let mut columns = Vec::new();
    let mut date_columns = Vec::new();
    let mut unknown = 0;
    let mut untitled = Vec::new();
    for cell in &line_cells {
        let text = cell.text();
        // "Result Unit" printed with one space: two columns, whatever the phrase reads as.
        let glued = split_glued(cell);
        if names_value_and_unit(&glued) {
            columns.extend(glued);
            continue;
        }
        // A date in a column title makes a date column, whatever else the title says
        // ("Previous 10/10/2023").
        let role = match super::dates::parse_date(&text, order) {
            Some(_) => None,
            None => role_of(&text),
        };
        // Cells such as "Test Name Result" glued by narrow spacing: try word by word too.
        match role {
            Some(role) => columns.push(Column {
                role,
                x0: cell.x0,
                x1: cell.x1,
            }),
            None => {
                if let Some(date) = super::dates::parse_date(&text, order) {
                    date_columns.push((columns.len(), date));
                    columns.push(Column {
                        role: Role::Value,
                        x0: cell.x0,
                        x1: cell.x1,
                    });
                } else if glued.is_empty() {
                    unknown += 1;
                    untitled.push((cell.x0, cell.x1));
                } else {
                    columns.extend(glued);
                }
            }
        }
    }
    let values = columns.iter().filter(|c| c.role == Role::Value).count();
    let others = columns
        .iter()
        .filter(|c| matches!(c.role, Role::Name | Role::Unit | Role::Range))
        .count();
    if values == 0 || others == 0 || unknown > 1 {
        return None;
    }
    Some(Header {
        columns,
        date_columns,
        untitled,
    })
}

/// Header words printed with single spaces ("Test Result Unit"): one column per word.
fn split_glued(cell: &Cell) -> Vec<Column> {
    let mut out = Vec::new();
    for w in &cell.words {
        match role_of(&w.text) {
            Some(role) => out.push(Column {
                role,
                x0: w.bbox[0],
                x1: w.bbox[2],
            }),
            None => return Vec::new(),
        }
    }
    if out.len() >= 2 { out } else { Vec::new() }
}

fn names_value_and_unit(columns: &[Column]) -> bool {
    columns.iter().any(|c| c.role == Role::Value) && columns.iter().any(|c| c.role == Role::Unit)
}

impl Header {
    /// Tables printed side by side under one header line ("Test Result Unit Range | Test
    /// Result Unit Range"): one header per block, with the left edge of each block. A block
    /// starts at a name column that follows a value column.
    pub fn blocks(&self) -> Vec<(f32, Header)> {
        let mut starts = vec![0usize];
        let mut seen_value = false;
        for (i, c) in self.columns.iter().enumerate() {
            if c.role == Role::Name && seen_value && i > 0 {
                starts.push(i);
                seen_value = false;
            }
            if c.role == Role::Value {
                seen_value = true;
            }
        }
        // every block must be a table of its own ("Test Code" after the range is no block)
        let has_value =
            |from: usize, to: usize| self.columns[from..to].iter().any(|c| c.role == Role::Value);
        let bounds: Vec<usize> = starts
            .iter()
            .copied()
            .chain(std::iter::once(self.columns.len()))
            .collect();
        if starts.len() < 2 || bounds.windows(2).any(|w| !has_value(w[0], w[1])) {
            return vec![(f32::MIN, self.clone())];
        }
        let mut out = Vec::new();
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(self.columns.len());
            let columns = self.columns[start..end].to_vec();
            let date_columns = self
                .date_columns
                .iter()
                .filter(|(i, _)| (start..end).contains(i))
                .map(|(i, d)| (i - start, d.clone()))
                .collect();
            let left = if k == 0 {
                f32::MIN
            } else {
                // Data is left-aligned with, or a little left of, its name column.
                self.columns[start].x0 - 4.0
            };
            out.push((
                left,
                Header {
                    columns,
                    date_columns,
                    untitled: Vec::new(),
                },
            ));
        }
        out
    }
}

/// What a cell below a title holds, for learning the title's role.
fn content_role(text: &str) -> Role {
    use super::tokens::{is_bound, is_number, is_range_token, is_unit_like};
    let tokens: Vec<String> = text.split_whitespace().map(String::from).collect();
    let Some(first) = tokens.first() else {
        return Role::Other;
    };
    if super::cells::starts_range(&tokens, 0)
        && !(is_number(first) && tokens.len() == 1)
        && (tokens.len() > 1 || is_range_token(first) || first.starts_with(['[', '(']))
    {
        return Role::Range;
    }
    if is_number(first) || is_bound(first) {
        return Role::Value;
    }
    if tokens.len() <= 2 && is_unit_like(first) {
        return Role::Unit;
    }
    Role::Other
}

impl Header {
    /// Gives each untitled column the role most cells printed below it have (at least two of
    /// the next lines, and three in four of those with a cell there), when the header lacks it.
    pub fn learn_untitled(&mut self, below: &[&Line]) {
        if self.untitled.is_empty() || self.blocks().len() > 1 {
            return;
        }
        for (x0, x1) in std::mem::take(&mut self.untitled) {
            let mut votes: Vec<Role> = Vec::new();
            for line in below.iter().take(15) {
                for cell in cells(line) {
                    let c = cell.center();
                    if (cell.x0 - x0).abs() < 3.0 || (c >= x0 - 2.0 && c <= x1 + 2.0) {
                        votes.push(content_role(&cell.text()));
                    }
                }
            }
            for role in [Role::Unit, Role::Range, Role::Value] {
                let n = votes.iter().filter(|r| **r == role).count();
                if n >= 2 && n * 4 >= votes.len() * 3 && !self.has(role) {
                    self.columns.push(Column { role, x0, x1 });
                    break;
                }
            }
        }
    }
}
