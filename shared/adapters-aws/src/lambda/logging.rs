//! JSON logs to stdout for CloudWatch. Callers log ids and codes only, never report contents.

/// Installs the JSON subscriber once. The level is the runtime's order: `AWS_LAMBDA_LOG_LEVEL`
/// (the function's logging configuration), else `RUST_LOG`, else `info`.
pub fn init_tracing() {
    let filter = log_filter(|name| std::env::var(name).ok());
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_target(false)
        .with_current_span(false)
        .with_ansi(false)
        .try_init();
}

/// The filter directive from the variables looked up by `var`. Lambda's `FATAL` has no
/// tracing level of its own: it becomes `error`.
fn log_filter(var: impl Fn(&str) -> Option<String>) -> String {
    let level = ["AWS_LAMBDA_LOG_LEVEL", "RUST_LOG"]
        .iter()
        .find_map(|name| var(name).filter(|v| !v.trim().is_empty()))
        .map(|level| level.trim().to_ascii_lowercase())
        .unwrap_or_else(|| "info".into());
    if level == "fatal" {
        "error".into()
    } else {
        level
    }
}

#[cfg(test)]
mod tests {
    use super::log_filter;

    fn with(vars: &[(&str, &str)]) -> String {
        log_filter(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn the_lambda_log_level_comes_before_rust_log() {
        assert_eq!(
            with(&[("AWS_LAMBDA_LOG_LEVEL", "DEBUG"), ("RUST_LOG", "warn")]),
            "debug"
        );
        assert_eq!(with(&[("RUST_LOG", "warn")]), "warn");
        assert_eq!(
            with(&[("AWS_LAMBDA_LOG_LEVEL", ""), ("RUST_LOG", "warn")]),
            "warn"
        );
        assert_eq!(with(&[("AWS_LAMBDA_LOG_LEVEL", "FATAL")]), "error");
        assert_eq!(with(&[]), "info");
    }
}
