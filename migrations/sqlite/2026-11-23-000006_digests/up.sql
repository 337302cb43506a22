-- What a member follows for their digest: an organisation (by handle, local or remote),
-- a learning topic (by slug) or a saved search (its query string, e.g. `q=staff&topic=personnel`).
CREATE TABLE member_follows (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('organisation', 'topic', 'search')),
    target TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, kind, target)
);

-- How often a member wants a digest, and when, in their own time zone. No row: weekly,
-- Monday 08:00 UTC.
CREATE TABLE digest_settings (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'never')),
    hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    timezone TEXT NOT NULL,
    bounces INTEGER NOT NULL DEFAULT 0,
    paused_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);

-- One row per member and period (`daily:2026-11-23`, `weekly:2026-W48`), written before
-- anything is sent: the unique key is what makes a digest run safe to repeat.
CREATE TABLE digest_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    window_end TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'empty', 'failed')),
    items INTEGER NOT NULL DEFAULT 0,
    message_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- After a passing failure (4xx, connection trouble): not before this time.
    next_attempt_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    UNIQUE (user_id, period)
);
CREATE INDEX digest_deliveries_status ON digest_deliveries (status);
