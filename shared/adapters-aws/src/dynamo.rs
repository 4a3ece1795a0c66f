//! Report records, idempotency keys, API keys, webhook endpoints and the delivery log in one
//! DynamoDB table (layout in [`crate::keys`]).

use crate::error::backend;
use crate::keys::{self, EXPIRES_AT, Index, PK, SK};
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::AttributeValue;
use labrador_domain::engine::model::Status;
use labrador_domain::ports::{
    ApiKeyStore, DeliveryLog, EndpointStore, IdempotencyStore, ListFilter, ListPage, RecordStore,
    StoreError, StoreResult,
};
use labrador_domain::record::{
    DeliveryAttempt, IdempotentResponse, ReportId, ReportRecord, TenantId, WebhookEndpoint,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

type Item = HashMap<String, AttributeValue>;

/// The attribute holding an item's JSON document.
const DATA: &str = "data";
const VERSION: &str = "version";
const STATUS: &str = "status";
const TENANT: &str = "tenant";
const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: usize = 200;

#[derive(Clone)]
pub struct DynamoReportStore {
    client: Client,
    table: String,
}

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::backend_from("encode item", e))
}

fn from_item<T: DeserializeOwned>(item: &Item) -> StoreResult<T> {
    let data = item
        .get(DATA)
        .and_then(|v| v.as_s().ok())
        .ok_or_else(|| StoreError::backend("item without data attribute"))?;
    serde_json::from_str(data).map_err(|e| StoreError::backend_from("decode item", e))
}

fn status_name(status: Status) -> String {
    match serde_json::to_value(status) {
        Ok(serde_json::Value::String(name)) => name,
        _ => format!("{status:?}").to_lowercase(),
    }
}

fn is_conditional_failure<E>(err: &aws_sdk_dynamodb::error::SdkError<E>) -> bool
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata,
{
    err.as_service_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "ConditionalCheckFailedException")
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The full item of a report: keys, index keys, the record as JSON and its version.
fn report_item(record: &ReportRecord) -> StoreResult<Item> {
    let time_sk = keys::time_sk(&record.uploaded_at, &record.id);
    let mut item: Item = HashMap::from([
        (PK.into(), s(keys::tenant_pk(&record.tenant))),
        (SK.into(), s(keys::report_sk(&record.id))),
        (DATA.into(), s(to_json(record)?)),
        (VERSION.into(), n(record.version)),
        (STATUS.into(), s(status_name(record.status))),
        (
            keys::BY_TENANT.pk.into(),
            s(keys::tenant_reports_pk(&record.tenant)),
        ),
        (keys::BY_TENANT.sk.into(), s(time_sk.clone())),
    ]);
    if let Some(reference) = record.reference_id.as_deref().filter(|r| !r.is_empty()) {
        item.insert(
            keys::BY_REFERENCE.pk.into(),
            s(keys::reference_pk(&record.tenant, reference)),
        );
        item.insert(keys::BY_REFERENCE.sk.into(), s(time_sk.clone()));
    }
    if !record.content_hash.is_empty() {
        item.insert(
            keys::BY_HASH.pk.into(),
            s(keys::hash_pk(&record.tenant, &record.content_hash)),
        );
        item.insert(keys::BY_HASH.sk.into(), s(time_sk));
    }
    if let Some(expires_at) = record.expires_at {
        item.insert(EXPIRES_AT.into(), n(expires_at));
    }
    Ok(item)
}

impl DynamoReportStore {
    pub fn new(client: Client, table: impl Into<String>) -> DynamoReportStore {
        DynamoReportStore {
            client,
            table: table.into(),
        }
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    async fn get_item(&self, pk: String, sk: String) -> StoreResult<Option<Item>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(PK, s(pk))
            .key(SK, s(sk))
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        Ok(out.item)
    }

    async fn put_item(&self, item: Item) -> StoreResult<()> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn delete_item(&self, pk: String, sk: String) -> StoreResult<()> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key(PK, s(pk))
            .key(SK, s(sk))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    /// Every item of a partition whose sort key starts with `prefix`, in sort-key order.
    async fn query_prefix(&self, pk: String, prefix: String) -> StoreResult<Vec<Item>> {
        let mut pages = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#sk", SK)
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":prefix", s(prefix))
            .consistent_read(true)
            .into_paginator()
            .send();
        let mut items = Vec::new();
        while let Some(page) = pages.next().await {
            items.extend(page.map_err(backend)?.items.unwrap_or_default());
        }
        Ok(items)
    }

    /// One page of reports from an index, newest first, applying the status filter.
    async fn query_index(
        &self,
        tenant: &str,
        index: Index,
        index_pk: String,
        filter: &ListFilter,
    ) -> StoreResult<ListPage> {
        let limit = match filter.limit {
            0 => DEFAULT_PAGE,
            n => n.min(MAX_PAGE),
        };
        let mut start = match filter.cursor.as_deref() {
            None | Some("") => None,
            Some(cursor) => {
                let (time_sk, id) = keys::decode_cursor(cursor).ok_or(StoreError::InvalidCursor)?;
                Some(HashMap::from([
                    (PK.to_string(), s(keys::tenant_pk(tenant))),
                    (SK.to_string(), s(keys::report_sk(&id))),
                    (index.pk.to_string(), s(index_pk.clone())),
                    (index.sk.to_string(), s(time_sk)),
                ]))
            }
        };
        let mut condition = "#ipk = :ipk".to_string();
        let mut values: Item = HashMap::from([(":ipk".to_string(), s(index_pk.clone()))]);
        // Index sort keys are `{uploaded_at}#{id}`: `#` then `$` brackets every id of a timestamp.
        match (&filter.from, &filter.to) {
            (Some(from), Some(to)) => {
                condition.push_str(" AND #isk BETWEEN :from AND :to");
                values.insert(":from".into(), s(from.clone()));
                values.insert(":to".into(), s(format!("{to}$")));
            }
            (Some(from), None) => {
                condition.push_str(" AND #isk >= :from");
                values.insert(":from".into(), s(from.clone()));
            }
            (None, Some(to)) => {
                condition.push_str(" AND #isk <= :to");
                values.insert(":to".into(), s(format!("{to}$")));
            }
            (None, None) => {}
        }
        let uses_sk = filter.from.is_some() || filter.to.is_some();
        let status = filter.status.map(status_name);
        if let Some(status) = &status {
            values.insert(":status".into(), s(status.clone()));
        }

        let mut records = Vec::new();
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(index.name)
                .key_condition_expression(&condition)
                .expression_attribute_names("#ipk", index.pk)
                .set_expression_attribute_values(Some(values.clone()))
                .scan_index_forward(false)
                .limit((limit - records.len()) as i32)
                .set_exclusive_start_key(start.take());
            if uses_sk {
                query = query.expression_attribute_names("#isk", index.sk);
            }
            if status.is_some() {
                query = query
                    .filter_expression("#status = :status")
                    .expression_attribute_names("#status", STATUS);
            }
            let out = query.send().await.map_err(backend)?;
            for item in out.items.unwrap_or_default() {
                records.push(from_item::<ReportRecord>(&item)?);
            }
            match out.last_evaluated_key {
                Some(key) if records.len() < limit => start = Some(key),
                Some(_) => break,
                None => {
                    return Ok(ListPage {
                        records,
                        next_cursor: None,
                    });
                }
            }
        }
        let next_cursor = records
            .last()
            .map(|r| keys::encode_cursor(&keys::time_sk(&r.uploaded_at, &r.id)));
        Ok(ListPage {
            records,
            next_cursor,
        })
    }
}

#[async_trait]
impl RecordStore for DynamoReportStore {
    async fn create(&self, record: &ReportRecord) -> StoreResult<()> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(report_item(record)?))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(err) if is_conditional_failure(&err) => Err(StoreError::Conflict),
            Err(err) => Err(backend(err)),
        }
    }

    async fn get(&self, tenant: &str, id: &str) -> StoreResult<Option<ReportRecord>> {
        self.get_item(keys::tenant_pk(tenant), keys::report_sk(id))
            .await?
            .map(|item| from_item(&item))
            .transpose()
    }

    async fn update(&self, record: &ReportRecord, expected_version: u64) -> StoreResult<()> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(report_item(record)?))
            .condition_expression("attribute_exists(#pk) AND #version = :expected")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#version", VERSION)
            .expression_attribute_values(":expected", n(expected_version))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(err) if is_conditional_failure(&err) => Err(StoreError::Conflict),
            Err(err) => Err(backend(err)),
        }
    }

    async fn delete(&self, tenant: &str, id: &str) -> StoreResult<()> {
        let pk = keys::tenant_pk(tenant);
        for attempt in self
            .query_prefix(pk.clone(), keys::attempts_prefix(id))
            .await?
        {
            if let Some(sk) = attempt.get(SK).and_then(|v| v.as_s().ok()) {
                self.delete_item(pk.clone(), sk.clone()).await?;
            }
        }
        self.delete_item(pk, keys::report_sk(id)).await
    }

    async fn list(&self, tenant: &str, filter: &ListFilter) -> StoreResult<ListPage> {
        match filter.reference_id.as_deref() {
            Some(reference) if !reference.is_empty() => {
                let pk = keys::reference_pk(tenant, reference);
                self.query_index(tenant, keys::BY_REFERENCE, pk, filter)
                    .await
            }
            _ => {
                let pk = keys::tenant_reports_pk(tenant);
                self.query_index(tenant, keys::BY_TENANT, pk, filter).await
            }
        }
    }

    async fn find_by_content_hash(
        &self,
        tenant: &str,
        content_hash: &str,
        except: &str,
    ) -> StoreResult<Option<ReportId>> {
        let mut pages = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(keys::BY_HASH.name)
            .key_condition_expression("#ipk = :ipk")
            .expression_attribute_names("#ipk", keys::BY_HASH.pk)
            .expression_attribute_values(":ipk", s(keys::hash_pk(tenant, content_hash)))
            .scan_index_forward(true)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            for item in page.map_err(backend)?.items.unwrap_or_default() {
                let record: ReportRecord = from_item(&item)?;
                if record.id != except {
                    return Ok(Some(record.id));
                }
            }
        }
        Ok(None)
    }

    async fn in_progress(&self, limit: usize) -> StoreResult<Vec<ReportRecord>> {
        // A filtered scan: the recovery sweep runs rarely and wants every tenant.
        let values = HashMap::from([
            (":r".to_string(), s(keys::report_sk(""))),
            (":s1".to_string(), s("received")),
            (":s2".to_string(), s("queued")),
            (":s3".to_string(), s("processed")),
            (":s4".to_string(), s("standardized")),
        ]);
        let mut records = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .client
                .scan()
                .table_name(&self.table)
                .filter_expression("begins_with(#sk, :r) AND #status IN (:s1, :s2, :s3, :s4)")
                .expression_attribute_names("#sk", SK)
                .expression_attribute_names("#status", STATUS)
                .set_expression_attribute_values(Some(values.clone()))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(backend)?;
            for item in out.items.unwrap_or_default() {
                records.push(from_item::<ReportRecord>(&item)?);
                if records.len() >= limit {
                    return Ok(records);
                }
            }
            match out.last_evaluated_key {
                Some(key) => start = Some(key),
                None => return Ok(records),
            }
        }
    }
}

#[async_trait]
impl IdempotencyStore for DynamoReportStore {
    async fn put_idempotent(&self, response: &IdempotentResponse) -> StoreResult<()> {
        let item = idempotency_item(response)?;
        // TTL deletion lags: an expired key is free again.
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(#pk) OR #exp < :now")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#exp", EXPIRES_AT)
            .expression_attribute_values(":now", n(unix_now()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(err) if is_conditional_failure(&err) => Err(StoreError::Conflict),
            Err(err) => Err(backend(err)),
        }
    }

    async fn replace_idempotent(&self, response: &IdempotentResponse) -> StoreResult<()> {
        self.put_item(idempotency_item(response)?).await
    }

    async fn delete_idempotent(&self, tenant: &str, key: &str) -> StoreResult<()> {
        self.delete_item(keys::tenant_pk(tenant), keys::idempotency_sk(key))
            .await
    }

    async fn get_idempotent(
        &self,
        tenant: &str,
        key: &str,
    ) -> StoreResult<Option<IdempotentResponse>> {
        let Some(item) = self
            .get_item(keys::tenant_pk(tenant), keys::idempotency_sk(key))
            .await?
        else {
            return Ok(None);
        };
        let response: IdempotentResponse = from_item(&item)?;
        Ok((response.expires_at >= unix_now()).then_some(response))
    }
}

#[async_trait]
impl ApiKeyStore for DynamoReportStore {
    async fn tenant_for_api_key_hash(&self, key_hash: &str) -> StoreResult<Option<TenantId>> {
        let item = self
            .get_item(keys::api_key_pk(key_hash), keys::API_KEY_SK.into())
            .await?;
        Ok(item.and_then(|item| item.get(TENANT)?.as_s().ok().cloned()))
    }

    async fn put_api_key_hash(&self, key_hash: &str, tenant: &str) -> StoreResult<()> {
        self.put_item(HashMap::from([
            (PK.into(), s(keys::api_key_pk(key_hash))),
            (SK.into(), s(keys::API_KEY_SK)),
            (TENANT.into(), s(tenant)),
        ]))
        .await
    }
}

#[async_trait]
impl EndpointStore for DynamoReportStore {
    async fn get_endpoint(&self, tenant: &str) -> StoreResult<Option<WebhookEndpoint>> {
        self.get_item(keys::tenant_pk(tenant), keys::ENDPOINT_SK.into())
            .await?
            .map(|item| from_item(&item))
            .transpose()
    }

    async fn put_endpoint(&self, endpoint: &WebhookEndpoint) -> StoreResult<()> {
        self.put_item(HashMap::from([
            (PK.into(), s(keys::tenant_pk(&endpoint.tenant))),
            (SK.into(), s(keys::ENDPOINT_SK)),
            (DATA.into(), s(to_json(endpoint)?)),
        ]))
        .await
    }

    async fn delete_endpoint(&self, tenant: &str) -> StoreResult<()> {
        self.delete_item(keys::tenant_pk(tenant), keys::ENDPOINT_SK.into())
            .await
    }
}

#[async_trait]
impl DeliveryLog for DynamoReportStore {
    async fn append_delivery_attempt(
        &self,
        tenant: &str,
        id: &str,
        attempt: &DeliveryAttempt,
    ) -> StoreResult<()> {
        let sk = keys::attempt_sk(id, &attempt.at, &attempt.event_id, attempt.attempt);
        let mut item: Item = HashMap::from([
            (PK.into(), s(keys::tenant_pk(tenant))),
            (SK.into(), s(sk)),
            (DATA.into(), s(to_json(attempt)?)),
        ]);
        // The log expires with its report.
        let report = self.get(tenant, id).await?;
        if let Some(expires_at) = report.and_then(|r| r.expires_at) {
            item.insert(EXPIRES_AT.into(), n(expires_at));
        }
        self.put_item(item).await
    }

    async fn list_delivery_attempts(
        &self,
        tenant: &str,
        id: &str,
    ) -> StoreResult<Vec<DeliveryAttempt>> {
        self.query_prefix(keys::tenant_pk(tenant), keys::attempts_prefix(id))
            .await?
            .iter()
            .map(from_item)
            .collect()
    }
}

fn idempotency_item(response: &IdempotentResponse) -> StoreResult<Item> {
    Ok(HashMap::from([
        (PK.into(), s(keys::tenant_pk(&response.tenant))),
        (SK.into(), s(keys::idempotency_sk(&response.key))),
        (DATA.into(), s(to_json(response)?)),
        (EXPIRES_AT.into(), n(response.expires_at)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(reference: Option<&str>, hash: &str) -> ReportRecord {
        ReportRecord {
            tenant: "acme".into(),
            id: "r1".into(),
            status: Status::Queued,
            stage: "queued".into(),
            reference_id: reference.map(String::from),
            metadata: Default::default(),
            files: vec![],
            content_hash: hash.into(),
            uploaded_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
            status_history: vec![],
            rejection: None,
            error: None,
            run: 1,
            event_id: None,
            delivery_attempts: 0,
            expires_at: Some(1_900_000_000),
            version: 3,
            delivery: None,
            deleted_at: None,
            claim_released: false,
            request_id: None,
        }
    }

    #[test]
    fn report_item_carries_keys_indexes_and_ttl() {
        let item = report_item(&record(Some("p-1"), "abc")).unwrap();
        assert_eq!(item[PK].as_s().unwrap(), "T#acme");
        assert_eq!(item[SK].as_s().unwrap(), "R#r1");
        assert_eq!(item["gsi1pk"].as_s().unwrap(), "T#acme#REF#p-1");
        assert_eq!(item["gsi2pk"].as_s().unwrap(), "T#acme#H#abc");
        assert_eq!(item["gsi3sk"].as_s().unwrap(), "2026-01-01T00:00:00Z#r1");
        assert_eq!(item[STATUS].as_s().unwrap(), "queued");
        assert_eq!(item[VERSION].as_n().unwrap(), "3");
        assert_eq!(item[EXPIRES_AT].as_n().unwrap(), "1900000000");
        let back: ReportRecord = from_item(&item).unwrap();
        assert_eq!(back, record(Some("p-1"), "abc"));
    }

    #[test]
    fn sparse_indexes_skip_missing_reference_and_hash() {
        let item = report_item(&record(None, "")).unwrap();
        assert!(!item.contains_key("gsi1pk"));
        assert!(!item.contains_key("gsi2pk"));
        assert!(item.contains_key("gsi3pk"));
    }
}
