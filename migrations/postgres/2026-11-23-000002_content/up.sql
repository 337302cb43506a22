-- Content: case stories, ISF templates and practice guides, with revisions, private
-- consent records, the private anonymisation log and the editorial history.
-- Keep in step with the sqlite folder of the same name (see migrations/README.md).

CREATE TABLE content_items (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('case_story', 'isf_template', 'practice_guide')),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    lang TEXT NOT NULL,
    licence TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'published', 'withdrawn')),
    body_source TEXT NOT NULL,
    body_html TEXT NOT NULL,
    data TEXT NOT NULL,
    country TEXT,
    revision INTEGER NOT NULL,
    author_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    original_id TEXT REFERENCES content_items(id) ON DELETE SET NULL,
    variant TEXT CHECK (variant IN ('translation', 'easy_read')),
    derived_from_url TEXT,
    derived_from_title TEXT,
    derived_from_organisation TEXT,
    derived_from_revision INTEGER,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    withdrawn_at TIMESTAMP,
    UNIQUE (organisation_id, kind, slug)
);
CREATE INDEX content_items_listing ON content_items(kind, status, published_at);
CREATE INDEX content_items_organisation ON content_items(organisation_id, kind);

CREATE TABLE content_facets (
    content_id TEXT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (content_id, facet, value)
);
CREATE INDEX content_facets_value ON content_facets(facet, value);

CREATE TABLE content_revisions (
    id TEXT PRIMARY KEY NOT NULL,
    content_id TEXT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_source TEXT NOT NULL,
    data TEXT NOT NULL,
    editor_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (content_id, revision)
);

CREATE TABLE story_consents (
    content_id TEXT PRIMARY KEY NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    method TEXT NOT NULL,
    scope TEXT NOT NULL,
    expires_on TEXT,
    notes TEXT NOT NULL,
    withdrawn_at TIMESTAMP,
    withdrawn_reason TEXT,
    recorded_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE anonymisation_flags (
    id TEXT PRIMARY KEY NOT NULL,
    content_id TEXT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    field TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    category TEXT NOT NULL,
    flagged_text TEXT NOT NULL,
    suggestion TEXT NOT NULL,
    resolution TEXT NOT NULL CHECK (resolution IN ('open', 'fixed', 'dismissed')),
    reason TEXT,
    resolved_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    resolved_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX anonymisation_flags_content ON anonymisation_flags(content_id, revision);

CREATE TABLE content_events (
    id TEXT PRIMARY KEY NOT NULL,
    content_id TEXT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    actor_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX content_events_content ON content_events(content_id, created_at);
