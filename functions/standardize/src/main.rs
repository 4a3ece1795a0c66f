//! Standardize Lambda: SQS standardize-queue → report.json + record `standardized` → deliver-queue.

use labrador_aws::AwsAdapters;
use labrador_aws::lambda::{LambdaError, init_tracing, run_queue};
use labrador_domain::services::{QueueStep, ServiceConfig, StepWorker};

#[tokio::main]
async fn main() -> Result<(), LambdaError> {
    init_tracing();
    let aws = AwsAdapters::from_env().await?;
    let services = aws.services().with_config(ServiceConfig::from_env()?);
    let worker = StepWorker::new(services, QueueStep::Standardize);
    run_queue(worker, aws.queue.clone()).await
}
