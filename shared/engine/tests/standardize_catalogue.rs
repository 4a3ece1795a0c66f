//! The catalogue against outside references (`../shared/reference`, read by the test only):
//! LOINC check digits, presence, names, component/system/property consistency; conversion factors
//! against `si-conversions.csv`; every emitted unit code against the UCUM grammar and atoms.

use labrador_engine::standardize::catalogue::{ENTRIES, LOINC};
use labrador_engine::standardize::units::{self, UNITS};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

fn reference(name: &str) -> String {
    let p = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../../../shared/reference")
    .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Minimal CSV reader (quoted fields, doubled quotes).
fn csv(text: &str) -> Vec<HashMap<String, String>> {
    let mut rows = Vec::new();
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut records: Vec<Vec<String>> = Vec::new();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            ('\n', false) => {
                fields.push(std::mem::take(&mut cur));
                records.push(std::mem::take(&mut fields));
            }
            ('\r', false) => {}
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() || !fields.is_empty() {
        fields.push(cur);
        records.push(fields);
    }
    let header = records.remove(0);
    for r in records {
        rows.push(header.iter().cloned().zip(r).collect());
    }
    rows
}

fn check_digit_ok(code: &str) -> bool {
    let Some((num, check)) = code.split_once('-') else {
        return false;
    };
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) || check.len() != 1 {
        return false;
    }
    let mut total = 0;
    for (i, ch) in num.bytes().rev().enumerate() {
        let mut d = u32::from(ch - b'0');
        if i % 2 == 0 {
            d *= 2;
            d = d / 10 + d % 10;
        }
        total += d;
    }
    (10 - total % 10) % 10 == u32::from(check.as_bytes()[0] - b'0')
}

#[test]
fn check_digit_algorithm() {
    assert!(check_digit_ok("718-7"));
    assert!(check_digit_ok("2345-7"));
    assert!(!check_digit_ok("1668-1"));
    assert!(!check_digit_ok("2147-4"));
}

fn systems_for(specimen: &str) -> &'static [&'static str] {
    match specimen {
        "blood" => &["Bld", "RBC", "BldV", "BldA", "Bld.dot"],
        "serum_or_plasma" => &["Ser/Plas", "Ser", "Plas", "Ser/Plas/Bld"],
        "serum" => &["Ser", "Ser/Plas"],
        "plasma" => &["PPP", "Plas", "Ser/Plas"],
        "urine" => &["Urine", "Urine sed"],
        _ => &[],
    }
}

#[test]
fn catalogue_size_and_ids() {
    assert!(ENTRIES.len() >= 400, "{} entries", ENTRIES.len());
    let mut seen = HashSet::new();
    for e in ENTRIES {
        assert!(seen.insert(e.id), "duplicate id {}", e.id);
        assert!(
            e.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "id not snake_case: {}",
            e.id
        );
        assert!(!e.loinc.is_empty(), "{} has no LOINC code", e.id);
    }
    let curated = ENTRIES.iter().filter(|e| e.curated).count();
    let langs: HashSet<&str> = ENTRIES
        .iter()
        .flat_map(|e| e.aliases.iter().map(|a| a.0))
        .collect();
    for l in ["en", "de", "fr", "it", "es"] {
        assert!(langs.contains(l), "no {l} aliases");
    }
    println!("{} entries, {curated} curated", ENTRIES.len());
}

#[test]
fn loinc_codes_against_reference() {
    let top: HashMap<String, HashMap<String, String>> = csv(&reference("loinc-top2000.csv"))
        .into_iter()
        .map(|r| (r["loinc_num"].clone(), r))
        .collect();
    // codes outside the Top 2000 must carry the name another verified reference gives them
    let mut other_names: HashMap<String, String> = HashMap::new();
    for r in csv(&reference("biomarker-aliases.csv")) {
        other_names.insert(r["loinc_num"].clone(), r["loinc_long_common_name"].clone());
    }
    for r in csv(&reference("si-conversions.csv")) {
        for k in ["conventional", "si"] {
            other_names.insert(
                r[&format!("loinc_{k}")].clone(),
                r[&format!("loinc_{k}_name")].clone(),
            );
        }
    }
    let corpus = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../../../shared/corpus/dev/loinc");
    for f in std::fs::read_dir(corpus).unwrap() {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f.unwrap().path()).unwrap()).unwrap();
        for row in v["rows"].as_array().unwrap() {
            let codes = row["loinc"].as_array().unwrap();
            let names = row["loinc_names"].as_array().unwrap();
            for (c, n) in codes.iter().zip(names) {
                other_names
                    .entry(c.as_str().unwrap().into())
                    .or_insert(n.as_str().unwrap().into());
            }
        }
    }
    let mut outside = Vec::new();
    for t in LOINC {
        assert!(check_digit_ok(t.code), "bad check digit {}", t.code);
        match top.get(t.code) {
            Some(r) => {
                assert_eq!(t.name, r["long_common_name"], "name of {}", t.code);
                // the axes the matcher chooses by are LOINC's own
                assert_eq!(t.property, r["property"], "property of {}", t.code);
                assert_eq!(t.system, r["system"], "system of {}", t.code);
                if !r["scale_typ"].is_empty() {
                    assert_eq!(t.scale, r["scale_typ"], "scale of {}", t.code);
                }
            }
            None => {
                let n = other_names
                    .get(t.code)
                    .unwrap_or_else(|| panic!("{} in no reference", t.code));
                assert_eq!(t.name, n, "name of {}", t.code);
                outside.push(t.code);
            }
        }
    }
    println!(
        "{} LOINC codes, {} outside the Top 2000: {outside:?}",
        LOINC.len(),
        outside.len()
    );
    let mut unfit = Vec::new();
    for e in ENTRIES {
        let mut components = HashSet::new();
        for t in e.terms() {
            if let Some(r) = top.get(t.code) {
                components.insert(r["component"].clone());
                assert!(
                    systems_for(e.specimen).contains(&r["system"].as_str()),
                    "{}: {} has system {} for specimen {}",
                    e.id,
                    t.code,
                    r["system"],
                    e.specimen
                );
            }
        }
        // fasting glucose shares the component's analyte with a FASTING qualifier
        assert!(
            components.len() <= 1,
            "{}: mixed components {components:?}",
            e.id
        );
        if let Some(u) = units::by_code(e.canonical_unit)
            && !e.terms().any(|t| units::fits_property(u.dim, t.property))
        {
            unfit.push(format!(
                "{} {} {:?}",
                e.id,
                e.canonical_unit,
                e.terms().map(|t| t.property).collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        unfit.is_empty(),
        "canonical units that fit none of the entry's LOINC properties: {unfit:#?}"
    );
}

#[test]
fn conversion_factors_against_si_table() {
    let mut compared = 0;
    let mut skipped = Vec::new();
    for r in csv(&reference("si-conversions.csv")) {
        let id = &r["analyte_id"];
        let entry = ENTRIES.iter().find(|e| {
            e.terms().any(|t| t.code == r["loinc_conventional"])
                || e.terms().any(|t| t.code == r["loinc_si"])
        });
        let (Some(entry), Some(from), Some(to), Ok(want)) = (
            entry,
            units::by_code(&r["conventional_unit_ucum"]),
            units::by_code(&r["si_unit_ucum"]),
            r["factor_si_equals_conventional_times"].parse::<f64>(),
        ) else {
            skipped.push(id.clone());
            continue;
        };
        if from.code == to.code && want != 1.0 {
            // inconsistent row (same unit on both sides, factor ≠ 1): nothing to compare
            skipped.push(id.clone());
            continue;
        }
        let Some(got) = units::convert(1.0, from, to, entry.id, entry.molar_mass) else {
            skipped.push(format!("{id} (no conversion in {})", entry.id));
            continue;
        };
        let rel = (got - want).abs() / want.abs();
        assert!(rel < 0.005, "{id} via {}: {got} vs {want}", entry.id);
        compared += 1;
    }
    println!("compared {compared} factors; skipped {skipped:?}");
    assert!(compared >= 30, "only {compared} factors compared");
}

#[test]
fn hba1c_master_equation() {
    let e = ENTRIES.iter().find(|e| e.id == "hba1c").unwrap();
    let pct = units::by_code("%").unwrap();
    let ifcc = units::by_code("mmol/mol").unwrap();
    let v = units::convert(6.5, pct, ifcc, e.id, None).unwrap();
    assert!((v - 47.5).abs() < 0.1, "{v}");
    let back = units::convert(v, ifcc, pct, e.id, None).unwrap();
    assert!((back - 6.5).abs() < 1e-9);
}

/// UCUM atoms and prefixes from `ucum-essence.xml`.
struct Ucum {
    prefixes: Vec<String>,
    atoms: Vec<(String, bool)>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let k = format!("{name}=\"");
    let i = tag.find(&k)? + k.len();
    Some(tag[i..i + tag[i..].find('"')?].to_string())
}

fn ucum() -> Ucum {
    let xml = reference("ucum-essence.xml");
    let mut prefixes = Vec::new();
    let mut atoms = Vec::new();
    for (open, metric_default) in [
        ("<prefix ", None),
        ("<base-unit ", Some(true)),
        ("<unit ", None),
    ] {
        for part in xml.split(open).skip(1) {
            let tag = &part[..part.find('>').unwrap()];
            let code = attr(tag, "Code").unwrap();
            match metric_default {
                None if open == "<prefix " => prefixes.push(code),
                _ => {
                    let metric =
                        metric_default.unwrap_or(attr(tag, "isMetric").as_deref() == Some("yes"));
                    atoms.push((code, metric));
                }
            }
        }
    }
    Ucum { prefixes, atoms }
}

impl Ucum {
    fn simple_units(&self) -> Vec<String> {
        let mut v: Vec<String> = self.atoms.iter().map(|a| a.0.clone()).collect();
        for (a, metric) in &self.atoms {
            if *metric {
                for p in &self.prefixes {
                    v.push(format!("{p}{a}"));
                }
            }
        }
        v
    }
}

/// `term := '/'? component (('.' | '/') component)*`, `component := (simple exponent? | digits |
/// '(' term ')') annotation? | annotation`.
fn valid_term(s: &str, simple: &[String]) -> bool {
    fn component<'a>(s: &'a str, simple: &[String]) -> Vec<&'a str> {
        let mut rests = Vec::new();
        if let Some(r) = s.strip_prefix('{') {
            if let Some(end) = r.find('}') {
                rests.push(&r[end + 1..]);
            }
            return rests;
        }
        let mut bases = Vec::new();
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            bases.push(&s[digits..]);
        }
        for u in simple {
            if let Some(r) = s.strip_prefix(u.as_str()) {
                let r2 = r.strip_prefix(['+', '-']).unwrap_or(r);
                let e = r2.bytes().take_while(u8::is_ascii_digit).count();
                bases.push(r);
                if e > 0 {
                    bases.push(&r2[e..]);
                }
            }
        }
        for b in bases {
            rests.push(b);
            if let Some(r) = b.strip_prefix('{')
                && let Some(end) = r.find('}')
            {
                rests.push(&r[end + 1..]);
            }
        }
        rests
    }
    fn term(s: &str, simple: &[String]) -> bool {
        component(s, simple).into_iter().any(|rest| {
            rest.is_empty()
                || rest
                    .strip_prefix(['.', '/'])
                    .is_some_and(|r| !r.is_empty() && term(r, simple))
        })
    }
    let s = s.strip_prefix('/').unwrap_or(s);
    !s.is_empty() && term(s, simple)
}

#[test]
fn every_emitted_unit_is_ucum() {
    let u = ucum();
    assert!(
        u.prefixes.len() > 20 && u.atoms.len() > 200,
        "essence parsed"
    );
    let simple = u.simple_units();
    // the grammar must reject non-UCUM spellings
    for bad in [
        "10^3/µL",
        "gm/dL",
        "mEq/L",
        "cumm",
        "IU/L",
        "x10*9/L",
        "mcg/dL",
        "lakhs/cumm",
    ] {
        assert!(!valid_term(bad, &simple), "{bad} must be rejected");
    }
    let mut codes: Vec<&str> = UNITS.iter().map(|u| u.code).collect();
    codes.extend(
        ENTRIES
            .iter()
            .map(|e| e.canonical_unit)
            .filter(|c| !c.is_empty()),
    );
    codes.sort();
    codes.dedup();
    let bad: Vec<&str> = codes
        .iter()
        .copied()
        .filter(|c| !valid_term(c, &simple))
        .collect();
    assert!(bad.is_empty(), "not UCUM: {bad:?}");
    println!("{} unit codes valid", codes.len());
}

#[test]
fn panel_codes_have_check_digits_and_names() {
    use labrador_engine::standardize::panels::ALL;
    for p in ALL {
        assert!(check_digit_ok(p.code), "panel {}", p.code);
        assert!(
            p.name.contains("panel"),
            "panel {} carries its LOINC name",
            p.code
        );
    }
}
