//! Data that crosses the engine's boundary: positioned text, raw extraction, the report JSON
//! (documented in `shared/api/openapi.yaml`).
//!
//! Dates are ISO-8601 strings (`YYYY-MM-DD`, times `HH:MM`); timestamps are RFC 3339 strings.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Axis-aligned box in PDF points (1/72 in) for PDFs or pixels for images, origin top-left:
/// `[x0, y0, x1, y1]` with `x0 <= x1`, `y0 <= y1`.
pub type BBox = [f32; 4];

/// A file handed to the engine.
#[derive(Debug, Clone)]
pub struct InputFile<'a> {
    pub index: usize,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// What a file is, sniffed from its magic bytes (never trusted from the client).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    #[serde(rename = "application/pdf")]
    Pdf,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "image/jpeg")]
    Jpeg,
}

impl FileKind {
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.len() >= 5
            && bytes[..1024.min(bytes.len())]
                .windows(5)
                .any(|w| w == b"%PDF-")
        {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else {
            None
        }
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
        }
    }
}

/// One word (or glyph run) with its position, from a PDF text layer or from OCR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub bbox: BBox,
    /// Font size in points (PDF) or text height in pixels (OCR).
    pub font_size: f32,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bold: bool,
    /// 1.0 for a text layer; the recognizer's score for OCR.
    pub confidence: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSource {
    TextLayer,
    Ocr,
}

/// A page of positioned words, the common currency of every reader.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page {
    /// 1-based page number within its file.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub source: TextSource,
    pub words: Vec<Word>,
}

/// Why a document is not turned into a report. An open list; codes are stable strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionReason {
    NotALabReport,
    Unreadable,
    Encrypted,
    LowImageQuality,
    NoResultsFound,
    Duplicate,
    TooLarge,
    UnsupportedFileType,
    Empty,
}

impl RejectionReason {
    pub fn code(self) -> &'static str {
        match self {
            RejectionReason::NotALabReport => "not_a_lab_report",
            RejectionReason::Unreadable => "unreadable",
            RejectionReason::Encrypted => "encrypted",
            RejectionReason::LowImageQuality => "low_image_quality",
            RejectionReason::NoResultsFound => "no_results_found",
            RejectionReason::Duplicate => "duplicate",
            RejectionReason::TooLarge => "too_large",
            RejectionReason::UnsupportedFileType => "unsupported_file_type",
            RejectionReason::Empty => "empty",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejection {
    pub reason: RejectionReason,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
}

impl Rejection {
    pub fn new(reason: RejectionReason, message: impl Into<String>) -> Self {
        Rejection {
            reason,
            message: message.into(),
            duplicate_of: None,
        }
    }
}

/// Where a row came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub file: usize,
    /// 1-based.
    pub page: u32,
    pub bbox: BBox,
}

/// One result row as printed, before standardization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawResult {
    pub name: String,
    pub value_text: String,
    #[serde(default)]
    pub unit_text: Option<String>,
    #[serde(default)]
    pub range_text: Option<String>,
    #[serde(default)]
    pub flag_text: Option<String>,
    /// True when the value is styled (bold, colour) on the page.
    #[serde(default)]
    pub highlighted: bool,
    /// Section heading the row sits under (e.g. "HEMATOLOGY").
    #[serde(default)]
    pub section: Option<String>,
    /// Method or note printed under the name ("Calculated").
    #[serde(default)]
    pub method: Option<String>,
    /// Collection date of the column or block the row belongs to, when the file holds several.
    #[serde(default)]
    pub collection_date: Option<String>,
    pub source: Source,
    pub confidence: f32,
}

/// Dates printed on the report, found with their labels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportDates {
    pub collected: Option<String>,
    pub collected_time: Option<String>,
    pub received: Option<String>,
    pub reported: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
}

/// What the report says about the patient that standardization needs. No names, no identifiers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatientInfo {
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub age_at_collection: Option<f32>,
}

/// The reading of one file: raw rows and the report-level facts found on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileExtraction {
    pub file: usize,
    pub pages: u32,
    /// `text_layer` when every page had usable text, `ocr` when any page was recognized.
    pub text_source: Option<TextSource>,
    pub results: Vec<RawResult>,
    pub dates: ReportDates,
    #[serde(default)]
    pub lab_name: Option<String>,
    /// BCP 47 language of the report ("en", "de", "fr", "it", "es"), when it can be told.
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub patient: PatientInfo,
    /// Mean confidence of the text the rows were read from.
    #[serde(default)]
    pub text_confidence: Option<f32>,
}

/// The extraction artifact (`extraction.json`): the raw reading of every file of a report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub engine_version: String,
    pub files: Vec<FileExtraction>,
    /// Set when the whole report is rejected (every file rejected, or nothing found).
    #[serde(default)]
    pub rejection: Option<Rejection>,
    /// Per-file rejections when some files were unreadable but others were not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_rejections: Vec<(usize, Rejection)>,
}

// ---------------------------------------------------------------------------------------------
// The standardized report.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interpretation {
    Normal,
    Low,
    High,
    Abnormal,
    CriticalLow,
    CriticalHigh,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueBound {
    LessThan(f64),
    LessThanOrEqual(f64),
    GreaterThan(f64),
    GreaterThanOrEqual(f64),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RangeContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_low: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_high: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferenceRange {
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "is_default_context")]
    pub context: RangeContext,
}

fn is_default_context(c: &RangeContext) -> bool {
    *c == RangeContext::default()
}

/// The value expressed in the biomarker's canonical unit, when a conversion is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CanonicalValue {
    pub value: Option<f64>,
    pub value_bound: Option<ValueBound>,
    pub unit_code: String,
    pub reference_range: Option<ReferenceRange>,
}

/// How far a result's biomarker and LOINC code can be trusted without a human.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchStatus {
    /// The name is a known alias and the unit (or the result type) agrees with the code chosen.
    Auto,
    /// A code was chosen, or withheld, on weaker evidence: a similar name, a unit that fits none
    /// of the biomarker's codes or cannot be read, an implausible value, or a close second.
    NeedsReview,
    /// No catalogue entry: no code.
    #[default]
    Unmatched,
}

/// A LOINC code the result could carry, with how well it fits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoincCandidate {
    pub code: String,
    /// The LOINC Long Common Name.
    pub name: String,
    /// The catalogue id the code belongs to.
    pub biomarker: String,
    /// 0..1: name similarity × agreement of specimen, unit property and value plausibility.
    pub score: f32,
}

/// A UCUM unit spelled out, as seed 002's `units` object: `g/dL` is grams (numerator) per
/// decilitre (denominator); a count such as `10*9/L` has no numerator and exponent 9.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitsDescription {
    pub name: String,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub exponent: Option<i32>,
}

/// How many results of a report have each [`MatchStatus`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchCounts {
    pub auto: usize,
    pub needs_review: usize,
    pub unmatched: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandardizedResult {
    pub original_name: String,
    /// Catalogue id, or "unknown".
    pub biomarker: String,
    pub display_name: Option<String>,
    pub loinc_code: Option<String>,
    pub loinc_name: Option<String>,
    /// Whether `loinc_code` can be used as it is (`auto`) or needs a human (`needs_review`).
    #[serde(default)]
    pub match_status: MatchStatus,
    /// The codes considered, best first; the first is `loinc_code` when one was chosen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub loinc_candidates: Vec<LoincCandidate>,
    pub specimen: Option<String>,
    pub value: Option<f64>,
    pub value_text: String,
    pub value_bound: Option<ValueBound>,
    pub original_unit: Option<String>,
    /// Valid UCUM or null.
    pub unit_code: Option<String>,
    /// `unit_code` spelled out; null when there is no unit code.
    #[serde(default)]
    pub units: Option<UnitsDescription>,
    pub reference_range: Option<ReferenceRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_ranges: Vec<ReferenceRange>,
    /// The printed flag, normalized: "H", "L", "HH", "LL", "A", "N" when understood ("High",
    /// "↑", "Alto", "erhöht", "+" → "H"), else as printed; null when nothing is printed.
    pub flag: Option<String>,
    /// The flag exactly as printed, when it was normalized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag_text: Option<String>,
    pub interpretation: Option<Interpretation>,
    pub within_normal_range: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<CanonicalValue>,
    pub confidence: f32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub name: Option<String>,
    pub loinc_code: Option<String>,
    pub loinc_name: Option<String>,
    pub results: Vec<StandardizedResult>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub collection_date: Option<String>,
    pub collection_time: Option<String>,
    pub result_date: Option<String>,
    pub sections: Vec<Section>,
}

/// What standardization produces from an [`Extraction`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StandardizedReport {
    pub documents: Vec<Document>,
    pub lab_name: Option<String>,
    pub report_locale: Option<String>,
    pub patient: Option<PatientInfo>,
    /// Results per [`MatchStatus`] over all documents.
    #[serde(default)]
    pub match_counts: MatchCounts,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Received,
    Queued,
    Processing,
    Processed,
    Standardizing,
    Standardized,
    Delivering,
    Completed,
    Failed,
    Rejected,
}

impl Status {
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Completed | Status::Failed | Status::Rejected)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileInfo {
    pub index: usize,
    pub file_name: String,
    pub mime_type: String,
    pub sha256: String,
    pub size: u64,
    pub pages: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: Status,
    pub stage: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportError {
    pub code: String,
    pub message: String,
    pub retriable: bool,
}

/// The report JSON (the `Report` schema of `shared/api/openapi.yaml`): the webhook `data`, the GET body and `labrador parse` output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub id: String,
    pub status: Status,
    pub stage: String,
    pub reference_id: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub uploaded_at: String,
    pub updated_at: String,
    pub files: Vec<FileInfo>,
    pub documents: Vec<Document>,
    pub lab_name: Option<String>,
    pub report_locale: Option<String>,
    pub patient: Option<PatientInfo>,
    /// Results per [`MatchStatus`]: how many need a human before their codes are used.
    #[serde(default)]
    pub match_counts: MatchCounts,
    #[serde(default)]
    pub status_history: Vec<StatusChange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub rejection: Option<Rejection>,
    pub error: Option<ReportError>,
    /// The `X-Request-Id` of the upload that created the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl Report {
    /// Keeps the results `keep` accepts; sections and documents left empty are dropped.
    /// `match_counts` still counts the whole report.
    pub fn retain_results(&mut self, keep: impl Fn(&StandardizedResult) -> bool) {
        for d in &mut self.documents {
            for s in &mut d.sections {
                s.results.retain(&keep);
            }
            d.sections.retain(|s| !s.results.is_empty());
        }
        self.documents.retain(|d| !d.sections.is_empty());
    }

    /// A report in `status`/`stage` carrying what standardization produced.
    pub fn assemble(
        id: String,
        files: Vec<FileInfo>,
        standardized: StandardizedReport,
        status: Status,
        stage: &str,
        now: &str,
    ) -> Report {
        Report {
            id,
            status,
            stage: stage.to_string(),
            reference_id: None,
            metadata: BTreeMap::new(),
            uploaded_at: now.to_string(),
            updated_at: now.to_string(),
            files,
            documents: standardized.documents,
            lab_name: standardized.lab_name,
            report_locale: standardized.report_locale,
            patient: standardized.patient,
            match_counts: standardized.match_counts,
            status_history: Vec::new(),
            warnings: standardized.warnings,
            rejection: None,
            error: None,
            request_id: None,
        }
    }
}
