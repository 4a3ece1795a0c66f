//! Creates the stack's resources on an emulator (moto, LocalStack) for tests and the local
//! runner. On AWS the SAM template does this; the shapes here mirror it.

use crate::adapters::AwsAdapters;
use crate::keys::{self, EXPIRES_AT, PK, SK};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};
use aws_sdk_sqs::types::QueueAttributeName;
use labrador_domain::ports::QueueName;
use labrador_domain::services::QueuePolicy;

#[derive(Debug, thiserror::Error)]
#[error("provisioning {resource} failed: {reason}")]
pub struct ProvisionError {
    pub resource: String,
    pub reason: String,
}

fn fail<E: std::error::Error>(resource: &str) -> impl FnOnce(E) -> ProvisionError + '_ {
    move |err| ProvisionError {
        resource: resource.to_string(),
        reason: aws_sdk_s3::error::DisplayErrorContext(&err).to_string(),
    }
}

/// Visibility timeout of the work queues on the emulator.
pub const VISIBILITY_TIMEOUT_SECS: u32 = 60;

fn key(name: &str, key_type: KeyType) -> Result<KeySchemaElement, ProvisionError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(key_type)
        .build()
        .map_err(fail("table key schema"))
}

fn queue_name(url: &str) -> &str {
    url.trim_end_matches('/').rsplit('/').next().unwrap_or(url)
}

impl AwsAdapters {
    /// Creates the bucket, the table (with its indexes and TTL) and the three queues with their
    /// dead-letter queues (a message moves there after `policy.max_receives` receives); existing
    /// resources are kept. Queue names are the last path segment of
    /// the configured URLs, which are replaced by the URLs the emulator answers with.
    pub async fn provision(&mut self, policy: &QueuePolicy) -> Result<(), ProvisionError> {
        self.create_bucket().await?;
        self.create_table().await?;
        for queue in [
            QueueName::Extract,
            QueueName::Standardize,
            QueueName::Deliver,
        ] {
            let name = queue_name(self.config.queue_url(queue)).to_string();
            let url = self
                .create_queue_with_dlq(&name, policy.max_receives)
                .await?;
            match queue {
                QueueName::Extract => self.config.extract_queue_url = url.clone(),
                QueueName::Standardize => self.config.standardize_queue_url = url.clone(),
                QueueName::Deliver => self.config.deliver_queue_url = url.clone(),
            }
            self.queue.set_url(queue, url);
        }
        self.notify_uploads().await
    }

    /// Presigned uploads arriving under `incoming/` notify the extract queue (as the template's
    /// bucket does).
    async fn notify_uploads(&self) -> Result<(), ProvisionError> {
        use aws_sdk_s3::types::{
            Event, FilterRule, FilterRuleName, NotificationConfiguration,
            NotificationConfigurationFilter, QueueConfiguration, S3KeyFilter,
        };
        let queue_arn = self
            .sqs
            .get_queue_attributes()
            .queue_url(&self.config.extract_queue_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(fail("extract queue"))?
            .attributes
            .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
            .ok_or_else(|| ProvisionError {
                resource: "extract queue".into(),
                reason: "no queue ARN".into(),
            })?;
        let filter = NotificationConfigurationFilter::builder()
            .key(
                S3KeyFilter::builder()
                    .filter_rules(
                        FilterRule::builder()
                            .name(FilterRuleName::Prefix)
                            .value(labrador_domain::services::INCOMING_PREFIX)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let queue = QueueConfiguration::builder()
            .id("incoming-uploads")
            .queue_arn(queue_arn)
            .events(Event::S3ObjectCreated)
            .filter(filter)
            .build()
            .map_err(fail("bucket notification"))?;
        self.s3
            .put_bucket_notification_configuration()
            .bucket(&self.config.bucket)
            .notification_configuration(
                NotificationConfiguration::builder()
                    .queue_configurations(queue)
                    .build(),
            )
            .send()
            .await
            .map_err(fail("bucket notification"))?;
        Ok(())
    }

    async fn create_bucket(&self) -> Result<(), ProvisionError> {
        let bucket = &self.config.bucket;
        let mut request = self.s3.create_bucket().bucket(bucket);
        let region = self.s3.config().region().map(|r| r.to_string());
        if let Some(region) = region.filter(|r| r != "us-east-1") {
            request = request.create_bucket_configuration(
                aws_sdk_s3::types::CreateBucketConfiguration::builder()
                    .location_constraint(region.as_str().into())
                    .build(),
            );
        }
        match request.send().await {
            Ok(_) => Ok(()),
            Err(err)
                if err.as_service_error().is_some_and(|e| {
                    e.is_bucket_already_owned_by_you() || e.is_bucket_already_exists()
                }) =>
            {
                Ok(())
            }
            Err(err) => Err(fail("bucket")(err)),
        }
    }

    async fn create_table(&self) -> Result<(), ProvisionError> {
        let table = &self.config.table;
        let mut attributes = vec![PK, SK];
        for index in keys::INDEXES {
            attributes.extend([index.pk, index.sk]);
        }
        let mut request = self
            .dynamo
            .create_table()
            .table_name(table)
            .billing_mode(BillingMode::PayPerRequest)
            .key_schema(key(PK, KeyType::Hash)?)
            .key_schema(key(SK, KeyType::Range)?);
        for name in attributes {
            request = request.attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(name)
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .map_err(fail("table attributes"))?,
            );
        }
        for index in keys::INDEXES {
            request = request.global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name(index.name)
                    .key_schema(key(index.pk, KeyType::Hash)?)
                    .key_schema(key(index.sk, KeyType::Range)?)
                    .projection(
                        Projection::builder()
                            .projection_type(ProjectionType::All)
                            .build(),
                    )
                    .build()
                    .map_err(fail("table index"))?,
            );
        }
        match request.send().await {
            Ok(_) => {}
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_in_use_exception()) =>
            {
                return Ok(());
            }
            Err(err) => return Err(fail("table")(err)),
        }
        self.dynamo
            .update_time_to_live()
            .table_name(table)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(EXPIRES_AT)
                    .enabled(true)
                    .build()
                    .map_err(fail("table TTL"))?,
            )
            .send()
            .await
            .map_err(fail("table TTL"))?;
        Ok(())
    }

    /// Creates `{name}-dlq` and `name` redriving to it; returns the URL of `name`.
    async fn create_queue_with_dlq(
        &self,
        name: &str,
        max_receives: u32,
    ) -> Result<String, ProvisionError> {
        let dlq_url = self
            .sqs
            .create_queue()
            .queue_name(format!("{name}-dlq"))
            .send()
            .await
            .map_err(fail("dead-letter queue"))?
            .queue_url
            .unwrap_or_default();
        let dlq_arn = self
            .sqs
            .get_queue_attributes()
            .queue_url(&dlq_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(fail("dead-letter queue"))?
            .attributes
            .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
            .ok_or_else(|| ProvisionError {
                resource: format!("{name}-dlq"),
                reason: "no queue ARN".into(),
            })?;
        let redrive = serde_json::json!({
            "deadLetterTargetArn": dlq_arn,
            "maxReceiveCount": max_receives.to_string(),
        })
        .to_string();
        let out = self
            .sqs
            .create_queue()
            .queue_name(name)
            .attributes(QueueAttributeName::RedrivePolicy, redrive)
            .attributes(
                QueueAttributeName::VisibilityTimeout,
                VISIBILITY_TIMEOUT_SECS.to_string(),
            )
            .send()
            .await
            .map_err(fail("queue"))?;
        out.queue_url.ok_or_else(|| ProvisionError {
            resource: name.to_string(),
            reason: "no queue URL".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn queue_name_is_the_last_segment() {
        assert_eq!(
            super::queue_name("http://127.0.0.1:5000/000000000000/lab-extract"),
            "lab-extract"
        );
        assert_eq!(super::queue_name("https://sqs/x/q/"), "q");
    }
}
