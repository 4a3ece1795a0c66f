//! `labrador bench-reader DIR`: milliseconds per page for the PDF reader alone, for the whole
//! engine (read, layout, standardize) and for `pdftotext -layout` on the same files.

use crate::engine_setup::build_engine_with;
use anyhow::Context;
use labrador_engine::InputFile;
use labrador_engine::standardize::{StandardizeOptions, standardize};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct BenchReaderArgs {
    /// Folder of PDFs (or a corpus folder with `files/`).
    dir: PathBuf,
    /// Passes over the files (the first one warms caches and is not counted when > 1).
    #[arg(long, default_value_t = 3)]
    iterations: usize,
}

pub fn run(args: BenchReaderArgs) -> anyhow::Result<()> {
    let engine = build_engine_with(false)?;
    let dir = if args.dir.join("files").is_dir() {
        args.dir.join("files")
    } else {
        args.dir.clone()
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for entry in
        std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?
    {
        let path = entry?.path();
        let bytes = std::fs::read(&path)?;
        if labrador_engine::FileKind::sniff(&bytes) != Some(labrador_engine::FileKind::Pdf) {
            continue;
        }
        // Only text-layer PDFs: scanned ones would time rendering (and OCR), not reading.
        let input = InputFile {
            index: 0,
            file_name: "",
            bytes: &bytes,
        };
        if engine.read_pages(&input).is_ok() {
            files.push((path, bytes));
        }
    }
    files.sort();
    anyhow::ensure!(!files.is_empty(), "no text-layer PDF in {}", dir.display());
    let pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    let (mut reader, mut whole, mut poppler) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut pages = 0usize;
    let counted = if args.iterations > 1 {
        1..args.iterations
    } else {
        0..1
    };
    for iteration in 0..args.iterations.max(1) {
        let count = counted.contains(&iteration);
        for (path, bytes) in &files {
            let input = InputFile {
                index: 0,
                file_name: "",
                bytes,
            };
            let t = Instant::now();
            let n = engine.read_pages(&input).map(|p| p.len()).unwrap_or(0);
            let r = t.elapsed();
            let t = Instant::now();
            let extraction = engine.extract(std::slice::from_ref(&input));
            let report = standardize(&extraction, &StandardizeOptions::default());
            std::hint::black_box(report);
            let w = t.elapsed();
            let p = if pdftotext {
                let t = Instant::now();
                let status = Command::new("pdftotext")
                    .arg("-layout")
                    .arg(path)
                    .arg("-")
                    .output()?;
                std::hint::black_box(status.stdout.len());
                t.elapsed()
            } else {
                Duration::ZERO
            };
            if count {
                reader += r;
                whole += w;
                poppler += p;
                pages += n;
            }
        }
    }
    let per_page = |d: Duration| d.as_secs_f64() * 1000.0 / pages.max(1) as f64;
    println!(
        "files {} pages {} (per pass), passes counted {}",
        files.len(),
        pages / counted.len().max(1),
        counted.len()
    );
    println!(
        "reader (pdfium text + words)      {:8.2} ms/page",
        per_page(reader)
    );
    println!(
        "whole engine (read+layout+std.)   {:8.2} ms/page",
        per_page(whole)
    );
    if pdftotext {
        println!(
            "pdftotext -layout (subprocess)    {:8.2} ms/page",
            per_page(poppler)
        );
        println!(
            "whole engine / pdftotext          {:8.2}x",
            whole.as_secs_f64() / poppler.as_secs_f64().max(1e-9)
        );
    } else {
        println!("pdftotext not found (install poppler-utils)");
    }
    Ok(())
}
