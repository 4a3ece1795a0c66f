//! `WebhookSender` on reqwest: rustls, no redirects, per-request timeout, truncated response
//! body, and a resolver that only hands out addresses the guard allows.
//!
//! TLS is rustls on the aws-lc-rs provider, the one the AWS SDK uses, given to reqwest as a
//! ready configuration: the process links one crypto stack (reqwest's `rustls-tls` would add
//! ring), and no process-wide default provider is installed behind the caller's back.

use crate::{GuardPolicy, check_url};
use async_trait::async_trait;
use labrador_domain::ports::{OutgoingWebhook, SendError, WebhookResponse, WebhookSender};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How much of a response body is kept for the attempt log.
const MAX_RESPONSE_BYTES: usize = 1024;

struct GuardedResolver {
    policy: GuardPolicy,
}

#[derive(Debug, thiserror::Error)]
#[error("no allowed address for this host")]
struct NoAllowedAddress;

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| policy.allows(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(Box::new(NoAllowedAddress) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

pub struct HttpWebhookSender {
    client: reqwest::Client,
    policy: GuardPolicy,
}

/// Why the webhook client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("cannot configure TLS: {0}")]
    Tls(#[from] rustls::Error),
    #[error("cannot build the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}

/// rustls on aws-lc-rs with the Mozilla roots (`webpki-roots`, as reqwest's `rustls-tls` had),
/// TLS 1.2 and 1.3, HTTP/2 or HTTP/1.1 by ALPN.
fn tls_config() -> Result<rustls::ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

impl HttpWebhookSender {
    pub fn new(policy: GuardPolicy) -> Result<Self, BuildError> {
        let client = reqwest::Client::builder()
            .use_preconfigured_tls(tls_config()?)
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(GuardedResolver { policy }))
            .connect_timeout(Duration::from_secs(5))
            .pool_idle_timeout(Duration::from_secs(30))
            .https_only(!policy.allow_loopback)
            .build()?;
        Ok(HttpWebhookSender { client, policy })
    }

    pub fn policy(&self) -> GuardPolicy {
        self.policy
    }
}

fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    (at.with_timezone(&chrono::Utc) - chrono::Utc::now())
        .to_std()
        .ok()
}

#[async_trait]
impl WebhookSender for HttpWebhookSender {
    async fn send(&self, request: &OutgoingWebhook) -> Result<WebhookResponse, SendError> {
        // IP-literal hosts never reach the resolver, so every URL is checked here too.
        let url = check_url(&request.url, self.policy)
            .await
            .map_err(|e| SendError::Forbidden(e.0))?;
        let mut builder = self
            .client
            .post(url)
            .timeout(request.timeout)
            .body(request.body.clone());
        for (k, v) in &request.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let started = Instant::now();
        let mut response = builder.send().await.map_err(|e| {
            if e.is_timeout() {
                SendError::Timeout
            } else {
                SendError::Connect(error_chain(&e))
            }
        })?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let mut body = Vec::new();
        while body.len() < MAX_RESPONSE_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
        body.truncate(MAX_RESPONSE_BYTES);
        Ok(WebhookResponse {
            status,
            retry_after,
            body: String::from_utf8_lossy(&body).into_owned(),
            duration: started.elapsed(),
        })
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn one_shot_server(response: &'static str) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 8192];
            let _ = s.read(&mut buf).await;
            let _ = s.write_all(response.as_bytes()).await;
        });
        addr
    }

    fn req(url: String) -> OutgoingWebhook {
        OutgoingWebhook {
            url,
            headers: vec![("webhook-id".into(), "evt_1".into())],
            body: bytes::Bytes::from_static(b"{}"),
            timeout: Duration::from_secs(5),
        }
    }

    #[tokio::test]
    async fn redirects_are_not_followed_and_retry_after_is_read() {
        let addr = one_shot_server(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://169.254.169.254/\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n",
        )
        .await;
        let sender = HttpWebhookSender::new(GuardPolicy::LOCAL).unwrap();
        let r = sender
            .send(&req(format!("http://{addr}/hook")))
            .await
            .unwrap();
        assert_eq!(r.status, 307);
        assert_eq!(r.retry_after, Some(Duration::from_secs(7)));
    }

    #[tokio::test]
    async fn production_refuses_loopback() {
        let sender = HttpWebhookSender::new(GuardPolicy::PRODUCTION).unwrap();
        let e = sender.send(&req("https://127.0.0.1:1/hook".into())).await;
        assert!(matches!(e, Err(SendError::Forbidden(_))));
        let e = sender.send(&req("https://localhost:1/hook".into())).await;
        assert!(matches!(e, Err(SendError::Forbidden(_))));
    }

    #[tokio::test]
    async fn body_is_truncated() {
        static BIG: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let resp = BIG.get_or_init(|| {
            let body = "x".repeat(10_000);
            format!(
                "HTTP/1.1 500 Oops\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
        });
        let addr = one_shot_server(resp.as_str()).await;
        let sender = HttpWebhookSender::new(GuardPolicy::LOCAL).unwrap();
        let r = sender.send(&req(format!("http://{addr}/"))).await.unwrap();
        assert_eq!(r.status, 500);
        assert_eq!(r.body.len(), MAX_RESPONSE_BYTES);
    }
}
