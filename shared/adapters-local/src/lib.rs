//! Embedded adapters: filesystem blobs, SQLite records and a durable SQLite job queue.
