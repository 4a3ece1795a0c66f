//! Configuration of the AWS adapters, read from the environment the SAM template sets.

use labrador_domain::ports::QueueName;

#[derive(Debug, thiserror::Error)]
#[error("missing environment variable {0}")]
pub struct ConfigError(pub &'static str);

/// Names and URLs of the stack's resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsConfig {
    pub bucket: String,
    pub table: String,
    pub extract_queue_url: String,
    pub standardize_queue_url: String,
    pub deliver_queue_url: String,
    /// The work queues' dead-letter queues, where the deployment names them; otherwise they are
    /// looked up through each queue's redrive policy when first needed.
    pub dead_letter_queue_urls: [Option<String>; 3],
    /// An emulator (moto, LocalStack) instead of AWS; S3 then uses path-style addressing.
    pub endpoint_url: Option<String>,
    /// Region override; otherwise the SDK's default chain (`AWS_REGION`), else `us-east-1`
    /// when an endpoint is set.
    pub region: Option<String>,
}

impl AwsConfig {
    /// `LABRADOR_BUCKET`, `LABRADOR_TABLE`, `LABRADOR_{EXTRACT,STANDARDIZE,DELIVER}_QUEUE_URL`,
    /// optional `LABRADOR_{EXTRACT,STANDARDIZE,DELIVER}_DEAD_LETTER_QUEUE_URL`,
    /// optional `LABRADOR_AWS_ENDPOINT_URL` or `AWS_ENDPOINT_URL` (an empty value means AWS itself;
    /// the template declares the first so `sam local invoke --env-vars` can point it at moto).
    pub fn from_env() -> Result<AwsConfig, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<AwsConfig, ConfigError> {
        let need = |name: &'static str| {
            get(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or(ConfigError(name))
        };
        Ok(AwsConfig {
            bucket: need("LABRADOR_BUCKET")?,
            table: need("LABRADOR_TABLE")?,
            extract_queue_url: need("LABRADOR_EXTRACT_QUEUE_URL")?,
            standardize_queue_url: need("LABRADOR_STANDARDIZE_QUEUE_URL")?,
            deliver_queue_url: need("LABRADOR_DELIVER_QUEUE_URL")?,
            dead_letter_queue_urls: [
                "LABRADOR_EXTRACT_DEAD_LETTER_QUEUE_URL",
                "LABRADOR_STANDARDIZE_DEAD_LETTER_QUEUE_URL",
                "LABRADOR_DELIVER_DEAD_LETTER_QUEUE_URL",
            ]
            .map(|name| get(name).filter(|v| !v.trim().is_empty())),
            endpoint_url: ["LABRADOR_AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL"]
                .into_iter()
                .find_map(|name| get(name).filter(|v| !v.trim().is_empty())),
            region: None,
        })
    }

    /// Resource names for an emulator at `endpoint_url`, all prefixed with `prefix`. The queue
    /// URLs are placeholders until [`crate::AwsAdapters::provision`] creates the queues.
    pub fn emulator(endpoint_url: &str, prefix: &str) -> AwsConfig {
        let base = endpoint_url.trim_end_matches('/');
        let queue = |name: &str| format!("{base}/000000000000/{prefix}-{name}");
        AwsConfig {
            bucket: format!("{prefix}-files"),
            table: format!("{prefix}-reports"),
            extract_queue_url: queue("extract"),
            standardize_queue_url: queue("standardize"),
            deliver_queue_url: queue("deliver"),
            dead_letter_queue_urls: Default::default(),
            endpoint_url: Some(base.to_string()),
            region: Some("us-east-1".into()),
        }
    }

    pub fn queue_url(&self, queue: QueueName) -> &str {
        match queue {
            QueueName::Extract => &self.extract_queue_url,
            QueueName::Standardize => &self.standardize_queue_url,
            QueueName::Deliver => &self.deliver_queue_url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn from_lookup_requires_every_resource() {
        let mut vars: HashMap<&str, &str> = [
            ("LABRADOR_BUCKET", "b"),
            ("LABRADOR_TABLE", "t"),
            ("LABRADOR_EXTRACT_QUEUE_URL", "https://sqs/e"),
            ("LABRADOR_STANDARDIZE_QUEUE_URL", "https://sqs/s"),
            ("LABRADOR_DELIVER_QUEUE_URL", "https://sqs/d"),
        ]
        .into();
        let config = AwsConfig::from_lookup(|k| vars.get(k).map(|v| v.to_string())).unwrap();
        assert_eq!(config.queue_url(QueueName::Standardize), "https://sqs/s");
        assert_eq!(config.endpoint_url, None);
        vars.remove("LABRADOR_TABLE");
        let err = AwsConfig::from_lookup(|k| vars.get(k).map(|v| v.to_string())).unwrap_err();
        assert_eq!(err.0, "LABRADOR_TABLE");
    }

    #[test]
    fn emulator_names_share_the_prefix() {
        let config = AwsConfig::emulator("http://127.0.0.1:5000/", "t1");
        assert_eq!(config.bucket, "t1-files");
        assert_eq!(
            config.queue_url(QueueName::Deliver),
            "http://127.0.0.1:5000/000000000000/t1-deliver"
        );
    }
}
