//! Blobs as files under a data directory. Keys are checked segment by segment so that no key
//! can name a path outside the directory.

use async_trait::async_trait;
use bytes::Bytes;
use labrador_domain::ports::{BlobStore, StoreError, StoreResult};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where deleted prefixes go before they are removed; `~` is in no key, so no key can name it.
const TRASH: &str = "~deleting";

#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    pub fn new(root: impl Into<PathBuf>) -> std::io::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
        Ok(FsBlobStore { root })
    }

    /// The file of a key; `None` when a segment is empty, `.`/`..`, or holds other characters
    /// than letters, digits, `-`, `_`, `.`.
    fn path_of(&self, key: &str) -> Option<PathBuf> {
        let key = key.strip_suffix('/').unwrap_or(key);
        let mut path = self.root.clone();
        for seg in key.split('/') {
            let ok = !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !ok {
                return None;
            }
            path.push(seg);
        }
        Some(path)
    }
}

fn invalid(key: &str) -> StoreError {
    StoreError::backend(format!("invalid blob key {key:?}"))
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::backend_from("file system", e)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> StoreResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::backend_from("blocking task", e))?
        .map_err(io)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        // A full disk leaves a partial temp file: it must not eat the space freed later.
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[async_trait]
impl BlobStore for FsBlobStore {
    async fn put(&self, key: &str, bytes: Bytes, _content_type: &str) -> StoreResult<()> {
        let path = self.path_of(key).ok_or_else(|| invalid(key))?;
        blocking(move || write_atomic(&path, &bytes)).await
    }

    async fn get(&self, key: &str) -> StoreResult<Option<Bytes>> {
        let path = self.path_of(key).ok_or_else(|| invalid(key))?;
        blocking(move || match std::fs::read(&path) {
            Ok(b) => Ok(Some(Bytes::from(b))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            // A directory at a key is not an object.
            Err(_) if path.is_dir() => Ok(None),
            Err(e) => Err(e),
        })
        .await
    }

    async fn delete_prefix(&self, prefix: &str) -> StoreResult<()> {
        let path = self.path_of(prefix).ok_or_else(|| invalid(prefix))?;
        let trash = self
            .root
            .join(TRASH)
            .join(uuid::Uuid::new_v4().simple().to_string());
        blocking(move || {
            if !path.is_dir() {
                return match std::fs::remove_file(&path) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                    other => other,
                };
            }
            // A step still writing into the prefix (an artifact) could add a file between
            // remove_dir_all's listing and its rmdir, failing the delete: the directory leaves its
            // place in one rename first, and is removed from the trash after.
            std::fs::create_dir_all(trash.parent().unwrap_or(&trash))?;
            match std::fs::rename(&path, &trash) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                other => other?,
            }
            let mut attempts = 0;
            loop {
                match std::fs::remove_dir_all(&trash) {
                    Err(e)
                        if e.kind() == std::io::ErrorKind::DirectoryNotEmpty && attempts < 10 =>
                    {
                        attempts += 1;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                    other => return other,
                }
            }
        })
        .await
    }

    async fn head(&self, key: &str) -> StoreResult<Option<u64>> {
        let path = self.path_of(key).ok_or_else(|| invalid(key))?;
        blocking(move || match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => Ok(Some(m.len())),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        })
        .await
    }

    async fn presigned_get_url(&self, _key: &str, _ttl: Duration) -> StoreResult<Option<String>> {
        Ok(None)
    }

    async fn presigned_put_url(
        &self,
        _key: &str,
        _content_type: &str,
        _content_length: u64,
        _ttl: Duration,
    ) -> StoreResult<Option<String>> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn round_trip_and_traversal_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsBlobStore::new(dir.path().join("blobs")).unwrap();
        store
            .put(
                "tenants/t1/reports/r1/files/0",
                Bytes::from_static(b"abc"),
                "x",
            )
            .await
            .unwrap();
        assert_eq!(
            store.get("tenants/t1/reports/r1/files/0").await.unwrap(),
            Some(Bytes::from_static(b"abc"))
        );
        assert_eq!(
            store.get("tenants/t1/reports/r1/files/1").await.unwrap(),
            None
        );
        assert_eq!(
            store.head("tenants/t1/reports/r1/files/0").await.unwrap(),
            Some(3)
        );
        assert_eq!(
            store.head("tenants/t1/reports/r1/files/1").await.unwrap(),
            None
        );
        assert_eq!(store.head("tenants/t1/reports").await.unwrap(), None);
        for bad in [
            "../x",
            "a/../../etc/passwd",
            "/etc/passwd",
            "a//b",
            "a/./b",
            "a/b c",
            "a\\..\\b",
        ] {
            assert!(store.get(bad).await.is_err(), "{bad}");
            assert!(store.put(bad, Bytes::new(), "x").await.is_err(), "{bad}");
        }
        store.delete_prefix("tenants/t1/reports/r1/").await.unwrap();
        assert_eq!(
            store.get("tenants/t1/reports/r1/files/0").await.unwrap(),
            None
        );
        store.delete_prefix("tenants/t1/reports/r1/").await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn deleting_a_prefix_while_a_writer_adds_to_it_succeeds() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsBlobStore::new(dir.path().join("blobs")).unwrap();
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = {
            let (store, done) = (store.clone(), done.clone());
            tokio::spawn(async move {
                let mut n = 0u64;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let key = format!("tenants/t1/reports/r1/artifacts/{}", n % 64);
                    // A put may lose its directory to the delete; only the delete is checked here.
                    let _ = store.put(&key, Bytes::from_static(b"x"), "x").await;
                    n += 1;
                }
            })
        };
        for _ in 0..200 {
            store
                .put(
                    "tenants/t1/reports/r1/files/0",
                    Bytes::from_static(b"abc"),
                    "x",
                )
                .await
                .unwrap();
            store.delete_prefix("tenants/t1/reports/r1/").await.unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        writer.await.unwrap();
    }
}
