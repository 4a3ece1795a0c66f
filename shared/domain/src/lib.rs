//! The pipeline's domain: report records and their status machine, jobs, webhook endpoints,
//! the ports (traits) every adapter implements, and the step services written against them.

pub mod ports;
pub mod record;
pub mod services;
pub mod status;
pub mod webhook;
pub mod webhook_format;
pub mod webhook_url;

pub use labrador_engine as engine;
