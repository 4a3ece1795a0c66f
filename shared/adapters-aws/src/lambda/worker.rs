//! The queue functions' job runner: the services decide a message's fate
//! ([`Services::process_job`]); this carries it out on SQS.

use super::sqs::{BatchLimits, Disposition, run_sqs_with};
use crate::sqs::SqsJobQueue;
use labrador_domain::ports::{Job, QueueName};
use labrador_domain::services::{Services, Settlement};
use std::sync::Arc;

/// Runs one job of `queue` and carries out its settlement: an acknowledged job is deleted; a
/// retry leaves the message for SQS to hand out again after the queue's visibility timeout; a
/// given-up job is moved to the dead-letter queue at once (if that move fails, the message is
/// retried and SQS moves it after `maxReceiveCount` receives).
pub async fn run_job(
    services: &Services,
    sqs: &SqsJobQueue,
    queue: QueueName,
    job: Job,
    receive_count: u32,
) -> Disposition {
    match services.process_job(queue, &job, receive_count).await {
        Settlement::Ack => Disposition::Done,
        Settlement::Retry { .. } => Disposition::Retry,
        Settlement::DeadLetter { .. } => match sqs.send_dead(queue, &job).await {
            Ok(()) => Disposition::Done,
            Err(err) => {
                tracing::error!(
                    tenant = job.tenant,
                    report_id = job.report_id,
                    ?queue,
                    error = %err,
                    "cannot move the given-up job to the dead-letter queue"
                );
                Disposition::Retry
            }
        },
    }
}

/// The Lambda runtime loop of a queue function: one message after the other, answering before
/// the invocation deadline.
pub async fn run_queue(
    services: Services,
    sqs: SqsJobQueue,
    queue: QueueName,
) -> Result<(), lambda_runtime::Error> {
    run_queue_with(services, sqs, queue, BatchLimits::SEQUENTIAL).await
}

/// [`run_queue`] with `limits` (the deliver function runs its batch concurrently).
pub async fn run_queue_with(
    services: Services,
    sqs: SqsJobQueue,
    queue: QueueName,
    limits: BatchLimits,
) -> Result<(), lambda_runtime::Error> {
    let shared = Arc::new((services, sqs));
    run_sqs_with(limits, move |job, receive_count| {
        let shared = shared.clone();
        async move {
            let (services, sqs) = &*shared;
            Box::pin(run_job(services, sqs, queue, job, receive_count)).await
        }
    })
    .await
}
