//! The interface's languages: Fluent message catalogues (`web/locales/<lang>/*.ftl`,
//! embedded in the binary), choosing a language for each request, and looking messages up.
//!
//! Owns interface text only. Content (stories, guides, templates, profiles) keeps the
//! language its author wrote it in and says so with its own `lang` attribute; nothing here
//! translates or touches it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The language every message exists in, used when a catalogue lacks one.
pub const DEFAULT_LANGUAGE: &str = "en";

/// The cookie a visitor's language choice is kept in (members keep it in their account).
pub const LANGUAGE_COOKIE: &str = "mutual_lang";

#[derive(rust_embed::Embed)]
#[folder = "web/locales/"]
struct LocaleFiles;

pub struct Catalogue {
    pub lang: String,
    /// The language's own name for itself ("Suomi"), from its `language-name` message.
    pub name: String,
    bundle: FluentBundle<FluentResource>,
    ids: BTreeSet<String>,
}

pub struct Catalogues {
    /// Sorted by language code; the default language among them.
    catalogues: Vec<Catalogue>,
}

/// A catalogue file that does not parse, with Fluent's reasons.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {errors}")]
pub struct CatalogueError {
    pub file: String,
    pub errors: String,
}

impl Catalogues {
    /// Every catalogue in `web/locales`. Fails on a file Fluent cannot parse or a message
    /// defined twice, so a broken catalogue stops the tests, not a member's page.
    pub fn load() -> Result<Catalogues, CatalogueError> {
        let mut files: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for path in LocaleFiles::iter() {
            let Some((lang, _)) = path.split_once('/') else {
                continue;
            };
            if !path.ends_with(".ftl") {
                continue;
            }
            let Some(file) = LocaleFiles::get(&path) else {
                continue;
            };
            files.entry(lang.to_string()).or_default().push((
                path.to_string(),
                String::from_utf8_lossy(&file.data).into_owned(),
            ));
        }
        let mut catalogues = Vec::new();
        for (lang, sources) in files {
            let id: LanguageIdentifier = lang.parse().map_err(|e| CatalogueError {
                file: lang.clone(),
                errors: format!("not a language tag: {e}"),
            })?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Unicode isolation marks around every placeable would end up in page titles
            // and e-mail subjects; our arguments are names and numbers, not mixed scripts.
            bundle.set_use_isolating(false);
            let mut ids = BTreeSet::new();
            for (file, source) in sources {
                let resource =
                    FluentResource::try_new(source).map_err(|(_, errors)| CatalogueError {
                        file: file.clone(),
                        errors: format!("{errors:?}"),
                    })?;
                for entry in resource.entries() {
                    if let fluent_syntax::ast::Entry::Message(message) = entry {
                        ids.insert(message.id.name.to_string());
                    }
                }
                bundle
                    .add_resource(resource)
                    .map_err(|errors| CatalogueError {
                        file,
                        errors: format!("{errors:?}"),
                    })?;
            }
            let mut catalogue = Catalogue {
                lang: lang.clone(),
                name: lang.clone(),
                bundle,
                ids,
            };
            if let Some(name) = catalogue.format("language-name", None) {
                catalogue.name = name;
            }
            catalogues.push(catalogue);
        }
        Ok(Catalogues { catalogues })
    }

    /// The catalogues built into this binary (loaded once).
    pub fn get() -> &'static Catalogues {
        static CATALOGUES: OnceLock<Catalogues> = OnceLock::new();
        CATALOGUES.get_or_init(|| {
            // The tests load every catalogue and fail on any error, so this is only
            // reached with catalogues that parse; an empty set still shows message ids.
            Catalogues::load().unwrap_or_else(|e| {
                tracing::error!(error = %e, "a message catalogue does not parse");
                Catalogues {
                    catalogues: Vec::new(),
                }
            })
        })
    }

    pub fn all(&self) -> &[Catalogue] {
        &self.catalogues
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.catalogues.iter().map(|c| c.lang.as_str())
    }

    pub fn catalogue(&self, lang: &str) -> Option<&Catalogue> {
        self.catalogues.iter().find(|c| c.lang == lang)
    }

    /// The message `id` in `lang`, else in the default language, else the id itself (so a
    /// missing message shows as its name rather than as nothing).
    pub fn message(&self, lang: &str, id: &str, args: Option<&FluentArgs>) -> String {
        self.format_or_default(lang, id, args).unwrap_or_else(|| {
            tracing::warn!(id, lang, "no such message");
            id.to_string()
        })
    }

    /// The message `id` in `lang`, else in the default language; None when neither has it.
    pub fn format_or_default(
        &self,
        lang: &str,
        id: &str,
        args: Option<&FluentArgs>,
    ) -> Option<String> {
        self.catalogue(lang)
            .and_then(|c| c.format(id, args))
            .or_else(|| {
                self.catalogue(DEFAULT_LANGUAGE)
                    .and_then(|c| c.format(id, args))
            })
    }

    /// The interface language for a request: the member's own choice, then the visitor's
    /// cookie, then the browser's `Accept-Language`, then the default.
    pub fn choose(
        &self,
        account: Option<&str>,
        cookie: Option<&str>,
        accept_language: Option<&str>,
    ) -> String {
        for chosen in [account, cookie].into_iter().flatten() {
            if let Some(lang) = self.supported(chosen) {
                return lang;
            }
        }
        if let Some(header) = accept_language {
            let requested = fluent_langneg::accepted_languages::parse(header);
            let available: Vec<LanguageIdentifier> = self
                .catalogues
                .iter()
                .filter_map(|c| c.lang.parse().ok())
                .collect();
            let default: Option<LanguageIdentifier> = DEFAULT_LANGUAGE.parse().ok();
            let chosen = fluent_langneg::negotiate_languages(
                &requested,
                &available,
                default.as_ref(),
                fluent_langneg::NegotiationStrategy::Lookup,
            );
            if let Some(first) = chosen.first() {
                return first.language.as_str().to_string();
            }
        }
        DEFAULT_LANGUAGE.to_string()
    }

    /// The catalogue's code for `tag` ("fi-FI" → "fi"), if there is one.
    pub fn supported(&self, tag: &str) -> Option<String> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        self.catalogue(&primary).map(|c| c.lang.clone())
    }
}

impl Catalogue {
    pub fn ids(&self) -> &BTreeSet<String> {
        &self.ids
    }

    /// The message, with its arguments; None when this catalogue lacks it. Formatting
    /// errors (a missing argument) are logged and the text is still returned.
    pub fn format(&self, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let message = self.bundle.get_message(id)?;
        let pattern = message.value()?;
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, lang = %self.lang, ?errors, "message formatted with errors");
        }
        Some(text.into_owned())
    }

    /// Every variable a message refers to (`{ $name }`), for checking translations use the
    /// same ones.
    pub fn variables(&self, id: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        if let Some(message) = self.bundle.get_message(id) {
            if let Some(pattern) = message.value() {
                collect_variables(pattern, &mut found);
            }
        }
        found
    }
}

fn collect_variables(pattern: &fluent_syntax::ast::Pattern<&str>, found: &mut BTreeSet<String>) {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    for element in &pattern.elements {
        let PatternElement::Placeable { expression } = element else {
            continue;
        };
        let (inline, variants) = match expression {
            Expression::Inline(inline) => (inline, None),
            Expression::Select { selector, variants } => (selector, Some(variants)),
        };
        if let InlineExpression::VariableReference { id } = inline {
            found.insert(id.name.to_string());
        }
        for variant in variants.into_iter().flatten() {
            collect_variables(&variant.value, found);
        }
    }
}

/// Arguments for a message, from name/value pairs.
pub fn args<'a>(pairs: &[(&'a str, FluentValue<'a>)]) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    for (name, value) in pairs {
        args.set(*name, value.clone());
    }
    args
}

/// The message `id` in `lang` (see [`Catalogues::message`]).
pub fn t(lang: &str, id: &str) -> String {
    Catalogues::get().message(lang, id, None)
}

/// The message `id` in `lang` with arguments.
pub fn t_args(lang: &str, id: &str, args: &FluentArgs) -> String {
    Catalogues::get().message(lang, id, Some(args))
}

/// The message `id` in `lang` or the default language; None when no catalogue has it.
/// For ids made from data (a country code, a vocabulary slug) where the caller has a
/// fallback of its own, so an unknown value is not logged as a missing message.
pub fn lookup(lang: &str, id: &str) -> Option<String> {
    Catalogues::get().format_or_default(lang, id, None)
}

/// The catalogue id of a message the code writes in English (a validation error, an error
/// page), gettext-style: `msg-` and the text's words, so the English text stays beside
/// the code that decides it and `messages.ftl` holds it under this id in every language.
/// A test finds each such text in the code and checks the English catalogue has it.
pub fn english_message_id(english: &str) -> String {
    let mut id = String::from("msg");
    for word in english
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if id.len() + word.len() + 1 > MAX_ENGLISH_ID_CHARS {
            break;
        }
        id.push('-');
        id.push_str(&word.to_ascii_lowercase());
    }
    id
}

/// The message `id` in `lang` only (no fallback), with string arguments.
pub fn lookup_with(lang: &str, id: &str, args: &BTreeMap<String, String>) -> Option<String> {
    Catalogues::get()
        .catalogue(lang)
        .and_then(|c| c.format(id, Some(&string_args(args))))
}

fn string_args(args: &BTreeMap<String, String>) -> FluentArgs<'static> {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(name.clone(), FluentValue::from(value.clone()));
    }
    fluent
}

/// Long enough to tell the messages apart, short enough to read in a catalogue.
const MAX_ENGLISH_ID_CHARS: usize = 72;

/// A message the code wrote in English (`pattern`, with `{ $name }` placeables), in
/// `lang`: from the catalogues when they hold it, else the English text itself.
pub fn english_in(lang: &str, pattern: &str, args: &BTreeMap<String, String>) -> String {
    Catalogues::get()
        .format_or_default(lang, &english_message_id(pattern), Some(&string_args(args)))
        .unwrap_or_else(|| fill(pattern, args))
}

/// `pattern` with each `{ $name }` replaced by its value: English text the catalogues do
/// not hold (a message made at run time) still reads right.
fn fill(pattern: &str, args: &BTreeMap<String, String>) -> String {
    let mut text = pattern.to_string();
    for (name, value) in args {
        text = text.replace(&format!("{{ ${name} }}"), value);
    }
    text
}

/// The message id of a fixed choice's label (`choices.ftl`): `choice-<group>-<value>`, with
/// characters Fluent ids cannot hold (`.`, `_`) as hyphens.
pub fn choice_message_id(group: &str, value: &str) -> String {
    let value: String = value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("choice-{group}-{value}")
}

/// A fixed choice's label in `lang`, else the English label the code holds.
pub fn choice_label(lang: &str, group: &str, value: &str, english: &str) -> String {
    lookup(lang, &choice_message_id(group, value)).unwrap_or_else(|| english.to_string())
}

/// The language to write to a member in (e-mails): their account's choice if there is a
/// catalogue for it, else the default.
pub fn language_for(locale: Option<&str>) -> String {
    locale
        .and_then(|l| Catalogues::get().supported(l))
        .unwrap_or_else(|| DEFAULT_LANGUAGE.to_string())
}
