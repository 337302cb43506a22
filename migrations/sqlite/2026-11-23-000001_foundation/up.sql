-- Foundation: instance settings, accounts, sessions, tokens, organisations, vocabularies, jobs.
-- Keep in step with ../../postgres/2026-11-23-000001_foundation/up.sql (see migrations/README.md).

CREATE TABLE instance_settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'member')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'suspended')),
    sign_up_reason TEXT,
    locale TEXT,
    created_at TIMESTAMP NOT NULL,
    approved_at TIMESTAMP
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user_id ON sessions(user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user_id ON api_tokens(user_id);

CREATE TABLE login_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    attempted_at TIMESTAMP NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts(username, attempted_at);
CREATE INDEX login_attempts_client_ip ON login_attempts(client_ip, attempted_at);

CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    code_hash TEXT NOT NULL UNIQUE,
    created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    used_at TIMESTAMP
);

CREATE TABLE vocabulary_terms (
    vocabulary TEXT NOT NULL,
    slug TEXT NOT NULL,
    label TEXT NOT NULL,
    description TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (vocabulary, slug)
);

CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    handle TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    summary TEXT NOT NULL,
    country TEXT NOT NULL,
    regions TEXT NOT NULL,
    languages TEXT NOT NULL,
    kind TEXT NOT NULL,
    hosts_events BOOLEAN NOT NULL,
    accessibility_statement TEXT NOT NULL,
    contact_email TEXT,
    contact_url TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE organisation_members (
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('editor', 'reviewer')),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX organisation_members_user_id ON organisation_members(user_id);

CREATE TABLE organisation_terms (
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    relation TEXT NOT NULL CHECK (relation IN ('wants_to_learn', 'offers_to_share', 'people_supported')),
    vocabulary TEXT NOT NULL,
    slug TEXT NOT NULL,
    PRIMARY KEY (organisation_id, relation, slug),
    FOREIGN KEY (vocabulary, slug) REFERENCES vocabulary_terms(vocabulary, slug)
);
CREATE INDEX organisation_terms_slug ON organisation_terms(vocabulary, slug);

CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    run_at TIMESTAMP NOT NULL,
    lease_owner TEXT,
    lease_expires_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX jobs_ready ON jobs(state, run_at);
