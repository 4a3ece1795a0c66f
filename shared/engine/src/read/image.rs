//! PNG and JPEG pages: decode safely (limits, EXIF orientation), then OCR.

use crate::model::{FileKind, Page, Rejection, RejectionReason};
use crate::read::PageOcr;
use crate::read::ocr_page::recognize_page;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Larger images are refused before decoding (a 12000×12000 photo is 144 Mpx; phones take ≤ 50).
pub const MAX_PIXELS: u64 = 60_000_000;
/// Strict per-side limit, also against headers that claim absurd sizes.
pub const MAX_SIDE: u32 = 20_000;
/// Decoder allocation budget (RGBA of `MAX_PIXELS` fits).
const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// Images are brought down to this longest side before OCR: about an A4 page at 200 dpi,
/// plenty for print and far cheaper than a 48 Mpx photo.
pub const OCR_MAX_SIDE: u32 = 2400;
/// Smaller images cannot hold a readable report page.
const MIN_SIDE: u32 = 64;

/// Reads an image file into one page of words, in the image's pixels (after EXIF orientation).
pub fn read_image(bytes: &[u8], ocr: Option<&dyn PageOcr>) -> Result<Vec<Page>, Rejection> {
    let image = decode(bytes)?;
    let ocr = ocr.ok_or_else(|| {
        Rejection::new(
            RejectionReason::Unreadable,
            "image files need OCR, which is not available",
        )
    })?;
    let (orig_w, orig_h) = (image.width(), image.height());
    let image = downscale(image, OCR_MAX_SIDE);
    let rgb = image.to_rgb8();
    let (w, h) = rgb.dimensions();
    drop(image);
    let points_per_pixel = orig_w.max(orig_h) as f32 / w.max(h) as f32;
    let page = recognize_page(ocr, rgb.as_raw(), w, h, 1, points_per_pixel)?;
    Ok(vec![page])
}

/// Decodes PNG or JPEG within memory limits and turns the image upright per its EXIF orientation.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, Rejection> {
    let format = match FileKind::sniff(bytes) {
        Some(FileKind::Png) => ImageFormat::Png,
        Some(FileKind::Jpeg) => ImageFormat::Jpeg,
        _ => {
            return Err(Rejection::new(
                RejectionReason::UnsupportedFileType,
                "not a PNG or JPEG image",
            ));
        }
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(Rejection::new(RejectionReason::Unreadable, "empty image"));
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(too_large(w, h));
    }
    if w.min(h) < MIN_SIDE {
        return Err(Rejection::new(
            RejectionReason::LowImageQuality,
            format!("image of {w}x{h} pixels is too small to read"),
        ));
    }
    // A broken EXIF block must not make a readable image unreadable.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn too_large(w: u32, h: u32) -> Rejection {
    Rejection::new(
        RejectionReason::TooLarge,
        format!("image of {w}x{h} pixels exceeds the {MAX_PIXELS} pixel limit"),
    )
}

fn decode_error(e: image::ImageError) -> Rejection {
    match e {
        image::ImageError::Limits(_) => Rejection::new(
            RejectionReason::TooLarge,
            format!("image exceeds the decoding limits: {e}"),
        ),
        e => Rejection::new(
            RejectionReason::Unreadable,
            format!("cannot decode image: {e}"),
        ),
    }
}

/// Shrinks the image so that its longest side is at most `max_side` (never enlarges).
pub fn downscale(image: DynamicImage, max_side: u32) -> DynamicImage {
    let long = image.width().max(image.height());
    if long <= max_side {
        return image;
    }
    let scale = max_side as f64 / long as f64;
    let w = ((image.width() as f64 * scale).round() as u32).max(1);
    let h = ((image.height() as f64 * scale).round() as u32).max(1);
    image.resize_exact(w, h, image::imageops::FilterType::Triangle)
}
