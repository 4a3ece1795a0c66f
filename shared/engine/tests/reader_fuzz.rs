//! Mutated PDFs (bytes flipped, truncated, spliced) never panic the reader: a bounded
//! proptest run over the corpus PDFs and a hand-made report.

mod reader_support;

use labrador_engine::InputFile;
use proptest::prelude::*;
use reader_support::{engine, lab_report_texts, pdf};
use std::sync::OnceLock;

fn seeds() -> &'static Vec<Vec<u8>> {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut out = vec![
            pdf(&lab_report_texts(), false),
            pdf(&lab_report_texts(), true),
        ];
        let dir = std::path::PathBuf::from(
            std::env::var_os("CARGO_MANIFEST_DIR")
                .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
        )
        .join("../../../shared/corpus/dev/files");
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for p in paths {
                if p.extension().is_some_and(|e| e == "pdf")
                    && let Ok(b) = std::fs::read(&p)
                    && b.len() < 400_000
                {
                    out.push(b);
                }
            }
        }
        out
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Truncate { at: usize },
    Splice { from: usize, len: usize, to: usize },
    Delete { at: usize, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), 1usize..4096, any::<usize>())
            .prop_map(|(from, len, to)| Mutation::Splice { from, len, to }),
        (any::<usize>(), 1usize..512).prop_map(|(at, len)| Mutation::Delete { at, len }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let n = bytes.len().max(1);
    match *m {
        Mutation::Flip { at, byte } => {
            if !bytes.is_empty() {
                bytes[at % n] ^= byte | 1;
            }
        }
        Mutation::Truncate { at } => bytes.truncate(at % n),
        Mutation::Splice { from, len, to } => {
            let from = from % n;
            let end = (from + len).min(bytes.len());
            let chunk: Vec<u8> = bytes[from.min(bytes.len())..end].to_vec();
            let to = to % n;
            let at = to.min(bytes.len());
            bytes.splice(at..at, chunk);
        }
        Mutation::Delete { at, len } => {
            let at = at % n;
            let end = (at + len).min(bytes.len());
            if at < end {
                bytes.drain(at..end);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_pdfs_never_panic(seed in any::<usize>(), mutations in proptest::collection::vec(mutation(), 1..6)) {
        let seeds = seeds();
        let mut bytes = seeds[seed % seeds.len()].clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let file = InputFile { index: 0, file_name: "fuzz.pdf", bytes: &bytes };
        let extraction = engine().extract(std::slice::from_ref(&file));
        // Either rows or a rejection, and the version is always set.
        prop_assert!(extraction.rejection.is_some() || !extraction.files.is_empty());
        prop_assert!(!extraction.engine_version.is_empty());
    }
}
