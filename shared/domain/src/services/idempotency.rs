//! The Idempotency-Key protocol of uploads: a request claims its key before it runs, stores its
//! answer when done, and frees the key when it fails; a repeat of the same request gets the
//! stored answer, a different request under the same key is refused.

use super::Services;
use crate::ports::StoreError;
use crate::record::IdempotentResponse;

/// The stored status of a key whose request is still running (no HTTP status is 0).
const IN_PROGRESS: u16 = 0;
/// How many times a claim retries when another request wins the race for the same key.
const CLAIM_ATTEMPTS: usize = 3;

/// What claiming a key found.
#[derive(Debug)]
pub enum Claim {
    /// The key is this request's now: run it, then [`Services::store_idempotent_answer`].
    Claimed,
    /// The same request ran before: answer as it was answered.
    Replay(IdempotentResponse),
}

#[derive(Debug, thiserror::Error)]
pub enum IdempotencyError {
    #[error("this Idempotency-Key was used with a different request")]
    Reused,
    #[error("a request with this Idempotency-Key is still being processed")]
    InProgress,
    #[error("the Idempotency-Key is contended")]
    Contended,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The answer a request gave, to be replayed for its key.
#[derive(Debug, Clone)]
pub struct IdempotentAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Services {
    /// Claims `key` for the request whose content hashes to `request_hash`, or says how the
    /// earlier request with that key was answered. A claim left by a request that died expires
    /// after `config.idempotency_reservation`.
    pub async fn claim_idempotency_key(
        &self,
        tenant: &str,
        key: &str,
        request_hash: &str,
    ) -> Result<Claim, IdempotencyError> {
        for _ in 0..CLAIM_ATTEMPTS {
            if let Some(stored) = self.store.get_idempotent(tenant, key).await? {
                if stored.request_hash != request_hash {
                    return Err(IdempotencyError::Reused);
                }
                if stored.status == IN_PROGRESS {
                    return Err(IdempotencyError::InProgress);
                }
                return Ok(Claim::Replay(stored));
            }
            let reservation = IdempotentResponse {
                tenant: tenant.to_string(),
                key: key.to_string(),
                request_hash: request_hash.to_string(),
                status: IN_PROGRESS,
                headers: Vec::new(),
                body: String::new(),
                expires_at: self.expires_in(self.config.idempotency_reservation),
            };
            match self.store.put_idempotent(&reservation).await {
                Ok(()) => return Ok(Claim::Claimed),
                // Another request took the key first: answer as it says.
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(IdempotencyError::Contended)
    }

    /// Keeps the answer of a claimed key for `config.idempotency_ttl`. The request has
    /// already succeeded, so a failure to store is logged, not returned.
    pub async fn store_idempotent_answer(
        &self,
        tenant: &str,
        key: &str,
        request_hash: &str,
        answer: IdempotentAnswer,
    ) {
        let stored = IdempotentResponse {
            tenant: tenant.to_string(),
            key: key.to_string(),
            request_hash: request_hash.to_string(),
            status: answer.status,
            headers: answer.headers,
            body: answer.body,
            expires_at: self.expires_in(self.config.idempotency_ttl),
        };
        if let Err(e) = self.store.replace_idempotent(&stored).await {
            tracing::warn!(error = %e, "idempotency key not stored");
        }
    }

    /// Frees a claimed key whose request failed, so the client's retry can run.
    pub async fn release_idempotency_key(&self, tenant: &str, key: &str) {
        if let Err(e) = self.store.delete_idempotent(tenant, key).await {
            tracing::warn!(error = %e, "idempotency key not released");
        }
    }

    fn expires_in(&self, ttl: std::time::Duration) -> i64 {
        self.clock.now().timestamp() + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2)
    }
}
