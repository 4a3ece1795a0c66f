//! Times each stage of reading one file (text layer only, no OCR): pdfium words, lines, layout,
//! standardization. A profiling aid for documents that read slowly.
//! Usage: cargo run --release -p labrador-engine --example stage_times -- FILE [RUNS]

#[path = "../tests/reader_support/pdfium_lib.rs"]
mod pdfium_lib;
use labrador_engine::standardize::{StandardizeOptions, standardize};
use labrador_engine::*;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: stage_times FILE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let engine = Engine::new(EngineConfig::new(pdfium_lib::pdfium_lib())).expect("pdfium");
    let bytes = std::fs::read(path).expect("read file");
    let f = InputFile {
        index: 0,
        file_name: path,
        bytes: &bytes,
    };
    for _ in 0..runs {
        let t = Instant::now();
        let pages = match engine.read_pages(&f) {
            Ok(p) => p,
            Err(r) => {
                println!("rejected: {r:?}");
                return;
            }
        };
        let read = t.elapsed();
        let words: usize = pages.iter().map(|p| p.words.len()).sum();
        let t = Instant::now();
        let lines: usize = pages
            .iter()
            .map(|p| layout::lines::build_lines(p).len())
            .sum();
        let lines_time = t.elapsed();
        let t = Instant::now();
        let fe = layout::analyze(&pages, 0);
        let analyze = t.elapsed();
        let rows = fe.results.len();
        let extraction = Extraction {
            engine_version: ENGINE_VERSION.to_string(),
            files: vec![fe],
            ..Default::default()
        };
        let t = Instant::now();
        let report = standardize(&extraction, &StandardizeOptions::default());
        let std_time = t.elapsed();
        let results: usize = report
            .documents
            .iter()
            .flat_map(|d| d.sections.iter())
            .map(|s| s.results.len())
            .sum();
        println!(
            "pages {} words {words} lines {lines} rows {rows} results {results} | read {:.3}s lines {:.3}s analyze {:.3}s standardize {:.3}s",
            pages.len(),
            read.as_secs_f64(),
            lines_time.as_secs_f64(),
            analyze.as_secs_f64(),
            std_time.as_secs_f64()
        );
    }
}
