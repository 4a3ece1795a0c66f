//! OCR of the development corpus images: the printed values of the truth must be among the
//! recognized words. Reads `../shared/corpus/dev/` (models from `infra/setup.sh`).

use labrador_engine::model::RejectionReason;
use labrador_engine::read::image::read_image;
use labrador_ocr::PaddleOcr;
use labrador_ocr::settings::ocr_from_vars;
use std::path::PathBuf;
use std::sync::OnceLock;

fn ocr() -> &'static PaddleOcr {
    static OCR: OnceLock<PaddleOcr> = OnceLock::new();
    OCR.get_or_init(|| {
        let config = ocr_from_vars(|name| std::env::var_os(name)).expect("OCR settings");
        PaddleOcr::load(&config).expect("OCR models missing: run infra/setup.sh")
    })
}

fn corpus() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../../../shared/corpus/dev")
}

/// `value` printed as a word of its own or glued to non-numeric neighbours ("15.5g%").
fn appears(words: &[String], value: &str) -> bool {
    let value = value.to_lowercase();
    if value.contains(' ') {
        // Several words: look in the text of the whole page.
        let text: String = words.join(" ").to_lowercase().replace([',', ' '], "");
        return text.contains(&value.replace([',', ' '], ""));
    }
    let numeric = |c: char| c.is_ascii_digit() || c == '.' || c == ',';
    words.iter().any(|w| {
        let w = w.to_lowercase();
        w.match_indices(&value).any(|(i, _)| {
            let before = w[..i].chars().next_back();
            let after = w[i + value.len()..].chars().next();
            !before.is_some_and(numeric) && !after.is_some_and(numeric)
        })
    })
}

/// Share of the truth's page-1 values found among the words of the OCR'd image.
fn value_recall(stem: &str, file: &str) -> f32 {
    let bytes = std::fs::read(corpus().join("files").join(file)).expect("corpus file");
    let truth: serde_json::Value = serde_json::from_slice(
        &std::fs::read(corpus().join("truth").join(format!("{stem}.json"))).expect("truth"),
    )
    .expect("truth json");
    let pages = read_image(&bytes, Some(ocr())).expect("image must be read");
    let words: Vec<String> = pages[0].words.iter().map(|w| w.text.clone()).collect();
    let values: Vec<&str> = truth["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["page"].as_u64().unwrap_or(1) == 1)
        .filter_map(|r| r["value_text"].as_str())
        .collect();
    assert!(!values.is_empty());
    let missing: Vec<&&str> = values.iter().filter(|v| !appears(&words, v)).collect();
    let recall = 1.0 - missing.len() as f32 / values.len() as f32;
    eprintln!(
        "{file}: {}/{} values found; missing {missing:?}",
        values.len() - missing.len(),
        values.len()
    );
    recall
}

#[test]
fn photo_of_a_cbc_report_yields_its_values() {
    let recall = value_recall("photo_mylab_cbc_sample", "photo_mylab_cbc_sample.jpg");
    assert!(recall >= 0.9, "recall {recall}");
}

#[test]
fn synthetic_phone_image_yields_its_values() {
    let recall = value_recall("synth_pathcare_image", "synth_pathcare_image.jpg");
    assert!(recall >= 0.9, "recall {recall}");
}

#[test]
fn a_blank_page_is_low_image_quality() {
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        800,
        1000,
        image::Rgb([255, 255, 255]),
    ))
    .write_to(&mut png, image::ImageFormat::Png)
    .unwrap();
    let r = read_image(png.get_ref(), Some(ocr())).unwrap_err();
    assert_eq!(r.reason, RejectionReason::LowImageQuality);
}
