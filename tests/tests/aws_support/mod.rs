//! Helpers of the AWS-side tests (events, moto pipeline): a webhook receiver, signature checks,
//! API calls through the same handler the Lambda functions run.

#![allow(dead_code)]

pub mod receiver;

use bytes::Bytes;
use hmac::{Hmac, KeyInit, Mac};
use labrador_api::Api;
use sha2::Sha256;
use std::path::PathBuf;

/// The repository root (tests run in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("..")
}

pub fn sample_pdf() -> Vec<u8> {
    std::fs::read(repo_root().join("events/sample-report.pdf")).expect("events/sample-report.pdf")
}

/// `hex(HMAC-SHA256(secret, body))`, computed here independently of the product's signer.
pub fn expected_body_signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// One API call through the handler; returns status, headers and the JSON body.
pub async fn call(
    api: &Api,
    method: &str,
    path: &str,
    api_key: &str,
    body: Option<serde_json::Value>,
) -> (u16, http::HeaderMap, serde_json::Value) {
    let mut request = http::Request::builder()
        .method(method)
        .uri(format!("http://localhost{path}"))
        .header("x-api-key", api_key);
    let bytes = match body {
        Some(json) => {
            request = request.header("content-type", "application/json");
            Bytes::from(serde_json::to_vec(&json).unwrap())
        }
        None => Bytes::new(),
    };
    let response = api.handle(request.body(bytes).unwrap()).await;
    let status = response.status().as_u16();
    let (parts, body) = response.into_parts();
    let json = if body.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&body).unwrap_or_else(|_| {
            serde_json::Value::String(String::from_utf8_lossy(&body).into_owned())
        })
    };
    (status, parts.headers, json)
}

/// Uploads `pdf` as a JSON body through the handler; the new report's id.
pub async fn upload_pdf_json(api: &Api, api_key: &str, pdf: &[u8]) -> String {
    use base64::Engine as _;
    let body = serde_json::json!({
        "mime_type": "application/pdf",
        "filename": "cbc.pdf",
        "body": base64::engine::general_purpose::STANDARD.encode(pdf),
    });
    let (status, _, accepted) = call(api, "POST", "/v1/lab-reports", api_key, Some(body)).await;
    assert_eq!(status, 202, "{accepted}");
    accepted["id"].as_str().unwrap().to_string()
}

/// Drains the three queues once like the event source mappings do: every received batch
/// through the queue Lambdas' handler. How many messages were handled.
pub async fn drain_once(
    aws: &labrador_aws::AwsAdapters,
    steps: &labrador_domain::services::Pipeline,
) -> usize {
    let mut handled = 0;
    for worker in steps.workers() {
        let handler =
            |job, receives| labrador_aws::lambda::run_job(worker, &aws.queue, job, receives);
        let queue = worker.queue();
        handled += labrador_aws::lambda::poll_once(
            &aws.queue,
            queue,
            std::time::Duration::ZERO,
            &handler,
            None,
        )
        .await
        .expect("poll the queue");
    }
    handled
}

/// A queue job on services over the embedded adapters, settled as an SQS batch item would be:
/// acknowledged or left for a retry (there is no dead-letter queue to move it to).
pub async fn run_embedded(
    worker: &labrador_domain::services::StepWorker,
    job: labrador_domain::ports::Job,
    receives: u32,
) -> labrador_aws::lambda::Disposition {
    use labrador_aws::lambda::Disposition;
    match worker.process_job(&job, receives).await {
        labrador_domain::services::Settlement::Ack => Disposition::Done,
        _ => Disposition::Retry,
    }
}

/// The step workers and the API over `aws`, as the Lambda mains wire them but with webhooks
/// allowed to loopback receivers, and `api_key` registered for `tenant`.
pub async fn moto_stack(
    aws: &labrador_aws::AwsAdapters,
    api_key: &str,
    tenant: &str,
) -> (labrador_domain::services::Pipeline, Api) {
    use labrador_domain::ports::ApiKeyStore;
    use labrador_http::{GuardPolicy, HttpWebhookSender};
    let services = aws.services();
    let steps = labrador_domain::services::Pipeline::new(
        services.clone(),
        labrador_tests::engine(),
        std::sync::Arc::new(HttpWebhookSender::new(GuardPolicy::LOCAL).unwrap()),
    );
    let api = Api::new(
        services,
        labrador_api::ApiConfig {
            webhook_guard: GuardPolicy::LOCAL,
            ..labrador_api::ApiConfig::default()
        },
    );
    aws.store
        .put_api_key_hash(&labrador_api::hash_api_key(api_key), tenant)
        .await
        .unwrap();
    (steps, api)
}

/// The AWS adapters on `moto` under `prefix`, their bucket, table and queues provisioned with
/// the default queue policy.
pub async fn provisioned(
    moto: &labrador_devkit::MotoServer,
    prefix: &str,
) -> labrador_aws::AwsAdapters {
    let mut aws =
        labrador_aws::AwsAdapters::new(labrador_aws::AwsConfig::emulator(moto.endpoint(), prefix))
            .await;
    aws.provision(&labrador_domain::services::QueuePolicy::default())
        .await
        .expect("provision bucket, table and queues");
    aws
}

/// Creates the tenant's webhook endpoint at `url` (201): the answer, with its secret.
pub async fn create_endpoint(api: &Api, api_key: &str, url: &str) -> serde_json::Value {
    let (status, _, endpoint) = call(
        api,
        "PUT",
        "/v1/webhook-endpoint",
        api_key,
        Some(serde_json::json!({"url": url})),
    )
    .await;
    assert_eq!(status, 201, "a new endpoint is created: {endpoint}");
    endpoint
}
