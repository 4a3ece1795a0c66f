//! The webhook sender: an SSRF-guarded HTTPS client that never follows redirects.
