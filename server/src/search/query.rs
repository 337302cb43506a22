//! What both engines share about queries: how a typed query splits into words and quoted
//! phrases, which words allow typos and how many, and how a marked snippet becomes safe HTML.

/// Marks around matched words in [`super::Hit::snippet`]. Private-use characters, so they
/// cannot come from a document (document text has them removed) and survive HTML escaping.
pub const MARK_START: char = '\u{E000}';
pub const MARK_END: char = '\u{E001}';

/// Languages whose words are reduced to their stem (`banking` → `bank`), as BCP 47 primary
/// subtags. Text in any other language is still found by its words, folded (Czech `péče`
/// matches `pece`), with typo tolerance.
pub const STEMMED_LANGUAGES: &[&str] =
    &["en", "fr", "es", "fi", "sv", "el", "de", "it", "pt", "nl"];

/// A typed query, split.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Words outside quotes, in order.
    pub words: Vec<String>,
    /// Quoted phrases, each as its words.
    pub phrases: Vec<Vec<String>>,
    /// Whether the last word may be the start of a longer one (the person is still typing):
    /// true unless the query ends with a space or a closing quote.
    pub last_word_is_prefix: bool,
}

/// How many typos a word of this length tolerates: none below 5 letters, one from 5, two
/// from 9 (the same rule as Meilisearch's defaults that the issue names).
pub fn typo_budget(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Splits on anything that is not a letter or digit, the same way the index splits text.
pub fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn parse(text: &str) -> ParsedQuery {
    let mut parsed = ParsedQuery::default();
    let mut in_quotes = false;
    for (index, part) in text.split('"').enumerate() {
        // Parts alternate outside/inside quotes; an unclosed quote runs to the end.
        in_quotes = index % 2 == 1;
        let words = words_of(part);
        if in_quotes {
            if words.len() > 1 {
                parsed.phrases.push(words);
            } else {
                // A single quoted word is just a word, without typo tolerance being wrong.
                parsed.words.extend(words);
            }
        } else {
            parsed.words.extend(words);
        }
    }
    let closed_quote = text.trim_end().ends_with('"') && !in_quotes;
    parsed.last_word_is_prefix = !parsed.words.is_empty()
        && !text.ends_with(char::is_whitespace)
        && !closed_quote
        && !in_quotes
        && text
            .trim_end()
            .chars()
            .last()
            .is_some_and(char::is_alphanumeric);
    parsed
}

/// Removes the snippet marks from text about to be indexed, so only the engine places them.
pub fn strip_marks(text: &str) -> String {
    text.chars()
        .filter(|&c| c != MARK_START && c != MARK_END)
        .collect()
}

/// A marked snippet as HTML: everything escaped, the marks turned into `<mark>` elements.
pub fn snippet_html(snippet: &str) -> String {
    let mut html = String::with_capacity(snippet.len() + 16);
    let mut open = false;
    for c in snippet.chars() {
        match c {
            MARK_START if !open => {
                html.push_str("<mark>");
                open = true;
            }
            MARK_END if open => {
                html.push_str("</mark>");
                open = false;
            }
            MARK_START | MARK_END => {}
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            other => html.push(other),
        }
    }
    if open {
        html.push_str("</mark>");
    }
    html
}

/// The snippet without marks, for plain-text uses.
pub fn snippet_text(snippet: &str) -> String {
    strip_marks(snippet)
}

/// The first `max_chars` characters of `text`, cut at a word boundary when one is near,
/// with an ellipsis when anything was cut.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(space) if space > cut.len() / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_make_phrases_and_the_last_word_is_a_prefix_while_typing() {
        let parsed = parse("matching \"circle of support\" sta");
        assert_eq!(parsed.words, vec!["matching", "sta"]);
        assert_eq!(parsed.phrases, vec![vec!["circle", "of", "support"]]);
        assert!(parsed.last_word_is_prefix);
        assert!(!parse("staff ").last_word_is_prefix);
        assert!(!parse("\"bank hours\"").last_word_is_prefix);
        assert!(!parse("\"bank hours").last_word_is_prefix);
    }

    #[test]
    fn typo_budget_follows_word_length() {
        assert_eq!(typo_budget("bank"), 0);
        assert_eq!(typo_budget("hours"), 1);
        assert_eq!(typo_budget("recruitin"), 2);
        assert_eq!(typo_budget("péče"), 0);
    }

    #[test]
    fn snippets_escape_everything_but_the_marks() {
        let marked = format!("<script>{MARK_START}bank{MARK_END} & \"x\"");
        assert_eq!(
            snippet_html(&marked),
            "&lt;script&gt;<mark>bank</mark> &amp; &quot;x&quot;"
        );
        assert_eq!(
            snippet_html(&format!("{MARK_START}open")),
            "<mark>open</mark>"
        );
    }
}
