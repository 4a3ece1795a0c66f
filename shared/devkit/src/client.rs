//! A small client for the Labrador API over HTTP.

use bytes::Bytes;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A reqwest client builder for plain HTTP to local servers. reqwest's rustls is built without a
/// crypto provider in this workspace (labrador-http configures aws-lc-rs for its own client),
/// so a client built without a TLS configuration panics ("No provider set"); this one gets
/// aws-lc-rs and no roots: it never makes an HTTPS request.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("aws-lc-rs supports the default protocol versions")
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    reqwest::Client::builder().use_preconfigured_tls(tls)
}

pub struct Client {
    pub base: String,
    pub api_key: String,
    http: reqwest::Client,
}

/// A `multipart/form-data` body with one `files` part and optional text fields.
pub fn multipart(file_name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "labrador-test-boundary-7d1f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Client {
    pub fn new(base: impl Into<String>, api_key: impl Into<String>) -> Client {
        Client {
            base: base.into(),
            api_key: api_key.into(),
            http: http_client_builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
        }
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("x-api-key", &self.api_key)
            .body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.expect("the API answers");
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = resp.bytes().await.unwrap_or_default();
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send("GET", path, None, Vec::new(), &[]).await
    }

    pub async fn put_json(&self, path: &str, value: &serde_json::Value) -> Answer {
        self.send(
            "PUT",
            path,
            Some("application/json"),
            value.to_string().into_bytes(),
            &[],
        )
        .await
    }

    pub async fn upload_pdf(&self, file_name: &str, pdf: &[u8], fields: &[(&str, &str)]) -> Answer {
        let (ct, body) = multipart(file_name, pdf, fields);
        self.send("POST", "/v1/lab-reports", Some(&ct), body, &[])
            .await
    }

    /// Polls GET `location` until it answers something else than 202.
    pub async fn wait_done(&self, location: &str, timeout: Duration) -> Answer {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let a = self.get(location).await;
            if a.status != 202 || std::time::Instant::now() >= deadline {
                return a;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
