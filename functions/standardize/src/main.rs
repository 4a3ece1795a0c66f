//! Standardize Lambda: SQS standardize-queue → report.json + record `standardized` → deliver-queue.

use labrador_aws::AwsAdapters;
use labrador_aws::lambda::{LambdaError, StandardizeOnly, init_tracing, run_queue};
use labrador_domain::ports::QueueName;
use labrador_domain::services::ServiceConfig;
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), LambdaError> {
    init_tracing();
    let aws = AwsAdapters::from_env().await?;
    let services = aws
        .services()
        .with_config(ServiceConfig::from_env()?)
        .with_engine(Arc::new(StandardizeOnly));
    run_queue(services, aws.queue.clone(), QueueName::Standardize).await
}
