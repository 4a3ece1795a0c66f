//! `labrador redrive`: deals with the messages of the dead-letter queues by what each report
//! needs now (reprocess, redeliver, requeue or drop), on the embedded store or on AWS.

use anyhow::Context;
use labrador_aws::{AwsAdapters, AwsConfig};
use labrador_domain::ports::{DeadLetterQueue, JobQueue, QueueName, ReportStore};
use labrador_domain::services::Services;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct RedriveArgs {
    /// The queue whose dead letters to redrive; all three when left out.
    #[arg(long, value_enum)]
    pub queue: Option<QueueArg>,
    /// The embedded store of `labrador serve`.
    #[arg(long, default_value = ".local/data")]
    pub data_dir: PathBuf,
    /// The stack on an emulator (as `labrador serve --aws-endpoint`).
    #[arg(long, value_name = "URL", conflicts_with = "aws")]
    pub aws_endpoint: Option<String>,
    #[arg(long, default_value = "labrador")]
    pub aws_prefix: String,
    /// The deployed stack on AWS, named by `LABRADOR_BUCKET`, `LABRADOR_TABLE` and
    /// `LABRADOR_{EXTRACT,STANDARDIZE,DELIVER}_QUEUE_URL` (the stack's outputs).
    #[arg(long)]
    pub aws: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum QueueArg {
    Extract,
    Standardize,
    Deliver,
}

impl From<QueueArg> for QueueName {
    fn from(q: QueueArg) -> QueueName {
        match q {
            QueueArg::Extract => QueueName::Extract,
            QueueArg::Standardize => QueueName::Standardize,
            QueueArg::Deliver => QueueName::Deliver,
        }
    }
}

pub fn run(args: RedriveArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(redrive(args))
}

async fn redrive(args: RedriveArgs) -> anyhow::Result<()> {
    let (services, dead): (Services, Arc<dyn DeadLetterQueue>) =
        if args.aws || args.aws_endpoint.is_some() {
            let aws = match &args.aws_endpoint {
                Some(endpoint) => {
                    let mut aws =
                        AwsAdapters::new(AwsConfig::emulator(endpoint, &args.aws_prefix)).await;
                    aws.provision()
                        .await
                        .with_context(|| format!("cannot reach the stack at {endpoint}"))?;
                    aws
                }
                None => AwsAdapters::from_env()
                    .await
                    .context("--aws needs the stack's names in the environment")?,
            };
            (aws.services(), Arc::new(aws.queue.clone()))
        } else {
            let file = args.data_dir.join("labrador.sqlite3");
            if !file.exists() {
                anyhow::bail!("no embedded store at {} (see --data-dir)", file.display());
            }
            let db = labrador_local::Db::open(&file)
                .with_context(|| format!("cannot open {}", args.data_dir.display()))?;
            let queue = labrador_local::SqliteQueue::new(db.clone());
            let services = Services::new(
                Arc::new(labrador_local::FsBlobStore::new(
                    args.data_dir.join("blobs"),
                )?),
                Arc::new(labrador_local::SqliteReportStore::new(db)) as Arc<dyn ReportStore>,
                Arc::new(queue.clone()) as Arc<dyn JobQueue>,
            );
            (services, Arc::new(queue))
        };
    let queues = match args.queue {
        Some(q) => vec![q.into()],
        None => vec![
            QueueName::Extract,
            QueueName::Standardize,
            QueueName::Deliver,
        ],
    };
    for queue in queues {
        let s = services
            .redrive_dead_letters(dead.as_ref(), queue)
            .await
            .with_context(|| format!("redrive of the {queue:?} dead letters stopped"))?;
        println!(
            "{queue:?}: reprocessed {}, redelivered {}, requeued {}, dropped {}, left {}",
            s.reprocessed, s.redelivered, s.requeued, s.dropped, s.left
        );
    }
    Ok(())
}
