//! Server-rendered HTML: minijinja templates from `web/templates`, embedded in the
//! binary with rust-embed (read from disk in debug builds, so edits show on reload).
//! Output is auto-escaped; nothing here may mark user text as safe.

use std::sync::OnceLock;

use actix_web::http::StatusCode;
use fluent_bundle::{FluentArgs, FluentValue};
use minijinja::value::Kwargs;
use minijinja::{context, Environment, State, Value};
use serde::{Deserialize, Serialize};

use super::error::AppError;
use crate::i18n;
use crate::organisations;
use crate::taxonomy::{self, Taxonomy};

#[derive(rust_embed::Embed)]
#[folder = "web/templates/"]
struct TemplateFiles;

#[derive(rust_embed::Embed)]
#[folder = "web/static/"]
pub struct StaticFiles;

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // minijinja's HTML escaping also escapes `/`, which bloats every URL; escaping the
        // five HTML-significant characters is what safety needs.
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(text)
                if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() =>
            {
                out.write_str(&escape_html(text))
                    .map_err(minijinja::Error::from)
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        env.set_loader(|name| {
            Ok(TemplateFiles::get(name)
                .map(|file| String::from_utf8_lossy(&file.data).into_owned()))
        });
        env.add_function("topic_label", |state: &State, slug: String| {
            Taxonomy::get().label_in(&template_language(state), taxonomy::LEARNING_TOPICS, &slug)
        });
        env.add_function("people_label", |state: &State, slug: String| {
            Taxonomy::get().label_in(&template_language(state), taxonomy::PEOPLE_SUPPORTED, &slug)
        });
        env.add_function("country_name", |state: &State, code: String| {
            organisations::country_name_in(&template_language(state), &code)
        });
        env.add_function("good_practice_label", |state: &State, slug: String| {
            Taxonomy::get().label_in(&template_language(state), taxonomy::GOOD_PRACTICE, &slug)
        });
        env.add_function("choice_label", |list: Value, value: String| {
            // Finds the label of `value` in a list of {value, label} choices.
            list.try_iter()
                .ok()
                .and_then(|mut items| {
                    items.find(|item| {
                        item.get_attr("value")
                            .map(|v| v.to_string() == value)
                            .unwrap_or(false)
                    })
                })
                .and_then(|item| item.get_attr("label").ok())
                .map(|label| label.to_string())
                .unwrap_or(value)
        });
        env.add_function("kind_label", |state: &State, kind: String| {
            kind_label(&kind, &template_language(state))
        });
        env.add_function(
            "content_kind_label",
            |state: &State, kind: String, plural: Option<bool>| {
                let lang = template_language(state);
                match crate::content::ContentKind::parse(&kind) {
                    Some(kind) if plural.unwrap_or(false) => kind.plural_label_in(&lang),
                    Some(kind) => kind.label_in(&lang),
                    None => kind,
                }
            },
        );
        env.add_function("error_text", error_text);
        env.add_function("errors_text", |state: &State, errors: Value| {
            let texts: Vec<String> = errors
                .try_iter()
                .map(|items| items.map(|e| error_text(state, e)).collect())
                .unwrap_or_default();
            texts.join(" ")
        });
        env.add_function("t", translate);
        env.add_function("t_html", translate_html);
        env.add_filter("date", |value: String| {
            value.get(..10).unwrap_or(&value).to_string()
        });
        env
    })
}

/// `{{ error_text(e) }}`: a FieldError's message in the page's language, else its English.
fn error_text(state: &State, error: Value) -> String {
    match crate::accounts::FieldError::deserialize(error.clone()) {
        Ok(error) => error.message_in(&template_language(state)),
        Err(_) => error.to_string(),
    }
}

/// The interface language a template renders in: `ui_lang` when the caller names one (an
/// e-mail in its recipient's language), else the page's.
fn template_language(state: &State) -> String {
    state
        .lookup("ui_lang")
        .or_else(|| state.lookup("page").and_then(|p| p.get_attr("lang").ok()))
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| crate::i18n::DEFAULT_LANGUAGE.to_string())
}

fn fluent_args(kwargs: &Kwargs) -> Result<FluentArgs<'static>, minijinja::Error> {
    let mut args = FluentArgs::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let fluent: FluentValue<'static> = match value.kind() {
            minijinja::value::ValueKind::Number => match f64::try_from(value.clone()) {
                Ok(n) => FluentValue::from(n),
                Err(_) => FluentValue::from(value.to_string()),
            },
            minijinja::value::ValueKind::Undefined | minijinja::value::ValueKind::None => {
                FluentValue::from(String::new())
            }
            _ => FluentValue::from(value.to_string()),
        };
        args.set(name.to_string(), fluent);
    }
    Ok(args)
}

/// `{{ t("message-id", name=value) }}`: an interface message in the page's language,
/// escaped like any other text.
fn translate(state: &State, id: &str, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let args = fluent_args(&kwargs)?;
    kwargs.assert_all_used()?;
    let lang = template_language(state);
    Ok(crate::i18n::Catalogues::get().message(&lang, id, Some(&args)))
}

/// `{{ t_html("message-id", name=value) }}`: a message whose catalogue text holds markup
/// (a link inside a sentence). The catalogue is ours and trusted; every argument is
/// escaped before it goes in.
fn translate_html(state: &State, id: &str, kwargs: Kwargs) -> Result<Value, minijinja::Error> {
    let mut args = fluent_args(&kwargs)?;
    kwargs.assert_all_used()?;
    let escaped: Vec<(String, String)> = args
        .iter()
        .filter_map(|(name, value)| match value {
            FluentValue::String(text) => Some((name.to_string(), escape_html(text))),
            _ => None,
        })
        .collect();
    for (name, text) in escaped {
        args.set(name, FluentValue::from(text));
    }
    let lang = template_language(state);
    Ok(Value::from_safe_string(
        crate::i18n::Catalogues::get().message(&lang, id, Some(&args)),
    ))
}

fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#x27;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// An organisation kind's name in the interface language (unknown kinds as they are).
pub fn kind_label(kind: &str, lang: &str) -> String {
    match kind {
        "provider" => i18n::t(lang, "org-kind-provider"),
        "user_led" => i18n::t(lang, "org-kind-user-led"),
        "family_led" => i18n::t(lang, "org-kind-family-led"),
        "broker" => i18n::t(lang, "org-kind-broker"),
        "commissioner" => i18n::t(lang, "org-kind-commissioner"),
        "research" => i18n::t(lang, "org-kind-research"),
        "advocacy" => i18n::t(lang, "org-kind-advocacy"),
        "network" => i18n::t(lang, "org-kind-network"),
        "account" => i18n::t(lang, "org-kind-account"),
        other => other.to_string(),
    }
}

/// What every page needs: who is logged in, the CSRF token for forms, the instance name.
#[derive(Debug, Clone, Serialize)]
pub struct PageContext {
    pub instance_name: String,
    pub user: Option<UserView>,
    pub csrf_token: String,
    pub path: String,
    /// The interface language (a catalogue's code): `<html lang>` and every `t()`.
    pub lang: String,
    /// The languages the interface can be shown in, as (code, own name), for the switcher.
    pub languages: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
    pub is_staff: bool,
}

pub fn render(template: &str, ctx: Value) -> Result<String, AppError> {
    let template = environment()
        .get_template(template)
        .map_err(|e| AppError::Internal(format!("template {template}: {e:#}")))?;
    template
        .render(ctx)
        .map_err(|e| AppError::Internal(format!("rendering: {e:#}")))
}

/// The error page cannot fail: if the template breaks, a bare page is returned.
pub fn render_error_page(
    status: StatusCode,
    lang: &str,
    message: &str,
    details: &[String],
) -> String {
    let ctx = context! {
        status => status.as_u16(),
        message => message,
        details => details,
        page => context! { instance_name => "Mutual", lang => lang },
    };
    render("error.html", ctx).unwrap_or_else(|_| {
        format!(
            "<!doctype html><html lang=\"en\"><title>{}</title><h1>{}</h1><p>The page could not be shown.</p></html>",
            status.as_u16(),
            status.as_u16()
        )
    })
}

/// Vocabulary terms for checkbox lists, labelled in the interface language.
pub fn vocabulary(name: &str, lang: &str) -> Vec<crate::taxonomy::Term> {
    Taxonomy::get().terms_in(lang, name)
}
