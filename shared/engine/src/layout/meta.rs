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
];
const AGE_LABELS: &[&str] = &["age", "alter", "âge", "edad", "età", "eta"];

fn sex_word(w: &str) -> Option<Sex> {
    match w.trim_matches(|c: char| !c.is_alphabetic()) {
        "m" | "male" | "man" | "männlich" | "maennlich" | "masculin" | "homme" | "h"
        | "masculino" | "maschio" | "maschile" | "mr." | "mr" => Some(Sex::Male),
        "f" | "female" | "woman" | "w" | "weiblich" | "féminin" | "feminin" | "femme"
        | "femenino" | "femmina" | "femminile" | "mrs" | "ms" | "miss" => Some(Sex::Female),
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
    ];
    let mut scores = [0usize; 5];
    for line in lines {
        for w in words_lower(&line.text()) {
            for (i, (_, vocab)) in VOCAB.iter().enumerate() {
                if vocab.contains(&w.as_str()) {
                    scores[i] += 1;
                }
            }
        }
    }
    let (best, &score) = scores.iter().enumerate().max_by_key(|(_, s)| **s)?;
    if score < 2 {
        return None;
    }
    Some(VOCAB[best].0.to_string())
}
