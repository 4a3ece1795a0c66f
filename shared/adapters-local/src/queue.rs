//! A durable job queue on SQLite: delayed sends, receive with a visibility timeout (a crashed
//! worker's job comes back), ack, nack with a delay, receive counts and a dead-letter state.

use crate::db::{Db, db_err, json_err};
use async_trait::async_trait;
use labrador_domain::ports::{
    DeadLetter, DeadLetterQueue, Job, JobQueue, QueueError, QueueName, QueueResult,
};
use rusqlite::{OptionalExtension, params};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Clone)]
pub struct SqliteQueue {
    db: Db,
    /// One wake-up per queue, so idle workers start at once on a send.
    wake: [Arc<Notify>; 3],
}

/// A received job; `token` proves the receive for ack/nack.
#[derive(Debug, Clone)]
pub struct ReceivedJob {
    pub seq: i64,
    pub token: String,
    pub queue: QueueName,
    pub job: Job,
    /// How often the job was received, this time included.
    pub receives: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueStats {
    /// Jobs waiting or in flight.
    pub live: u64,
    pub dead: u64,
}

fn queue_name(q: QueueName) -> &'static str {
    match q {
        QueueName::Extract => "extract",
        QueueName::Standardize => "standardize",
        QueueName::Deliver => "deliver",
    }
}

fn queue_index(q: QueueName) -> usize {
    match q {
        QueueName::Extract => 0,
        QueueName::Standardize => 1,
        QueueName::Deliver => 2,
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl SqliteQueue {
    pub fn new(db: Db) -> Self {
        SqliteQueue {
            db,
            wake: Default::default(),
        }
    }

    /// Notified whenever a job is sent to `queue`.
    pub fn waker(&self, queue: QueueName) -> Arc<Notify> {
        self.wake[queue_index(queue)].clone()
    }

    /// Takes the next visible job of `queue`, hiding it for `visibility`.
    pub async fn receive(
        &self,
        queue: QueueName,
        visibility: Duration,
    ) -> QueueResult<Option<ReceivedJob>> {
        let name = queue_name(queue);
        let token = uuid::Uuid::new_v4().to_string();
        let held = token.clone();
        let row: Option<(i64, String, u32)> = self
            .db
            .call(move |c| {
                let tx = c.transaction().map_err(db_err)?;
                let now = now_ms();
                let found: Option<(i64, String, u32)> = tx
                    .query_row(
                        "SELECT seq, body, receives FROM jobs WHERE queue = ?1 AND dead = 0 AND visible_at <= ?2
                         ORDER BY visible_at, seq LIMIT 1",
                        params![name, now],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()
                    .map_err(db_err)?;
                if let Some((seq, _, _)) = &found {
                    tx.execute(
                        "UPDATE jobs SET visible_at = ?2, receives = receives + 1, token = ?3 WHERE seq = ?1",
                        params![seq, now + visibility.as_millis() as i64, token],
                    )
                    .map_err(db_err)?;
                }
                tx.commit().map_err(db_err)?;
                Ok(found)
            })
            .await?;
        let Some((seq, body, receives)) = row else {
            return Ok(None);
        };
        let token = held;
        match serde_json::from_str::<Job>(&body) {
            Ok(job) => Ok(Some(ReceivedJob {
                seq,
                token,
                queue,
                job,
                receives: receives + 1,
            })),
            Err(e) => {
                // An unreadable message can never succeed: dead-letter it at once.
                self.dead_letter_seq(seq, format!("unreadable job: {e}"))
                    .await?;
                Err(json_err(e).into())
            }
        }
    }

    /// Done: the job is removed (only by the receive that holds `token`).
    pub async fn ack(&self, job: &ReceivedJob) -> QueueResult<()> {
        let (seq, token) = (job.seq, job.token.clone());
        self.db
            .call(move |c| {
                c.execute(
                    "DELETE FROM jobs WHERE seq = ?1 AND token = ?2",
                    params![seq, token],
                )
                .map_err(db_err)?;
                Ok(())
            })
            .await
            .map_err(QueueError::from)
    }

    /// Still working on it: hidden for `visibility` from now (a heartbeat, so a long step keeps
    /// its job while it runs, and a crashed one loses it within `visibility`).
    pub async fn extend_visibility(
        &self,
        job: &ReceivedJob,
        visibility: Duration,
    ) -> QueueResult<()> {
        let (seq, token) = (job.seq, job.token.clone());
        self.db
            .call(move |c| {
                c.execute(
                    "UPDATE jobs SET visible_at = ?3 WHERE seq = ?1 AND token = ?2 AND dead = 0",
                    params![seq, token, now_ms() + visibility.as_millis() as i64],
                )
                .map_err(db_err)?;
                Ok(())
            })
            .await
            .map_err(QueueError::from)
    }

    /// Not done: visible again after `delay`.
    pub async fn nack(&self, job: &ReceivedJob, delay: Duration, error: &str) -> QueueResult<()> {
        let (seq, token, error) = (job.seq, job.token.clone(), error.to_string());
        self.db
            .call(move |c| {
                c.execute(
                    "UPDATE jobs SET visible_at = ?3, last_error = ?4 WHERE seq = ?1 AND token = ?2",
                    params![seq, token, now_ms() + delay.as_millis() as i64, error],
                )
                .map_err(db_err)?;
                Ok(())
            })
            .await
            .map_err(QueueError::from)
    }

    /// Moves the job to the dead-letter state (kept for inspection and redrive).
    pub async fn dead_letter(&self, job: &ReceivedJob, error: &str) -> QueueResult<()> {
        self.dead_letter_seq(job.seq, error.to_string()).await
    }

    async fn dead_letter_seq(&self, seq: i64, error: String) -> QueueResult<()> {
        self.db
            .call(move |c| {
                c.execute(
                    "UPDATE jobs SET dead = 1, last_error = ?2, visible_at = 0 WHERE seq = ?1",
                    params![seq, error],
                )
                .map_err(db_err)?;
                Ok(())
            })
            .await
            .map_err(QueueError::from)
    }

    pub async fn stats(&self, queue: QueueName) -> QueueResult<QueueStats> {
        let name = queue_name(queue);
        self.db
            .call(move |c| {
                c.query_row(
                    "SELECT COALESCE(SUM(dead = 0), 0), COALESCE(SUM(dead = 1), 0) FROM jobs WHERE queue = ?1",
                    params![name],
                    |r| {
                        Ok(QueueStats {
                            live: r.get::<_, i64>(0)? as u64,
                            dead: r.get::<_, i64>(1)? as u64,
                        })
                    },
                )
                .map_err(db_err)
            })
            .await
            .map_err(QueueError::from)
    }
}

/// How long a dead job taken by a redrive stays hidden from the next take.
const DEAD_TAKE_HIDE_MS: i64 = 60_000;

#[async_trait]
impl DeadLetterQueue for SqliteQueue {
    async fn take_dead(&self, queue: QueueName, max: usize) -> QueueResult<Vec<DeadLetter>> {
        let name = queue_name(queue);
        let max = max.clamp(1, 1000) as i64;
        self.db
            .call(move |c| {
                let now = now_ms();
                let mut statement = c
                    .prepare(
                        "UPDATE jobs SET visible_at = ?3 WHERE seq IN (SELECT seq FROM jobs \
                         WHERE queue = ?1 AND dead = 1 AND visible_at <= ?2 ORDER BY seq LIMIT ?4) \
                         RETURNING seq, body",
                    )
                    .map_err(db_err)?;
                let rows = statement
                    .query_map(params![name, now, now + DEAD_TAKE_HIDE_MS, max], |r| {
                        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                    })
                    .map_err(db_err)?;
                let mut taken = Vec::new();
                for row in rows {
                    let (seq, body) = row.map_err(db_err)?;
                    taken.push(DeadLetter {
                        handle: seq.to_string(),
                        job: serde_json::from_str(&body).ok(),
                    });
                }
                Ok(taken)
            })
            .await
            .map_err(QueueError::from)
    }

    async fn remove_dead(&self, _queue: QueueName, dead: &DeadLetter) -> QueueResult<()> {
        let seq: i64 = dead.handle.parse().map_err(|_| QueueError::UnknownHandle)?;
        self.db
            .call(move |c| {
                c.execute("DELETE FROM jobs WHERE seq = ?1 AND dead = 1", params![seq])
                    .map_err(db_err)?;
                Ok(())
            })
            .await
            .map_err(QueueError::from)
    }
}

#[async_trait]
impl JobQueue for SqliteQueue {
    async fn send(&self, queue: QueueName, job: &Job, delay: Duration) -> QueueResult<()> {
        let body = serde_json::to_string(job).map_err(json_err)?;
        let name = queue_name(queue);
        let wake = (delay.is_zero()).then(|| self.waker(queue));
        let sent = self
            .db
            .call(move |c| {
                c.execute(
                    "INSERT INTO jobs (queue, body, visible_at) VALUES (?1, ?2, ?3)",
                    params![name, body, now_ms() + delay.as_millis() as i64],
                )
                .map_err(db_err)?;
                Ok(())
            })
            .await
            .map_err(QueueError::from);
        if sent.is_ok()
            && let Some(w) = wake
        {
            w.notify_one();
        }
        sent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: &str) -> Job {
        Job {
            tenant: "t".into(),
            report_id: id.into(),
            run: 1,
            ..Job::default()
        }
    }

    #[tokio::test]
    async fn delays_visibility_ack_nack_dead_letter() {
        let q = SqliteQueue::new(Db::open_in_memory().unwrap());
        q.send(QueueName::Extract, &job("a"), Duration::ZERO)
            .await
            .unwrap();
        q.send(QueueName::Extract, &job("b"), Duration::from_secs(60))
            .await
            .unwrap();
        let vis = Duration::from_millis(50);
        let r = q.receive(QueueName::Extract, vis).await.unwrap().unwrap();
        assert_eq!(r.job.report_id, "a");
        assert_eq!(r.receives, 1);
        // Hidden while in flight; the delayed job is not visible yet; other queues are separate.
        assert!(q.receive(QueueName::Extract, vis).await.unwrap().is_none());
        assert!(q.receive(QueueName::Deliver, vis).await.unwrap().is_none());
        // A crashed worker: the job comes back after the visibility timeout.
        tokio::time::sleep(Duration::from_millis(80)).await;
        let r2 = q.receive(QueueName::Extract, vis).await.unwrap().unwrap();
        assert_eq!(r2.job.report_id, "a");
        assert_eq!(r2.receives, 2);
        // The stale receive can no longer ack it.
        q.ack(&r).await.unwrap();
        assert_eq!(q.stats(QueueName::Extract).await.unwrap().live, 2);
        q.nack(&r2, Duration::ZERO, "boom").await.unwrap();
        let r3 = q.receive(QueueName::Extract, vis).await.unwrap().unwrap();
        assert_eq!(r3.receives, 3);
        q.dead_letter(&r3, "gave up").await.unwrap();
        assert_eq!(
            q.stats(QueueName::Extract).await.unwrap(),
            QueueStats { live: 1, dead: 1 }
        );
        // A redrive takes each dead job once, and removes the ones it dealt with.
        let taken = q.take_dead(QueueName::Extract, 10).await.unwrap();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].job.as_ref().unwrap().report_id, "a");
        assert!(
            q.take_dead(QueueName::Extract, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            q.take_dead(QueueName::Deliver, 10)
                .await
                .unwrap()
                .is_empty()
        );
        q.remove_dead(QueueName::Extract, &taken[0]).await.unwrap();
        assert_eq!(
            q.stats(QueueName::Extract).await.unwrap(),
            QueueStats { live: 1, dead: 0 }
        );
    }
}
