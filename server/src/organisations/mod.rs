//! Organisations: profiles (as in DOMAIN.md), membership of people as editors or
//! reviewers, and who may change what. It reads vocabularies from `taxonomy` and users
//! from `accounts`, but never writes to either.

use std::collections::BTreeSet;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::{field_error, field_error_with, FieldError, User};
use crate::db::schema::{organisation_members, organisation_terms, organisations, users};
use crate::db::{self, DbConn, DbError};
use crate::taxonomy::{self, Taxonomy};

#[derive(Debug, thiserror::Error)]
pub enum OrganisationError {
    #[error("Some fields need changing.")]
    Invalid(Vec<FieldError>),
    #[error("Another organisation already uses this handle. Choose another.")]
    HandleTaken,
    #[error("There is no such organisation.")]
    NotFound,
    #[error("There is no such account.")]
    UnknownUser,
    #[error("Only editors of this organisation can do this.")]
    Forbidden,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for OrganisationError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => OrganisationError::NotFound,
            other => OrganisationError::Db(DbError::Query(other)),
        }
    }
}

pub const KINDS: &[&str] = &[
    "provider",
    "user_led",
    "family_led",
    "broker",
    "commissioner",
    "research",
    "advocacy",
    "network",
];

/// The kind given to accounts of other fediverse software (a person, a bot) that follow
/// organisations here: stored beside organisations, but not listed as one.
pub const REMOTE_ACCOUNT_KIND: &str = "account";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberRole {
    /// Writes content and edits the profile.
    Editor,
    /// Everything an editor does, and approves content for publishing.
    Reviewer,
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Editor => "editor",
            MemberRole::Reviewer => "reviewer",
        }
    }
    pub fn parse(text: &str) -> Option<MemberRole> {
        match text {
            "editor" => Some(MemberRole::Editor),
            "reviewer" => Some(MemberRole::Reviewer),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct OrganisationRow {
    pub id: String,
    pub handle: String,
    pub name: String,
    pub summary: String,
    pub country: String,
    pub regions: String,
    pub languages: String,
    pub kind: String,
    pub hosts_events: bool,
    pub accessibility_statement: String,
    pub contact_email: Option<String>,
    pub contact_url: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// A whole organisation profile as the domain sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Organisation {
    pub id: String,
    pub handle: String,
    pub profile: Profile,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// The editable part of an organisation, validated.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Profile {
    pub name: String,
    pub summary: String,
    pub country: String,
    pub regions: Vec<String>,
    pub languages: Vec<String>,
    pub kind: String,
    pub people_supported: Vec<String>,
    pub wants_to_learn: Vec<String>,
    pub offers_to_share: Vec<String>,
    pub hosts_events: bool,
    pub accessibility_statement: String,
    pub contact_email: Option<String>,
    pub contact_url: Option<String>,
}

/// A profile as typed into a form or sent to the API, before validation.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ProfileInput {
    pub name: String,
    #[serde(default)]
    pub summary: String,
    pub country: String,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    pub kind: String,
    #[serde(default)]
    pub people_supported: Vec<String>,
    #[serde(default)]
    pub wants_to_learn: Vec<String>,
    #[serde(default)]
    pub offers_to_share: Vec<String>,
    #[serde(default)]
    pub hosts_events: bool,
    #[serde(default)]
    pub accessibility_statement: String,
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub contact_url: Option<String>,
}

/// Handles are lower-case letters, digits and inner hyphens: they appear in URLs and in
/// fediverse addresses (`@handle@host`).
/// Names that would clash with the instance's own actor or with site paths.
const RESERVED_HANDLES: &[&str] = &[
    "mutual", "actor", "inbox", "admin", "api", "static", "new", "instance",
];

pub fn parse_handle(raw: &str) -> Result<String, FieldError> {
    let handle = raw.trim().to_lowercase();
    if RESERVED_HANDLES.contains(&handle.as_str()) {
        return Err(field_error(
            "handle",
            "This name is reserved. Choose another.",
        ));
    }
    let chars_ok = handle
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if handle.len() < 2 || handle.len() > 40 {
        return Err(field_error("handle", "Use 2 to 40 characters."));
    }
    if !chars_ok || handle.starts_with('-') || handle.ends_with('-') || handle.contains("--") {
        return Err(field_error(
            "handle",
            "Use only letters a to z, numbers and single hyphens, like open-doors.",
        ));
    }
    Ok(handle)
}

/// ISO 3166-1 alpha-2 (`FI`) or, for parts of a country such as the UK nations, ISO 3166-2 (`GB-SCT`).
pub fn parse_country(raw: &str) -> Result<String, FieldError> {
    let code = raw.trim().to_uppercase();
    let known = if code.len() == 2 {
        rust_iso3166::from_alpha2(&code).is_some()
    } else {
        rust_iso3166::iso3166_2::from_code(&code).is_some()
    };
    if !known {
        return Err(field_error(
            "country",
            "Choose a country. Use a code such as FI, or GB-SCT for Scotland.",
        ));
    }
    Ok(code)
}

/// Every country code the interface offers: ISO 3166-1 and the UK's nations.
pub fn country_codes() -> impl Iterator<Item = &'static str> {
    rust_iso3166::ALL.iter().map(|c| c.alpha2).chain(UK_NATIONS)
}

/// The UK's nations, offered as countries of their own: networks there are organised by
/// nation.
pub const UK_NATIONS: [&str; 4] = ["GB-ENG", "GB-NIR", "GB-SCT", "GB-WLS"];

pub fn country_name(code: &str) -> String {
    if code.len() == 2 {
        rust_iso3166::from_alpha2(code)
            .map(|c| c.name.to_string())
            .unwrap_or_else(|| code.to_string())
    } else {
        rust_iso3166::iso3166_2::from_code(code)
            .map(|s| s.name.to_string())
            .unwrap_or_else(|| code.to_string())
    }
}

/// The country's name in the interface language `lang` (`country-<code>` in the message
/// catalogues), else its ISO 3166 name, else the code.
pub fn country_name_in(lang: &str, code: &str) -> String {
    crate::i18n::lookup(lang, &format!("country-{code}")).unwrap_or_else(|| country_name(code))
}

pub fn parse_language(raw: &str) -> Option<String> {
    let tag = oxilangtag::LanguageTag::parse(raw.trim().to_string()).ok()?;
    Some(tag.as_str().to_string())
}

fn clean_list(values: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    values
        .iter()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty() && seen.insert(v.clone()))
        .collect()
}

fn check_terms(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    vocabulary: &str,
    values: &[String],
) -> Vec<String> {
    let taxonomy = Taxonomy::get();
    let values = clean_list(values);
    let unknown: Vec<_> = values
        .iter()
        .filter(|slug| taxonomy.term(vocabulary, slug).is_none())
        .cloned()
        .collect();
    if !unknown.is_empty() {
        errors.push(field_error_with(
            field,
            "Unknown choice: { $values }. Pick from the list.",
            &[("values", unknown.join(", "))],
        ));
    }
    values
}

fn limited(errors: &mut Vec<FieldError>, field: &'static str, text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() > max {
        errors.push(field_error_with(
            field,
            "Use at most { $max } characters.",
            &[("max", max.to_string())],
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        errors.push(field_error(field, "Remove special control characters."));
    }
    text.to_string()
}

impl ProfileInput {
    /// Checks every field and reports all problems together.
    pub fn validate(&self) -> Result<Profile, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = limited(&mut errors, "name", &self.name, 200);
        if name.is_empty() {
            errors.push(field_error("name", "Enter the organisation's name."));
        }
        let summary = limited(&mut errors, "summary", &self.summary, 2000);
        let country = parse_country(&self.country)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let regions = clean_list(&self.regions);
        if regions.len() > 20 || regions.iter().any(|r| r.chars().count() > 100) {
            errors.push(field_error(
                "regions",
                "List at most 20 regions of up to 100 characters each.",
            ));
        }
        let mut languages = Vec::new();
        for raw in clean_list(&self.languages) {
            match parse_language(&raw) {
                Some(tag) if !languages.contains(&tag) => languages.push(tag),
                Some(_) => {}
                None => errors.push(field_error_with(
                    "languages",
                    "'{ $value }' is not a language code. Use codes such as en, fi or fr-CA.",
                    &[("value", raw.clone())],
                )),
            }
        }
        if languages.is_empty() && !errors.iter().any(|e| e.field == "languages") {
            errors.push(field_error("languages", "Choose at least one language."));
        }
        let kind = self.kind.trim().to_string();
        if !KINDS.contains(&kind.as_str()) {
            errors.push(field_error(
                "kind",
                "Choose what kind of organisation this is.",
            ));
        }
        let people_supported = check_terms(
            &mut errors,
            "people_supported",
            taxonomy::PEOPLE_SUPPORTED,
            &self.people_supported,
        );
        let wants_to_learn = check_terms(
            &mut errors,
            "wants_to_learn",
            taxonomy::LEARNING_TOPICS,
            &self.wants_to_learn,
        );
        let offers_to_share = check_terms(
            &mut errors,
            "offers_to_share",
            taxonomy::LEARNING_TOPICS,
            &self.offers_to_share,
        );
        let accessibility_statement = limited(
            &mut errors,
            "accessibility_statement",
            &self.accessibility_statement,
            5000,
        );
        let contact_email = match self
            .contact_email
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(raw) => crate::accounts::parse_email(raw)
                .map_err(|e| errors.push(e.for_field("contact_email")))
                .ok(),
            None => None,
        };
        let contact_url = match self
            .contact_url
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(raw) => match url::Url::parse(raw) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && raw.len() <= 500 => {
                    Some(u.to_string())
                }
                _ => {
                    errors.push(field_error(
                        "contact_url",
                        "Enter a web address starting with https://",
                    ));
                    None
                }
            },
            None => None,
        };
        if errors.is_empty() {
            Ok(Profile {
                name,
                summary,
                country,
                regions,
                languages,
                kind,
                people_supported,
                wants_to_learn,
                offers_to_share,
                hosts_events: self.hosts_events,
                accessibility_statement,
                contact_email,
                contact_url,
            })
        } else {
            Err(errors)
        }
    }
}

fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

fn from_json(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn write_terms(conn: &mut DbConn, organisation_id: &str, profile: &Profile) -> QueryResult<()> {
    diesel::delete(
        organisation_terms::table.filter(organisation_terms::organisation_id.eq(organisation_id)),
    )
    .execute(conn)?;
    let groups = [
        (
            "people_supported",
            taxonomy::PEOPLE_SUPPORTED,
            &profile.people_supported,
        ),
        (
            "wants_to_learn",
            taxonomy::LEARNING_TOPICS,
            &profile.wants_to_learn,
        ),
        (
            "offers_to_share",
            taxonomy::LEARNING_TOPICS,
            &profile.offers_to_share,
        ),
    ];
    for (relation, vocabulary, slugs) in groups {
        for slug in slugs {
            diesel::insert_into(organisation_terms::table)
                .values((
                    organisation_terms::organisation_id.eq(organisation_id),
                    organisation_terms::relation.eq(relation),
                    organisation_terms::vocabulary.eq(vocabulary),
                    organisation_terms::slug.eq(slug),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Creates an organisation; `creator` (if any) becomes its first reviewer.
pub fn create(
    conn: &mut DbConn,
    handle: &str,
    input: &ProfileInput,
    creator: Option<&str>,
) -> Result<Organisation, OrganisationError> {
    let mut errors = Vec::new();
    let handle = parse_handle(handle).map_err(|e| errors.push(e)).ok();
    let profile = input.validate().map_err(|e| errors.extend(e)).ok();
    let (Some(handle), Some(profile)) = (handle, profile) else {
        return Err(OrganisationError::Invalid(errors));
    };
    if find_row(conn, &handle)?.is_some() {
        return Err(OrganisationError::HandleTaken);
    }
    let id = db::new_id();
    let now = db::now();
    crate::db::write_transaction(conn, |conn| {
        diesel::insert_into(organisations::table)
            .values((
                organisations::id.eq(&id),
                organisations::handle.eq(&handle),
                organisations::name.eq(&profile.name),
                organisations::summary.eq(&profile.summary),
                organisations::country.eq(&profile.country),
                organisations::regions.eq(to_json(&profile.regions)),
                organisations::languages.eq(to_json(&profile.languages)),
                organisations::kind.eq(&profile.kind),
                organisations::hosts_events.eq(profile.hosts_events),
                organisations::accessibility_statement.eq(&profile.accessibility_statement),
                organisations::contact_email.eq(&profile.contact_email),
                organisations::contact_url.eq(&profile.contact_url),
                organisations::created_at.eq(now),
                organisations::updated_at.eq(now),
            ))
            .execute(conn)
            .map_err(|e| {
                if db::is_unique_violation(&e) {
                    OrganisationError::HandleTaken
                } else {
                    OrganisationError::from(e)
                }
            })?;
        write_terms(conn, &id, &profile)?;
        crate::search::pending::enqueue_organisation(conn, &id)?;
        if let Some(user_id) = creator {
            add_member(conn, &id, user_id, MemberRole::Reviewer)?;
        }
        Ok::<_, OrganisationError>(())
    })?;
    get(conn, &handle)
}

/// Replaces the profile. Permission is checked by the caller with [`can_edit`].
pub fn update(
    conn: &mut DbConn,
    handle: &str,
    input: &ProfileInput,
) -> Result<Organisation, OrganisationError> {
    let profile = input.validate().map_err(OrganisationError::Invalid)?;
    let row = find_row(conn, handle)?.ok_or(OrganisationError::NotFound)?;
    crate::db::write_transaction(conn, |conn| {
        diesel::update(organisations::table.filter(organisations::id.eq(&row.id)))
            .set((
                organisations::name.eq(&profile.name),
                organisations::summary.eq(&profile.summary),
                organisations::country.eq(&profile.country),
                organisations::regions.eq(to_json(&profile.regions)),
                organisations::languages.eq(to_json(&profile.languages)),
                organisations::kind.eq(&profile.kind),
                organisations::hosts_events.eq(profile.hosts_events),
                organisations::accessibility_statement.eq(&profile.accessibility_statement),
                organisations::contact_email.eq(&profile.contact_email),
                organisations::contact_url.eq(&profile.contact_url),
                organisations::updated_at.eq(db::now()),
            ))
            .execute(conn)?;
        write_terms(conn, &row.id, &profile)?;
        crate::search::pending::enqueue_organisation(conn, &row.id)?;
        Ok::<_, OrganisationError>(())
    })?;
    get(conn, handle)
}

fn find_row(conn: &mut DbConn, handle: &str) -> QueryResult<Option<OrganisationRow>> {
    organisations::table
        .filter(organisations::handle.eq(handle.trim().to_lowercase()))
        .select(OrganisationRow::as_select())
        .first(conn)
        .optional()
}

fn assemble(conn: &mut DbConn, row: OrganisationRow) -> QueryResult<Organisation> {
    let terms: Vec<(String, String)> = organisation_terms::table
        .filter(organisation_terms::organisation_id.eq(&row.id))
        .select((organisation_terms::relation, organisation_terms::slug))
        .load(conn)?;
    let taxonomy = Taxonomy::get();
    let ordered = |relation: &str, vocabulary: &str| -> Vec<String> {
        // Keep the vocabulary's own order, so pages list terms consistently.
        taxonomy
            .terms(vocabulary)
            .iter()
            .filter(|t| terms.iter().any(|(r, s)| r == relation && *s == t.slug))
            .map(|t| t.slug.clone())
            .collect()
    };
    Ok(Organisation {
        profile: Profile {
            people_supported: ordered("people_supported", taxonomy::PEOPLE_SUPPORTED),
            wants_to_learn: ordered("wants_to_learn", taxonomy::LEARNING_TOPICS),
            offers_to_share: ordered("offers_to_share", taxonomy::LEARNING_TOPICS),
            name: row.name,
            summary: row.summary,
            country: row.country,
            regions: from_json(&row.regions),
            languages: from_json(&row.languages),
            kind: row.kind,
            hosts_events: row.hosts_events,
            accessibility_statement: row.accessibility_statement,
            contact_email: row.contact_email,
            contact_url: row.contact_url,
        },
        id: row.id,
        handle: row.handle,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// An organisation by id, with whether it is one of this instance's own.
pub fn get_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<(Organisation, bool)>> {
    let row: Option<(OrganisationRow, bool)> = organisations::table
        .filter(organisations::id.eq(id))
        .select((OrganisationRow::as_select(), organisations::local))
        .first(conn)
        .optional()?;
    match row {
        Some((row, local)) => Ok(Some((assemble(conn, row)?, local))),
        None => Ok(None),
    }
}

pub fn get(conn: &mut DbConn, handle: &str) -> Result<Organisation, OrganisationError> {
    let row = find_row(conn, handle)?.ok_or(OrganisationError::NotFound)?;
    Ok(assemble(conn, row)?)
}

/// Organisations ordered by name, a page at a time.
/// Display names by handle, for the handles given (those not found are left out).
pub fn names_by_handle(
    conn: &mut DbConn,
    handles: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    Ok(organisations::table
        .filter(organisations::handle.eq_any(handles))
        .select((organisations::handle, organisations::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

pub fn list(conn: &mut DbConn, offset: i64, limit: i64) -> QueryResult<(Vec<Organisation>, i64)> {
    let total = organisations::table
        .filter(organisations::kind.ne(REMOTE_ACCOUNT_KIND))
        .count()
        .get_result(conn)?;
    let rows = organisations::table
        .filter(organisations::kind.ne(REMOTE_ACCOUNT_KIND))
        .order((organisations::name.asc(), organisations::handle.asc()))
        .offset(offset.max(0))
        .limit(limit.clamp(1, 200))
        .select(OrganisationRow::as_select())
        .load(conn)?;
    let list = rows
        .into_iter()
        .map(|row| assemble(conn, row))
        .collect::<QueryResult<Vec<_>>>()?;
    Ok((list, total))
}

pub fn add_member(
    conn: &mut DbConn,
    organisation_id: &str,
    user_id: &str,
    role: MemberRole,
) -> QueryResult<()> {
    let existing = organisation_members::table
        .filter(organisation_members::organisation_id.eq(organisation_id))
        .filter(organisation_members::user_id.eq(user_id))
        .count()
        .get_result::<i64>(conn)?;
    if existing > 0 {
        diesel::update(
            organisation_members::table
                .filter(organisation_members::organisation_id.eq(organisation_id))
                .filter(organisation_members::user_id.eq(user_id)),
        )
        .set(organisation_members::role.eq(role.as_str()))
        .execute(conn)?;
    } else {
        diesel::insert_into(organisation_members::table)
            .values((
                organisation_members::organisation_id.eq(organisation_id),
                organisation_members::user_id.eq(user_id),
                organisation_members::role.eq(role.as_str()),
                organisation_members::created_at.eq(db::now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Adds a person to an organisation by handle and username (the admin CLI uses this).
pub fn add_member_by_name(
    conn: &mut DbConn,
    handle: &str,
    username: &str,
    role: MemberRole,
) -> Result<(), OrganisationError> {
    let org = find_row(conn, handle)?.ok_or(OrganisationError::NotFound)?;
    let user =
        crate::accounts::find_by_username(conn, username)?.ok_or(OrganisationError::UnknownUser)?;
    add_member(conn, &org.id, &user.id, role)?;
    Ok(())
}

pub fn role_of(
    conn: &mut DbConn,
    organisation_id: &str,
    user_id: &str,
) -> QueryResult<Option<MemberRole>> {
    let role: Option<String> = organisation_members::table
        .filter(organisation_members::organisation_id.eq(organisation_id))
        .filter(organisation_members::user_id.eq(user_id))
        .select(organisation_members::role)
        .first(conn)
        .optional()?;
    Ok(role.as_deref().and_then(MemberRole::parse))
}

/// Editors and reviewers of the organisation may edit it; so may instance administrators.
pub fn can_edit(conn: &mut DbConn, organisation: &Organisation, user: &User) -> QueryResult<bool> {
    if user.is_admin() {
        return Ok(true);
    }
    Ok(role_of(conn, &organisation.id, &user.id)?.is_some())
}

/// The organisation, if `user` may edit it; `Forbidden` otherwise.
pub fn get_editable(
    conn: &mut DbConn,
    handle: &str,
    user: &User,
) -> Result<Organisation, OrganisationError> {
    let organisation = get(conn, handle)?;
    if !can_edit(conn, &organisation, user)? {
        return Err(OrganisationError::Forbidden);
    }
    Ok(organisation)
}

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub username: String,
    pub display_name: String,
    pub role: String,
}

pub fn members(conn: &mut DbConn, organisation_id: &str) -> QueryResult<Vec<Member>> {
    let rows: Vec<(String, String, String)> = organisation_members::table
        .inner_join(users::table)
        .filter(organisation_members::organisation_id.eq(organisation_id))
        .order(users::username.asc())
        .select((
            users::username,
            users::display_name,
            organisation_members::role,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(username, display_name, role)| Member {
            username,
            display_name,
            role,
        })
        .collect())
}

/// The organisations a person belongs to, with their role in each.
pub fn memberships(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<(String, String, String)>> {
    organisation_members::table
        .inner_join(organisations::table)
        .filter(organisation_members::user_id.eq(user_id))
        .order(organisations::name.asc())
        .select((
            organisations::handle,
            organisations::name,
            organisation_members::role,
        ))
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_input() -> ProfileInput {
        ProfileInput {
            name: "Kotipolku".into(),
            country: "fi".into(),
            languages: vec!["fi".into(), "sv".into()],
            kind: "provider".into(),
            wants_to_learn: vec!["personnel".into()],
            ..ProfileInput::default()
        }
    }

    #[test]
    fn valid_profile_is_normalised() {
        let profile = valid_input().validate().expect("valid");
        assert_eq!(profile.country, "FI");
        assert_eq!(profile.languages, vec!["fi", "sv"]);
    }

    #[test]
    fn uk_nations_are_accepted_and_nonsense_is_not() {
        assert_eq!(parse_country("GB-SCT").expect("Scotland"), "GB-SCT");
        assert!(parse_country("XX").is_err());
        assert!(parse_country("Finland").is_err());
    }

    #[test]
    fn unknown_topic_and_bad_language_are_both_reported() {
        let input = ProfileInput {
            wants_to_learn: vec!["juggling".into()],
            languages: vec!["not a language!".into()],
            ..valid_input()
        };
        let errors = input.validate().expect_err("invalid");
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"wants_to_learn"), "{errors:?}");
        assert!(fields.contains(&"languages"), "{errors:?}");
    }

    #[test]
    fn handles_are_url_safe() {
        assert_eq!(parse_handle("Open-Doors").expect("ok"), "open-doors");
        assert!(parse_handle("-bad").is_err());
        assert!(parse_handle("a b").is_err());
        assert!(parse_handle("x").is_err());
        assert!(
            parse_handle("mutual").is_err(),
            "the instance actor's name is reserved"
        );
    }
}
