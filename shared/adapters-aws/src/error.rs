//! Mapping SDK errors onto the ports' error types without leaking request contents.

use aws_sdk_dynamodb::error::DisplayErrorContext;
use labrador_domain::ports::StoreError;

/// A backend error with the SDK's full error chain (codes and messages, never item contents).
pub(crate) fn backend<E: std::error::Error>(err: E) -> StoreError {
    StoreError::Backend(DisplayErrorContext(&err).to_string())
}
