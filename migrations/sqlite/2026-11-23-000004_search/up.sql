-- Documents waiting to be (re)indexed. A row is written in the same transaction as the
-- change to the item or organisation, so a crash before the index is updated loses nothing:
-- the next sync (or the next start) finds the row and indexes the document again.
CREATE TABLE search_pending (
    doc_id TEXT PRIMARY KEY NOT NULL,
    doc_kind TEXT NOT NULL,
    queued_at TIMESTAMP NOT NULL
);
