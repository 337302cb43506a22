//! Markdown to safe HTML. Every piece of HTML Mutual shows from people or peers passes
//! through [`sanitize`] (ammonia): no scripts, no event handlers, no `javascript:` or
//! `data:` links, no inline styles, no images (they can carry location metadata and
//! leak readers' addresses to other servers).

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{Options, Parser};

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .rm_tags(["img", "map", "area"])
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(Some("noopener noreferrer nofollow"))
            .strip_comments(true);
        builder
    })
}

/// Cleans untrusted HTML (our own rendered Markdown, or HTML from a peer).
pub fn sanitize(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// Renders Markdown and sanitises the result. Raw HTML inside the Markdown is allowed
/// through the parser but never past the sanitiser.
pub fn render(source: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(source, options));
    sanitize(&html)
}

/// Plain text from Markdown, for summaries, search and the anonymisation check.
pub fn plain_text(source: &str) -> String {
    strip_html(&render(source))
}

/// Text without any markup, for fields that are plain text (a remote name or summary).
pub fn strip_html(html: &str) -> String {
    let text = ammonia::Builder::empty().clean(html).to_string();
    // ammonia escapes text; undo the few entities it produces.
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_scripts_do_not() {
        let html = render("## Heading\n\nSome *text* and <script>alert(1)</script> [a link](https://example.org).");
        assert!(html.contains("<h2>Heading</h2>"));
        assert!(html.contains("<em>text</em>"));
        assert!(!html.contains("script"));
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
    }

    #[test]
    fn plain_text_strips_markup() {
        assert_eq!(plain_text("**Bold** & <b>tag</b>").trim(), "Bold & tag");
    }
}
