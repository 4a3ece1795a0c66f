//! Embedded adapters: filesystem blobs, SQLite records and a durable SQLite job queue.

mod blob;
mod db;
mod queue;
mod store;

pub use blob::FsBlobStore;
pub use db::Db;
pub use queue::{QueueStats, ReceivedJob, SqliteQueue};
pub use store::SqliteReportStore;
