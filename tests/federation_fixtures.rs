//! Mutual's wire types against actors and objects in the shapes other fediverse software
//! sends (see `tests/fixtures/apub/README.md` for where the fixtures come from).

use mutual::federation::activities::InboxActivity;
use mutual::federation::protocol::{ArticleJson, OrganizationJson, ACTOR_TYPES};

fn fixture(path: &str) -> serde_json::Value {
    let full = format!("{}/tests/fixtures/apub/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&full).expect("fixture")).expect("valid JSON")
}

#[test]
fn actors_of_other_software_parse() {
    for (path, kind, username) in [
        ("mastodon/person.json", "Person", "aino"),
        ("lemmy/group.json", "Group", "personalisedsupport"),
        ("gotosocial/person.json", "Person", "helmi"),
    ] {
        let actor: OrganizationJson =
            serde_json::from_value(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(actor.kind, kind, "{path}");
        assert!(
            ACTOR_TYPES.contains(&actor.kind.as_str()),
            "{path}: Mutual accepts this actor type"
        );
        assert_eq!(actor.preferred_username, username);
        assert_eq!(
            actor.public_key.owner, actor.id,
            "{path}: the key belongs to the actor"
        );
        assert!(actor.endpoints.is_some(), "{path}: shared inbox found");
        // Mutual's own extension fields are simply absent.
        assert!(actor.country.is_none() && actor.offers_to_share.is_empty());
    }
}

#[test]
fn other_softwares_posts_are_not_taken_for_mutual_items() {
    // A GoToSocial Article parses as an Article but has no Mutual contentType, so it is
    // refused as "not a Mutual item" when received (see objects.rs).
    let article: ArticleJson =
        serde_json::from_value(fixture("gotosocial/article.json")).expect("parses");
    assert!(article.content_type.is_none());
    assert_eq!(article.name, "Circles of support");
    // Notes and Pages are not Articles at all.
    assert!(serde_json::from_value::<ArticleJson>(fixture("mastodon/note.json")).is_err());
    assert!(serde_json::from_value::<ArticleJson>(fixture("lemmy/page.json")).is_err());
}

#[test]
fn a_mastodon_follow_is_understood() {
    let activity: InboxActivity =
        serde_json::from_value(fixture("mastodon/follow.json")).expect("parses");
    assert!(matches!(activity, InboxActivity::Follow(_)), "{activity:?}");
}
