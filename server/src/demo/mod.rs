//! Demo data: `mutual demo load` fills a new instance with sample organisations, case
//! stories, ISF templates and practice guides (pseudonymous composites, in six
//! languages) so a host sees a living instance at once. The samples are built into the
//! binary; a folder with the same JSON files can be given instead. Loading twice adds
//! nothing the second time. Content is written straight to storage as published — the
//! samples were checked when they were written — so no demo account is needed.

use std::path::Path;

use serde::Deserialize;

use crate::content::store::{self, Origin};
use crate::content::{
    CommonInput, ContentInput, ContentKind, Details, GuideDetails, Status, StoryDetails,
};
use crate::db::{DbConn, DbError};
use crate::organisations::{self, ProfileInput};

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("could not read {path}: {message}")]
    Read { path: String, message: String },
    #[error("sample {what} is not valid: {message}")]
    Invalid { what: String, message: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for DemoError {
    fn from(e: diesel::result::Error) -> Self {
        DemoError::Db(DbError::Query(e))
    }
}

/// The four files of the sample corpus.
pub struct Corpus {
    pub organisations: String,
    pub case_stories: String,
    pub isf_templates: String,
    pub practice_guides: String,
}

impl Corpus {
    pub fn built_in() -> Corpus {
        Corpus {
            organisations: include_str!("organisations.json").to_string(),
            case_stories: include_str!("case_stories.json").to_string(),
            isf_templates: include_str!("isf_templates.json").to_string(),
            practice_guides: include_str!("practice_guides.json").to_string(),
        }
    }

    pub fn from_folder(folder: &Path) -> Result<Corpus, DemoError> {
        let read = |name: &str| {
            let path = folder.join(name);
            std::fs::read_to_string(&path).map_err(|e| DemoError::Read {
                path: path.display().to_string(),
                message: e.to_string(),
            })
        };
        Ok(Corpus {
            organisations: read("organisations.json")?,
            case_stories: read("case_stories.json")?,
            isf_templates: read("isf_templates.json")?,
            practice_guides: read("practice_guides.json")?,
        })
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub organisations: usize,
    pub case_stories: usize,
    pub isf_templates: usize,
    pub practice_guides: usize,
    pub skipped: usize,
}

#[derive(Deserialize)]
struct SampleOrganisation {
    handle: String,
    #[serde(flatten)]
    profile: SampleProfile,
}

#[derive(Deserialize)]
struct SampleProfile {
    name: String,
    #[serde(default)]
    summary: String,
    country: String,
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    languages: Vec<String>,
    kind: String,
    #[serde(default)]
    people_supported: Vec<String>,
    #[serde(default)]
    wants_to_learn: Vec<String>,
    #[serde(default)]
    offers_to_share: Vec<String>,
    #[serde(default)]
    hosts_events: bool,
}

#[derive(Deserialize)]
struct SampleConsent {
    method: String,
    #[serde(default)]
    scope: Vec<String>,
}

fn invalid(what: &str, message: impl std::fmt::Display) -> DemoError {
    DemoError::Invalid {
        what: what.to_string(),
        message: message.to_string(),
    }
}

fn parse_list(what: &str, text: &str) -> Result<Vec<serde_json::Value>, DemoError> {
    serde_json::from_str(text).map_err(|e| invalid(what, e))
}

fn field<T: serde::de::DeserializeOwned>(
    what: &str,
    value: &serde_json::Value,
) -> Result<T, DemoError> {
    serde_json::from_value(value.clone()).map_err(|e| invalid(what, e))
}

/// Loads everything not loaded yet, in one transaction: a bad sample loads nothing.
pub fn load(conn: &mut DbConn, corpus: &Corpus) -> Result<Report, DemoError> {
    crate::db::write_transaction(conn, |conn| load_all(conn, corpus))
}

fn load_all(conn: &mut DbConn, corpus: &Corpus) -> Result<Report, DemoError> {
    let mut report = Report::default();
    for value in parse_list("organisations", &corpus.organisations)? {
        let sample: SampleOrganisation = field("organisation", &value)?;
        if organisations::get(conn, &sample.handle).is_ok() {
            report.skipped += 1;
            continue;
        }
        let p = sample.profile;
        let input = ProfileInput {
            name: p.name,
            summary: p.summary,
            country: p.country,
            regions: p.regions,
            languages: p.languages,
            kind: p.kind,
            people_supported: p.people_supported,
            wants_to_learn: p.wants_to_learn,
            offers_to_share: p.offers_to_share,
            hosts_events: p.hosts_events,
            ..ProfileInput::default()
        };
        organisations::create(conn, &sample.handle, &input, None)
            .map_err(|e| invalid(&format!("organisation {}", sample.handle), format!("{e:?}")))?;
        report.organisations += 1;
    }

    let files = [
        (ContentKind::CaseStory, &corpus.case_stories),
        (ContentKind::IsfTemplate, &corpus.isf_templates),
        (ContentKind::PracticeGuide, &corpus.practice_guides),
    ];
    for (kind, text) in files {
        for value in parse_list(kind.segment(), text)? {
            let handle: String = field(
                "organisation",
                value
                    .get("organisation")
                    .unwrap_or(&serde_json::Value::Null),
            )?;
            let common: CommonInput = field(kind.as_str(), &value)?;
            let what = format!("{} '{}'", kind.label(), common.title);
            let organisation = organisations::get(conn, &handle)
                .map_err(|_| invalid(&what, format!("unknown organisation '{handle}'")))?;
            let details = match kind {
                ContentKind::CaseStory => Details::Story(field::<StoryDetails>(&what, &value)?),
                ContentKind::PracticeGuide => Details::Guide(field::<GuideDetails>(&what, &value)?),
                ContentKind::IsfTemplate => Details::Isf(Box::new(field(&what, &value)?)),
            };
            let exists = store::list(
                conn,
                &store::Filter {
                    kind: Some(kind),
                    organisation_id: Some(organisation.id.clone()),
                    statuses: vec![
                        Status::Draft,
                        Status::Submitted,
                        Status::Approved,
                        Status::Published,
                        Status::Withdrawn,
                    ],
                    limit: 100,
                    ..store::Filter::default()
                },
            )?
            .0
            .iter()
            .any(|item| item.row.title == common.title.trim());
            if exists {
                report.skipped += 1;
                continue;
            }
            let validated = ContentInput { common, details }
                .validate()
                .map_err(|errors| invalid(&what, format!("{errors:?}")))?;
            let id = store::insert(conn, &organisation.id, None, &validated, &Origin::default())?;
            if kind == ContentKind::CaseStory {
                let consent: SampleConsent = field(
                    &what,
                    value.get("consent").unwrap_or(&serde_json::Value::Null),
                )?;
                store::save_consent(
                    conn,
                    &id,
                    &consent.method,
                    &consent.scope,
                    None,
                    "Sample story (demo data)",
                    None,
                )?;
            }
            store::set_status(conn, &id, Status::Published)?;
            store::log_event(conn, &id, None, "published", "Loaded as demo data")?;
            match kind {
                ContentKind::CaseStory => report.case_stories += 1,
                ContentKind::IsfTemplate => report.isf_templates += 1,
                ContentKind::PracticeGuide => report.practice_guides += 1,
            }
        }
    }
    Ok(report)
}
