//! Scores grouped by the style each generated document was drawn with (layout, language,
//! column order, ...), the weakest of them, and where the time went.

use super::DocResult;
use super::scoring::Score;
use std::collections::BTreeMap;

#[derive(Default)]
struct Group {
    docs: usize,
    score: Score,
}

pub fn print(docs: &[DocResult]) {
    let mut groups: BTreeMap<&str, BTreeMap<&str, Group>> = BTreeMap::new();
    for d in docs {
        for (dim, value) in &d.style {
            let g = groups
                .entry(dim.as_str())
                .or_default()
                .entry(value.as_str())
                .or_default();
            g.docs += 1;
            g.score.add(&d.score);
        }
    }
    if groups.is_empty() {
        return;
    }
    println!("\nper style dimension:");
    println!(
        "  {:<24} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "value", "docs", "rows", "P", "R", "F1", "unit", "range"
    );
    let mut all: Vec<(String, f64, usize)> = Vec::new();
    for (dim, values) in &groups {
        println!("{dim}");
        for (value, g) in values {
            let s = &g.score;
            println!(
                "  {:<24} {:>5} {:>6} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3}",
                value,
                g.docs,
                s.truth_rows,
                s.precision(),
                s.recall(),
                s.f1(),
                s.unit_acc(),
                s.range_acc()
            );
            all.push((format!("{dim}={value}"), s.f1(), g.docs));
        }
    }
    all.retain(|(_, _, n)| *n >= 3);
    all.sort_by(|a, b| a.1.total_cmp(&b.1));
    let weakest: Vec<String> = all
        .iter()
        .take(10)
        .map(|(k, f1, n)| format!("{k} {f1:.3} ({n})"))
        .collect();
    println!("ten weakest (F1, docs): {}", weakest.join(", "));
}

pub fn print_timing(docs: &[DocResult], wall: f64) {
    if docs.is_empty() {
        return;
    }
    let mut secs: Vec<f64> = docs.iter().map(|d| d.seconds).collect();
    secs.sort_by(|a, b| a.total_cmp(b));
    let median = secs[secs.len() / 2];
    let sum: f64 = secs.iter().sum();
    let mut slow: Vec<&DocResult> = docs.iter().collect();
    slow.sort_by(|a, b| b.seconds.total_cmp(&a.seconds));
    let slowest: Vec<String> = slow
        .iter()
        .take(5)
        .map(|d| format!("{} {:.2} s", d.file, d.seconds))
        .collect();
    println!(
        "timing: {} docs in {wall:.1} s wall, {sum:.1} s of reading and scoring, median {median:.3} s/doc; slowest: {}",
        docs.len(),
        slowest.join(", ")
    );
}
