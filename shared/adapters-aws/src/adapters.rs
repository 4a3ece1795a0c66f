//! The SDK clients and the three adapters, built once per process (Lambda cold start).

use crate::config::{AwsConfig, ConfigError};
use crate::dynamo::DynamoReportStore;
use crate::s3::S3BlobStore;
use crate::sqs::SqsJobQueue;
use aws_config::BehaviorVersion;
use aws_sdk_s3::config::{Credentials, Region};
use labrador_domain::services::Services;
use std::sync::Arc;

/// The AWS side of the ports: S3 blobs, the DynamoDB store and the SQS queues.
#[derive(Clone)]
pub struct AwsAdapters {
    pub config: AwsConfig,
    pub blobs: S3BlobStore,
    pub store: DynamoReportStore,
    pub queue: SqsJobQueue,
    pub(crate) s3: aws_sdk_s3::Client,
    pub(crate) dynamo: aws_sdk_dynamodb::Client,
    pub(crate) sqs: aws_sdk_sqs::Client,
}

fn env_set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

impl AwsAdapters {
    /// Configuration from the environment ([`AwsConfig::from_env`]), credentials and region from
    /// the SDK's default chain.
    pub async fn from_env() -> Result<AwsAdapters, ConfigError> {
        Ok(AwsAdapters::new(AwsConfig::from_env()?).await)
    }

    pub async fn new(config: AwsConfig) -> AwsAdapters {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(endpoint) = &config.endpoint_url {
            loader = loader.endpoint_url(endpoint);
            // Emulators accept any credentials; don't make a developer configure some.
            if !env_set("AWS_ACCESS_KEY_ID") && !env_set("AWS_PROFILE") {
                loader = loader.credentials_provider(Credentials::new(
                    "test",
                    "test",
                    None,
                    None,
                    "labrador-emulator",
                ));
            }
        }
        if let Some(region) = &config.region {
            loader = loader.region(Region::new(region.clone()));
        } else if config.endpoint_url.is_some()
            && !env_set("AWS_REGION")
            && !env_set("AWS_DEFAULT_REGION")
        {
            loader = loader.region(Region::new("us-east-1"));
        }
        let shared = loader.load().await;

        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&shared)
                .force_path_style(config.endpoint_url.is_some())
                .build(),
        );
        let dynamo = aws_sdk_dynamodb::Client::new(&shared);
        let sqs = aws_sdk_sqs::Client::new(&shared);
        AwsAdapters {
            blobs: S3BlobStore::new(s3.clone(), config.bucket.clone()),
            store: DynamoReportStore::new(dynamo.clone(), config.table.clone()),
            queue: SqsJobQueue::new(sqs.clone(), &config),
            config,
            s3,
            dynamo,
            sqs,
        }
    }

    /// The step services over these adapters; add the engine or the webhook sender for the
    /// workers that need them.
    pub fn services(&self) -> Services {
        Services::new(
            Arc::new(self.blobs.clone()),
            Arc::new(self.store.clone()),
            Arc::new(self.queue.clone()),
        )
    }
}
