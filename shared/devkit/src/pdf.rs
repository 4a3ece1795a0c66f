//! A tiny, valid PDF with a text layer, written by hand (so tests need no corpus).

/// Rows of a made-up lab report: name, value, unit, reference range.
pub fn default_rows() -> Vec<[&'static str; 4]> {
    vec![
        ["Hemoglobin", "13.8", "g/dL", "12.0 - 16.0"],
        ["White Blood Cells", "7.2", "10^3/uL", "4.0 - 10.5"],
        ["Platelets", "250", "10^3/uL", "150 - 400"],
        ["Glucose", "92", "mg/dL", "70 - 99"],
        ["Creatinine", "0.9", "mg/dL", "0.6 - 1.2"],
    ]
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)")
}

/// A one-page PDF: a title, a header row and one table row per entry, in Helvetica.
pub fn lab_report_pdf(rows: &[[&str; 4]]) -> Vec<u8> {
    let mut content = String::new();
    let mut line = |x: f32, y: f32, size: f32, text: &str| {
        content.push_str(&format!(
            "BT /F1 {size} Tf {x} {y} Td ({}) Tj ET\n",
            escape(text)
        ));
    };
    line(72.0, 760.0, 16.0, "City Clinical Laboratory");
    line(
        72.0,
        740.0,
        10.0,
        "Collected: 2024-01-15  Reported: 2024-01-16",
    );
    line(72.0, 712.0, 11.0, "HEMATOLOGY AND CHEMISTRY");
    let cols = [72.0, 260.0, 340.0, 430.0];
    for (c, h) in cols
        .iter()
        .zip(["Test", "Result", "Units", "Reference Range"])
    {
        line(*c, 690.0, 10.0, h);
    }
    for (i, row) in rows.iter().enumerate() {
        let y = 672.0 - 18.0 * i as f32;
        for (c, cell) in cols.iter().zip(row.iter()) {
            line(*c, y, 10.0, cell);
        }
    }
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{}endstream", content.len(), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{}\nendobj\n", i + 1, obj).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The same document with a harmless comment after `%%EOF`, so its bytes (and content hash)
/// differ while it reads the same.
pub fn variant(pdf: &[u8], n: u64) -> Vec<u8> {
    let mut out = pdf.to_vec();
    out.extend_from_slice(format!("%variant-{n}\n").as_bytes());
    out
}
