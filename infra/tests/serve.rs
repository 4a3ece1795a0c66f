//! `labrador serve` as a user runs it: the binary on a free port, on the embedded default and on
//! the AWS adapters against moto. A PDF uploaded over HTTP comes back by polling and as a signed
//! webhook to a loopback receiver; Ctrl-C and SIGTERM stop the runner cleanly; its logs are JSON
//! lines on stdout, as the Lambdas write them.

use labrador_devkit::MotoServer;
use labrador_devkit::client::Client;
use labrador_devkit::receiver::Receiver;
use labrador_devkit::sample_pdf;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const API_KEY: &str = "lab_serve_binary_test_key";

struct Runner {
    child: Child,
    base: String,
    /// The lines the runner wrote to stdout so far (its JSON logs).
    stdout: Arc<Mutex<Vec<String>>>,
}

impl Runner {
    fn start(data_dir: &std::path::Path, extra: &[&str]) -> Runner {
        Runner::start_with_env(data_dir, extra, &[])
    }

    fn start_with_env(data_dir: &std::path::Path, extra: &[&str], env: &[(&str, &str)]) -> Runner {
        let mut child = Command::new(env!("CARGO_BIN_EXE_labrador"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--allow-loopback-webhooks",
            ])
            .arg("--data-dir")
            .arg(data_dir)
            .args(extra)
            .env("LABRADOR_API_KEY", API_KEY)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run the labrador binary");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let lines = stdout.clone();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut seen = Vec::new();
        let base = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("the runner did not start: {seen:?}"));
            if let Some(rest) = line.strip_prefix("labrador: serving ") {
                break rest.split_whitespace().next().unwrap().to_string();
            }
            seen.push(line);
        };
        Runner {
            child,
            base,
            stdout,
        }
    }

    /// A crash: SIGKILL, nothing drained.
    fn kill(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().unwrap();
    }

    /// Ctrl-C, then the exit status within `timeout`.
    fn interrupt(self, timeout: Duration) -> std::process::ExitStatus {
        self.stop("-INT", timeout)
    }

    /// `signal` (`-INT`, `-TERM`), then the exit status within `timeout`.
    fn stop(mut self, signal: &str, timeout: Duration) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("kill");
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the runner did not stop within {timeout:?} of {signal}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Points the tenant's webhooks at `receiver`.
async fn set_endpoint(client: &Client, receiver: &Receiver) {
    let endpoint = client
        .put_json(
            "/v1/webhook-endpoint",
            &serde_json::json!({"url": receiver.url()}),
        )
        .await;
    assert!(endpoint.status == 200 || endpoint.status == 201);
}

async fn upload_and_receive(runner: &Runner) {
    let receiver = Receiver::start(&[]).await;
    let client = Client::new(runner.base.clone(), API_KEY);
    set_endpoint(&client, &receiver).await;

    let (ct, body) =
        labrador_devkit::client::multipart("cbc.pdf", &sample_pdf(), &[("reference_id", "p-42")]);
    let accepted = client
        .send(
            "POST",
            "/v1/lab-reports",
            Some(&ct),
            body,
            &[("x-request-id", "serve-req-1")],
        )
        .await;
    assert_eq!(accepted.status, 202, "{:?}", accepted.body);
    assert_eq!(accepted.header("x-request-id"), Some("serve-req-1"));
    let location = accepted.header("location").unwrap().to_string();
    let done = client.wait_done(&location, Duration::from_secs(90)).await;
    assert_eq!(done.status, 200);
    let report = done.json();
    assert_eq!(report["status"], "completed", "{report}");
    assert_eq!(report["reference_id"], "p-42");

    let hooks = receiver.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(hooks.len(), 1);
    assert!(hooks[0].header("x-body-signature").is_some());
    let event = hooks[0].json();
    assert_eq!(event["type"], "lab_report.completed");
    assert_eq!(event["data"], client.get(&location).await.json());

    // Every step of the report logged its request id (in the `job` span), and nothing else
    // about the report.
    let steps_logged = |lines: &[String]| -> Vec<String> {
        lines
            .iter()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|log| log["fields"]["message"] == "job done")
            .filter_map(|log| {
                let job = log["spans"]
                    .as_array()?
                    .iter()
                    .find(|s| s["name"] == "job")?
                    .clone();
                (job["request_id"] == "serve-req-1").then(|| job["queue"].to_string())
            })
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let queues = steps_logged(&runner.stdout.lock().unwrap());
        if ["Extract", "Standardize", "Deliver"]
            .iter()
            .all(|q| queues.iter().any(|l| l.contains(q)))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "every step logs the request id: {queues:?} in {:?}",
            runner.stdout.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_on_the_embedded_default() {
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::start(dir.path(), &[]);
    upload_and_receive(&runner).await;
    assert!(runner.interrupt(Duration::from_secs(20)).success());
    assert!(dir.path().join("labrador.sqlite3").exists());
}

/// The retry schedule and the receive limit are the runner's flags (the Lambdas' variables);
/// a delivery that fails every attempt is given up with a JSON log line; SIGTERM drains and exits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_takes_the_retry_policy_logs_json_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::start(
        dir.path(),
        &[
            "--webhook-retry-schedule",
            "200ms,200ms",
            "--max-receives",
            "2",
        ],
    );
    let receiver = Receiver::start(&[500; 10]).await;
    let client = Client::new(runner.base.clone(), API_KEY);
    set_endpoint(&client, &receiver).await;
    let accepted = client.upload_pdf("cbc.pdf", &sample_pdf(), &[]).await;
    assert_eq!(accepted.status, 202, "{:?}", accepted.body);

    // Three attempts, 200 ms apart (the default schedule would wait 5 s, then 30 s).
    let hooks = receiver.wait_for(3, Duration::from_secs(60)).await;
    assert_eq!(hooks.len(), 3);
    let given_up = |lines: &[String]| {
        lines.iter().any(|line| {
            serde_json::from_str::<serde_json::Value>(line)
                .is_ok_and(|log| log["fields"]["message"] == "job given up")
        })
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while !given_up(&runner.stdout.lock().unwrap()) {
        assert!(
            Instant::now() < deadline,
            "no JSON give-up line: {:?}",
            runner.stdout.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.requests().len(), 3, "no attempt past the schedule");
    let stdout = runner.stdout.clone();
    assert!(runner.stop("-TERM", Duration::from_secs(20)).success());
    for line in stdout.lock().unwrap().iter() {
        let log: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|_| panic!("every stdout line is a JSON log: {line}"));
        assert!(log["level"].is_string(), "{log}");
    }
}

/// kill -9 in the middle of an OCR extraction: after a restart on the same data directory the
/// report completes, with exactly one terminal webhook. Its job comes back as its lease runs out
/// (short here) and takes the step over, instead of finding it busy until it is given up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_in_flight_at_a_crash_completes_once_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("LABRADOR_STEP_LEASE_SECONDS", "3")];
    let runner = Runner::start_with_env(dir.path(), &[], &env);
    let receiver = Receiver::start(&[]).await;
    let client = Client::new(runner.base.clone(), API_KEY);
    set_endpoint(&client, &receiver).await;

    // A scan: its OCR takes seconds, long enough to be cut off.
    let scan = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/corpus/synth/files/scan_in_balaji_cbc_thyroid.png"),
    )
    .unwrap();
    let accepted = client.upload_pdf("scan.png", &scan, &[]).await;
    assert_eq!(accepted.status, 202, "{:?}", accepted.body);
    let location = accepted.header("location").unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let report = client.get(&location).await.json();
        if report["stage"] == "extracting" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "extraction never started: {report}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    runner.kill();
    assert!(
        receiver.requests().is_empty(),
        "nothing was sent before the crash"
    );

    let runner = Runner::start_with_env(dir.path(), &[], &env);
    let client = Client::new(runner.base.clone(), API_KEY);
    let done = client.wait_done(&location, Duration::from_secs(180)).await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    let report = done.json();
    assert_eq!(report["status"], "completed", "{report}");
    let hooks = receiver.wait_for(1, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let hooks_after = receiver.requests();
    assert_eq!(hooks_after.len(), 1, "exactly one terminal event");
    assert_eq!(hooks[0].json()["type"], "lab_report.completed");
    // The row of the fault suite's table (tests/tests/fault_suite.rs) for this case.
    println!(
        "fault case | {:<28} | accepted  1 | terminal {:>2} | stuck {} | lost 0 | events/report {{{}}} | deleted 0 | left after delete 0",
        "kill -9 mid-extract",
        (report["status"] == "completed") as u8,
        (report["status"] != "completed") as u8,
        hooks_after.len()
    );
    assert!(runner.interrupt(Duration::from_secs(20)).success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_on_the_aws_adapters_against_moto() {
    let moto = MotoServer::start().expect("moto_server must be installed (infra/setup.sh)");
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::start(
        dir.path(),
        &[
            "--aws-endpoint",
            moto.endpoint(),
            "--aws-prefix",
            "serve-test",
        ],
    );
    upload_and_receive(&runner).await;

    // Operator commands reach the same stack: a key for another tenant sees none of acme's
    // reports, and the dead-letter queues are empty.
    let operator = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_labrador"))
            .args(args)
            .args([
                "--aws-endpoint",
                moto.endpoint(),
                "--aws-prefix",
                "serve-test",
            ])
            .output()
            .expect("run the labrador binary");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let other_key = operator(&["api-key", "create", "--tenant", "other"]);
    let other = Client::new(runner.base.clone(), other_key.trim());
    let listed = other.get("/v1/lab-reports").await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json()["data"], serde_json::json!([]));
    let redrive = operator(&["redrive"]);
    assert!(redrive.contains("Extract: reprocessed 0"), "{redrive}");

    assert!(runner.interrupt(Duration::from_secs(30)).success());
    // Nothing was written to the embedded store: the AWS adapters did the work.
    assert!(!dir.path().join("labrador.sqlite3").exists());
}
