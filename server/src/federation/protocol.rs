//! What crosses the wire: serde structs for actors, objects and activities. Mutual's own
//! fields sit under a JSON-LD extension namespace (see `docs/FEDERATION.md`), so other
//! fediverse software shows an `Article` as readable text and ignores the rest.

use serde::{Deserialize, Serialize};
use url::Url;

use activitypub_federation::kinds::object::ArticleType;
use activitypub_federation::protocol::public_key::PublicKey;

/// The JSON-LD namespace of Mutual's extension terms.
pub const NAMESPACE: &str = "https://w3id.org/mutual#";
/// Actor types Mutual accepts from other servers.
pub const ACTOR_TYPES: &[&str] = &["Organization", "Person", "Service", "Application", "Group"];

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// The `@context` Mutual sends with every document.
pub fn context() -> serde_json::Value {
    serde_json::json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "mutual": NAMESPACE,
            "schema": "http://schema.org#",
            "toot": "http://joinmastodon.org/ns#",
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "discoverable": "toot:discoverable",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value",
            "Hashtag": "as:Hashtag",
            "contentType": "mutual:contentType",
            "revision": "mutual:revision",
            "licence": "mutual:licence",
            "topics": "mutual:topics",
            "details": { "@id": "mutual:details", "@type": "@json" },
            "derivedFrom": { "@id": "mutual:derivedFrom", "@type": "@json" },
            "consentScope": "mutual:consentScope",
            "consentExpires": "mutual:consentExpires",
            "country": "mutual:country",
            "regions": "mutual:regions",
            "languages": "mutual:languages",
            "organisationKind": "mutual:organisationKind",
            "peopleSupported": "mutual:peopleSupported",
            "wantsToLearn": "mutual:wantsToLearn",
            "offersToShare": "mutual:offersToShare",
            "hostsEvents": "mutual:hostsEvents"
        }
    ])
}

/// A profile field as Mastodon shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PropertyValue {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub value: String,
}

/// An organisation as an ActivityPub actor.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationJson {
    pub id: Url,
    /// `Organization` for Mutual's organisations; other software's `Person`, `Service`,
    /// `Application` or `Group` actors may follow them too.
    #[serde(rename = "type")]
    pub kind: String,
    pub preferred_username: String,
    pub name: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub inbox: Url,
    #[serde(default)]
    pub outbox: Option<Url>,
    #[serde(default)]
    pub followers: Option<Url>,
    #[serde(default)]
    pub following: Option<Url>,
    #[serde(default)]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKey,
    #[serde(default)]
    pub url: Option<Url>,
    #[serde(default)]
    pub attachment: Vec<PropertyValue>,
    #[serde(default)]
    pub manually_approves_followers: bool,
    #[serde(default)]
    pub discoverable: bool,
    // Mutual's extension
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub organisation_kind: Option<String>,
    #[serde(default)]
    pub people_supported: Vec<String>,
    #[serde(default)]
    pub wants_to_learn: Vec<String>,
    #[serde(default)]
    pub offers_to_share: Vec<String>,
    #[serde(default)]
    pub hosts_events: Option<bool>,
}

/// Reads an address field that may be one string or a list (GoToSocial sends one string).
fn one_or_many<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    pub shared_inbox: Url,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub content: String,
    pub media_type: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tag {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub href: Option<Url>,
}

/// Where an adapted item came from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DerivedFrom {
    pub url: String,
    pub title: String,
    pub organisation: String,
    #[serde(default)]
    pub revision: Option<i32>,
}

/// A case story, practice guide or ISF template.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleJson {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: ArticleType,
    pub attributed_to: Url,
    pub name: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub content: String,
    #[serde(default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub content_map: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    pub url: Option<Url>,
    #[serde(default)]
    pub published: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub updated: Option<chrono::DateTime<chrono::Utc>>,
    // One address or a list: GoToSocial sends a bare string.
    #[serde(default, deserialize_with = "one_or_many")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub cc: Vec<String>,
    #[serde(default)]
    pub tag: Vec<Tag>,
    // Mutual's extension
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub revision: Option<i32>,
    #[serde(default)]
    pub licence: Option<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub details: Option<serde_json::Value>,
    #[serde(default)]
    pub derived_from: Option<DerivedFrom>,
    #[serde(default)]
    pub consent_scope: Option<Vec<String>>,
    #[serde(default)]
    pub consent_expires: Option<String>,
}
