//! Pages for case stories, ISF templates and practice guides: directories with filters,
//! an organisation's items, item pages, forms, revisions and diffs, the story review page
//! (anonymisation flags and consent), and the workflow buttons.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::{html, html_with_status, page, redirect};
use crate::accounts::{field_error, FieldError, User};
use crate::content::store::{self, ContentItem, Filter};
use crate::content::workflow::{self, Access, AdaptOptions, ConsentInput, Resolution};
use crate::content::{
    self, diff, CommonInput, ContentError, ContentInput, ContentKind, Details, GuideDetails,
    Reference, Status, StoryDetails,
};
use crate::db::DbError;
use crate::taxonomy;
use crate::web::auth::{MaybeUser, RequireUser};
use crate::web::csrf::Form;
use crate::web::error::{AppError, PageError};
use crate::web::templates::{self, render};
use crate::web::AppState;

impl From<ContentError> for PageError {
    fn from(e: ContentError) -> Self {
        PageError(AppError::from(e))
    }
}

fn kind_of(segment: &str) -> Result<ContentKind, PageError> {
    ContentKind::from_segment(segment).ok_or(PageError(AppError::NotFound))
}

/// A fixed choice list as `{value, label}`, labelled in the interface language.
pub(crate) fn pairs(lang: &str, group: &str, list: &[(&str, &str)]) -> Vec<Value> {
    list.iter()
        .map(
            |(v, l)| context! { value => v, label => crate::i18n::choice_label(lang, group, v, l) },
        )
        .collect()
}

/// Every fixed choice list of the content forms, by its group in the message catalogues
/// (`choices.ftl`), with the English labels the code holds; the tests check each has a
/// message in every language.
pub fn choice_lists() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    let mut lists: Vec<(&'static str, Vec<(&'static str, &'static str)>)> = vec![
        ("licence", content::LICENCES.to_vec()),
        ("voice", content::VOICES.to_vec()),
        ("audience", content::AUDIENCES.to_vec()),
        ("stage", content::STAGES.to_vec()),
        ("consent-method", content::CONSENT_METHODS.to_vec()),
        ("consent-scope", content::CONSENT_SCOPES.to_vec()),
    ];
    lists.extend(super::isf_form::choice_lists());
    lists
}

/// Choices every content form and filter needs, in the interface language.
fn choices(lang: &str) -> Value {
    context! {
        topics => templates::vocabulary(taxonomy::LEARNING_TOPICS, lang),
        people => templates::vocabulary(taxonomy::PEOPLE_SUPPORTED, lang),
        good_practice => templates::vocabulary(taxonomy::GOOD_PRACTICE, lang),
        licences => pairs(lang, "licence", content::LICENCES),
        age_bands => content::AGE_BANDS,
        voices => pairs(lang, "voice", content::VOICES),
        audiences => pairs(lang, "audience", content::AUDIENCES),
        stages => pairs(lang, "stage", content::STAGES),
        consent_methods => pairs(lang, "consent-method", content::CONSENT_METHODS),
        consent_scopes => pairs(lang, "consent-scope", content::CONSENT_SCOPES),
        countries => super::organisations::countries(lang),
        isf => super::isf_form::choices(lang),
    }
}

/// An item as templates see it.
#[derive(Serialize)]
struct ItemView {
    id: String,
    kind: &'static str,
    segment: &'static str,
    path: String,
    url: String,
    slug: String,
    title: String,
    summary: String,
    lang: String,
    licence: String,
    status: &'static str,
    revision: i32,
    body_html: String,
    topics: Vec<String>,
    details: serde_json::Value,
    figures: Option<serde_json::Value>,
    figure_problems: Vec<FieldError>,
    derived_from: Option<content::Attribution>,
    organisation_handle: String,
    organisation_name: String,
    published_at: Option<String>,
    updated_at: String,
    local: bool,
    remote_url: Option<String>,
}

fn item_view(state: &AppState, item: &ContentItem) -> ItemView {
    let (figures, figure_problems) = match &item.details {
        Details::Isf(data) => match data.compute() {
            Ok(f) => (serde_json::to_value(f).ok(), Vec::new()),
            Err(problems) => (None, problems),
        },
        _ => (None, Vec::new()),
    };
    ItemView {
        id: item.row.id.clone(),
        kind: item.kind.as_str(),
        segment: item.kind.segment(),
        path: item.path(),
        url: crate::api::content::item_url(state, item),
        slug: item.row.slug.clone(),
        title: item.row.title.clone(),
        summary: item.row.summary.clone(),
        lang: item.row.lang.clone(),
        licence: item.row.licence.clone(),
        status: item.status.as_str(),
        revision: item.row.revision,
        // Remote HTML was sanitised on arrival; it is cleaned again here in case the
        // sanitiser's rules have tightened since.
        body_html: if item.row.local {
            item.row.body_html.clone()
        } else {
            content::markdown::sanitize(&item.row.body_html)
        },
        topics: item.topics.clone(),
        details: item.details.to_json(),
        figures,
        figure_problems,
        derived_from: item.derived_from(),
        organisation_handle: item.organisation_handle.clone(),
        organisation_name: item.organisation_name.clone(),
        published_at: item
            .row
            .published_at
            .map(|t| t.format("%Y-%m-%d").to_string()),
        updated_at: item.row.updated_at.format("%Y-%m-%d").to_string(),
        local: item.row.local,
        remote_url: item.row.remote_url.clone(),
    }
}

fn access_view(access: &Access) -> Value {
    context! { can_edit => access.can_edit(), can_review => access.can_review() }
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    topic: Option<String>,
    people: Option<String>,
    country: Option<String>,
    lang: Option<String>,
    status: Option<String>,
    page: Option<i64>,
}

const PER_PAGE: i64 = 20;

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// `/stories`, `/guides`, `/isf-templates`: everything published here, with filters.
pub async fn directory(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let segment = req.path().trim_start_matches('/').to_string();
    let kind = kind_of(&segment)?;
    listing(&req, &state, user.0.as_ref(), kind, None, &query).await
}

/// `/organisations/{handle}/{segment}`: one organisation's items (members see drafts too).
pub async fn organisation_items(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
    path: web::Path<(String, String)>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment) = path.into_inner();
    let kind = kind_of(&segment)?;
    listing(&req, &state, user.0.as_ref(), kind, Some(handle), &query).await
}

async fn listing(
    req: &HttpRequest,
    state: &AppState,
    user: Option<&User>,
    kind: ContentKind,
    handle: Option<String>,
    query: &ListQuery,
) -> Result<HttpResponse, PageError> {
    let page_number = query.page.unwrap_or(1).max(1);
    let mut filter = Filter {
        kind: Some(kind),
        topic: non_empty(&query.topic),
        people: non_empty(&query.people),
        country: non_empty(&query.country).map(|c| c.to_uppercase()),
        lang: non_empty(&query.lang).map(|l| l.to_lowercase()),
        offset: (page_number - 1) * PER_PAGE,
        limit: PER_PAGE,
        ..Filter::default()
    };
    let status = non_empty(&query.status);
    let viewer = user.cloned();
    let (items, total, organisation, access) = state
        .db
        .run(move |conn| {
            let mut organisation = None;
            let mut access = Access {
                role: None,
                admin: false,
            };
            if let Some(handle) = handle {
                let org =
                    crate::organisations::get(conn, &handle).map_err(|_| ContentError::NotFound)?;
                access = workflow::access(conn, &org.id, viewer.as_ref())?;
                filter.organisation_id = Some(org.id.clone());
                if access.can_edit() {
                    filter.statuses = match status.as_deref().and_then(Status::parse) {
                        Some(s) => vec![s],
                        None => vec![
                            Status::Draft,
                            Status::Submitted,
                            Status::Approved,
                            Status::Published,
                            Status::Withdrawn,
                        ],
                    };
                }
                organisation = Some(org);
            }
            let (items, total) = store::list(conn, &filter)?;
            Ok::<_, ContentError>((items, total, organisation, access))
        })
        .await?;
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    let views: Vec<ItemView> = items.iter().map(|i| item_view(state, i)).collect();
    let body = render(
        "content/list.html",
        context! {
            page => page(req, state, user),
            kind => kind.as_str(),
            segment => kind.segment(),
            items => views,
            total => total,
            page_number => page_number,
            pages => pages,
            organisation => organisation.map(|o| context! { handle => o.handle, name => o.profile.name }),
            access => access_view(&access),
            filters => context! {
                topic => query.topic, people => query.people, country => query.country,
                lang => query.lang, status => query.status,
            },
            choices => choices(&super::interface_language(req, user)),
        },
    )?;
    Ok(html(body))
}

/// Loads an item by its public path, hiding unpublished items from outsiders.
async fn load(
    state: &AppState,
    handle: String,
    kind: ContentKind,
    slug: String,
    user: Option<&User>,
) -> Result<(ContentItem, Access), PageError> {
    let viewer = user.cloned();
    let loaded = state
        .db
        .run(move |conn| {
            let item = store::get_by_slug(conn, &handle, kind, &slug)?;
            let access = workflow::access(conn, &item.row.organisation_id, viewer.as_ref())?;
            if item.status != Status::Published && !access.can_edit() {
                return Err(ContentError::NotFound);
            }
            Ok::<_, ContentError>((item, access))
        })
        .await?;
    Ok(loaded)
}

/// The organisations the viewer can adapt an item into.
async fn own_organisations(state: &AppState, user: Option<&User>) -> Result<Vec<Value>, PageError> {
    let Some(user) = user else {
        return Ok(Vec::new());
    };
    let id = user.id.clone();
    let list = state
        .db
        .query(move |conn| crate::organisations::memberships(conn, &id))
        .await?;
    Ok(list
        .into_iter()
        .map(|(handle, name, _)| context! { handle => handle, name => name })
        .collect())
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment, slug) = path.into_inner();
    let kind = kind_of(&segment)?;
    if crate::federation::wants_activity_json(&req) {
        let (item, _) = load(&state, handle, kind, slug, None).await?;
        let data = state.federation.to_request_data();
        return Ok(
            crate::federation::routes::article_document(&req, &data, item)
                .await
                .unwrap_or_else(|e| actix_web::ResponseError::error_response(&e)),
        );
    }
    let (item, access) = load(&state, handle, kind, slug, user.0.as_ref()).await?;
    render_item(
        &req,
        &state,
        user.0.as_ref(),
        &item,
        &access,
        &[],
        StatusCode::OK,
    )
    .await
}

async fn render_item(
    req: &HttpRequest,
    state: &AppState,
    user: Option<&User>,
    item: &ContentItem,
    access: &Access,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let id = item.row.id.clone();
    let members_view = access.can_edit();
    let original_id = item.row.original_id.clone();
    let (events, consent, open_flags, variants, original) = state
        .db
        .run(move |conn| {
            let events = if members_view {
                store::events(conn, &id)?
            } else {
                Vec::new()
            };
            let consent = if members_view {
                store::consent(conn, &id)?
            } else {
                None
            };
            let flags = if members_view {
                store::flags(conn, &id)?
            } else {
                Vec::new()
            };
            let variants = crate::content::store::variants_of(conn, &id)?;
            let original = match &original_id {
                Some(original) => crate::content::store::original_of(conn, original)?,
                None => None,
            };
            Ok::<_, DbError>((events, consent, flags, variants, original))
        })
        .await?;
    let open_flags = open_flags
        .iter()
        .filter(|f| f.revision == item.row.revision && f.resolution == "open")
        .count();
    let organisations = own_organisations(state, user).await?;
    let body = render(
        &format!("content/show_{}.html", item.kind.as_str()),
        context! {
            page => page(req, state, user),
            item => item_view(state, item),
            access => access_view(access),
            events => events,
            consent => consent.map(|c| context! {
                method => c.method.clone(), scope => c.scope(), expires_on => c.expires_on.clone(),
                notes => c.notes.clone(), withdrawn => c.withdrawn_at.is_some(),
            }),
            open_flags => open_flags,
            variants => variants,
            original => original,
            version_of => item.row.variant.clone(),
            adapt_into => organisations,
            errors => errors,
            choices => choices(&super::interface_language(req, user)),
        },
    )?;
    Ok(html_with_status(status, body))
}

/// Everything any of the three forms can send. Lists come as repeated fields.
#[derive(Debug, Default, Deserialize)]
pub struct ContentForm {
    // Common fields
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    licence: String,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    body: String,
    #[serde(default)]
    note: String,
    // Case story
    #[serde(default)]
    pseudonym: String,
    #[serde(default)]
    age_band: String,
    #[serde(default)]
    voice: String,
    #[serde(default)]
    people_supported: Vec<String>,
    #[serde(default)]
    good_practice: Vec<String>,
    #[serde(default)]
    country: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    year_from: String,
    #[serde(default)]
    year_to: String,
    // Practice guide
    #[serde(default)]
    audience: Vec<String>,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    jurisdictions: String,
    #[serde(default)]
    references: String,
    // ISF template: budget lines come as parallel lists, one entry per table row.
    #[serde(default)]
    pub(super) isf_country: String,
    #[serde(default)]
    pub(super) isf_scheme: String,
    #[serde(default)]
    pub(super) currency: String,
    #[serde(default)]
    pub(super) budget_period: String,
    #[serde(default)]
    pub(super) line_kind: Vec<String>,
    #[serde(default)]
    pub(super) line_description: Vec<String>,
    #[serde(default)]
    pub(super) line_unit: Vec<String>,
    #[serde(default)]
    pub(super) line_rate: Vec<String>,
    #[serde(default)]
    pub(super) line_quantity: Vec<String>,
    #[serde(default)]
    pub(super) line_amount: Vec<String>,
    #[serde(default)]
    pub(super) line_variant: Vec<String>,
    #[serde(default)]
    pub(super) fee_basis: String,
    #[serde(default)]
    pub(super) fee_value: String,
    #[serde(default)]
    pub(super) fee_funded: String,
    #[serde(default)]
    pub(super) fee_covers: String,
    #[serde(default)]
    pub(super) banking: Option<String>,
    #[serde(default)]
    pub(super) surplus_cap_periods: String,
    #[serde(default)]
    pub(super) third_party_min_percent: String,
    #[serde(default)]
    pub(super) decisions_day_to_day: String,
    #[serde(default)]
    pub(super) payment_cadence: String,
    #[serde(default)]
    pub(super) reporting_every: String,
    #[serde(default)]
    pub(super) reporting_shows: Vec<String>,
    #[serde(default)]
    pub(super) review_every: String,
    #[serde(default)]
    pub(super) review_triggers: String,
    #[serde(default)]
    pub(super) notice_days_person: String,
    #[serde(default)]
    pub(super) notice_days_provider: String,
    #[serde(default)]
    pub(super) unspent_funds: String,
    #[serde(default)]
    pub(super) handover_duty: Option<String>,
    #[serde(default)]
    pub(super) outcomes: String,
    /// The "add more lines" button: re-show the form with extra empty rows, saving nothing.
    #[serde(default)]
    pub(super) more_lines: Option<String>,
}

fn parse_year(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<i32> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i32>() {
        Ok(year) => Some(year),
        Err(_) => {
            errors.push(field_error(field, "Give a year as four digits, like 2019."));
            None
        }
    }
}

impl ContentForm {
    /// The form as domain input; problems the form itself causes (a year that is not a
    /// number) are returned with the rest at validation.
    fn to_input(&self, kind: ContentKind) -> (ContentInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let common = CommonInput {
            title: self.title.clone(),
            summary: self.summary.clone(),
            lang: self.lang.clone(),
            licence: self.licence.clone(),
            topics: self.topics.clone(),
            body: self.body.clone(),
        };
        let details = match kind {
            ContentKind::CaseStory => Details::Story(StoryDetails {
                pseudonym: self.pseudonym.clone(),
                age_band: self.age_band.clone(),
                voice: self.voice.clone(),
                people_supported: self.people_supported.clone(),
                good_practice: self.good_practice.clone(),
                country: self.country.clone(),
                region: self.region.clone(),
                year_from: parse_year(&mut errors, "year_from", &self.year_from),
                year_to: parse_year(&mut errors, "year_to", &self.year_to),
            }),
            ContentKind::PracticeGuide => Details::Guide(GuideDetails {
                audience: self.audience.clone(),
                stage: self.stage.clone(),
                jurisdictions: self
                    .jurisdictions
                    .split([',', ' ', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                references: self
                    .references
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|line| match line.rsplit_once(" | ") {
                        Some((title, url)) => Reference {
                            title: title.trim().to_string(),
                            url: Some(url.trim().to_string()),
                        },
                        None if line.starts_with("http://") || line.starts_with("https://") => {
                            Reference {
                                title: String::new(),
                                url: Some(line.to_string()),
                            }
                        }
                        None => Reference {
                            title: line.to_string(),
                            url: None,
                        },
                    })
                    .collect(),
            }),
            ContentKind::IsfTemplate => {
                let (data, form_errors) = super::isf_form::to_data(self);
                errors.extend(form_errors);
                Details::Isf(Box::new(data))
            }
        };
        (ContentInput { common, details }, errors)
    }

    /// Values to refill the form with.
    fn values(&self) -> Value {
        context! {
            title => self.title, summary => self.summary, lang => self.lang, licence => self.licence,
            topics => self.topics, body => self.body, note => self.note,
            pseudonym => self.pseudonym, age_band => self.age_band, voice => self.voice,
            people_supported => self.people_supported, good_practice => self.good_practice,
            country => self.country, region => self.region, year_from => self.year_from, year_to => self.year_to,
            audience => self.audience, stage => self.stage, jurisdictions => self.jurisdictions,
            references => self.references,
            isf => super::isf_form::values(self),
        }
    }

    fn from_item(item: &ContentItem) -> ContentForm {
        let mut form = ContentForm {
            title: item.row.title.clone(),
            summary: item.row.summary.clone(),
            lang: item.row.lang.clone(),
            licence: item.row.licence.clone(),
            topics: item.topics.clone(),
            body: item.row.body_source.clone(),
            ..ContentForm::default()
        };
        match &item.details {
            Details::Story(d) => {
                form.pseudonym = d.pseudonym.clone();
                form.age_band = d.age_band.clone();
                form.voice = d.voice.clone();
                form.people_supported = d.people_supported.clone();
                form.good_practice = d.good_practice.clone();
                form.country = d.country.clone();
                form.region = d.region.clone();
                form.year_from = d.year_from.map(|y| y.to_string()).unwrap_or_default();
                form.year_to = d.year_to.map(|y| y.to_string()).unwrap_or_default();
            }
            Details::Guide(d) => {
                form.audience = d.audience.clone();
                form.stage = d.stage.clone();
                form.jurisdictions = d.jurisdictions.join(", ");
                form.references = d
                    .references
                    .iter()
                    .map(|r| match &r.url {
                        Some(url) => format!("{} | {url}", r.title),
                        None => r.title.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            Details::Isf(data) => super::isf_form::fill_from(&mut form, data),
        }
        form
    }
}

/// Which form to show: for a new item in an organisation, or for editing an item.
struct FormTarget<'a> {
    kind: ContentKind,
    organisation: (&'a str, &'a str),
    editing: Option<&'a ItemView>,
}

fn render_form(
    req: &HttpRequest,
    state: &AppState,
    user: &User,
    target: FormTarget<'_>,
    values: Value,
    errors: &[FieldError],
) -> Result<String, AppError> {
    let kind = target.kind;
    render(
        "content/form.html",
        context! {
            page => page(req, state, Some(user)),
            kind => kind.as_str(),
            segment => kind.segment(),
            organisation => context! { handle => target.organisation.0, name => target.organisation.1 },
            editing => target.editing,
            values => values,
            errors => errors,
            choices => choices(&super::interface_language(req, Some(user))),
        },
    )
}

async fn editable_organisation(
    state: &AppState,
    handle: String,
    user: &User,
) -> Result<crate::organisations::Organisation, PageError> {
    let user = user.clone();
    let org = state
        .db
        .run(move |conn| {
            crate::organisations::get_editable(conn, &handle, &user).map_err(|e| match e {
                crate::organisations::OrganisationError::Forbidden => {
                    ContentError::Forbidden("Only editors of this organisation can do this.".into())
                }
                crate::organisations::OrganisationError::Db(db) => ContentError::Db(db),
                _ => ContentError::NotFound,
            })
        })
        .await?;
    Ok(org)
}

pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment) = path.into_inner();
    let kind = kind_of(&segment)?;
    let org = editable_organisation(&state, handle, &user).await?;
    let mut form = ContentForm {
        lang: org
            .profile
            .languages
            .first()
            .cloned()
            .unwrap_or_else(|| "en".into()),
        licence: "CC-BY-4.0".into(),
        country: org.profile.country.clone(),
        ..ContentForm::default()
    };
    super::isf_form::blank(&mut form, &org.profile.country);
    let body = render_form(
        &req,
        &state,
        &user,
        FormTarget {
            kind,
            organisation: (&org.handle, &org.profile.name),
            editing: None,
        },
        form.values(),
        &[],
    )?;
    Ok(html(body))
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<(String, String)>,
    Form(form): Form<ContentForm>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment) = path.into_inner();
    let kind = kind_of(&segment)?;
    let org = editable_organisation(&state, handle, &user).await?;
    if form.more_lines.is_some() {
        let body = render_form(
            &req,
            &state,
            &user,
            FormTarget {
                kind,
                organisation: (&org.handle, &org.profile.name),
                editing: None,
            },
            form.values(),
            &[],
        )?;
        return Ok(html(body));
    }
    let (input, form_errors) = form.to_input(kind);
    let handle = org.handle.clone();
    let author = user.clone();
    let outcome = if form_errors.is_empty() {
        state
            .db
            .run(move |conn| workflow::create(conn, &handle, &author, &input))
            .await
    } else {
        let mut errors = form_errors;
        if let Err(more) = input.validate() {
            errors.extend(more);
        }
        Err(ContentError::Invalid(errors))
    };
    match outcome {
        Ok(item) => Ok(redirect(&item.path())),
        Err(ContentError::Invalid(errors)) => Ok(html_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render_form(
                &req,
                &state,
                &user,
                FormTarget {
                    kind,
                    organisation: (&org.handle, &org.profile.name),
                    editing: None,
                },
                form.values(),
                &errors,
            )?,
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment, slug) = path.into_inner();
    let kind = kind_of(&segment)?;
    let (item, access) = load(&state, handle, kind, slug, Some(&user)).await?;
    if !access.can_edit() {
        return Err(
            AppError::Forbidden("Only editors of this organisation can edit this.".into()).into(),
        );
    }
    let view = item_view(&state, &item);
    let body = render_form(
        &req,
        &state,
        &user,
        FormTarget {
            kind,
            organisation: (&item.organisation_handle, &item.organisation_name),
            editing: Some(&view),
        },
        ContentForm::from_item(&item).values(),
        &[],
    )?;
    Ok(html(body))
}

pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<(String, String, String)>,
    Form(form): Form<ContentForm>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment, slug) = path.into_inner();
    let kind = kind_of(&segment)?;
    let (item, access) = load(&state, handle, kind, slug, Some(&user)).await?;
    if !access.can_edit() {
        return Err(
            AppError::Forbidden("Only editors of this organisation can edit this.".into()).into(),
        );
    }
    let view = item_view(&state, &item);
    let organisation = (
        item.organisation_handle.clone(),
        item.organisation_name.clone(),
    );
    if form.more_lines.is_some() {
        let body = render_form(
            &req,
            &state,
            &user,
            FormTarget {
                kind,
                organisation: (&organisation.0, &organisation.1),
                editing: Some(&view),
            },
            form.values(),
            &[],
        )?;
        return Ok(html(body));
    }
    let (input, form_errors) = form.to_input(kind);
    let id = item.row.id.clone();
    let note = form.note.clone();
    let editor = user.clone();
    let before = item.status;
    let outcome = if form_errors.is_empty() {
        state
            .db
            .run(move |conn| workflow::edit(conn, &id, &editor, &input, &note))
            .await
    } else {
        let mut errors = form_errors;
        if let Err(more) = input.validate() {
            errors.extend(more);
        }
        Err(ContentError::Invalid(errors))
    };
    match outcome {
        Ok(item) => {
            crate::federation::delivery::after_change(&state.db, item.id(), before, item.status)
                .await?;
            Ok(redirect(&item.path()))
        }
        Err(ContentError::Invalid(errors)) => Ok(html_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render_form(
                &req,
                &state,
                &user,
                FormTarget {
                    kind,
                    organisation: (&organisation.0, &organisation.1),
                    editing: Some(&view),
                },
                form.values(),
                &errors,
            )?,
        )),
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    note: String,
    // Adapt
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    exchange_rate: String,
    #[serde(default)]
    country: String,
    // Consent
    #[serde(default)]
    method: String,
    #[serde(default)]
    scope: Vec<String>,
    #[serde(default)]
    expires_on: String,
    #[serde(default)]
    notes: String,
    // Another version
    #[serde(default)]
    variant: String,
    #[serde(default)]
    lang: String,
    // Flags
    #[serde(default)]
    resolution: String,
    #[serde(default)]
    reason: String,
}

/// Workflow buttons and small forms on the item and review pages.
pub async fn action(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<(String, String, String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment, slug, action) = path.into_inner();
    let kind = kind_of(&segment)?;
    let (item, access) = load(&state, handle, kind, slug, Some(&user)).await?;
    let id = item.row.id.clone();
    let actor = user.clone();
    let base = state
        .config
        .public_url
        .as_str()
        .trim_end_matches('/')
        .to_string();
    let review_path = format!("{}/review", item.path());
    let action_name = action.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let result = match action_name.as_str() {
                "submit" => workflow::submit(conn, &id, &actor),
                "approve" => workflow::approve(conn, &id, &actor),
                "publish" => workflow::publish(conn, &id, &actor),
                "withdraw" => workflow::withdraw(conn, &id, &actor, &form.note),
                "return" => workflow::return_to_draft(conn, &id, &actor, &form.note),
                "withdraw-consent" => workflow::withdraw_consent(conn, &id, &actor, &form.note),
                "adapt" => workflow::adapt(
                    conn,
                    &id,
                    &actor,
                    &base,
                    &AdaptOptions {
                        organisation: form.organisation.clone(),
                        currency: Some(form.currency.clone()),
                        exchange_rate: Some(form.exchange_rate.clone()),
                        country: Some(form.country.clone()),
                        scheme: None,
                    },
                ),
                "consent" => workflow::record_consent(
                    conn,
                    &id,
                    &actor,
                    &ConsentInput {
                        method: form.method.clone(),
                        scope: form.scope.clone(),
                        expires_on: Some(form.expires_on.clone()),
                        notes: form.notes.clone(),
                    },
                )
                .and_then(|_| Ok(store::get(conn, &id)?)),
                "version" => match workflow::VersionKind::parse(&form.variant) {
                    Some(variant) => workflow::write_version(
                        conn,
                        &id,
                        &actor,
                        &workflow::VersionOptions {
                            variant,
                            lang: Some(form.lang.clone()),
                        },
                    ),
                    None => Err(ContentError::Invalid(vec![field_error(
                        "variant",
                        "Choose an easy-read version or a translation.",
                    )])),
                },
                "check" => workflow::check_story(conn, &id, &actor)
                    .and_then(|_| Ok(store::get(conn, &id)?)),
                _ => Err(ContentError::NotFound),
            };
            result
        })
        .await;
    match outcome {
        Ok(result) => {
            if action == "withdraw-consent" {
                crate::federation::delivery::content_changed(
                    &state.db,
                    result.id(),
                    crate::federation::delivery::Change::Removed,
                )
                .await?;
            } else if action != "adapt" && action != "version" {
                crate::federation::delivery::after_change(
                    &state.db,
                    result.id(),
                    item.status,
                    result.status,
                )
                .await?;
            }
            let target = match action.as_str() {
                "adapt" | "version" => format!("{}/edit", result.path()),
                "consent" | "check" => review_path,
                _ => result.path(),
            };
            Ok(redirect(&target))
        }
        Err(ContentError::NotAllowedNow(message)) => {
            render_item(
                &req,
                &state,
                Some(&user),
                &item,
                &access,
                &[field_error("action", message)],
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(ContentError::Invalid(errors)) if action != "consent" => {
            render_item(
                &req,
                &state,
                Some(&user),
                &item,
                &access,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ContentError::Invalid(errors)) => {
            render_review(
                &req,
                &state,
                &user,
                &item,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// The story review page: the anonymisation flags of the current text and the consent record.
pub async fn review(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment, slug) = path.into_inner();
    if kind_of(&segment)? != ContentKind::CaseStory {
        return Err(AppError::NotFound.into());
    }
    let (item, access) = load(&state, handle, ContentKind::CaseStory, slug, Some(&user)).await?;
    if !access.can_edit() {
        return Err(AppError::NotFound.into());
    }
    render_review(&req, &state, &user, &item, &[], StatusCode::OK).await
}

async fn render_review(
    req: &HttpRequest,
    state: &AppState,
    user: &User,
    item: &ContentItem,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let id = item.row.id.clone();
    let (flags, consent) = state
        .db
        .query(move |conn| Ok((store::flags(conn, &id)?, store::consent(conn, &id)?)))
        .await?;
    let current: Vec<_> = flags
        .iter()
        .filter(|f| f.revision == item.row.revision)
        .cloned()
        .collect();
    let earlier: Vec<_> = flags
        .iter()
        .filter(|f| f.revision != item.row.revision)
        .cloned()
        .collect();
    let body = render(
        "content/review.html",
        context! {
            page => page(req, state, Some(user)),
            item => item_view(state, item),
            flags => current,
            earlier => earlier,
            consent => consent.map(|c| context! {
                method => c.method.clone(), scope => c.scope(), expires_on => c.expires_on.clone(),
                notes => c.notes.clone(), withdrawn => c.withdrawn_at.is_some(), withdrawn_reason => c.withdrawn_reason.clone(),
            }),
            errors => errors,
            choices => choices(&super::interface_language(req, Some(user))),
        },
    )?;
    Ok(html_with_status(status, body))
}

pub async fn resolve_flag(
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<(String, String, String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment, slug, flag) = path.into_inner();
    if kind_of(&segment)? != ContentKind::CaseStory {
        return Err(AppError::NotFound.into());
    }
    let (item, _) = load(&state, handle, ContentKind::CaseStory, slug, Some(&user)).await?;
    let resolution = match form.resolution.as_str() {
        "fixed" => Resolution::Fixed,
        "dismissed" => Resolution::Dismissed,
        _ => {
            return Err(
                AppError::bad_request("invalid_resolution", "Choose fixed or dismissed.").into(),
            )
        }
    };
    let id = item.row.id.clone();
    state
        .db
        .run(move |conn| workflow::resolve_flag(conn, &id, &flag, &user, resolution, &form.reason))
        .await?;
    Ok(redirect(&format!("{}/review", item.path())))
}

/// Revisions of guides and templates are public; a story's only for its organisation.
async fn load_for_revisions(
    state: &AppState,
    user: Option<&User>,
    path: (String, String, String),
) -> Result<ContentItem, PageError> {
    let (handle, segment, slug) = path;
    let kind = kind_of(&segment)?;
    let (item, access) = load(state, handle, kind, slug, user).await?;
    if kind == ContentKind::CaseStory && !access.can_edit() {
        return Err(AppError::NotFound.into());
    }
    Ok(item)
}

pub async fn revisions(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, PageError> {
    let item = load_for_revisions(&state, user.0.as_ref(), path.into_inner()).await?;
    let id = item.row.id.clone();
    let revisions = state
        .db
        .query(move |conn| store::revisions(conn, &id))
        .await?;
    let body = render(
        "content/revisions.html",
        context! {
            page => page(&req, &state, user.0.as_ref()),
            item => item_view(&state, &item),
            revisions => revisions,
        },
    )?;
    Ok(html(body))
}

#[derive(Debug, Deserialize)]
pub struct DiffQuery {
    from: Option<i32>,
    to: Option<i32>,
}

pub async fn revision_diff(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
    path: web::Path<(String, String, String)>,
    query: web::Query<DiffQuery>,
) -> Result<HttpResponse, PageError> {
    let item = load_for_revisions(&state, user.0.as_ref(), path.into_inner()).await?;
    let to = query.to.unwrap_or(item.row.revision);
    let from = query.from.unwrap_or(to - 1).max(1);
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
    let body = render(
        "content/diff.html",
        context! {
            page => page(&req, &state, user.0.as_ref()),
            item => item_view(&state, &item),
            from => a.revision,
            to => b.revision,
            title_diff => diff::words_html(&a.title, &b.title),
            summary_diff => diff::words_html(&a.summary, &b.summary),
            body_diff => diff::words_html(&a.body_source, &b.body_source),
            data_diff => diff::words_html(&pretty(&a.data), &pretty(&b.data)),
        },
    )?;
    Ok(html(body))
}

fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| json.to_string())
}

pub async fn print(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment, slug) = path.into_inner();
    if kind_of(&segment)? != ContentKind::IsfTemplate {
        return Err(AppError::NotFound.into());
    }
    let (item, _) = load(
        &state,
        handle,
        ContentKind::IsfTemplate,
        slug,
        user.0.as_ref(),
    )
    .await?;
    let body = render(
        "content/print_isf_template.html",
        context! {
            page => page(&req, &state, user.0.as_ref()),
            item => item_view(&state, &item),
            choices => choices(&super::interface_language(&req, user.0.as_ref())),
        },
    )?;
    Ok(html(body))
}

pub async fn export(
    state: web::Data<AppState>,
    user: MaybeUser,
    path: web::Path<(String, String, String, String)>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment, slug, format) = path.into_inner();
    if kind_of(&segment)? != ContentKind::IsfTemplate {
        return Err(AppError::NotFound.into());
    }
    let (item, _) = load(
        &state,
        handle,
        ContentKind::IsfTemplate,
        slug,
        user.0.as_ref(),
    )
    .await?;
    match format.as_str() {
        "export.csv" => crate::api::content::csv_response(&item).map_err(|e| PageError(e.0)),
        "export.json" => {
            let view = crate::api::content::view(&state, item.clone());
            Ok(HttpResponse::Ok()
                .insert_header((
                    actix_web::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}.json\"", item.row.slug),
                ))
                .json(view))
        }
        _ => Err(AppError::NotFound.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct ShareForm {
    organisation: String,
}

/// An editor shares a published item with their organisation's followers (an Announce).
pub async fn share(
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<(String, String, String)>,
    Form(form): Form<ShareForm>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment, slug) = path.into_inner();
    let kind = kind_of(&segment)?;
    let (item, _) = load(&state, handle, kind, slug, Some(&user)).await?;
    let org_handle = form.organisation.clone();
    let sharer = user.clone();
    state
        .db
        .run(move |conn| {
            let org =
                crate::organisations::get(conn, &org_handle).map_err(|_| ContentError::NotFound)?;
            if !workflow::access(conn, &org.id, Some(&sharer))?.can_edit() {
                return Err(ContentError::Forbidden(
                    "Only editors of that organisation can share for it.".into(),
                ));
            }
            Ok(())
        })
        .await?;
    let data = state.federation.to_request_data();
    crate::federation::routes::announce(&data, &form.organisation, &item)
        .await
        .map_err(|e| AppError::bad_request("not_shared", format!("It could not be shared: {e}")))?;
    Ok(redirect(&item.path()))
}

#[derive(Debug, Deserialize)]
pub struct ReportForm {
    reason: String,
}

/// A member reports an item to the moderators (and, for a peer's item, to its instance).
pub async fn report(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<(String, String, String)>,
    Form(form): Form<ReportForm>,
) -> Result<HttpResponse, PageError> {
    let (handle, segment, slug) = path.into_inner();
    let kind = kind_of(&segment)?;
    let (item, access) = load(&state, handle, kind, slug, Some(&user)).await?;
    let data = state.federation.to_request_data();
    match crate::federation::routes::report(&data, &item, &user.id, &form.reason).await {
        Ok(()) => {
            let body = render(
                "content/reported.html",
                context! { page => page(&req, &state, Some(&user)), item => item_view(&state, &item) },
            )?;
            Ok(html(body))
        }
        Err(e) => {
            render_item(
                &req,
                &state,
                Some(&user),
                &item,
                &access,
                &[field_error("report", format!("{e}"))],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
