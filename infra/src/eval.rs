//! `labrador eval DIR`: runs the engine over `DIR/files/*` and scores it against
//! `DIR/truth/<stem>.json` and `DIR/loinc/<stem>.json` by the rules of the corpus README.

mod dimensions;
mod rows;
mod scoring;
mod shards;
mod similarity;

use crate::engine_setup::build_engine_with;
use crate::parse::report_for;
use anyhow::Context;
use scoring::{Score, TruthRow};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct EvalArgs {
    /// Corpus folder holding `files/`, `truth/` and optionally `loinc/`.
    dir: PathBuf,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
    /// Only files whose name contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// Score the raw extraction (reader and layout alone, ranges parsed from their text)
    /// instead of the standardized report.
    #[arg(long)]
    raw: bool,
    /// Do not load OCR even when its models are installed.
    #[arg(long)]
    no_ocr: bool,
    /// Print missed and extra rows and field errors per document.
    #[arg(long, short)]
    verbose: bool,
    /// Totals, per-dimension tables and timing only (no line per document).
    #[arg(long)]
    summary: bool,
    /// Documents read in parallel, each batch by a child process of its own.
    #[arg(long, short = 'j', default_value_t = 1)]
    jobs: usize,
    /// Only every N-th document from the K-th (`K/N`), as the child processes of `-j` do.
    #[arg(long, hide = true)]
    shard: Option<shards::Shard>,
}

#[derive(serde::Deserialize)]
struct Truth {
    #[serde(default)]
    has_text_layer: bool,
    collection_date: Option<String>,
    results: Vec<TruthRow>,
    /// What a generated document was drawn with (layout, language, ...): scores are grouped by it.
    #[serde(default)]
    style: std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(serde::Deserialize)]
struct LoincFile {
    rows: Vec<LoincRow>,
}

#[derive(serde::Deserialize)]
struct LoincRow {
    i: usize,
    #[serde(default)]
    loinc: Vec<String>,
}

#[derive(Serialize, serde::Deserialize)]
struct DocResult {
    file: String,
    text_layer: bool,
    rejected: Option<String>,
    /// Wall-clock seconds to read and score the document.
    seconds: f64,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    style: std::collections::BTreeMap<String, String>,
    #[serde(flatten)]
    score: Score,
}

#[derive(Serialize)]
struct Totals {
    documents: usize,
    #[serde(flatten)]
    score: Score,
    precision: f64,
    recall: f64,
    f1: f64,
    unit_accuracy: f64,
    range_accuracy: f64,
    flag_accuracy: f64,
    date_accuracy: Option<f64>,
    split_accuracy: Option<f64>,
    loinc_accuracy: Option<f64>,
    /// Share of the coded rows whose `match_status` is `auto`, and the LOINC accuracy within them.
    loinc_auto_share: Option<f64>,
    loinc_auto_accuracy: Option<f64>,
}

fn totals(docs: &[&DocResult]) -> Totals {
    let mut s = Score::default();
    for d in docs {
        s.add(&d.score);
    }
    let opt = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
    Totals {
        documents: docs.len(),
        precision: s.precision(),
        recall: s.recall(),
        f1: s.f1(),
        unit_accuracy: s.unit_acc(),
        range_accuracy: s.range_acc(),
        flag_accuracy: s.flag_acc(),
        date_accuracy: opt(s.date_ok, s.date_total),
        split_accuracy: opt(s.split_ok, s.split_total),
        loinc_accuracy: opt(s.loinc_ok, s.loinc_total),
        loinc_auto_share: opt(s.loinc_auto, s.loinc_total),
        loinc_auto_accuracy: opt(s.loinc_auto_ok, s.loinc_auto),
        score: s,
    }
}

pub fn run(args: EvalArgs) -> anyhow::Result<()> {
    let files_dir = args.dir.join("files");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&files_dir)
        .with_context(|| format!("cannot list {}", files_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            args.filter.as_ref().is_none_or(|f| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().contains(f.as_str()))
            })
        })
        .collect();
    files.sort();
    let started = std::time::Instant::now();
    let docs = if args.jobs > 1 && args.shard.is_none() {
        shards::run_children(args.jobs, &shards::child_args(&args))?
    } else {
        if let Some(shard) = args.shard {
            files = shard.select(files);
        }
        evaluate(&args, &files)?
    };
    let wall = started.elapsed().as_secs_f64();
    report(&args, &docs, wall)
}

fn evaluate(args: &EvalArgs, files: &[PathBuf]) -> anyhow::Result<Vec<DocResult>> {
    let engine = build_engine_with(!args.no_ocr)?;
    let mut docs = Vec::new();
    for path in files {
        let started = std::time::Instant::now();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let truth_path = args.dir.join("truth").join(format!("{stem}.json"));
        let Ok(truth_text) = std::fs::read_to_string(&truth_path) else {
            eprintln!("labrador eval: no truth for {}, skipped", path.display());
            continue;
        };
        let truth: Truth = serde_json::from_str(&truth_text)
            .with_context(|| format!("cannot parse {}", truth_path.display()))?;
        let loinc = read_loinc(
            &args.dir.join("loinc").join(format!("{stem}.json")),
            truth.results.len(),
        );
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let (preds, dates, rejected) = if args.raw {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let input = labrador_engine::InputFile {
                index: 0,
                file_name: &name,
                bytes: &bytes,
            };
            let extraction = engine.extract(std::slice::from_ref(&input));
            let (p, d) = rows::from_extraction(&extraction);
            (
                p,
                d,
                extraction.rejection.map(|r| r.reason.code().to_string()),
            )
        } else {
            let report = report_for(&engine, path, &bytes);
            let (p, d) = rows::from_report(&report);
            (p, d, report.rejection.map(|r| r.reason.code().to_string()))
        };
        let mut score = scoring::score_document(
            &truth.results,
            truth.collection_date.as_deref(),
            &preds,
            &dates,
            &loinc,
        );
        if !args.verbose {
            score.misses.clear();
            score.errors.clear();
        }
        docs.push(DocResult {
            seconds: started.elapsed().as_secs_f64(),
            style: truth
                .style
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), v)
                })
                .collect(),
            file: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            text_layer: truth.has_text_layer,
            rejected,
            score,
        });
    }
    Ok(docs)
}

fn report(args: &EvalArgs, docs: &[DocResult], wall: f64) -> anyhow::Result<()> {
    let all: Vec<&DocResult> = docs.iter().collect();
    let text: Vec<&DocResult> = docs.iter().filter(|d| d.text_layer).collect();
    let images: Vec<&DocResult> = docs.iter().filter(|d| !d.text_layer).collect();
    if args.json {
        let out = serde_json::json!({
            "seconds": wall,
            "mode": if args.raw { "raw" } else { "report" },
            "documents": docs,
            "totals": totals(&all),
            "totals_text_layer": totals(&text),
            "totals_scans_images": totals(&images),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "{:<38} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>5} {:>6}",
        "file", "truth", "pred", "match", "P", "R", "F1", "unit", "range", "flag", "date", "loinc"
    );
    for d in docs.iter().filter(|_| !args.summary) {
        let s = &d.score;
        let date = if s.date_total == 0 {
            "-"
        } else if s.date_ok == 1 {
            "ok"
        } else {
            "MISS"
        };
        let loinc = if s.loinc_total == 0 {
            "-".to_string()
        } else {
            format!("{:.2}", s.loinc_ok as f64 / s.loinc_total as f64)
        };
        println!(
            "{:<38} {:>5} {:>5} {:>5} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>5} {:>6}{}",
            d.file,
            s.truth_rows,
            s.predicted_rows,
            s.matched,
            s.precision(),
            s.recall(),
            s.f1(),
            s.unit_acc(),
            s.range_acc(),
            s.flag_acc(),
            date,
            loinc,
            d.rejected
                .as_ref()
                .map(|r| format!("  rejected: {r}"))
                .unwrap_or_default()
        );
        for m in s.misses.iter().chain(s.errors.iter()) {
            println!("    {m}");
        }
    }
    for (label, group) in [
        ("TOTAL", &all),
        ("TOTAL text-layer", &text),
        ("TOTAL scans/images", &images),
    ] {
        if group.is_empty() {
            continue;
        }
        let t = totals(group);
        let f = |x: Option<f64>| x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into());
        println!(
            "{label}: docs {} rows {}/{} matched {} | P {:.3} R {:.3} F1 {:.3} | unit {:.3} range {:.3} flag {:.3} | date {} split {} loinc {} (auto {} of rows, {} right)",
            t.documents,
            t.score.predicted_rows,
            t.score.truth_rows,
            t.score.matched,
            t.precision,
            t.recall,
            t.f1,
            t.unit_accuracy,
            t.range_accuracy,
            t.flag_accuracy,
            f(t.date_accuracy),
            f(t.split_accuracy),
            f(t.loinc_accuracy),
            f(t.loinc_auto_share),
            f(t.loinc_auto_accuracy),
        );
    }
    dimensions::print(docs);
    dimensions::print_timing(docs, wall);
    Ok(())
}

fn read_loinc(path: &Path, n: usize) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); n];
    if let Ok(text) = std::fs::read_to_string(path)
        && let Ok(file) = serde_json::from_str::<LoincFile>(&text)
    {
        for row in file.rows {
            if row.i < n {
                out[row.i] = row.loinc;
            }
        }
    }
    out
}
