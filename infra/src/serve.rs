//! `labrador serve`: the HTTP API on 127.0.0.1 and the three queue workers in-process, on the
//! embedded adapters (filesystem + SQLite) by default.

use anyhow::Context;
use labrador_domain::services::ServiceConfig;
use labrador_local::{LocalOptions, LocalPipeline};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Where blobs and the SQLite database live.
    #[arg(long, default_value = ".local/data")]
    pub data_dir: PathBuf,
    /// Run on the AWS adapters against this endpoint (moto, LocalStack) instead of the embedded
    /// ones; the bucket, table and queues are created when missing.
    #[arg(long, value_name = "URL")]
    pub aws_endpoint: Option<String>,
    /// Prefix of the resource names on the AWS endpoint.
    #[arg(long, default_value = "labrador")]
    pub aws_prefix: String,
    /// Allow webhooks to loopback addresses over http (local development only).
    #[arg(long)]
    pub allow_loopback_webhooks: bool,
    /// Tenant of the development API key created on first start.
    #[arg(long, default_value = "dev")]
    pub tenant: String,
    /// Receives after which a failing job is given up and dead-lettered (else
    /// `LABRADOR_MAX_RECEIVES`, else 5), as the queues' `maxReceiveCount` on AWS.
    #[arg(long, value_name = "N")]
    pub max_receives: Option<u32>,
    /// Delays before each further webhook attempt, e.g. `1s,2s,4s` (else
    /// `LABRADOR_WEBHOOK_RETRY_SCHEDULE`, else `5s,30s,2m,10m,30m,2h,5h,10h`).
    #[arg(long, value_name = "DELAYS")]
    pub webhook_retry_schedule: Option<String>,
}

impl ServeArgs {
    /// The services' settings: these flags first, then the environment the Lambdas read.
    pub fn service_config(&self) -> anyhow::Result<ServiceConfig> {
        let flags = [
            (
                "LABRADOR_MAX_RECEIVES",
                self.max_receives.map(|n| n.to_string()),
            ),
            (
                "LABRADOR_WEBHOOK_RETRY_SCHEDULE",
                self.webhook_retry_schedule.clone(),
            ),
        ];
        let config = ServiceConfig::from_lookup(|name| {
            flags
                .iter()
                .find(|(flag, _)| *flag == name)
                .and_then(|(_, value)| value.clone())
                .or_else(|| std::env::var(name).ok())
        })?;
        Ok(config)
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (a service manager, `docker stop`): either one drains
/// the workers before the process ends.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                tokio::signal::ctrl_c().await.ok();
            }
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await.ok();
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    if !labrador_api::valid_tenant(&args.tenant) {
        anyhow::bail!("--tenant must be 1-64 letters, digits, '-' or '_'");
    }
    let prefix_ok = (3..=40).contains(&args.aws_prefix.len())
        && args
            .aws_prefix
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !args.aws_prefix.starts_with('-');
    if !prefix_ok {
        anyhow::bail!(
            "--aws-prefix must be 3-40 lowercase letters, digits or '-' (it names an S3 bucket)"
        );
    }
    // JSON logs as the Lambdas write them (ids and codes, never report contents): give-ups,
    // dead letters and retries show.
    labrador_aws::lambda::init_tracing();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(args))
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    if let Some(endpoint) = args.aws_endpoint.clone() {
        return crate::serve_aws::serve(args, &endpoint).await;
    }
    let engine = Arc::new(build_engine()?);
    let mut options = LocalOptions::new(&args.data_dir);
    options.allow_loopback_webhooks = args.allow_loopback_webhooks;
    options.services = args.service_config()?;
    let mut pipeline = LocalPipeline::open(engine, options)
        .with_context(|| format!("cannot open the data directory {}", args.data_dir.display()))?;
    let key = dev_api_key(&args.data_dir)?;
    pipeline.add_api_key(&key, &args.tenant).await?;

    pipeline.start_workers();
    let addr = pipeline.bind_http(args.addr).await?;
    eprintln!(
        "labrador: serving http://{addr} (data in {})",
        args.data_dir.display()
    );
    announce_key(&args, &key);
    shutdown_signal().await;
    eprintln!("labrador: shutting down");
    pipeline.shutdown().await;
    Ok(())
}

/// The development key: `LABRADOR_API_KEY` when set, else one created on first start and kept in
/// the data directory (readable by this user only).
pub(crate) fn dev_api_key(data_dir: &std::path::Path) -> anyhow::Result<String> {
    if let Ok(k) = std::env::var("LABRADOR_API_KEY")
        && !k.trim().is_empty()
    {
        return Ok(k.trim().to_string());
    }
    let key_file = data_dir.join("dev-api-key");
    match std::fs::read_to_string(&key_file) {
        Ok(k) if !k.trim().is_empty() => Ok(k.trim().to_string()),
        _ => {
            let k = labrador_api::generate_api_key();
            write_private(&key_file, &k)?;
            Ok(k)
        }
    }
}

/// Tells the developer where the key is (and the key itself when it was generated here).
pub(crate) fn announce_key(args: &ServeArgs, key: &str) {
    if std::env::var("LABRADOR_API_KEY").is_ok_and(|k| !k.trim().is_empty()) {
        eprintln!(
            "labrador: API key for tenant {:?} from LABRADOR_API_KEY",
            args.tenant
        );
        return;
    }
    eprintln!(
        "labrador: API key for tenant {:?} is in {}",
        args.tenant,
        args.data_dir.join("dev-api-key").display()
    );
    eprintln!("labrador: x-api-key: {key}");
}

fn write_private(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    writeln!(f, "{text}")?;
    Ok(())
}

/// The engine for the runner: pdfium, and OCR when the models of infra/setup.sh are there.
pub(crate) fn build_engine() -> anyhow::Result<labrador_engine::Engine> {
    crate::engine_setup::build_engine()
}

#[derive(clap::Args)]
pub struct ApiKeyArgs {
    #[command(subcommand)]
    pub action: ApiKeyAction,
}

#[derive(clap::Subcommand)]
pub enum ApiKeyAction {
    /// Create an API key for a tenant; the key is printed once and stored hashed (in the local
    /// data directory, or in the stack's table with `--aws-endpoint`/`--aws`).
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long, default_value = ".local/data")]
        data_dir: PathBuf,
        #[command(flatten)]
        target: crate::aws_target::AwsTarget,
    },
}

pub fn api_key(args: ApiKeyArgs) -> anyhow::Result<()> {
    let ApiKeyAction::Create {
        tenant,
        data_dir,
        target,
    } = args.action;
    if !labrador_api::valid_tenant(&tenant) {
        anyhow::bail!("--tenant must be 1-64 letters, digits, '-' or '_'");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        use labrador_domain::ports::ApiKeyStore;
        let key = labrador_api::generate_api_key();
        let hash = labrador_api::hash_api_key(&key);
        match target.adapters().await? {
            Some(aws) => aws.store.put_api_key_hash(&hash, &tenant).await?,
            None => {
                let db = labrador_local::Db::open(&data_dir.join("labrador.sqlite3"))?;
                labrador_local::SqliteReportStore::new(db)
                    .put_api_key_hash(&hash, &tenant)
                    .await?
            }
        }
        println!("{key}");
        Ok(())
    })
}
