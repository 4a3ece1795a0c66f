//! Deliver Lambda: SQS deliver-queue → signed webhook to the tenant's endpoint (retries with
//! backoff by re-queueing; the attempt log in DynamoDB). The batch's webhooks go out at once.

use labrador_aws::AwsAdapters;
use labrador_aws::lambda::{LambdaError, init_tracing, run_queue};
use labrador_domain::services::{QueueStep, ServiceConfig, StepWorker};
use labrador_http::{GuardPolicy, HttpWebhookSender};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), LambdaError> {
    init_tracing();
    let aws = AwsAdapters::from_env().await?;
    // Production guard: https only, no loopback/private/link-local destinations.
    let sender = HttpWebhookSender::new(GuardPolicy::PRODUCTION)?;
    let services = aws.services().with_config(ServiceConfig::from_env()?);
    let worker = StepWorker::new(services, QueueStep::Deliver(Arc::new(sender)));
    // The whole batch at once (BatchLimits::for_queue), so a batch takes about one webhook
    // timeout; what is unfinished near the invocation deadline goes back to the queue.
    run_queue(worker, aws.queue.clone()).await
}
