//! API keys: `x-api-key`, stored as sha256 hex, naming a tenant.

use crate::problem::Problem;
use http::HeaderMap;
use labrador_domain::services::Services;
use sha2::{Digest, Sha256};

pub fn hash_api_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A new API key: `lab_` and 40 random hex digits from the OS-seeded RNG.
pub fn generate_api_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("lab_{}", hex::encode(bytes))
}

/// A tenant id is used in storage keys: letters, digits, `-`, `_`, 1–64 characters.
pub fn valid_tenant(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 64
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub async fn authenticate(services: &Services, headers: &HeaderMap) -> Result<String, Problem> {
    let unauthorized = |detail: &str| {
        Problem::new(401, "unauthorized", "Unauthorized", detail)
            .with_header("www-authenticate", "ApiKey header=\"x-api-key\"".into())
    };
    let key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 256)
        .ok_or_else(|| unauthorized("an x-api-key header is required"))?;
    match services.tenant_for_api_key_hash(&hash_api_key(key)).await {
        Ok(Some(t)) => Ok(t),
        Ok(None) => Err(unauthorized("the API key is not valid")),
        Err(e) => Err(e.into()),
    }
}
