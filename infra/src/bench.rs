//! `labrador bench -n N`: pushes N distinct copies of a sample report through the local
//! pipeline (HTTP upload → workers → webhook to a local receiver) and prints upload→webhook
//! latency percentiles and throughput.

use anyhow::Context;
use labrador_devkit::client::Client;
use labrador_devkit::receiver::Receiver;
use labrador_local::{LocalOptions, LocalPipeline};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Number of reports.
    #[arg(short = 'n', long, default_value_t = 20)]
    pub count: usize,
    /// Uploads in flight at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// The sample PDF (default: the corpus demo report when present, else a generated one).
    #[arg(long)]
    pub sample: Option<PathBuf>,
    /// Extract workers (standardize gets the same; deliver twice as many).
    #[arg(long, default_value_t = 2)]
    pub workers: usize,
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    if args.count == 0 {
        anyhow::bail!("-n must be at least 1");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(bench(args))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

async fn bench(args: BenchArgs) -> anyhow::Result<()> {
    let sample = match &args.sample {
        Some(p) => std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?,
        None => labrador_devkit::sample_pdf(),
    };
    let dir = tempfile::tempdir()?;
    let mut options = LocalOptions::new(dir.path());
    options.allow_loopback_webhooks = true;
    options.workers = [args.workers, args.workers, args.workers * 2];
    let mut pipeline = LocalPipeline::open(Arc::new(crate::serve::build_engine()?), options)?;
    pipeline.start_workers();
    let addr = pipeline.bind_http("127.0.0.1:0".parse()?).await?;
    let key = pipeline.create_api_key("bench").await?;
    let client = Arc::new(Client::new(format!("http://{addr}"), key));
    let receiver = Receiver::start(&[]).await;
    let ep = client
        .put_json(
            "/v1/webhook-endpoint",
            &serde_json::json!({"url": receiver.url()}),
        )
        .await;
    anyhow::ensure!(
        ep.status == 201,
        "webhook endpoint not accepted: {}",
        ep.status
    );

    eprintln!(
        "labrador bench: {} reports, {} uploads in flight, {} workers per step",
        args.count, args.concurrency, args.workers
    );
    let started = Instant::now();
    let semaphore = Arc::new(tokio::sync::Semaphore::new(args.concurrency.max(1)));
    let mut uploads = tokio::task::JoinSet::new();
    for i in 0..args.count {
        let pdf = labrador_devkit::pdf::variant(&sample, i as u64);
        let client = client.clone();
        let permit = semaphore.clone().acquire_owned().await?;
        uploads.spawn(async move {
            let t0 = Instant::now();
            let a = client
                .upload_pdf(&format!("bench-{i}.pdf"), &pdf, &[])
                .await;
            drop(permit);
            (t0, a)
        });
    }
    let mut sent_at: HashMap<String, Instant> = HashMap::new();
    while let Some(r) = uploads.join_next().await {
        let (t0, a) = r?;
        anyhow::ensure!(
            a.status == 202,
            "upload answered {}: {:?}",
            a.status,
            a.json()
        );
        let id = a.json()["id"].as_str().unwrap_or_default().to_string();
        sent_at.insert(id, t0);
    }
    let hooks = receiver
        .wait_for(args.count, Duration::from_secs(60 + 10 * args.count as u64))
        .await;
    let mut latencies = Vec::new();
    let mut last = started;
    let mut statuses: HashMap<String, usize> = HashMap::new();
    for h in &hooks {
        let event = h.json();
        let id = event["data"]["id"].as_str().unwrap_or_default();
        *statuses
            .entry(event["data"]["status"].as_str().unwrap_or("?").to_string())
            .or_default() += 1;
        if let Some(t0) = sent_at.get(id) {
            latencies.push(h.at.duration_since(*t0));
            last = last.max(h.at);
        }
    }
    pipeline.shutdown().await;
    anyhow::ensure!(
        latencies.len() == args.count,
        "only {} of {} webhooks arrived",
        latencies.len(),
        args.count
    );
    latencies.sort();
    let wall = last.duration_since(started).as_secs_f64();
    println!("reports:        {}", args.count);
    println!("outcomes:       {statuses:?}");
    println!(
        "p50 latency:    {:.0} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1e3
    );
    println!(
        "p95 latency:    {:.0} ms",
        percentile(&latencies, 0.95).as_secs_f64() * 1e3
    );
    println!(
        "max latency:    {:.0} ms",
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
    println!(
        "throughput:     {:.2} reports/s ({wall:.2} s wall)",
        args.count as f64 / wall
    );
    Ok(())
}
