//! Webhook events: the envelope, signing (`x-body-signature` and Standard Webhooks), verification
//! for receivers, and the retry policy.
//!
//! Keys: `x-body-signature` is `hex(HMAC-SHA256(secret, body))` keyed with the secret string as
//! given (`whsec_…`, its UTF-8 bytes, as GitHub-style receivers do); `webhook-signature` follows
//! Standard Webhooks: the key is the base64 part after `whsec_`, decoded, and the signed content is
//! `{webhook-id}.{webhook-timestamp}.{body}`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, KeyInit, Mac};
use labrador_engine::model::{Report, Status};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::time::Duration;

type HmacSha256 = Hmac<Sha256>;

pub const EVENT_VERSION: &str = "1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventType {
    #[serde(rename = "lab_report.completed")]
    Completed,
    #[serde(rename = "lab_report.failed")]
    Failed,
    #[serde(rename = "lab_report.rejected")]
    Rejected,
    #[serde(rename = "lab_report.split")]
    Split,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Completed => "lab_report.completed",
            EventType::Failed => "lab_report.failed",
            EventType::Rejected => "lab_report.rejected",
            EventType::Split => "lab_report.split",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        [
            EventType::Completed,
            EventType::Failed,
            EventType::Rejected,
            EventType::Split,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }

    /// The event a report's outcome produces.
    pub fn for_status(status: Status) -> EventType {
        match status {
            Status::Failed => EventType::Failed,
            Status::Rejected => EventType::Rejected,
            _ => EventType::Completed,
        }
    }
}

/// The webhook body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub version: String,
    pub created_at: String,
    pub reference_id: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub data: Report,
}

impl WebhookEvent {
    pub fn new(id: String, event_type: EventType, created_at: String, report: Report) -> Self {
        WebhookEvent {
            id,
            event_type,
            version: EVENT_VERSION.to_string(),
            created_at,
            reference_id: report.reference_id.clone(),
            metadata: report.metadata.clone(),
            data: report,
        }
    }
}

/// A new event id: `evt_` and 32 hex digits.
pub fn new_event_id() -> String {
    format!("evt_{}", uuid::Uuid::new_v4().simple())
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
pub fn generate_secret() -> String {
    let mut key = [0u8; 32];
    rand::thread_rng().fill(&mut key);
    format!("whsec_{}", B64.encode(key))
}

/// The Standard Webhooks key of a secret: the base64 after `whsec_`, or the raw bytes when the
/// secret is not in that form.
fn standard_key(secret: &str) -> Vec<u8> {
    let raw = secret.strip_prefix("whsec_").unwrap_or(secret);
    B64.decode(raw)
        .unwrap_or_else(|_| secret.as_bytes().to_vec())
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = HmacSha256::new_from_slice(key).expect("hmac accepts any key length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

/// `hex(HMAC-SHA256(secret, body))`.
pub fn body_signature(secret: &str, body: &[u8]) -> String {
    hex::encode(hmac(secret.as_bytes(), &[body]))
}

/// `v1,<base64 HMAC-SHA256 over "id.timestamp.body">`.
pub fn standard_signature(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let ts = timestamp.to_string();
    let mac = hmac(
        &standard_key(secret),
        &[id.as_bytes(), b".", ts.as_bytes(), b".", body],
    );
    format!("v1,{}", B64.encode(mac))
}

/// The signature headers of one request. Every secret in `secrets` signs `webhook-signature`
/// (space-separated); the first signs `x-body-signature` (see
/// [`WebhookEndpoint::signing_secrets`](crate::record::WebhookEndpoint::signing_secrets)).
pub fn signature_headers(
    secrets: &[String],
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> Vec<(String, String)> {
    let mut headers = vec![
        ("webhook-id".to_string(), id.to_string()),
        ("webhook-timestamp".to_string(), timestamp.to_string()),
    ];
    if let Some(current) = secrets.first() {
        headers.push((
            "x-body-signature".to_string(),
            body_signature(current, body),
        ));
        let sigs: Vec<String> = secrets
            .iter()
            .map(|s| standard_signature(s, id, timestamp, body))
            .collect();
        headers.push(("webhook-signature".to_string(), sigs.join(" ")));
    }
    headers
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("missing header {0}")]
    MissingHeader(&'static str),
    #[error("timestamp outside the tolerance")]
    Timestamp,
    #[error("no signature matches")]
    Mismatch,
}

/// Checks `x-body-signature` in constant time.
pub fn verify_body_signature(secret: &str, body: &[u8], header: &str) -> bool {
    let Ok(given) = hex::decode(header.trim()) else {
        return false;
    };
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// Verifies a Standard Webhooks request as a receiver would: any `v1` signature made with
/// `secret` over `id.timestamp.body`, with the timestamp within `tolerance` of `now` (unix s).
pub fn verify_standard(
    secret: &str,
    id: Option<&str>,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: i64,
    tolerance: Duration,
) -> Result<(), VerifyError> {
    let id = id.ok_or(VerifyError::MissingHeader("webhook-id"))?;
    let ts_text = timestamp.ok_or(VerifyError::MissingHeader("webhook-timestamp"))?;
    let signature = signature.ok_or(VerifyError::MissingHeader("webhook-signature"))?;
    let ts: i64 = ts_text.trim().parse().map_err(|_| VerifyError::Timestamp)?;
    if (now - ts).unsigned_abs() > tolerance.as_secs() {
        return Err(VerifyError::Timestamp);
    }
    let key = standard_key(secret);
    for part in signature.split_whitespace() {
        let Some(b64) = part.strip_prefix("v1,") else {
            continue;
        };
        let Ok(given) = B64.decode(b64) else {
            continue;
        };
        let mut mac = HmacSha256::new_from_slice(&key).expect("any key length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(ts_text.trim().as_bytes());
        mac.update(b".");
        mac.update(body);
        if mac.verify_slice(&given).is_ok() {
            return Ok(());
        }
    }
    Err(VerifyError::Mismatch)
}

/// When to retry a failed delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Delay before attempt 2, 3, …; attempts stop after `schedule.len() + 1`.
    pub schedule: Vec<Duration>,
    /// Relative jitter, e.g. 0.2 for ±20 %.
    pub jitter: f64,
    /// Upper bound on an honoured `Retry-After`.
    pub max_retry_after: Duration,
}

impl RetryPolicy {
    /// A schedule written as comma-separated delays, each a whole number with a unit (`ms`,
    /// `s`, `m`, `h`): `5s,30s,2m,10m,30m,2h,5h,10h` is the default. `None` when any part
    /// does not read, or when there is none.
    pub fn parse_schedule(text: &str) -> Option<Vec<Duration>> {
        let delays = text
            .split(',')
            .map(|part| {
                let part = part.trim();
                let digits = part.find(|c: char| !c.is_ascii_digit())?;
                let (number, unit) = part.split_at(digits);
                let number: u64 = number.parse().ok()?;
                let millis = match unit.trim() {
                    "ms" => 1,
                    "s" => 1_000,
                    "m" => 60_000,
                    "h" => 3_600_000,
                    _ => return None,
                };
                number.checked_mul(millis).map(Duration::from_millis)
            })
            .collect::<Option<Vec<_>>>()?;
        (!delays.is_empty()).then_some(delays)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        let s = Duration::from_secs;
        RetryPolicy {
            schedule: vec![
                s(5),
                s(30),
                s(120),
                s(600),
                s(1800),
                s(7200),
                s(5 * 3600),
                s(10 * 3600),
            ],
            jitter: 0.2,
            max_retry_after: s(6 * 3600),
        }
    }
}

impl RetryPolicy {
    pub fn max_attempts(&self) -> u32 {
        self.schedule.len() as u32 + 1
    }

    /// The delay before the attempt after `attempt` (1-based), or `None` when none is left.
    /// A `Retry-After` longer than the scheduled delay wins (bounded).
    pub fn next_delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        let base = *self.schedule.get(attempt.checked_sub(1)? as usize)?;
        let factor = if self.jitter > 0.0 {
            1.0 + rand::thread_rng().gen_range(-self.jitter..=self.jitter)
        } else {
            1.0
        };
        let jittered = base.mul_f64(factor.max(0.0));
        Some(match retry_after {
            Some(ra) => jittered.max(ra.min(self.max_retry_after)),
            None => jittered,
        })
    }
}

/// What an attempt's response means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    Delivered,
    /// 410 Gone: the receiver asks to stop; the endpoint is disabled.
    Gone,
    /// Everything else (3xx, 4xx, 5xx, timeouts, connection errors): try again later.
    Retry,
}

pub fn classify_status(status: u16) -> AttemptOutcome {
    match status {
        200..=299 => AttemptOutcome::Delivered,
        410 => AttemptOutcome::Gone,
        _ => AttemptOutcome::Retry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_tampering_fails() {
        let secret = generate_secret();
        let body = br#"{"id":"evt_1"}"#;
        let headers =
            signature_headers(std::slice::from_ref(&secret), "evt_1", 1_700_000_000, body);
        let get = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        assert!(verify_body_signature(
            &secret,
            body,
            get("x-body-signature").unwrap()
        ));
        assert!(!verify_body_signature(
            &secret,
            b"{}",
            get("x-body-signature").unwrap()
        ));
        let ok = verify_standard(
            &secret,
            get("webhook-id"),
            get("webhook-timestamp"),
            get("webhook-signature"),
            body,
            1_700_000_100,
            Duration::from_secs(300),
        );
        assert_eq!(ok, Ok(()));
        let stale = verify_standard(
            &secret,
            get("webhook-id"),
            get("webhook-timestamp"),
            get("webhook-signature"),
            body,
            1_700_010_000,
            Duration::from_secs(300),
        );
        assert_eq!(stale, Err(VerifyError::Timestamp));
        let other = verify_standard(
            &generate_secret(),
            get("webhook-id"),
            get("webhook-timestamp"),
            get("webhook-signature"),
            body,
            1_700_000_000,
            Duration::from_secs(300),
        );
        assert_eq!(other, Err(VerifyError::Mismatch));
    }

    #[test]
    fn rotation_signs_with_every_secret() {
        let (new, old) = (generate_secret(), generate_secret());
        let headers = signature_headers(&[new.clone(), old.clone()], "evt_2", 10, b"x");
        let sig = &headers
            .iter()
            .find(|(k, _)| k == "webhook-signature")
            .unwrap()
            .1;
        assert_eq!(sig.split(' ').count(), 2);
        for s in [&new, &old] {
            assert!(
                verify_standard(
                    s,
                    Some("evt_2"),
                    Some("10"),
                    Some(sig),
                    b"x",
                    10,
                    Duration::from_secs(1)
                )
                .is_ok()
            );
        }
    }

    #[test]
    fn known_standard_webhooks_vector() {
        // The test vector of the Standard Webhooks specification.
        let sig = standard_signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn retry_schedule_ends_and_honours_retry_after() {
        let p = RetryPolicy {
            schedule: vec![Duration::from_secs(5), Duration::from_secs(30)],
            jitter: 0.0,
            max_retry_after: Duration::from_secs(60),
        };
        assert_eq!(p.next_delay(1, None), Some(Duration::from_secs(5)));
        assert_eq!(
            p.next_delay(1, Some(Duration::from_secs(20))),
            Some(Duration::from_secs(20))
        );
        assert_eq!(
            p.next_delay(2, Some(Duration::from_secs(999))),
            Some(Duration::from_secs(60))
        );
        assert_eq!(p.next_delay(3, None), None);
        assert_eq!(p.max_attempts(), 3);
        let j = RetryPolicy::default();
        let d = j.next_delay(1, None).unwrap();
        assert!(d >= Duration::from_secs(4) && d <= Duration::from_secs(6));
    }

    #[test]
    fn classification() {
        assert_eq!(classify_status(204), AttemptOutcome::Delivered);
        assert_eq!(classify_status(410), AttemptOutcome::Gone);
        assert_eq!(classify_status(301), AttemptOutcome::Retry);
        assert_eq!(classify_status(429), AttemptOutcome::Retry);
        assert_eq!(classify_status(503), AttemptOutcome::Retry);
    }
}
