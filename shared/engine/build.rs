//! Compiles the biomarker catalogue (`data/catalogue.tsv`, `data/loinc.tsv`) into static tables.

#[path = "src/standardize/normalize.rs"]
#[allow(dead_code)]
mod normalize;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| l.split('\t').collect())
}

fn main() {
    println!("cargo:rerun-if-changed=data/catalogue.tsv");
    println!("cargo:rerun-if-changed=data/loinc.tsv");
    println!("cargo:rerun-if-changed=src/standardize/normalize.rs");
    let loinc = std::fs::read_to_string("data/loinc.tsv").expect("data/loinc.tsv");
    let cat = std::fs::read_to_string("data/catalogue.tsv").expect("data/catalogue.tsv");

    let mut out = String::new();
    let mut loinc_index = BTreeMap::new();
    out.push_str("pub static LOINC: &[LoincTerm] = &[\n");
    for (i, r) in rows(&loinc).enumerate() {
        assert_eq!(r.len(), 5, "loinc.tsv row {r:?}");
        writeln!(
            out,
            "    LoincTerm {{ code: {:?}, property: {:?}, system: {:?}, scale: {:?}, name: {:?} }},",
            r[0], r[1], r[2], r[3], r[4]
        )
        .unwrap();
        loinc_index.insert(r[0].to_string(), i);
    }
    out.push_str("];\n\n");

    let mut aliases: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    out.push_str("pub static ENTRIES: &[Entry] = &[\n");
    for (i, r) in rows(&cat).enumerate() {
        assert_eq!(r.len(), 10, "catalogue.tsv row {r:?}");
        let num = |s: &str| {
            if s.is_empty() {
                "None".to_string()
            } else {
                let v: f64 = s.parse().unwrap_or_else(|_| panic!("number {s:?}"));
                format!("Some({v:?})")
            }
        };
        let codes: Vec<String> = r[7]
            .split_whitespace()
            .map(|c| {
                loinc_index
                    .get(c)
                    .unwrap_or_else(|| panic!("{}: LOINC {c} not in loinc.tsv", r[0]))
                    .to_string()
            })
            .collect();
        let mut alias_list = Vec::new();
        for a in r[9].split('|').filter(|a| !a.is_empty()) {
            let (lang, text) = a.split_once(':').unwrap_or(("en", a));
            alias_list.push(format!("({lang:?}, {text:?})"));
            let key = normalize::key_of(text).key;
            if !key.is_empty() {
                let v = aliases.entry(key).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        // the display name and the id are aliases too
        for extra in [r[1].to_string(), r[0].replace('_', " ")] {
            let key = normalize::key_of(&extra).key;
            if !key.is_empty() && r[8] == "core" {
                let v = aliases.entry(key).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        writeln!(
            out,
            "    Entry {{ id: {:?}, display: {:?}, specimen: {:?}, canonical_unit: {:?}, molar_mass: {}, plausible_low: {}, plausible_high: {}, loinc: &[{}], curated: {}, aliases: &[{}] }},",
            r[0],
            r[1],
            r[2],
            r[3],
            num(r[4]),
            num(r[5]),
            num(r[6]),
            codes.join(", "),
            r[8] == "core",
            alias_list.join(", ")
        )
        .unwrap();
    }
    out.push_str("];\n\n");
    out.push_str("/// Normalized alias key → entry indexes, sorted by key.\npub static ALIAS_INDEX: &[(&str, &[u16])] = &[\n");
    for (k, v) in &aliases {
        let idx: Vec<String> = v.iter().map(|i| i.to_string()).collect();
        writeln!(out, "    ({k:?}, &[{}]),", idx.join(", ")).unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("catalogue.rs");
    std::fs::write(dest, out).unwrap();
}
