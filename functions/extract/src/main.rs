//! Extract Lambda: SQS extract-queue → the files read (PDF text layer, OCR) into
//! extraction.json → standardize-queue. libpdfium and the OCR models come from the layer.

use labrador_aws::AwsAdapters;
use labrador_aws::lambda::{LambdaError, init_tracing, run_queue};
use labrador_domain::services::{QueueStep, ServiceConfig, StepWorker};
use labrador_engine::{Engine, EngineConfig};
use labrador_ocr::settings::EngineSettings;
use std::sync::Arc;

/// pdfium and the OCR models as `labrador_ocr::settings` finds them (the template sets
/// `LABRADOR_PDFIUM_LIB=/opt/lib/libpdfium.so` and `LABRADOR_OCR_MODELS=/opt/models`, the
/// layer's). A missing piece stops the cold start: a deployment without OCR would silently
/// reject every scanned report. The models load on the first page that needs them, so cold
/// starts that read text-layer PDFs stay short.
fn build_engine() -> Result<Engine, LambdaError> {
    let settings = EngineSettings::from_vars(|name| std::env::var_os(name))?;
    let ocr = labrador_ocr::LazyOcr::new(settings.ocr)?;
    Ok(Engine::new(
        EngineConfig::new(settings.pdfium_lib)
            .with_ocr(Arc::new(ocr))
            .with_limits(settings.limits),
    )?)
}

#[tokio::main]
async fn main() -> Result<(), LambdaError> {
    init_tracing();
    let aws = AwsAdapters::from_env().await?;
    let engine = build_engine()?;
    let services = aws.services().with_config(ServiceConfig::from_env()?);
    let worker = StepWorker::new(services, QueueStep::Extract(Arc::new(engine)));
    run_queue(worker, aws.queue.clone()).await
}
