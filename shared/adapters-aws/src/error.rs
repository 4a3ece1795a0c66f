//! Mapping SDK errors onto the ports' error types without leaking request contents.

use aws_sdk_dynamodb::error::DisplayErrorContext;
use labrador_domain::ports::{QueueError, StoreError};

/// A storage backend error with the SDK's full error chain as its message (codes and
/// messages, never item contents) and the SDK error kept as its source.
pub(crate) fn backend<E: std::error::Error + Send + Sync + 'static>(err: E) -> StoreError {
    StoreError::backend_from(DisplayErrorContext(&err).to_string(), err)
}

/// [`backend`] for the queue ports.
pub(crate) fn queue_backend<E: std::error::Error + Send + Sync + 'static>(err: E) -> QueueError {
    QueueError::backend_from(DisplayErrorContext(&err).to_string(), err)
}
