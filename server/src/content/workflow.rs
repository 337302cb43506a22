//! The editorial workflow and who may do what. Draft → submitted → approved → published
//! (→ withdrawn). A case story needs its anonymisation flags resolved, a valid consent
//! record, and approval by a reviewer of the organisation other than its author; guides
//! and ISF templates can be published by any editor. Withdrawing consent unpublishes a
//! story at once.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::store::{self, ContentItem, FlagRow, Origin};
use super::{anonymisation, Attribution, ContentError, ContentInput, ContentKind, Details, Status};
use super::{CONSENT_METHODS, CONSENT_SCOPES};
use crate::accounts::{field_error, User};
use crate::db::DbConn;
use crate::organisations::{self, MemberRole};

/// What the person may do in the item's organisation.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    pub role: Option<MemberRole>,
    pub admin: bool,
}

impl Access {
    pub fn can_edit(&self) -> bool {
        self.role.is_some() || self.admin
    }
    pub fn can_review(&self) -> bool {
        self.role == Some(MemberRole::Reviewer)
    }
}

pub fn access(
    conn: &mut DbConn,
    organisation_id: &str,
    user: Option<&User>,
) -> Result<Access, ContentError> {
    let Some(user) = user else {
        return Ok(Access {
            role: None,
            admin: false,
        });
    };
    Ok(Access {
        role: organisations::role_of(conn, organisation_id, &user.id)?,
        admin: user.is_admin(),
    })
}

fn editor_access(
    conn: &mut DbConn,
    organisation_id: &str,
    user: &User,
) -> Result<Access, ContentError> {
    let access = access(conn, organisation_id, Some(user))?;
    if !access.can_edit() {
        return Err(ContentError::Forbidden(
            "Only editors of this organisation can do this.".into(),
        ));
    }
    Ok(access)
}

/// Published items are public; anything else only for the organisation (and admins).
pub fn can_view(
    conn: &mut DbConn,
    item: &ContentItem,
    user: Option<&User>,
) -> Result<bool, ContentError> {
    if item.status == Status::Published {
        return Ok(true);
    }
    Ok(access(conn, &item.row.organisation_id, user)?.can_edit())
}

/// Loads an item the person may see; others get "not found", so drafts don't leak.
pub fn get_visible(
    conn: &mut DbConn,
    id: &str,
    user: Option<&User>,
) -> Result<ContentItem, ContentError> {
    let item = store::get(conn, id)?;
    if !can_view(conn, &item, user)? {
        return Err(ContentError::NotFound);
    }
    Ok(item)
}

fn expect_kind(item: &ContentItem, kind: ContentKind) -> Result<(), ContentError> {
    if item.kind != kind {
        return Err(ContentError::NotFound);
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConn,
    organisation_handle: &str,
    user: &User,
    input: &ContentInput,
) -> Result<ContentItem, ContentError> {
    let org = organisations::get(conn, organisation_handle).map_err(|e| match e {
        organisations::OrganisationError::NotFound => ContentError::Invalid(vec![field_error(
            "organisation",
            "There is no organisation with that handle.",
        )]),
        other => ContentError::Forbidden(other.to_string()),
    })?;
    editor_access(conn, &org.id, user)?;
    let validated = input.validate().map_err(ContentError::Invalid)?;
    let id = store::insert(
        conn,
        &org.id,
        Some(&user.id),
        &validated,
        &Origin::default(),
    )?;
    store::log_event(conn, &id, Some(&user.id), "created", "")?;
    Ok(store::get(conn, &id)?)
}

/// Saves an edit as a new revision. Editing a story that has left the draft state sends it
/// back to draft: changed text must be checked and approved again before it is shown.
pub fn edit(
    conn: &mut DbConn,
    id: &str,
    user: &User,
    input: &ContentInput,
    note: &str,
) -> Result<ContentItem, ContentError> {
    let item = store::get(conn, id)?;
    editor_access(conn, &item.row.organisation_id, user)?;
    if input.details.kind() != item.kind {
        return Err(ContentError::Invalid(vec![field_error(
            "kind",
            "An item cannot change its type.",
        )]));
    }
    let validated = input.validate().map_err(ContentError::Invalid)?;
    let status = match (item.kind, item.status) {
        (ContentKind::CaseStory, Status::Draft) => Status::Draft,
        (ContentKind::CaseStory, _) => Status::Draft,
        (_, status) => status,
    };
    let note = note.trim();
    let revision = store::update(conn, id, &validated, Some(&user.id), note, status)?;
    if status != item.status {
        store::set_status(conn, id, status)?;
        store::log_event(
            conn,
            id,
            Some(&user.id),
            "returned_to_draft",
            "The story was edited; check and approve it again.",
        )?;
    }
    store::log_event(
        conn,
        id,
        Some(&user.id),
        "edited",
        &format!("Revision {revision}. {note}"),
    )?;
    Ok(store::get(conn, id)?)
}

/// Runs the anonymisation check on the story's current text and records the flags for this
/// revision. Flags dismissed before for the same text stay dismissed; flags whose text is
/// gone are marked fixed.
pub fn check_story(conn: &mut DbConn, id: &str, user: &User) -> Result<Vec<FlagRow>, ContentError> {
    let item = store::get(conn, id)?;
    expect_kind(&item, ContentKind::CaseStory)?;
    editor_access(conn, &item.row.organisation_id, user)?;
    record_check(conn, &item, &user.id)?;
    current_flags(conn, &item)
}

fn record_check(conn: &mut DbConn, item: &ContentItem, user_id: &str) -> Result<(), ContentError> {
    let Details::Story(story) = &item.details else {
        return Ok(());
    };
    let previous = store::flags(conn, item.id())?;
    let revision = item.row.revision;
    crate::db::write_transaction(conn, |conn| {
        use crate::db::schema::anonymisation_flags as f;
        use diesel::prelude::*;
        diesel::delete(
            f::table
                .filter(f::content_id.eq(item.id()))
                .filter(f::revision.eq(revision)),
        )
        .execute(conn)?;
        // Earlier open flags whose text is no longer there count as fixed.
        diesel::update(
            f::table
                .filter(f::content_id.eq(item.id()))
                .filter(f::revision.lt(revision))
                .filter(f::resolution.eq("open")),
        )
        .set((
            f::resolution.eq("fixed"),
            f::resolved_by.eq(user_id),
            f::resolved_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
        let pseudonym = Some(story.pseudonym.as_str()).filter(|p| !p.is_empty());
        for (field, text) in [
            ("title", &item.row.title),
            ("summary", &item.row.summary),
            ("body", &item.row.body_source),
        ] {
            for flag in anonymisation::check(text, pseudonym) {
                let dismissed = previous.iter().find(|p| {
                    p.resolution == "dismissed"
                        && p.field == field
                        && p.category == flag.category.as_str()
                        && p.flagged_text == flag.text
                });
                let carried = dismissed.map(|p| ("dismissed", p.reason.as_deref()));
                store::insert_flag(conn, item.id(), revision, field, &flag, carried)?;
            }
        }
        Ok::<_, ContentError>(())
    })
}

/// The flags of the story's current revision.
pub fn current_flags(conn: &mut DbConn, item: &ContentItem) -> Result<Vec<FlagRow>, ContentError> {
    Ok(store::flags(conn, item.id())?
        .into_iter()
        .filter(|f| f.revision == item.row.revision)
        .collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    Fixed,
    Dismissed,
}

/// Marks a flag fixed or dismissed (a dismissal needs a reason, kept in the private log).
pub fn resolve_flag(
    conn: &mut DbConn,
    id: &str,
    flag_id: &str,
    user: &User,
    resolution: Resolution,
    reason: &str,
) -> Result<FlagRow, ContentError> {
    let item = store::get(conn, id)?;
    editor_access(conn, &item.row.organisation_id, user)?;
    let flag = store::flag(conn, flag_id)?;
    if flag.content_id != item.row.id {
        return Err(ContentError::NotFound);
    }
    let reason = reason.trim();
    let (resolution, reason) = match resolution {
        Resolution::Dismissed if reason.is_empty() => {
            return Err(ContentError::Invalid(vec![field_error(
                "reason",
                "Say why this is not identifying.",
            )]));
        }
        Resolution::Dismissed => ("dismissed", Some(reason)),
        Resolution::Fixed => ("fixed", Some(reason).filter(|r| !r.is_empty())),
    };
    store::resolve_flag(conn, flag_id, resolution, reason, &user.id)?;
    Ok(store::flag(conn, flag_id)?)
}

/// Consent as typed in.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ConsentInput {
    /// How consent was obtained: written, easy_read, supported_decision, recorded_verbal, representative.
    pub method: String,
    /// What it covers: web, federate, translate.
    #[serde(default)]
    pub scope: Vec<String>,
    /// The last day the consent is valid (YYYY-MM-DD), if it ends.
    #[serde(default)]
    pub expires_on: Option<String>,
    #[serde(default)]
    pub notes: String,
}

pub fn record_consent(
    conn: &mut DbConn,
    id: &str,
    user: &User,
    input: &ConsentInput,
) -> Result<(), ContentError> {
    let item = store::get(conn, id)?;
    expect_kind(&item, ContentKind::CaseStory)?;
    editor_access(conn, &item.row.organisation_id, user)?;
    let mut errors = Vec::new();
    if !CONSENT_METHODS.iter().any(|(m, _)| *m == input.method) {
        errors.push(field_error("method", "Choose how consent was given."));
    }
    let scope: Vec<String> = CONSENT_SCOPES
        .iter()
        .filter(|(s, _)| input.scope.iter().any(|given| given == s))
        .map(|(s, _)| s.to_string())
        .collect();
    if input
        .scope
        .iter()
        .any(|s| !CONSENT_SCOPES.iter().any(|(known, _)| known == s))
    {
        errors.push(field_error(
            "scope",
            "Choose what the consent covers from the list.",
        ));
    }
    let expires_on = input
        .expires_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(date) = expires_on {
        if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
            errors.push(field_error(
                "expires_on",
                "Give the date as YYYY-MM-DD, for example 2027-12-31.",
            ));
        }
    }
    if input.notes.chars().count() > 2000 {
        errors.push(field_error("notes", "Use at most 2000 characters."));
    }
    if !errors.is_empty() {
        return Err(ContentError::Invalid(errors));
    }
    store::save_consent(
        conn,
        id,
        &input.method,
        &scope,
        expires_on,
        input.notes.trim(),
        Some(&user.id),
    )?;
    store::log_event(conn, id, Some(&user.id), "consent_recorded", "")?;
    Ok(())
}

fn today() -> String {
    chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// Why a story cannot be shown now, if it cannot.
fn consent_problem(conn: &mut DbConn, id: &str) -> Result<Option<&'static str>, ContentError> {
    let Some(consent) = store::consent(conn, id)? else {
        return Ok(Some("Record the person's consent first."));
    };
    if consent.withdrawn_at.is_some() {
        return Ok(Some("The person has withdrawn consent."));
    }
    if consent
        .expires_on
        .as_deref()
        .is_some_and(|d| d < today().as_str())
    {
        return Ok(Some(
            "The person's consent has expired. Record new consent first.",
        ));
    }
    if !consent.scope().iter().any(|s| s == "web") {
        return Ok(Some(
            "The consent does not cover showing the story on the web.",
        ));
    }
    Ok(None)
}

pub fn submit(conn: &mut DbConn, id: &str, user: &User) -> Result<ContentItem, ContentError> {
    let item = store::get(conn, id)?;
    editor_access(conn, &item.row.organisation_id, user)?;
    if !matches!(item.status, Status::Draft) {
        return Err(ContentError::NotAllowedNow(
            "Only drafts can be submitted.".into(),
        ));
    }
    if item.kind == ContentKind::CaseStory {
        record_check(conn, &item, &user.id)?;
        let open = current_flags(conn, &item)?
            .into_iter()
            .filter(|f| f.resolution == "open")
            .count();
        if open > 0 {
            return Err(ContentError::NotAllowedNow(format!(
                "The anonymisation check found {open} possible identifying detail(s). Fix or dismiss each one first."
            )));
        }
        if let Some(problem) = consent_problem(conn, id)? {
            return Err(ContentError::NotAllowedNow(problem.into()));
        }
    }
    store::set_status(conn, id, Status::Submitted)?;
    store::log_event(conn, id, Some(&user.id), "submitted", "")?;
    Ok(store::get(conn, id)?)
}

pub fn approve(conn: &mut DbConn, id: &str, user: &User) -> Result<ContentItem, ContentError> {
    let item = store::get(conn, id)?;
    let access = access(conn, &item.row.organisation_id, Some(user))?;
    if !access.can_review() {
        return Err(ContentError::Forbidden(
            "Only reviewers of this organisation can approve.".into(),
        ));
    }
    if item.row.author_id.as_deref() == Some(user.id.as_str()) {
        return Err(ContentError::Forbidden(
            "Someone other than the author must approve it.".into(),
        ));
    }
    if item.status != Status::Submitted {
        return Err(ContentError::NotAllowedNow(
            "Only submitted items can be approved.".into(),
        ));
    }
    store::set_status(conn, id, Status::Approved)?;
    store::log_event(conn, id, Some(&user.id), "approved", "")?;
    Ok(store::get(conn, id)?)
}

/// A reviewer sends an item back to its author with a note.
pub fn return_to_draft(
    conn: &mut DbConn,
    id: &str,
    user: &User,
    note: &str,
) -> Result<ContentItem, ContentError> {
    let item = store::get(conn, id)?;
    editor_access(conn, &item.row.organisation_id, user)?;
    if !matches!(
        item.status,
        Status::Submitted | Status::Approved | Status::Withdrawn
    ) {
        return Err(ContentError::NotAllowedNow(
            "Only submitted, approved or withdrawn items go back to draft.".into(),
        ));
    }
    store::set_status(conn, id, Status::Draft)?;
    store::log_event(conn, id, Some(&user.id), "returned_to_draft", note.trim())?;
    Ok(store::get(conn, id)?)
}

pub fn publish(conn: &mut DbConn, id: &str, user: &User) -> Result<ContentItem, ContentError> {
    let item = store::get(conn, id)?;
    editor_access(conn, &item.row.organisation_id, user)?;
    match item.kind {
        ContentKind::CaseStory => {
            if item.status != Status::Approved {
                return Err(ContentError::NotAllowedNow(
                    "A story is published after a second person in the organisation approves it."
                        .into(),
                ));
            }
            if let Some(problem) = consent_problem(conn, id)? {
                return Err(ContentError::NotAllowedNow(problem.into()));
            }
        }
        _ => {
            if item.status == Status::Published {
                return Err(ContentError::NotAllowedNow(
                    "It is already published.".into(),
                ));
            }
        }
    }
    store::set_status(conn, id, Status::Published)?;
    store::log_event(conn, id, Some(&user.id), "published", "")?;
    Ok(store::get(conn, id)?)
}

pub fn withdraw(
    conn: &mut DbConn,
    id: &str,
    user: &User,
    note: &str,
) -> Result<ContentItem, ContentError> {
    let item = store::get(conn, id)?;
    editor_access(conn, &item.row.organisation_id, user)?;
    if item.status == Status::Withdrawn || item.status == Status::Draft {
        return Err(ContentError::NotAllowedNow(
            "Only submitted, approved or published items can be withdrawn.".into(),
        ));
    }
    store::set_status(conn, id, Status::Withdrawn)?;
    store::log_event(conn, id, Some(&user.id), "withdrawn", note.trim())?;
    Ok(store::get(conn, id)?)
}

/// The person withdrew consent: record it and take the story down at once.
pub fn withdraw_consent(
    conn: &mut DbConn,
    id: &str,
    user: &User,
    reason: &str,
) -> Result<ContentItem, ContentError> {
    let item = store::get(conn, id)?;
    expect_kind(&item, ContentKind::CaseStory)?;
    editor_access(conn, &item.row.organisation_id, user)?;
    if store::consent(conn, id)?.is_none() {
        return Err(ContentError::NotAllowedNow(
            "There is no consent record to withdraw.".into(),
        ));
    }
    crate::db::write_transaction(conn, |conn| {
        store::mark_consent_withdrawn(conn, id, reason.trim())?;
        if item.status != Status::Draft && item.status != Status::Withdrawn {
            store::set_status(conn, id, Status::Withdrawn)?;
        }
        store::log_event(conn, id, Some(&user.id), "consent_withdrawn", "")?;
        Ok::<_, ContentError>(())
    })?;
    Ok(store::get(conn, id)?)
}

/// Takes down stories whose consent has expired; returns their ids. Run by the maintenance job.
pub fn expire_consents(conn: &mut DbConn) -> Result<Vec<String>, ContentError> {
    let expired = store::published_with_expired_consent(conn, &today())?;
    for id in &expired {
        store::set_status(conn, id, Status::Withdrawn)?;
        store::log_event(
            conn,
            id,
            None,
            "consent_expired",
            "The story was taken down because its consent expired.",
        )?;
    }
    Ok(expired)
}

/// Another version of an item, written by its own organisation for other readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VersionKind {
    /// The same content in easy read: short sentences, common words, often with pictures.
    EasyRead,
    /// The same content in another language.
    Translation,
}

impl VersionKind {
    pub fn parse(text: &str) -> Option<VersionKind> {
        match text {
            "easy_read" => Some(VersionKind::EasyRead),
            "translation" => Some(VersionKind::Translation),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VersionKind::EasyRead => "easy_read",
            VersionKind::Translation => "translation",
        }
    }
}

/// What to write another version of an item as.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct VersionOptions {
    pub variant: VersionKind,
    /// The version's language (BCP 47). Needed for a translation; an easy-read version is
    /// in the original's language unless given.
    #[serde(default)]
    pub lang: Option<String>,
}

/// Starts an easy-read version or a translation of an item, as a draft in the item's own
/// organisation, linked to the original: once published, the original links to it and it
/// links back. Only the organisation's editors may, and only for its own items (a peer's
/// item is theirs to version). The draft goes through its kind's whole workflow: a story's
/// version needs its own consent record before it can be sent for review.
pub fn write_version(
    conn: &mut DbConn,
    source_id: &str,
    user: &User,
    options: &VersionOptions,
) -> Result<ContentItem, ContentError> {
    let source = store::get(conn, source_id)?;
    if source.row.remote_url.is_some() {
        return Err(ContentError::NotAllowedNow(
            "Only the organisation that wrote this can add other versions of it.".into(),
        ));
    }
    editor_access(conn, &source.row.organisation_id, user)?;
    let lang = options
        .lang
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string);
    let lang = match (options.variant, lang) {
        (VersionKind::Translation, None) => {
            return Err(ContentError::Invalid(vec![field_error(
                "lang",
                "Say which language the translation is in.",
            )]))
        }
        (VersionKind::Translation, Some(lang)) if lang == source.row.lang => {
            return Err(ContentError::Invalid(vec![field_error(
                "lang",
                "A translation is in another language than the original.",
            )]))
        }
        (_, Some(lang)) => lang,
        (VersionKind::EasyRead, None) => source.row.lang.clone(),
    };
    // Versions of a version belong to the original.
    let original = source
        .row
        .original_id
        .clone()
        .unwrap_or_else(|| source.row.id.clone());
    let input = ContentInput {
        common: super::CommonInput {
            title: source.row.title.clone(),
            summary: source.row.summary.clone(),
            lang,
            licence: source.row.licence.clone(),
            topics: source.topics.clone(),
            body: source.row.body_source.clone(),
        },
        details: source.details.clone(),
    };
    let validated = input.validate().map_err(ContentError::Invalid)?;
    let origin = Origin {
        original_id: Some(original.clone()),
        variant: Some(options.variant.as_str().to_string()),
        derived_from: None,
    };
    let id = store::insert(
        conn,
        &source.row.organisation_id,
        Some(&user.id),
        &validated,
        &origin,
    )?;
    store::log_event(
        conn,
        &id,
        Some(&user.id),
        "version",
        &format!("Started as the {} of {original}", options.variant.as_str()),
    )?;
    Ok(store::get(conn, &id)?)
}

/// Changes a reader may make while adapting an ISF template to their own country.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AdaptOptions {
    /// The organisation (handle) that adapts the item.
    pub organisation: String,
    /// ISF templates: the new ISO 4217 currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// ISF templates: multiply every amount by this rate (a decimal string) when changing currency.
    #[serde(default)]
    pub exchange_rate: Option<String>,
    /// ISF templates: the new country (ISO 3166).
    #[serde(default)]
    pub country: Option<String>,
    /// ISF templates: the new funding scheme.
    #[serde(default)]
    pub scheme: Option<String>,
}

/// Makes a draft copy of a published ISF template or guide in the reader's organisation,
/// recording where it came from. `site_url` is this instance's public address, used to
/// name a local source; a copy received from a peer is attributed to its original.
pub fn adapt(
    conn: &mut DbConn,
    source_id: &str,
    user: &User,
    site_url: &str,
    options: &AdaptOptions,
) -> Result<ContentItem, ContentError> {
    let source = store::get(conn, source_id)?;
    if source.status != Status::Published {
        return Err(ContentError::NotFound);
    }
    let source_url = source
        .row
        .remote_url
        .clone()
        .unwrap_or_else(|| format!("{}{}", site_url.trim_end_matches('/'), source.path()));
    if source.kind == ContentKind::CaseStory {
        return Err(ContentError::NotAllowedNow(
            "Case stories cannot be adapted; ISF templates and guides can.".into(),
        ));
    }
    let target = organisations::get(conn, &options.organisation).map_err(|_| {
        ContentError::Invalid(vec![field_error(
            "organisation",
            "Choose one of your organisations.",
        )])
    })?;
    editor_access(conn, &target.id, user)?;

    let mut details = source.details.clone();
    if let Details::Isf(data) = &mut details {
        let mut errors = Vec::new();
        if let Some(code) = options
            .currency
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let rate = match options
                .exchange_rate
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
            {
                Some(raw) => match raw.parse::<rust_decimal::Decimal>() {
                    Ok(rate) if rate > rust_decimal::Decimal::ZERO => Some(rate),
                    _ => {
                        errors.push(field_error(
                            "exchange_rate",
                            "Give the exchange rate as a positive number, like 1.17.",
                        ));
                        None
                    }
                },
                None => None,
            };
            if errors.is_empty() {
                match data.with_currency(&code.to_uppercase(), rate) {
                    Ok(converted) => **data = converted,
                    Err(problems) => errors.extend(problems),
                }
            }
        }
        if let Some(country) = options
            .country
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            match organisations::parse_country(country) {
                Ok(code) => {
                    let (country, subdivision) = match code.split_once('-') {
                        Some((c, _)) => (c.to_string(), Some(code.clone())),
                        None => (code.clone(), None),
                    };
                    data.jurisdiction.country = country;
                    data.jurisdiction.subdivision = subdivision;
                }
                Err(e) => errors.push(e.for_field("country")),
            }
        }
        if let Some(scheme) = options
            .scheme
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            data.jurisdiction.scheme = scheme.to_string();
        }
        if !errors.is_empty() {
            return Err(ContentError::Invalid(errors));
        }
    }
    let input = ContentInput {
        common: super::CommonInput {
            title: source.row.title.clone(),
            summary: source.row.summary.clone(),
            lang: source.row.lang.clone(),
            licence: source.row.licence.clone(),
            topics: source.topics.clone(),
            body: source.row.body_source.clone(),
        },
        details,
    };
    let validated = input.validate().map_err(ContentError::Invalid)?;
    let origin = Origin {
        derived_from: Some(Attribution {
            url: source_url.to_string(),
            title: source.row.title.clone(),
            organisation: source.organisation_name.clone(),
            revision: Some(source.row.revision),
        }),
        ..Origin::default()
    };
    let id = store::insert(conn, &target.id, Some(&user.id), &validated, &origin)?;
    store::log_event(
        conn,
        &id,
        Some(&user.id),
        "adapted",
        &format!("Adapted from {source_url}"),
    )?;
    Ok(store::get(conn, &id)?)
}
