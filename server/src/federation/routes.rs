//! HTTP endpoints of federation: WebFinger, NodeInfo, inboxes, outboxes and collections,
//! plus the JSON documents that the organisation and item pages return when asked for
//! ActivityStreams. Also the one outgoing action people start: following a peer.

use activitypub_federation::actix_web::inbox::receive_activity;
use activitypub_federation::config::Data;
use activitypub_federation::fetch::webfinger::{
    build_webfinger_response, extract_webfinger_name, webfinger_resolve_actor,
};
use activitypub_federation::protocol::context::WithContext;
use activitypub_federation::traits::{Actor, Object};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;

use super::activities::{save_follow, InboxActivity};
use super::objects::{self, DbActor, DbArticle};
use super::protocol::context;
use super::{delivery, FedData, FederationError, ACTIVITY_JSON};
use crate::content::store;
use crate::content::Status;
use crate::db;
use crate::db::schema::{content_items, follows, organisations, users};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/.well-known/webfinger", web::get().to(webfinger))
        .route("/.well-known/nodeinfo", web::get().to(nodeinfo_links))
        .route("/nodeinfo/2.1", web::get().to(nodeinfo))
        .route("/inbox", web::post().to(shared_inbox))
        .route("/actor", web::get().to(instance_actor))
        .route("/organisations/{handle}/inbox", web::post().to(inbox))
        .route("/organisations/{handle}/outbox", web::get().to(outbox))
        .route(
            "/organisations/{handle}/followers",
            web::get().to(followers),
        )
        .route(
            "/organisations/{handle}/following",
            web::get().to(following),
        );
}

#[derive(Deserialize)]
struct WebfingerQuery {
    resource: String,
}

async fn webfinger(
    query: web::Query<WebfingerQuery>,
    data: Data<FedData>,
) -> Result<HttpResponse, FederationError> {
    let name = extract_webfinger_name(&query.resource, &data)?.to_string();
    let config = data.config.clone();
    let actor = data
        .db
        .run(move |conn| objects::local_actor(conn, &config, &name))
        .await?
        .ok_or(FederationError::NotFound)?;
    let mut response = build_webfinger_response(query.resource.clone(), actor.ap_id.clone());
    for link in &mut response.links {
        if link.rel.as_deref() == Some("self") {
            link.kind = Some(ACTIVITY_JSON.to_string());
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("application/jrd+json")
        .json(response))
}

async fn nodeinfo_links(data: Data<FedData>) -> Result<HttpResponse, FederationError> {
    let href = data.config.public_url.join("nodeinfo/2.1")?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "links": [{ "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": href }]
    })))
}

async fn nodeinfo(data: Data<FedData>) -> Result<HttpResponse, FederationError> {
    let (people, organisations_count, items) = data
        .db
        .query(|conn| {
            let people: i64 = users::table
                .filter(users::status.eq("active"))
                .count()
                .get_result(conn)?;
            let orgs: i64 = organisations::table
                .filter(organisations::local.eq(true))
                .count()
                .get_result(conn)?;
            let items: i64 = content_items::table
                .filter(content_items::local.eq(true))
                .filter(content_items::status.eq(Status::Published.as_str()))
                .count()
                .get_result(conn)?;
            Ok((people, orgs, items))
        })
        .await?;
    let open = matches!(
        data.config.registration,
        crate::config::Registration::Open | crate::config::Registration::Approval
    );
    Ok(HttpResponse::Ok()
        .content_type(
            "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"",
        )
        .json(serde_json::json!({
            "version": "2.1",
            "software": {
                "name": "mutual",
                "version": crate::VERSION,
            },
            "protocols": ["activitypub"],
            "services": { "inbound": [], "outbound": [] },
            "openRegistrations": open,
            "usage": {
                "users": { "total": people },
                "localPosts": items,
            },
            "metadata": {
                "nodeName": data.config.instance_name,
                "organisations": organisations_count,
            }
        })))
}

/// Refuses bodies over the limit before any parsing.
fn check_size(data: &Data<FedData>, body: &Bytes) -> Result<(), FederationError> {
    if body.len() > data.config.federation.max_activity_bytes {
        return Err(FederationError::Invalid(format!(
            "the activity is larger than {} bytes",
            data.config.federation.max_activity_bytes
        )));
    }
    Ok(())
}

async fn shared_inbox(
    req: HttpRequest,
    body: Bytes,
    data: Data<FedData>,
) -> Result<HttpResponse, FederationError> {
    check_size(&data, &body)?;
    receive_activity::<WithContext<InboxActivity>, DbActor, FedData>(req, body, &data).await
}

async fn inbox(
    req: HttpRequest,
    path: web::Path<String>,
    body: Bytes,
    data: Data<FedData>,
) -> Result<HttpResponse, FederationError> {
    check_size(&data, &body)?;
    let handle = path.into_inner();
    let known = data
        .db
        .query(move |conn| delivery::is_local_organisation(conn, &handle))
        .await?;
    if !known {
        return Err(FederationError::NotFound);
    }
    receive_activity::<WithContext<InboxActivity>, DbActor, FedData>(req, body, &data).await
}

fn activity_response(value: serde_json::Value) -> HttpResponse {
    HttpResponse::Ok().content_type(ACTIVITY_JSON).json(value)
}

async fn local_actor(data: &Data<FedData>, handle: String) -> Result<DbActor, FederationError> {
    let config = data.config.clone();
    data.db
        .run(move |conn| objects::local_actor(conn, &config, &handle))
        .await?
        .ok_or(FederationError::NotFound)
}

/// In authorized-fetch mode, documents are only given to signed requests from instances
/// we federate with (the signer's domain passes the policy when its key is fetched).
pub async fn check_fetch(req: &HttpRequest, data: &Data<FedData>) -> Result<(), FederationError> {
    if !data.config.federation.authorized_fetch {
        return Ok(());
    }
    activitypub_federation::actix_web::signing_actor::<DbActor>(req, None, data).await?;
    Ok(())
}

/// The organisation as an actor document (content negotiation on its page).
pub async fn actor_document(
    req: &HttpRequest,
    data: &Data<FedData>,
    handle: &str,
) -> Result<HttpResponse, FederationError> {
    check_fetch(req, data).await?;
    let actor = local_actor(data, handle.to_string()).await?;
    let json = actor.into_json(data).await?;
    Ok(activity_response(serde_json::to_value(WithContext::new(
        json,
        context(),
    ))?))
}

/// A published item as an `Article` (content negotiation on its page).
pub async fn article_document(
    req: &HttpRequest,
    data: &Data<FedData>,
    item: crate::content::store::ContentItem,
) -> Result<HttpResponse, FederationError> {
    check_fetch(req, data).await?;
    let shareable = {
        let item = item.clone();
        data.db
            .run(move |conn| objects::federates(conn, &item))
            .await?
    };
    if !shareable {
        return Err(FederationError::NotFound);
    }
    let ap_id = objects::item_url(&data.config, &item)?;
    let json = DbArticle { item, ap_id }.into_json(data).await?;
    Ok(activity_response(serde_json::to_value(WithContext::new(
        json,
        context(),
    ))?))
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<i64>,
}

const OUTBOX_PAGE: i64 = 20;

/// Recent public items as Create activities, newest first, in pages.
async fn outbox(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
    data: Data<FedData>,
) -> Result<HttpResponse, FederationError> {
    check_fetch(&req, &data).await?;
    let handle = path.into_inner();
    let actor = local_actor(&data, handle.clone()).await?;
    let base = format!("{}/outbox", actor.ap_id);
    let org_id = actor.row.id.clone();
    let requested = query.page;
    let (items, total) = data
        .db
        .run(move |conn| {
            let filter = store::Filter {
                organisation_id: Some(org_id),
                offset: (requested.unwrap_or(1).max(1) - 1) * OUTBOX_PAGE,
                limit: OUTBOX_PAGE,
                ..store::Filter::default()
            };
            let (items, _) = store::list(conn, &filter)?;
            let mut shareable = Vec::new();
            for item in items {
                if objects::federates(conn, &item)? {
                    shareable.push(item);
                }
            }
            let (_, total) = store::list(conn, &store::Filter { limit: 1, ..filter })?;
            Ok::<_, FederationError>((shareable, total))
        })
        .await?;
    let Some(page) = query.page else {
        return Ok(activity_response(serde_json::json!({
            "@context": context(),
            "id": base,
            "type": "OrderedCollection",
            "totalItems": total,
            "first": format!("{base}?page=1"),
        })));
    };
    let mut ordered = Vec::new();
    for item in items {
        let ap_id = objects::item_url(&data.config, &item)?;
        let json = DbArticle {
            item,
            ap_id: ap_id.clone(),
        }
        .into_json(&data)
        .await?;
        ordered.push(serde_json::json!({
            "id": format!("{ap_id}#create"),
            "type": "Create",
            "actor": actor.ap_id,
            "object": json,
            "to": [super::protocol::PUBLIC],
        }));
    }
    let page = page.max(1);
    let mut body = serde_json::json!({
        "@context": context(),
        "id": format!("{base}?page={page}"),
        "type": "OrderedCollectionPage",
        "partOf": base,
        "totalItems": total,
        "orderedItems": ordered,
    });
    if page * OUTBOX_PAGE < total {
        body["next"] = serde_json::json!(format!("{base}?page={}", page + 1));
    }
    Ok(activity_response(body))
}

/// Follower and following counts; the lists themselves are not published.
async fn collection_count(
    data: Data<FedData>,
    handle: String,
    followers: bool,
) -> Result<HttpResponse, FederationError> {
    let actor = local_actor(&data, handle).await?;
    let id = actor.ap_id.to_string();
    let who = id.clone();
    let total: i64 = data
        .db
        .query(move |conn| {
            let query = follows::table
                .filter(follows::state.eq("accepted"))
                .into_boxed();
            let query = if followers {
                query.filter(follows::following.eq(who))
            } else {
                query.filter(follows::follower.eq(who))
            };
            query.count().get_result(conn)
        })
        .await?;
    Ok(activity_response(serde_json::json!({
        "@context": context(),
        "id": format!("{id}/{}", if followers { "followers" } else { "following" }),
        "type": "OrderedCollection",
        "totalItems": total,
    })))
}

async fn followers(
    req: HttpRequest,
    path: web::Path<String>,
    data: Data<FedData>,
) -> Result<HttpResponse, FederationError> {
    check_fetch(&req, &data).await?;
    collection_count(data, path.into_inner(), true).await
}

async fn following(
    req: HttpRequest,
    path: web::Path<String>,
    data: Data<FedData>,
) -> Result<HttpResponse, FederationError> {
    check_fetch(&req, &data).await?;
    collection_count(data, path.into_inner(), false).await
}

/// A local organisation starts following a peer, given as `handle@host` (WebFinger) or an
/// actor URL. Returns the peer's handle as stored here.
pub async fn follow(
    data: &Data<FedData>,
    local_handle: &str,
    target: &str,
) -> Result<String, FederationError> {
    let target = target.trim().trim_start_matches('@');
    let remote: DbActor = if target.starts_with("http://") || target.starts_with("https://") {
        let id: activitypub_federation::fetch::object_id::ObjectId<DbActor> =
            url::Url::parse(target)?.into();
        id.dereference(data).await?
    } else {
        webfinger_resolve_actor::<FedData, DbActor>(target, data).await?
    };
    if remote.row.local {
        return Err(FederationError::Invalid(
            "that organisation is on this instance".into(),
        ));
    }
    let local = local_actor(data, local_handle.to_string()).await?;
    let activity_id = format!("{}#follows/{}", local.ap_id, db::new_id());
    let activity = serde_json::json!({
        "@context": context(),
        "id": activity_id,
        "type": "Follow",
        "actor": local.ap_id,
        "object": remote.ap_id,
    });
    let (follower, inbox, following, handle, remote_handle) = (
        local.ap_id.to_string(),
        local.shared_inbox_or_inbox().to_string(),
        remote.ap_id.to_string(),
        local.row.handle.clone(),
        remote.row.handle.clone(),
    );
    let target_inbox = remote.shared_inbox_or_inbox();
    data.db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                save_follow(conn, &follower, &inbox, &following, "pending", &activity_id)?;
                delivery::enqueue(conn, &handle, &activity, &[target_inbox])?;
                Ok::<_, FederationError>(())
            })
        })
        .await?;
    Ok(remote_handle)
}

/// The peers a local organisation follows, with the state of each follow.
pub fn following_of(
    conn: &mut db::DbConn,
    actor: &str,
) -> QueryResult<Vec<(String, String, String)>> {
    follows::table
        .inner_join(
            organisations::table.on(organisations::actor_id.eq(follows::following.nullable())),
        )
        .filter(follows::follower.eq(actor))
        .select((organisations::handle, organisations::name, follows::state))
        .order(organisations::name.asc())
        .load(conn)
}

/// A local organisation stops following a peer: the follow is removed here and an Undo
/// tells the peer to stop delivering.
pub async fn unfollow(
    data: &Data<FedData>,
    local_handle: &str,
    remote_handle: &str,
) -> Result<(), FederationError> {
    let local = local_actor(data, local_handle.to_string()).await?;
    let remote_handle = remote_handle.to_string();
    let follower = local.ap_id.to_string();
    let handle = local.row.handle.clone();
    data.db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let (remote_id, inbox, shared): (Option<String>, Option<String>, Option<String>) = organisations::table
                    .filter(organisations::handle.eq(&remote_handle))
                    .filter(organisations::local.eq(false))
                    .select((organisations::actor_id, organisations::inbox_url, organisations::shared_inbox_url))
                    .first(conn)
                    .optional()?
                    .ok_or(FederationError::NotFound)?;
                let remote_id = remote_id.ok_or(FederationError::NotFound)?;
                let follow_id: Option<String> = follows::table
                    .filter(follows::follower.eq(&follower))
                    .filter(follows::following.eq(&remote_id))
                    .select(follows::activity_id)
                    .first(conn)
                    .optional()?;
                let Some(follow_id) = follow_id else {
                    return Err(FederationError::NotFound);
                };
                diesel::delete(follows::table.filter(follows::follower.eq(&follower)).filter(follows::following.eq(&remote_id)))
                    .execute(conn)?;
                let undo = serde_json::json!({
                    "@context": context(),
                    "id": format!("{follower}#undo/{}", db::new_id()),
                    "type": "Undo",
                    "actor": follower,
                    "object": { "id": follow_id, "type": "Follow", "actor": follower, "object": remote_id },
                });
                let target = shared.or(inbox).ok_or(FederationError::NotFound)?;
                delivery::enqueue(conn, &handle, &undo, &[url::Url::parse(&target)?])?;
                Ok(())
            })
        })
        .await
}

/// A local organisation shares an item with its followers (an `Announce`). The item may be
/// its own, another local organisation's, or a peer's copy stored here.
pub async fn announce(
    data: &Data<FedData>,
    local_handle: &str,
    item: &crate::content::store::ContentItem,
) -> Result<usize, FederationError> {
    if item.status != Status::Published {
        return Err(FederationError::Invalid(
            "only published items can be shared".into(),
        ));
    }
    let object = match &item.row.ap_id {
        Some(remote) => url::Url::parse(remote)?,
        None => {
            let shareable = {
                let item = item.clone();
                data.db
                    .run(move |conn| objects::federates(conn, &item))
                    .await?
            };
            if !shareable {
                return Err(FederationError::Invalid(
                    "this item may not leave this instance".into(),
                ));
            }
            objects::item_url(&data.config, item)?
        }
    };
    let actor = local_actor(data, local_handle.to_string()).await?;
    let announce = serde_json::json!({
        "@context": context(),
        "id": format!("{}#announces/{}", actor.ap_id, db::new_id()),
        "type": "Announce",
        "actor": actor.ap_id,
        "object": object,
        "to": [super::protocol::PUBLIC],
        "cc": [format!("{}/followers", actor.ap_id)],
    });
    let handle = actor.row.handle.clone();
    let followers = actor.ap_id.to_string();
    data.db
        .run(move |conn| {
            let inboxes = delivery::follower_inboxes(conn, &followers)?;
            Ok::<_, FederationError>(delivery::enqueue(conn, &handle, &announce, &inboxes)?)
        })
        .await
}

async fn instance_actor(data: Data<FedData>) -> Result<HttpResponse, FederationError> {
    let json = (*data.instance).clone().into_json(&data).await?;
    Ok(activity_response(serde_json::to_value(WithContext::new(
        json,
        context(),
    ))?))
}

/// A member reports an item. The report is kept for our moderators; when the item came
/// from another instance, a `Flag` also goes to that instance's moderators.
pub async fn report(
    data: &Data<FedData>,
    item: &crate::content::store::ContentItem,
    reporter_user_id: &str,
    reason: &str,
) -> Result<(), FederationError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > crate::moderation::MAX_REASON_CHARS {
        return Err(FederationError::Invalid(
            "say what is wrong, in at most 2000 characters".into(),
        ));
    }
    let object_url = match &item.row.ap_id {
        Some(remote) => remote.clone(),
        None => objects::item_url(&data.config, item)?.to_string(),
    };
    let remote = item.row.ap_id.is_some();
    let (content_id, reporter, reason_owned, org_id) = (
        item.row.id.clone(),
        format!("user:{reporter_user_id}"),
        reason.to_string(),
        item.row.organisation_id.clone(),
    );
    let instance = data.instance.ap_id.to_string();
    let url_for_flag = object_url.clone();
    data.db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                crate::moderation::record(
                    conn,
                    Some(&content_id),
                    &object_url,
                    &reporter,
                    &reason_owned,
                    "local",
                    remote,
                )?;
                if remote {
                    let (actor, inbox, shared): (Option<String>, Option<String>, Option<String>) =
                        organisations::table
                            .filter(organisations::id.eq(&org_id))
                            .select((
                                organisations::actor_id,
                                organisations::inbox_url,
                                organisations::shared_inbox_url,
                            ))
                            .first(conn)?;
                    let target = shared.or(inbox).ok_or(FederationError::NotFound)?;
                    // The reporter is not named to the other instance: only what and why.
                    let flag = serde_json::json!({
                        "@context": context(),
                        "id": format!("{instance}#flags/{}", db::new_id()),
                        "type": "Flag",
                        "actor": instance,
                        "object": [url_for_flag, actor.unwrap_or_default()],
                        "content": reason_owned,
                    });
                    delivery::enqueue(
                        conn,
                        super::instance::SENDER,
                        &flag,
                        &[url::Url::parse(&target)?],
                    )?;
                }
                Ok(())
            })
        })
        .await
}
