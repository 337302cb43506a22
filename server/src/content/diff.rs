//! Word-level differences between two revisions, as escaped HTML with `<ins>`/`<del>`.

use similar::{ChangeTag, TextDiff};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One segment of a diff, for templates and the API.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Segment {
    /// `same`, `added` or `removed`.
    pub change: &'static str,
    pub text: String,
}

pub fn words(old: &str, new: &str) -> Vec<Segment> {
    let diff = TextDiff::from_words(old, new);
    let mut segments: Vec<Segment> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Insert => "added",
            ChangeTag::Delete => "removed",
        };
        match segments.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(change.value()),
            _ => segments.push(Segment {
                change: kind,
                text: change.value().to_string(),
            }),
        }
    }
    segments
}

/// The diff as HTML: text escaped, additions in `<ins>`, removals in `<del>`.
pub fn words_html(old: &str, new: &str) -> String {
    words(old, new)
        .into_iter()
        .map(|s| match s.change {
            "added" => format!("<ins>{}</ins>", escape(&s.text)),
            "removed" => format!("<del>{}</del>", escape(&s.text)),
            _ => escape(&s.text),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_changed_words_only() {
        let html = words_html(
            "Recruit staff with the family.",
            "Recruit staff together with the person.",
        );
        assert!(html.contains("<ins>together </ins>"), "{html}");
        assert!(html.contains("<del>family.</del>"), "{html}");
        assert!(html.starts_with("Recruit staff "), "{html}");
    }

    #[test]
    fn escapes_markup() {
        let html = words_html("a", "a <script>");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }
}
