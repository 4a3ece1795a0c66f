//! The status machine: which transitions are allowed, and how a record records them.

use crate::record::ReportRecord;
use labrador_engine::model::{Status, StatusChange};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("status transition {from:?} -> {to:?} is not allowed")]
pub struct TransitionError {
    pub from: Status,
    pub to: Status,
}

/// Whether `from → to` is a step of the pipeline. Terminal states only leave through
/// reprocessing (back to `queued`).
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    match (from, to) {
        (Received, Queued | Rejected | Failed) => true,
        (Queued, Processing | Rejected | Failed) => true,
        (Processing, Processed | Rejected | Failed) => true,
        (Processed, Standardizing | Rejected | Failed) => true,
        (Standardizing, Standardized | Rejected | Failed) => true,
        (Standardized, Delivering | Completed) => true,
        (Delivering, Completed) => true,
        // Reprocessing a finished report starts a new run.
        (Completed | Failed | Rejected, Queued) => true,
        _ => false,
    }
}

/// The default fine-grained stage of a status.
pub fn default_stage(status: Status) -> &'static str {
    match status {
        Status::Received => "received",
        Status::Queued => "queued",
        Status::Processing => "extracting",
        Status::Processed => "extracted",
        Status::Standardizing => "standardizing",
        Status::Standardized => "standardized",
        Status::Delivering => "delivering",
        Status::Completed => "completed",
        Status::Failed => "failed",
        Status::Rejected => "rejected",
    }
}

/// Moves `record` to `to` with `stage`, appending to its status history. Does not touch the
/// version: the caller writes the record with a conditional update.
pub fn transition(
    record: &mut ReportRecord,
    to: Status,
    stage: &str,
    now: &str,
) -> Result<(), TransitionError> {
    if !allowed(record.status, to) {
        return Err(TransitionError {
            from: record.status,
            to,
        });
    }
    record.status = to;
    record.stage = stage.to_string();
    record.updated_at = now.to_string();
    record.status_history.push(StatusChange {
        status: to,
        stage: stage.to_string(),
        at: now.to_string(),
    });
    Ok(())
}

/// Whether a report in this status has its outcome (a report body) and answers 200 on GET.
pub fn has_outcome(status: Status) -> bool {
    matches!(
        status,
        Status::Standardized
            | Status::Delivering
            | Status::Completed
            | Status::Failed
            | Status::Rejected
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn happy_path_is_allowed() {
        use Status::*;
        let path = [
            Received,
            Queued,
            Processing,
            Processed,
            Standardizing,
            Standardized,
            Delivering,
            Completed,
        ];
        for w in path.windows(2) {
            assert!(allowed(w[0], w[1]), "{:?} -> {:?}", w[0], w[1]);
        }
    }

    #[test]
    fn no_going_back_or_skipping() {
        use Status::*;
        assert!(!allowed(Processing, Queued));
        assert!(!allowed(Queued, Standardized));
        assert!(!allowed(Completed, Processing));
        assert!(!allowed(Rejected, Completed));
        assert!(!allowed(Delivering, Failed));
        assert!(allowed(Completed, Queued));
    }
}
