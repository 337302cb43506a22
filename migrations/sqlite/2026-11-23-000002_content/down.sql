DROP TABLE content_events;
DROP TABLE anonymisation_flags;
DROP TABLE story_consents;
DROP TABLE content_revisions;
DROP TABLE content_facets;
DROP TABLE content_items;
