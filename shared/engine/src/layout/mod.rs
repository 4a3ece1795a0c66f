//! Layout: positioned words → lines → table rows → raw results, plus report-level facts
//! (dates, patient sex and age, lab name, language). One path for text layers and OCR.

pub mod blocks;
pub mod cells;
pub mod dates;
pub mod header;
pub mod lines;
pub mod meta;
pub mod rows;
pub mod sections;
pub mod tail;
pub mod tokens;

use crate::model::{FileExtraction, Page, TextSource};
use lines::Line;

/// Reads the pages of one file into its raw results and report facts.
pub fn analyze(pages: &[Page], file: usize) -> FileExtraction {
    let mut all_lines: Vec<Line> = Vec::new();
    for page in pages {
        all_lines.extend(lines::build_lines(page));
    }
    let refs: Vec<&Line> = all_lines.iter().collect();
    let texts: Vec<String> = all_lines.iter().map(|l| l.text()).collect();
    let order = dates::numeric_order(&texts);

    // Several reports in one file: each page keeps the collection date printed on it.
    let mut per_page: Vec<(u32, Option<String>)> = Vec::new();
    for page in pages {
        let page_lines: Vec<&Line> = all_lines.iter().filter(|l| l.page == page.number).collect();
        per_page.push((
            page.number,
            dates::report_dates(&page_lines, order).collected,
        ));
    }
    let mut distinct: Vec<&String> = per_page.iter().filter_map(|(_, d)| d.as_ref()).collect();
    distinct.sort();
    distinct.dedup();
    let several = distinct.len() > 1;
    let page_date = |n: u32| -> Option<String> {
        if !several {
            return None;
        }
        per_page
            .iter()
            .rfind(|(p, d)| *p <= n && d.is_some())
            .and_then(|(_, d)| d.clone())
    };
    let results = rows::extract_rows_with_order(&all_lines, file, &page_date, order);

    let mut report_dates = dates::report_dates(&refs, order);
    if several {
        // The file-level date is the first report's; rows carry their own.
        report_dates.collected = distinct.first().map(|d| (*d).clone());
    }
    let height = pages.first().map(|p| p.height).unwrap_or(842.0);
    let any_ocr = pages.iter().any(|p| p.source == TextSource::Ocr);
    let confidences: Vec<f32> = pages
        .iter()
        .flat_map(|p| p.words.iter().map(|w| w.confidence))
        .collect();
    FileExtraction {
        file,
        pages: pages.len() as u32,
        text_source: Some(if any_ocr {
            TextSource::Ocr
        } else {
            TextSource::TextLayer
        }),
        results,
        dates: report_dates,
        lab_name: meta::lab_name(&refs, height),
        language: meta::language(&refs),
        patient: meta::patient(&refs),
        text_confidence: (!confidences.is_empty())
            .then(|| confidences.iter().sum::<f32>() / confidences.len() as f32),
    }
}

/// Whether the text reads like a lab report at all (used to tell `not_a_lab_report` from
/// `no_results_found` when no row was found).
pub fn looks_like_lab_report(pages: &[Page]) -> bool {
    const WORDS: &[&str] = &[
        "hemoglobin",
        "haemoglobin",
        "glucose",
        "cholesterol",
        "creatinine",
        "result",
        "reference",
        "specimen",
        "laboratory",
        "wbc",
        "rbc",
        "platelet",
        "tsh",
        "urea",
        "sodium",
        "potassium",
        "ergebnis",
        "résultat",
        "resultat",
        "risultato",
        "resultado",
        "hémoglobine",
        "hemoglobine",
        "glycémie",
        "glycemie",
        "biochimie",
        "hematology",
        "haematology",
        "pathology",
        "serum",
        "plasma",
        "blood",
        "sangue",
        "sangre",
        "blut",
        // Dutch and Portuguese (and stems shared with Spanish and Italian)
        "laborat",
        "uitslag",
        "resultaat",
        "referentie",
        "normaalwaarde",
        "bloed",
        "kreatinine",
        "creatinina",
        "hemoglobina",
        "hemograma",
        "glicose",
        "glucosa",
        "glicemia",
        "colesterol",
        "exame",
        "analises",
        "análises",
        "referência",
    ];
    let mut hits = 0;
    for page in pages {
        for w in &page.words {
            let l = w.text.to_lowercase();
            if WORDS.iter().any(|k| l.contains(k)) {
                hits += 1;
            }
        }
    }
    hits >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Word;

    fn page(texts: &[&str]) -> Page {
        Page {
            number: 1,
            width: 595.0,
            height: 842.0,
            source: TextSource::TextLayer,
            words: texts
                .iter()
                .map(|t| Word {
                    text: t.to_string(),
                    bbox: [0.0, 0.0, 10.0, 8.0],
                    font_size: 8.0,
                    bold: false,
                    confidence: 1.0,
                })
                .collect(),
        }
    }

    #[test]
    fn dutch_and_portuguese_reports_look_like_lab_reports() {
        assert!(looks_like_lab_report(&[page(&[
            "Laboratorium",
            "Uitslag",
            "Kreatinine"
        ])]));
        assert!(looks_like_lab_report(&[page(&[
            "Exame",
            "Hemograma",
            "Glicose"
        ])]));
        assert!(!looks_like_lab_report(&[page(&[
            "Factuur", "Bedrag", "Totaal"
        ])]));
    }
}
