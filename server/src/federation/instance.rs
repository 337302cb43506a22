//! The instance actor (`/actor`, an `Application`): signs fetches of remote documents and
//! sends what no single organisation should, such as reports (`Flag`) to other instances'
//! moderators. Its keys live in the instance settings.

use activitypub_federation::config::Data;
use activitypub_federation::traits::{Actor, Object};
use async_trait::async_trait;
use url::Url;

use super::protocol::{Endpoints, OrganizationJson};
use super::{FedData, FederationError};
use crate::db::{self, Db};

/// The delivery sender name that means "the instance actor".
pub const SENDER: &str = "@instance";

#[derive(Debug, Clone)]
pub struct InstanceActor {
    pub ap_id: Url,
    pub inbox: Url,
    pub public_key_pem: String,
    pub private_key_pem: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredKeys {
    public: String,
    private: String,
}

/// Loads the instance actor, creating its key pair on first use.
pub async fn load(db: &Db, public_url: &Url) -> Result<InstanceActor, FederationError> {
    const KEY: &str = "instance_actor_keys";
    let stored = db
        .run(|conn| {
            if let Some(existing) = db::get_setting(conn, KEY)? {
                return Ok::<_, FederationError>(existing);
            }
            let generated = activitypub_federation::http_signatures::generate_actor_keypair()?;
            let json = serde_json::to_string(&StoredKeys {
                public: generated.public_key,
                private: generated.private_key,
            })?;
            // Concurrent first starts agree on whichever pair was stored first.
            Ok(db::get_or_init_setting(conn, KEY, || json)?)
        })
        .await?;
    let keys: StoredKeys = serde_json::from_str(&stored)?;
    Ok(InstanceActor {
        ap_id: public_url.join("actor")?,
        inbox: public_url.join("inbox")?,
        public_key_pem: keys.public,
        private_key_pem: keys.private,
    })
}

#[async_trait]
impl Object for InstanceActor {
    type DataType = FedData;
    type Kind = OrganizationJson;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.ap_id
    }

    async fn read_from_id(
        object_id: Url,
        data: &Data<FedData>,
    ) -> Result<Option<Self>, FederationError> {
        Ok((data.instance.ap_id == object_id).then(|| (*data.instance).clone()))
    }

    async fn into_json(self, data: &Data<FedData>) -> Result<OrganizationJson, FederationError> {
        Ok(OrganizationJson {
            id: self.ap_id.clone(),
            kind: "Application".into(),
            preferred_username: "mutual".into(),
            name: data.config.instance_name.clone(),
            summary: Some(
                "The Mutual instance itself: it signs fetches and sends reports to moderators."
                    .into(),
            ),
            inbox: self.inbox.clone(),
            outbox: None,
            followers: None,
            following: None,
            endpoints: Some(Endpoints {
                shared_inbox: self.inbox.clone(),
            }),
            public_key: self.public_key(),
            url: Some(data.config.public_url.clone()),
            attachment: Vec::new(),
            manually_approves_followers: true,
            discoverable: false,
            country: None,
            regions: Vec::new(),
            languages: Vec::new(),
            organisation_kind: None,
            people_supported: Vec::new(),
            wants_to_learn: Vec::new(),
            offers_to_share: Vec::new(),
            hosts_events: None,
        })
    }

    async fn verify(
        _json: &OrganizationJson,
        _domain: &Url,
        _data: &Data<FedData>,
    ) -> Result<(), FederationError> {
        Err(FederationError::Refused(
            "the instance actor is never received".into(),
        ))
    }

    async fn from_json(
        _json: OrganizationJson,
        _data: &Data<FedData>,
    ) -> Result<Self, FederationError> {
        Err(FederationError::Refused(
            "the instance actor is never received".into(),
        ))
    }
}

impl Actor for InstanceActor {
    fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        Some(self.private_key_pem.clone())
    }

    fn inbox(&self) -> Url {
        self.inbox.clone()
    }
}
