//! Scores one document's predicted rows against its truth by the corpus README rules.

use super::similarity::{normalize, similar};
use serde::Serialize;

/// A row to score, from the report (standardized) or from the raw extraction.
#[derive(Debug, Clone)]
pub struct PredRow {
    pub name: String,
    pub value: Option<f64>,
    /// ("<", x) or (">", x).
    pub bound: Option<(String, f64)>,
    pub value_text: String,
    pub unit: Option<String>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub flag: Option<String>,
    pub collection_date: Option<String>,
    pub loinc: Option<String>,
    /// `match_status` is `auto`: the code is meant to be used without a human.
    pub auto: bool,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct TruthRow {
    pub original_name: String,
    pub value: Option<f64>,
    pub value_text: String,
    pub unit: Option<String>,
    pub ref_low: Option<f64>,
    pub ref_high: Option<f64>,
    pub flag: Option<String>,
    #[serde(default)]
    pub collection_date: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Score {
    pub truth_rows: usize,
    pub predicted_rows: usize,
    pub matched: usize,
    pub unit_ok: usize,
    pub range_ok: usize,
    pub flag_ok: usize,
    /// (found, expected) collection dates.
    pub date_ok: usize,
    pub date_total: usize,
    pub split_ok: usize,
    pub split_total: usize,
    pub loinc_ok: usize,
    pub loinc_total: usize,
    /// Of the `loinc_total` rows, those `auto` and, of them, those with a right code.
    #[serde(default)]
    pub loinc_auto: usize,
    #[serde(default)]
    pub loinc_auto_ok: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub misses: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

impl Score {
    pub fn add(&mut self, o: &Score) {
        self.truth_rows += o.truth_rows;
        self.predicted_rows += o.predicted_rows;
        self.matched += o.matched;
        self.unit_ok += o.unit_ok;
        self.range_ok += o.range_ok;
        self.flag_ok += o.flag_ok;
        self.date_ok += o.date_ok;
        self.date_total += o.date_total;
        self.split_ok += o.split_ok;
        self.split_total += o.split_total;
        self.loinc_ok += o.loinc_ok;
        self.loinc_total += o.loinc_total;
        self.loinc_auto += o.loinc_auto;
        self.loinc_auto_ok += o.loinc_auto_ok;
    }

    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted_rows)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.truth_rows)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub fn unit_acc(&self) -> f64 {
        ratio(self.unit_ok, self.matched)
    }
    pub fn range_acc(&self) -> f64 {
        ratio(self.range_ok, self.matched)
    }
    pub fn flag_acc(&self) -> f64 {
        ratio(self.flag_ok, self.matched)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn num_eq(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1e-12)
}

fn opt_num_eq(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => num_eq(a, b),
        _ => false,
    }
}

fn truth_bound(t: &TruthRow) -> Option<(String, f64)> {
    let s = t.value_text.trim();
    let (cmp, rest) = if let Some(r) = s.strip_prefix("<=").or_else(|| s.strip_prefix('≤')) {
        ("<=", r)
    } else if let Some(r) = s.strip_prefix(">=").or_else(|| s.strip_prefix('≥')) {
        (">=", r)
    } else if let Some(r) = s.strip_prefix('<') {
        ("<", r)
    } else if let Some(r) = s.strip_prefix('>') {
        (">", r)
    } else {
        return None;
    };
    rest.trim()
        .replace(',', ".")
        .parse()
        .ok()
        .map(|v| (cmp.to_string(), v))
}

fn qualitative(s: &str) -> String {
    normalize(s)
}

fn values_agree(t: &TruthRow, p: &PredRow) -> bool {
    if let Some(v) = t.value {
        return p.value.is_some_and(|pv| num_eq(v, pv));
    }
    if let Some((cmp, v)) = truth_bound(t) {
        return p
            .bound
            .as_ref()
            .is_some_and(|(pc, pv)| *pc == cmp && num_eq(v, *pv));
    }
    let q = qualitative(&t.value_text);
    !q.is_empty() && q == qualitative(&p.value_text)
}

fn unit_norm(u: &Option<String>) -> Option<String> {
    u.as_ref()
        .map(|s| {
            s.to_lowercase()
                .replace(['µ', 'μ'], "u")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
        })
        .filter(|s| !s.is_empty())
}

fn flag_letter(f: &Option<String>) -> Option<char> {
    let c = f.as_ref()?.trim().chars().next()?.to_ascii_uppercase();
    matches!(c, 'H' | 'L').then_some(c)
}

/// Scores `preds` (with their documents' collection dates) against `truth`.
pub fn score_document(
    truth: &[TruthRow],
    truth_collection_date: Option<&str>,
    preds: &[PredRow],
    document_dates: &[Option<String>],
    loinc: &[Vec<String>],
) -> Score {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, t) in truth.iter().enumerate() {
        for (j, p) in preds.iter().enumerate() {
            if values_agree(t, p)
                && let Some(sim) = similar(&t.original_name, &p.name)
            {
                pairs.push((sim, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used_t = vec![false; truth.len()];
    let mut used_p = vec![false; preds.len()];
    let mut s = Score {
        truth_rows: truth.len(),
        predicted_rows: preds.len(),
        ..Default::default()
    };
    for (_, i, j) in pairs {
        if used_t[i] || used_p[j] {
            continue;
        }
        used_t[i] = true;
        used_p[j] = true;
        let (t, p) = (&truth[i], &preds[j]);
        s.matched += 1;
        if unit_norm(&t.unit) == unit_norm(&p.unit) {
            s.unit_ok += 1;
        } else {
            s.errors.push(format!(
                "unit {:?}: {:?} vs {:?}",
                t.original_name, t.unit, p.unit
            ));
        }
        if opt_num_eq(t.ref_low, p.low) && opt_num_eq(t.ref_high, p.high) {
            s.range_ok += 1;
        } else {
            s.errors.push(format!(
                "range {:?}: {:?}-{:?} vs {:?}-{:?}",
                t.original_name, t.ref_low, t.ref_high, p.low, p.high
            ));
        }
        if flag_letter(&t.flag) == flag_letter(&p.flag) {
            s.flag_ok += 1;
        } else {
            s.errors.push(format!(
                "flag {:?}: {:?} vs {:?}",
                t.original_name, t.flag, p.flag
            ));
        }
        if let Some(codes) = loinc.get(i).filter(|c| !c.is_empty()) {
            s.loinc_total += 1;
            let right = p.loinc.as_ref().is_some_and(|c| codes.contains(c));
            if p.auto {
                s.loinc_auto += 1;
                s.loinc_auto_ok += usize::from(right);
            }
            if right {
                s.loinc_ok += 1;
            } else {
                s.errors.push(format!(
                    "loinc {:?} [{}]: {:?} vs {:?}",
                    t.original_name,
                    t.unit.as_deref().unwrap_or(""),
                    codes,
                    p.loinc
                ));
            }
        }
        if let Some(d) = &t.collection_date {
            s.split_total += 1;
            if p.collection_date.as_ref() == Some(d) {
                s.split_ok += 1;
            }
        }
    }
    for (i, t) in truth.iter().enumerate() {
        if !used_t[i] {
            s.misses
                .push(format!("missed {:?} = {:?}", t.original_name, t.value_text));
            if t.collection_date.is_some() {
                s.split_total += 1;
            }
            if loinc.get(i).is_some_and(|c| !c.is_empty()) {
                // LOINC accuracy is over matched rows only.
            }
        }
    }
    for (j, p) in preds.iter().enumerate() {
        if !used_p[j] {
            s.misses
                .push(format!("extra {:?} = {:?}", p.name, p.value_text));
        }
    }
    if let Some(d) = truth_collection_date {
        s.date_total = 1;
        if document_dates.iter().any(|x| x.as_deref() == Some(d)) {
            s.date_ok = 1;
        }
    }
    s
}
