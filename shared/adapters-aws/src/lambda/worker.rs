//! The queue functions' job runner: the worker decides a message's fate
//! ([`StepWorker::process_job`]); this carries it out on SQS.

use super::sqs::{BatchLimits, Disposition, run_sqs_with};
use crate::sqs::SqsJobQueue;
use labrador_domain::ports::Job;
use labrador_domain::services::{Settlement, StepWorker};
use std::sync::Arc;

/// Runs one job of the worker's queue and carries out its settlement: an acknowledged job is deleted; a
/// retry leaves the message for SQS to hand out again after the queue's visibility timeout; a
/// given-up job is moved to the dead-letter queue at once (if that move fails, the message is
/// retried and SQS moves it after `maxReceiveCount` receives).
pub async fn run_job(
    worker: &StepWorker,
    sqs: &SqsJobQueue,
    job: Job,
    receive_count: u32,
) -> Disposition {
    let queue = worker.queue();
    match worker.process_job(&job, receive_count).await {
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

/// The Lambda runtime loop of a queue function: its batches worked through as
/// [`BatchLimits::for_queue`] says, answering before the invocation deadline.
pub async fn run_queue(worker: StepWorker, sqs: SqsJobQueue) -> Result<(), lambda_runtime::Error> {
    let limits = BatchLimits::for_queue(worker.queue());
    let shared = Arc::new((worker, sqs));
    run_sqs_with(limits, move |job, receive_count| {
        let shared = shared.clone();
        async move {
            let (worker, sqs) = &*shared;
            Box::pin(run_job(worker, sqs, job, receive_count)).await
        }
    })
    .await
}
