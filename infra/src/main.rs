//! `labrador`: the local runner and the command-line tool.

use clap::{Parser, Subcommand};

mod bench;
mod eval;
mod parse;
mod serve;

#[derive(Parser)]
#[command(name = "labrador", version, about = "Lab reports in, standardized biomarkers out.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API on 127.0.0.1 and run the queue workers in-process.
    Serve(serve::ServeArgs),
    /// Read lab-report files and print their reports.
    Parse(parse::ParseArgs),
    /// Score the engine on a corpus folder (files/ + truth/).
    Eval(eval::EvalArgs),
    /// Push N reports through the local pipeline and print latency figures.
    Bench(bench::BenchArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Parse(args) => parse::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Bench(args) => bench::run(args),
    }
}
