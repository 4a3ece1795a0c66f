//! `labrador`: the local runner and the command-line tool.

use clap::{Parser, Subcommand};

mod aws_target;
mod bench;
mod bench_ocr;
mod bench_reader;
mod engine_setup;
mod eval;
mod parse;
mod redrive;
mod serve;
mod serve_aws;

#[derive(Parser)]
#[command(
    name = "labrador",
    version,
    about = "Lab reports in, standardized biomarkers out."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API on 127.0.0.1 and run the queue workers in-process.
    Serve(serve::ServeArgs),
    /// Operator commands for API keys.
    ApiKey(serve::ApiKeyArgs),
    /// Deal with the dead-letter queues: reprocess, redeliver, requeue or drop each job.
    Redrive(redrive::RedriveArgs),
    /// Read lab-report files and print their reports.
    Parse(parse::ParseArgs),
    /// Score the engine on a corpus folder (files/ + truth/).
    Eval(eval::EvalArgs),
    /// Push N reports through the local pipeline and print latency figures.
    Bench(bench::BenchArgs),
    /// Time the PDF reader and the whole engine per page, beside pdftotext.
    BenchReader(bench_reader::BenchReaderArgs),
    /// Time OCR per page and report peak memory.
    BenchOcr(bench_ocr::BenchOcrArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::ApiKey(args) => serve::api_key(args),
        Command::Redrive(args) => redrive::run(args),
        Command::Parse(args) => parse::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Bench(args) => bench::run(args),
        Command::BenchReader(args) => bench_reader::run(args),
        Command::BenchOcr(args) => bench_ocr::run(args),
    }
}
