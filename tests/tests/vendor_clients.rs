//! Clients written for other lab-report APIs, on the embedded runner: a record-style client
//! (`POST /lab_reports`, `GET /lab_reports/{id}`, a receiver that checks the hex
//! `x-body-signature` and reads the record at the top level of the body), a Terra v2 client
//! (`POST /v2/lab-reports`, its webhook body) and Labrador's own envelope, each receiver also
//! checking the Standard Webhooks signature. And `X-Request-Id` on every answer and the report.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use labrador_domain::ports::EndpointStore;
use labrador_domain::record::PayloadFormat;
use labrador_domain::webhook::verify_standard;
use labrador_local::{LocalOptions, LocalPipeline};
use labrador_tests::client::{Answer, Client, multipart};
use labrador_tests::receiver::{ReceivedRequest, Receiver};
use labrador_tests::{engine, pdf};
use serde_json::{Value, json};
use sha2::Sha256;
use std::time::Duration;

async fn start(dir: &std::path::Path) -> (LocalPipeline, Client) {
    let mut opts = LocalOptions::new(dir);
    opts.allow_loopback_webhooks = true;
    let mut p = LocalPipeline::open(engine(), opts).unwrap();
    p.start_workers();
    let addr = p.bind_http("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let key = p.create_api_key("tenant-v").await.unwrap();
    (p, Client::new(format!("http://{addr}"), key))
}

/// Sets the endpoint in `format`; its secret.
async fn endpoint(client: &Client, receiver: &Receiver, format: &str) -> String {
    let ep = client
        .put_json(
            "/v1/webhook-endpoint",
            &json!({"url": receiver.url(), "format": format}),
        )
        .await;
    assert_eq!(ep.status, 201, "{:?}", ep.json());
    assert_eq!(ep.json()["format"], format);
    ep.json()["secret"].as_str().unwrap().to_string()
}

/// What a record-style receiver computes: `hex(HMAC-SHA256(key, body))`, the key as given.
fn hex_hmac(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Both signature checks a receiver may make, as it would make them.
fn assert_signed(hook: &ReceivedRequest, secret: &str) {
    assert_eq!(
        hook.header("x-body-signature"),
        Some(hex_hmac(secret, &hook.body).as_str()),
        "x-body-signature is hex(HMAC-SHA256(secret, body))"
    );
    let now = chrono::Utc::now().timestamp();
    verify_standard(
        secret,
        hook.header("webhook-id"),
        hook.header("webhook-timestamp"),
        hook.header("webhook-signature"),
        &hook.body,
        now,
        Duration::from_secs(300),
    )
    .expect("the Standard Webhooks signature verifies");
}

fn record_request(pdf: &[u8], wait: bool, user: &str) -> Vec<u8> {
    json!({
        "mime_type": "application/pdf",
        "body": base64::engine::general_purpose::STANDARD.encode(pdf),
        "filename": "lab_report_2024_01_15.pdf",
        "wait_on_process": wait,
        "application_user_id": user,
    })
    .to_string()
    .into_bytes()
}

async fn post_record(client: &Client, body: Vec<u8>, headers: &[(&str, &str)]) -> Answer {
    client
        .send(
            "POST",
            "/lab_reports",
            Some("application/json"),
            body,
            headers,
        )
        .await
}

fn rfc3339(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok())
}

/// The checks of a finished record: flat, typed as the record-style API types them.
fn assert_completed_record(r: &Value, id: &str, user: &str) {
    assert_eq!(r["record_id"], id, "{r}");
    assert_eq!(r["status"], "completed", "{r}");
    assert_eq!(r["application_user_id"], user);
    assert_eq!(r["collection_date"], "2024-01-15");
    assert_eq!(r["result_date"], "2024-01-16");
    assert!(r.get("parsing_error").is_none());
    assert!(
        rfc3339(&r["uploaded_at"]) && rfc3339(&r["modified_at"]),
        "{r}"
    );
    let results: Vec<&Value> = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["results"].as_array().unwrap())
        .collect();
    assert!(results.len() >= 5, "{r}");
    let hb = results
        .iter()
        .find(|x| x["original_test_name"] == "Hemoglobin")
        .expect("the hemoglobin row");
    assert_eq!(hb["value"], json!(13.8));
    assert_eq!(hb["within_normal_range"], json!(true));
    assert_eq!(hb["original_unit_name"], "g/dL");
    assert_eq!(hb["standard_unit_name"], "g/dL");
    assert!(hb["loinc_code"].is_string());
    assert!(hb["loinc_common_name"].is_string());
    for x in &results {
        assert!(x["value"].is_number() || x["value"].is_null(), "{x}");
        assert!(x["within_normal_range"].is_boolean() || x["within_normal_range"].is_null());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_client_posts_polls_and_its_receiver_reads_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let (pipeline, client) = start(dir.path()).await;
    let receiver = Receiver::start(&[]).await;
    let secret = endpoint(&client, &receiver, "lab_report_record").await;
    let stored = pipeline.store.get_endpoint("tenant-v").await.unwrap();
    assert_eq!(stored.unwrap().format, PayloadFormat::LabReportRecord);

    let report_pdf = pdf::lab_report_pdf(&pdf::default_rows());
    let up = post_record(
        &client,
        record_request(&report_pdf, false, "end_user_id1"),
        &[],
    )
    .await;
    assert_eq!(up.status, 200, "{:?}", up.json());
    let accepted = &up.json()["lab_report"];
    assert_eq!(accepted["status"], "processing");
    assert!(rfc3339(&accepted["uploaded_at"]));
    let id = accepted["record_id"].as_str().unwrap().to_string();
    assert_eq!(
        up.header("location"),
        Some(format!("/lab_reports/{id}").as_str())
    );

    let done = labrador_tests::poll_until(Duration::from_secs(90), || async {
        let a = client.get(&format!("/lab_reports/{id}")).await;
        assert_eq!(a.status, 200, "{:?}", a.json());
        (a.json()["lab_report"]["status"] != "processing").then(|| a.json())
    })
    .await
    .expect("the report finishes");
    assert_completed_record(&done["lab_report"], &id, "end_user_id1");

    let hooks = receiver.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(hooks.len(), 1);
    assert_signed(&hooks[0], &secret);
    let body = hooks[0].json();
    assert_completed_record(&body, &id, "end_user_id1");
    assert_eq!(
        body, done["lab_report"],
        "the webhook is the record GET answers"
    );

    // The same file again is refused as a duplicate: the record says `failed` at once.
    let dup = post_record(
        &client,
        record_request(&report_pdf, false, "end_user_id1"),
        &[],
    )
    .await;
    assert_eq!(dup.status, 200);
    let dup = &dup.json()["lab_report"];
    assert_eq!(dup["status"], "failed", "{dup}");
    assert!(dup["parsing_error"].as_str().is_some_and(|e| !e.is_empty()));
    let failed_hook = receiver.wait_for(2, Duration::from_secs(30)).await;
    assert_eq!(failed_hook.len(), 2);
    assert_signed(&failed_hook[1], &secret);
    assert_eq!(failed_hook[1].json()["status"], "failed");
    assert_eq!(failed_hook[1].json()["record_id"], dup["record_id"]);

    assert_eq!(client.get("/lab_reports/nope").await.status, 404);
    pipeline.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_client_waits_on_process() {
    let dir = tempfile::tempdir().unwrap();
    let (pipeline, client) = start(dir.path()).await;
    let report_pdf = pdf::variant(&pdf::lab_report_pdf(&pdf::default_rows()), 7);
    let up = post_record(&client, record_request(&report_pdf, true, "user-w"), &[]).await;
    assert_eq!(up.status, 200, "{:?}", up.json());
    let record = &up.json()["lab_report"];
    let id = record["record_id"].as_str().unwrap().to_string();
    assert_completed_record(record, &id, "user-w");
    let again = client.get(&format!("/lab_reports/{id}")).await.json();
    assert_eq!(&again["lab_report"], record);

    // Not JSON, or not a string user id: problems, not panics.
    let bad = post_record(&client, b"not json".to_vec(), &[]).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.header("content-type"), Some("application/problem+json"));
    let bad = post_record(
        &client,
        json!({"body": "JVBERi0=", "application_user_id": 5})
            .to_string()
            .into_bytes(),
        &[],
    )
    .await;
    assert_eq!(bad.status, 400);
    pipeline.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terra_client_uploads_multipart_and_its_receiver_reads_v2() {
    let dir = tempfile::tempdir().unwrap();
    let (pipeline, client) = start(dir.path()).await;
    let receiver = Receiver::start(&[]).await;
    let secret = endpoint(&client, &receiver, "terra_v2").await;

    let report_pdf = pdf::variant(&pdf::lab_report_pdf(&pdf::default_rows()), 3);
    let (ct, body) = multipart("blood_test_2024.pdf", &report_pdf, &[]);
    let up = client
        .send(
            "POST",
            "/v2/lab-reports?reference_id=patient_123",
            Some(&ct),
            body,
            &[("dev-id", "my-dev")],
        )
        .await;
    assert_eq!(up.status, 202, "{:?}", up.json());
    let upload_id = up.json()["upload_id"].as_str().unwrap().to_string();
    assert_eq!(
        up.json()["files"],
        json!([{"file_name": "blood_test_2024.pdf"}])
    );

    let hooks = receiver.wait_for(1, Duration::from_secs(90)).await;
    assert_eq!(hooks.len(), 1);
    assert_signed(&hooks[0], &secret);
    let v = hooks[0].json();
    assert_eq!(v["upload_id"], upload_id.as_str());
    assert_eq!(v["reference_id"], "patient_123");
    let data = v["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{v}");
    assert_eq!(data[0]["date"], "2024-01-15");
    let results = data[0]["results"].as_array().unwrap();
    assert!(results.len() >= 5, "{v}");
    let hb = results
        .iter()
        .find(|r| r["original_name"] == "Hemoglobin")
        .expect("the hemoglobin row");
    assert_eq!(hb["value"], json!(13.8));
    assert_eq!(hb["display_units"], "g/dL");
    assert_eq!(hb["unit_code"], "g/dL");
    assert_eq!(hb["type"], "blood");
    assert!(hb["biomarker"].is_string());
    assert_eq!(hb["value_bound"], Value::Null);
    assert_eq!(hb["units"]["numerator"], "g");
    assert_eq!(hb["units"]["denominator"], "dL");
    let range = &hb["reference_ranges"][0];
    assert_eq!(range["reference_lower_bound"], json!(12.0));
    assert_eq!(range["reference_upper_bound"], json!(16.0));
    assert_eq!(range["classification"], "normal");
    assert!(range["context"]["modifiers"].is_array());
    for r in results {
        for field in [
            "original_name",
            "display_name",
            "biomarker",
            "type",
            "value",
            "value_bound",
            "display_units",
            "unit_code",
            "units",
            "reference_ranges",
            "notes",
        ] {
            assert!(r.get(field).is_some(), "{field} missing in {r}");
        }
    }
    // The upload is a report like any other.
    let report = client
        .wait_done(
            &format!("/v1/lab-reports/{upload_id}"),
            Duration::from_secs(30),
        )
        .await;
    assert_eq!(report.json()["reference_id"], "patient_123");

    // Terra's route takes multipart only.
    let json_up = client
        .send(
            "POST",
            "/v2/lab-reports",
            Some("application/json"),
            b"{}".to_vec(),
            &[],
        )
        .await;
    assert_eq!(json_up.status, 415);
    pipeline.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn labrador_format_keeps_the_envelope_and_request_ids_follow_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let (pipeline, client) = start(dir.path()).await;
    let receiver = Receiver::start(&[]).await;
    let secret = endpoint(&client, &receiver, "labrador").await;
    let unknown = client
        .put_json(
            "/v1/webhook-endpoint",
            &json!({"url": receiver.url(), "format": "xml"}),
        )
        .await;
    assert_eq!(unknown.status, 400);
    assert_eq!(
        client.get("/v1/webhook-endpoint").await.json()["format"],
        "labrador"
    );

    let report_pdf = pdf::variant(&pdf::lab_report_pdf(&pdf::default_rows()), 5);
    let (ct, body) = multipart("r.pdf", &report_pdf, &[]);
    let up = client
        .send(
            "POST",
            "/v1/lab-reports",
            Some(&ct),
            body,
            &[("x-request-id", "client-req:42.a_b")],
        )
        .await;
    assert_eq!(up.status, 202);
    assert_eq!(up.header("x-request-id"), Some("client-req:42.a_b"));
    assert_eq!(up.json()["request_id"], "client-req:42.a_b");
    let location = up.header("location").unwrap().to_string();
    let done = client.wait_done(&location, Duration::from_secs(90)).await;
    assert_eq!(done.json()["request_id"], "client-req:42.a_b");
    let listed = client.get("/v1/lab-reports").await.json();
    assert_eq!(listed["data"][0]["request_id"], "client-req:42.a_b");

    let hooks = receiver.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(hooks.len(), 1);
    assert_signed(&hooks[0], &secret);
    let event = hooks[0].json();
    assert_eq!(event["type"], "lab_report.completed");
    assert_eq!(
        event["data"],
        done.json(),
        "the envelope carries the report"
    );

    // Generated when absent or not sane; on problems too.
    let get = client.get(&location).await;
    let generated = get.header("x-request-id").unwrap();
    assert!(uuid_like(generated), "{generated}");
    let odd = client
        .send(
            "GET",
            &location,
            None,
            Vec::new(),
            &[("x-request-id", "has space;and=more")],
        )
        .await;
    assert!(uuid_like(odd.header("x-request-id").unwrap()));
    let unauthorized = Client::new(client.base.clone(), "wrong")
        .get(&location)
        .await;
    assert_eq!(unauthorized.status, 401);
    assert!(uuid_like(unauthorized.header("x-request-id").unwrap()));
    pipeline.shutdown().await;
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}
