//! Extract Lambda: SQS extract-queue → the files read (PDF text layer, OCR) into
//! extraction.json → standardize-queue. libpdfium and the OCR models come from the layer.

use labrador_aws::AwsAdapters;
use labrador_aws::lambda::{LambdaError, init_tracing, run_queue};
use labrador_domain::ports::QueueName;
use labrador_domain::services::ServiceConfig;
use labrador_engine::{Engine, EngineConfig};
use std::path::PathBuf;
use std::sync::Arc;

/// pdfium from `LABRADOR_PDFIUM_LIB` (the template: /opt/lib/libpdfium.so); OCR models from
/// `LABRADOR_OCR_MODELS` (/opt/models). A missing piece stops the cold start: a deployment
/// without OCR would silently reject every scanned report. The models load on the first page
/// that needs them, so cold starts that read text-layer PDFs stay short.
fn build_engine() -> Result<Engine, LambdaError> {
    let pdfium_lib = std::env::var_os("LABRADOR_PDFIUM_LIB")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/lib/libpdfium.so"));
    let models = labrador_ocr::default_models_dir();
    let ocr = labrador_ocr::LazyOcr::new(&models)?;
    Ok(Engine::new(EngineConfig {
        pdfium_lib: Some(pdfium_lib),
        ocr: Some(Arc::new(ocr)),
    })?)
}

#[tokio::main]
async fn main() -> Result<(), LambdaError> {
    init_tracing();
    let aws = AwsAdapters::from_env().await?;
    let engine = build_engine()?;
    let services = aws
        .services()
        .with_config(ServiceConfig::from_env()?)
        .with_engine(Arc::new(engine));
    run_queue(services, aws.queue.clone(), QueueName::Extract).await
}
