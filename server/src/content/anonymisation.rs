//! TEMPORARY STAND-IN while the real checker is written; replaced before commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Name,
}
impl Category {
    pub fn as_str(self) -> &'static str {
        "name"
    }
}
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Flag {
    pub start: usize,
    pub end: usize,
    pub category: Category,
    pub text: String,
    pub suggestion: String,
}
pub fn check(_text: &str, _pseudonym: Option<&str>) -> Vec<Flag> {
    Vec::new()
}
