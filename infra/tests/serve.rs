//! `labrador serve` as a user runs it: the binary on a free port, on the embedded default and on
//! the AWS adapters against moto. A PDF uploaded over HTTP comes back by polling and as a signed
//! webhook to a loopback receiver; Ctrl-C stops the runner cleanly.

use labrador_devkit::MotoServer;
use labrador_devkit::client::Client;
use labrador_devkit::receiver::Receiver;
use labrador_devkit::sample_pdf;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const API_KEY: &str = "lab_serve_binary_test_key";

struct Runner {
    child: Child,
    base: String,
}

impl Runner {
    fn start(data_dir: &std::path::Path, extra: &[&str]) -> Runner {
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
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run the labrador binary");
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
        Runner { child, base }
    }

    /// Ctrl-C, then the exit status within `timeout`.
    fn interrupt(mut self, timeout: Duration) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill -INT");
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the runner did not stop within {timeout:?} of Ctrl-C");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

async fn upload_and_receive(runner: &Runner) {
    let receiver = Receiver::start(&[]).await;
    let client = Client::new(runner.base.clone(), API_KEY);
    let endpoint = client
        .put_json(
            "/v1/webhook-endpoint",
            &serde_json::json!({"url": receiver.url()}),
        )
        .await;
    assert!(endpoint.status == 200 || endpoint.status == 201);

    let accepted = client
        .upload_pdf("cbc.pdf", &sample_pdf(), &[("reference_id", "p-42")])
        .await;
    assert_eq!(accepted.status, 202, "{:?}", accepted.body);
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_on_the_embedded_default() {
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::start(dir.path(), &[]);
    upload_and_receive(&runner).await;
    assert!(runner.interrupt(Duration::from_secs(20)).success());
    assert!(dir.path().join("labrador.sqlite3").exists());
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
