//! The dead-letter queues behind the work queues, found through each queue's redrive policy, for
//! the operator's redrive.

use crate::error::queue_backend;
use crate::sqs::SqsJobQueue;
use async_trait::async_trait;
use aws_sdk_sqs::types::QueueAttributeName;
use labrador_domain::ports::{
    DeadLetter, DeadLetterQueue, Job, QueueError, QueueName, QueueResult,
};
use serde::Deserialize;
use std::time::Duration;

/// A queue's `RedrivePolicy` attribute (SQS writes `maxReceiveCount` as a number or a string).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedrivePolicy {
    pub dead_letter_target_arn: String,
    #[serde(deserialize_with = "number_or_string")]
    pub max_receive_count: u32,
}

fn number_or_string<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Count {
        Number(u32),
        Text(String),
    }
    match Count::deserialize(deserializer)? {
        Count::Number(n) => Ok(n),
        Count::Text(text) => text.trim().parse().map_err(serde::de::Error::custom),
    }
}

/// How long a dead message taken by a redrive stays hidden from the next take.
const TAKE_VISIBILITY: Duration = Duration::from_secs(60);

impl SqsJobQueue {
    /// The URL of `queue`'s dead-letter queue, from its `RedrivePolicy` (looked up once).
    pub async fn dead_letter_url(&self, queue: QueueName) -> QueueResult<String> {
        let slot = match queue {
            QueueName::Extract => 0,
            QueueName::Standardize => 1,
            QueueName::Deliver => 2,
        };
        self.dead_letter_urls[slot]
            .get_or_try_init(|| self.look_up_dead_letter_url(queue))
            .await
            .cloned()
    }

    /// `queue`'s redrive policy as SQS holds it: where its dead letters go and after how many
    /// receives.
    pub async fn redrive_policy(&self, queue: QueueName) -> QueueResult<RedrivePolicy> {
        let attributes = self
            .client()
            .get_queue_attributes()
            .queue_url(self.url(queue))
            .attribute_names(QueueAttributeName::RedrivePolicy)
            .send()
            .await
            .map_err(queue_backend)?;
        let policy = attributes
            .attributes()
            .and_then(|a| a.get(&QueueAttributeName::RedrivePolicy))
            .ok_or_else(|| QueueError::backend(format!("{queue:?} queue has no redrive policy")))?;
        serde_json::from_str(policy).map_err(|_| QueueError::backend("unreadable redrive policy"))
    }

    async fn look_up_dead_letter_url(&self, queue: QueueName) -> QueueResult<String> {
        let arn = self.redrive_policy(queue).await?.dead_letter_target_arn;
        // arn:aws:sqs:<region>:<account>:<name>
        let mut parts = arn.rsplitn(3, ':');
        let (Some(name), Some(account)) = (parts.next(), parts.next()) else {
            return Err(QueueError::backend(format!("not a queue ARN: {arn}")));
        };
        let out = self
            .client()
            .get_queue_url()
            .queue_name(name)
            .queue_owner_aws_account_id(account)
            .send()
            .await
            .map_err(queue_backend)?;
        out.queue_url
            .ok_or_else(|| QueueError::backend(format!("no URL for queue {name}")))
    }

    /// Moves a given-up job to `queue`'s dead-letter queue at once (the operator's redrive
    /// finds it there); the caller then deletes the received message.
    pub async fn send_dead(&self, queue: QueueName, job: &Job) -> QueueResult<()> {
        let url = self.dead_letter_url(queue).await?;
        let body =
            serde_json::to_string(job).map_err(|e| QueueError::backend_from("encode job", e))?;
        self.client()
            .send_message()
            .queue_url(url)
            .message_body(body)
            .send()
            .await
            .map_err(queue_backend)?;
        Ok(())
    }

    /// Makes a received message visible again at once (it counts as received).
    pub async fn release(&self, queue: QueueName, receipt_handle: &str) -> QueueResult<()> {
        self.client()
            .change_message_visibility()
            .queue_url(self.url(queue))
            .receipt_handle(receipt_handle)
            .visibility_timeout(0)
            .send()
            .await
            .map_err(queue_backend)?;
        Ok(())
    }
}

#[async_trait]
impl DeadLetterQueue for SqsJobQueue {
    async fn take_dead(&self, queue: QueueName, max: usize) -> QueueResult<Vec<DeadLetter>> {
        let url = self.dead_letter_url(queue).await?;
        let max = max.clamp(1, 10) as u32;
        let wait = Duration::from_secs(1);
        let taken = self
            .receive_from(&url, max, wait, Some(TAKE_VISIBILITY))
            .await?;
        Ok(taken
            .into_iter()
            .map(|m| DeadLetter {
                job: serde_json::from_str(&m.body).ok(),
                handle: m.receipt_handle,
            })
            .collect())
    }

    async fn remove_dead(&self, queue: QueueName, dead: &DeadLetter) -> QueueResult<()> {
        let url = self.dead_letter_url(queue).await?;
        self.client()
            .delete_message()
            .queue_url(url)
            .receipt_handle(&dead.handle)
            .send()
            .await
            .map_err(queue_backend)?;
        Ok(())
    }
}
