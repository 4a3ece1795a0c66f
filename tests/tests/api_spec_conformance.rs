//! The OpenAPI document is exact: every secured operation documents 401 and 503, every answer the
//! handler gives to the requests below (good and bad) has a documented status, content type and
//! schema (checked by `tests/api/validate_responses.py` with jsonschema), and the fixes found by
//! schemathesis hold: typed query parameters (empty is invalid), multipart `metadata` is a JSON
//! object, `null` reference ids, declared sizes, strict flags, the current status after a wait.

use bytes::Bytes;
use labrador_api::{Api, ApiConfig, OPENAPI_YAML, hash_api_key};
use labrador_domain::engine::model::Status;
use labrador_domain::ports::{ApiKeyStore, RecordStore};
use labrador_domain::services::{ServiceConfig, Services};
use labrador_http::GuardPolicy;
use labrador_local::{Db, FsBlobStore, SqliteQueue, SqliteReportStore};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

const KEY: &str = "lab_spec_key";
const TENANT: &str = "t1";

struct Harness {
    api: Api,
    store: Arc<SqliteReportStore>,
    /// Every answer, with the operation it answered, for the validator.
    answers: Vec<Value>,
}

impl Harness {
    async fn new(dir: &Path) -> Harness {
        let db = Db::open_in_memory().unwrap();
        let store = Arc::new(SqliteReportStore::new(db.clone()));
        store
            .put_api_key_hash(&hash_api_key(KEY), TENANT)
            .await
            .unwrap();
        let services = Services::new(
            Arc::new(FsBlobStore::new(dir).unwrap()),
            store.clone(),
            Arc::new(SqliteQueue::new(db)),
        );
        let config = ApiConfig {
            webhook_guard: GuardPolicy::LOCAL,
            ..ApiConfig::default()
        };
        Harness {
            api: Api::new(services, config),
            store,
            answers: Vec::new(),
        }
    }

    /// Sends one request (`uri` is the concrete path and query, `template` the operation's path).
    async fn send(
        &mut self,
        method: &str,
        template: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> (u16, Value) {
        let mut b = http::Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let response = self.api.handle(b.body(Bytes::from(body)).unwrap()).await;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body: Value = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
        self.answers.push(json!({
            "method": method, "path": template, "status": status,
            "content_type": content_type, "body": body,
        }));
        (status, body)
    }

    async fn json(&mut self, method: &str, template: &str, uri: &str, body: Value) -> (u16, Value) {
        let headers = [("x-api-key", KEY), ("content-type", "application/json")];
        self.send(
            method,
            template,
            uri,
            &headers,
            body.to_string().into_bytes(),
        )
        .await
    }

    async fn get(&mut self, template: &str, uri: &str) -> (u16, Value) {
        self.send("GET", template, uri, &[("x-api-key", KEY)], Vec::new())
            .await
    }

    async fn multipart(&mut self, fields: &[(&str, &str)], pdf: &[u8]) -> (u16, Value) {
        let (ct, body) = labrador_tests::client::multipart("a.pdf", pdf, fields);
        let headers = [("x-api-key", KEY), ("content-type", ct.as_str())];
        self.send("POST", "/v1/lab-reports", "/v1/lab-reports", &headers, body)
            .await
    }
}

fn spec() -> serde_yaml::Value {
    serde_yaml::from_str(OPENAPI_YAML).unwrap()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the validator on `answers`: (conforms, its report).
fn validate(answers: &[Value]) -> (bool, String) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), serde_json::to_vec(answers).unwrap()).unwrap();
    let out = Command::new("python3")
        .arg(root().join("tests/api/validate_responses.py"))
        .arg(root().join("shared/api/openapi.yaml"))
        .arg(file.path())
        .output()
        .expect("python3 must be installed (infra/setup.sh)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(
        out.status.code(),
        Some(2),
        "validator could not run: {text}"
    );
    (out.status.success(), text)
}

/// (path template, method, operation) of every operation.
fn operations() -> Vec<(String, String, serde_yaml::Value)> {
    let doc = spec();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_mapping().unwrap() {
        for (method, op) in item.as_mapping().unwrap() {
            let method = method.as_str().unwrap();
            if method != "parameters" {
                out.push((
                    path.as_str().unwrap().to_string(),
                    method.to_uppercase(),
                    op.clone(),
                ));
            }
        }
    }
    out
}

fn secured(op: &serde_yaml::Value) -> bool {
    // The document's default is the API key; an operation opts out with `security: []`.
    op.get("security")
        .and_then(|s| s.as_sequence())
        .is_none_or(|s| !s.is_empty())
}

#[test]
fn every_secured_operation_documents_401_and_503_as_problems() {
    let doc = spec();
    let problem = &doc["components"]["responses"]["Problem"];
    assert!(problem["content"]["application/problem+json"].is_mapping());
    let mut checked = 0;
    for (path, method, op) in operations() {
        if !secured(&op) {
            continue;
        }
        for status in ["401", "503"] {
            let response = &op["responses"][status];
            assert_eq!(
                response["$ref"].as_str(),
                Some("#/components/responses/Problem"),
                "{method} {path} must document {status} as a problem"
            );
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} secured operations");
}

#[tokio::test]
async fn without_a_key_every_secured_operation_answers_a_documented_401() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = Harness::new(dir.path()).await;
    let id = "00000000-0000-0000-0000-000000000000";
    for (path, method, op) in operations() {
        if !secured(&op) {
            continue;
        }
        let uri = path.replace("{id}", id).replace("{n}", "0");
        for key in [None, Some("lab_not_a_key")] {
            let headers: Vec<(&str, &str)> = key.iter().map(|k| ("x-api-key", *k)).collect();
            let (status, body) = h.send(&method, &path, &uri, &headers, Vec::new()).await;
            assert_eq!(status, 401, "{method} {path}: {body}");
        }
    }
    let (ok, text) = validate(&h.answers);
    assert!(ok, "{text}");
}

#[tokio::test]
async fn list_parameters_are_typed_and_empty_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = Harness::new(dir.path()).await;
    let list = "/v1/lab-reports";
    for query in [
        "from=",
        "to=",
        "reference_id=",
        "cursor=",
        "status=",
        "limit=",
        "from=yesterday",
        "cursor=0",
        "limit=0",
        "reference_id=%01",
    ] {
        let (status, body) = h.get(list, &format!("{list}?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
    }
    for query in [
        "from=2026-01-01",
        "from=2026-01-01T00:00:00Z",
        "to=2026-01-01T00:00:00.123%2B02:00",
        "reference_id=r-1",
        "status=queued&limit=100",
    ] {
        let (status, body) = h.get(list, &format!("{list}?{query}")).await;
        assert_eq!(status, 200, "{query}: {body}");
    }
    let (ok, text) = validate(&h.answers);
    assert!(ok, "{text}");
}

#[tokio::test]
async fn uploads_take_what_the_document_says_and_refuse_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = Harness::new(dir.path()).await;
    let pdf = labrador_tests::pdf::lab_report_pdf(&labrador_tests::pdf::default_rows());

    // Multipart metadata is a JSON object.
    let (status, body) = h
        .multipart(&[("metadata", r#"{"patient_ref":"p-7"}"#)], &pdf)
        .await;
    assert_eq!(status, 202, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let (status, body) = h
        .get("/v1/lab-reports/{id}", &format!("/v1/lab-reports/{id}"))
        .await;
    assert_eq!(status, 202);
    assert_eq!(body["metadata"], json!({"patient_ref": "p-7"}));
    for bad in [r#""a string""#, "[1]", r#"{"k":1}"#, "not json"] {
        let variant = labrador_tests::pdf::variant(&pdf, 1);
        let (status, body) = h.multipart(&[("metadata", bad)], &variant).await;
        assert_eq!(status, 400, "metadata {bad}: {body}");
    }
    for (flag, want) in [("maybe", 400), ("TRUE", 400), ("false", 202)] {
        let variant = labrador_tests::pdf::variant(&pdf, 2);
        let (status, body) = h.multipart(&[("wait_on_process", flag)], &variant).await;
        assert_eq!(status, want, "wait_on_process {flag}: {body}");
    }

    // JSON bodies: `null` is "none"; a wrong type is a 400, never silently ignored.
    let b64 = |b: &[u8]| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(b)
    };
    let upload = "/v1/lab-reports";
    let (status, body) = h
        .json(
            "POST",
            upload,
            upload,
            json!({"body": b64(&labrador_tests::pdf::variant(&pdf, 3)), "reference_id": null,
                   "metadata": null, "filename": null, "wait_on_process": null}),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["reference_id"], Value::Null);
    for bad in [
        json!({"body": b64(&pdf), "wait_on_process": "yes"}),
        json!({"body": b64(&pdf), "filename": 7}),
        json!({"files": [{"body": b64(&pdf), "mime_type": false}]}),
        json!({"body": b64(&pdf), "reference_id": 5}),
    ] {
        let (status, answer) = h.json("POST", upload, upload, bad.clone()).await;
        assert_eq!(status, 400, "{bad}: {answer}");
    }

    // Declared uploads: null reference id, integral sizes, size 0 is malformed (not too large).
    let uploads = "/v1/lab-reports/uploads";
    let file = |size: Value| json!({"files": [{"mime_type": "application/pdf", "size": size}]});
    let mut body = file(json!(1.0));
    body["reference_id"] = Value::Null;
    body["metadata"] = Value::Null;
    let (status, answer) = h.json("POST", uploads, uploads, body).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["files"][0]["size"], 1);
    for (size, want) in [
        (json!(0), 400),
        (json!(0.0), 400),
        (json!(1.5), 400),
        (json!(-1), 400),
        (json!("1"), 400),
        (
            json!(ServiceConfig::default().max_presigned_file_bytes + 1),
            413,
        ),
    ] {
        let (status, answer) = h.json("POST", uploads, uploads, file(size.clone())).await;
        assert_eq!(status, want, "size {size}: {answer}");
    }
    let mut named = file(json!(10));
    named["files"][0]["filename"] = json!(["x"]);
    let (status, _) = h.json("POST", uploads, uploads, named).await;
    assert_eq!(status, 400);

    // match_status is a list of match statuses.
    let report = "/v1/lab-reports/{id}";
    let (status, _) = h
        .get(report, &format!("/v1/lab-reports/{id}?match_status=bogus"))
        .await;
    assert_eq!(status, 400);
    let (status, _) = h
        .get(
            report,
            &format!("/v1/lab-reports/{id}?match_status=auto,unmatched"),
        )
        .await;
    assert_eq!(status, 202);

    let (ok, text) = validate(&h.answers);
    assert!(ok, "{text}");
}

#[tokio::test]
async fn a_wait_that_runs_out_answers_the_status_the_report_has_now() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = Harness::new(dir.path()).await;
    let pdf = labrador_tests::pdf::lab_report_pdf(&labrador_tests::pdf::default_rows());
    // No workers run here: the report moves on only when this test moves it, during the wait.
    let store = h.store.clone();
    let mover = tokio::spawn(async move {
        for _ in 0..100 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            let page = store
                .list(
                    TENANT,
                    &labrador_domain::ports::ListFilter {
                        limit: 10,
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            if let Some(mut record) = page.records.into_iter().next() {
                let expected = record.version;
                labrador_domain::status::transition(
                    &mut record,
                    Status::Processing,
                    "extracting",
                    "2026-12-04T00:00:00.000Z",
                )
                .unwrap();
                store.update(&record, expected).await.unwrap();
                return;
            }
        }
        panic!("the upload never appeared");
    });
    let (ct, body) = labrador_tests::client::multipart("a.pdf", &pdf, &[]);
    let headers = [
        ("x-api-key", KEY),
        ("content-type", ct.as_str()),
        ("prefer", "wait=2"),
    ];
    let (status, answer) = h
        .send("POST", "/v1/lab-reports", "/v1/lab-reports", &headers, body)
        .await;
    mover.await.unwrap();
    assert_eq!(status, 202, "{answer}");
    assert_eq!(answer["status"], "processing", "{answer}");
    assert_eq!(answer["stage"], "extracting", "{answer}");
    let (ok, text) = validate(&h.answers);
    assert!(ok, "{text}");
}

#[test]
fn the_validator_fails_undocumented_statuses_types_and_shapes() {
    let bad = [
        json!({"method": "GET", "path": "/v1/webhook-endpoint", "status": 418,
               "content_type": "application/problem+json", "body": {"type": "x", "title": "t", "status": 418}}),
        json!({"method": "GET", "path": "/v1/lab-reports", "status": 200,
               "content_type": "text/plain", "body": {"data": []}}),
        json!({"method": "GET", "path": "/v1/lab-reports", "status": 200,
               "content_type": "application/json", "body": {"data": "many"}}),
        json!({"method": "GET", "path": "/v1/nowhere", "status": 200,
               "content_type": "application/json", "body": {}}),
    ];
    for answer in bad {
        assert!(!validate(std::slice::from_ref(&answer)).0, "{answer}");
    }
    let good = json!({"method": "GET", "path": "/v1/lab-reports", "status": 200,
                      "content_type": "application/json", "body": {"data": [], "next_cursor": null}});
    assert!(validate(&[good]).0);
}

#[test]
fn the_documented_limits_are_the_enforced_ones() {
    let config = ServiceConfig::default();
    let doc = spec();
    let size = &doc["paths"]["/v1/lab-reports/uploads"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"]["properties"]["files"]["items"]["properties"]["size"];
    assert_eq!(
        size["maximum"].as_u64(),
        Some(config.max_presigned_file_bytes)
    );
    let summary = doc["paths"]["/v1/lab-reports"]["post"]["summary"]
        .as_str()
        .unwrap();
    assert_eq!(config.max_file_bytes, 10 * 1024 * 1024);
    assert!(
        summary.contains("10 MiB") && summary.contains(&config.max_file_bytes.to_string()),
        "{summary}"
    );
    assert!(!OPENAPI_YAML.contains(" MB"), "sizes are in MiB");
    let reference_id = &doc["components"]["schemas"]["ReferenceId"];
    assert_eq!(
        reference_id["maxLength"].as_u64(),
        Some(config.max_reference_id as u64)
    );
    let metadata = &doc["components"]["schemas"]["Metadata"];
    assert_eq!(
        metadata["maxProperties"].as_u64(),
        Some(config.max_metadata_pairs as u64)
    );
    assert_eq!(
        metadata["propertyNames"]["maxLength"].as_u64(),
        Some(config.max_metadata_key as u64)
    );
    assert_eq!(
        metadata["additionalProperties"]["maxLength"].as_u64(),
        Some(config.max_metadata_value as u64)
    );
}
