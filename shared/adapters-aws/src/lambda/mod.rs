//! Glue the six Lambda functions share, kept here so each `main.rs` stays a few lines and the
//! handlers are testable without the Lambda runtime.

pub mod http;
pub mod logging;
pub mod poll;
pub mod schedule;
pub mod sqs;
pub mod worker;

pub use self::http::{handle_http, run_http};
pub use logging::init_tracing;
pub use poll::{poll_once, poll_until};
pub use schedule::{run_recovery, sweep_once};
pub use sqs::{
    BatchLimits, DEADLINE_RESERVE, DELIVER_CONCURRENCY, Disposition, invocation_deadline, run_sqs,
    run_sqs_with, sqs_batch, sqs_batch_until,
};
pub use worker::{run_job, run_queue};

/// The error type the Lambda runtimes return from `main`.
pub type LambdaError = lambda_runtime::Error;

/// The event crates, re-exported so tests and tools use the very versions the handlers take.
pub use aws_lambda_events;
pub use lambda_http;
