//! Organisation pages: the directory, the public profile, and the create and edit forms.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::{context, Value};
use serde::Deserialize;

use super::{html, html_with_status, page, redirect};
use crate::accounts::{FieldError, User};
use crate::db::DbError;
use crate::organisations::{self, Organisation, OrganisationError, ProfileInput};
use crate::taxonomy;
use crate::web::auth::{MaybeUser, RequireUser};
use crate::web::csrf::Form;
use crate::web::error::{AppError, PageError};
use crate::web::templates::{self, render};
use crate::web::AppState;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    page: Option<i64>,
}

const PER_PAGE: i64 = 30;

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let page_number = query.page.unwrap_or(1).max(1);
    let (organisations, total) = state
        .db
        .run(move |conn| {
            organisations::list(conn, (page_number - 1) * PER_PAGE, PER_PAGE).map_err(DbError::from)
        })
        .await?;
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    let body = render(
        "organisations/list.html",
        context! {
            page => page(&req, &state, user.0.as_ref()),
            organisations => organisations,
            total => total,
            page_number => page_number,
            pages => pages,
        },
    )?;
    Ok(html(body))
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeUser,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let handle = path.into_inner();
    if crate::federation::wants_activity_json(&req) {
        let data = state.federation.to_request_data();
        return Ok(
            crate::federation::routes::actor_document(&req, &data, &handle)
                .await
                .unwrap_or_else(|e| actix_web::ResponseError::error_response(&e)),
        );
    }
    render_profile(&req, &state, user.0.as_ref(), handle, None, StatusCode::OK).await
}

async fn render_profile(
    req: &HttpRequest,
    state: &AppState,
    user: Option<&crate::accounts::User>,
    handle: String,
    follow_error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let viewer = user.cloned();
    let actor = crate::federation::actor_url(&state.config, &handle)
        .map(|u| u.to_string())
        .unwrap_or_default();
    let (organisation, members, can_edit, following) = state
        .db
        .run(move |conn| {
            let organisation = organisations::get(conn, &handle)?;
            let members = organisations::members(conn, &organisation.id)?;
            let can_edit = match &viewer {
                Some(v) => organisations::can_edit(conn, &organisation, v)?,
                None => false,
            };
            let following = if can_edit {
                crate::federation::routes::following_of(conn, &actor)?
            } else {
                Vec::new()
            };
            Ok::<_, OrganisationError>((organisation, members, can_edit, following))
        })
        .await?;
    let body = render(
        "organisations/show.html",
        context! {
            page => page(req, state, user),
            org => organisation,
            members => members,
            can_edit => can_edit,
            host => state.config.public_host(),
            following => following.into_iter().map(|(handle, name, state)| context! { handle => handle, name => name, state => state }).collect::<Vec<_>>(),
            follow_error => follow_error,
        },
    )?;
    Ok(html_with_status(status, body))
}

#[derive(Debug, Deserialize)]
pub struct FollowForm {
    target: String,
}

/// An editor makes their organisation follow a peer on another instance.
pub async fn follow(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<String>,
    Form(form): Form<FollowForm>,
) -> Result<HttpResponse, PageError> {
    let organisation = editable(&state, path.into_inner(), &user).await?;
    let data = state.federation.to_request_data();
    match crate::federation::routes::follow(&data, &organisation.handle, &form.target).await {
        Ok(_) => Ok(redirect(&format!("/organisations/{}", organisation.handle))),
        Err(e) => {
            let message = format!("We could not follow '{}': {e}", form.target.trim());
            render_profile(
                &req,
                &state,
                Some(&user),
                organisation.handle,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// What the form sends. Lists come as repeated checkboxes, or one per line.
#[derive(Debug, Default, Deserialize)]
pub struct OrganisationForm {
    #[serde(default)]
    handle: String,
    name: String,
    #[serde(default)]
    summary: String,
    country: String,
    #[serde(default)]
    regions: String,
    #[serde(default)]
    languages: String,
    kind: String,
    #[serde(default)]
    people_supported: Vec<String>,
    #[serde(default)]
    wants_to_learn: Vec<String>,
    #[serde(default)]
    offers_to_share: Vec<String>,
    #[serde(default)]
    hosts_events: Option<String>,
    #[serde(default)]
    accessibility_statement: String,
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    contact_url: String,
}

impl OrganisationForm {
    fn to_input(&self) -> ProfileInput {
        ProfileInput {
            name: self.name.clone(),
            summary: self.summary.clone(),
            country: self.country.clone(),
            regions: self.regions.lines().map(str::to_string).collect(),
            languages: self
                .languages
                .split([',', ' ', '\n'])
                .map(str::to_string)
                .collect(),
            kind: self.kind.clone(),
            people_supported: self.people_supported.clone(),
            wants_to_learn: self.wants_to_learn.clone(),
            offers_to_share: self.offers_to_share.clone(),
            hosts_events: self.hosts_events.is_some(),
            accessibility_statement: self.accessibility_statement.clone(),
            contact_email: Some(self.contact_email.clone()),
            contact_url: Some(self.contact_url.clone()),
        }
    }

    fn values(&self) -> Value {
        context! {
            handle => self.handle,
            name => self.name,
            summary => self.summary,
            country => self.country,
            regions => self.regions,
            languages => self.languages,
            kind => self.kind,
            people_supported => self.people_supported,
            wants_to_learn => self.wants_to_learn,
            offers_to_share => self.offers_to_share,
            hosts_events => self.hosts_events.is_some(),
            accessibility_statement => self.accessibility_statement,
            contact_email => self.contact_email,
            contact_url => self.contact_url,
        }
    }

    fn from_organisation(org: &Organisation) -> OrganisationForm {
        let p = &org.profile;
        OrganisationForm {
            handle: org.handle.clone(),
            name: p.name.clone(),
            summary: p.summary.clone(),
            country: p.country.clone(),
            regions: p.regions.join("\n"),
            languages: p.languages.join(", "),
            kind: p.kind.clone(),
            people_supported: p.people_supported.clone(),
            wants_to_learn: p.wants_to_learn.clone(),
            offers_to_share: p.offers_to_share.clone(),
            hosts_events: p.hosts_events.then(|| "on".to_string()),
            accessibility_statement: p.accessibility_statement.clone(),
            contact_email: p.contact_email.clone().unwrap_or_default(),
            contact_url: p.contact_url.clone().unwrap_or_default(),
        }
    }
}

fn render_form(
    req: &HttpRequest,
    state: &AppState,
    user: &User,
    editing: Option<&str>,
    values: Value,
    errors: &[FieldError],
) -> Result<String, AppError> {
    let context = page(req, state, Some(user));
    let lang = context.lang.clone();
    render(
        "organisations/form.html",
        context! {
            page => context,
            editing => editing,
            values => values,
            errors => errors,
            kinds => organisations::KINDS.iter().map(|k| context! { value => k, label => templates::kind_label(k, &lang) }).collect::<Vec<_>>(),
            countries => countries(&lang),
            topics => templates::vocabulary(taxonomy::LEARNING_TOPICS, &lang),
            people => templates::vocabulary(taxonomy::PEOPLE_SUPPORTED, &lang),
        },
    )
}

/// Countries for the select box, by name; the UK nations are listed as their own entries
/// because networks there are organised by nation.
pub fn countries(lang: &str) -> Vec<Value> {
    // Every form and listing offers the list: name and sort it once per language.
    static BY_LANGUAGE: std::sync::OnceLock<BTreeMap<String, Vec<(String, String)>>> =
        std::sync::OnceLock::new();
    let lists = BY_LANGUAGE.get_or_init(|| {
        crate::i18n::Catalogues::get()
            .languages()
            .map(|lang| (lang.to_string(), country_list(lang)))
            .collect()
    });
    let list = match lists.get(lang) {
        Some(list) => std::borrow::Cow::Borrowed(list),
        None => std::borrow::Cow::Owned(country_list(lang)),
    };
    list.iter()
        .map(|(code, name)| context! { code => code, name => name })
        .collect()
}

fn country_list(lang: &str) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = rust_iso3166::ALL
        .iter()
        .map(|c| {
            (
                c.alpha2.to_string(),
                organisations::country_name_in(lang, c.alpha2),
            )
        })
        .collect();
    for code in organisations::UK_NATIONS {
        let nation = organisations::country_name_in(lang, code);
        list.push((
            code.to_string(),
            crate::i18n::t_args(
                lang,
                "country-in-uk",
                &crate::i18n::args(&[("nation", nation.into())]),
            ),
        ));
    }
    // Code-point order puts Å, Ä and Ö after Z, as Finnish and Swedish readers expect.
    list.sort_by(|a, b| a.1.cmp(&b.1));
    list
}

pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
) -> Result<HttpResponse, PageError> {
    let values = context! { languages => "en", kind => "provider" };
    Ok(html(render_form(&req, &state, &user, None, values, &[])?))
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    Form(form): Form<OrganisationForm>,
) -> Result<HttpResponse, PageError> {
    let input = form.to_input();
    let handle = form.handle.clone();
    let creator = user.id.clone();
    let outcome = state
        .db
        .run(move |conn| organisations::create(conn, &handle, &input, Some(&creator)))
        .await;
    match outcome {
        Ok(org) => Ok(redirect(&format!("/organisations/{}", org.handle))),
        Err(OrganisationError::Invalid(errors)) => Ok(html_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render_form(&req, &state, &user, None, form.values(), &errors)?,
        )),
        Err(OrganisationError::HandleTaken) => Ok(html_with_status(
            StatusCode::CONFLICT,
            render_form(
                &req,
                &state,
                &user,
                None,
                form.values(),
                &[crate::accounts::field_error(
                    "handle",
                    "Another organisation already uses this handle. Choose another.",
                )],
            )?,
        )),
        Err(other) => Err(other.into()),
    }
}

/// Loads the organisation and checks that `user` may edit it (403 otherwise).
async fn editable(
    state: &AppState,
    handle: String,
    user: &User,
) -> Result<Organisation, PageError> {
    let user = user.clone();
    let organisation = state
        .db
        .run(move |conn| organisations::get_editable(conn, &handle, &user))
        .await?;
    Ok(organisation)
}

pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let organisation = editable(&state, path.into_inner(), &user).await?;
    let values = OrganisationForm::from_organisation(&organisation).values();
    Ok(html(render_form(
        &req,
        &state,
        &user,
        Some(&organisation.handle),
        values,
        &[],
    )?))
}

pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<String>,
    Form(form): Form<OrganisationForm>,
) -> Result<HttpResponse, PageError> {
    let organisation = editable(&state, path.into_inner(), &user).await?;
    let input = form.to_input();
    let handle = organisation.handle.clone();
    let outcome = state
        .db
        .run(move |conn| organisations::update(conn, &handle, &input))
        .await;
    match outcome {
        Ok(org) => Ok(redirect(&format!("/organisations/{}", org.handle))),
        Err(OrganisationError::Invalid(errors)) => Ok(html_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render_form(
                &req,
                &state,
                &user,
                Some(&organisation.handle),
                form.values(),
                &errors,
            )?,
        )),
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct UnfollowForm {
    peer: String,
}

pub async fn unfollow(
    state: web::Data<AppState>,
    RequireUser(user): RequireUser,
    path: web::Path<String>,
    Form(form): Form<UnfollowForm>,
) -> Result<HttpResponse, PageError> {
    let organisation = editable(&state, path.into_inner(), &user).await?;
    let data = state.federation.to_request_data();
    crate::federation::routes::unfollow(&data, &organisation.handle, &form.peer)
        .await
        .map_err(|e| match e {
            crate::federation::FederationError::NotFound => AppError::NotFound,
            other => AppError::Internal(other.to_string()),
        })?;
    Ok(redirect(&format!("/organisations/{}", organisation.handle)))
}
