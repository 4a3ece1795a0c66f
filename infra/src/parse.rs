//! `labrador parse FILES… --format json|csv|fhir`: the report JSON (or a FHIR Bundle) per file.

use crate::engine_setup::build_engine;
use anyhow::Context;
use labrador_engine::standardize::{StandardizeOptions, standardize};
use labrador_engine::{Engine, FileInfo, FileKind, InputFile, Report, Status};
use sha2::{Digest, Sha256};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Csv,
    /// A FHIR R4 collection Bundle per file.
    Fhir,
}

#[derive(clap::Args)]
pub struct ParseArgs {
    /// Lab-report files (PDF, PNG, JPEG).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Skip OCR even when its models are installed.
    #[arg(long)]
    no_ocr: bool,
}

pub fn run(args: ParseArgs) -> anyhow::Result<()> {
    let engine = if args.no_ocr {
        crate::engine_setup::build_engine_with(false)?
    } else {
        build_engine()?
    };
    let progress = (args.files.len() > 1 && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(args.files.len() as u64);
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar
    });
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.format == Format::Csv {
        writeln!(out, "{}", CSV_HEADER)?;
    }
    for path in &args.files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let report = report_for(&engine, path, &bytes);
        match args.format {
            Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?,
            Format::Csv => write_csv(&mut out, path, &report)?,
            Format::Fhir => writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&labrador_engine::fhir::bundle(&report))?
            )?,
        }
        if let Some(bar) = &progress {
            bar.inc(1);
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    Ok(())
}

/// Reads one file through the whole engine into its report (completed or rejected).
pub(crate) fn report_for(engine: &Engine, path: &Path, bytes: &[u8]) -> Report {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let input = InputFile {
        index: 0,
        file_name: &name,
        bytes,
    };
    let extraction = engine.extract(std::slice::from_ref(&input));
    let info = FileInfo {
        index: 0,
        file_name: name.clone(),
        mime_type: FileKind::sniff(bytes)
            .map(|k| k.mime_type().to_string())
            .unwrap_or_else(|| "application/octet-stream".into()),
        sha256: hex(&Sha256::digest(bytes)),
        size: bytes.len() as u64,
        pages: extraction.files.first().map(|f| f.pages),
    };
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let id = format!("local-{}", &info.sha256[..16]);
    if let Some(rejection) = extraction.rejection.clone() {
        let mut report = Report::assemble(
            id,
            vec![info],
            Default::default(),
            Status::Rejected,
            "rejected",
            &now,
        );
        report.rejection = Some(rejection);
        return report;
    }
    let standardized = standardize(&extraction, &StandardizeOptions::default());
    Report::assemble(
        id,
        vec![info],
        standardized,
        Status::Completed,
        "completed",
        &now,
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const CSV_HEADER: &str = "file,status,collection_date,section,original_name,biomarker,loinc_code,value,value_text,unit,unit_code,ref_low,ref_high,ref_text,flag,interpretation,page,confidence";

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn write_csv(out: &mut impl Write, path: &Path, report: &Report) -> anyhow::Result<()> {
    let file = path.display().to_string();
    let status = serde_json::to_value(report.status)?
        .as_str()
        .unwrap_or("")
        .to_string();
    if let Some(r) = &report.rejection {
        writeln!(
            out,
            "{},{},,,,,,,{},,,,,,,,,",
            csv_field(&file),
            status,
            csv_field(r.reason.code())
        )?;
        return Ok(());
    }
    let opt = |v: Option<String>| v.unwrap_or_default();
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for doc in &report.documents {
        for section in &doc.sections {
            for r in &section.results {
                let range = r.reference_range.as_ref();
                let fields = [
                    file.clone(),
                    status.clone(),
                    opt(doc.collection_date.clone()),
                    opt(section.name.clone()),
                    r.original_name.clone(),
                    r.biomarker.clone(),
                    opt(r.loinc_code.clone()),
                    num(r.value),
                    r.value_text.clone(),
                    opt(r.original_unit.clone()),
                    opt(r.unit_code.clone()),
                    num(range.and_then(|x| x.low)),
                    num(range.and_then(|x| x.high)),
                    opt(range.and_then(|x| x.text.clone())),
                    opt(r.flag.clone()),
                    r.interpretation
                        .and_then(|i| serde_json::to_value(i).ok())
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    r.source.page.to_string(),
                    format!("{:.2}", r.confidence),
                ];
                let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
    }
    Ok(())
}
