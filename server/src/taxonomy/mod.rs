//! The controlled vocabularies (learning topics, people supported, elements of good
//! practice…) shipped in `taxonomy.json`. Slugs travel in federated documents, so they
//! are never renamed. The vocabularies are seeded into the database (`vocabulary_terms`,
//! which foreign keys point at) and also kept in memory for validation and labels.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::vocabulary_terms;
use crate::db::DbConn;

const TAXONOMY_JSON: &str = include_str!("taxonomy.json");

pub const LEARNING_TOPICS: &str = "learning_topics";
pub const PEOPLE_SUPPORTED: &str = "people_supported";
pub const GOOD_PRACTICE: &str = "good_practice_elements";

const VOCABULARIES: &[&str] = &[
    LEARNING_TOPICS,
    PEOPLE_SUPPORTED,
    GOOD_PRACTICE,
    "features_of_personalised_support",
    "self_directed_support_elements",
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Term {
    pub slug: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug)]
pub struct Taxonomy {
    vocabularies: BTreeMap<&'static str, Vec<Term>>,
}

impl Taxonomy {
    pub fn get() -> &'static Taxonomy {
        static TAXONOMY: OnceLock<Taxonomy> = OnceLock::new();
        TAXONOMY.get_or_init(|| {
            let raw: BTreeMap<String, serde_json::Value> =
                serde_json::from_str(TAXONOMY_JSON).unwrap_or_default();
            let vocabularies = VOCABULARIES
                .iter()
                .map(|name| {
                    let terms = raw
                        .get(*name)
                        .cloned()
                        .and_then(|v| serde_json::from_value::<Vec<Term>>(v).ok())
                        .unwrap_or_default();
                    (*name, terms)
                })
                .collect();
            Taxonomy { vocabularies }
        })
    }

    pub fn terms(&self, vocabulary: &str) -> &[Term] {
        self.vocabularies
            .get(vocabulary)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn term(&self, vocabulary: &str, slug: &str) -> Option<&Term> {
        self.terms(vocabulary).iter().find(|t| t.slug == slug)
    }

    pub fn label<'a>(&'a self, vocabulary: &str, slug: &'a str) -> &'a str {
        self.term(vocabulary, slug)
            .map(|t| t.label.as_str())
            .unwrap_or(slug)
    }

    /// The term's label in the interface language `lang`: from the message catalogues
    /// (`topic-<slug>`, `people-<slug>`, `practice-<slug>`), else the English label from
    /// `taxonomy.json`, else the slug.
    pub fn label_in(&self, lang: &str, vocabulary: &str, slug: &str) -> String {
        message_prefix(vocabulary)
            .and_then(|prefix| crate::i18n::lookup(lang, &format!("{prefix}-{slug}")))
            .unwrap_or_else(|| self.label(vocabulary, slug).to_string())
    }

    /// The vocabulary's terms with their labels in `lang`, for choice lists.
    pub fn terms_in(&self, lang: &str, vocabulary: &str) -> Vec<Term> {
        self.terms(vocabulary)
            .iter()
            .map(|term| Term {
                label: self.label_in(lang, vocabulary, &term.slug),
                ..term.clone()
            })
            .collect()
    }

    pub fn all(&self) -> impl Iterator<Item = (&'static str, &[Term])> {
        self.vocabularies.iter().map(|(k, v)| (*k, v.as_slice()))
    }
}

/// The prefix of a vocabulary's labels in the message catalogues (`taxonomy.ftl`); None
/// for vocabularies the interface does not show.
pub fn message_prefix(vocabulary: &str) -> Option<&'static str> {
    match vocabulary {
        LEARNING_TOPICS => Some("topic"),
        PEOPLE_SUPPORTED => Some("people"),
        GOOD_PRACTICE => Some("practice"),
        _ => None,
    }
}

/// Inserts missing terms and refreshes labels of existing ones. Safe to run at every start.
pub fn seed(conn: &mut DbConn) -> QueryResult<usize> {
    let existing: Vec<(String, String, String, String, i32)> = vocabulary_terms::table
        .select((
            vocabulary_terms::vocabulary,
            vocabulary_terms::slug,
            vocabulary_terms::label,
            vocabulary_terms::description,
            vocabulary_terms::position,
        ))
        .load(conn)?;
    let mut changed = 0;
    for (vocabulary, terms) in Taxonomy::get().all() {
        for (index, term) in terms.iter().enumerate() {
            let position = i32::try_from(index).unwrap_or(i32::MAX);
            let current = existing
                .iter()
                .find(|(v, s, ..)| v == vocabulary && *s == term.slug);
            match current {
                None => {
                    changed += diesel::insert_into(vocabulary_terms::table)
                        .values((
                            vocabulary_terms::vocabulary.eq(vocabulary),
                            vocabulary_terms::slug.eq(&term.slug),
                            vocabulary_terms::label.eq(&term.label),
                            vocabulary_terms::description.eq(&term.description),
                            vocabulary_terms::position.eq(position),
                        ))
                        .execute(conn)?;
                }
                Some((_, _, label, description, pos))
                    if *label != term.label
                        || *description != term.description
                        || *pos != position =>
                {
                    changed += diesel::update(
                        vocabulary_terms::table
                            .filter(vocabulary_terms::vocabulary.eq(vocabulary))
                            .filter(vocabulary_terms::slug.eq(&term.slug)),
                    )
                    .set((
                        vocabulary_terms::label.eq(&term.label),
                        vocabulary_terms::description.eq(&term.description),
                        vocabulary_terms::position.eq(position),
                    ))
                    .execute(conn)?;
                }
                Some(_) => {}
            }
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_vocabularies_load() {
        let taxonomy = Taxonomy::get();
        assert!(taxonomy.term(LEARNING_TOPICS, "personnel").is_some());
        assert!(taxonomy.term(PEOPLE_SUPPORTED, "adults-autism").is_some());
        assert!(taxonomy.terms(GOOD_PRACTICE).len() >= 10);
        assert!(taxonomy.term(LEARNING_TOPICS, "no-such-topic").is_none());
    }
}
