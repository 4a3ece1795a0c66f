//! AWS adapters on the official SDK: S3 blobs, DynamoDB records, SQS queues.
