//! The local runner: the embedded adapters, the step services, the queue workers and the HTTP
//! API on one machine. Used by `labrador serve`, `labrador bench` and the end-to-end tests.

use crate::{Db, FsBlobStore, SqliteQueue, SqliteReportStore, WorkerConfig, run_worker};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use labrador_api::{Api, ApiConfig, Problem};
use labrador_domain::ports::{ApiKeyStore, JobQueue, QueueName, ReportStore, WebhookSender};
use labrador_domain::services::{Pipeline, ReportEngine, ServiceConfig, Services, StepWorker};
use labrador_http::{GuardPolicy, HttpWebhookSender};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct LocalOptions {
    pub data_dir: PathBuf,
    /// Local/dev mode: webhooks may go to loopback over http.
    pub allow_loopback_webhooks: bool,
    /// Workers per queue: extract, standardize, deliver.
    pub workers: [usize; 3],
    pub services: ServiceConfig,
    pub api: ApiConfig,
    pub worker: WorkerConfig,
}

impl LocalOptions {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        LocalOptions {
            data_dir: data_dir.into(),
            allow_loopback_webhooks: false,
            workers: [2, 2, 4],
            services: ServiceConfig::default(),
            api: ApiConfig::default(),
            worker: WorkerConfig::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    #[error("cannot open the database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("cannot build the webhook client: {0}")]
    Http(String),
    #[error("storage: {0}")]
    Store(#[from] labrador_domain::ports::StoreError),
}

/// The local pipeline. Workers run once [`LocalPipeline::start_workers`] is called.
pub struct LocalPipeline {
    pub services: Services,
    /// The three step workers over `services`.
    pub steps: Pipeline,
    pub api: Api,
    pub queue: SqliteQueue,
    pub store: Arc<SqliteReportStore>,
    options: LocalOptions,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl LocalPipeline {
    /// Opens (or creates) the data directory: `blobs/` and `labrador.sqlite3`.
    pub fn open(engine: Arc<dyn ReportEngine>, options: LocalOptions) -> Result<Self, RunnerError> {
        let db = Db::open(&options.data_dir.join("labrador.sqlite3"))?;
        Self::with_db(db, engine, options)
    }

    fn with_db(
        db: Db,
        engine: Arc<dyn ReportEngine>,
        mut options: LocalOptions,
    ) -> Result<Self, RunnerError> {
        let blobs = Arc::new(FsBlobStore::new(options.data_dir.join("blobs"))?);
        let store = Arc::new(SqliteReportStore::new(db.clone()));
        let queue = SqliteQueue::new(db);
        let policy = if options.allow_loopback_webhooks {
            GuardPolicy::LOCAL
        } else {
            GuardPolicy::PRODUCTION
        };
        options.api.webhook_guard = policy;
        let sender: Arc<dyn WebhookSender> =
            Arc::new(HttpWebhookSender::new(policy).map_err(|e| RunnerError::Http(e.to_string()))?);
        let services = Services::new(
            blobs,
            store.clone() as Arc<dyn ReportStore>,
            Arc::new(queue.clone()) as Arc<dyn JobQueue>,
        )
        .with_config(options.services.clone());
        let steps = Pipeline::new(services.clone(), engine, sender);
        let api = Api::new(services.clone(), options.api.clone());
        let (shutdown, _) = watch::channel(false);
        Ok(LocalPipeline {
            services,
            steps,
            api,
            queue,
            store,
            options,
            shutdown,
            tasks: Vec::new(),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.options.data_dir
    }

    /// Starts the queue workers as tokio tasks, and the recovery sweep
    /// ([`Services::recover_stalled`]) at once and then every quarter of `stall_after`.
    pub fn start_workers(&mut self) {
        self.tasks.push(tokio::spawn(run_recovery(
            self.services.clone(),
            self.shutdown.subscribe(),
        )));
        let workers: Vec<StepWorker> = self.steps.workers().into_iter().cloned().collect();
        for (worker, n) in workers.into_iter().zip(self.options.workers) {
            let q = worker.queue();
            for _ in 0..n {
                self.tasks.push(tokio::spawn(run_worker(
                    worker.clone(),
                    self.queue.clone(),
                    self.options.worker.clone(),
                    self.queue.waker(q),
                    self.shutdown.subscribe(),
                )));
            }
        }
    }

    /// Serves the API on `listener` until shutdown.
    pub fn start_http(&mut self, listener: TcpListener) {
        let api = Arc::new(self.api.clone());
        let max_body = self.options.api.max_body_bytes;
        self.tasks.push(tokio::spawn(serve_http(
            api,
            listener,
            max_body,
            self.shutdown.subscribe(),
        )));
    }

    /// Binds `addr` and serves; the bound address (for port 0).
    pub async fn bind_http(&mut self, addr: SocketAddr) -> Result<SocketAddr, RunnerError> {
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        self.start_http(listener);
        Ok(local)
    }

    /// Creates an API key for `tenant`; the key is shown once, stored hashed.
    pub async fn create_api_key(&self, tenant: &str) -> Result<String, RunnerError> {
        let key = labrador_api::generate_api_key();
        self.add_api_key(&key, tenant).await?;
        Ok(key)
    }

    pub async fn add_api_key(&self, key: &str, tenant: &str) -> Result<(), RunnerError> {
        self.store
            .put_api_key_hash(&labrador_api::hash_api_key(key), tenant)
            .await?;
        Ok(())
    }

    /// The worker of `queue` (tests run single jobs through it).
    pub fn worker(&self, queue: QueueName) -> &StepWorker {
        self.steps.worker(queue)
    }

    /// Stops workers and the server and waits for them.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
    }
}

/// Runs the recovery sweep ([`Services::recover_stalled`]) at once and then every quarter of
/// `stall_after`, until shutdown.
pub async fn run_recovery(services: Services, mut shutdown: watch::Receiver<bool>) {
    let every = (services.config.stall_after / 4).max(std::time::Duration::from_millis(100));
    loop {
        match services.recover_stalled().await {
            Ok(done) if done != Default::default() => tracing::info!(?done, "recovery sweep"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "recovery sweep failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Serves `api` over HTTP/1.1 on `listener` until `shutdown` turns true.
pub async fn serve_http(
    api: Arc<Api>,
    listener: TcpListener,
    max_body: usize,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => return,
        };
        let Ok((stream, _)) = accepted else { continue };
        let api = api.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let api = api.clone();
                async move { Ok::<_, Infallible>(serve_one(&api, req, max_body).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn serve_one(
    api: &Api,
    req: http::Request<Incoming>,
    max_body: usize,
) -> http::Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let response = match Limited::new(body, max_body).collect().await {
        Ok(collected) => {
            api.handle(http::Request::from_parts(parts, collected.to_bytes()))
                .await
        }
        Err(_) => Problem::new(
            413,
            "too_large",
            "Payload too large",
            "the request body is too large or was cut off",
        )
        .into_response(&path),
    };
    response.map(Full::new)
}
