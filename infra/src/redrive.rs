//! `labrador redrive`: deals with the messages of the dead-letter queues by what each report
//! needs now (reprocess, redeliver, requeue or drop), on the embedded store or on AWS.

use anyhow::Context;
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
    #[command(flatten)]
    pub target: crate::aws_target::AwsTarget,
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
        match args.target.adapters().await? {
            Some(aws) => (aws.services(), Arc::new(aws.queue.clone())),
            None => {
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
            }
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
