// Hand-written to match migrations/{sqlite,postgres}; `tests/storage.rs` checks both databases agree.

diesel::table! {
    instance_settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        status -> Text,
        sign_up_reason -> Nullable<Text>,
        locale -> Nullable<Text>,
        created_at -> Timestamp,
        approved_at -> Nullable<Timestamp>,
        email_confirmed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    account_tokens (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> Text,
        username -> Text,
        client_ip -> Text,
        succeeded -> Bool,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        code_hash -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_by -> Nullable<Text>,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    vocabulary_terms (vocabulary, slug) {
        vocabulary -> Text,
        slug -> Text,
        label -> Text,
        description -> Text,
        position -> Integer,
    }
}

diesel::table! {
    organisations (id) {
        id -> Text,
        handle -> Text,
        name -> Text,
        summary -> Text,
        country -> Text,
        regions -> Text,
        languages -> Text,
        kind -> Text,
        hosts_events -> Bool,
        accessibility_statement -> Text,
        contact_email -> Nullable<Text>,
        contact_url -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        actor_id -> Nullable<Text>,
        local -> Bool,
        inbox_url -> Nullable<Text>,
        shared_inbox_url -> Nullable<Text>,
        public_key_pem -> Nullable<Text>,
        private_key_pem -> Nullable<Text>,
        fetched_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    organisation_members (organisation_id, user_id) {
        organisation_id -> Text,
        user_id -> Text,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    organisation_terms (organisation_id, relation, slug) {
        organisation_id -> Text,
        relation -> Text,
        vocabulary -> Text,
        slug -> Text,
    }
}

diesel::table! {
    jobs (id) {
        id -> Text,
        kind -> Text,
        payload -> Text,
        dedupe_key -> Nullable<Text>,
        state -> Text,
        attempts -> Integer,
        max_attempts -> Integer,
        run_at -> Timestamp,
        lease_owner -> Nullable<Text>,
        lease_expires_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(organisation_members -> organisations (organisation_id));
diesel::joinable!(organisation_members -> users (user_id));
diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(member_follows -> users (user_id));
diesel::joinable!(digest_settings -> users (user_id));
diesel::joinable!(digest_deliveries -> users (user_id));
diesel::joinable!(organisation_terms -> organisations (organisation_id));

diesel::table! {
    content_items (id) {
        id -> Text,
        organisation_id -> Text,
        kind -> Text,
        slug -> Text,
        title -> Text,
        summary -> Text,
        lang -> Text,
        licence -> Text,
        status -> Text,
        body_source -> Text,
        body_html -> Text,
        data -> Text,
        country -> Nullable<Text>,
        revision -> Integer,
        author_id -> Nullable<Text>,
        original_id -> Nullable<Text>,
        variant -> Nullable<Text>,
        derived_from_url -> Nullable<Text>,
        derived_from_title -> Nullable<Text>,
        derived_from_organisation -> Nullable<Text>,
        derived_from_revision -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        ap_id -> Nullable<Text>,
        local -> Bool,
        remote_url -> Nullable<Text>,
    }
}

diesel::table! {
    follows (id) {
        id -> Text,
        follower -> Text,
        follower_inbox -> Text,
        following -> Text,
        state -> Text,
        activity_id -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    received_activities (id) {
        id -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    search_pending (doc_id) {
        doc_id -> Text,
        doc_kind -> Text,
        queued_at -> Timestamp,
    }
}

diesel::table! {
    member_follows (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        target -> Text,
        label -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    digest_settings (user_id) {
        user_id -> Text,
        frequency -> Text,
        hour -> Integer,
        weekday -> Integer,
        timezone -> Text,
        bounces -> Integer,
        paused_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    digest_deliveries (id) {
        id -> Text,
        user_id -> Text,
        period -> Text,
        window_start -> Timestamp,
        window_end -> Timestamp,
        status -> Text,
        items -> Integer,
        message_id -> Nullable<Text>,
        attempts -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    delivery_hosts (host) {
        host -> Text,
        failures -> Integer,
        last_error -> Nullable<Text>,
        paused_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    moderation_reports (id) {
        id -> Text,
        content_id -> Nullable<Text>,
        object_url -> Text,
        reporter -> Text,
        reason -> Text,
        origin -> Text,
        forwarded -> Bool,
        created_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    federation_domains (domain) {
        domain -> Text,
        policy -> Text,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    content_facets (content_id, facet, value) {
        content_id -> Text,
        facet -> Text,
        value -> Text,
    }
}

diesel::table! {
    content_revisions (id) {
        id -> Text,
        content_id -> Text,
        revision -> Integer,
        title -> Text,
        summary -> Text,
        body_source -> Text,
        data -> Text,
        editor_id -> Nullable<Text>,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    story_consents (content_id) {
        content_id -> Text,
        method -> Text,
        scope -> Text,
        expires_on -> Nullable<Text>,
        notes -> Text,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawn_reason -> Nullable<Text>,
        recorded_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    anonymisation_flags (id) {
        id -> Text,
        content_id -> Text,
        revision -> Integer,
        field -> Text,
        start_char -> Integer,
        end_char -> Integer,
        category -> Text,
        flagged_text -> Text,
        suggestion -> Text,
        resolution -> Text,
        reason -> Nullable<Text>,
        resolved_by -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    content_events (id) {
        id -> Text,
        content_id -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(content_items -> organisations (organisation_id));
diesel::joinable!(content_facets -> content_items (content_id));
diesel::joinable!(content_revisions -> content_items (content_id));
diesel::joinable!(story_consents -> content_items (content_id));
diesel::joinable!(anonymisation_flags -> content_items (content_id));
diesel::joinable!(content_events -> content_items (content_id));

diesel::allow_tables_to_appear_in_same_query!(
    instance_settings,
    users,
    sessions,
    api_tokens,
    login_attempts,
    invitations,
    vocabulary_terms,
    organisations,
    organisation_members,
    organisation_terms,
    jobs,
    content_items,
    content_facets,
    content_revisions,
    story_consents,
    anonymisation_flags,
    content_events,
    follows,
    received_activities,
    federation_domains,
    delivery_hosts,
    moderation_reports,
    search_pending,
    account_tokens,
    member_follows,
    digest_settings,
    digest_deliveries,
);
