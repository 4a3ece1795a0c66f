//! Name normalization shared by the build script (alias keys) and the matcher (raw names).
//!
//! Self-contained on purpose: `build.rs` includes this file with `#[path]`, so both sides of an
//! alias lookup are normalized by the same code.

/// Which specimen the words of a name (or a section heading) point to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecimenHint {
    Urine,
    Blood,
}

/// A normalized lookup key: sorted significant tokens, plus the specimen the name mentions.
/// What a name's qualifier words say was measured: a count ("#", "abs", "absoluut") or a share
/// ("%", "percent", "relatief"). They decide between the count and the percentage of one analyte
/// the way a unit does, so they are hints, not part of the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureHint {
    Count,
    Fraction,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    pub key: String,
    pub hint: Option<SpecimenHint>,
    pub measure: Option<MeasureHint>,
    /// The key is made of specimen words only ("Blood" as a urine dipstick test).
    pub generic: bool,
}

/// Lower-case, strip accents and fold look-alike characters.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let mapped: &str = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
                "a"
            }
            'ç' | 'Ç' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
            'ñ' | 'Ñ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'ø' => "o",
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
            'ý' | 'ÿ' => "y",
            'ß' => "ss",
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'µ' | 'μ' => "u",
            'γ' => "gamma",
            'α' => "alpha",
            'β' => "beta",
            '⁺' | '⁻' | '₂' | '₃' | '®' | '™' => "",
            _ => {
                for l in c.to_lowercase() {
                    out.push(l);
                }
                continue;
            }
        };
        out.push_str(mapped);
    }
    out
}

/// Tokens of a folded string: runs of letters/digits; `%` and `#` are tokens of their own.
pub fn tokens(s: &str) -> Vec<String> {
    // dotted abbreviations ("R.B.C.", "W.B.C") are one word
    let joined: Vec<String> = s
        .split_whitespace()
        .map(|w| {
            let letters = w.trim_end_matches('.').split('.').collect::<Vec<_>>();
            if letters.len() > 1
                && letters
                    .iter()
                    .all(|l| l.chars().count() == 1 && l.chars().all(char::is_alphabetic))
            {
                letters.concat()
            } else {
                w.to_string()
            }
        })
        .collect();
    let folded = fold(&joined.join(" "));
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in folded.chars() {
        if c.is_alphanumeric() {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if c == '%' || c == '#' {
                out.push(c.to_string());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

const FILLER: &[&str] = &[
    "count",
    "total",
    "tot",
    "level",
    "levels",
    "value",
    "values",
    "test",
    "estimation",
    "assay",
    "the",
    "of",
    "in",
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "di",
    "del",
    "della",
    "der",
    "die",
    "das",
    "im",
    "en",
    "el",
    "calculated",
    "calc",
    "cal",
    "1st",
    "first",
    "hour",
    "hr",
    "calcule",
    "calcolato",
    "berechnet",
    "photometry",
    "automated",
    "method",
    "by",
    "hplc",
    "immunoassay",
    "eclia",
    "clia",
    "elisa",
    "cmia",
    "turbidimetry",
    "nephelometry",
    "colorimetric",
    "enzymatic",
    "jaffe",
    "ise",
    "analyser",
    "analyzer",
    "quantitative",
    "quant",
    "random",
    "gesamt",
    "totaal",
    "totais",
    "totale",
    "totales",
    "totaux",
    "totali",
    "sample",
    "measured",
    "i",
    "edta",
    "citrat",
    "citrate",
    "heparin",
    "friedewald",
    "formula",
    "formule",
    "formel",
    "nach",
    "selon",
    "secondo",
    "segun",
];

const URINE_WORDS: &[&str] = &[
    "urine",
    "urines",
    "urinary",
    "urinaire",
    "urinaires",
    "urin",
    "harn",
    "orina",
    "urina",
    "urinaria",
    "urinario",
    "ur",
    "u",
    "iu",
    "ih",
    "spontanurin",
];

const BLOOD_WORDS: &[&str] = &[
    "blood",
    "sr",
    "ser",
    "bloed",
    "serum",
    "plasma",
    "s",
    "p",
    "b",
    "sang",
    "sanguin",
    "sanguine",
    "serique",
    "blut",
    "sangue",
    "sangre",
    "serico",
    "serica",
    "bld",
    "plasmatique",
    "is",
    "ip",
    "isp",
    "vb",
    "siero",
    "sierico",
    "sierica",
    "suero",
    "plasmatico",
    "plasmatica",
    "vollblut",
];

/// Specimen words found in a free text (a section heading, a method line).
pub fn specimen_hint(text: &str) -> Option<SpecimenHint> {
    let f = fold(text);
    if ["urin", "harn", "orina", "sediment", "ecbu", "urolog"]
        .iter()
        .any(|w| f.contains(w))
    {
        return Some(SpecimenHint::Urine);
    }
    None
}

/// The lookup key of a whole name: filler dropped, specimen words turned into a hint, sorted.
/// Words of one meaning across the languages (and abbreviations of one word), folded to one
/// token so that an alias written in one language finds the name printed in another word order
/// or language ("vrij T4", "T4 livre", "free T4").
const SAME_WORD: &[(&str, &[&str])] = &[
    (
        "free",
        &[
            "vrij", "vrije", "frei", "freies", "freie", "freier", "libre", "libres", "libero",
            "libera", "liberi", "livre", "livres",
        ],
    ),
    (
        "direct",
        &[
            "direkt",
            "direktes",
            "directe",
            "diretta",
            "diretto",
            "directa",
            "directo",
            "direta",
            "direto",
            "conjugated",
            "geconjugeerd",
            "conjugee",
            "conjuguee",
            "coniugata",
            "conjugada",
            "conjugado",
        ],
    ),
    (
        "indirect",
        &[
            "indirekt",
            "indirektes",
            "indirecte",
            "indiretta",
            "indiretto",
            "indirecta",
            "indirecto",
            "indireta",
            "indireto",
            "unconjugated",
            "ongeconjugeerd",
        ],
    ),
    (
        "fasting",
        &[
            "nuchter", "nuchtere", "nuchtern", "jejum", "ayunas", "ayuno", "digiuno", "jeun",
        ],
    ),
    ("hemoglobin", &["hb", "hgb"]),
    ("concentration", &["conc"]),
];

/// Qualifier words that say a count was measured.
const COUNT_WORDS: &[&str] = &[
    "#",
    "abs",
    "absolute",
    "absolut",
    "absolutes",
    "absoluut",
    "absolus",
    "absolue",
    "absolues",
    "absoluto",
    "absolutos",
    "absoluta",
    "absolutas",
    "assoluto",
    "assoluti",
    "assoluta",
    "assolute",
    "absolu",
];

/// Qualifier words that say a share was measured.
const FRACTION_WORDS: &[&str] = &[
    "%",
    "percent",
    "percentage",
    "pct",
    "relative",
    "rel",
    "relatif",
    "relativ",
    "relatief",
    "relativo",
    "relativa",
    "relativi",
    "relativos",
    "relativas",
];

/// Words that usually add nothing ("Glucose concentration") but tell two tests apart in a few
/// names (MCH / MCHC): kept in the first key, dropped in a later one.
const WEAK: &[&str] = &["concentration"];

fn same_word(t: &str) -> &str {
    SAME_WORD
        .iter()
        .find(|(_, variants)| variants.contains(&t))
        .map(|(canonical, _)| *canonical)
        .unwrap_or(t)
}

/// The key of a name's tokens: specimen words become a hint, qualifier words a measure hint,
/// filler words go, and the rest is sorted so that word order does not matter.
pub fn key_of_tokens(toks: &[String]) -> NameKey {
    let mut others = Vec::new();
    let mut blood = Vec::new();
    let mut urine = Vec::new();
    let mut measure = None;
    for t in toks {
        let t = same_word(t.as_str());
        if FILLER.contains(&t) {
            continue;
        }
        if COUNT_WORDS.contains(&t) {
            measure = Some(MeasureHint::Count);
            continue;
        }
        if FRACTION_WORDS.contains(&t) {
            measure = Some(MeasureHint::Fraction);
            continue;
        }
        if URINE_WORDS.contains(&t) {
            urine.push(t.to_string());
        } else if BLOOD_WORDS.contains(&t) {
            blood.push(t.to_string());
        } else {
            others.push(t.to_string());
        }
    }
    let hint = if !urine.is_empty() {
        Some(SpecimenHint::Urine)
    } else if !blood.is_empty() {
        Some(SpecimenHint::Blood)
    } else {
        None
    };
    let generic = others.is_empty();
    let mut kept = if !others.is_empty() {
        others
    } else if !blood.is_empty() {
        blood
    } else {
        urine
    };
    kept.sort();
    kept.dedup();
    NameKey {
        key: kept.join(" "),
        hint: if generic { None } else { hint },
        measure,
        generic,
    }
}

/// The key without its weak words (see [`WEAK`]), when it has any besides others.
fn without_weak(k: &NameKey) -> Option<NameKey> {
    let words: Vec<&str> = k.key.split(' ').collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !WEAK.contains(w))
        .collect();
    (kept.len() < words.len() && !kept.is_empty()).then(|| NameKey {
        key: kept.join(" "),
        ..k.clone()
    })
}

pub fn key_of(name: &str) -> NameKey {
    key_of_tokens(&tokens(name))
}

/// The keys to try for a printed name, most specific first: the whole name, the name without
/// bracketed parts, each bracketed part, each comma-separated part.
pub fn candidate_keys(name: &str) -> Vec<NameKey> {
    let mut out: Vec<NameKey> = Vec::new();
    let mut push = |k: NameKey| {
        if !k.key.is_empty() && !out.iter().any(|o| o.key == k.key) {
            out.push(k);
        }
    };
    push(key_of(name));
    let mut outside = String::new();
    let mut inside = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in name.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                if depth == 1 {
                    cur.clear();
                    continue;
                }
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    inside.push(std::mem::take(&mut cur));
                    outside.push(' ');
                    continue;
                }
            }
            _ => {}
        }
        if depth > 0 {
            cur.push(c);
        } else {
            outside.push(c);
        }
    }
    let outside_key = key_of(&outside);
    // the bracket may carry the specimen ("Glucose (urine)")
    let bracket_hint = inside.iter().find_map(|i| key_of(i).hint);
    let bracket_measure = inside.iter().find_map(|i| key_of(i).measure);
    push(NameKey {
        hint: outside_key.hint.or(bracket_hint),
        measure: outside_key.measure.or(bracket_measure),
        ..outside_key
    });
    for part in outside.split([',', ';']) {
        push(key_of(part));
    }
    for i in &inside {
        push(key_of(i));
    }
    for k in out.iter().filter_map(without_weak).collect::<Vec<_>>() {
        if !out.iter().any(|o| o.key == k.key) {
            out.push(k);
        }
    }
    out
}
