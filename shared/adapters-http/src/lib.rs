//! The webhook sender: an SSRF-guarded HTTPS client that never follows redirects. The guard's
//! policy lives in the domain (`labrador_domain::webhook_url`) and is re-exported here.

mod sender;

pub use labrador_domain::webhook_url::{GuardPolicy, UrlRejected, check_url, is_forbidden_ip};
pub use sender::{BuildError, HttpWebhookSender};
