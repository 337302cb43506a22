//! Content under `/api/v1/{stories|isf-templates|guides}`: list, get, create, update and
//! the workflow actions, plus the anonymisation check for any text. One set of handlers
//! serves the three types; the OpenAPI document lists each type's paths separately.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::accounts::{field_error, User};
use crate::content::store::{self, ContentItem, Filter};
use crate::content::workflow::{self, AdaptOptions, ConsentInput, Resolution, VersionOptions};
use crate::content::{
    anonymisation, diff, Attribution, CommonInput, ContentError, ContentInput, ContentKind,
    Details, GuideDetails, Status, StoryDetails,
};
use crate::web::auth::{identify, ApiUser};
use crate::web::error::{ApiError, AppError};
use crate::web::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/anonymisation/check", web::post().to(check_text))
        .route("/{kind}", web::get().to(list))
        .route("/{kind}", web::post().to(create))
        .route("/{kind}/{id}", web::get().to(get))
        .route("/{kind}/{id}", web::put().to(update))
        .route("/{kind}/{id}/revisions", web::get().to(revisions))
        .route("/{kind}/{id}/diff", web::get().to(revision_diff))
        .route("/{kind}/{id}/adapt", web::post().to(adapt))
        .route("/{kind}/{id}/versions", web::post().to(write_version))
        .route("/{kind}/{id}/announce", web::post().to(announce))
        .route("/{kind}/{id}/report", web::post().to(report))
        .route("/{kind}/{id}/consent", web::get().to(get_consent))
        .route("/{kind}/{id}/consent", web::put().to(put_consent))
        .route(
            "/{kind}/{id}/consent/withdraw",
            web::post().to(withdraw_consent),
        )
        .route("/{kind}/{id}/anonymisation", web::get().to(story_flags))
        .route(
            "/{kind}/{id}/anonymisation/check",
            web::post().to(run_story_check),
        )
        .route(
            "/{kind}/{id}/anonymisation/{flag}",
            web::post().to(resolve_flag),
        )
        .route("/{kind}/{id}/export.csv", web::get().to(export_csv))
        .route("/{kind}/{id}/{action}", web::post().to(action));
}

impl From<ContentError> for AppError {
    fn from(e: ContentError) -> Self {
        let message = e.to_string();
        match e {
            ContentError::Invalid(fields) => AppError::Invalid(fields),
            ContentError::NotFound => AppError::NotFound,
            ContentError::Forbidden(m) => AppError::Forbidden(m),
            ContentError::NotAllowedNow(m) => AppError::Conflict {
                code: "not_allowed_now",
                message: m,
            },
            ContentError::Db(db) => {
                let _ = message;
                AppError::from(db)
            }
        }
    }
}

impl From<ContentError> for ApiError {
    fn from(e: ContentError) -> Self {
        ApiError(AppError::from(e))
    }
}

fn kind_of(segment: &str) -> Result<ContentKind, ApiError> {
    ContentKind::from_segment(segment).ok_or(ApiError(AppError::NotFound))
}

/// A content item on the wire.
#[derive(Serialize, ToSchema)]
pub struct ContentView {
    pub id: String,
    /// `case_story`, `isf_template` or `practice_guide`.
    pub kind: ContentKind,
    /// The stable public address of the item's page.
    pub url: String,
    pub organisation: OrganisationRef,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub lang: String,
    pub licence: String,
    pub topics: Vec<String>,
    pub status: Status,
    pub revision: i32,
    /// The body as written, in Markdown.
    pub body: String,
    /// The body rendered to sanitised HTML.
    pub body_html: String,
    /// The type-specific fields (see StoryDetails, GuideDetails, the ISF template fields).
    pub details: serde_json::Value,
    /// ISF templates only: every figure computed by the server.
    pub figures: Option<serde_json::Value>,
    pub derived_from: Option<Attribution>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    pub published_at: Option<chrono::NaiveDateTime>,
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationRef {
    pub handle: String,
    pub name: String,
}

pub fn item_url(state: &AppState, item: &ContentItem) -> String {
    format!(
        "{}{}",
        state.config.public_url.as_str().trim_end_matches('/'),
        item.path()
    )
}

pub fn view(state: &AppState, item: ContentItem) -> ContentView {
    let figures = match &item.details {
        Details::Isf(data) => data
            .compute()
            .ok()
            .and_then(|f| serde_json::to_value(f).ok()),
        _ => None,
    };
    ContentView {
        url: item_url(state, &item),
        derived_from: item.derived_from(),
        id: item.row.id,
        kind: item.kind,
        organisation: OrganisationRef {
            handle: item.organisation_handle,
            name: item.organisation_name,
        },
        slug: item.row.slug,
        title: item.row.title,
        summary: item.row.summary,
        lang: item.row.lang,
        licence: item.row.licence,
        topics: item.topics,
        status: item.status,
        revision: item.row.revision,
        body: item.row.body_source,
        body_html: item.row.body_html,
        details: item.details.to_json(),
        figures,
        created_at: item.row.created_at,
        updated_at: item.row.updated_at,
        published_at: item.row.published_at,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ContentList {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<ContentView>,
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only this organisation's items (handle).
    organisation: Option<String>,
    /// A `learning_topics` slug.
    topic: Option<String>,
    /// A `people_supported` slug.
    people: Option<String>,
    /// ISO 3166 code; `GB` also finds `GB-SCT`.
    country: Option<String>,
    /// Language; `fr` also finds `fr-CA`.
    lang: Option<String>,
    /// `published` (default). Members of the organisation may ask for `draft`, `submitted`,
    /// `approved`, `withdrawn` or `all` together with `organisation`.
    status: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/{kind}", params(("kind" = String, Path), ListQuery), security(()), responses((status = 200, body = ContentList)))]
async fn list(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let kind = kind_of(&path)?;
    let user = identify(&req).await.ok().and_then(|i| i.user);
    let query = query.into_inner();
    let page = query.page.unwrap_or(1).max(1);
    let per_page = query.per_page.unwrap_or(30).clamp(1, 100);
    let (items, total) = state
        .db
        .run(move |conn| {
            let mut filter = Filter {
                kind: Some(kind),
                topic: query.topic.filter(|s| !s.is_empty()),
                people: query.people.filter(|s| !s.is_empty()),
                country: query
                    .country
                    .filter(|s| !s.is_empty())
                    .map(|c| c.to_uppercase()),
                lang: query.lang.filter(|s| !s.is_empty()),
                offset: (page - 1) * per_page,
                limit: per_page,
                ..Filter::default()
            };
            if let Some(handle) = query.organisation.filter(|s| !s.is_empty()) {
                let org =
                    crate::organisations::get(conn, &handle).map_err(|_| ContentError::NotFound)?;
                filter.organisation_id = Some(org.id.clone());
                let wanted = query.status.as_deref().unwrap_or("published");
                if wanted != "published" {
                    let access = workflow::access(conn, &org.id, user.as_ref())?;
                    if !access.can_edit() {
                        return Err(ContentError::Forbidden(
                            "Only the organisation's editors can see unpublished items.".into(),
                        ));
                    }
                    filter.statuses = if wanted == "all" {
                        vec![
                            Status::Draft,
                            Status::Submitted,
                            Status::Approved,
                            Status::Published,
                            Status::Withdrawn,
                        ]
                    } else {
                        vec![Status::parse(wanted).ok_or_else(|| {
                            ContentError::Invalid(vec![field_error("status", "Unknown status.")])
                        })?]
                    };
                }
            } else if query.status.as_deref().is_some_and(|s| s != "published") {
                return Err(ContentError::Invalid(vec![field_error(
                    "status",
                    "Unpublished items can only be listed per organisation.",
                )]));
            }
            Ok::<_, ContentError>(store::list(conn, &filter)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ContentList {
        total,
        page,
        per_page,
        items: items.into_iter().map(|i| view(&state, i)).collect(),
    }))
}

/// The body of a create or update request: the common fields plus the type's own fields.
pub fn parse_input(kind: ContentKind, body: &serde_json::Value) -> Result<ContentInput, AppError> {
    let bad = |e: serde_json::Error| {
        AppError::bad_request(
            "invalid_json",
            format!("The JSON body could not be read: {e}"),
        )
    };
    let common: CommonInput = serde_json::from_value(body.clone()).map_err(bad)?;
    let details = match kind {
        ContentKind::CaseStory => {
            Details::Story(serde_json::from_value::<StoryDetails>(body.clone()).map_err(bad)?)
        }
        ContentKind::PracticeGuide => {
            Details::Guide(serde_json::from_value::<GuideDetails>(body.clone()).map_err(bad)?)
        }
        ContentKind::IsfTemplate => {
            Details::Isf(Box::new(serde_json::from_value(body.clone()).map_err(bad)?))
        }
    };
    Ok(ContentInput { common, details })
}

fn string_field(body: &serde_json::Value, name: &str) -> String {
    body.get(name)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

#[utoipa::path(post, path = "/api/v1/{kind}", params(("kind" = String, Path)),
    request_body(content = serde_json::Value, description = "`organisation` (handle), the common fields (CommonInput) and the type's fields (StoryDetails, GuideDetails or the ISF template fields)"),
    responses((status = 201, body = ContentView), (status = 403, body = super::ErrorView), (status = 422, body = super::ErrorView)))]
async fn create(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let kind = kind_of(&path)?;
    let body = body.into_inner();
    let input = parse_input(kind, &body)?;
    let organisation = string_field(&body, "organisation");
    let item = state
        .db
        .run(move |conn| workflow::create(conn, &organisation, &user, &input))
        .await?;
    Ok(HttpResponse::Created().json(view(&state, item)))
}

async fn load(
    state: &AppState,
    kind: ContentKind,
    id: String,
    user: Option<User>,
) -> Result<ContentItem, ApiError> {
    let item = state
        .db
        .run(move |conn| workflow::get_visible(conn, &id, user.as_ref()))
        .await?;
    if item.kind != kind {
        return Err(AppError::NotFound.into());
    }
    Ok(item)
}

#[utoipa::path(get, path = "/api/v1/{kind}/{id}", params(("kind" = String, Path), ("id" = String, Path)), security(()),
    responses((status = 200, body = ContentView), (status = 404, body = super::ErrorView)))]
async fn get(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&segment)?;
    let user = identify(&req).await.ok().and_then(|i| i.user);
    let item = load(&state, kind, id, user).await?;
    Ok(HttpResponse::Ok().json(view(&state, item)))
}

#[utoipa::path(put, path = "/api/v1/{kind}/{id}", params(("kind" = String, Path), ("id" = String, Path)),
    request_body(content = serde_json::Value, description = "The whole item as for create (without `organisation`), and an optional `note` describing the change"),
    responses((status = 200, body = ContentView), (status = 403, body = super::ErrorView), (status = 422, body = super::ErrorView)))]
async fn update(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String)>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&segment)?;
    let body = body.into_inner();
    let input = parse_input(kind, &body)?;
    let note = string_field(&body, "note");
    let (before, item) = state
        .db
        .run(move |conn| {
            let current = store::get(conn, &id)?;
            if current.kind != kind {
                return Err(ContentError::NotFound);
            }
            Ok((
                current.status,
                workflow::edit(conn, &id, &user, &input, &note)?,
            ))
        })
        .await?;
    crate::federation::delivery::after_change(&state.db, item.id(), before, item.status).await?;
    Ok(HttpResponse::Ok().json(view(&state, item)))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct ActionBody {
    /// Why (for withdraw and return).
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/{kind}/{id}/{action}", params(("kind" = String, Path), ("id" = String, Path),
    ("action" = String, Path, description = "submit, approve, publish, withdraw or return (to draft)")),
    request_body(content = Option<ActionBody>),
    responses((status = 200, body = ContentView), (status = 403, body = super::ErrorView), (status = 409, body = super::ErrorView, description = "Not possible in the item's current state")))]
async fn action(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String, String)>,
    body: Option<web::Json<ActionBody>>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id, action) = path.into_inner();
    let kind = kind_of(&segment)?;
    let note = body.map(|b| b.into_inner().note).unwrap_or_default();
    let (before, item) = state
        .db
        .run(move |conn| {
            let current = store::get(conn, &id)?;
            if current.kind != kind {
                return Err(ContentError::NotFound);
            }
            let after = match action.as_str() {
                "submit" => workflow::submit(conn, &id, &user),
                "approve" => workflow::approve(conn, &id, &user),
                "publish" => workflow::publish(conn, &id, &user),
                "withdraw" => workflow::withdraw(conn, &id, &user, &note),
                "return" => workflow::return_to_draft(conn, &id, &user, &note),
                _ => Err(ContentError::NotFound),
            }?;
            Ok((current.status, after))
        })
        .await?;
    crate::federation::delivery::after_change(&state.db, item.id(), before, item.status).await?;
    Ok(HttpResponse::Ok().json(view(&state, item)))
}

#[utoipa::path(post, path = "/api/v1/{kind}/{id}/adapt", params(("kind" = String, Path), ("id" = String, Path)), request_body = AdaptOptions,
    responses((status = 201, body = ContentView, description = "A draft in your organisation that records where it came from"), (status = 403, body = super::ErrorView)))]
async fn adapt(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String)>,
    body: web::Json<AdaptOptions>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&segment)?;
    let options = body.into_inner();
    let base = state
        .config
        .public_url
        .as_str()
        .trim_end_matches('/')
        .to_string();
    let item = state
        .db
        .run(move |conn| {
            let source = store::get(conn, &id)?;
            if source.kind != kind {
                return Err(ContentError::NotFound);
            }
            workflow::adapt(conn, &id, &user, &base, &options)
        })
        .await?;
    Ok(HttpResponse::Created().json(view(&state, item)))
}

#[utoipa::path(post, path = "/api/v1/{kind}/{id}/versions", params(("kind" = String, Path), ("id" = String, Path)), request_body = VersionOptions,
    responses((status = 201, body = ContentView, description = "A draft easy-read version or translation in the item's own organisation, linked to the original"), (status = 403, body = super::ErrorView), (status = 409, body = super::ErrorView)))]
async fn write_version(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String)>,
    body: web::Json<VersionOptions>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&segment)?;
    let options = body.into_inner();
    let item = state
        .db
        .run(move |conn| {
            let source = store::get(conn, &id)?;
            if source.kind != kind {
                return Err(ContentError::NotFound);
            }
            workflow::write_version(conn, &id, &user, &options)
        })
        .await?;
    Ok(HttpResponse::Created().json(view(&state, item)))
}

#[derive(Serialize, ToSchema)]
pub struct RevisionView {
    pub revision: i32,
    pub title: String,
    pub note: String,
    pub created_at: chrono::NaiveDateTime,
}

/// Revisions are public for guides and templates; a story's earlier text may hold
/// details that were removed, so only its organisation sees them.
async fn revision_access(
    state: &AppState,
    req: &actix_web::HttpRequest,
    kind: ContentKind,
    id: String,
) -> Result<ContentItem, ApiError> {
    let user = identify(req).await.ok().and_then(|i| i.user);
    let item = load(state, kind, id, user.clone()).await?;
    if kind == ContentKind::CaseStory {
        let org = item.row.organisation_id.clone();
        let access = state
            .db
            .run(move |conn| workflow::access(conn, &org, user.as_ref()))
            .await?;
        if !access.can_edit() {
            return Err(AppError::NotFound.into());
        }
    }
    Ok(item)
}

#[utoipa::path(get, path = "/api/v1/{kind}/{id}/revisions", params(("kind" = String, Path), ("id" = String, Path)), security(()),
    responses((status = 200, body = [RevisionView])))]
async fn revisions(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    let item = revision_access(&state, &req, kind_of(&segment)?, id).await?;
    let id = item.row.id.clone();
    let revisions = state
        .db
        .query(move |conn| store::revisions(conn, &id))
        .await?;
    let views: Vec<RevisionView> = revisions
        .into_iter()
        .map(|r| RevisionView {
            revision: r.revision,
            title: r.title,
            note: r.note,
            created_at: r.created_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Deserialize, IntoParams)]
pub struct DiffQuery {
    from: i32,
    to: i32,
}

#[derive(Serialize, ToSchema)]
pub struct DiffView {
    pub from: i32,
    pub to: i32,
    pub title: Vec<diff::Segment>,
    pub summary: Vec<diff::Segment>,
    pub body: Vec<diff::Segment>,
}

#[utoipa::path(get, path = "/api/v1/{kind}/{id}/diff", params(("kind" = String, Path), ("id" = String, Path), DiffQuery), security(()),
    responses((status = 200, body = DiffView, description = "Word-level differences between two revisions")))]
async fn revision_diff(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    query: web::Query<DiffQuery>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    let item = revision_access(&state, &req, kind_of(&segment)?, id).await?;
    let (from, to) = (query.from, query.to);
    let id = item.row.id.clone();
    let (a, b) = state
        .db
        .query(move |conn| {
            Ok((
                store::revision(conn, &id, from)?,
                store::revision(conn, &id, to)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(DiffView {
        from,
        to,
        title: diff::words(&a.title, &b.title),
        summary: diff::words(&a.summary, &b.summary),
        body: diff::words(&a.body_source, &b.body_source),
    }))
}

async fn story_for_editor(
    state: &AppState,
    segment: &str,
    id: String,
    user: &User,
) -> Result<ContentItem, ApiError> {
    if kind_of(segment)? != ContentKind::CaseStory {
        return Err(AppError::NotFound.into());
    }
    let user = user.clone();
    let item = state
        .db
        .run(move |conn| {
            let item = store::get(conn, &id)?;
            if item.kind != ContentKind::CaseStory {
                return Err(ContentError::NotFound);
            }
            if !workflow::access(conn, &item.row.organisation_id, Some(&user))?.can_edit() {
                // Consent and the anonymisation log are private to the organisation.
                return Err(ContentError::NotFound);
            }
            Ok(item)
        })
        .await?;
    Ok(item)
}

#[derive(Serialize, ToSchema)]
pub struct ConsentView {
    pub method: String,
    pub scope: Vec<String>,
    pub expires_on: Option<String>,
    pub notes: String,
    pub withdrawn_at: Option<chrono::NaiveDateTime>,
    pub withdrawn_reason: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/stories/{id}/consent", params(("id" = String, Path)),
    responses((status = 200, body = ConsentView), (status = 404, body = super::ErrorView, description = "No such story, no consent recorded, or not an editor of its organisation")))]
async fn get_consent(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    let item = story_for_editor(&state, &segment, id, &user).await?;
    let id = item.row.id.clone();
    let consent = state
        .db
        .query(move |conn| store::consent(conn, &id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(ConsentView {
        scope: consent.scope(),
        method: consent.method,
        expires_on: consent.expires_on,
        notes: consent.notes,
        withdrawn_at: consent.withdrawn_at,
        withdrawn_reason: consent.withdrawn_reason,
    }))
}

#[utoipa::path(put, path = "/api/v1/stories/{id}/consent", params(("id" = String, Path)), request_body = ConsentInput,
    responses((status = 204), (status = 422, body = super::ErrorView)))]
async fn put_consent(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String)>,
    body: web::Json<ConsentInput>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    story_for_editor(&state, &segment, id.clone(), &user).await?;
    let input = body.into_inner();
    let story = state
        .db
        .run(move |conn| {
            workflow::record_consent(conn, &id, &user, &input)?;
            Ok::<_, ContentError>(store::get(conn, &id)?)
        })
        .await?;
    if story.status == Status::Published {
        // A change of scope can mean peers must drop their copy (or may now have it).
        crate::federation::delivery::content_changed(
            &state.db,
            story.id(),
            crate::federation::delivery::Change::Updated,
        )
        .await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/stories/{id}/consent/withdraw", params(("id" = String, Path)), request_body(content = Option<ActionBody>),
    responses((status = 200, body = ContentView, description = "Consent withdrawn; the story is taken down at once")))]
async fn withdraw_consent(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String)>,
    body: Option<web::Json<ActionBody>>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    story_for_editor(&state, &segment, id.clone(), &user).await?;
    let reason = body.map(|b| b.into_inner().note).unwrap_or_default();
    let item = state
        .db
        .run(move |conn| workflow::withdraw_consent(conn, &id, &user, &reason))
        .await?;
    // Consent withdrawn: copies on peers must go too, whatever the status said before.
    crate::federation::delivery::content_changed(
        &state.db,
        item.id(),
        crate::federation::delivery::Change::Removed,
    )
    .await?;
    Ok(HttpResponse::Ok().json(view(&state, item)))
}

#[derive(Serialize, ToSchema)]
pub struct StoryFlagView {
    pub id: String,
    pub revision: i32,
    /// `title`, `summary` or `body`.
    pub field: String,
    pub start: i32,
    pub end: i32,
    pub category: String,
    pub text: String,
    pub suggestion: String,
    /// `open`, `fixed` or `dismissed`.
    pub resolution: String,
    pub reason: Option<String>,
}

fn flag_views(flags: Vec<store::FlagRow>) -> Vec<StoryFlagView> {
    flags
        .into_iter()
        .map(|f| StoryFlagView {
            id: f.id,
            revision: f.revision,
            field: f.field,
            start: f.start_char,
            end: f.end_char,
            category: f.category,
            text: f.flagged_text,
            suggestion: f.suggestion,
            resolution: f.resolution,
            reason: f.reason,
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/stories/{id}/anonymisation", params(("id" = String, Path)),
    responses((status = 200, body = [StoryFlagView], description = "The private log of every flag, all revisions")))]
async fn story_flags(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    let item = story_for_editor(&state, &segment, id, &user).await?;
    let id = item.row.id.clone();
    let flags = state.db.query(move |conn| store::flags(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(flag_views(flags)))
}

#[utoipa::path(post, path = "/api/v1/stories/{id}/anonymisation/check", params(("id" = String, Path)),
    responses((status = 200, body = [StoryFlagView], description = "The flags of the current revision")))]
async fn run_story_check(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    story_for_editor(&state, &segment, id.clone(), &user).await?;
    let flags = state
        .db
        .run(move |conn| workflow::check_story(conn, &id, &user))
        .await?;
    Ok(HttpResponse::Ok().json(flag_views(flags)))
}

#[derive(Deserialize, ToSchema)]
pub struct ResolveBody {
    pub resolution: Resolution,
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/stories/{id}/anonymisation/{flag}", params(("id" = String, Path), ("flag" = String, Path)), request_body = ResolveBody,
    responses((status = 200, body = StoryFlagView), (status = 422, body = super::ErrorView, description = "A dismissal needs a reason")))]
async fn resolve_flag(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String, String)>,
    body: web::Json<ResolveBody>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id, flag) = path.into_inner();
    story_for_editor(&state, &segment, id.clone(), &user).await?;
    let body = body.into_inner();
    let row = state
        .db
        .run(move |conn| {
            workflow::resolve_flag(conn, &id, &flag, &user, body.resolution, &body.reason)
        })
        .await?;
    Ok(HttpResponse::Ok().json(flag_views(vec![row]).pop()))
}

#[utoipa::path(get, path = "/api/v1/isf-templates/{id}/export.csv", params(("id" = String, Path)), security(()),
    responses((status = 200, content_type = "text/csv", description = "Budget lines and computed totals")))]
async fn export_csv(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    if kind_of(&segment)? != ContentKind::IsfTemplate {
        return Err(AppError::NotFound.into());
    }
    let user = identify(&req).await.ok().and_then(|i| i.user);
    let item = load(&state, ContentKind::IsfTemplate, id, user).await?;
    csv_response(&item)
}

pub fn csv_response(item: &ContentItem) -> Result<HttpResponse, ApiError> {
    let Details::Isf(data) = &item.details else {
        return Err(AppError::NotFound.into());
    };
    let figures = data.compute().map_err(AppError::Invalid)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.csv\"", item.row.slug),
        ))
        .body(figures.to_csv(data)))
}

#[derive(Deserialize, ToSchema)]
pub struct CheckRequest {
    pub text: String,
    /// The pseudonym the story uses; it is never flagged.
    #[serde(default)]
    pub pseudonym: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CheckFlag {
    /// Offset of the first character, counted in Unicode characters.
    pub start: usize,
    /// Offset after the last character (exclusive), in Unicode characters.
    pub end: usize,
    /// One of: name, email, phone, postcode, address, date, age, id_number, url, handle, institution, vehicle_plate.
    pub category: String,
    pub text: String,
    pub suggestion: String,
}

#[derive(Serialize, ToSchema)]
pub struct CheckResponse {
    pub flags: Vec<CheckFlag>,
}

#[utoipa::path(post, path = "/api/v1/anonymisation/check", request_body = CheckRequest,
    responses((status = 200, body = CheckResponse), (status = 401, body = super::ErrorView)))]
async fn check_text(
    ApiUser(_user): ApiUser,
    body: web::Json<CheckRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    if body.text.chars().count() > 200_000 {
        return Err(AppError::TooLarge { limit: 200_000 }.into());
    }
    let flags = anonymisation::check(
        &body.text,
        body.pseudonym.as_deref().filter(|p| !p.trim().is_empty()),
    )
    .into_iter()
    .map(|f| CheckFlag {
        start: f.start,
        end: f.end,
        category: f.category.as_str().to_string(),
        text: f.text,
        suggestion: f.suggestion,
    })
    .collect();
    Ok(HttpResponse::Ok().json(CheckResponse { flags }))
}

/// Lists the generic `{kind}` paths once per content type in the OpenAPI document.
pub struct ExpandKinds;

impl utoipa::Modify for ExpandKinds {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let generic: Vec<(String, utoipa::openapi::PathItem)> = openapi
            .paths
            .paths
            .iter()
            .filter(|(path, _)| path.starts_with("/api/v1/{kind}"))
            .map(|(p, i)| (p.clone(), i.clone()))
            .collect();
        for (path, item) in generic {
            openapi.paths.paths.remove(&path);
            for kind in ContentKind::ALL {
                if path.ends_with("/export.csv") && kind != ContentKind::IsfTemplate {
                    continue;
                }
                let concrete = path.replace("{kind}", kind.segment());
                let mut item = item.clone();
                for operation in [
                    &mut item.get,
                    &mut item.post,
                    &mut item.put,
                    &mut item.patch,
                    &mut item.delete,
                ]
                .into_iter()
                .flatten()
                {
                    if let Some(parameters) = &mut operation.parameters {
                        parameters.retain(|p| p.name != "kind");
                    }
                    operation.tags = Some(vec![kind.plural_label().to_string()]);
                }
                openapi.paths.paths.insert(concrete, item);
            }
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct AnnounceBody {
    /// The organisation (handle) that shares the item with its followers.
    pub organisation: String,
}

#[utoipa::path(post, path = "/api/v1/{kind}/{id}/announce", params(("kind" = String, Path), ("id" = String, Path)), request_body = AnnounceBody,
    responses((status = 202, description = "An Announce is queued for the organisation's followers"), (status = 403, body = super::ErrorView), (status = 422, body = super::ErrorView)))]
async fn announce(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String)>,
    body: web::Json<AnnounceBody>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&segment)?;
    let handle = body.into_inner().organisation;
    let item = load(&state, kind, id, Some(user.clone())).await?;
    let org_handle = handle.clone();
    state
        .db
        .run(move |conn| {
            let org = crate::organisations::get(conn, &org_handle).map_err(|_| {
                ContentError::Invalid(vec![field_error(
                    "organisation",
                    "Choose one of your organisations.",
                )])
            })?;
            if !workflow::access(conn, &org.id, Some(&user))?.can_edit() {
                return Err(ContentError::Forbidden(
                    "Only editors of that organisation can share for it.".into(),
                ));
            }
            Ok(())
        })
        .await?;
    let data = state.federation.to_request_data();
    let queued = crate::federation::routes::announce(&data, &handle, &item)
        .await
        .map_err(|e| AppError::Invalid(vec![field_error("organisation", e.to_string())]))?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({ "queued": queued })))
}

#[derive(Deserialize, ToSchema)]
pub struct ReportBody {
    /// What is wrong, for the moderators.
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/{kind}/{id}/report", params(("kind" = String, Path), ("id" = String, Path)), request_body = ReportBody,
    responses((status = 202, description = "Kept for this instance's moderators; sent on to the origin instance when the item came from one"), (status = 422, body = super::ErrorView)))]
async fn report(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    path: web::Path<(String, String)>,
    body: web::Json<ReportBody>,
) -> Result<HttpResponse, ApiError> {
    let (segment, id) = path.into_inner();
    let kind = kind_of(&segment)?;
    let item = load(&state, kind, id, Some(user.clone())).await?;
    let data = state.federation.to_request_data();
    crate::federation::routes::report(&data, &item, &user.id, &body.reason)
        .await
        .map_err(|e| AppError::Invalid(vec![field_error("reason", e.to_string())]))?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({ "reported": true })))
}
