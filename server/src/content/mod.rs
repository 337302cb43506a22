//! Content: case stories, ISF templates and practice guides — their fields and
//! validation (here), storage (`store`), the editorial workflow and permissions
//! (`workflow`), Markdown rendering (`markdown`), revision diffs (`diff`), the
//! anonymisation check (`anonymisation`) and ISF arithmetic (`isf`). It reads
//! organisations and accounts but never changes them, and knows nothing of HTTP.

pub mod anonymisation;
pub mod diff;
pub mod isf;
pub mod markdown;
pub mod store;
pub mod workflow;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::{field_error, field_error_with, FieldError};
use crate::db::DbError;
use crate::taxonomy::{self, Taxonomy};

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("some fields need changing")]
    Invalid(Vec<FieldError>),
    #[error("no such item")]
    NotFound,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotAllowedNow(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for ContentError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => ContentError::NotFound,
            other => ContentError::Db(DbError::Query(other)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContentKind {
    CaseStory,
    IsfTemplate,
    PracticeGuide,
}

impl ContentKind {
    pub const ALL: [ContentKind; 3] = [
        ContentKind::CaseStory,
        ContentKind::IsfTemplate,
        ContentKind::PracticeGuide,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContentKind::CaseStory => "case_story",
            ContentKind::IsfTemplate => "isf_template",
            ContentKind::PracticeGuide => "practice_guide",
        }
    }
    pub fn parse(text: &str) -> Option<ContentKind> {
        ContentKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
    /// The URL segment: `/organisations/{handle}/{segment}/{slug}` and `/api/v1/{segment}`.
    pub fn segment(self) -> &'static str {
        match self {
            ContentKind::CaseStory => "stories",
            ContentKind::IsfTemplate => "isf-templates",
            ContentKind::PracticeGuide => "guides",
        }
    }
    pub fn from_segment(segment: &str) -> Option<ContentKind> {
        ContentKind::ALL
            .into_iter()
            .find(|k| k.segment() == segment)
    }
    pub fn label(self) -> &'static str {
        match self {
            ContentKind::CaseStory => "Case story",
            ContentKind::IsfTemplate => "ISF template",
            ContentKind::PracticeGuide => "Practice guide",
        }
    }
    /// The label in the interface language `lang`.
    pub fn label_in(self, lang: &str) -> String {
        crate::search::DocType::from(self).label_in(lang)
    }
    /// The plural label in the interface language `lang`.
    pub fn plural_label_in(self, lang: &str) -> String {
        crate::i18n::t(
            lang,
            match self {
                ContentKind::CaseStory => "doc-type-case-story-plural",
                ContentKind::IsfTemplate => "doc-type-isf-template-plural",
                ContentKind::PracticeGuide => "doc-type-practice-guide-plural",
            },
        )
    }
    pub fn plural_label(self) -> &'static str {
        match self {
            ContentKind::CaseStory => "Case stories",
            ContentKind::IsfTemplate => "ISF templates",
            ContentKind::PracticeGuide => "Practice guides",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    Approved,
    Published,
    Withdrawn,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Approved => "approved",
            Status::Published => "published",
            Status::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(text: &str) -> Option<Status> {
        [
            Status::Draft,
            Status::Submitted,
            Status::Approved,
            Status::Published,
            Status::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// Licences a provider can choose (SPDX identifiers).
pub const LICENCES: &[(&str, &str)] = &[
    ("CC-BY-4.0", "Creative Commons Attribution 4.0"),
    (
        "CC-BY-SA-4.0",
        "Creative Commons Attribution-ShareAlike 4.0",
    ),
    (
        "CC-BY-NC-4.0",
        "Creative Commons Attribution-NonCommercial 4.0",
    ),
    (
        "CC-BY-NC-SA-4.0",
        "Creative Commons Attribution-NonCommercial-ShareAlike 4.0",
    ),
    (
        "CC-BY-ND-4.0",
        "Creative Commons Attribution-NoDerivatives 4.0",
    ),
    (
        "CC-BY-NC-ND-4.0",
        "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0",
    ),
    ("CC0-1.0", "Public domain (CC0 1.0)"),
];

pub const AGE_BANDS: &[&str] = &["", "<18", "18-29", "30-49", "50-69", "70+"];
pub const VOICES: &[(&str, &str)] = &[
    ("first_person", "Told by the person"),
    ("told_with", "Told with the person"),
    ("told_about", "Told about the person"),
];
pub const CONSENT_METHODS: &[(&str, &str)] = &[
    ("written", "Written consent"),
    ("easy_read", "Easy read consent form"),
    ("supported_decision", "Supported decision"),
    ("recorded_verbal", "Recorded spoken consent"),
    ("representative", "Given by a legal representative"),
];
pub const CONSENT_SCOPES: &[(&str, &str)] = &[
    ("web", "Shown on this website"),
    ("federate", "Shared with peer organisations' servers"),
    ("translate", "Translated into other languages"),
];
pub const AUDIENCES: &[(&str, &str)] = &[
    ("person", "People who get support"),
    ("family", "Families"),
    ("provider", "Providers"),
    ("commissioner", "Commissioners"),
    ("worker", "Support workers"),
];
pub const STAGES: &[(&str, &str)] = &[
    ("assessment", "Assessment"),
    ("budget", "Setting the budget"),
    ("choosing", "Choosing a provider"),
    ("planning", "Planning"),
    ("delivery", "Delivering support"),
    ("review", "Review"),
    ("ending", "Ending or changing"),
];

/// Fields every content type has, as typed in.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct CommonInput {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// BCP 47 language tag of the text, e.g. `en`, `fi`, `fr-CA`.
    pub lang: String,
    /// SPDX licence identifier; `CC-BY-4.0` when empty.
    #[serde(default)]
    pub licence: String,
    /// `learning_topics` slugs.
    #[serde(default)]
    pub topics: Vec<String>,
    /// The body in Markdown.
    #[serde(default)]
    pub body: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StoryDetails {
    /// The name the story uses for the person (empty for a story about a group or a service).
    #[serde(default)]
    pub pseudonym: String,
    #[serde(default)]
    pub age_band: String,
    /// `first_person`, `told_with` or `told_about`.
    pub voice: String,
    #[serde(default)]
    pub people_supported: Vec<String>,
    /// `good_practice_elements` slugs.
    #[serde(default)]
    pub good_practice: Vec<String>,
    /// ISO 3166 code; never anything finer than a region.
    pub country: String,
    #[serde(default)]
    pub region: String,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Reference {
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GuideDetails {
    #[serde(default)]
    pub audience: Vec<String>,
    /// The stage of the ISF journey the guide is about.
    #[serde(default)]
    pub stage: String,
    /// ISO 3166 codes of the places the guide applies to.
    #[serde(default)]
    pub jurisdictions: Vec<String>,
    #[serde(default)]
    pub references: Vec<Reference>,
}

/// The type-specific part of an item.
#[derive(Debug, Clone, PartialEq)]
pub enum Details {
    Story(StoryDetails),
    Guide(GuideDetails),
    Isf(Box<isf::IsfTemplateData>),
}

impl Details {
    pub fn kind(&self) -> ContentKind {
        match self {
            Details::Story(_) => ContentKind::CaseStory,
            Details::Guide(_) => ContentKind::PracticeGuide,
            Details::Isf(_) => ContentKind::IsfTemplate,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Details::Story(d) => serde_json::to_value(d),
            Details::Guide(d) => serde_json::to_value(d),
            Details::Isf(d) => serde_json::to_value(d),
        }
        .unwrap_or(serde_json::Value::Null)
    }

    pub fn from_json(
        kind: ContentKind,
        value: serde_json::Value,
    ) -> Result<Details, serde_json::Error> {
        Ok(match kind {
            ContentKind::CaseStory => Details::Story(serde_json::from_value(value)?),
            ContentKind::PracticeGuide => Details::Guide(serde_json::from_value(value)?),
            ContentKind::IsfTemplate => Details::Isf(Box::new(serde_json::from_value(value)?)),
        })
    }
}

/// A whole item as typed in.
#[derive(Debug, Clone)]
pub struct ContentInput {
    pub common: CommonInput,
    pub details: Details,
}

/// An item that passed validation, ready to store.
#[derive(Debug, Clone)]
pub struct Validated {
    pub title: String,
    pub summary: String,
    pub lang: String,
    pub licence: String,
    pub topics: Vec<String>,
    pub body_source: String,
    pub body_html: String,
    pub details: Details,
    pub country: Option<String>,
    /// (facet, value) pairs used for filtering and search.
    pub facets: Vec<(&'static str, String)>,
}

fn clean_list(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
    }
    out
}

fn text_field(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) -> String {
    let value = value.trim();
    if required && value.is_empty() {
        errors.push(field_error(field, "This cannot be empty."));
    }
    if value.chars().count() > max {
        errors.push(field_error_with(
            field,
            "Use at most { $max } characters.",
            &[("max", max.to_string())],
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        errors.push(field_error(field, "Remove special control characters."));
    }
    value.to_string()
}

fn vocabulary_field(
    errors: &mut Vec<FieldError>,
    field: &str,
    vocabulary: &str,
    values: &[String],
) -> Vec<String> {
    let values = clean_list(values);
    let unknown: Vec<&str> = values
        .iter()
        .filter(|v| Taxonomy::get().term(vocabulary, v).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        errors.push(field_error_with(
            field,
            "Unknown choice: { $values }. Pick from the list.",
            &[("values", unknown.join(", "))],
        ));
    }
    values
}

fn choice_list(
    errors: &mut Vec<FieldError>,
    field: &str,
    allowed: &[(&str, &str)],
    values: &[String],
) -> Vec<String> {
    let values = clean_list(values);
    let unknown: Vec<&str> = values
        .iter()
        .filter(|v| !allowed.iter().any(|(a, _)| a == v))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        errors.push(field_error_with(
            field,
            "Unknown choice: { $values }. Pick from the list.",
            &[("values", unknown.join(", "))],
        ));
    }
    values
}

fn country_field(errors: &mut Vec<FieldError>, field: &str, value: &str) -> String {
    match crate::organisations::parse_country(value) {
        Ok(code) => code,
        Err(e) => {
            errors.push(e.for_field(field));
            String::new()
        }
    }
}

/// Country facet values: the code, and for a subdivision (GB-SCT) its country (GB) too,
/// so a filter on the country finds items from all its parts.
fn country_facets(code: &str) -> Vec<String> {
    let mut values = vec![code.to_string()];
    if let Some((country, _)) = code.split_once('-') {
        values.push(country.to_string());
    }
    values
}

const MAX_BODY_CHARS: usize = 100_000;

impl ContentInput {
    pub fn validate(&self) -> Result<Validated, Vec<FieldError>> {
        let mut errors = Vec::new();
        let c = &self.common;
        let title = text_field(&mut errors, "title", &c.title, 200, true);
        let summary = text_field(&mut errors, "summary", &c.summary, 1000, false);
        let body_source = text_field(&mut errors, "body", &c.body, MAX_BODY_CHARS, false);
        let lang = match crate::organisations::parse_language(&c.lang) {
            Some(tag) => tag,
            None => {
                errors.push(field_error(
                    "lang",
                    "Give the language as a code such as en, fi or fr-CA.",
                ));
                String::new()
            }
        };
        let licence = if c.licence.trim().is_empty() {
            "CC-BY-4.0".to_string()
        } else {
            c.licence.trim().to_string()
        };
        if !LICENCES.iter().any(|(id, _)| *id == licence) {
            errors.push(field_error("licence", "Choose a licence from the list."));
        }
        let topics = vocabulary_field(&mut errors, "topics", taxonomy::LEARNING_TOPICS, &c.topics);
        let mut facets: Vec<(&'static str, String)> =
            topics.iter().map(|t| ("topic", t.clone())).collect();
        let country;
        let details = match &self.details {
            Details::Story(d) => {
                // A story about a group or a service has no one person, so no pseudonym.
                let pseudonym = text_field(&mut errors, "pseudonym", &d.pseudonym, 60, false);
                if !AGE_BANDS.contains(&d.age_band.as_str()) {
                    errors.push(field_error("age_band", "Choose an age band from the list."));
                }
                if !VOICES.iter().any(|(v, _)| *v == d.voice) {
                    errors.push(field_error("voice", "Choose who tells the story."));
                }
                let people = vocabulary_field(
                    &mut errors,
                    "people_supported",
                    taxonomy::PEOPLE_SUPPORTED,
                    &d.people_supported,
                );
                let practice = vocabulary_field(
                    &mut errors,
                    "good_practice",
                    taxonomy::GOOD_PRACTICE,
                    &d.good_practice,
                );
                let code = country_field(&mut errors, "country", &d.country);
                let region = text_field(&mut errors, "region", &d.region, 100, false);
                let this_year = chrono::Utc::now()
                    .naive_utc()
                    .date()
                    .format("%Y")
                    .to_string()
                    .parse::<i32>()
                    .unwrap_or(2100);
                for (field, year) in [("year_from", d.year_from), ("year_to", d.year_to)] {
                    if let Some(y) = year {
                        if !(1950..=this_year).contains(&y) {
                            errors.push(field_error_with(
                                field,
                                "Give a year between 1950 and { $year }.",
                                &[("year", this_year.to_string())],
                            ));
                        }
                    }
                }
                if let (Some(from), Some(to)) = (d.year_from, d.year_to) {
                    if to < from {
                        errors.push(field_error(
                            "year_to",
                            "The last year must not be before the first.",
                        ));
                    }
                }
                facets.extend(people.iter().map(|p| ("people", p.clone())));
                facets.extend(practice.iter().map(|p| ("good_practice", p.clone())));
                facets.extend(country_facets(&code).into_iter().map(|c| ("country", c)));
                country = Some(code.clone());
                Details::Story(StoryDetails {
                    pseudonym,
                    age_band: d.age_band.clone(),
                    voice: d.voice.clone(),
                    people_supported: people,
                    good_practice: practice,
                    country: code,
                    region,
                    year_from: d.year_from,
                    year_to: d.year_to,
                })
            }
            Details::Guide(d) => {
                let audience = choice_list(&mut errors, "audience", AUDIENCES, &d.audience);
                let stage = d.stage.trim().to_string();
                if !stage.is_empty() && !STAGES.iter().any(|(s, _)| *s == stage) {
                    errors.push(field_error("stage", "Choose a stage from the list."));
                }
                let mut jurisdictions = Vec::new();
                for raw in clean_list(&d.jurisdictions) {
                    let code = country_field(&mut errors, "jurisdictions", &raw);
                    if !code.is_empty() && !jurisdictions.contains(&code) {
                        jurisdictions.push(code);
                    }
                }
                let mut references = Vec::new();
                for (n, r) in d.references.iter().enumerate() {
                    let title = r.title.trim().to_string();
                    let url = r
                        .url
                        .as_deref()
                        .map(str::trim)
                        .filter(|u| !u.is_empty())
                        .map(str::to_string);
                    if title.is_empty() && url.is_none() {
                        continue;
                    }
                    if title.chars().count() > 300 {
                        errors.push(field_error(
                            format!("references[{n}].title"),
                            "Use at most 300 characters.",
                        ));
                    }
                    if let Some(u) = &url {
                        if !matches!(
                            url::Url::parse(u)
                                .map(|p| p.scheme().to_string())
                                .as_deref(),
                            Ok("http" | "https")
                        ) {
                            errors.push(field_error(
                                format!("references[{n}].url"),
                                "Give a web address starting with https://",
                            ));
                        }
                    }
                    references.push(Reference {
                        title: if title.is_empty() {
                            url.clone().unwrap_or_default()
                        } else {
                            title
                        },
                        url,
                    });
                }
                if references.len() > 100 {
                    errors.push(field_error("references", "List at most 100 references."));
                }
                facets.extend(audience.iter().map(|a| ("audience", a.clone())));
                if !stage.is_empty() {
                    facets.push(("stage", stage.clone()));
                }
                for code in &jurisdictions {
                    facets.extend(country_facets(code).into_iter().map(|c| ("country", c)));
                }
                country = jurisdictions.first().cloned();
                Details::Guide(GuideDetails {
                    audience,
                    stage,
                    jurisdictions,
                    references,
                })
            }
            Details::Isf(data) => {
                errors.extend(data.validate());
                let code = data
                    .jurisdiction
                    .subdivision
                    .clone()
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or_else(|| data.jurisdiction.country.clone());
                let code = country_field(&mut errors, "jurisdiction.country", &code);
                facets.extend(country_facets(&code).into_iter().map(|c| ("country", c)));
                facets.push(("scheme", data.jurisdiction.scheme.clone()));
                country = Some(code);
                Details::Isf(data.clone())
            }
        };

        // Keep facet values unique: a GB-SCT story and a GB guide both add "GB".
        let mut unique: Vec<(&'static str, String)> = Vec::new();
        for facet in facets {
            if !unique.contains(&facet) {
                unique.push(facet);
            }
        }

        if errors.is_empty() {
            Ok(Validated {
                body_html: markdown::render(&body_source),
                title,
                summary,
                lang,
                licence,
                topics,
                body_source,
                details,
                country,
                facets: unique,
            })
        } else {
            Err(errors)
        }
    }
}

/// Where an adapted item came from; shown wherever the item is displayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Attribution {
    pub url: String,
    pub title: String,
    pub organisation: String,
    pub revision: Option<i32>,
}
