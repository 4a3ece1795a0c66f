//! Standardize Lambda: SQS standardize-queue → report.json + record `standardized` → deliver-queue.

use labrador_aws::AwsAdapters;
use labrador_aws::lambda::{
    LambdaError, StandardizeOnly, init_tracing, run_queue, service_config_from_env,
};
use labrador_domain::ports::QueueName;
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), LambdaError> {
    init_tracing();
    let aws = AwsAdapters::from_env().await?;
    let services = aws
        .services()
        .with_config(service_config_from_env())
        .with_engine(Arc::new(StandardizeOnly));
    run_queue(services, QueueName::Standardize).await
}
