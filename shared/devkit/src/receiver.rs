//! A webhook receiver on 127.0.0.1 that records every request and answers with scripted
//! status codes (200 once the script is used up).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct ReceivedRequest {
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub at: Instant,
}

impl ReceivedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("webhook body is JSON")
    }
}

#[derive(Clone, Default)]
struct State {
    requests: Arc<Mutex<Vec<ReceivedRequest>>>,
    script: Arc<Mutex<VecDeque<u16>>>,
}

pub struct Receiver {
    pub addr: SocketAddr,
    state: State,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Starts a receiver; `script` holds the status codes of the first answers.
    pub async fn start(script: &[u16]) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = State::default();
        state.script.lock().unwrap().extend(script.iter().copied());
        let s = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let s = s.clone();
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(
                        move |req: http::Request<hyper::body::Incoming>| {
                            let s = s.clone();
                            async move {
                                let (parts, body) = req.into_parts();
                                let body = body
                                    .collect()
                                    .await
                                    .map(|c| c.to_bytes())
                                    .unwrap_or_default();
                                let headers = parts
                                    .headers
                                    .iter()
                                    .map(|(k, v)| {
                                        (k.to_string(), v.to_str().unwrap_or("").to_string())
                                    })
                                    .collect();
                                s.requests.lock().unwrap().push(ReceivedRequest {
                                    headers,
                                    body,
                                    at: Instant::now(),
                                });
                                let status = s.script.lock().unwrap().pop_front().unwrap_or(200);
                                Ok::<_, Infallible>(
                                    http::Response::builder()
                                        .status(status)
                                        .body(Full::new(Bytes::from_static(b"ok")))
                                        .unwrap(),
                                )
                            }
                        },
                    );
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        Receiver { addr, state, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}/webhooks/labrador", self.addr)
    }

    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.state.requests.lock().unwrap().clone()
    }

    /// Waits until at least `n` requests arrived; all requests so far.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedRequest> {
        let deadline = Instant::now() + timeout;
        loop {
            let r = self.requests();
            if r.len() >= n || Instant::now() >= deadline {
                return r;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}
