//! AWS adapters on the official SDK: S3 blobs, DynamoDB records, SQS queues; plus the glue the
//! Lambda functions share (feature `lambda`).

mod adapters;
pub mod config;
mod dead_letters;
pub mod dynamo;
mod error;
pub mod keys;
pub mod provision;
pub mod s3;
pub mod sqs;

#[cfg(feature = "lambda")]
pub mod lambda;

pub use adapters::AwsAdapters;
pub use config::{AwsConfig, ConfigError};
pub use dead_letters::RedrivePolicy;
pub use dynamo::DynamoReportStore;
pub use provision::ProvisionError;
pub use s3::S3BlobStore;
pub use sqs::{ReceivedMessage, SqsJobQueue};
