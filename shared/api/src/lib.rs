//! The HTTP API of DESIGN.md §3 as one handler over http::Request, served by lambda_http and by the local runner.
