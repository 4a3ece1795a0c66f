//! The webhook sender: an SSRF-guarded HTTPS client that never follows redirects.

mod guard;
mod sender;

pub use guard::{GuardPolicy, UrlRejected, check_url, is_forbidden_ip};
pub use sender::HttpWebhookSender;
