//! Large files: `POST /v1/lab-reports/uploads` declares the files, the client `PUT`s each one to
//! its target, and intake starts the pipeline once all have arrived. On the embedded store the
//! target is the API's own route; on S3 (moto) it is a presigned URL and the bucket's
//! notification on the extract queue starts intake.

mod aws_support;

use aws_support::{call, drain_once, sample_pdf};
use bytes::Bytes;
use labrador_api::{Api, ApiConfig, hash_api_key};
use labrador_devkit::MotoServer;
use labrador_domain::ports::ApiKeyStore;
use labrador_domain::services::{Pipeline, ReportView};
use labrador_engine::model::Status;
use labrador_http::{GuardPolicy, HttpWebhookSender};
use labrador_local::{LocalOptions, LocalPipeline};
use labrador_tests::engine;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

const API_KEY: &str = "lab_presigned_test_key";

async fn put_raw(api: &Api, path: &str, content_type: &str, body: Vec<u8>) -> (u16, String) {
    let request = http::Request::builder()
        .method("PUT")
        .uri(path)
        .header("x-api-key", API_KEY)
        .header("content-type", content_type)
        .body(Bytes::from(body))
        .unwrap();
    let response = api.handle(request).await;
    (
        response.status().as_u16(),
        String::from_utf8_lossy(response.body()).into_owned(),
    )
}

/// `POST /v1/lab-reports/uploads` for one PDF of `size` bytes: the status and the answer.
async fn start_upload(api: &Api, size: usize) -> (u16, http::HeaderMap, serde_json::Value) {
    call(
        api,
        "POST",
        "/v1/lab-reports/uploads",
        API_KEY,
        Some(declare(size)),
    )
    .await
}

fn declare(size: usize) -> serde_json::Value {
    json!({
        "files": [{"filename": "big scan.pdf", "mime_type": "application/pdf", "size": size}],
        "reference_id": "patient_9",
        "metadata": {"order": "B-7"},
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_upload_route_takes_the_files_and_starts_the_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let mut pipeline = LocalPipeline::open(engine(), LocalOptions::new(dir.path())).unwrap();
    pipeline.add_api_key(API_KEY, "acme").await.unwrap();
    pipeline.start_workers();
    let api = pipeline.api.clone();
    let pdf = sample_pdf();

    let (status, headers, created) = start_upload(&api, pdf.len()).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(
        headers["location"],
        format!("/v1/lab-reports/{id}").as_str()
    );
    assert_eq!(created["stage"], "awaiting_upload");
    let upload = &created["files"][0]["upload"];
    assert_eq!(upload["method"], "PUT");
    assert_eq!(upload["needs_api_key"], true);
    let url = upload["url"].as_str().unwrap().to_string();
    assert_eq!(url, format!("/v1/lab-reports/{id}/files/0"));

    // Waiting for its files: 202 on GET, like any report in progress.
    let (status, _, _) = call(&api, "GET", &format!("/v1/lab-reports/{id}"), API_KEY, None).await;
    assert_eq!(status, 202);

    let (status, body) = put_raw(&api, &url, "application/pdf", pdf.clone()).await;
    assert_eq!(status, 200, "{body}");
    // A second upload of the same file is refused: intake is done.
    let (status, _) = put_raw(&api, &url, "application/pdf", pdf.clone()).await;
    assert_eq!(status, 409);

    let deadline = Instant::now() + Duration::from_secs(60);
    let report = loop {
        let (status, _, report) =
            call(&api, "GET", &format!("/v1/lab-reports/{id}"), API_KEY, None).await;
        if status == 200 {
            break report;
        }
        assert!(Instant::now() < deadline, "not done: {report}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(report["status"], "completed", "{report}");
    assert_eq!(report["reference_id"], "patient_9");
    assert_eq!(
        report["files"][0]["sha256"],
        hex::encode(Sha256::digest(&pdf)).as_str()
    );
    assert!(!report["documents"].as_array().unwrap().is_empty());

    // Declared limits and the file's real kind are enforced.
    let (status, _, problem) = start_upload(&api, 1 << 40).await;
    assert_eq!(status, 413, "{problem}");
    let (_, _, created) = start_upload(&api, 100).await;
    let other = created["id"].as_str().unwrap().to_string();
    let (status, _) = put_raw(
        &api,
        &format!("/v1/lab-reports/{other}/files/0"),
        "application/pdf",
        b"GIF89a not a lab report".to_vec(),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _, rejected) = call(
        &api,
        "GET",
        &format!("/v1/lab-reports/{other}"),
        API_KEY,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["rejection"]["reason"], "unsupported_file_type");

    // An upload whose file never comes ends `failed` once its URLs are long expired.
    let (_, _, created) = start_upload(&api, 100).await;
    let abandoned = created["id"].as_str().unwrap().to_string();
    let (status, _, _) = call(
        &api,
        "GET",
        &format!("/v1/lab-reports/{abandoned}"),
        API_KEY,
        None,
    )
    .await;
    assert_eq!(status, 202, "still within its upload window");
    let later = pipeline
        .services
        .clone()
        .with_clock(std::sync::Arc::new(AnHourLater));
    match later.view("acme", &abandoned).await.unwrap() {
        ReportView::Done(report) => {
            assert_eq!(report.status, Status::Failed);
            assert_eq!(report.error.unwrap().code, "upload_expired");
        }
        ReportView::Pending(record) => panic!("still pending: {:?}", record.stage),
    }
    pipeline.shutdown().await;
}

struct AnHourLater;

impl labrador_domain::ports::Clock for AnHourLater {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now() + chrono::Duration::hours(1)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presigned_s3_upload_starts_the_pipeline_by_bucket_notification_on_moto() {
    let moto = MotoServer::start().expect("moto_server must be installed (infra/setup.sh)");
    let aws = aws_support::provisioned(&moto, "presigned").await;
    let services = aws.services();
    let steps = Pipeline::new(
        services.clone(),
        engine(),
        std::sync::Arc::new(HttpWebhookSender::new(GuardPolicy::LOCAL).unwrap()),
    );
    let api = Api::new(services.clone(), ApiConfig::default());
    aws.store
        .put_api_key_hash(&hash_api_key(API_KEY), "acme")
        .await
        .unwrap();
    let pdf = sample_pdf();

    let (status, _, created) = start_upload(&api, pdf.len()).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let upload = &created["files"][0]["upload"];
    assert_eq!(upload["needs_api_key"], false);
    let url = upload["url"].as_str().unwrap();
    assert!(url.starts_with(moto.endpoint()), "{url}");
    assert!(url.contains("X-Amz-Signature"), "presigned: {url}");
    // The declared size is part of the signature, so S3 refuses a body of any other size.
    let signed_headers = url
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("X-Amz-SignedHeaders="))
        .unwrap_or_default();
    assert!(
        signed_headers.split("%3B").any(|h| h == "content-length"),
        "content-length not signed: {signed_headers}"
    );
    assert_eq!(
        upload["headers"]["content-length"],
        pdf.len().to_string().as_str()
    );

    // The client puts straight to S3, with the content type the URL was signed for.
    let response = labrador_devkit::client::http_client_builder()
        .build()
        .unwrap()
        .put(url)
        .header(
            "content-type",
            upload["headers"]["content-type"].as_str().unwrap(),
        )
        .header(
            "content-length",
            upload["headers"]["content-length"].as_str().unwrap(),
        )
        .body(pdf.clone())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());

    let deadline = Instant::now() + Duration::from_secs(60);
    let report = loop {
        drain_once(&aws, &steps).await;
        let (status, _, report) =
            call(&api, "GET", &format!("/v1/lab-reports/{id}"), API_KEY, None).await;
        if status == 200 {
            break report;
        }
        assert!(Instant::now() < deadline, "not done: {report}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(report["status"], "completed", "{report}");
    assert_eq!(report["metadata"]["order"], "B-7");
    assert_eq!(
        report["files"][0]["sha256"],
        hex::encode(Sha256::digest(&pdf)).as_str()
    );
    // The incoming object was moved under the report.
    use labrador_domain::ports::BlobStore;
    let incoming = labrador_domain::services::incoming_key("acme", &id, 0);
    assert_eq!(aws.blobs.head(&incoming).await.unwrap(), None);
    let stored = labrador_domain::services::file_key("acme", &id, 0);
    assert_eq!(
        aws.blobs.head(&stored).await.unwrap(),
        Some(pdf.len() as u64)
    );
}
