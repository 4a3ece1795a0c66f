//! Bad image files are rejected with a reason, never a panic or an unbounded allocation.

use image::{DynamicImage, ImageFormat, RgbImage};
use labrador_engine::model::{RejectionReason, Word};
use labrador_engine::read::image::read_image;
use labrador_engine::read::{OcrError, PageOcr};
use std::io::Cursor;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Reads a fixed line of text from any page, and counts how often it was asked.
struct FixedOcr {
    words: Vec<Word>,
    calls: AtomicUsize,
}

impl FixedOcr {
    fn new(words: Vec<Word>) -> Self {
        FixedOcr {
            words,
            calls: AtomicUsize::new(0),
        }
    }
}

impl PageOcr for FixedOcr {
    fn recognize(&self, _rgb: &[u8], _w: u32, _h: u32) -> Result<Vec<Word>, OcrError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(self.words.clone())
    }
}

fn word(text: &str, x: f32, y: f32, confidence: f32) -> Word {
    Word {
        text: text.into(),
        bbox: [x, y, x + 10.0 * text.len() as f32, y + 20.0],
        font_size: 20.0,
        bold: false,
        confidence,
    }
}

fn readable_words() -> Vec<Word> {
    [
        "Haemoglobin",
        "15.5",
        "g/dL",
        "13.0-17.0",
        "Platelets",
        "250",
        "10^3/uL",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| word(t, 20.0, 30.0 * i as f32 + 10.0, 0.97))
    .collect()
}

fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn white_page(format: ImageFormat) -> Vec<u8> {
    encode(
        DynamicImage::ImageRgb8(RgbImage::from_pixel(600, 800, image::Rgb([255, 255, 255]))),
        format,
    )
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG whose header claims `w`x`h` pixels, followed by a small compressed body.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        png.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        png.extend(&body);
        png.extend(crc32(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]); // 8-bit greyscale
    chunk(b"IHDR", &ihdr);
    // zlib stream of a few zero bytes (stored block).
    chunk(
        b"IDAT",
        &[
            0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0,
        ],
    );
    chunk(b"IEND", &[]);
    png
}

fn reason(bytes: &[u8], ocr: &dyn PageOcr) -> RejectionReason {
    read_image(bytes, Some(ocr))
        .expect_err("must be rejected")
        .reason
}

#[test]
fn pixel_bombs_are_refused_before_decoding() {
    let ocr = FixedOcr::new(readable_words());
    assert_eq!(
        reason(&png_claiming(100_000, 100_000), &ocr),
        RejectionReason::TooLarge
    );
    assert_eq!(
        reason(&png_claiming(12_000, 12_000), &ocr),
        RejectionReason::TooLarge
    );
    assert_eq!(
        reason(&png_claiming(u32::MAX >> 1, 1), &ocr),
        RejectionReason::TooLarge
    );
    assert_eq!(ocr.calls.load(Ordering::SeqCst), 0);
}

#[test]
fn zero_sized_and_tiny_images_are_rejected() {
    let ocr = FixedOcr::new(readable_words());
    let zero = reason(&png_claiming(0, 0), &ocr);
    assert!(
        matches!(
            zero,
            RejectionReason::Unreadable | RejectionReason::LowImageQuality
        ),
        "{zero:?}"
    );
    let tiny = encode(
        DynamicImage::ImageRgb8(RgbImage::from_pixel(10, 10, image::Rgb([0, 0, 0]))),
        ImageFormat::Png,
    );
    assert_eq!(reason(&tiny, &ocr), RejectionReason::LowImageQuality);
}

#[test]
fn truncated_and_garbage_files_are_rejected() {
    let ocr = FixedOcr::new(Vec::new());
    let jpeg = white_page(ImageFormat::Jpeg);
    for cut in [4, 20, jpeg.len() / 2] {
        let r = reason(&jpeg[..cut], &ocr);
        assert!(
            matches!(
                r,
                RejectionReason::Unreadable | RejectionReason::LowImageQuality
            ),
            "cut at {cut}: {r:?}"
        );
    }
    let png = white_page(ImageFormat::Png);
    assert_eq!(
        reason(&png[..png.len() / 2], &ocr),
        RejectionReason::Unreadable
    );
    // Random bytes named .jpg: sniffing finds no image.
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    assert_eq!(reason(&noise, &ocr), RejectionReason::UnsupportedFileType);
    // JPEG magic followed by noise.
    let mut fake = vec![0xFF, 0xD8, 0xFF];
    fake.extend(&noise);
    assert_eq!(reason(&fake, &ocr), RejectionReason::Unreadable);
    assert_eq!(reason(&[], &ocr), RejectionReason::UnsupportedFileType);
}

#[test]
fn a_page_without_confident_text_is_low_image_quality() {
    let blank = FixedOcr::new(Vec::new());
    assert_eq!(
        reason(&white_page(ImageFormat::Png), &blank),
        RejectionReason::LowImageQuality
    );
    let smudges = FixedOcr::new(vec![word("x1", 5.0, 5.0, 0.3), word("ab", 50.0, 5.0, 0.9)]);
    assert_eq!(
        reason(&white_page(ImageFormat::Jpeg), &smudges),
        RejectionReason::LowImageQuality
    );
}

#[test]
fn images_need_an_ocr() {
    let r = read_image(&white_page(ImageFormat::Png), None).unwrap_err();
    assert_eq!(r.reason, RejectionReason::Unreadable);
}

#[test]
fn a_readable_image_gives_one_ocr_page_in_image_pixels() {
    let ocr = FixedOcr::new(readable_words());
    let pages = read_image(&white_page(ImageFormat::Png), Some(&ocr)).unwrap();
    assert_eq!(pages.len(), 1);
    let page = &pages[0];
    assert_eq!((page.number, page.width, page.height), (1, 600.0, 800.0));
    assert_eq!(page.source, labrador_engine::model::TextSource::Ocr);
    assert_eq!(page.words, readable_words());
}

#[test]
fn large_images_are_downscaled_and_boxes_scaled_back() {
    let ocr = FixedOcr::new(readable_words());
    let big = encode(
        DynamicImage::ImageLuma8(image::GrayImage::from_pixel(1200, 4800, image::Luma([255]))),
        ImageFormat::Png,
    );
    let page = read_image(&big, Some(&ocr)).unwrap().remove(0);
    assert_eq!((page.width, page.height), (1200.0, 4800.0));
    // The OCR saw a 600x2400 image; its boxes are doubled back to the file's pixels.
    assert_eq!(page.words[0].bbox, [40.0, 20.0, 260.0, 60.0]);
    assert_eq!(page.words[0].font_size, 40.0);
}
