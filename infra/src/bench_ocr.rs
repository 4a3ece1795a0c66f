//! `labrador bench-ocr [FILES or DIR]`: seconds per page and peak memory of OCR on page images
//! and scanned PDFs. Without arguments it reads the OCR files of `../shared/corpus/dev/files/`.

use anyhow::Context;
use labrador_engine::model::FileKind;
use labrador_engine::read::image::read_image;
use labrador_engine::read::pdf::{bind, read_pdf};
use labrador_ocr::settings::pdfium_lib_from_vars;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct BenchOcrArgs {
    /// Image or PDF files, or folders of them (default: the OCR files of the dev corpus).
    paths: Vec<PathBuf>,
    /// Where the OCR models are (default: `LABRADOR_OCR_MODELS` or the set-up's assets).
    #[arg(long)]
    models: Option<PathBuf>,
}

const DEFAULT_DIR: &str = "../shared/corpus/dev/files";

fn is_ocr_file(name: &str) -> bool {
    (name.starts_with("scan_") && name.ends_with(".pdf"))
        || (name.starts_with("photo_") && name.ends_with(".jpg"))
        || name == "synth_pathcare_image.jpg"
        || name == "synth_citydiag_image.png"
}

fn collect(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let (roots, filter) = if paths.is_empty() {
        (vec![PathBuf::from(DEFAULT_DIR)], true)
    } else {
        (paths.to_vec(), false)
    };
    let mut files = Vec::new();
    for root in roots {
        if root.is_dir() {
            for entry in std::fs::read_dir(&root).with_context(|| root.display().to_string())? {
                let path = entry?.path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                let wanted = if filter {
                    is_ocr_file(name)
                } else {
                    [".pdf", ".jpg", ".jpeg", ".png"]
                        .iter()
                        .any(|e| name.to_lowercase().ends_with(e))
                };
                if wanted {
                    files.push(path);
                }
            }
        } else {
            files.push(root);
        }
    }
    files.sort();
    Ok(files)
}

/// A `VmHWM`/`VmRSS`-style line of `/proc/self/status`, in MiB.
fn proc_status_mib(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU seconds (user + system) this process has used, from `/proc/self/stat` (100 ticks/s).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(u), Some(s)) => (u + s) / 100.0,
        _ => f64::NAN,
    }
}

/// Resets the peak-RSS mark so that the next reading is the peak of the next file alone.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub fn run(args: BenchOcrArgs) -> anyhow::Result<()> {
    let files = collect(&args.paths)?;
    anyhow::ensure!(!files.is_empty(), "no files to read");
    let env = |name: &str| std::env::var_os(name);
    let mut config = labrador_ocr::settings::ocr_from_vars(env)?;
    if let Some(models) = args.models {
        config.models_dir = models;
    }
    let start = Instant::now();
    let ocr = labrador_ocr::PaddleOcr::load(&config)?;
    println!(
        "models loaded in {:.2} s, RSS {:.0} MiB",
        start.elapsed().as_secs_f64(),
        proc_status_mib("VmRSS:").unwrap_or(f64::NAN)
    );
    println!(
        "{:<36} {:>5} {:>8} {:>8} {:>10} {:>7} {:>10}",
        "file", "pages", "seconds", "s/page", "cpu s/page", "words", "peak MiB"
    );
    let (mut total_pages, mut total_secs, mut total_cpu, mut peak) = (0usize, 0.0, 0.0, 0.0f64);
    for path in &files {
        let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        reset_peak();
        let t = Instant::now();
        let cpu = cpu_seconds();
        let pages = match FileKind::sniff(&bytes) {
            Some(FileKind::Pdf) => read_pdf(
                bind(&pdfium_lib_from_vars(env)?)?,
                &bytes,
                Some(&ocr),
                &labrador_engine::read::ReadLimits::default(),
            ),
            _ => read_image(&bytes, Some(&ocr)),
        };
        let secs = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu;
        let file_peak = proc_status_mib("VmHWM:").unwrap_or(f64::NAN);
        peak = peak.max(file_peak);
        match pages {
            Ok(pages) => {
                let n = pages.len().max(1);
                let words: usize = pages.iter().map(|p| p.words.len()).sum();
                total_pages += n;
                total_secs += secs;
                total_cpu += cpu;
                println!(
                    "{name:<36} {n:>5} {secs:>8.2} {:>8.2} {:>10.2} {words:>7} {file_peak:>10.0}",
                    secs / n as f64,
                    cpu / n as f64
                );
            }
            Err(r) => println!(
                "{name:<36} rejected {} after {secs:.2} s (peak {file_peak:.0} MiB)",
                r.reason.code()
            ),
        }
    }
    if total_pages > 0 {
        println!(
            "total: {total_pages} pages, {:.2} s/page, {:.2} CPU s/page, peak RSS {peak:.0} MiB",
            total_secs / total_pages as f64,
            total_cpu / total_pages as f64
        );
    }
    Ok(())
}
