//! `ReportStore` on SQLite: the record as JSON plus indexed columns; conditional updates on
//! the version column.

use crate::db::{Db, db_err, json_err};
use async_trait::async_trait;
use labrador_domain::ports::{
    ApiKeyStore, DeliveryLog, EndpointStore, IdempotencyStore, ListFilter, ListPage, RecordStore,
    StoreError, StoreResult,
};
use labrador_domain::record::{
    DeliveryAttempt, IdempotentResponse, ReportId, ReportRecord, TenantId, WebhookEndpoint,
};
use rusqlite::{OptionalExtension, params};

#[derive(Clone)]
pub struct SqliteReportStore {
    db: Db,
}

impl SqliteReportStore {
    pub fn new(db: Db) -> Self {
        SqliteReportStore { db }
    }
}

fn status_text(record: &ReportRecord) -> String {
    serde_json::to_value(record.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn encode_cursor(uploaded_at: &str, id: &str) -> String {
    hex_encode(format!("{uploaded_at}\n{id}").as_bytes())
}

fn decode_cursor(cursor: &str) -> Option<(String, String)> {
    let bytes = hex_decode(cursor)?;
    let text = String::from_utf8(bytes).ok()?;
    let (a, b) = text.split_once('\n')?;
    Some((a.to_string(), b.to_string()))
}

fn hex_encode(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

#[async_trait]
impl RecordStore for SqliteReportStore {
    async fn create(&self, record: &ReportRecord) -> StoreResult<()> {
        let r = record.clone();
        let body = serde_json::to_string(&r).map_err(json_err)?;
        self.db
            .call(move |c| {
                let n = c
                    .execute(
                        "INSERT OR IGNORE INTO reports (tenant, id, reference_id, content_hash, uploaded_at, status, version, body)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![r.tenant, r.id, r.reference_id, r.content_hash, r.uploaded_at, status_text(&r), r.version as i64, body],
                    )
                    .map_err(db_err)?;
                if n == 0 { Err(StoreError::Conflict) } else { Ok(()) }
            })
            .await
    }

    async fn get(&self, tenant: &str, id: &str) -> StoreResult<Option<ReportRecord>> {
        let (t, i) = (tenant.to_string(), id.to_string());
        let body: Option<String> = self
            .db
            .call(move |c| {
                c.query_row(
                    "SELECT body FROM reports WHERE tenant = ?1 AND id = ?2",
                    params![t, i],
                    |row| row.get(0),
                )
                .optional()
                .map_err(db_err)
            })
            .await?;
        body.map(|b| serde_json::from_str(&b).map_err(json_err))
            .transpose()
    }

    async fn update(&self, record: &ReportRecord, expected_version: u64) -> StoreResult<()> {
        let r = record.clone();
        let body = serde_json::to_string(&r).map_err(json_err)?;
        self.db
            .call(move |c| {
                let n = c
                    .execute(
                        "UPDATE reports SET reference_id = ?3, content_hash = ?4, status = ?5, version = ?6, body = ?7
                         WHERE tenant = ?1 AND id = ?2 AND version = ?8",
                        params![r.tenant, r.id, r.reference_id, r.content_hash, status_text(&r), (expected_version + 1) as i64, body, expected_version as i64],
                    )
                    .map_err(db_err)?;
                if n == 1 { Ok(()) } else { Err(StoreError::Conflict) }
            })
            .await
    }

    async fn delete(&self, tenant: &str, id: &str) -> StoreResult<()> {
        let (t, i) = (tenant.to_string(), id.to_string());
        self.db
            .call(move |c| {
                c.execute(
                    "DELETE FROM reports WHERE tenant = ?1 AND id = ?2",
                    params![t, i],
                )
                .map_err(db_err)?;
                c.execute(
                    "DELETE FROM delivery_attempts WHERE tenant = ?1 AND id = ?2",
                    params![t, i],
                )
                .map_err(db_err)?;
                Ok(())
            })
            .await
    }

    async fn list(&self, tenant: &str, filter: &ListFilter) -> StoreResult<ListPage> {
        let tenant = tenant.to_string();
        let f = filter.clone();
        let limit = f.limit.clamp(1, 100);
        let cursor = match f.cursor.as_deref() {
            Some(c) => Some(decode_cursor(c).ok_or(StoreError::InvalidCursor)?),
            None => None,
        };
        let status = f
            .status
            .and_then(|s| serde_json::to_value(s).ok())
            .and_then(|v| v.as_str().map(str::to_string));
        let bodies: Vec<String> = self
            .db
            .call(move |c| {
                let (cur_at, cur_id) = cursor.unzip();
                let mut stmt = c
                    .prepare(
                        "SELECT body FROM reports WHERE tenant = ?1
                           AND (?2 IS NULL OR reference_id = ?2)
                           AND (?3 IS NULL OR status = ?3)
                           AND (?4 IS NULL OR uploaded_at >= ?4)
                           AND (?5 IS NULL OR uploaded_at <= ?5)
                           AND (?6 IS NULL OR uploaded_at < ?6 OR (uploaded_at = ?6 AND id < ?7))
                         ORDER BY uploaded_at DESC, id DESC LIMIT ?8",
                    )
                    .map_err(db_err)?;
                let rows = stmt
                    .query_map(
                        params![
                            tenant,
                            f.reference_id,
                            status,
                            f.from,
                            f.to,
                            cur_at,
                            cur_id,
                            (limit + 1) as i64
                        ],
                        |row| row.get::<_, String>(0),
                    )
                    .map_err(db_err)?;
                rows.collect::<Result<Vec<_>, _>>().map_err(db_err)
            })
            .await?;
        let mut records = bodies
            .iter()
            .map(|b| serde_json::from_str::<ReportRecord>(b).map_err(json_err))
            .collect::<StoreResult<Vec<_>>>()?;
        let next_cursor = if records.len() > limit {
            records.truncate(limit);
            records.last().map(|r| encode_cursor(&r.uploaded_at, &r.id))
        } else {
            None
        };
        Ok(ListPage {
            records,
            next_cursor,
        })
    }

    async fn find_by_content_hash(
        &self,
        tenant: &str,
        content_hash: &str,
        except: &str,
    ) -> StoreResult<Option<ReportId>> {
        let (t, h, e) = (
            tenant.to_string(),
            content_hash.to_string(),
            except.to_string(),
        );
        self.db
            .call(move |c| {
                c.query_row(
                    "SELECT id FROM reports WHERE tenant = ?1 AND content_hash = ?2 AND id != ?3
                     ORDER BY uploaded_at ASC, id ASC LIMIT 1",
                    params![t, h, e],
                    |row| row.get(0),
                )
                .optional()
                .map_err(db_err)
            })
            .await
    }

    async fn in_progress(&self, limit: usize) -> StoreResult<Vec<ReportRecord>> {
        let bodies: Vec<String> = self
            .db
            .call(move |c| {
                let mut stmt = c
                    .prepare(
                        "SELECT body FROM reports WHERE status IN
                         ('received', 'queued', 'processed', 'standardized')
                         LIMIT ?1",
                    )
                    .map_err(db_err)?;
                let rows = stmt
                    .query_map(params![limit as i64], |row| row.get(0))
                    .map_err(db_err)?;
                rows.collect::<Result<Vec<String>, _>>().map_err(db_err)
            })
            .await?;
        bodies
            .iter()
            .map(|b| serde_json::from_str(b).map_err(json_err))
            .collect()
    }
}

#[async_trait]
impl IdempotencyStore for SqliteReportStore {
    async fn put_idempotent(&self, response: &IdempotentResponse) -> StoreResult<()> {
        let r = response.clone();
        let body = serde_json::to_string(&r).map_err(json_err)?;
        let now = chrono::Utc::now().timestamp();
        self.db
            .call(move |c| {
                // An expired key may be taken again.
                c.execute(
                    "DELETE FROM idempotency WHERE tenant = ?1 AND key = ?2 AND expires_at <= ?3",
                    params![r.tenant, r.key, now],
                )
                .map_err(db_err)?;
                let n = c
                    .execute(
                        "INSERT OR IGNORE INTO idempotency (tenant, key, expires_at, body) VALUES (?1, ?2, ?3, ?4)",
                        params![r.tenant, r.key, r.expires_at, body],
                    )
                    .map_err(db_err)?;
                if n == 0 { Err(StoreError::Conflict) } else { Ok(()) }
            })
            .await
    }

    async fn replace_idempotent(&self, response: &IdempotentResponse) -> StoreResult<()> {
        let r = response.clone();
        let body = serde_json::to_string(&r).map_err(json_err)?;
        self.db
            .call(move |c| {
                c.execute(
                    "INSERT OR REPLACE INTO idempotency (tenant, key, expires_at, body) VALUES (?1, ?2, ?3, ?4)",
                    params![r.tenant, r.key, r.expires_at, body],
                )
                .map_err(db_err)?;
                Ok(())
            })
            .await
    }

    async fn delete_idempotent(&self, tenant: &str, key: &str) -> StoreResult<()> {
        let (t, k) = (tenant.to_string(), key.to_string());
        self.db
            .call(move |c| {
                c.execute(
                    "DELETE FROM idempotency WHERE tenant = ?1 AND key = ?2",
                    params![t, k],
                )
                .map_err(db_err)?;
                Ok(())
            })
            .await
    }

    async fn get_idempotent(
        &self,
        tenant: &str,
        key: &str,
    ) -> StoreResult<Option<IdempotentResponse>> {
        let (t, k) = (tenant.to_string(), key.to_string());
        let now = chrono::Utc::now().timestamp();
        let body: Option<String> = self
            .db
            .call(move |c| {
                c.query_row(
                    "SELECT body FROM idempotency WHERE tenant = ?1 AND key = ?2 AND expires_at > ?3",
                    params![t, k, now],
                    |row| row.get(0),
                )
                .optional()
                .map_err(db_err)
            })
            .await?;
        body.map(|b| serde_json::from_str(&b).map_err(json_err))
            .transpose()
    }
}

#[async_trait]
impl ApiKeyStore for SqliteReportStore {
    async fn tenant_for_api_key_hash(&self, key_hash: &str) -> StoreResult<Option<TenantId>> {
        let h = key_hash.to_string();
        self.db
            .call(move |c| {
                c.query_row(
                    "SELECT tenant FROM api_keys WHERE hash = ?1",
                    params![h],
                    |row| row.get(0),
                )
                .optional()
                .map_err(db_err)
            })
            .await
    }

    async fn put_api_key_hash(&self, key_hash: &str, tenant: &str) -> StoreResult<()> {
        let (h, t) = (key_hash.to_string(), tenant.to_string());
        self.db
            .call(move |c| {
                c.execute(
                    "INSERT OR REPLACE INTO api_keys (hash, tenant) VALUES (?1, ?2)",
                    params![h, t],
                )
                .map_err(db_err)?;
                Ok(())
            })
            .await
    }
}

#[async_trait]
impl EndpointStore for SqliteReportStore {
    async fn get_endpoint(&self, tenant: &str) -> StoreResult<Option<WebhookEndpoint>> {
        let t = tenant.to_string();
        let body: Option<String> = self
            .db
            .call(move |c| {
                c.query_row(
                    "SELECT body FROM endpoints WHERE tenant = ?1",
                    params![t],
                    |row| row.get(0),
                )
                .optional()
                .map_err(db_err)
            })
            .await?;
        body.map(|b| serde_json::from_str(&b).map_err(json_err))
            .transpose()
    }

    async fn put_endpoint(&self, endpoint: &WebhookEndpoint) -> StoreResult<()> {
        let e = endpoint.clone();
        let body = serde_json::to_string(&e).map_err(json_err)?;
        self.db
            .call(move |c| {
                c.execute(
                    "INSERT OR REPLACE INTO endpoints (tenant, body) VALUES (?1, ?2)",
                    params![e.tenant, body],
                )
                .map_err(db_err)?;
                Ok(())
            })
            .await
    }

    async fn delete_endpoint(&self, tenant: &str) -> StoreResult<()> {
        let t = tenant.to_string();
        self.db
            .call(move |c| {
                c.execute("DELETE FROM endpoints WHERE tenant = ?1", params![t])
                    .map_err(db_err)?;
                Ok(())
            })
            .await
    }
}

#[async_trait]
impl DeliveryLog for SqliteReportStore {
    async fn append_delivery_attempt(
        &self,
        tenant: &str,
        id: &str,
        attempt: &DeliveryAttempt,
    ) -> StoreResult<()> {
        let (t, i) = (tenant.to_string(), id.to_string());
        let body = serde_json::to_string(attempt).map_err(json_err)?;
        self.db
            .call(move |c| {
                c.execute(
                    "INSERT INTO delivery_attempts (tenant, id, body) VALUES (?1, ?2, ?3)",
                    params![t, i, body],
                )
                .map_err(db_err)?;
                Ok(())
            })
            .await
    }

    async fn list_delivery_attempts(
        &self,
        tenant: &str,
        id: &str,
    ) -> StoreResult<Vec<DeliveryAttempt>> {
        let (t, i) = (tenant.to_string(), id.to_string());
        let bodies: Vec<String> = self
            .db
            .call(move |c| {
                let mut stmt = c
                    .prepare(
                        "SELECT body FROM delivery_attempts WHERE tenant = ?1 AND id = ?2 ORDER BY seq",
                    )
                    .map_err(db_err)?;
                let rows = stmt
                    .query_map(params![t, i], |row| row.get::<_, String>(0))
                    .map_err(db_err)?;
                rows.collect::<Result<Vec<_>, _>>().map_err(db_err)
            })
            .await?;
        bodies
            .iter()
            .map(|b| serde_json::from_str(b).map_err(json_err))
            .collect()
    }
}
