//! Our database rows as ActivityPub objects: organisations (local and remote) as actors,
//! content items as articles. Converting from JSON stores remote data (sanitised);
//! converting to JSON is only ever done for local rows.

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::protocol::verification::verify_domains_match;
use activitypub_federation::traits::{Actor, Object};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use url::Url;

use super::protocol::{
    ArticleJson, DerivedFrom, Endpoints, OrganizationJson, PropertyValue, Source, Tag, PUBLIC,
};
use super::{actor_url, FedData, FederationError};
use crate::content::markdown;
use crate::content::store::{self, ContentItem};
use crate::content::{CommonInput, ContentInput, ContentKind, Details, Status};
use crate::db::schema::{content_items, organisation_terms, organisations};
use crate::db::{self, DbConn};
use crate::organisations::{self as orgs, country_name};
use crate::taxonomy::{self, Taxonomy};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct ActorRow {
    pub id: String,
    pub handle: String,
    pub name: String,
    pub summary: String,
    pub actor_id: Option<String>,
    pub local: bool,
    pub inbox_url: Option<String>,
    pub shared_inbox_url: Option<String>,
    pub public_key_pem: Option<String>,
    pub private_key_pem: Option<String>,
    pub fetched_at: Option<chrono::NaiveDateTime>,
}

/// An organisation, local or remote, as an actor.
#[derive(Debug, Clone)]
pub struct DbActor {
    pub row: ActorRow,
    pub ap_id: Url,
    pub inbox: Url,
    pub shared_inbox: Option<Url>,
    pub public_key_pem: String,
}

fn row_by_handle(conn: &mut DbConn, handle: &str) -> QueryResult<Option<ActorRow>> {
    organisations::table
        .filter(organisations::handle.eq(handle))
        .select(ActorRow::as_select())
        .first(conn)
        .optional()
}

fn row_by_actor_id(conn: &mut DbConn, actor_id: &str) -> QueryResult<Option<ActorRow>> {
    organisations::table
        .filter(organisations::actor_id.eq(actor_id))
        .select(ActorRow::as_select())
        .first(conn)
        .optional()
}

/// A local organisation as an actor, creating its key pair the first time.
pub fn local_actor(
    conn: &mut DbConn,
    config: &crate::config::Config,
    handle: &str,
) -> Result<Option<DbActor>, FederationError> {
    let Some(mut row) = row_by_handle(conn, handle)? else {
        return Ok(None);
    };
    if !row.local {
        return Ok(None);
    }
    if row.public_key_pem.is_none() || row.private_key_pem.is_none() {
        let keys = activitypub_federation::http_signatures::generate_actor_keypair()?;
        // Only the first writer's keys are kept, so concurrent requests agree on one pair.
        diesel::update(
            organisations::table
                .filter(organisations::id.eq(&row.id))
                .filter(organisations::public_key_pem.is_null()),
        )
        .set((
            organisations::public_key_pem.eq(&keys.public_key),
            organisations::private_key_pem.eq(&keys.private_key),
        ))
        .execute(conn)?;
        row = row_by_handle(conn, handle)?.ok_or(FederationError::NotFound)?;
    }
    let ap_id = actor_url(config, &row.handle)?;
    Ok(Some(DbActor {
        inbox: Url::parse(&format!("{ap_id}/inbox"))?,
        shared_inbox: Some(config.public_url.join("inbox")?),
        public_key_pem: row.public_key_pem.clone().unwrap_or_default(),
        ap_id,
        row,
    }))
}

fn remote_actor(row: ActorRow) -> Result<DbActor, FederationError> {
    let ap_id = Url::parse(row.actor_id.as_deref().unwrap_or_default())?;
    Ok(DbActor {
        inbox: Url::parse(row.inbox_url.as_deref().unwrap_or_default())?,
        shared_inbox: row
            .shared_inbox_url
            .as_deref()
            .and_then(|u| Url::parse(u).ok()),
        public_key_pem: row.public_key_pem.clone().unwrap_or_default(),
        ap_id,
        row,
    })
}

/// The handle in a local actor or object URL: `/organisations/{handle}/…`.
pub fn local_handle(url: &Url) -> Option<String> {
    let mut segments = url.path_segments()?;
    (segments.next()? == "organisations").then_some(())?;
    segments.next().map(str::to_string)
}

fn plain(text: &str, max: usize) -> String {
    markdown::strip_html(text)
        .trim()
        .chars()
        .take(max)
        .collect()
}

fn known_terms(vocabulary: &str, values: &[String]) -> Vec<String> {
    values
        .iter()
        .filter(|v| Taxonomy::get().term(vocabulary, v).is_some())
        .take(60)
        .cloned()
        .collect()
}

#[async_trait]
impl Object for DbActor {
    type DataType = FedData;
    type Kind = OrganizationJson;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.ap_id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        if self.row.local {
            return None;
        }
        self.row.fetched_at.map(|t| t.and_utc())
    }

    async fn read_from_id(
        object_id: Url,
        data: &Data<FedData>,
    ) -> Result<Option<Self>, FederationError> {
        let config = data.config.clone();
        let local = object_id.host_str().map(|h| match object_id.port() {
            Some(p) => format!("{h}:{p}"),
            None => h.to_string(),
        }) == Some(super::domain(&config));
        data.db
            .run(move |conn| {
                if local {
                    match local_handle(&object_id) {
                        Some(handle) => local_actor(conn, &config, &handle),
                        None => Ok(None),
                    }
                } else {
                    row_by_actor_id(conn, object_id.as_str())?
                        .map(remote_actor)
                        .transpose()
                }
            })
            .await
    }

    async fn into_json(self, data: &Data<FedData>) -> Result<OrganizationJson, FederationError> {
        let handle = self.row.handle.clone();
        let org = data
            .db
            .run(move |conn| orgs::get(conn, &handle).map_err(|_| FederationError::NotFound))
            .await?;
        let p = org.profile;
        let base = self.ap_id.clone();
        let mut attachment = vec![PropertyValue {
            kind: "PropertyValue".into(),
            name: "Country".into(),
            value: country_name(&p.country),
        }];
        if !p.offers_to_share.is_empty() {
            attachment.push(PropertyValue {
                kind: "PropertyValue".into(),
                name: "Offers to share".into(),
                value: p
                    .offers_to_share
                    .iter()
                    .map(|s| {
                        Taxonomy::get()
                            .label(taxonomy::LEARNING_TOPICS, s)
                            .to_string()
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        Ok(OrganizationJson {
            id: self.ap_id.clone(),
            kind: "Organization".into(),
            preferred_username: org.handle.clone(),
            name: p.name,
            summary: Some(p.summary).filter(|s| !s.is_empty()),
            inbox: self.inbox.clone(),
            outbox: Some(Url::parse(&format!("{base}/outbox"))?),
            followers: Some(Url::parse(&format!("{base}/followers"))?),
            following: Some(Url::parse(&format!("{base}/following"))?),
            endpoints: self
                .shared_inbox
                .clone()
                .map(|shared_inbox| Endpoints { shared_inbox }),
            public_key: self.public_key(),
            url: Some(self.ap_id.clone()),
            attachment,
            manually_approves_followers: false,
            discoverable: true,
            country: Some(p.country),
            regions: p.regions,
            languages: p.languages,
            organisation_kind: Some(p.kind),
            people_supported: p.people_supported,
            wants_to_learn: p.wants_to_learn,
            offers_to_share: p.offers_to_share,
            hosts_events: Some(p.hosts_events),
        })
    }

    async fn verify(
        json: &OrganizationJson,
        expected_domain: &Url,
        _data: &Data<FedData>,
    ) -> Result<(), FederationError> {
        verify_domains_match(&json.id, expected_domain)?;
        verify_domains_match(&json.inbox, expected_domain)?;
        if !super::protocol::ACTOR_TYPES.contains(&json.kind.as_str()) {
            return Err(FederationError::Invalid(format!(
                "'{}' is not an actor type Mutual accepts",
                json.kind
            )));
        }
        if json.public_key.owner != json.id {
            return Err(FederationError::Invalid(
                "the public key does not belong to this actor".into(),
            ));
        }
        Ok(())
    }

    async fn from_json(
        json: OrganizationJson,
        data: &Data<FedData>,
    ) -> Result<Self, FederationError> {
        let host = match json.id.port() {
            Some(port) => format!("{}:{port}", json.id.host_str().unwrap_or_default()),
            None => json.id.host_str().unwrap_or_default().to_string(),
        };
        let username: String = json
            .preferred_username
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .take(60)
            .collect();
        if username.is_empty() {
            return Err(FederationError::Invalid(
                "the actor has no usable preferredUsername".into(),
            ));
        }
        let handle = format!("{username}@{host}");
        let name = Some(plain(&json.name, 200))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| handle.clone());
        let summary = plain(json.summary.as_deref().unwrap_or_default(), 2000);
        let country = json
            .country
            .as_deref()
            .and_then(|c| orgs::parse_country(c).ok())
            .unwrap_or_default();
        // Accounts of other fediverse software are kept apart from organisations.
        let kind = if json.kind != "Organization" {
            orgs::REMOTE_ACCOUNT_KIND.to_string()
        } else {
            json.organisation_kind
                .clone()
                .filter(|k| orgs::KINDS.contains(&k.as_str()))
                .unwrap_or_else(|| "network".into())
        };
        let languages: Vec<String> = json
            .languages
            .iter()
            .filter_map(|l| orgs::parse_language(l))
            .take(20)
            .collect();
        let regions: Vec<String> = json
            .regions
            .iter()
            .map(|r| plain(r, 100))
            .filter(|r| !r.is_empty())
            .take(20)
            .collect();
        let terms = [
            (
                "people_supported",
                taxonomy::PEOPLE_SUPPORTED,
                known_terms(taxonomy::PEOPLE_SUPPORTED, &json.people_supported),
            ),
            (
                "wants_to_learn",
                taxonomy::LEARNING_TOPICS,
                known_terms(taxonomy::LEARNING_TOPICS, &json.wants_to_learn),
            ),
            (
                "offers_to_share",
                taxonomy::LEARNING_TOPICS,
                known_terms(taxonomy::LEARNING_TOPICS, &json.offers_to_share),
            ),
        ];
        let actor_id = json.id.to_string();
        let inbox = json.inbox.to_string();
        let shared_inbox = json.endpoints.as_ref().map(|e| e.shared_inbox.to_string());
        let public_key = json.public_key.public_key_pem.clone();
        let hosts_events = json.hosts_events.unwrap_or(false);
        let row = data
            .db
            .run(move |conn| {
                db::write_transaction(conn, |conn| {
                    let now = db::now();
                    let id = match row_by_actor_id(conn, &actor_id)? {
                        Some(existing) if existing.local => {
                            return Err(FederationError::Refused(
                                "a remote actor cannot replace a local one".into(),
                            ));
                        }
                        Some(existing) => {
                            diesel::update(
                                organisations::table.filter(organisations::id.eq(&existing.id)),
                            )
                            .set((
                                organisations::name.eq(&name),
                                organisations::summary.eq(&summary),
                                organisations::country.eq(&country),
                                organisations::regions.eq(serde_json::to_string(&regions)?),
                                organisations::languages.eq(serde_json::to_string(&languages)?),
                                organisations::kind.eq(&kind),
                                organisations::hosts_events.eq(hosts_events),
                                organisations::inbox_url.eq(&inbox),
                                organisations::shared_inbox_url.eq(&shared_inbox),
                                organisations::public_key_pem.eq(&public_key),
                                organisations::fetched_at.eq(now),
                                organisations::updated_at.eq(now),
                            ))
                            .execute(conn)?;
                            existing.id
                        }
                        None => {
                            let id = db::new_id();
                            diesel::insert_into(organisations::table)
                                .values((
                                    organisations::id.eq(&id),
                                    organisations::handle.eq(&handle),
                                    organisations::name.eq(&name),
                                    organisations::summary.eq(&summary),
                                    organisations::country.eq(&country),
                                    organisations::regions.eq(serde_json::to_string(&regions)?),
                                    organisations::languages.eq(serde_json::to_string(&languages)?),
                                    organisations::kind.eq(&kind),
                                    organisations::hosts_events.eq(hosts_events),
                                    organisations::accessibility_statement.eq(""),
                                    organisations::created_at.eq(now),
                                    organisations::updated_at.eq(now),
                                    organisations::actor_id.eq(&actor_id),
                                    organisations::local.eq(false),
                                    organisations::inbox_url.eq(&inbox),
                                    organisations::shared_inbox_url.eq(&shared_inbox),
                                    organisations::public_key_pem.eq(&public_key),
                                    organisations::fetched_at.eq(now),
                                ))
                                .execute(conn)?;
                            id
                        }
                    };
                    crate::search::pending::enqueue_organisation(conn, &id)?;
                    diesel::delete(
                        organisation_terms::table
                            .filter(organisation_terms::organisation_id.eq(&id)),
                    )
                    .execute(conn)?;
                    for (relation, vocabulary, slugs) in &terms {
                        for slug in slugs {
                            diesel::insert_into(organisation_terms::table)
                                .values((
                                    organisation_terms::organisation_id.eq(&id),
                                    organisation_terms::relation.eq(relation),
                                    organisation_terms::vocabulary.eq(vocabulary),
                                    organisation_terms::slug.eq(slug),
                                ))
                                .execute(conn)?;
                        }
                    }
                    row_by_actor_id(conn, &actor_id)?.ok_or(FederationError::NotFound)
                })
            })
            .await?;
        remote_actor(row)
    }
}

impl Actor for DbActor {
    fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.row.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        self.inbox.clone()
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.shared_inbox.clone()
    }
}

/// A content item as an `Article`.
#[derive(Debug, Clone)]
pub struct DbArticle {
    pub item: ContentItem,
    pub ap_id: Url,
}

/// The public URL of a local item, which is also its ActivityPub id.
pub fn item_url(
    config: &crate::config::Config,
    item: &ContentItem,
) -> Result<Url, FederationError> {
    Ok(config
        .public_url
        .join(item.path().trim_start_matches('/'))?)
}

/// Whether a local item may travel to other instances now.
pub fn federates(conn: &mut DbConn, item: &ContentItem) -> Result<bool, FederationError> {
    if !item.row.local || item.status != Status::Published {
        return Ok(false);
    }
    if item.kind == ContentKind::CaseStory {
        // A story travels only if the person agreed to it leaving this site.
        let Some(consent) = store::consent(conn, item.id())? else {
            return Ok(false);
        };
        return Ok(
            consent.withdrawn_at.is_none() && consent.scope().iter().any(|s| s == "federate")
        );
    }
    Ok(true)
}

#[async_trait]
impl Object for DbArticle {
    type DataType = FedData;
    type Kind = ArticleJson;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.ap_id
    }

    async fn read_from_id(
        object_id: Url,
        data: &Data<FedData>,
    ) -> Result<Option<Self>, FederationError> {
        let config = data.config.clone();
        data.db
            .run(move |conn| {
                let found: Option<String> = content_items::table
                    .filter(content_items::ap_id.eq(object_id.as_str()))
                    .select(content_items::id)
                    .first(conn)
                    .optional()?;
                if let Some(id) = found {
                    let item = store::get(conn, &id)?;
                    return Ok(Some(DbArticle {
                        item,
                        ap_id: object_id,
                    }));
                }
                // A local item: /organisations/{handle}/{segment}/{slug}
                let segments: Vec<&str> = object_id
                    .path_segments()
                    .map(|s| s.collect())
                    .unwrap_or_default();
                if let ["organisations", handle, segment, slug] = segments.as_slice() {
                    if let Some(kind) = ContentKind::from_segment(segment) {
                        if let Ok(item) = store::get_by_slug(conn, handle, kind, slug) {
                            if item.row.local && federates(conn, &item)? {
                                let ap_id = item_url(&config, &item)?;
                                return Ok(Some(DbArticle { item, ap_id }));
                            }
                        }
                    }
                }
                Ok(None)
            })
            .await
    }

    async fn delete(&self, data: &Data<FedData>) -> Result<(), FederationError> {
        if self.item.row.local {
            return Ok(());
        }
        let id = self.item.row.id.clone();
        data.db
            .run(move |conn| {
                diesel::delete(content_items::table.filter(content_items::id.eq(&id)))
                    .execute(conn)?;
                crate::search::pending::enqueue_content(conn, &id)?;
                Ok::<_, FederationError>(())
            })
            .await
    }

    async fn into_json(self, data: &Data<FedData>) -> Result<ArticleJson, FederationError> {
        let config = data.config.clone();
        let item = self.item;
        let actor = actor_url(&config, &item.organisation_handle)?;
        let (consent_scope, consent_expires) = if item.kind == ContentKind::CaseStory {
            let id = item.row.id.clone();
            let consent = data.db.query(move |conn| store::consent(conn, &id)).await?;
            (
                consent.as_ref().map(|c| c.scope()),
                consent.and_then(|c| c.expires_on),
            )
        } else {
            (None, None)
        };
        let mut content_map = serde_json::Map::new();
        content_map.insert(
            item.row.lang.clone(),
            serde_json::Value::String(item.row.body_html.clone()),
        );
        let tag = item
            .topics
            .iter()
            .map(|slug| Tag {
                kind: "Hashtag".into(),
                name: format!("#{}", slug.replace('-', "")),
                href: config
                    .public_url
                    .join(&format!("{}?topic={slug}", item.kind.segment()))
                    .ok(),
            })
            .collect();
        Ok(ArticleJson {
            id: self.ap_id.clone(),
            kind: Default::default(),
            attributed_to: actor.clone(),
            name: item.row.title.clone(),
            summary: Some(item.row.summary.clone()).filter(|s| !s.is_empty()),
            content: item.row.body_html.clone(),
            media_type: Some("text/html".into()),
            source: Some(Source {
                content: item.row.body_source.clone(),
                media_type: "text/markdown".into(),
            }),
            content_map: Some(content_map),
            url: Some(self.ap_id.clone()),
            published: item.row.published_at.map(|t| t.and_utc()),
            updated: Some(item.row.updated_at.and_utc()),
            to: vec![PUBLIC.to_string()],
            cc: vec![format!("{actor}/followers")],
            tag,
            content_type: Some(item.kind.as_str().to_string()),
            revision: Some(item.row.revision),
            licence: Some(item.row.licence.clone()),
            topics: item.topics.clone(),
            details: Some(item.details.to_json()),
            derived_from: item.derived_from().map(|a| DerivedFrom {
                url: a.url,
                title: a.title,
                organisation: a.organisation,
                revision: a.revision,
            }),
            consent_scope,
            consent_expires,
        })
    }

    async fn verify(
        json: &ArticleJson,
        expected_domain: &Url,
        _data: &Data<FedData>,
    ) -> Result<(), FederationError> {
        verify_domains_match(&json.id, expected_domain)?;
        verify_domains_match(&json.attributed_to, expected_domain)?;
        Ok(())
    }

    async fn from_json(json: ArticleJson, data: &Data<FedData>) -> Result<Self, FederationError> {
        let kind = json
            .content_type
            .as_deref()
            .and_then(ContentKind::parse)
            .ok_or_else(|| {
                FederationError::Invalid("not a Mutual item (no known contentType)".into())
            })?;
        if kind == ContentKind::CaseStory {
            let scope = json.consent_scope.clone().unwrap_or_default();
            if !scope.iter().any(|s| s == "federate") {
                return Err(FederationError::Refused(
                    "the story's consent does not cover sharing it".into(),
                ));
            }
            let today = chrono::Utc::now()
                .date_naive()
                .format("%Y-%m-%d")
                .to_string();
            if json
                .consent_expires
                .as_deref()
                .is_some_and(|d| d < today.as_str())
            {
                return Err(FederationError::Refused(
                    "the story's consent has expired".into(),
                ));
            }
        }
        let author: ObjectId<DbActor> = json.attributed_to.clone().into();
        let organisation = author.dereference(data).await?;
        if organisation.row.local {
            return Err(FederationError::Refused(
                "a remote object cannot belong to a local organisation".into(),
            ));
        }
        let lang = json
            .content_map
            .as_ref()
            .and_then(|m| m.keys().next().cloned())
            .unwrap_or_else(|| "und".into());
        // Prefer the Markdown source, rendered here; otherwise keep the sanitised HTML.
        let (body, body_html) = match &json.source {
            Some(source) if source.media_type == "text/markdown" => (source.content.clone(), None),
            _ => (String::new(), Some(markdown::sanitize(&json.content))),
        };
        let details = Details::from_json(
            kind,
            json.details.clone().unwrap_or(serde_json::Value::Null),
        )
        .map_err(|e| FederationError::Invalid(format!("the item's details are not valid: {e}")))?;
        let input = ContentInput {
            common: CommonInput {
                title: plain(&json.name, 200),
                summary: plain(json.summary.as_deref().unwrap_or_default(), 1000),
                lang,
                licence: json.licence.clone().unwrap_or_default(),
                topics: known_terms(taxonomy::LEARNING_TOPICS, &json.topics),
                body,
            },
            details,
        };
        let mut validated = input.validate().map_err(|errors| {
            FederationError::Invalid(format!("the item is not valid: {errors:?}"))
        })?;
        if let Some(html) = body_html {
            validated.body_html = html;
        }
        let attribution = json
            .derived_from
            .clone()
            .map(|d| crate::content::Attribution {
                url: d.url,
                title: plain(&d.title, 200),
                organisation: plain(&d.organisation, 200),
                revision: d.revision,
            });
        let ap_id = json.id.clone();
        let remote = store::RemoteItem {
            ap_id: ap_id.to_string(),
            remote_url: json
                .url
                .clone()
                .unwrap_or_else(|| ap_id.clone())
                .to_string(),
            revision: json.revision.unwrap_or(1).max(1),
            published_at: json.published.map(|t| t.naive_utc()),
            derived_from: attribution,
        };
        let organisation_id = organisation.row.id.clone();
        let item = data
            .db
            .run(move |conn| {
                let id = store::upsert_remote(conn, &organisation_id, &validated, &remote)?;
                Ok::<_, FederationError>(store::get(conn, &id)?)
            })
            .await?;
        Ok(DbArticle { item, ap_id })
    }
}
