-- Federation: organisations and content from other instances live in the same tables as
-- local ones (local = false); follows, received activity ids and the domain policy.
-- Keep in step with the sqlite folder of the same name (see migrations/README.md).

ALTER TABLE organisations ADD COLUMN actor_id TEXT;
ALTER TABLE organisations ADD COLUMN local BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE organisations ADD COLUMN inbox_url TEXT;
ALTER TABLE organisations ADD COLUMN shared_inbox_url TEXT;
ALTER TABLE organisations ADD COLUMN public_key_pem TEXT;
ALTER TABLE organisations ADD COLUMN private_key_pem TEXT;
ALTER TABLE organisations ADD COLUMN fetched_at TIMESTAMP;
CREATE UNIQUE INDEX organisations_actor_id ON organisations(actor_id);

ALTER TABLE content_items ADD COLUMN ap_id TEXT;
ALTER TABLE content_items ADD COLUMN local BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE content_items ADD COLUMN remote_url TEXT;
CREATE UNIQUE INDEX content_items_ap_id ON content_items(ap_id);

CREATE TABLE follows (
    id TEXT PRIMARY KEY NOT NULL,
    follower TEXT NOT NULL,
    follower_inbox TEXT NOT NULL,
    following TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    activity_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (follower, following)
);
CREATE INDEX follows_following ON follows(following, state);

CREATE TABLE received_activities (
    id TEXT PRIMARY KEY NOT NULL,
    received_at TIMESTAMP NOT NULL
);

CREATE TABLE federation_domains (
    domain TEXT PRIMARY KEY NOT NULL,
    policy TEXT NOT NULL CHECK (policy IN ('allow', 'block')),
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Per remote host delivery health: a host that keeps failing is paused, so deliveries
-- to it wait (without using up their attempts) and the rest of the queue moves on.
CREATE TABLE delivery_hosts (
    host TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_error TEXT,
    paused_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);

-- Reports about content, made here or received from other instances (Flag). Moderators
-- and administrators see and resolve them.
CREATE TABLE moderation_reports (
    id TEXT PRIMARY KEY NOT NULL,
    content_id TEXT REFERENCES content_items(id) ON DELETE SET NULL,
    object_url TEXT NOT NULL,
    reporter TEXT NOT NULL,
    reason TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('local', 'remote')),
    forwarded BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP
);
