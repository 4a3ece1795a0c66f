//! Name similarity of the corpus scoring rules: normalized containment, token overlap,
//! sequence similarity (Ratcliff/Obershelp, as Python's difflib ratio).

/// Lower-case, accents dropped, punctuation dropped, spaces collapsed.
pub fn normalize(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let c = fold_accent(c);
        if c.is_alphanumeric() || c.is_whitespace() {
            out.push(c);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'ß' => 's',
        _ => c,
    }
}

/// Sequence similarity 2·M / T over characters.
pub fn ratio(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * matching(&a, &b) as f64 / total as f64
}

fn matching(a: &[char], b: &[char]) -> usize {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    // Longest common block (first one found, as difflib).
    let mut best = (0usize, 0usize, 0usize);
    let mut prev = vec![0usize; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            if ca == cb {
                cur[j + 1] = prev[j] + 1;
                if cur[j + 1] > best.2 {
                    best = (i + 1 - cur[j + 1], j + 1 - cur[j + 1], cur[j + 1]);
                }
            }
        }
        prev = cur;
    }
    let (i, j, k) = best;
    if k == 0 {
        return 0;
    }
    k + matching(&a[..i], &b[..j]) + matching(&a[i + k..], &b[j + k..])
}

/// Share of the longer name's tokens found in the other.
pub fn token_overlap(a: &str, b: &str) -> f64 {
    let ta: Vec<&str> = a.split_whitespace().collect();
    let tb: Vec<&str> = b.split_whitespace().collect();
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let common = ta.iter().filter(|t| tb.contains(t)).count();
    common as f64 / ta.len().max(tb.len()) as f64
}

/// Similar names by the corpus rules; returns the sequence similarity used to order pairs.
pub fn similar(a: &str, b: &str) -> Option<f64> {
    let (na, nb) = (normalize(a), normalize(b));
    if na.is_empty() || nb.is_empty() {
        return None;
    }
    let r = ratio(&na, &nb);
    let ok = na.contains(&nb) || nb.contains(&na) || token_overlap(&na, &nb) >= 0.6 || r >= 0.6;
    ok.then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_matches_difflib() {
        // difflib.SequenceMatcher(None, "abcd", "bcde").ratio() == 0.75
        assert!((ratio("abcd", "bcde") - 0.75).abs() < 1e-9);
        assert!((ratio("hemoglobin", "haemoglobin") - 20.0 / 21.0).abs() < 1e-9);
    }

    #[test]
    fn names() {
        assert!(similar("Hemoglobin (Hb)", "HEMOGLOBIN").is_some());
        assert!(similar("Sodium", "Potassium").is_none());
        assert_eq!(normalize("Vitamine D (25-OH)"), "vitamine d 25oh");
    }
}
