//! The interface's languages: every catalogue complete and well formed, no interface text
//! outside the catalogues, and the language chosen from the account, the visitor's cookie
//! and `Accept-Language`, with content keeping its own `lang`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{call, spawn_app, Backend, TestApp};
use fluent_bundle::FluentArgs;
use mutual::i18n::{Catalogues, DEFAULT_LANGUAGE};
use regex::Regex;
use serde_json::json;

fn template_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("templates dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            template_files(&path, found);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("html") | Some("txt")
        ) {
            found.push(path);
        }
    }
}

fn templates() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("web/templates");
    let mut files = Vec::new();
    template_files(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("read template");
            let name = path
                .strip_prefix(&root)
                .expect("under root")
                .display()
                .to_string();
            (name, text)
        })
        .collect()
}

/// Message ids used by templates (`t("id")`, `t_html("id")`) and Rust code
/// (`i18n::t(lang, "id")` and friends, `msg!("id")`).
fn used_ids() -> BTreeSet<(String, String)> {
    let template_call = regex::Regex::new(r#"\bt(?:_html)?\(\s*"([a-z0-9-]+)""#).expect("regex");
    let mut used = BTreeSet::new();
    for (name, text) in templates() {
        for capture in template_call.captures_iter(&text) {
            used.insert((capture[1].to_string(), name.clone()));
        }
    }
    let rust_call =
        regex::Regex::new(r#"i18n::(?:t|t_args)\(\s*[^,]+,\s*"([a-z0-9-]+)""#).expect("regex");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("server/src");
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().and_then(|e| e.to_str()) == Some("rs") {
                let text = std::fs::read_to_string(&path).expect("read source");
                for capture in rust_call.captures_iter(&text) {
                    used.insert((capture[1].to_string(), path.display().to_string()));
                }
            }
        }
    }
    used
}

#[test]
fn every_catalogue_parses_and_has_more_than_one_language() {
    let catalogues = Catalogues::load().expect("every .ftl file parses");
    let languages: Vec<&str> = catalogues.languages().collect();
    assert!(languages.contains(&DEFAULT_LANGUAGE), "{languages:?}");
    assert!(
        languages.len() >= 2,
        "a second complete language: {languages:?}"
    );
    for catalogue in catalogues.all() {
        assert_ne!(
            catalogue.name, catalogue.lang,
            "{} names itself (language-name)",
            catalogue.lang
        );
    }
}

#[test]
fn every_language_has_every_message_with_the_same_variables() {
    let catalogues = Catalogues::load().expect("catalogues");
    let english = catalogues.catalogue(DEFAULT_LANGUAGE).expect("English");
    for catalogue in catalogues.all() {
        if catalogue.lang == DEFAULT_LANGUAGE {
            continue;
        }
        let missing: Vec<&String> = english.ids().difference(catalogue.ids()).collect();
        assert!(
            missing.is_empty(),
            "{} lacks {} message(s): {missing:?}",
            catalogue.lang,
            missing.len()
        );
        let extra: Vec<&String> = catalogue.ids().difference(english.ids()).collect();
        assert!(
            extra.is_empty(),
            "{} has messages English does not (renamed or removed?): {extra:?}",
            catalogue.lang
        );
        for id in english.ids() {
            assert_eq!(
                catalogue.variables(id),
                english.variables(id),
                "{}: {id} must use the same variables as English",
                catalogue.lang
            );
            let text = catalogue.format(id, None).unwrap_or_default();
            assert!(!text.trim().is_empty(), "{}: {id} is empty", catalogue.lang);
        }
    }
}

#[test]
fn every_message_the_code_uses_exists() {
    let catalogues = Catalogues::load().expect("catalogues");
    let english = catalogues.catalogue(DEFAULT_LANGUAGE).expect("English");
    let used = used_ids();
    assert!(used.len() > 10, "the scan finds the calls: {used:?}");
    let missing: Vec<String> = used
        .iter()
        .filter(|(id, _)| !english.ids().contains(id))
        .map(|(id, file)| format!("{id} (in {file})"))
        .collect();
    assert!(
        missing.is_empty(),
        "messages used but not defined: {missing:#?}"
    );
}

/// Text a reader would see, left in a template instead of in the catalogue: what remains
/// after template tags, expressions, comments, HTML tags and entities are taken out, and
/// the values of attributes people read (labels, titles, alternatives, placeholders).
fn untranslated(template: &str) -> Vec<String> {
    let comments = regex::Regex::new(r"(?s)\{#.*?#\}").expect("regex");
    let blocks = regex::Regex::new(r"(?s)\{%.*?%\}").expect("regex");
    let expressions = regex::Regex::new(r"(?s)\{\{.*?\}\}").expect("regex");
    let styles = regex::Regex::new(r"(?s)<style.*?</style>|<script.*?</script>").expect("regex");
    let readable_attribute =
        regex::Regex::new(r#"(?:aria-label|title|alt|placeholder)="([^"]*)""#).expect("regex");
    let tags = regex::Regex::new(r"(?s)<[^>]*>").expect("regex");
    let entities = regex::Regex::new(r"&[a-zA-Z0-9#]+;").expect("regex");
    let letters = regex::Regex::new(r"\p{L}{2,}").expect("regex");

    let without = comments.replace_all(template, " ");
    let without = styles.replace_all(&without, " ");
    let mut found = Vec::new();
    for capture in readable_attribute.captures_iter(&without) {
        let value = expressions.replace_all(&capture[1], " ");
        let value = blocks.replace_all(&value, " ");
        if letters.is_match(&value) {
            found.push(format!("attribute: {}", &capture[0]));
        }
    }
    let text = blocks.replace_all(&without, " ");
    let text = expressions.replace_all(&text, " ");
    let text = tags.replace_all(&text, " ");
    // Attributes written outside a tag, by a macro that adds them to its caller's tag.
    let loose_attributes = regex::Regex::new(r#"\b[a-z-]+="[^"]*""#).expect("regex");
    let text = loose_attributes.replace_all(&text, " ");
    let text = entities.replace_all(&text, " ");
    for line in text.lines() {
        if letters.is_match(line) {
            found.push(line.trim().to_string());
        }
    }
    found
}

#[test]
fn templates_hold_no_interface_text_of_their_own() {
    // The check itself must see text when there is some.
    assert_eq!(
        untranslated(r#"<p>Hello {{ name }}</p><img alt="A garden">"#),
        vec!["attribute: alt=\"A garden\"", "Hello"]
    );
    assert!(untranslated(r#"<p>{{ t("greeting", name=name) }}</p>{# note #}"#).is_empty());

    let mut leftovers = Vec::new();
    for (name, text) in templates() {
        for found in untranslated(&text) {
            leftovers.push(format!("{name}: {found}"));
        }
    }
    assert!(
        leftovers.is_empty(),
        "{} piece(s) of interface text outside the catalogues:\n{}",
        leftovers.len(),
        leftovers.join("\n")
    );
}

async fn home_in(app: &TestApp, accept_language: Option<&str>) -> String {
    let response = match accept_language {
        Some(value) => get_in(app, "/", value).await,
        None => app.get("/").await,
    };
    assert_eq!(response.status().as_u16(), 200);
    response.text().await.expect("body")
}

/// A page as a browser asking for `accept_language` gets it.
async fn get_in(app: &TestApp, path: &str, accept_language: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("accept-language", accept_language)
        .send()
        .await
        .expect("GET")
}

/// A form posted (with its CSRF token) by a browser asking for `accept_language`: the
/// status and the page that comes back.
async fn post_form_in(
    app: &TestApp,
    path: &str,
    accept_language: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let token = app.csrf().await;
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    let response = app
        .client
        .post(app.url(path))
        .header("accept-language", accept_language)
        .form(&all)
        .send()
        .await
        .expect("POST");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

fn message(lang: &str, id: &str) -> String {
    Catalogues::get().message(lang, id, None)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_comes_from_the_account_then_the_cookie_then_the_browser() {
    let app = spawn_app(Backend::Sqlite).await;
    assert_ne!(message("fi", "nav-search"), message("en", "nav-search"));

    // The browser's languages, in its order of preference.
    let html = home_in(&app, None).await;
    assert!(html.contains("<html lang=\"en\">"), "default English");
    let html = home_in(&app, Some("fi-FI,fi;q=0.9,en;q=0.5")).await;
    assert!(
        html.contains("<html lang=\"fi\">"),
        "Finnish from the header"
    );
    assert!(html.contains(&message("fi", "nav-search")));
    assert!(!html.contains(&format!(">{}<", message("en", "nav-search"))));
    let html = home_in(&app, Some("de-DE,en;q=0.8,fi;q=0.5")).await;
    assert!(
        html.contains("<html lang=\"en\">"),
        "first language we have"
    );

    // A visitor's choice beats the browser's.
    let response = app
        .post_form("/language", &[("lang", "fi"), ("next", "/search")])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"].to_str().expect("location"),
        "/search"
    );
    let html = home_in(&app, Some("en")).await;
    assert!(html.contains("<html lang=\"fi\">"), "the cookie wins");
    // An unknown language is refused, and changes nothing.
    let response = app.post_form("/language", &[("lang", "xx")]).await;
    assert_eq!(response.status().as_u16(), 400);
    // Off-site `next` goes home instead.
    let response = app
        .post_form(
            "/language",
            &[("lang", "fi"), ("next", "https://evil.example/")],
        )
        .await;
    assert_eq!(
        response.headers()["location"].to_str().expect("location"),
        "/"
    );

    // A member's choice is kept in the account and follows them to another browser.
    app.create_user("aino", mutual::accounts::Role::Member)
        .await;
    let other = app.another_browser();
    other.log_in("aino").await;
    let response = other.post_form("/language", &[("lang", "fi")]).await;
    assert_eq!(response.status().as_u16(), 303);
    let third = app.another_browser();
    third.log_in("aino").await;
    let html = home_in(&third, Some("en")).await;
    assert!(
        html.contains("<html lang=\"fi\">"),
        "the account's language, in a browser asking for English"
    );
    // The account page shows the choice in its own language setting.
    let (status, settings) = third.get_text("/settings").await;
    assert_eq!(status, 200);
    assert!(
        settings.contains("<option value=\"fi\" lang=\"fi\" selected>"),
        "the account page shows Finnish as chosen"
    );
    // Choosing "follow my browser" again clears it.
    let response = third.post_form("/language", &[("lang", "")]).await;
    assert_eq!(response.status().as_u16(), 303);
    let html = home_in(&third, Some("en")).await;
    assert!(html.contains("<html lang=\"en\">"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_keeps_its_own_language_in_a_translated_interface() {
    let app = spawn_app(Backend::Sqlite).await;
    let (editor, _) = app.organisation_with_team("northlight", "GB-ENG").await;
    let (status, guide) = call(
        &app,
        reqwest::Method::POST,
        "/api/v1/guides",
        Some(&editor),
        Some(json!({
            "organisation": "northlight", "title": "Banking unused hours",
            "summary": "How we keep unused ISF hours for later.", "lang": "en",
            "topics": ["financial-management"],
            "body": "We record unused hours every month.",
            "audience": ["provider"], "stage": "delivery", "jurisdictions": ["GB-ENG"],
        })),
    )
    .await;
    assert!(status < 300, "{status} {guide}");
    let id = guide["id"].as_str().expect("id");
    let (status, body) = call(
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/guides/{id}/publish"),
        Some(&editor),
        Some(json!({})),
    )
    .await;
    assert!(status < 300, "{status} {body}");

    let response = app
        .client
        .get(app.url("/search?q=banking"))
        .header("accept-language", "fi")
        .send()
        .await
        .expect("search");
    let status = response.status().as_u16();
    let html = response.text().await.expect("body");
    assert!(html.contains("<html lang=\"fi\">"), "{status}: {html}");
    let title = html.find("Banking unused hours").expect("the hit is shown");
    let before = &html[..title];
    let opening = before.rfind('<').expect("the title's element");
    assert!(
        before[opening..].contains("lang=\"en\""),
        "the English title is marked as English: {}",
        &before[opening..]
    );
}

/// A loop or `set` variable named `t` hides the `t()` function inside it: every message in
/// that block then fails to render (it happened once, on the token table).
#[test]
fn no_template_names_a_variable_t() {
    let shadowing =
        regex::Regex::new(r"\{%-?\s*(?:for\s+(?:\w+\s*,\s*)?t\b|set\s+t\s*=)").expect("regex");
    let found: Vec<String> = templates()
        .into_iter()
        .filter(|(_, text)| shadowing.is_match(text))
        .map(|(name, _)| name)
        .collect();
    assert!(found.is_empty(), "rename the variable `t` in {found:?}");
}

/// Macros imported from another template (the error summary in macros.html) speak the
/// page's language too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imported_macros_use_the_page_language() {
    let app = spawn_app(Backend::Sqlite).await;
    let (status, html) = post_form_in(
        &app,
        "/signup",
        "fi",
        &[
            ("username", ""),
            ("email", ""),
            ("display_name", ""),
            ("password", ""),
        ],
    )
    .await;
    assert!(html.contains("<html lang=\"fi\">"), "{status}: {html}");
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("count", 3);
    let finnish = Catalogues::get().message("fi", "error-summary-count", Some(&args));
    let english = Catalogues::get().message("en", "error-summary-count", Some(&args));
    assert_ne!(finnish, english);
    assert!(
        html.contains(&finnish),
        "the error summary in Finnish ({finnish}), not {english}"
    );
}

/// The labels of data the interface shows (vocabulary terms, countries, fixed choices)
/// come from the catalogues by id; the English ones must be the labels the code and
/// `taxonomy.json` hold, and every one must exist (the completeness test above then
/// holds the other languages to the same ids).
#[test]
fn every_term_country_and_choice_has_a_label_in_the_catalogues() {
    use mutual::taxonomy::{self, Taxonomy};
    let en = Catalogues::get()
        .catalogue(DEFAULT_LANGUAGE)
        .expect("English");
    let mut problems = Vec::new();
    for vocabulary in [
        taxonomy::LEARNING_TOPICS,
        taxonomy::PEOPLE_SUPPORTED,
        taxonomy::GOOD_PRACTICE,
    ] {
        let prefix = taxonomy::message_prefix(vocabulary).expect("shown vocabulary");
        for term in Taxonomy::get().terms(vocabulary) {
            let id = format!("{prefix}-{}", term.slug);
            match en.format(&id, None) {
                Some(label) if label == term.label => {}
                other => problems.push(format!(
                    "{id}: {other:?}, taxonomy.json says {:?}",
                    term.label
                )),
            }
        }
    }
    for code in mutual::organisations::country_codes() {
        let id = format!("country-{code}");
        if en.format(&id, None).is_none() {
            problems.push(format!("{id} missing"));
        }
    }
    for (group, list) in mutual::web::pages::choice_lists() {
        for (value, english) in list {
            let id = mutual::i18n::choice_message_id(group, value);
            match en.format(&id, None) {
                Some(label) if label == english => {}
                other => problems.push(format!("{id}: {other:?}, the code says {english:?}")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn topics_countries_and_choices_show_in_the_interface_language() {
    let app = spawn_app(Backend::Sqlite).await;
    let finnish_page = |path: &'static str| {
        let app = &app;
        async move {
            let response = get_in(app, path, "fi").await;
            assert_eq!(response.status().as_u16(), 200, "{path}");
            response.text().await.expect("body")
        }
    };
    let shows_in_finnish = |page: &str, html: &str, id: &str, english: &str| {
        let finnish = message("fi", id);
        assert_ne!(finnish, english, "{id} is translated");
        assert!(
            html.contains(&format!(">{finnish}")),
            "{id} in Finnish on {page}"
        );
        assert!(
            !html.contains(&format!(">{english}<")),
            "{id} not in English on {page}"
        );
    };

    let search = finnish_page("/search?topic=personnel").await;
    shows_in_finnish("the search page", &search, "topic-personnel", "Personnel");

    app.create_organisation(
        "kotipolku",
        "FI",
        &[("kaisa", mutual::organisations::MemberRole::Editor)],
    )
    .await;
    app.log_in("kaisa").await;
    let org_form = finnish_page("/organisations/new").await;
    shows_in_finnish("the organisation form", &org_form, "country-FI", "Finland");
    shows_in_finnish(
        "the organisation form",
        &org_form,
        "people-older-people",
        "Older people who need assistance",
    );
    shows_in_finnish(
        "the organisation form",
        &org_form,
        "topic-housing",
        "Housing",
    );
    assert!(
        org_form.contains(&format!(
            ">{} (Yhdistynyt kuningaskunta)<",
            message("fi", "country-GB-SCT")
        )),
        "the UK nations named with their state in Finnish"
    );
    let organisation = finnish_page("/organisations/kotipolku").await;
    shows_in_finnish(
        "the organisation page",
        &organisation,
        "country-FI",
        "Finland",
    );

    let story_form = finnish_page("/organisations/kotipolku/stories/new").await;
    shows_in_finnish(
        "the story form",
        &story_form,
        "choice-voice-told-with",
        "Told with the person",
    );
    shows_in_finnish(
        "the story form",
        &story_form,
        "practice-matching-staff",
        "Matching staff to people",
    );
    let guide_form = finnish_page("/organisations/kotipolku/guides/new").await;
    shows_in_finnish(
        "the guide form",
        &guide_form,
        "choice-stage-delivery",
        "Delivering support",
    );
    let isf_form = finnish_page("/organisations/kotipolku/isf-templates/new").await;
    shows_in_finnish("the ISF form", &isf_form, "choice-unit-night", "per night");
    shows_in_finnish(
        "the ISF form",
        &isf_form,
        "choice-line-kind-travel",
        "Travel",
    );
}

/// The English texts the code writes for people (validation errors, error page messages)
/// as `i18n::english_message_id` finds them in the catalogues: the text of every
/// `field_error`, `problem`, `bad_request`, `AppError::Forbidden` and `TooManyRequests`
/// call with a literal message, every literal with `{ $name }` placeables, and the
/// user-facing `#[error("…")]` texts of the errors pages show.
fn english_texts_in_code() -> BTreeMap<String, String> {
    const CALLS: &[(&str, usize)] = &[
        ("field_error_with(", 1),
        ("field_error(", 1),
        ("problem_with(", 1),
        ("problem(", 1),
        ("bad_request(", 1),
        ("AppError::Forbidden(", 0),
        ("TooManyRequests(", 0),
    ];
    const ERRORS_SHOWN_ON_PAGES: &[&str] =
        &["accounts/mod.rs", "organisations/mod.rs", "web/error.rs"];
    let placeables =
        Regex::new(r#""((?:[^"\\\n]|\\.)*\{ \$[a-z_]+ \}(?:[^"\\\n]|\\.)*)""#).expect("regex");
    let error_attribute = Regex::new(r#"#\[error\(\s*"((?:[^"\\]|\\.)*)"\s*\)\]"#).expect("regex");
    let mut found = BTreeMap::new();
    let mut files = Vec::new();
    rust_files(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("server/src")
            .as_path(),
        &mut files,
    );
    for file in files {
        let name = file.to_string_lossy().replace('\\', "/");
        // `mutual config check` talks to hosts in English, through a `problem` of its own.
        if name.ends_with("/config.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&file).expect("read source");
        let source = match source.find("#[cfg(test)]") {
            Some(cut) => &source[..cut],
            None => &source[..],
        };
        for (call, position) in CALLS {
            for (start, _) in source.match_indices(call) {
                let before = source[..start].chars().next_back().unwrap_or(' ');
                if before.is_alphanumeric() || before == '_' {
                    continue;
                }
                let arguments = call_arguments(&source[start + call.len()..]);
                if let Some(text) = arguments.get(*position).and_then(|a| string_literal(a)) {
                    found.insert(text, name.clone());
                }
            }
        }
        for text in placeables.captures_iter(source) {
            found.insert(unescape(&text[1]), name.clone());
        }
        if ERRORS_SHOWN_ON_PAGES.iter().any(|f| name.ends_with(f)) {
            for text in error_attribute.captures_iter(source) {
                let text = unescape(&text[1]);
                if !text.contains('{') && text.starts_with(char::is_uppercase) {
                    found.insert(text, name.clone());
                }
            }
        }
    }
    found
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level arguments of a call, from just after its `(` to its `)`.
fn call_arguments(after_paren: &str) -> Vec<String> {
    let mut arguments = Vec::new();
    let mut current = String::new();
    let (mut depth, mut in_string, mut escaped) = (0i32, false, false);
    for c in after_paren.chars() {
        if in_string {
            current.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                current.push(c);
            }
            '(' | '[' | '{' => {
                depth += 1;
                current.push(c);
            }
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => {
                depth -= 1;
                current.push(c);
            }
            ',' if depth == 0 => arguments.push(std::mem::take(&mut current).trim().to_string()),
            _ => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        arguments.push(current.trim().to_string());
    }
    arguments
}

/// The text of an argument that is a plain string literal (perhaps followed by
/// `.into()` or `.to_string()`).
fn string_literal(argument: &str) -> Option<String> {
    let rest = argument.strip_prefix('"')?;
    let mut end = None;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => {
                end = Some(i);
                break;
            }
            _ => {}
        }
    }
    Some(unescape(&rest[..end?]))
}

fn unescape(text: &str) -> String {
    text.replace("\\\"", "\"").replace("\\\\", "\\")
}

#[test]
fn every_english_message_in_the_code_is_in_the_catalogues() {
    let texts = english_texts_in_code();
    assert!(
        texts.len() > 100,
        "the scan should find the code's messages, found {}",
        texts.len()
    );
    let en = Catalogues::get()
        .catalogue(DEFAULT_LANGUAGE)
        .expect("English");
    let mut problems = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (text, file) in &texts {
        let id = mutual::i18n::english_message_id(text);
        if let Some(other) = ids.insert(id.clone(), text.clone()) {
            problems.push(format!("{id} stands for two texts: {other:?} and {text:?}"));
        }
        // The catalogue's text with each variable shown as the code writes it.
        let variables = en.variables(&id);
        let mut args = FluentArgs::new();
        for name in &variables {
            args.set(name.clone(), format!("{{ ${name} }}"));
        }
        match en.format(&id, Some(&args)) {
            Some(catalogued) if catalogued == *text => {}
            Some(catalogued) => problems.push(format!(
                "{file}: {id} reads {catalogued:?} in messages.ftl but {text:?} in the code"
            )),
            None => problems.push(format!("{file}: {text:?} is not in messages.ftl (as {id})")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_errors_and_error_pages_show_in_the_interface_language() {
    let app = spawn_app(Backend::Sqlite).await;
    // Sign-up with a password too short: the field's error, in the page's language.
    let (_, html) = post_form_in(
        &app,
        "/signup",
        "fi",
        &[
            ("username", "kaisa"),
            ("email", "kaisa@example.org"),
            ("password", "short"),
        ],
    )
    .await;
    let min = mutual::accounts::MIN_PASSWORD_CHARS.to_string();
    let english = format!("Use at least {min} characters. A few words together work well.");
    let finnish = mutual::i18n::english_in(
        "fi",
        "Use at least { $min } characters. A few words together work well.",
        &BTreeMap::from([("min".to_string(), min.clone())]),
    );
    assert_ne!(finnish, english);
    assert!(
        html.contains(&finnish),
        "the password error in Finnish:\n{html}"
    );
    assert!(!html.contains(&english), "not in English");

    // An error page: the heading and the message.
    let response = get_in(&app, "/no/such/page", "fi").await;
    assert_eq!(response.status().as_u16(), 404);
    let html = response.text().await.expect("body");
    assert!(
        html.contains("<html lang=\"fi\">"),
        "the error page is in Finnish:\n{html}"
    );
    assert!(html.contains(&message("fi", "msg-we-could-not-find-that-page")));
    assert!(!html.contains("We could not find that page."));
    let english = app.get_text("/no/such/page").await.1;
    assert!(
        english.contains("We could not find that page."),
        "English stays the default"
    );

    // The API keeps English messages, with the id a client can translate by.
    let response = get_in(&app, "/api/v1/search?sort=sideways", "fi").await;
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = response.json().await.expect("json");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Sort by relevance or date."),
        "{body}"
    );
}
