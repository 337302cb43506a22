//! A hand-signing fediverse peer for tests and benchmarks: it serves actor documents and
//! signs requests with draft-cavage HTTP signatures (as Mastodon and Mutual do), so a
//! test can also sign badly on purpose, which no real software does.
#![allow(dead_code)]

use std::net::TcpListener;

use actix_web::{web, App, HttpResponse, HttpServer};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::json;
use sha2::{Digest, Sha256};

pub struct Peer {
    /// `http://localhost:PORT`
    pub base: String,
    pub key_one: RsaPrivateKey,
    pub key_two: RsaPrivateKey,
}

impl Peer {
    /// Serves two actors, `one` and `two`, each with its own key; their inboxes accept anything.
    pub fn start() -> Peer {
        let one = activitypub_federation::http_signatures::generate_actor_keypair().expect("keys");
        let two = activitypub_federation::http_signatures::generate_actor_keypair().expect("keys");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let base = format!("http://localhost:{port}");
        let actors = web::Data::new((base.clone(), one.public_key.clone(), two.public_key.clone()));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(actors.clone())
                .route(
                    "/actors/{name}",
                    web::get().to(|name: web::Path<String>, actors: web::Data<(String, String, String)>| async move {
                        let (base, one, two) = actors.get_ref();
                        let key = if name.as_str() == "one" { one } else { two };
                        let id = format!("{base}/actors/{name}");
                        HttpResponse::Ok().content_type("application/activity+json").json(json!({
                            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
                            "id": id, "type": "Person", "preferredUsername": name.as_str(), "name": name.as_str(),
                            "inbox": format!("{id}/inbox"),
                            "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": key},
                        }))
                    }),
                )
                .route("/actors/{name}/inbox", web::post().to(|| async { HttpResponse::Accepted().finish() }))
        })
        .listen(listener)
        .expect("listen")
        .workers(1)
        .run();
        tokio::spawn(server);
        Peer {
            base,
            key_one: RsaPrivateKey::from_pkcs8_pem(&one.private_key).expect("key"),
            key_two: RsaPrivateKey::from_pkcs8_pem(&two.private_key).expect("key"),
        }
    }

    pub fn key_id(&self, actor: &str) -> String {
        format!("{}/actors/{actor}#main-key", self.base)
    }
}

/// Who signs, and the date they claim.
pub struct Signature<'a> {
    pub key: &'a RsaPrivateKey,
    pub key_id: &'a str,
    pub date: chrono::DateTime<chrono::Utc>,
}

/// The headers of a signed POST of `body` to `path` on `host`.
pub fn sign_headers(
    host: &str,
    path: &str,
    body: &[u8],
    signature: &Signature<'_>,
) -> Vec<(String, String)> {
    let digest = format!("SHA-256={}", STANDARD.encode(Sha256::digest(body)));
    let date = signature
        .date
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let signing =
        format!("(request-target): post {path}\nhost: {host}\ndate: {date}\ndigest: {digest}");
    let signed = signature
        .key
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing.as_bytes()),
        )
        .expect("sign");
    let header = format!(
        "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"{}\"",
        signature.key_id,
        STANDARD.encode(signed)
    );
    vec![
        ("host".into(), host.into()),
        ("date".into(), date),
        ("digest".into(), digest),
        ("signature".into(), header),
        ("content-type".into(), "application/activity+json".into()),
    ]
}

/// Posts `body` to `url` (whose Host is `host` and path `path`), signed as `signature` says.
pub async fn signed_post(
    client: &reqwest::Client,
    url: &str,
    (host, path): (&str, &str),
    body: &serde_json::Value,
    signature: &Signature<'_>,
) -> (u16, String) {
    let body = serde_json::to_vec(body).expect("json");
    let mut request = client.post(url);
    for (name, value) in sign_headers(host, path, &body, signature) {
        request = request.header(name, value);
    }
    let response = request.body(body).send().await.expect("post");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}
