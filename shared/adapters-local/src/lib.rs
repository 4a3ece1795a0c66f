//! Embedded adapters: filesystem blobs, SQLite records and a durable SQLite job queue; the
//! in-process workers and the local runner built on them.

mod blob;
mod db;
mod queue;
mod runner;
mod store;
mod worker;

pub use blob::FsBlobStore;
pub use db::Db;
pub use queue::{QueueStats, ReceivedJob, SqliteQueue};
pub use runner::{LocalOptions, LocalPipeline, RunnerError, run_recovery, serve_http};
pub use store::SqliteReportStore;
pub use worker::{WorkerConfig, run_worker};
