//! Activities we accept in an inbox, one struct each, and what receiving them does.
//! The library has already checked the HTTP signature, that the signer is the activity's
//! actor, and the domain policy; here we check that objects belong to the actor's host
//! and that the activity makes sense for us.

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::{
    AcceptType, AnnounceType, DeleteType, FlagType, FollowType, RejectType, UndoType,
};
use activitypub_federation::protocol::verification::verify_domains_match;
use activitypub_federation::traits::{Activity, Actor, Object};
use async_trait::async_trait;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use url::Url;

use super::delivery;
use super::objects::{DbActor, DbArticle};
use super::protocol::{context, ArticleJson};
use super::{FedData, FederationError};
use crate::db::schema::{follows, received_activities};
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Follow {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FollowType,
    pub actor: ObjectId<DbActor>,
    pub object: ObjectId<DbActor>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accept {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AcceptType,
    pub actor: ObjectId<DbActor>,
    pub object: Follow,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reject {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: RejectType,
    pub actor: ObjectId<DbActor>,
    pub object: Follow,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UndoFollow {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: UndoType,
    pub actor: ObjectId<DbActor>,
    pub object: Follow,
}

/// `Create` and `Update` of an item are received the same way: the item is stored or
/// replaced (an older revision never replaces a newer one).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum ArticleVerb {
    Create,
    Update,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleActivity {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: ArticleVerb,
    pub actor: ObjectId<DbActor>,
    pub object: ArticleJson,
}

/// The object of a Delete: a bare id or a Tombstone with one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DeletedObject {
    Id(Url),
    Tombstone { id: Url },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delete {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: DeleteType,
    pub actor: ObjectId<DbActor>,
    pub object: DeletedObject,
}

/// Everything an inbox accepts. Variants are tried in order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
#[enum_delegate::implement(Activity)]
pub enum InboxActivity {
    Follow(Follow),
    Accept(Accept),
    Reject(Reject),
    UndoFollow(UndoFollow),
    Article(Box<ArticleActivity>),
    Delete(Delete),
    Announce(Announce),
    Flag(Flag),
}

/// A report from another instance about content here, for our moderators.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FlagType,
    pub actor: Url,
    /// The reported objects (Mastodon also lists the account).
    #[serde(deserialize_with = "one_or_many_urls")]
    pub object: Vec<Url>,
    #[serde(default)]
    pub content: Option<String>,
}

fn one_or_many_urls<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Url>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Url),
        Many(Vec<Url>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

/// An organisation shares an item (its own or a peer's) with its followers. The object is
/// an id; the item itself is fetched from where it lives.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Announce {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    pub actor: ObjectId<DbActor>,
    pub object: AnnouncedObject,
}

/// An announced object: an id, or an embedded object with one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnnouncedObject {
    Id(Url),
    Embedded { id: Url },
}

/// True when this activity was processed before (deliveries are retried, so the same
/// activity can arrive twice and must change nothing the second time).
async fn seen(data: &Data<FedData>, id: &Url) -> Result<bool, FederationError> {
    let id = id.to_string();
    Ok(data
        .db
        .query(move |conn| {
            received_activities::table
                .filter(received_activities::id.eq(&id))
                .count()
                .get_result::<i64>(conn)
                .map(|n| n > 0)
        })
        .await?)
}

/// Records a processed activity. Only after success, so a failed one can be delivered again.
async fn mark_seen(data: &Data<FedData>, id: &Url) -> Result<(), FederationError> {
    let id = id.to_string();
    data.db
        .query(move |conn| {
            let inserted = diesel::insert_into(received_activities::table)
                .values((
                    received_activities::id.eq(&id),
                    received_activities::received_at.eq(db::now()),
                ))
                .execute(conn);
            match inserted {
                Ok(_) => Ok(()),
                Err(e) if db::is_unique_violation(&e) => Ok(()),
                Err(e) => Err(e),
            }
        })
        .await?;
    Ok(())
}

fn local_only(data: &Data<FedData>, url: &Url) -> Result<(), FederationError> {
    if super::policy::domain_of(url) != Some(super::domain(&data.config)) {
        return Err(FederationError::Invalid(
            "that actor is not on this instance".into(),
        ));
    }
    Ok(())
}

#[async_trait]
impl Activity for Follow {
    type DataType = FedData;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }
    fn actor(&self) -> &Url {
        self.actor.inner()
    }
    async fn verify(&self, data: &Data<FedData>) -> Result<(), FederationError> {
        verify_domains_match(&self.id, self.actor.inner())?;
        local_only(data, self.object.inner())
    }
    async fn receive(self, data: &Data<FedData>) -> Result<(), FederationError> {
        if seen(data, &self.id).await? {
            return Ok(());
        }
        let follower = self.actor.dereference(data).await?;
        let followed = self.object.dereference_local(data).await?;
        let inbox = follower.shared_inbox_or_inbox().to_string();
        let (follower_id, followed_id, activity_id) = (
            follower.id().to_string(),
            followed.id().to_string(),
            self.id.to_string(),
        );
        let accept = serde_json::json!({
            "@context": context(),
            "id": format!("{}#accepts/{}", followed.id(), db::new_id()),
            "type": "Accept",
            "actor": followed.id(),
            "object": serde_json::to_value(&self)?,
        });
        let handle = followed.row.handle.clone();
        let target = follower.inbox.clone();
        let target = follower.shared_inbox.clone().unwrap_or(target);
        data.db
            .run(move |conn| {
                db::write_transaction(conn, |conn| {
                    save_follow(
                        conn,
                        &follower_id,
                        &inbox,
                        &followed_id,
                        "accepted",
                        &activity_id,
                    )?;
                    delivery::enqueue(conn, &handle, &accept, &[target])?;
                    Ok::<_, FederationError>(())
                })
            })
            .await?;
        mark_seen(data, &self.id).await
    }
}

/// Creates or updates the follow between two actors.
pub fn save_follow(
    conn: &mut DbConn,
    follower: &str,
    follower_inbox: &str,
    following: &str,
    state: &str,
    activity_id: &str,
) -> QueryResult<()> {
    let now = db::now();
    let updated = diesel::update(
        follows::table
            .filter(follows::follower.eq(follower))
            .filter(follows::following.eq(following)),
    )
    .set((
        follows::state.eq(state),
        follows::follower_inbox.eq(follower_inbox),
        follows::activity_id.eq(activity_id),
        follows::updated_at.eq(now),
    ))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(follows::table)
            .values((
                follows::id.eq(db::new_id()),
                follows::follower.eq(follower),
                follows::follower_inbox.eq(follower_inbox),
                follows::following.eq(following),
                follows::state.eq(state),
                follows::activity_id.eq(activity_id),
                follows::created_at.eq(now),
                follows::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

async fn answer_follow(
    data: &Data<FedData>,
    actor: &ObjectId<DbActor>,
    follow: &Follow,
    state: &'static str,
) -> Result<bool, FederationError> {
    // The answer must come from the actor that was followed, about a follow we sent.
    if actor.inner() != follow.object.inner() {
        return Err(FederationError::Invalid(
            "only the followed actor can answer a follow".into(),
        ));
    }
    local_only(data, follow.actor.inner())?;
    let (follower, following) = (
        follow.actor.inner().to_string(),
        follow.object.inner().to_string(),
    );
    let changed = data
        .db
        .query(move |conn| {
            diesel::update(
                follows::table
                    .filter(follows::follower.eq(&follower))
                    .filter(follows::following.eq(&following)),
            )
            .set((follows::state.eq(state), follows::updated_at.eq(db::now())))
            .execute(conn)
        })
        .await?;
    // True only when there was a follow of ours to answer.
    Ok(changed > 0)
}

#[async_trait]
impl Activity for Accept {
    type DataType = FedData;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }
    fn actor(&self) -> &Url {
        self.actor.inner()
    }
    async fn verify(&self, _data: &Data<FedData>) -> Result<(), FederationError> {
        verify_domains_match(&self.id, self.actor.inner())?;
        Ok(())
    }
    async fn receive(self, data: &Data<FedData>) -> Result<(), FederationError> {
        if !answer_follow(data, &self.actor, &self.object, "accepted").await? {
            // An Accept for a follow we never sent must not open the door to its content.
            return Err(FederationError::Refused(
                "there is no such follow to accept".into(),
            ));
        }
        let actor = self.actor.inner().to_string();
        data.db
            .query(move |conn| delivery::enqueue_backfill(conn, &actor))
            .await?;
        Ok(())
    }
}

#[async_trait]
impl Activity for Reject {
    type DataType = FedData;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }
    fn actor(&self) -> &Url {
        self.actor.inner()
    }
    async fn verify(&self, _data: &Data<FedData>) -> Result<(), FederationError> {
        verify_domains_match(&self.id, self.actor.inner())?;
        Ok(())
    }
    async fn receive(self, data: &Data<FedData>) -> Result<(), FederationError> {
        answer_follow(data, &self.actor, &self.object, "rejected")
            .await
            .map(|_| ())
    }
}

#[async_trait]
impl Activity for UndoFollow {
    type DataType = FedData;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }
    fn actor(&self) -> &Url {
        self.actor.inner()
    }
    async fn verify(&self, _data: &Data<FedData>) -> Result<(), FederationError> {
        verify_domains_match(&self.id, self.actor.inner())?;
        if self.object.actor.inner() != self.actor.inner() {
            return Err(FederationError::Invalid(
                "only the follower can undo a follow".into(),
            ));
        }
        Ok(())
    }
    async fn receive(self, data: &Data<FedData>) -> Result<(), FederationError> {
        let (follower, following) = (
            self.actor.inner().to_string(),
            self.object.object.inner().to_string(),
        );
        data.db
            .query(move |conn| {
                diesel::delete(
                    follows::table
                        .filter(follows::follower.eq(&follower))
                        .filter(follows::following.eq(&following)),
                )
                .execute(conn)
            })
            .await?;
        Ok(())
    }
}

/// Content is accepted only from organisations someone here follows, so a stranger cannot
/// fill the instance with items nobody asked for.
async fn followed_here(data: &Data<FedData>, actor: &Url) -> Result<bool, FederationError> {
    let actor = actor.to_string();
    Ok(data
        .db
        .query(move |conn| {
            follows::table
                .filter(follows::following.eq(&actor))
                .filter(follows::state.eq("accepted"))
                .count()
                .get_result::<i64>(conn)
                .map(|n| n > 0)
        })
        .await?)
}

async fn receive_article(
    data: &Data<FedData>,
    actor: &ObjectId<DbActor>,
    object: ArticleJson,
    id: &Url,
) -> Result<(), FederationError> {
    if seen(data, id).await? {
        return Ok(());
    }
    if !followed_here(data, actor.inner()).await? {
        return Err(FederationError::Refused(
            "nobody here follows this organisation".into(),
        ));
    }
    DbArticle::verify(&object, actor.inner(), data).await?;
    DbArticle::from_json(object, data).await?;
    mark_seen(data, id).await
}

fn check_article_actor(
    id: &Url,
    actor: &ObjectId<DbActor>,
    object: &ArticleJson,
) -> Result<(), FederationError> {
    verify_domains_match(id, actor.inner())?;
    if &object.attributed_to != actor.inner() {
        return Err(FederationError::Invalid(
            "the item is attributed to another actor".into(),
        ));
    }
    Ok(())
}

#[async_trait]
impl Activity for ArticleActivity {
    type DataType = FedData;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }
    fn actor(&self) -> &Url {
        self.actor.inner()
    }
    async fn verify(&self, _data: &Data<FedData>) -> Result<(), FederationError> {
        check_article_actor(&self.id, &self.actor, &self.object)
    }
    async fn receive(self, data: &Data<FedData>) -> Result<(), FederationError> {
        receive_article(data, &self.actor, self.object, &self.id).await
    }
}

#[async_trait]
impl Activity for Delete {
    type DataType = FedData;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }
    fn actor(&self) -> &Url {
        self.actor.inner()
    }
    async fn verify(&self, _data: &Data<FedData>) -> Result<(), FederationError> {
        verify_domains_match(&self.id, self.actor.inner())?;
        let object = match &self.object {
            DeletedObject::Id(id) | DeletedObject::Tombstone { id } => id,
        };
        verify_domains_match(object, self.actor.inner())?;
        Ok(())
    }
    async fn receive(self, data: &Data<FedData>) -> Result<(), FederationError> {
        let object = match &self.object {
            DeletedObject::Id(id) | DeletedObject::Tombstone { id } => id.to_string(),
        };
        // Removal must work even when the actor is unknown here: then there is nothing to remove.
        let Some(actor) = DbActor::read_from_id(self.actor.inner().clone(), data).await? else {
            return Ok(());
        };
        let organisation_id = actor.row.id.clone();
        data.db
            .query(move |conn| {
                crate::content::store::delete_remote(conn, &object, &organisation_id)
            })
            .await?;
        Ok(())
    }
}

#[async_trait]
impl Activity for Announce {
    type DataType = FedData;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }
    fn actor(&self) -> &Url {
        self.actor.inner()
    }
    async fn verify(&self, _data: &Data<FedData>) -> Result<(), FederationError> {
        verify_domains_match(&self.id, self.actor.inner())?;
        Ok(())
    }
    async fn receive(self, data: &Data<FedData>) -> Result<(), FederationError> {
        if seen(data, &self.id).await? {
            return Ok(());
        }
        if !followed_here(data, self.actor.inner()).await? {
            return Err(FederationError::Refused(
                "nobody here follows this organisation".into(),
            ));
        }
        let object = match &self.object {
            AnnouncedObject::Id(id) | AnnouncedObject::Embedded { id } => id.clone(),
        };
        // Never trust an embedded copy: fetch the item from its own host, where its
        // author's domain is checked. A shared item of this instance is already here.
        if super::policy::domain_of(&object) != Some(super::domain(&data.config)) {
            let fetched = activitypub_federation::fetch::fetch_object_http::<FedData, ArticleJson>(
                &object, data,
            )
            .await?
            .object;
            // A story shared by a third party would never receive its author's Delete
            // (consent withdrawn or expired), so it is kept only if someone here follows
            // the author directly.
            if fetched.content_type.as_deref() == Some("case_story")
                && !followed_here(data, &fetched.attributed_to).await?
            {
                return Err(FederationError::Refused(
                    "shared case stories are kept only from authors followed here".into(),
                ));
            }
            DbArticle::verify(&fetched, &object, data).await?;
            DbArticle::from_json(fetched, data).await?;
        }
        mark_seen(data, &self.id).await
    }
}

#[async_trait]
impl Activity for Flag {
    type DataType = FedData;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }
    fn actor(&self) -> &Url {
        &self.actor
    }
    async fn verify(&self, _data: &Data<FedData>) -> Result<(), FederationError> {
        verify_domains_match(&self.id, &self.actor)?;
        if self.object.is_empty() || self.object.len() > 20 {
            return Err(FederationError::Invalid(
                "a report names between 1 and 20 objects".into(),
            ));
        }
        Ok(())
    }
    async fn receive(self, data: &Data<FedData>) -> Result<(), FederationError> {
        if seen(data, &self.id).await? {
            return Ok(());
        }
        // Only reports about our own items are kept; the rest are not ours to judge.
        let mut found = Vec::new();
        for object in &self.object {
            if let Some(article) = DbArticle::read_from_id(object.clone(), data).await? {
                if article.item.row.local {
                    found.push((article.item.row.id.clone(), object.to_string()));
                }
            }
        }
        if found.is_empty() {
            return Err(FederationError::Invalid(
                "the report names nothing published here".into(),
            ));
        }
        let reporter = self.actor.to_string();
        let reason = super::super::content::markdown::strip_html(
            self.content.as_deref().unwrap_or_default(),
        );
        data.db
            .query(move |conn| {
                for (content_id, url) in &found {
                    crate::moderation::record(
                        conn,
                        Some(content_id),
                        url,
                        &reporter,
                        &reason,
                        "remote",
                        false,
                    )?;
                }
                Ok(())
            })
            .await?;
        mark_seen(data, &self.id).await
    }
}
