//! The API against its OpenAPI document and against garbage: every documented route answers
//! through the real handler, every handler route is documented, bad input never panics and
//! always gets a problem+json answer.

use bytes::Bytes;
use labrador_api::{Api, ApiConfig, OPENAPI_YAML, ROUTES, hash_api_key};
use labrador_domain::ports::ApiKeyStore;
use labrador_domain::services::Services;
use labrador_http::GuardPolicy;
use labrador_local::{Db, FsBlobStore, SqliteQueue, SqliteReportStore};
use std::collections::BTreeSet;
use std::sync::Arc;

const KEY: &str = "lab_test_key";

async fn api(dir: &std::path::Path) -> Api {
    let db = Db::open_in_memory().unwrap();
    let store = Arc::new(SqliteReportStore::new(db.clone()));
    store
        .put_api_key_hash(&hash_api_key(KEY), "t1")
        .await
        .unwrap();
    let services = Services::new(
        Arc::new(FsBlobStore::new(dir).unwrap()),
        store,
        Arc::new(SqliteQueue::new(db)),
    );
    let config = ApiConfig {
        webhook_guard: GuardPolicy::LOCAL,
        ..ApiConfig::default()
    };
    Api::new(services, config)
}

fn req(
    method: &str,
    path: &str,
    ct: Option<&str>,
    body: Vec<u8>,
    key: Option<&str>,
) -> http::Request<Bytes> {
    let mut b = http::Request::builder().method(method).uri(path);
    if let Some(k) = key {
        b = b.header("x-api-key", k);
    }
    if let Some(ct) = ct {
        b = b.header("content-type", ct);
    }
    b.body(Bytes::from(body)).unwrap()
}

fn documented() -> BTreeSet<(String, String)> {
    let doc: serde_yaml::Value = serde_yaml::from_str(OPENAPI_YAML).unwrap();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_mapping().unwrap() {
        for (method, _) in item.as_mapping().unwrap() {
            let m = method.as_str().unwrap();
            if m != "parameters" {
                out.insert((path.as_str().unwrap().to_string(), m.to_uppercase()));
            }
        }
    }
    out
}

#[test]
fn every_route_is_documented_and_every_documented_route_exists() {
    let handler: BTreeSet<(String, String)> = ROUTES
        .iter()
        .flat_map(|(p, ms)| ms.iter().map(move |m| (p.to_string(), m.to_string())))
        .collect();
    assert_eq!(handler, documented());
}

/// The routes the SAM template gives API Gateway: (path, method) of every `HttpApi` event.
fn template_routes() -> BTreeSet<(String, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../template.yaml");
    let template: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = BTreeSet::new();
    for (_, resource) in template["Resources"].as_mapping().unwrap() {
        let Some(events) = resource["Properties"]["Events"].as_mapping() else {
            continue;
        };
        for (_, event) in events {
            if event["Type"].as_str() == Some("HttpApi") {
                let properties = &event["Properties"];
                out.insert((
                    properties["Path"].as_str().unwrap().to_string(),
                    properties["Method"].as_str().unwrap().to_uppercase(),
                ));
            }
        }
    }
    out
}

#[test]
fn the_template_routes_every_api_route_but_the_embedded_upload() {
    let mut handler: BTreeSet<(String, String)> = ROUTES
        .iter()
        .flat_map(|(p, ms)| ms.iter().map(move |m| (p.to_string(), m.to_string())))
        .collect();
    // On AWS a declared file is PUT to its presigned S3 URL; the API's own upload route serves
    // the embedded store only.
    assert!(handler.remove(&(
        "/v1/lab-reports/{id}/files/{n}".to_string(),
        "PUT".to_string()
    )));
    assert_eq!(template_routes(), handler);
}

#[tokio::test]
async fn every_documented_route_answers() {
    let dir = tempfile::tempdir().unwrap();
    let api = api(dir.path()).await;
    let put = api
        .handle(req(
            "PUT",
            "/v1/webhook-endpoint",
            Some("application/json"),
            br#"{"url":"http://127.0.0.1:9/hook"}"#.to_vec(),
            Some(KEY),
        ))
        .await;
    assert_eq!(put.status(), 201);
    let pdf = labrador_tests::pdf::lab_report_pdf(&labrador_tests::pdf::default_rows());
    let (ct, body) = labrador_tests::client::multipart("a.pdf", &pdf, &[]);
    let up = api
        .handle(req(
            "POST",
            "/v1/lab-reports",
            Some(&ct),
            body.clone(),
            Some(KEY),
        ))
        .await;
    assert_eq!(up.status(), 202);
    let id = serde_json::from_slice::<serde_json::Value>(up.body()).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Deletions last, so the resources exist for the other calls.
    let mut calls: Vec<(String, String)> = documented().into_iter().collect();
    calls.sort_by_key(|(_, m)| m == "DELETE");
    for (template, method) in calls {
        let path = template.replace("{id}", &id).replace("{n}", "0");
        let (ct, body) = match (template.as_str(), method.as_str()) {
            ("/v1/lab-reports", "POST") => (
                Some(ct.clone()),
                labrador_tests::client::multipart(
                    "b.pdf",
                    &labrador_tests::pdf::variant(&pdf, 1),
                    &[],
                )
                .1,
            ),
            ("/v1/webhook-endpoint", "PUT") => (
                Some("application/json".to_string()),
                br#"{"url":"http://127.0.0.1:9/x"}"#.to_vec(),
            ),
            _ => (None, Vec::new()),
        };
        let r = api
            .handle(req(&method, &path, ct.as_deref(), body, Some(KEY)))
            .await;
        let status = r.status().as_u16();
        assert!(
            status != 404 && status != 405 && status < 500,
            "{method} {template} answered {status}: {}",
            String::from_utf8_lossy(r.body())
        );
    }
}

#[tokio::test]
async fn auth_and_problems() {
    let dir = tempfile::tempdir().unwrap();
    let api = api(dir.path()).await;
    for key in [None, Some("wrong")] {
        let r = api
            .handle(req("GET", "/v1/lab-reports", None, Vec::new(), key))
            .await;
        assert_eq!(r.status(), 401);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let p: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
        for f in ["type", "title", "status", "detail", "instance"] {
            assert!(p.get(f).is_some(), "{f}");
        }
        assert_eq!(p["status"], 401);
    }
    let r = api
        .handle(req("GET", "/v1/nope", None, Vec::new(), Some(KEY)))
        .await;
    assert_eq!(r.status(), 404);
    let r = api
        .handle(req("PATCH", "/v1/lab-reports", None, Vec::new(), Some(KEY)))
        .await;
    assert_eq!(r.status(), 405);
    // Another tenant's report is not found.
    let r = api
        .handle(req(
            "GET",
            "/v1/lab-reports/00000000-0000-0000-0000-000000000000",
            None,
            Vec::new(),
            Some(KEY),
        ))
        .await;
    assert_eq!(r.status(), 404);
    // Webhook URLs to private ranges are refused at config time even in local mode.
    let r = api
        .handle(req(
            "PUT",
            "/v1/webhook-endpoint",
            Some("application/json"),
            br#"{"url":"http://169.254.169.254/latest/meta-data"}"#.to_vec(),
            Some(KEY),
        ))
        .await;
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn upload_validation_and_idempotency() {
    let dir = tempfile::tempdir().unwrap();
    let api = api(dir.path()).await;
    let pdf = labrador_tests::pdf::lab_report_pdf(&labrador_tests::pdf::default_rows());
    let b64 = |b: &[u8]| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(b)
    };
    let json_body = |files: serde_json::Value| {
        serde_json::json!({"files": files, "reference_id": "r1"})
            .to_string()
            .into_bytes()
    };
    // Not a PDF/PNG/JPEG → 415; too many files → 400; bad metadata → 400.
    let r = api
        .handle(req(
            "POST",
            "/v1/lab-reports",
            Some("application/json"),
            json_body(serde_json::json!([{"body": b64(b"hello")}])),
            Some(KEY),
        ))
        .await;
    assert_eq!(r.status(), 415);
    let many: Vec<_> = (0..11)
        .map(|i| serde_json::json!({"body": b64(&labrador_tests::pdf::variant(&pdf, i))}))
        .collect();
    let r = api
        .handle(req(
            "POST",
            "/v1/lab-reports",
            Some("application/json"),
            json_body(serde_json::json!(many)),
            Some(KEY),
        ))
        .await;
    assert_eq!(r.status(), 400);
    let meta: serde_json::Map<String, serde_json::Value> = (0..51)
        .map(|i| (format!("k{i}"), serde_json::json!("v")))
        .collect();
    let body = serde_json::json!({"body": b64(&pdf), "metadata": meta})
        .to_string()
        .into_bytes();
    let r = api
        .handle(req(
            "POST",
            "/v1/lab-reports",
            Some("application/json"),
            body,
            Some(KEY),
        ))
        .await;
    assert_eq!(r.status(), 400);
    let body = serde_json::json!({"body": b64(&pdf), "metadata": {"k": "x".repeat(501)}})
        .to_string()
        .into_bytes();
    let r = api
        .handle(req(
            "POST",
            "/v1/lab-reports",
            Some("application/json"),
            body,
            Some(KEY),
        ))
        .await;
    assert_eq!(r.status(), 400);

    // Idempotency: same key and body → the same answer; another body → 422.
    let body = serde_json::json!({"body": b64(&pdf), "filename": "x.pdf"})
        .to_string()
        .into_bytes();
    let send = |body: Vec<u8>| {
        let mut r = req(
            "POST",
            "/v1/lab-reports",
            Some("application/json"),
            body,
            Some(KEY),
        );
        r.headers_mut()
            .insert("idempotency-key", "k-1".parse().unwrap());
        api.handle(r)
    };
    let a = send(body.clone()).await;
    let b = send(body.clone()).await;
    assert_eq!(a.status(), 202);
    assert_eq!(a.body(), b.body());
    assert_eq!(b.headers()["idempotent-replayed"], "true");
    let other = serde_json::json!({"body": b64(&labrador_tests::pdf::variant(&pdf, 9))})
        .to_string()
        .into_bytes();
    assert_eq!(send(other).await.status(), 422);
}

#[tokio::test]
async fn garbage_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let api = api(dir.path()).await;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let content_types = [
        "multipart/form-data; boundary=xyz",
        "multipart/form-data",
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "",
    ];
    let paths = [
        "/v1/lab-reports",
        "/v1/webhook-endpoint",
        "/v1/lab-reports/..%2F..%2Fetc/files/0",
        "/v1/lab-reports/x/files/99999999999999999999",
        "/v1/lab-reports/%00/fhir",
    ];
    for i in 0..300 {
        let len = (next() % 2048) as usize;
        let mut body: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        if i % 3 == 0 {
            // Half-valid shapes reach deeper.
            body = match i % 4 {
                0 => format!("--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\"\r\n\r\n%PDF-{}\r\n--xyz--\r\n", String::from_utf8_lossy(&body)).into_bytes(),
                1 => br#"{"files":[{"body":"%%%"}],"metadata":[1,2]}"#.to_vec(),
                2 => br#"{"url":"javascript:alert(1)","event_types":["nope"]}"#.to_vec(),
                _ => b"{\"body\":\"JVBERi0xLjQKJSVFT0YK\",\"metadata\":{\"a\":1}}".to_vec(),
            };
        }
        let ct = content_types[(next() % content_types.len() as u64) as usize];
        let path = paths[(next() % paths.len() as u64) as usize];
        let method = ["POST", "PUT", "GET", "DELETE"][(next() % 4) as usize];
        let r = api
            .handle(req(
                method,
                path,
                Some(ct).filter(|c| !c.is_empty()),
                body,
                Some(KEY),
            ))
            .await;
        let status = r.status().as_u16();
        assert!(
            status < 500 || status == 501,
            "{method} {path} {ct}: {status}"
        );
        if status >= 400 {
            assert_eq!(r.headers()["content-type"], "application/problem+json");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_with_one_idempotency_key_create_one_report() {
    let dir = tempfile::tempdir().unwrap();
    let api = Arc::new(api(dir.path()).await);
    let pdf = labrador_tests::pdf::lab_report_pdf(&labrador_tests::pdf::default_rows());
    let (ct, body) = labrador_tests::client::multipart("race.pdf", &pdf, &[]);
    let send = |api: Arc<Api>, ct: String, body: Vec<u8>| async move {
        let mut request = req("POST", "/v1/lab-reports", Some(&ct), body, Some(KEY));
        request
            .headers_mut()
            .insert("idempotency-key", "race-1".parse().unwrap());
        let response = api.handle(request).await;
        let json: serde_json::Value =
            serde_json::from_slice(response.body()).unwrap_or(serde_json::Value::Null);
        (response.status().as_u16(), json)
    };
    let racers: Vec<_> = (0..8)
        .map(|_| tokio::spawn(send(api.clone(), ct.clone(), body.clone())))
        .collect();
    let mut ids = BTreeSet::new();
    for racer in racers {
        let (status, json) = racer.await.unwrap();
        match status {
            202 => {
                ids.insert(json["id"].as_str().unwrap().to_string());
            }
            409 => assert_eq!(
                json["type"]
                    .as_str()
                    .map(|t| t.ends_with("idempotency_key_in_progress")),
                Some(true),
                "{json}"
            ),
            other => panic!("unexpected {other}: {json}"),
        }
    }
    assert_eq!(ids.len(), 1, "one report for one key: {ids:?}");
    // Once the first request finished, the same request replays its answer.
    let (status, json) = send(api.clone(), ct.clone(), body.clone()).await;
    assert_eq!(status, 202);
    assert!(ids.contains(json["id"].as_str().unwrap()));
    let listed = api
        .handle(req("GET", "/v1/lab-reports", None, Vec::new(), Some(KEY)))
        .await;
    let listed: serde_json::Value = serde_json::from_slice(listed.body()).unwrap();
    assert_eq!(listed["data"].as_array().map(Vec::len), Some(1), "{listed}");
}
