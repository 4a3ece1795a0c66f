//! Text-line boxes from the detector → axis-aligned boxes on a straightened page.
//!
//! A photographed or scanned page is often turned by a degree or two. The detector's boxes are
//! rotated rectangles, so the page's skew is the median angle of the long line boxes; turning every
//! box back by that angle (about the image centre) keeps the cells of one table row on one
//! baseline, which the layout stage needs.

use pure_onnx_ocr::OcrResult;

/// One recognized text line; `bbox` in pixels of the straightened page (same size as the image).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub bbox: [f32; 4],
    pub confidence: f32,
}

/// Skews beyond this are not "small": rotation by 90/180/270 is handled by the caller.
const MAX_SKEW_DEG: f64 = 15.0;
/// Below this the boxes are left as they are.
const MIN_SKEW_DEG: f64 = 0.15;

pub fn straighten(results: &[OcrResult], width: u32, height: u32) -> Vec<Line> {
    let quads: Vec<(&OcrResult, [(f64, f64); 4])> = results
        .iter()
        .filter(|r| !r.text.trim().is_empty())
        .filter_map(|r| quad(r).map(|q| (r, q)))
        .collect();
    let angle = skew_angle(quads.iter().map(|(_, q)| q));
    let (cx, cy) = (width as f64 / 2.0, height as f64 / 2.0);
    let (sin, cos) = (-angle).sin_cos();
    quads
        .into_iter()
        .map(|(result, q)| {
            let mut bbox = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
            for (x, y) in q {
                let (dx, dy) = (x - cx, y - cy);
                let (rx, ry) = (
                    (cx + dx * cos - dy * sin) as f32,
                    (cy + dx * sin + dy * cos) as f32,
                );
                bbox = [
                    bbox[0].min(rx),
                    bbox[1].min(ry),
                    bbox[2].max(rx),
                    bbox[3].max(ry),
                ];
            }
            bbox = [
                bbox[0].clamp(0.0, width as f32),
                bbox[1].clamp(0.0, height as f32),
                bbox[2].clamp(0.0, width as f32),
                bbox[3].clamp(0.0, height as f32),
            ];
            Line {
                text: result.text.trim().to_string(),
                bbox,
                confidence: result.confidence.clamp(0.0, 1.0),
            }
        })
        .collect()
}

/// The four corners `tl, tr, br, bl` of a detected box.
fn quad(result: &OcrResult) -> Option<[(f64, f64); 4]> {
    let pts: Vec<(f64, f64)> = result
        .bounding_box
        .exterior()
        .coords()
        .map(|c| (c.x, c.y))
        .collect();
    if pts.len() < 4 || pts.iter().any(|(x, y)| !x.is_finite() || !y.is_finite()) {
        return None;
    }
    Some([pts[0], pts[1], pts[2], pts[3]])
}

/// Median angle (radians) of the top edges of long, flat boxes; 0 when too few or not small.
pub fn skew_angle<'a>(quads: impl Iterator<Item = &'a [(f64, f64); 4]>) -> f64 {
    let mut angles: Vec<f64> = quads
        .filter_map(|q| {
            let (dx, dy) = (q[1].0 - q[0].0, q[1].1 - q[0].1);
            let len = dx.hypot(dy);
            let tall = (q[3].0 - q[0].0).hypot(q[3].1 - q[0].1);
            (len >= 40.0 && len >= 3.0 * tall && dx > 0.0).then_some(dy.atan2(dx))
        })
        .collect();
    if angles.len() < 3 {
        return 0.0;
    }
    angles.sort_by(f64::total_cmp);
    let median = angles[angles.len() / 2];
    let deg = median.to_degrees().abs();
    if (MIN_SKEW_DEG..=MAX_SKEW_DEG).contains(&deg) {
        median
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rotated_box(cx: f64, cy: f64, w: f64, h: f64, deg: f64) -> [(f64, f64); 4] {
        let (s, c) = deg.to_radians().sin_cos();
        let corner = |x: f64, y: f64| (cx + x * c - y * s, cy + x * s + y * c);
        [
            corner(-w / 2.0, -h / 2.0),
            corner(w / 2.0, -h / 2.0),
            corner(w / 2.0, h / 2.0),
            corner(-w / 2.0, h / 2.0),
        ]
    }

    #[test]
    fn skew_is_the_median_line_angle() {
        let quads: Vec<_> = (0..5)
            .map(|i| rotated_box(500.0, 100.0 + 50.0 * i as f64, 300.0, 20.0, 2.0))
            .collect();
        let angle = skew_angle(quads.iter()).to_degrees();
        assert!((angle - 2.0).abs() < 0.01, "{angle}");
    }

    #[test]
    fn upright_or_unknown_pages_are_not_turned() {
        let flat: Vec<_> = (0..5)
            .map(|i| rotated_box(500.0, 100.0 + 50.0 * i as f64, 300.0, 20.0, 0.0))
            .collect();
        assert_eq!(skew_angle(flat.iter()), 0.0);
        let few = [rotated_box(500.0, 100.0, 300.0, 20.0, 3.0)];
        assert_eq!(skew_angle(few.iter()), 0.0);
        let steep: Vec<_> = (0..5)
            .map(|i| rotated_box(500.0, 100.0 + 50.0 * i as f64, 300.0, 20.0, 30.0))
            .collect();
        assert_eq!(skew_angle(steep.iter()), 0.0);
    }
}
