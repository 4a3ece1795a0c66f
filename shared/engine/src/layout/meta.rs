//! Report-level facts besides dates: patient sex and age (never names), lab name, language.

use super::lines::Line;
use crate::model::{PatientInfo, Sex};

fn words_lower(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ':' | '/' | '|' | ',' | ';'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

const SEX_LABELS: &[&str] = &[
    "sex",
    "gender",
    "sexe",
    "geschlecht",
    "sexo",
    "sesso",
    "genre",
    "geslacht",
];
const AGE_LABELS: &[&str] = &[
    "age", "alter", "âge", "edad", "età", "eta", "idade", "leeftijd",
];

fn sex_word(w: &str) -> Option<Sex> {
    match w.trim_matches(|c: char| !c.is_alphabetic()) {
        "m" | "male" | "man" | "männlich" | "maennlich" | "masculin" | "homme" | "h"
        | "masculino" | "maschio" | "maschile" | "mannelijk" | "mr." | "mr" => Some(Sex::Male),
        "f" | "female" | "woman" | "w" | "weiblich" | "féminin" | "feminin" | "femme"
        | "femenino" | "feminino" | "femmina" | "femminile" | "vrouw" | "vrouwelijk" | "mrs"
        | "ms" | "miss" => Some(Sex::Female),
        _ => None,
    }
}

pub fn patient(lines: &[&Line]) -> PatientInfo {
    let mut info = PatientInfo::default();
    for line in lines.iter().take(80) {
        let words = words_lower(&line.text());
        for (i, w) in words.iter().enumerate() {
            if info.sex.is_none() && SEX_LABELS.contains(&w.as_str()) {
                // "Age / Sex : 27 YRS / M": the value may come after other label words.
                info.sex = words[i + 1..].iter().take(5).find_map(|x| sex_word(x));
            }
            if info.age_at_collection.is_none() && AGE_LABELS.contains(&w.as_str()) {
                info.age_at_collection = words[i + 1..].iter().take(5).find_map(|x| {
                    let digits: String = x.chars().take_while(|c| c.is_ascii_digit()).collect();
                    let rest = &x[digits.len()..];
                    if digits.is_empty() || !(rest.is_empty() || rest.starts_with('y')) {
                        return None;
                    }
                    digits.parse::<f32>().ok().filter(|a| *a < 130.0)
                });
            }
        }
    }
    info
}

const LAB_WORDS: &[&str] = &[
    "lab",
    "labs",
    "laboratory",
    "laboratories",
    "laboratorio",
    "laboratoire",
    "labor",
    "laboratorium",
    "diagnostic",
    "diagnostics",
    "pathology",
    "pathlab",
    "clinical",
    "analyses",
    "analisi",
    "análisis",
    "medical",
    "hospital",
    "clinic",
    "diagnostica",
    "biologie",
    "diagnóstico",
];

/// The lab's name: a line near the top of page 1 that names a laboratory, largest font first.
pub fn lab_name(lines: &[&Line], page_height: f32) -> Option<String> {
    let mut best: Option<(String, f32)> = None;
    for line in lines {
        if line.page != 1
            || line.bbox[1] > page_height * 0.3
            || super::header::detect(line).is_some()
        {
            continue;
        }
        // The cell naming the lab, not the phone numbers printed beside it.
        let Some(text) = super::lines::cells(line)
            .iter()
            .map(|c| c.text())
            .find(|t| {
                t.to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| LAB_WORDS.contains(&w) || w.starts_with("laborator"))
            })
        else {
            continue;
        };
        let lower = text.to_lowercase();
        if lower.contains(':') || lower.contains('@') || lower.contains("www") {
            continue;
        }
        let named = lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| LAB_WORDS.contains(&w) || w.starts_with("laborator"));
        if !named || text.len() > 80 {
            continue;
        }
        if best.as_ref().is_none_or(|(_, s)| line.font_size > *s) {
            best = Some((text.trim().to_string(), line.font_size));
        }
    }
    best.map(|(t, _)| t)
}

/// The report's language, from function words and lab vocabulary.
pub fn language(lines: &[&Line]) -> Option<String> {
    const VOCAB: &[(&str, &[&str])] = &[
        (
            "en",
            &[
                "the",
                "of",
                "and",
                "test",
                "result",
                "results",
                "reference",
                "range",
                "units",
                "unit",
                "report",
                "patient",
                "collected",
                "normal",
                "value",
                "count",
                "blood",
                "total",
            ],
        ),
        (
            "de",
            &[
                "der",
                "die",
                "das",
                "und",
                "ergebnis",
                "einheit",
                "referenzbereich",
                "befund",
                "untersuchung",
                "patient",
                "blut",
                "entnahme",
                "normbereich",
                "gesamt",
            ],
        ),
        (
            "fr",
            &[
                "le",
                "la",
                "les",
                "de",
                "des",
                "et",
                "résultat",
                "resultat",
                "résultats",
                "unité",
                "unite",
                "valeurs",
                "référence",
                "reference",
                "prélevé",
                "preleve",
                "bilan",
                "sanguin",
                "paramètre",
                "parametre",
            ],
        ),
        (
            "it",
            &[
                "il",
                "di",
                "e",
                "esame",
                "risultato",
                "unità",
                "valori",
                "riferimento",
                "prelievo",
                "referto",
                "sangue",
                "totale",
            ],
        ),
        (
            "es",
            &[
                "el",
                "los",
                "las",
                "y",
                "del",
                "prueba",
                "resultado",
                "unidades",
                "valores",
                "referencia",
                "muestra",
                "sangre",
                "informe",
                "fecha",
            ],
        ),
        (
            "pt",
            &[
                "do",
                "da",
                "dos",
                "das",
                "não",
                "nao",
                "exame",
                "exames",
                "unidade",
                "unidades",
                "referência",
                "colheita",
                "coleta",
                "laudo",
                "relatório",
                "relatorio",
                "análises",
                "analises",
                "sangue",
                "resultado",
            ],
        ),
        (
            "nl",
            &[
                "de",
                "het",
                "een",
                "en",
                "van",
                "uitslag",
                "uitslagen",
                "resultaat",
                "eenheid",
                "referentie",
                "referentiewaarde",
                "normaalwaarde",
                "afname",
                "afnamedatum",
                "bloed",
                "onderzoek",
                "patiënt",
                "totaal",
            ],
        ),
    ];
    let mut scores = vec![0usize; VOCAB.len()];
    for line in lines {
        for w in words_lower(&line.text()) {
            for (i, (_, vocab)) in VOCAB.iter().enumerate() {
                if vocab.contains(&w.as_str()) {
                    scores[i] += 1;
                }
            }
        }
    }
    // Among en, de, fr, it and es a tie goes to the later one; Portuguese and Dutch share
    // words with them and win only with a higher score.
    let (mut best, mut score) = scores[..5]
        .iter()
        .enumerate()
        .max_by_key(|(_, s)| **s)
        .map(|(i, s)| (i, *s))?;
    for (i, s) in scores.iter().enumerate().skip(5) {
        if *s > score {
            (best, score) = (i, *s);
        }
    }
    if score < 2 {
        return None;
    }
    Some(VOCAB[best].0.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Word;

    fn line(text: &str) -> Line {
        let words: Vec<Word> = text
            .split_whitespace()
            .enumerate()
            .map(|(i, t)| Word {
                text: t.to_string(),
                bbox: [i as f32 * 50.0, 0.0, i as f32 * 50.0 + 40.0, 8.0],
                font_size: 8.0,
                bold: false,
                confidence: 1.0,
            })
            .collect();
        Line {
            page: 1,
            bbox: [0.0, 0.0, 500.0, 8.0],
            font_size: 8.0,
            words,
        }
    }

    fn lang(texts: &[&str]) -> Option<String> {
        let lines: Vec<Line> = texts.iter().map(|t| line(t)).collect();
        let refs: Vec<&Line> = lines.iter().collect();
        language(&refs)
    }

    #[test]
    fn dutch_and_portuguese_reports() {
        assert_eq!(
            lang(&[
                "Uitslag van het onderzoek",
                "Afnamedatum 12-02-2024",
                "Eenheid Referentiewaarde"
            ])
            .as_deref(),
            Some("nl")
        );
        assert_eq!(
            lang(&[
                "Relatório de análises",
                "Data da colheita 12/02/2024",
                "Exame Resultado Unidade"
            ])
            .as_deref(),
            Some("pt")
        );
        assert_eq!(
            lang(&[
                "Resultado Unidades Valores de referencia",
                "Fecha de extracción",
                "Los del"
            ])
            .as_deref(),
            Some("es")
        );
        assert_eq!(
            lang(&["Test Result Units Reference Range", "Report of the patient"]).as_deref(),
            Some("en")
        );
    }

    #[test]
    fn dutch_and_portuguese_sex_and_age() {
        let lines = [line("Geslacht: Vrouw Leeftijd: 44 jaar")];
        let refs: Vec<&Line> = lines.iter().collect();
        let p = patient(&refs);
        assert_eq!(p.sex, Some(Sex::Female));
        assert_eq!(p.age_at_collection, Some(44.0));
        let lines = [line("Sexo: Masculino Idade: 52 anos")];
        let refs: Vec<&Line> = lines.iter().collect();
        let p = patient(&refs);
        assert_eq!(p.sex, Some(Sex::Male));
        assert_eq!(p.age_at_collection, Some(52.0));
    }
}
