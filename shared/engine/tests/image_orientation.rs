//! Turned pages are read upright: the OCR port is asked again with the page turned and the most
//! confident reading wins.

use labrador_engine::model::Word;
use labrador_engine::read::ocr_page::{recognize_page, rotate_quarters};
use labrador_engine::read::{OcrError, PageOcr};

/// Reads well only when the red marker pixel sits at the top-left corner, i.e. the page is
/// upright; otherwise sees tall garbled boxes (a page on its side) or low confidence.
struct MarkerOcr;

fn word(text: &str, bbox: [f32; 4], confidence: f32) -> Word {
    Word {
        text: text.into(),
        bbox,
        font_size: bbox[3] - bbox[1],
        bold: false,
        confidence,
    }
}

impl PageOcr for MarkerOcr {
    fn recognize(&self, rgb: &[u8], w: u32, h: u32) -> Result<Vec<Word>, OcrError> {
        let at = |x: u32, y: u32| {
            let i = ((y * w + x) * 3) as usize;
            rgb[i..i + 3] == [255, 0, 0]
        };
        if at(0, 0) {
            return Ok((0..6)
                .map(|i| {
                    word(
                        "Creatinine",
                        [10.0, 10.0 + 30.0 * i as f32, 120.0, 30.0 + 30.0 * i as f32],
                        0.95,
                    )
                })
                .collect());
        }
        if at(w - 1, h - 1) {
            // Upside down: horizontal boxes, garbled text.
            return Ok((0..6)
                .map(|i| {
                    word(
                        "ouiuiteaJ)",
                        [10.0, 10.0 + 30.0 * i as f32, 120.0, 30.0],
                        0.55,
                    )
                })
                .collect());
        }
        // On its side: tall boxes.
        Ok((0..6)
            .map(|i| {
                word(
                    "eui",
                    [10.0 + 30.0 * i as f32, 10.0, 30.0 + 30.0 * i as f32, 120.0],
                    0.6,
                )
            })
            .collect())
    }
}

fn page_with_marker(w: u32, h: u32) -> Vec<u8> {
    let mut rgb = vec![255u8; (w * h * 3) as usize];
    rgb[..3].copy_from_slice(&[255, 0, 0]);
    rgb
}

#[test]
fn pages_turned_by_any_quarter_are_read_upright() {
    let (w, h) = (40, 60);
    let upright = page_with_marker(w, h);
    for turns in 0..4 {
        let (turned, tw, th) = rotate_quarters(&upright, w, h, turns);
        let page = recognize_page(&MarkerOcr, &turned, tw, th, 2, 0.5)
            .unwrap_or_else(|r| panic!("turns {turns}: {r:?}"));
        assert_eq!(page.number, 2);
        assert_eq!((page.width, page.height), (20.0, 30.0), "turns {turns}");
        assert!(
            page.words.iter().all(|w| w.text == "Creatinine"),
            "turns {turns}"
        );
        assert_eq!(page.words[1].bbox, [5.0, 20.0, 60.0, 30.0]);
    }
}

#[test]
fn inconsistent_buffers_are_rejected() {
    let r = recognize_page(&MarkerOcr, &[0u8; 10], 4, 4, 1, 1.0).unwrap_err();
    assert_eq!(
        r.reason,
        labrador_engine::model::RejectionReason::Unreadable
    );
    let r = recognize_page(&MarkerOcr, &[], 0, 0, 1, 1.0).unwrap_err();
    assert_eq!(
        r.reason,
        labrador_engine::model::RejectionReason::Unreadable
    );
}
