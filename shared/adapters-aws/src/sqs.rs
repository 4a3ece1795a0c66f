//! The three work queues on SQS.

use crate::config::AwsConfig;
use crate::error::queue_backend;
use async_trait::async_trait;
use aws_sdk_sqs::Client;
use labrador_domain::ports::{Job, JobQueue, QueueError, QueueName, QueueResult};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OnceCell;

/// SQS's largest message delay.
pub const MAX_DELAY: Duration = Duration::from_secs(900);

/// A message received from a queue (for pollers outside Lambda: tests, the local runner).
#[derive(Debug, Clone)]
pub struct ReceivedMessage {
    pub message_id: String,
    pub receipt_handle: String,
    pub body: String,
    /// How often SQS has handed out this message (`ApproximateReceiveCount`).
    pub receive_count: u32,
}

#[derive(Clone)]
pub struct SqsJobQueue {
    client: Client,
    extract_url: String,
    standardize_url: String,
    deliver_url: String,
    /// Dead-letter queue URLs, looked up once per queue (see `dead_letter_url`).
    pub(crate) dead_letter_urls: Arc<[OnceCell<String>; 3]>,
}

impl SqsJobQueue {
    pub fn new(client: Client, config: &AwsConfig) -> SqsJobQueue {
        SqsJobQueue {
            client,
            extract_url: config.extract_queue_url.clone(),
            standardize_url: config.standardize_queue_url.clone(),
            deliver_url: config.deliver_queue_url.clone(),
            dead_letter_urls: Arc::new(
                config
                    .dead_letter_queue_urls
                    .clone()
                    .map(OnceCell::new_with),
            ),
        }
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    pub fn url(&self, queue: QueueName) -> &str {
        match queue {
            QueueName::Extract => &self.extract_url,
            QueueName::Standardize => &self.standardize_url,
            QueueName::Deliver => &self.deliver_url,
        }
    }

    pub(crate) fn set_url(&mut self, queue: QueueName, url: String) {
        match queue {
            QueueName::Extract => self.extract_url = url,
            QueueName::Standardize => self.standardize_url = url,
            QueueName::Deliver => self.deliver_url = url,
        }
        self.dead_letter_urls = Arc::default();
    }

    /// Receives up to `max` (≤ 10) messages, long-polling for up to `wait` (≤ 20 s).
    pub async fn receive(
        &self,
        queue: QueueName,
        max: u32,
        wait: Duration,
    ) -> QueueResult<Vec<ReceivedMessage>> {
        self.receive_from(self.url(queue), max, wait, None).await
    }

    /// Receives from any queue URL, hiding the messages for `visibility` (else the queue's).
    pub(crate) async fn receive_from(
        &self,
        url: &str,
        max: u32,
        wait: Duration,
        visibility: Option<Duration>,
    ) -> QueueResult<Vec<ReceivedMessage>> {
        let out = self
            .client
            .receive_message()
            .queue_url(url)
            .max_number_of_messages(max.clamp(1, 10) as i32)
            .wait_time_seconds(wait.as_secs().min(20) as i32)
            .set_visibility_timeout(visibility.map(|v| v.as_secs() as i32))
            .message_system_attribute_names(
                aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount,
            )
            .send()
            .await
            .map_err(queue_backend)?;
        Ok(out
            .messages
            .unwrap_or_default()
            .into_iter()
            .filter_map(|m| {
                let receive_count = m
                    .attributes()
                    .and_then(|a| {
                        a.get(&aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount)
                    })
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                Some(ReceivedMessage {
                    message_id: m.message_id?,
                    receipt_handle: m.receipt_handle?,
                    body: m.body.unwrap_or_default(),
                    receive_count,
                })
            })
            .collect())
    }

    /// Acknowledges a processed message.
    pub async fn delete(&self, queue: QueueName, receipt_handle: &str) -> QueueResult<()> {
        self.client
            .delete_message()
            .queue_url(self.url(queue))
            .receipt_handle(receipt_handle)
            .send()
            .await
            .map_err(queue_backend)?;
        Ok(())
    }

    /// Approximate number of visible plus in-flight plus delayed messages.
    pub async fn approximate_depth(&self, queue: QueueName) -> QueueResult<u64> {
        use aws_sdk_sqs::types::QueueAttributeName as A;
        let out = self
            .client
            .get_queue_attributes()
            .queue_url(self.url(queue))
            .attribute_names(A::ApproximateNumberOfMessages)
            .attribute_names(A::ApproximateNumberOfMessagesNotVisible)
            .attribute_names(A::ApproximateNumberOfMessagesDelayed)
            .send()
            .await
            .map_err(queue_backend)?;
        let attributes = out.attributes.unwrap_or_default();
        Ok([
            A::ApproximateNumberOfMessages,
            A::ApproximateNumberOfMessagesNotVisible,
            A::ApproximateNumberOfMessagesDelayed,
        ]
        .iter()
        .filter_map(|name| attributes.get(name)?.parse::<u64>().ok())
        .sum())
    }
}

#[async_trait]
impl JobQueue for SqsJobQueue {
    async fn send(&self, queue: QueueName, job: &Job, delay: Duration) -> QueueResult<()> {
        let body =
            serde_json::to_string(job).map_err(|e| QueueError::backend_from("encode job", e))?;
        self.client
            .send_message()
            .queue_url(self.url(queue))
            .message_body(body)
            .delay_seconds(delay.min(MAX_DELAY).as_secs() as i32)
            .send()
            .await
            .map_err(queue_backend)?;
        Ok(())
    }
}
