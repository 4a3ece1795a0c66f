//! `labrador serve --aws-endpoint URL`: the same runner on the AWS adapters against an emulator
//! (moto, LocalStack). The bucket, table and queues are created when missing; the three queues are
//! polled like Lambda's event source mappings, through the very handler the queue Lambdas run.

use crate::serve::{ServeArgs, dev_api_key};
use anyhow::Context;
use labrador_api::{Api, ApiConfig};
use labrador_aws::lambda::{poll_until, run_job};
use labrador_aws::{AwsAdapters, AwsConfig};
use labrador_domain::ports::ApiKeyStore;
use labrador_domain::services::{Pipeline, StepWorker};
use labrador_http::{GuardPolicy, HttpWebhookSender};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Long-poll wait of the pollers; also bounds how long stopping takes.
const POLL_WAIT: Duration = Duration::from_secs(2);

pub async fn serve(args: ServeArgs, endpoint: &str) -> anyhow::Result<()> {
    let config = args.service_config()?;
    let mut aws = AwsAdapters::new(AwsConfig::emulator(endpoint, &args.aws_prefix)).await;
    aws.provision(&config.queue)
        .await
        .with_context(|| format!("cannot create the stack's resources at {endpoint}"))?;

    let policy = if args.allow_loopback_webhooks {
        GuardPolicy::LOCAL
    } else {
        GuardPolicy::PRODUCTION
    };
    let sender = HttpWebhookSender::new(policy).context("cannot build the webhook client")?;
    let services = aws.services().with_config(config);
    let steps = Pipeline::new(
        services.clone(),
        Arc::new(crate::serve::build_engine()?),
        Arc::new(sender),
    );
    let api_config = ApiConfig {
        webhook_guard: policy,
        ..ApiConfig::default()
    };
    let max_body = api_config.max_body_bytes;
    let api = Arc::new(Api::new(services.clone(), api_config));

    let key = dev_api_key(&args.data_dir)?;
    aws.store
        .put_api_key_hash(&labrador_api::hash_api_key(&key), &args.tenant)
        .await
        .context("cannot store the development API key")?;

    let (shutdown, _) = watch::channel(false);
    let mut tasks = vec![tokio::spawn(labrador_local::run_recovery(
        services.clone(),
        shutdown.subscribe(),
    ))];
    for worker in steps.workers() {
        tasks.push(tokio::spawn(poll_queue(
            aws.clone(),
            worker.clone(),
            shutdown.subscribe(),
        )));
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let addr = listener.local_addr()?;
    tasks.push(tokio::spawn(labrador_local::serve_http(
        api,
        listener,
        max_body,
        shutdown.subscribe(),
    )));

    eprintln!(
        "labrador: serving http://{addr} on the AWS adapters at {endpoint} (bucket {}, table {})",
        aws.config.bucket, aws.config.table
    );
    crate::serve::announce_key(&args, &key);
    crate::serve::shutdown_signal().await;
    eprintln!("labrador: shutting down");
    let _ = shutdown.send(true);
    for task in tasks {
        let _ = task.await;
    }
    Ok(())
}

async fn poll_queue(aws: AwsAdapters, worker: StepWorker, shutdown: watch::Receiver<bool>) {
    let handler = |job, receives| run_job(&worker, &aws.queue, job, receives);
    poll_until(&aws.queue, worker.queue(), POLL_WAIT, &handler, shutdown).await;
}
