//! Polls a queue and runs its messages through [`sqs_batch_until`] like Lambda's event source
//! mapping does: the same handler, batch limits and partial-failure rules. Used by tests and the local runner.

use super::sqs::{BatchLimits, Disposition, sqs_batch_until};
use crate::sqs::SqsJobQueue;
use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use labrador_domain::ports::{Job, QueueName, QueueResult};
use std::future::Future;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// Receives one batch (up to 10 messages, waiting up to `wait`), handles it as the queue's
/// function does ([`BatchLimits::for_queue`]; by `deadline` when there is one, as by an
/// invocation's) and deletes the messages that succeeded. Returns how many messages were received.
pub async fn poll_once<F, Fut>(
    queue: &SqsJobQueue,
    name: QueueName,
    wait: Duration,
    handler: &F,
    deadline: Option<Instant>,
) -> QueueResult<usize>
where
    F: Fn(Job, u32) -> Fut,
    Fut: Future<Output = Disposition>,
{
    let received = queue.receive(name, 10, wait).await?;
    let count = received.len();
    if count == 0 {
        return Ok(0);
    }
    let mut event = SqsEvent::default();
    event.records = received
        .iter()
        .map(|r| {
            let mut m = SqsMessage::default();
            m.message_id = Some(r.message_id.clone());
            m.receipt_handle = Some(r.receipt_handle.clone());
            m.body = Some(r.body.clone());
            m.attributes.insert(
                "ApproximateReceiveCount".into(),
                r.receive_count.to_string(),
            );
            m
        })
        .collect();
    let response = sqs_batch_until(event, handler, BatchLimits::for_queue(name), deadline).await;
    for message in &received {
        let failed = response
            .batch_item_failures
            .iter()
            .any(|f| f.item_identifier == message.message_id);
        if !failed {
            queue.delete(name, &message.receipt_handle).await?;
        }
    }
    Ok(count)
}

/// Polls `name` until `shutdown` turns true, like an event source mapping: long polls of up to
/// `wait`, each batch through [`poll_once`]. A batch in hand is finished before stopping, so
/// stopping takes up to `wait` plus one batch. A failing receive (the endpoint is down) is
/// logged and retried after a pause.
pub async fn poll_until<F, Fut>(
    queue: &SqsJobQueue,
    name: QueueName,
    wait: Duration,
    handler: &F,
    shutdown: watch::Receiver<bool>,
) where
    F: Fn(Job, u32) -> Fut,
    Fut: Future<Output = Disposition>,
{
    while !*shutdown.borrow() {
        if let Err(err) = poll_once(queue, name, wait, handler, None).await {
            tracing::warn!(?name, error = %err, "queue poll failed");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}
