//! Advisory identifying-detail checks for case stories.
//!
//! This module owns the heuristic scan that runs over a story's text before publication and
//! points at details that could identify the person in it: names, contact details, addresses,
//! exact dates and ages, ID numbers, named institutions and so on. Every finding is advice for
//! the author and the reviewer; nothing here blocks publication by itself, and a human reviewer
//! still reads every story.
//!
//! It is pure text processing: it stores nothing, and knows nothing of HTTP or the database.
//! The detectors are regular expressions, word lists and context cues (no named-entity model),
//! tuned for English, French, Czech, Finnish, Greek and Spanish.
//!
//! Offsets in [`Flag`] are counted in Unicode scalar values (`char`s), not bytes.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::{Captures, Regex};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// The fixed list of kinds of identifying detail the check looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Name,
    Email,
    Phone,
    Postcode,
    Address,
    Date,
    Age,
    IdNumber,
    Url,
    Handle,
    Institution,
    VehiclePlate,
}

const ALL_CATEGORIES: [Category; 12] = [
    Category::Name,
    Category::Email,
    Category::Phone,
    Category::Postcode,
    Category::Address,
    Category::Date,
    Category::Age,
    Category::IdNumber,
    Category::Url,
    Category::Handle,
    Category::Institution,
    Category::VehiclePlate,
];

impl Category {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Name => "name",
            Category::Email => "email",
            Category::Phone => "phone",
            Category::Postcode => "postcode",
            Category::Address => "address",
            Category::Date => "date",
            Category::Age => "age",
            Category::IdNumber => "id_number",
            Category::Url => "url",
            Category::Handle => "handle",
            Category::Institution => "institution",
            Category::VehiclePlate => "vehicle_plate",
        }
    }

    /// Every category, in declaration order.
    pub fn all() -> &'static [Category] {
        &ALL_CATEGORIES
    }

    /// Parses the snake_case name (surrounding spaces and case are ignored).
    pub fn parse(s: &str) -> Option<Category> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        ALL_CATEGORIES
            .iter()
            .copied()
            .find(|c| c.as_str() == wanted)
    }
}

/// One identifying detail found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// Offset of the first flagged character, counted in `char`s.
    pub start: usize,
    /// Offset just past the last flagged character, counted in `char`s.
    pub end: usize,
    pub category: Category,
    /// Exactly the flagged characters.
    pub text: String,
    /// A short plain-English instruction for the author.
    pub suggestion: String,
}

/// Scans `text` for identifying details.
///
/// `pseudonym` is the name the story already uses for its subject; it is never flagged, in any
/// letter case. The result is sorted by `start` and no two flags overlap: when detectors
/// disagree the more specific, longer finding wins.
pub fn check(text: &str, pseudonym: Option<&str>) -> Vec<Flag> {
    let pseudonym = pseudonym.map(str::trim).filter(|p| !p.is_empty());
    let mut cands = Vec::new();
    detect_emails(text, &mut cands);
    detect_urls(text, &mut cands);
    detect_handles(text, &mut cands);
    detect_phones_and_nhs(text, &mut cands);
    detect_ids(text, &mut cands);
    detect_postcodes(text, &mut cands);
    detect_addresses(text, &mut cands);
    detect_dates(text, &mut cands);
    detect_ages(text, &mut cands);
    detect_institutions(text, &mut cands);
    detect_plates(text, &mut cands);
    let protected = pseudonym_ranges(text, pseudonym);
    detect_names(text, pseudonym, &protected, &mut cands);

    let chosen = resolve(text, cands, pseudonym);
    build_flags(text, chosen)
}

// ---------------------------------------------------------------------------------------------
// Candidates and overlap resolution
// ---------------------------------------------------------------------------------------------

/// A finding in byte offsets, before overlaps are resolved.
#[derive(Debug, Clone)]
struct Cand {
    start: usize,
    end: usize,
    cat: Category,
    /// Specificity: higher wins between overlapping findings of equal length.
    tier: u8,
    /// Extra information for the suggestion.
    note: Note,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Note {
    None,
    AgeOver89,
}

const TIER_EMAIL: u8 = 12;
const TIER_URL: u8 = 11;
const TIER_ID_STRUCTURED: u8 = 10;
const TIER_ID_CUE: u8 = 9;
const TIER_PHONE: u8 = 8;
const TIER_DATE: u8 = 7;
const TIER_POSTCODE: u8 = 6;
const TIER_PLATE: u8 = 6;
const TIER_ID_GENERIC: u8 = 5;
const TIER_ADDRESS: u8 = 4;
const TIER_INSTITUTION: u8 = 4;
const TIER_AGE: u8 = 3;
const TIER_HANDLE: u8 = 2;
const TIER_NAME: u8 = 1;

fn push(out: &mut Vec<Cand>, text: &str, start: usize, end: usize, cat: Category, tier: u8) {
    push_note(out, text, start, end, cat, tier, Note::None);
}

fn push_note(
    out: &mut Vec<Cand>,
    text: &str,
    start: usize,
    end: usize,
    cat: Category,
    tier: u8,
    note: Note,
) {
    // Trim surrounding whitespace and closing punctuation that regexes may have swallowed.
    let Some(slice) = text.get(start..end) else {
        return;
    };
    let lead = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if trimmed.is_empty() {
        return;
    }
    let start = start + lead;
    let end = start + trimmed.len();
    out.push(Cand {
        start,
        end,
        cat,
        tier,
        note,
    });
}

fn resolve(text: &str, mut cands: Vec<Cand>, pseudonym: Option<&str>) -> Vec<Cand> {
    // Names are the least certain detector: any other finding beats an overlapping name.
    // Otherwise the longer finding wins, then the more specific one.
    cands.sort_by(|a, b| {
        let a_name = a.cat == Category::Name;
        let b_name = b.cat == Category::Name;
        a_name
            .cmp(&b_name)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(b.tier.cmp(&a.tier))
            .then(a.start.cmp(&b.start))
    });
    let pseudo_folded = pseudonym.map(fold);
    let mut chosen: Vec<Cand> = Vec::new();
    for c in cands {
        if chosen.iter().any(|k| c.start < k.end && k.start < c.end) {
            continue;
        }
        if let (Some(p), Some(t)) = (&pseudo_folded, text.get(c.start..c.end)) {
            if fold(t) == *p {
                continue;
            }
        }
        chosen.push(c);
    }
    chosen.sort_by_key(|c| (c.start, c.end));
    chosen
}

fn build_flags(text: &str, chosen: Vec<Cand>) -> Vec<Flag> {
    // Byte offset -> char offset.
    let mut char_at = vec![0usize; text.len() + 1];
    let mut n = 0;
    for (b, ch) in text.char_indices() {
        for slot in char_at.iter_mut().skip(b).take(ch.len_utf8()) {
            *slot = n;
        }
        n += 1;
    }
    if let Some(last) = char_at.last_mut() {
        *last = n;
    }

    let mut people: Vec<(Vec<String>, String)> = Vec::new();
    let mut flags = Vec::with_capacity(chosen.len());
    for c in chosen {
        let Some(t) = text.get(c.start..c.end) else {
            continue;
        };
        let suggestion = match c.cat {
            Category::Name => {
                let label = person_label(&mut people, t);
                format!("Replace with a pseudonym such as '{label}' and use it every time")
            }
            Category::Institution => institution_suggestion(t),
            Category::Age if c.note == Note::AgeOver89 => {
                "Say '90 or over' instead of the exact age".to_string()
            }
            other => static_suggestion(other).to_string(),
        };
        flags.push(Flag {
            start: char_at.get(c.start).copied().unwrap_or(0),
            end: char_at.get(c.end).copied().unwrap_or(n),
            category: c.cat,
            text: t.to_string(),
            suggestion,
        });
    }
    flags
}

/// Gives the same label to the same person: "Mary" after "Mary Jones" (or before it) reuses
/// the label, while "Mary Smith" gets a new one.
fn person_label(people: &mut Vec<(Vec<String>, String)>, name: &str) -> String {
    let tokens: Vec<String> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|t| !t.is_empty())
        .map(fold)
        .collect();
    let subset = |a: &[String], b: &[String]| a.iter().all(|t| b.iter().any(|u| same_name(t, u)));
    for (known, label) in people.iter_mut() {
        if subset(&tokens, known) || subset(known, &tokens) {
            if tokens.len() > known.len() {
                *known = tokens.clone();
            }
            return label.clone();
        }
    }
    let label = format!("Person {}", letters(people.len()));
    people.push((tokens, label.clone()));
    label
}

/// Whether two folded name tokens are the same name in different grammatical forms
/// ("γιωργο" and "γιωργοσ", "jany" and "jana").
fn same_name(a: &str, b: &str) -> bool {
    a == b
        || name_forms(a).iter().any(|f| f == b)
        || name_forms(b).iter().any(|f| f == a)
        || inflection_variants(a).iter().any(|f| f == b)
        || inflection_variants(b).iter().any(|f| f == a)
}

fn letters(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (i % 26) as u8));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.iter().rev().collect()
}

fn static_suggestion(cat: Category) -> &'static str {
    match cat {
        Category::Name => "Replace with a pseudonym and use it every time",
        Category::Email => "Remove the email address",
        Category::Phone => "Remove the phone number",
        Category::Postcode => {
            "Remove the postcode; name at most a broad area, e.g. 'in the north of England'"
        }
        Category::Address => "Remove the address; describe it generally, e.g. 'a flat in town'",
        Category::Date => "Give only the year or a season, e.g. 'in 2019'",
        Category::Age => "Use an age band such as '30-49'",
        Category::IdNumber => "Remove this identifying number entirely",
        Category::Url => "Remove the web address; it can lead back to the person",
        Category::Handle => "Remove the social media handle",
        Category::Institution => "Describe it without its name, e.g. 'a special school'",
        Category::VehiclePlate => "Remove the registration number",
    }
}

fn institution_suggestion(t: &str) -> String {
    let f = fold(t);
    let has = |keys: &[&str]| keys.iter().any(|k| f.contains(k));
    let example = if has(&[
        "hospital",
        "infirmary",
        "hopital",
        "nemocnic",
        "sairaal",
        "νοσοκομει",
        "clinic",
        "klinik",
        "κλινικ",
        "surgery",
    ]) {
        "a hospital"
    } else if has(&[
        "care home",
        "nursing home",
        "palveluko",
        "palvelukod",
        "hoitoko",
        "domov",
    ]) {
        "a care home"
    } else if has(&[
        "day centre",
        "day center",
        "stacionar",
        "toimintakesk",
        "centro de dia",
    ]) {
        "a day centre"
    } else if has(&[
        "church",
        "chapel",
        "mosque",
        "synagogue",
        "temple",
        "eglise",
        "kostel",
    ]) {
        "a place of worship"
    } else if has(&["universit", "college", "yliopist", "πανεπιστημ", "colegio"]) {
        "a college"
    } else if has(&["club"]) {
        "a local club"
    } else {
        "a special school"
    };
    format!("Describe it without its name, e.g. '{example}'")
}

// ---------------------------------------------------------------------------------------------
// Regex helpers
// ---------------------------------------------------------------------------------------------

/// Defines one lazily compiled regex per function. A pattern that fails to compile yields
/// `None` and its detector is skipped (a unit test checks that every pattern compiles).
macro_rules! lazy_regexes {
    ($($name:ident = $pat:expr;)*) => {
        $(
            fn $name() -> Option<&'static Regex> {
                static CELL: OnceLock<Option<Regex>> = OnceLock::new();
                CELL.get_or_init(|| Regex::new($pat).ok()).as_ref()
            }
        )*
        #[cfg(test)]
        const ALL_REGEXES: &[(&str, fn() -> Option<&'static Regex>)] =
            &[$((stringify!($name), $name as fn() -> Option<&'static Regex>)),*];
    };
}

macro_rules! en_months {
    () => {
        "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
    };
}

macro_rules! other_months {
    () => {
        concat!(
            // French
            "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|",
            // Czech (genitive, as used in dates)
            "ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince|",
            // Finnish (partitive, as used in dates)
            "tammikuuta|helmikuuta|maaliskuuta|huhtikuuta|toukokuuta|kesäkuuta|heinäkuuta|elokuuta|syyskuuta|lokakuuta|marraskuuta|joulukuuta|",
            // Spanish
            "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|",
            // Greek (genitive, formal and colloquial)
            "Ιανουαρίου|Φεβρουαρίου|Μαρτίου|Απριλίου|Μαΐου|Μαίου|Ιουνίου|Ιουλίου|Αυγούστου|Σεπτεμβρίου|Οκτωβρίου|Νοεμβρίου|Δεκεμβρίου|",
            "Γενάρη|Φλεβάρη|Μάρτη|Απρίλη|Μάη|Ιούνη|Ιούλη|Σεπτέμβρη|Οκτώβρη|Νοέμβρη|Δεκέμβρη"
        )
    };
}

/// A capitalised word, including hyphenated and apostrophe forms (Saint-Louis, O'Brien).
macro_rules! cap_word {
    () => {
        r"\p{Lu}[\p{L}\p{M}'’-]*"
    };
}

lazy_regexes! {
    re_email = r"(?i)\b[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}\b";
    re_url = r#"(?i)\b(?:https?://|www\.)[^\s<>"'()\[\]{}]+"#;
    re_bare_domain = r"(?i)\b[\p{L}\p{N}][\p{L}\p{N}-]*(?:\.[\p{L}\p{N}-]+)*\.(?:org|com|net|gov|edu|info|io|uk|fi|cz|fr|es|gr|eu|ie|de|us|ca)\b(?:/[^\s<>]*)?";
    re_handle = r"(?:^|[^\p{L}\p{N}_.@/])(@[\p{L}\p{N}_](?:[\p{L}\p{N}_.]*[\p{L}\p{N}_])?)";

    re_phone_intl = r"(?:\+|\b00\s?)[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,6}";
    re_phone_zero = r"\b0[1-9]\d{0,3}(?:[ .-]?\d{2,4}){1,4}\b";
    re_phone_bracket = r"\(\d{2,5}\)\s?\d{3,4}[ .-]?\d{3,4}\b";
    re_phone_nanp = r"\b[2-9]\d{2}[.-]\d{3}[.-]\d{4}\b";
    re_phone_333 = r"\b[1-9]\d{2} \d{3} \d{3}\b";
    re_phone_pairs = r"\b[6-9]\d{2}(?: \d{2}){3}\b";
    re_phone_cue = r"(?i)\b(?:phone|tel|telephone|mobile|puh|puhelin|tél|téléphone|portable|telefon|mobil|τηλ|τηλέφωνο|κινητό|teléfono|móvil)\.?(?:\s+(?:number|no\.?|nr\.?|numero|numéro|číslo|αριθμός))?\s*[:.]?\s*(\+?\(?\d[\d ().-]{5,}\d)";
    re_digit_run = r"\+?\(?\d[\d ().-]*\d";
    re_nhs_shaped = r"\b\d{3} \d{3} \d{4}\b|\b\d{10}\b";
    re_phone_cue_before = r"(?i)(?:phone|\btel\b|\btel\.|telephone|mobile|\bcell|\bcall|\bring\b|\btext\b|whatsapp|\bfax|\bpuh|puhelin|soita|numerosta|numeroon|téléphone|\btél|portable|appel|joignable|telefon|volej|mobil|τηλ|κινητ|teléfono|móvil|movil|llam|llám)";
    re_id_cue_before = r"(?i)\b(?:nhs|chi|health|patient|hospital\s+number|client|case|ref|reference|id|identifier|amka|αμκα|henkilötunnus|hetu|dni|ssn)\b";
    re_money_before = r"(?i)(?:[£$€¥]|\b(?:eur|gbp|usd|czk|kč))\s*$";
    re_money_after = r"(?i)^\s*(?:[£$€¥]|(?:eur|euro|euros|gbp|usd|czk|kč|korun|koruna|koruny|pounds?|dollars?|pence|p\b))";

    re_ssn = r"\b\d{3}-\d{2}-\d{4}\b";
    re_hetu = r"\b(\d{2})(\d{2})\d{2}[-+A-FYXWVU]\d{3}[0-9A-FHJ-NPR-Y]\b";
    re_czech_birth = r"\b\d{6}/\d{3,4}\b";
    re_dni = r"\b(?:\d{8}-?[A-HJ-NP-TV-Z]|[XYZ]-?\d{7}-?[A-HJ-NP-TV-Z])\b";
    re_uk_ni = r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b";
    re_id_cue = r"(?i)(?:\b(?:case|file|ref|reference|client|patient|hospital\s+(?:number|no)|customer|member|membership|student|account|claim|policy|passport|licen[cs]e|nhs|chi|record|tenancy|dossier|numéro|číslo|spisová\s+značka|asiakasnumero|henkilötunnus|hetu|viitenumero|viite|expediente|número|dni|nie|nif|nss|amka|αμκα|αφμ|αριθμός|ssn|social\s+security|sécurité\s+sociale|rodné\s+číslo)\b|n°|nº)(?:\s+(?:no\.?|nr\.?|num\.?|number|id|ref|reference|code|de\s+sécurité\s+sociale|de\s+dossier|de\s+expediente|is|was|es|est|je|on|είναι|του|της))*\s*[:#.]?\s*((?-i:[A-Z]{1,4})[-/]?\d[\d/-]*\d|\d+(?:[ /-]\d+)*(?-i:[A-Z])?)";
    re_long_digits = r"\b\d+(?:[ -]\d+)*\b";

    re_uk_postcode = r"\b(?:[A-PR-UWYZ](?:\d[\dA-HJKPS-UW]?|[A-HK-Y]\d[\dABEHMNPRV-Y]?) ?\d[ABD-HJLNP-UW-Z]{2})\b";
    re_ca_postcode = r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b";
    re_us_zip_state = r"\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY),? +(\d{5}(?:-\d{4})?)\b";
    re_zip_cue = r"(?i)\b(?:zip(?:\s?code)?|postal\s+code|post\s?code)\s*:?\s*(\d{5}(?:-\d{4})?)\b";
    re_eu_postcode_place = concat!(r"\b(\d{5}|\d{3} \d{2})\s+(", cap_word!(), ")");
    re_eu_postcode_cue = r"(?i)(?:\bpsč|\bpostinumero|\bcode\s+postal|\bc\.\s?p\.|\bcp|\bt\.\s?k\.|\bτ\.\s?κ\.|ταχυδρομικός\s+κώδικας)\s*:?\s*(\d{5}|\d{3} \d{2})\b";

    re_addr_flat = r"\b(?:Flat|Apartment|Apt\.?|Unit|Suite)\s+\d{1,4}[A-Za-z]?\b";
    re_addr_en = concat!(
        r"\b(?:\d{1,4}[A-Za-z]?/)?(\d{1,4}[A-Za-z]?),?\s+(?:", cap_word!(), r"\s+){1,3}",
        r"(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Drive|Close|Way|Place|Crescent|Court|Gardens|Terrace|Grove|Square|Row|Hill|Park|Walk|Mews|Boulevard|Parade|View|Rise|Green|Wharf|Yard|Gate)\b"
    );
    re_addr_fr = concat!(
        r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours|square)\s+",
        r"(?:(?:de|du|des|la|le|les|l['’]|d['’])\s*)*", cap_word!(),
        r"(?:\s+(?:(?:de|du|des|la|le|les|l['’]|d['’])\s*)?", cap_word!(), ")*"
    );
    re_addr_es = concat!(
        r"(?i:\b(?:calle|avenida|avda\.?|plaza|paseo|camino|carrera|ronda|travesía|carretera)|\bc/)\s+",
        r"(?:(?:de|del|la|las|los|el)\s+)*", cap_word!(),
        r"(?:\s+(?:(?:de|del|la|las|los|el)\s+)*", cap_word!(), r")*",
        r",?\s+(?:(?:n\.?º|nº|núm\.?|número)\s*)?\d{1,4}[A-Za-z]?\b"
    );
    re_addr_el = concat!(
        r"(?i:\b(?:οδός|οδό|οδού|λεωφόρος|λεωφόρο|λεωφόρου|λεωφ\.|πλατεία|πλατείας))\s+",
        r"\p{Lu}[\p{L}\p{M}]*(?:\s+\p{Lu}[\p{L}\p{M}]*)*\s+\d{1,4}\b"
    );
    re_addr_fi = r"\b\p{Lu}\p{Ll}+(?:tie|katu|kuja|polku|väylä|tori|ranta|rinne|kaari|raitti|puisto|mäki|aukio)\s+\d{1,4}(?:\s?[A-H](?:\s?\d{1,3})?)?\b";
    re_addr_cz = concat!(
        r"(?:(?i:\bulic[ei]|\bul\.|\btřída|\btřídě|\bnáměstí|\bnábřeží)\s+", cap_word!(), r"(?:\s+", cap_word!(), r")*",
        r"|\b\p{Lu}\p{Ll}+(?:ská|cká|ní|ova))\s+\d{1,4}(?:/\d{1,4}[a-z]?)?\b"
    );

    re_date_dmy = concat!(
        r"\b(\d{1,2})(?:st|nd|rd|th|er|re|º|\.)?\s+(?:of\s+|de\s+)?(?:", en_months!(), "|(?i:", other_months!(), r"))\b",
        r"(?:,?\s+(?:de\s+|del\s+)?(\d{4})\b)?"
    );
    re_date_mdy = concat!(
        r"\b(?:", en_months!(), r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?"
    );
    re_date_numeric = r"\b(\d{1,2})([./-])(\d{1,2})([./-])(\d{4}|\d{2})\b";
    re_date_spaced = r"\b(\d{1,2})\. (\d{1,2})\. ?(\d{4})\b";
    re_date_iso = r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b";

    re_age_en = r"(?i)\b(?:aged|age(?:\s+of)?|ages)\s+(\d{1,3})(?:\s*(?:-|–|to)\s*(\d{1,3}))?";
    re_age_years_old = r"(?i)\b(\d{1,3})(?:\s*(?:-|–|to)\s*(\d{1,3}))?(?:[\s-]+(?:years?|yrs?)[\s-]+old\b|-years?-old\b|\s?(?:y/o|yo)\b)";
    re_age_bare = r"(?i)\b(?:now|turned|turns|turning|(?:who|she|he|they|i)\s+(?:is|was|are|were|am)(?:\s+now)?)\s+(\d{1,3})(?:[,.;)]|$)";
    re_age_at = r"(?i)\bat\s+(\d{1,3})\b";
    re_age_fr = r"(?i)(?:\b(?:il|elle|on|qui|tu|ils|elles|nous)\s+(?:a|avait|aura|aurait|ont|avaient)\s+|\bj['’]ai\s+|\bâgée?s?\s+de\s+|\b(?:homme|femme|garçon|fille|enfant|jeune|adulte|personne)\s+de\s+|\bà\s+|,\s*)(\d{1,3}\s+ans)\b";
    re_age_cz = r"(?i)(?:\b(?:je|bylo|bude|byl|byla)\s+(?:mu|jí|jim|mi|ti)\s+|\bve\s+věku\s+|,\s*)(\d{1,3}\s+(?:let|roků|lety|rok|roky))\b|\b\d{1,3}\s?-?let(?:ý|á|é|ého|ou|ému)\b";
    re_age_fi = r"(?i)\b\d{1,3}\s?-?\s?vuotia\p{L}*|\b\d{1,3}\s+vuotta\s+vanha\p{L}*";
    re_age_es = r"(?i)(?:\b(?:tiene|tenía|tendrá|tengo|tenga|cumplió|cumple|cumplirá)\s+|\ba\s+los\s+|\bcon\s+|,\s*(?:de\s+)?|\b(?:hombre|mujer|niño|niña|chico|chica|joven|persona|hijo|hija)\s+de\s+)(\d{1,3}\s+años)\b";
    re_age_el = r"(?i)\b(\d{1,3}\s+(?:ετών|χρονών|χρονώ))|\bηλικίας\s+(\d{1,3})\b";
    re_age_decade = r"(?i)\bin\s+(?:his|her|their|my|your)\s+(nineties|(?:9|1[01])0s|(?:9|1[01])0['’]s)\b";

    re_inst_en = concat!(
        r"\b((?:", cap_word!(), r"\s+){1,4})",
        r"(School|Academy|College|University|Hospital|Infirmary|Clinic|Surgery|Hospice|Nursery|Church|Chapel|Cathedral|Mosque|Synagogue|Temple|Gurdwara|Centre|Center|Club|Home|House|Lodge|Institute|Practice)\b"
    );
    re_inst_en_of = concat!(
        r"\b(?:University|College|Hospital|Academy|Institute|School|Church|Cathedral)\s+(?:of|for)\s+(?:the\s+)?(",
        cap_word!(), r"(?:\s+", cap_word!(), r")*)"
    );
    re_inst_fr = concat!(
        r"\b(?:(?i:école|ecole|lycée|lycee|hôpital|hopital|clinique|ehpad|foyer|institut|ime|esat|église|eglise|université|universite|maison|résidence|collège|chu|centre\s+hospitalier)|College|Centre|Association|Residence)\s+(",
        r"(?:(?:de|du|des|la|le|les|l['’]|d['’])\s*)*", cap_word!(),
        r"(?:\s+(?:(?:de|du|des|la|le|les|l['’]|d['’])\s*)?", cap_word!(), r")*)"
    );
    re_inst_es = concat!(
        r"\b(?:Hospital|Colegio|Escuela|Instituto|Clínica|Clinica|Centro|Residencia|Universidad|Iglesia|Parroquia|Fundación|Asociación|CEIP|IES)\s+(",
        r"(?:(?:de|del|la|las|los|el|San|Santa|Santo|Nuestra|Señora|Universitario|General|Público|Privado|Concertado)\s+)*", cap_word!(),
        r"(?:\s+(?:(?:de|del|la|las|los|el)\s+)*", cap_word!(), r")*)"
    );
    re_inst_cz = concat!(
        r"(?i:\b(?:fakultní\s+nemocnic\w*|nemocnic\w*|základní\s+škol\w*|mateřsk\w*\s+škol\w*|škol[aeyuo]\w*|zš|mš|gymnázi\w*|domov\w*|ústav\w*|klinik\w*|univerzit\w*|kostel\w*|stacionář\w*|centrum|centru|centra))",
        r"\s+(?:(?:v|na|u|sv\.)\s+)?(", cap_word!(), r"(?:\s+", cap_word!(), r")*)"
    );
    re_inst_fi = r"\b(\p{Lu}[\p{L}\p{M}-]*n)\s+(?:yliopist|ammattikorkeakoulu|korkeakoulu|koulu|sairaal|keskussairaal|palvelukot|palvelukod|hoitokot|hoitokod|päiväkot|päiväkod|palvelutal|toimintakesk|asumisyksik|kirkko|kirkon|kirkossa|seurakunn|seurakunt|terveysasem|terveyskesk|opist|lukio|klinik|kuntoutuskesk)\p{L}*";
    re_inst_el = concat!(
        r"(?:\b\d{1,3}(?:ο|ου|ης|η)\s+)?(?i:\b(?:νοσοκομεί\w*|σχολεί\w*|πανεπιστήμι\w*|κλινικ\w*|εκκλησί\w*|γυμνάσι\w*|λύκει\w*|ίδρυμ\w*|κέντρ\w*|γηροκομεί\w*))",
        r"(?:\s+(?:του|της|των|τον|την|το|Αγίου|Αγίας|Αγίων))*\s+(\p{Lu}[\p{L}\p{M}]*(?:\s+\p{Lu}[\p{L}\p{M}]*)*)"
    );

    re_plate = r"(?i:\b(?:registration|reg\.?|number\s+plate|licen[cs]e\s+plate|plate|rekisterinumero|rekisterikilpi|rekisteri|spz|rz|matrícula|matricula|immatriculation|plaque|πινακίδα))(?:\s+(?:number|no\.?|is|was|:|on|es|est|je|on|numero))*\s*:?\s*((?-i:[A-Z]{2}\d{2} ?[A-Z]{3}|[A-Z]\d{1,3} ?[A-Z]{3}|[A-Z]{3} ?\d{1,3}[A-Z]|[A-Z]{2,3}-\d{1,3}|\d[A-Z][A-Z0-9] ?\d{4}|\d{4} ?[A-Z]{3}|[Α-Ω]{3}-?\d{4}))\b";

    re_word = r"[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*";
    re_name_cue = concat!(
        r"(?:",
        // Titles (case-sensitive where the lower-case form is an ordinary word).
        r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Lady|Mme|Mlle|Mademoiselle|Madame|Monsieur|Sr|Sra|Srta|Dña|Doña|Don|Herra|Rouva)\.?",
        r"|\bM\.|(?i:\b(?:pan|paní|pane|slečna|slečno|κ|κος|κα|κύριος|κυρία|herra|rouva|neiti)\.?)",
        r"|(?i:(?:",
        // English relations and roles.
        r"\b(?:mother|father|mum|mom|dad|brother|sister|son|daughter|husband|wife|partner|boyfriend|girlfriend|fianc[ée]e?|grandmother|grandfather|grandson|granddaughter|gran|granny|grandma|nan|nana|grandad|granddad|grandpa|aunt|auntie|aunty|uncle|cousin|niece|nephew|friend|flatmate|housemate|neighbour|neighbor|carer|caregiver|teacher|tutor|worker|assistant|pa|advocate|colleague|manager|boss|coordinator|befriender|therapist|nurse|doctor|consultant|gp|named|called|nicknamed|known\s+as|name\s+is|name\s+was)",
        // French.
        r"|\b(?:frère|soeur|sœur|mère|père|fils|fille|mari|femme|épouse|époux|conjointe?|amie?|copain|copine|grand-mère|grand-père|mamie|papi|oncle|tante|cousine?|voisine?|éducat(?:eur|rice)|accompagnante?|aide|référente?|infirmière?|médecin|docteur|prénommée?|appelée?|nommée?|s['’]appel(?:le|ait))",
        // Czech.
        r"|\b(?:sestr[aouyě]|sestrou|bratr[aue]?|bratrem|bratrovi|matk[ayu]|máma|maminka|otec|táta|tatínek|syn[aue]?|synem|dcer[aye]|dcerou|manžel(?:ka|ky|kou)?|partner(?:ka)?|přítel|přítelkyně|babička|dědeček|děda|tet[ay]|strýc|asistent(?:ka|kou|em)?|kamarád(?:ka|kou|em)?|soused(?:ka)?|jménem|jmenuje\s+se|se\s+jmenuje|jmenoval[a]?\s+se)",
        // Finnish (possessive suffixes allowed).
        r"|\b(?:äiti|isä|veli|velje|sisko|sisar|poika|poja|tytär|tyttäre|vaimo|puoliso|ystävä|kaveri|avustaja|mummo|mummi|isoäiti|isoisä|vaari|täti|setä|serkku|naapuri|ohjaaja|hoitaja)\p{L}*|\beno|\bnimeltä(?:än)?",
        // Spanish.
        r"|\b(?:hermano|hermana|madre|padre|mamá|papá|hijo|hija|marido|esposo|esposa|pareja|novio|novia|amigo|amiga|abuela|abuelo|tío|tía|primo|prima|vecino|vecina|cuidador|cuidadora|asistente|educador|educadora|llamado|llamada|se\s+llama|se\s+llamaba)",
        // Greek.
        r"|(?:μητέρα|μαμά|πατέρας|μπαμπάς|αδελφός|αδερφός|αδελφό|αδερφό|αδελφή|αδερφή|γιος|γιο|κόρη|σύζυγος|σύζυγο|άντρας|άντρα|γυναίκα|φίλος|φίλο|φίλη|γιαγιά|παππούς|θεία|θείος|ξάδερφος|ξαδέρφη|βοηθός|βοηθό|ονόματι|λέγεται|λεγόταν|ονομάζεται)(?:\s+(?:του|της|τους|μου|σου|μας|σας))?",
        r")(?:\s+(?:is|was|est|était|je|byl|byla|oli|on|es|era|είναι|ήταν))?",
        r"))\s*,?\s*(?:(?:ο|η|τον|την|του|της)\s+)?$"
    );
}

fn caps(c: &Captures<'_>, i: usize) -> Option<(usize, usize)> {
    c.get(i).map(|m| (m.start(), m.end()))
}

fn digit_count(s: &str) -> usize {
    s.chars().filter(char::is_ascii_digit).count()
}

fn num(s: &str) -> Option<u32> {
    s.parse().ok()
}

/// Up to `n` chars of text before byte offset `pos`.
fn before(text: &str, pos: usize, n: usize) -> &str {
    let head = text.get(..pos).unwrap_or("");
    let start = head
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(0);
    head.get(start..).unwrap_or("")
}

fn after(text: &str, pos: usize) -> &str {
    text.get(pos..).unwrap_or("")
}

fn is_money(text: &str, start: usize, end: usize) -> bool {
    let b = before(text, start, 6);
    let a = after(text, end);
    // A decimal or thousands separator right before means this is part of a bigger number.
    let mut rev = b.chars().rev();
    let separated =
        matches!((rev.next(), rev.next()), (Some('.' | ','), Some(d)) if d.is_ascii_digit());
    separated
        || re_money_before().is_some_and(|r| r.is_match(b))
        || re_money_after().is_some_and(|r| r.is_match(a))
}

/// True when `text[..pos]` is inside a bigger number ("1 250 000": "250 000" is not a phone).
fn continues_number(text: &str, start: usize, end: usize) -> bool {
    let b: Vec<char> = before(text, start, 2).chars().collect();
    let prev_digit = matches!(b.as_slice(), [d, ' '] | [d, '.'] | [d, ','] if d.is_ascii_digit())
        || b.last().is_some_and(|c| c.is_ascii_digit());
    let a: Vec<char> = after(text, end).chars().take(2).collect();
    let next_digit = matches!(a.as_slice(), [' ', d, ..] | [',', d, ..] if d.is_ascii_digit());
    prev_digit || next_digit
}

fn is_year(s: &str) -> bool {
    s.len() == 4 && num(s).is_some_and(|y| (1900..=2099).contains(&y))
}

// ---------------------------------------------------------------------------------------------
// Contact details
// ---------------------------------------------------------------------------------------------

fn detect_emails(text: &str, out: &mut Vec<Cand>) {
    let Some(re) = re_email() else { return };
    for m in re.find_iter(text) {
        push(out, text, m.start(), m.end(), Category::Email, TIER_EMAIL);
    }
}

fn trim_url_end(s: &str) -> usize {
    let mut end = s.len();
    while let Some(c) = s[..end].chars().last() {
        if ".,;:!?)'\"»”’".contains(c) {
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    end
}

fn detect_urls(text: &str, out: &mut Vec<Cand>) {
    let mut covered: Vec<(usize, usize)> = Vec::new();
    if let Some(re) = re_url() {
        for m in re.find_iter(text) {
            let end = m.start() + trim_url_end(m.as_str());
            covered.push((m.start(), end));
            push(out, text, m.start(), end, Category::Url, TIER_URL);
        }
    }
    if let Some(re) = re_bare_domain() {
        for m in re.find_iter(text) {
            let prev = before(text, m.start(), 1);
            if prev.ends_with(['@', '.', '/', ':']) {
                continue;
            }
            if covered.iter().any(|(s, e)| m.start() < *e && *s < m.end()) {
                continue;
            }
            let end = m.start() + trim_url_end(m.as_str());
            push(out, text, m.start(), end, Category::Url, TIER_URL);
        }
    }
}

fn detect_handles(text: &str, out: &mut Vec<Cand>) {
    let Some(re) = re_handle() else { return };
    for c in re.captures_iter(text) {
        if let Some((s, e)) = caps(&c, 1) {
            if e - s >= 3 && !after(text, e).starts_with('@') {
                push(out, text, s, e, Category::Handle, TIER_HANDLE);
            }
        }
    }
}

/// NHS number check digit: weights 10..2 on the first nine digits, check = 11 - (sum mod 11),
/// where 11 becomes 0 and 10 means the number is invalid.
pub fn nhs_number_is_valid(s: &str) -> bool {
    let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 10
        || s.chars()
            .any(|c| !(c.is_ascii_digit() || c == ' ' || c == '-'))
    {
        return false;
    }
    let sum: u32 = d
        .iter()
        .take(9)
        .zip((2..=10).rev())
        .map(|(x, w)| x * w)
        .sum();
    let check = match 11 - (sum % 11) {
        11 => 0,
        10 => return false,
        c => c,
    };
    d.get(9) == Some(&check)
}

fn detect_phones_and_nhs(text: &str, out: &mut Vec<Cand>) {
    let simple: [(Option<&'static Regex>, usize, usize); 6] = [
        (re_phone_intl(), 8, 15),
        (re_phone_zero(), 9, 11),
        (re_phone_bracket(), 9, 11),
        (re_phone_nanp(), 10, 10),
        (re_phone_333(), 9, 9),
        (re_phone_pairs(), 9, 9),
    ];
    for (re, min, max) in simple {
        let Some(re) = re else { continue };
        for m in re.find_iter(text) {
            let mut digits = digit_count(m.as_str());
            if m.as_str().starts_with("00") {
                digits = digits.saturating_sub(2);
            }
            if digits < min || digits > max || is_money(text, m.start(), m.end()) {
                continue;
            }
            if !m.as_str().starts_with(['+', '0', '('])
                && continues_number(text, m.start(), m.end())
            {
                continue;
            }
            push(out, text, m.start(), m.end(), Category::Phone, TIER_PHONE);
        }
    }
    if let Some(re) = re_phone_cue() {
        for c in re.captures_iter(text) {
            if let Some((s, e)) = caps(&c, 1) {
                let digits = digit_count(&text[s..e]);
                if (7..=15).contains(&digits) && !is_money(text, s, e) {
                    push(out, text, s, e, Category::Phone, TIER_PHONE);
                }
            }
        }
    }
    // Any run of 9-15 digits shortly after a phone word ("Llámame al 91 123 45 67").
    if let Some(re) = re_digit_run() {
        for m in re.find_iter(text) {
            let digits = digit_count(m.as_str());
            if !(9..=15).contains(&digits) || is_money(text, m.start(), m.end()) {
                continue;
            }
            let ctx = before(text, m.start(), 30);
            let phone_cue = re_phone_cue_before().is_some_and(|r| r.is_match(ctx));
            let id_cue = re_id_cue_before().is_some_and(|r| r.is_match(ctx));
            if phone_cue && !id_cue {
                push(out, text, m.start(), m.end(), Category::Phone, TIER_PHONE);
            }
        }
    }
    // Ten digits, contiguous or spaced 3-3-4: an NHS number when the check digit is valid.
    if let Some(re) = re_nhs_shaped() {
        for m in re.find_iter(text) {
            if is_money(text, m.start(), m.end()) || continues_number(text, m.start(), m.end()) {
                continue;
            }
            let ctx = before(text, m.start(), 40);
            let phone_cue = re_phone_cue_before().is_some_and(|r| r.is_match(ctx));
            let id_cue = re_id_cue_before().is_some_and(|r| r.is_match(ctx));
            let (cat, tier) = if nhs_number_is_valid(m.as_str()) {
                if phone_cue && !id_cue {
                    (Category::Phone, TIER_PHONE)
                } else {
                    (Category::IdNumber, TIER_ID_STRUCTURED)
                }
            } else if id_cue && !phone_cue {
                (Category::IdNumber, TIER_ID_CUE)
            } else {
                (Category::Phone, TIER_PHONE)
            };
            push(out, text, m.start(), m.end(), cat, tier);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ID numbers
// ---------------------------------------------------------------------------------------------

fn detect_ids(text: &str, out: &mut Vec<Cand>) {
    for re in [re_ssn(), re_czech_birth(), re_dni(), re_uk_ni()]
        .into_iter()
        .flatten()
    {
        for m in re.find_iter(text) {
            push(
                out,
                text,
                m.start(),
                m.end(),
                Category::IdNumber,
                TIER_ID_STRUCTURED,
            );
        }
    }
    if let Some(re) = re_hetu() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(d), Some(mo)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let ok_day = num(d.as_str()).is_some_and(|v| (1..=31).contains(&v));
            let ok_month = num(mo.as_str()).is_some_and(|v| (1..=12).contains(&v));
            if ok_day && ok_month {
                push(
                    out,
                    text,
                    all.start(),
                    all.end(),
                    Category::IdNumber,
                    TIER_ID_STRUCTURED,
                );
            }
        }
    }
    if let Some(re) = re_id_cue() {
        for c in re.captures_iter(text) {
            let Some((s, e)) = caps(&c, 1) else { continue };
            let tok = &text[s..e];
            if digit_count(tok) < 4 || is_year(tok) || is_money(text, s, e) {
                continue;
            }
            push(out, text, s, e, Category::IdNumber, TIER_ID_CUE);
        }
    }
    // Long runs of digits (8 or more), possibly grouped by spaces or dashes.
    if let Some(re) = re_long_digits() {
        for m in re.find_iter(text) {
            let tok = m.as_str();
            if digit_count(tok) < 8 || is_money(text, m.start(), m.end()) {
                continue;
            }
            let groups: Vec<&str> = tok.split([' ', '-']).collect();
            if groups.iter().all(|g| is_year(g)) {
                continue; // 2013-2017
            }
            let thousands = groups.len() > 1
                && groups.first().is_some_and(|g| g.len() <= 3)
                && groups.iter().skip(1).all(|g| g.len() == 3);
            if thousands {
                continue; // 12 500 000
            }
            push(
                out,
                text,
                m.start(),
                m.end(),
                Category::IdNumber,
                TIER_ID_GENERIC,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Postcodes, addresses, vehicle plates
// ---------------------------------------------------------------------------------------------

fn detect_postcodes(text: &str, out: &mut Vec<Cand>) {
    for re in [re_uk_postcode(), re_ca_postcode()].into_iter().flatten() {
        for m in re.find_iter(text) {
            push(
                out,
                text,
                m.start(),
                m.end(),
                Category::Postcode,
                TIER_POSTCODE,
            );
        }
    }
    for re in [re_us_zip_state(), re_zip_cue(), re_eu_postcode_cue()]
        .into_iter()
        .flatten()
    {
        for c in re.captures_iter(text) {
            if let Some((s, e)) = caps(&c, 1) {
                push(out, text, s, e, Category::Postcode, TIER_POSTCODE);
            }
        }
    }
    if let Some(re) = re_eu_postcode_place() {
        for c in re.captures_iter(text) {
            let (Some((s, e)), Some(place)) = (caps(&c, 1), c.get(2)) else {
                continue;
            };
            let place = fold(place.as_str());
            if is_stopword_non_geo(&place)
                || is_nationality_word(&place)
                || is_money(text, s, e)
                || continues_number(text, s, e)
                || before(text, s, 1).ends_with(['.', ',', '/', '-', '+'])
            {
                continue;
            }
            push(out, text, s, e, Category::Postcode, TIER_POSTCODE);
        }
    }
}

fn detect_addresses(text: &str, out: &mut Vec<Cand>) {
    if let Some(re) = re_addr_flat() {
        for m in re.find_iter(text) {
            push(
                out,
                text,
                m.start(),
                m.end(),
                Category::Address,
                TIER_ADDRESS,
            );
        }
    }
    if let Some(re) = re_addr_en() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(n)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if is_year(n.as_str()) || is_money(text, all.start(), all.end()) {
                continue;
            }
            push(
                out,
                text,
                all.start(),
                all.end(),
                Category::Address,
                TIER_ADDRESS,
            );
        }
    }
    for re in [re_addr_fr(), re_addr_es(), re_addr_el(), re_addr_fi()]
        .into_iter()
        .flatten()
    {
        for m in re.find_iter(text) {
            push(
                out,
                text,
                m.start(),
                m.end(),
                Category::Address,
                TIER_ADDRESS,
            );
        }
    }
    if let Some(re) = re_addr_cz() {
        for m in re.find_iter(text) {
            // "Nováková 34 let" is an age, not an address.
            let rest = after(text, m.end()).trim_start();
            let unit = rest
                .split(|c: char| !c.is_alphanumeric() && c != '%')
                .next()
                .unwrap_or("");
            if matches!(
                unit,
                "let" | "lety" | "roků" | "rok" | "roky" | "%" | "km" | "minut" | "hodin" | "Kč"
            ) {
                continue;
            }
            push(
                out,
                text,
                m.start(),
                m.end(),
                Category::Address,
                TIER_ADDRESS,
            );
        }
    }
}

fn detect_plates(text: &str, out: &mut Vec<Cand>) {
    let Some(re) = re_plate() else { return };
    for c in re.captures_iter(text) {
        if let Some((s, e)) = caps(&c, 1) {
            push(out, text, s, e, Category::VehiclePlate, TIER_PLATE);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Dates and ages
// ---------------------------------------------------------------------------------------------

fn valid_day_month(a: u32, b: u32) -> bool {
    ((1..=31).contains(&a) && (1..=12).contains(&b))
        || ((1..=12).contains(&a) && (1..=31).contains(&b))
}

fn detect_dates(text: &str, out: &mut Vec<Cand>) {
    for re in [re_date_dmy(), re_date_mdy()].into_iter().flatten() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(day)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if !num(day.as_str()).is_some_and(|d| (1..=31).contains(&d)) {
                continue;
            }
            if before(text, all.start(), 1).ends_with(['.', ',', '£', '$', '€']) {
                continue;
            }
            push(out, text, all.start(), all.end(), Category::Date, TIER_DATE);
        }
    }
    if let Some(re) = re_date_numeric() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(a), Some(s1), Some(b), Some(s2), Some(y)) =
                (c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), c.get(5))
            else {
                continue;
            };
            let (Some(a), Some(b)) = (num(a.as_str()), num(b.as_str())) else {
                continue;
            };
            let year_ok = y.as_str().len() == 2 || is_year(y.as_str());
            let prev = before(text, all.start(), 1);
            let next = after(text, all.end());
            let embedded = prev.ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == '/')
                || next.starts_with(['/', '-'])
                || (next.starts_with('.') && next[1..].starts_with(|c: char| c.is_ascii_digit()));
            if s1.as_str() == s2.as_str() && year_ok && valid_day_month(a, b) && !embedded {
                push(out, text, all.start(), all.end(), Category::Date, TIER_DATE);
            }
        }
    }
    if let Some(re) = re_date_spaced() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(a), Some(b), Some(y)) = (c.get(0), c.get(1), c.get(2), c.get(3))
            else {
                continue;
            };
            let (Some(a), Some(b)) = (num(a.as_str()), num(b.as_str())) else {
                continue;
            };
            if (1..=31).contains(&a) && (1..=12).contains(&b) && is_year(y.as_str()) {
                push(out, text, all.start(), all.end(), Category::Date, TIER_DATE);
            }
        }
    }
    if let Some(re) = re_date_iso() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(y), Some(m), Some(d)) = (c.get(0), c.get(1), c.get(2), c.get(3))
            else {
                continue;
            };
            let (Some(m), Some(d)) = (num(m.as_str()), num(d.as_str())) else {
                continue;
            };
            if is_year(y.as_str()) && (1..=12).contains(&m) && (1..=31).contains(&d) {
                push(out, text, all.start(), all.end(), Category::Date, TIER_DATE);
            }
        }
    }
}

fn push_age(out: &mut Vec<Cand>, text: &str, s: usize, e: usize, age: Option<u32>) {
    let Some(age) = age else { return };
    if age > 120 {
        return;
    }
    let note = if age >= 90 {
        Note::AgeOver89
    } else {
        Note::None
    };
    push_note(out, text, s, e, Category::Age, TIER_AGE, note);
}

fn first_number(s: &str) -> Option<u32> {
    let d: String = s
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    num(&d)
}

fn detect_ages(text: &str, out: &mut Vec<Cand>) {
    // English "aged 34", "age 34", "34 years old", with bands ("aged 30-49") left alone
    // unless they reach 90.
    for re in [re_age_en(), re_age_years_old()].into_iter().flatten() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(first)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let low = num(first.as_str());
            match c.get(2) {
                Some(high) => {
                    let high = num(high.as_str());
                    if high.is_some_and(|h| h >= 90) {
                        push_age(out, text, all.start(), all.end(), high);
                    }
                }
                None => {
                    let rest = after(text, all.end()).trim_start().to_lowercase();
                    let aggregated = ["or over", "or older", "and over", "and older", "+", "plus"]
                        .iter()
                        .any(|p| rest.starts_with(p));
                    if !aggregated {
                        push_age(out, text, all.start(), all.end(), low);
                    }
                }
            }
        }
    }
    // "at 19," / "at 19 she ..." — only in clearly age-like positions.
    if let Some(re) = re_age_at() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(n)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let Some(age) = num(n.as_str()) else { continue };
            let rest = after(text, all.end());
            let next_word = rest
                .trim_start()
                .split(|ch: char| !ch.is_alphabetic())
                .next()
                .unwrap_or("")
                .to_lowercase();
            let punct =
                rest.starts_with([',', ';', ')']) || rest.starts_with(". ") || rest.is_empty();
            let pronoun = rest.starts_with(' ')
                && matches!(
                    next_word.as_str(),
                    "she" | "he" | "they" | "i" | "we" | "her" | "his" | "their" | "my"
                );
            if (13..=120).contains(&age) && (punct || pronoun) {
                push_age(out, text, all.start(), all.end(), Some(age));
            }
        }
    }
    // "Now 27, ...", "who is 91," — only the number is flagged.
    if let Some(re) = re_age_bare() {
        for c in re.captures_iter(text) {
            if let Some((s, e)) = caps(&c, 1) {
                let rest = after(text, e);
                if rest.starts_with('.') && rest[1..].starts_with(|ch: char| ch.is_ascii_digit()) {
                    continue; // a decimal: "is 1.5"
                }
                push_age(out, text, s, e, num(&text[s..e]).filter(|a| *a >= 1));
            }
        }
    }
    // Other languages: the flagged span is "N ans", "N let", "N años", "N ετών", "N-vuotias".
    for re in [re_age_fr(), re_age_cz(), re_age_es(), re_age_el()]
        .into_iter()
        .flatten()
    {
        for c in re.captures_iter(text) {
            let Some(span) = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(0)) else {
                continue;
            };
            let rest = after(text, span.end()).trim_start();
            if rest.starts_with("de ") && !rest.starts_with("de edad") {
                continue; // "con 10 años de experiencia"
            }
            let (s, e) = if c.get(2).is_some() && c.get(1).is_none() {
                // Greek "ηλικίας 34": keep the cue word.
                c.get(0)
                    .map(|m| (m.start(), m.end()))
                    .unwrap_or((span.start(), span.end()))
            } else {
                (span.start(), span.end())
            };
            push_age(out, text, s, e, first_number(&text[s..e]));
        }
    }
    if let Some(re) = re_age_fi() {
        for m in re.find_iter(text) {
            push_age(out, text, m.start(), m.end(), first_number(m.as_str()));
        }
    }
    if let Some(re) = re_age_decade() {
        for c in re.captures_iter(text) {
            if let Some((s, e)) = caps(&c, 1) {
                push_age(out, text, s, e, Some(90));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Institutions
// ---------------------------------------------------------------------------------------------

/// Words that do not make an institution "named": "the Day Centre", "Secondary School".
const INSTITUTION_GENERIC: &str = "day care nursing residential community health medical special primary secondary \
high junior infant infants nursery sixth form further education adult adults youth children childrens \
children's family families respite mental psychiatric general local district county city state public \
private independent job leisure sports sport arts art resource learning support assessment \
rehabilitation rehab intensive maternity dental eye new old main central national regional university \
hospital school college centre center club home house church trust foundation grammar comprehensive \
catholic christian methodist baptist anglican service services social football rugby cricket tennis \
swimming nurse manager staff team unit ward hall hospitalier universitario general hôpital école";

fn detect_institutions(text: &str, out: &mut Vec<Cand>) {
    // English: "<Name words> School", with leading function words stripped.
    if let Some(re) = re_inst_en() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(prefix)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let mut start = all.start();
            let mut distinctive = false;
            let mut stripping = true;
            for w in re_word_iter(prefix.as_str()) {
                let f = fold(w.1);
                let generic = is_institution_generic(&f);
                if stripping && is_function_word(&f) && f != "st" && f != "saint" {
                    start = prefix.start() + w.0 + w.1.len();
                    continue;
                }
                stripping = false;
                if !generic {
                    distinctive = true;
                }
            }
            if distinctive {
                let s = skip_space(text, start);
                push(
                    out,
                    text,
                    s,
                    all.end(),
                    Category::Institution,
                    TIER_INSTITUTION,
                );
            }
        }
    }
    // "University of Leeds", and the French, Spanish, Czech, Greek patterns: keyword + name.
    for re in [
        re_inst_en_of(),
        re_inst_fr(),
        re_inst_es(),
        re_inst_cz(),
        re_inst_el(),
    ]
    .into_iter()
    .flatten()
    {
        for c in re.captures_iter(text) {
            let (Some(all), Some(name)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let distinctive = re_word_iter(name.as_str()).any(|(_, w)| {
                let f = fold(w);
                !is_institution_generic(&f) && !is_particle(&f) && !is_stopword_non_geo(&f)
            });
            if distinctive {
                push(
                    out,
                    text,
                    all.start(),
                    all.end(),
                    Category::Institution,
                    TIER_INSTITUTION,
                );
            }
        }
    }
    // Finnish: "<Genitive> yliopisto|koulu|sairaala...".
    if let Some(re) = re_inst_fi() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(gen)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let f = fold(gen.as_str());
            if finnish_generic_genitive(&f) {
                continue;
            }
            push(
                out,
                text,
                all.start(),
                all.end(),
                Category::Institution,
                TIER_INSTITUTION,
            );
        }
    }
}

fn skip_space(text: &str, mut i: usize) -> usize {
    while let Some(c) = text.get(i..).and_then(|t| t.chars().next()) {
        if c.is_whitespace() {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// Words of `s` with their byte offsets.
fn re_word_iter(s: &str) -> impl Iterator<Item = (usize, &str)> {
    re_word()
        .into_iter()
        .flat_map(move |re| re.find_iter(s).map(|m| (m.start(), m.as_str())))
}

fn is_institution_generic(folded: &str) -> bool {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    let set = SET.get_or_init(|| INSTITUTION_GENERIC.split_whitespace().map(fold).collect());
    set.contains(folded)
        || is_function_word(folded)
        || is_calendar_word(folded)
        || is_domain_word(folded)
}

fn is_particle(folded: &str) -> bool {
    matches!(
        folded,
        "de" | "du"
            | "des"
            | "la"
            | "le"
            | "les"
            | "del"
            | "las"
            | "los"
            | "el"
            | "of"
            | "the"
            | "v"
            | "na"
            | "u"
            | "του"
            | "τησ"
            | "των"
    )
}

fn finnish_generic_genitive(folded: &str) -> bool {
    matches!(
        folded,
        "hanen"
            | "heidan"
            | "minun"
            | "sinun"
            | "meidan"
            | "teidan"
            | "sen"
            | "taman"
            | "tuon"
            | "oman"
            | "uuden"
            | "vanhan"
            | "toisen"
            | "ensimmaisen"
            | "lahimman"
            | "paikallisen"
            | "kunnan"
            | "kaupungin"
            | "valtion"
            | "yksityisen"
            | "lapsen"
            | "pojan"
            | "tyttaren"
            | "aidin"
            | "isan"
            | "erityisen"
            | "yleisen"
            | "jonkin"
            | "saman"
            | "kotikunnan"
    )
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/// Common given names in the six supported languages (plus a few frequent in the UK).
const GIVEN_NAMES: &str = "\
james john robert michael william david richard joseph thomas charles christopher daniel matthew \
anthony donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason \
jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel \
gregory alexander patrick raymond jack dennis jerry tyler aaron adam nathan henry douglas zachary \
peter kyle noah ethan jeremy walter keith roger terry sean gerald carl harold dylan arthur lawrence \
jesse bryan billy bruce gabriel joe logan alan albert willie elijah wayne randy vincent liam oliver \
harry charlie alfie oscar leo freddie archie callum connor declan ian neil gareth owen rhys dafydd \
iain hamish angus fraser craig stuart graham colin derek trevor nigel malcolm barry tom tommy ben \
sam dan danny steve mike dave jim jimmy bob rob tony andy kevin gavin darren lee shaun wesley \
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret \
sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca \
sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha \
katherine christine debra rachel carolyn janet catherine heather diane ruth julie olivia joyce \
kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria \
teresa ann anne sara madison frances kathryn janice abigail alice judy sophia denise amber doris \
marilyn danielle beverly isabella theresa diana natalie brittany marie kayla lori chloe lucy ella \
mia amelia isla ava poppy freya lily ellie molly holly zoe bethany siobhan niamh aoife fiona kirsty \
gemma claire clare louise jane tracy tracey wendy sally jill gillian maureen sheila eileen kate \
katie jenny jo liz beth meg emily fred \
jean pierre michel andre philippe alain jacques bernard rene louis christian nicolas francois \
claude gerard henri marcel thierry christophe julien laurent olivier sebastien frederic mathieu \
antoine guillaume hugo lucas theo maxime etienne yves didier pascal benoit jules lucien \
jeanne francoise monique nathalie isabelle sylvie martine sophie valerie celine aurelie camille \
lea manon ines sandrine veronique brigitte chantal elodie helene margaux amelie oceane mathilde \
juliette clemence josiane odette \
jan petr josef pavel martin tomas jaroslav jiri miroslav zdenek vaclav michal frantisek karel \
vladimir lukas jakub ondrej stanislav marek radek vojtech matej filip dominik antonin ladislav \
jana eva hana lenka katerina vera lucie alena petra jaroslava veronika martina tereza michaela \
jitka ludmila zdenka marketa barbora kristyna eliska adela natalie klara sarka ivana monika zuzana \
dagmar \
matti mikko juha timo jari antti kari jukka pekka markku heikki hannu seppo ville janne petri \
tuomas juho eero aleksi lauri eino vaino elias leevi niilo kalle jussi sami tapio olli ilkka risto \
aino eila helmi maija liisa anja tuula ritva pirjo sirpa merja sari minna tiina riikka johanna \
elina kaisa sanna paivi leena marjatta kaarina annikki aune emilia venla eveliina ilona iida \
anneli tuija \
γιώργος γεώργιος γιάννης ιωάννης κώστας κωνσταντίνος δημήτρης δημήτριος νίκος νικόλαος παναγιώτης \
βασίλης χρήστος αντώνης μιχάλης σπύρος θανάσης στέλιος άγγελος πέτρος αλέξανδρος ελένη μαρία \
αικατερίνη κατερίνα βασιλική σοφία αναστασία ευαγγελία δήμητρα ιωάννα χριστίνα αγγελική ειρήνη \
δέσποινα φωτεινή αλεξάνδρα \
giorgos yiorgos georgios giannis yiannis ioannis kostas konstantinos dimitris nikos nikolaos \
panagiotis vasilis christos antonis michalis spyros thanasis stelios angelos eleni katerina \
vasiliki sofia anastasia evangelia dimitra ioanna eirini irini despoina despina fotini \
jose antonio manuel francisco juan javier carlos jesus alejandro miguel rafael pedro pablo angel \
sergio fernando jorge luis alberto alvaro diego adrian raul enrique ramon vicente ignacio andres \
joaquin santiago mateo maria carmen isabel cristina marta lucia elena raquel manuela concepcion \
beatriz silvia julia irene rocio alba claudia nuria montserrat inmaculada encarnacion esther \
valeria \
mohammed muhammad ahmed ali fatima aisha omar hassan priya raj amir yusuf tomasz";

/// Given names that are also ordinary words, places or months: flagged only with a cue, a
/// following surname, or mid-sentence away from a place preposition.
const AMBIGUOUS_NAMES: &str = "will mark grace hope joy faith bill rose dawn eve pat sue guy art \
summer may june april august rosa luz pilar dolores mercedes onni toivo satu tuuli georgia \
virginia jordan victoria florence austin charlotte christian frank chelsea paris angel ray \
carol faith iris jade ruby amber sky";

/// Function words, pronouns and other words that are capitalised only at a sentence start.
const FUNCTION_WORDS: &str = "\
the a an and or but if when then this that these those there here he she they we i it you his her \
their our my your its in on at to from with without for of by after before during since every \
each all some many most no not yes so as also later now today yesterday tomorrow next last first \
once while although though because however meanwhile sometimes often usually still both either \
neither what which who whom whose where why how mum mom dad mummy daddy nan nana gran granny grandma \
grandad grandpa auntie uncle sir madam st saint mr mrs ms miss mx dr prof dear hello hi thanks thank \
mme mlle monsieur madame sr sra srta dna dona pan pani pane slecna herra rouva neiti κ κοσ κα κυριοσ κυρια \
le la les un une des du de et ou mais il elle ils elles nous vous je tu son sa ses leur leurs \
dans avec pour sur depuis chez quand puis \
ten ta to ty jeho její jejich můj moje náš naše a i v ve na do od po se si je jsou když pak \
hän he se ne minä sinä me te hänen heidän sen ja tai mutta kun sitten myös \
el la los las un una y o pero su sus mi mis en con por para desde cuando luego también \
ο η το οι τα του της των τον την στο στη στην στον και ή αλλά με σε από για όταν μετά";

const CALENDAR_WORDS: &str = "\
monday tuesday wednesday thursday friday saturday sunday \
january february march april may june july august september october november december \
lundi mardi mercredi jeudi vendredi samedi dimanche \
janvier février mars avril mai juin juillet août septembre octobre novembre décembre \
pondělí úterý středa čtvrtek pátek sobota neděle \
leden únor březen duben květen červen červenec srpen září říjen listopad prosinec \
maanantai tiistai keskiviikko torstai perjantai lauantai sunnuntai \
tammikuu helmikuu maaliskuu huhtikuu toukokuu kesäkuu heinäkuu elokuu syyskuu lokakuu marraskuu joulukuu \
lunes martes miércoles jueves viernes sábado domingo \
enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre \
δευτέρα τρίτη τετάρτη πέμπτη παρασκευή σάββατο κυριακή \
ιανουάριος φεβρουάριος μάρτιος απρίλιος μάιος ιούνιος ιούλιος αύγουστος σεπτέμβριος οκτώβριος \
νοέμβριος δεκέμβριος \
christmas easter ramadan eid diwali hanukkah passover spring summer autumn winter";

const GEO_WORDS: &str = "\
england scotland wales ireland britain uk france spain greece finland czechia germany italy \
poland portugal europe america canada australia india pakistan nigeria somalia romania ukraine \
russia china japan africa asia london manchester leeds birmingham edinburgh glasgow cardiff \
belfast liverpool bristol sheffield newcastle york toronto ottawa paris lyon marseille toulouse \
lille nantes bordeaux bretagne normandie nord provence praha prague brno ostrava plzeň \
helsinki espoo tampere turku oulu vantaa athens αθήνα θεσσαλονίκη madrid barcelona sevilla \
valencia bilbao málaga zaragoza suomi suomessa ranska espanja kreikka englanti česko francie \
španělsko řecko finsko anglie espagne grèce finlande angleterre allemagne españa francia grecia \
finlandia inglaterra ελλάδα γαλλία ισπανία φινλανδία αγγλία";

/// Nationalities and languages.
const NATIONALITY_WORDS: &str = "\
english british scottish welsh irish french spanish greek finnish czech polish german italian \
portuguese european american canadian australian indian pakistani nigerian somali arabic urdu \
punjabi bengali romanian ukrainian russian chinese finns greeks czechs poles spaniards brits \
français anglais espagnol grec finnois tchèque čeština angličtina řečtina englanti ruotsi \
español inglés griego francés ελληνικά αγγλικά";

const DOMAIN_WORDS: &str = "\
down downs down's syndrome syndrom pa isf nhs sds ndis makaton individual service services fund \
personal assistant assistance assistants social council care act universal credit autism autistic \
asperger aspergers asperger's dyslexia ehcp sen send senco cqc dwp pip esa gp ot god jesus \
instagram facebook tiktok twitter youtube whatsapp zoom google mencap scope trust team";

fn word_set(cell: &'static OnceLock<HashSet<String>>, words: &str) -> &'static HashSet<String> {
    cell.get_or_init(|| words.split_whitespace().map(fold).collect())
}

fn is_function_word(f: &str) -> bool {
    static S: OnceLock<HashSet<String>> = OnceLock::new();
    word_set(&S, FUNCTION_WORDS).contains(f)
}

fn is_calendar_word(f: &str) -> bool {
    static S: OnceLock<HashSet<String>> = OnceLock::new();
    word_set(&S, CALENDAR_WORDS).contains(f)
}

fn is_nationality_word(f: &str) -> bool {
    static S: OnceLock<HashSet<String>> = OnceLock::new();
    word_set(&S, NATIONALITY_WORDS).contains(f)
}

fn is_geo_word(f: &str) -> bool {
    static S: OnceLock<HashSet<String>> = OnceLock::new();
    word_set(&S, GEO_WORDS).contains(f) || is_nationality_word(f)
}

fn is_domain_word(f: &str) -> bool {
    static S: OnceLock<HashSet<String>> = OnceLock::new();
    word_set(&S, DOMAIN_WORDS).contains(f)
}

fn is_stopword_non_geo(f: &str) -> bool {
    is_function_word(f) || is_calendar_word(f) || is_domain_word(f)
}

fn is_stopword(f: &str) -> bool {
    is_stopword_non_geo(f) || is_geo_word(f)
}

fn given_names() -> &'static HashSet<String> {
    static S: OnceLock<HashSet<String>> = OnceLock::new();
    S.get_or_init(|| {
        GIVEN_NAMES
            .split_whitespace()
            .flat_map(|w| name_forms(&fold(w)))
            .collect()
    })
}

fn ambiguous_names() -> &'static HashSet<String> {
    static S: OnceLock<HashSet<String>> = OnceLock::new();
    S.get_or_init(|| {
        AMBIGUOUS_NAMES
            .split_whitespace()
            .flat_map(|w| name_forms(&fold(w)))
            .collect()
    })
}

/// Street and institution words end a surname run ("Mary Road" is not "Mary" + "Road").
fn is_structural_word(f: &str) -> bool {
    matches!(
        f,
        "street"
            | "road"
            | "lane"
            | "avenue"
            | "drive"
            | "close"
            | "way"
            | "place"
            | "crescent"
            | "court"
            | "gardens"
            | "terrace"
            | "grove"
            | "square"
            | "hill"
            | "park"
            | "walk"
            | "school"
            | "academy"
            | "college"
            | "university"
            | "hospital"
            | "infirmary"
            | "clinic"
            | "surgery"
            | "hospice"
            | "nursery"
            | "church"
            | "chapel"
            | "centre"
            | "center"
            | "club"
            | "home"
            | "house"
            | "lodge"
            | "syndrome"
    )
}

/// Lower-cases and strips common diacritics (including Greek tonos) for comparisons.
fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => 'a',
            'ç' | 'č' | 'ć' => 'c',
            'ď' => 'd',
            'é' | 'è' | 'ê' | 'ë' | 'ě' | 'ę' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ñ' | 'ň' | 'ń' => 'n',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
            'ř' => 'r',
            'š' | 'ś' => 's',
            'ť' => 't',
            'ú' | 'ù' | 'û' | 'ü' | 'ů' => 'u',
            'ý' | 'ÿ' => 'y',
            'ž' | 'ź' | 'ż' => 'z',
            'ł' => 'l',
            'ά' => 'α',
            'έ' => 'ε',
            'ή' => 'η',
            'ί' | 'ϊ' | 'ΐ' => 'ι',
            'ό' => 'ο',
            'ύ' | 'ϋ' | 'ΰ' => 'υ',
            'ώ' => 'ω',
            'ς' => 'σ',
            '’' => '\'',
            other => other,
        })
        .collect()
}

/// A folded name and its common Greek case forms (Γιώργος, Γιώργο, Γιώργου; Ελένη, Ελένης).
fn name_forms(folded: &str) -> Vec<String> {
    let mut forms = vec![folded.to_string()];
    let greek = folded.chars().any(|c| ('\u{370}'..='\u{3ff}').contains(&c));
    if greek {
        if let Some(stem) = folded.strip_suffix("οσ") {
            forms.push(format!("{stem}ο"));
            forms.push(format!("{stem}ου"));
        } else if let Some(stem) = folded.strip_suffix("ησ") {
            forms.push(format!("{stem}η"));
        } else if let Some(stem) = folded.strip_suffix("ασ") {
            forms.push(format!("{stem}α"));
        } else if folded.ends_with('η') || folded.ends_with('α') {
            forms.push(format!("{folded}σ"));
        }
    }
    forms
}

/// Candidate base forms of an inflected Czech or Finnish name (Jany → jana, Ainon → aino).
fn inflection_variants(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    for suffix in [
        "ovi", "em", "ou", "e", "y", "u", "n", "lle", "lla", "lta", "sta", "ssa", "ksi",
    ] {
        if let Some(stem) = folded.strip_suffix(suffix) {
            if stem.chars().count() >= 3 {
                out.push(stem.to_string());
                out.push(format!("{stem}a"));
            }
        }
    }
    out
}

fn is_given_name(folded: &str) -> bool {
    let names = given_names();
    if folded.contains('-') {
        return folded.split('-').all(|p| names.contains(p));
    }
    names.contains(folded)
        || (!is_stopword(folded)
            && inflection_variants(folded)
                .iter()
                .any(|v| names.contains(v) && !ambiguous_names().contains(v)))
}

fn is_capitalised(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

fn is_sentence_start(text: &str, pos: usize) -> bool {
    let head = text.get(..pos).unwrap_or("");
    let trimmed = head.trim_end();
    if trimmed.is_empty() || head[trimmed.len()..].contains('\n') {
        return true;
    }
    trimmed.ends_with([
        '.', '!', '?', '…', ':', ';', '"', '“', '”', '«', '»', '(', '[', '•', '*', '–', '—',
    ])
}

/// Byte ranges where the pseudonym occurs (whole words, any case).
fn pseudonym_ranges(text: &str, pseudonym: Option<&str>) -> Vec<(usize, usize)> {
    let Some(p) = pseudonym else {
        return Vec::new();
    };
    let pattern = format!(r"(?i)\b{}\b", regex::escape(p));
    Regex::new(&pattern)
        .map(|re| re.find_iter(text).map(|m| (m.start(), m.end())).collect())
        .unwrap_or_default()
}

fn is_pseudonym_word(folded: &str, pseudonym_forms: &[String]) -> bool {
    pseudonym_forms.iter().any(|p| p == folded)
        || inflection_variants(folded)
            .iter()
            .any(|v| pseudonym_forms.contains(v))
}

struct Token<'t> {
    start: usize,
    end: usize,
    text: &'t str,
}

fn detect_names(
    text: &str,
    pseudonym: Option<&str>,
    protected: &[(usize, usize)],
    out: &mut Vec<Cand>,
) {
    let Some(word_re) = re_word() else { return };
    let pseudonym_forms: Vec<String> = pseudonym.map(|p| name_forms(&fold(p))).unwrap_or_default();

    let mut tokens: Vec<Token> = Vec::new();
    for m in word_re.find_iter(text) {
        let mut s = m.start();
        let mut w = m.as_str();
        // French elision: l'École, d'Anne.
        let mut ci = w.char_indices();
        if let (Some((_, c0)), Some((i1, c1))) = (ci.next(), ci.next()) {
            if c0.is_lowercase() && (c1 == '\'' || c1 == '’') {
                let cut = i1 + c1.len_utf8();
                s += cut;
                w = &w[cut..];
            }
        }
        // Possessive: Mary's.
        for suffix in ["'s", "’s"] {
            if let Some(stem) = w.strip_suffix(suffix) {
                w = stem;
            }
        }
        if !w.is_empty() {
            tokens.push(Token {
                start: s,
                end: s + w.len(),
                text: w,
            });
        }
    }

    let is_protected = |t: &Token| protected.iter().any(|(s, e)| t.start < *e && *s < t.end);
    let usable = |t: &Token| {
        let f = fold(t.text);
        is_capitalised(t.text)
            && t.text.chars().count() >= 2
            && !is_stopword(&f)
            && !is_structural_word(&f)
            && !is_protected(t)
            && !is_pseudonym_word(&f, &pseudonym_forms)
    };

    let mut i = 0;
    while i < tokens.len() {
        let tok = &tokens[i];
        if !usable(tok) {
            i += 1;
            continue;
        }
        let f = fold(tok.text);
        let cue = re_name_cue().is_some_and(|r| r.is_match(before(text, tok.start, 60)));

        // Surname run: following capitalised words joined by a single space or a particle.
        let mut end = tok.end;
        let mut j = i + 1;
        let mut run = 0;
        while j < tokens.len() && run < 3 {
            let gap = &text[end..tokens[j].start];
            let next = &tokens[j];
            if gap == " " && usable(next) {
                end = next.end;
                j += 1;
                run += 1;
                continue;
            }
            // Particles: José de la Cruz, Ludwig van Beethoven.
            let particle = gap == " "
                && matches!(
                    next.text,
                    "de" | "van" | "von" | "da" | "del" | "di" | "la" | "dos"
                );
            if particle {
                let mut k = j + 1;
                if k < tokens.len() && tokens[k].text == "la" {
                    k += 1;
                }
                if k < tokens.len() && text[next.end..tokens[k].start].trim().is_empty() {
                    let t = &tokens[k];
                    if usable(t) && (run > 0 || cue) {
                        end = t.end;
                        j = k + 1;
                        run += 1;
                        continue;
                    }
                }
            }
            break;
        }
        // The run must not be followed by "syndrome" etc.
        let has_surname = run > 0;

        let listed = is_given_name(&f);
        let ambiguous = ambiguous_names().contains(&f);
        let accept = cue
            || (listed && !ambiguous)
            || (ambiguous
                && ((has_surname && listed)
                    || (!is_sentence_start(text, tok.start)
                        && !is_calendar_word(&f)
                        && !after_place_preposition(text, tok.start))));
        if accept {
            push(out, text, tok.start, end, Category::Name, TIER_NAME);
            i = j;
        } else {
            i += 1;
        }
    }
}

fn after_place_preposition(text: &str, pos: usize) -> bool {
    let prev = before(text, pos, 12).trim_end();
    let last = prev
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    matches!(
        last.as_str(),
        "in" | "to"
            | "from"
            | "at"
            | "near"
            | "à"
            | "en"
            | "v"
            | "ve"
            | "do"
            | "z"
            | "σε"
            | "στη"
            | "στην"
            | "στο"
            | "a"
            | "de"
            | "desde"
    )
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn find(flags: &[Flag], cat: Category) -> Vec<&str> {
        flags
            .iter()
            .filter(|f| f.category == cat)
            .map(|f| f.text.as_str())
            .collect()
    }

    #[test]
    fn every_pattern_compiles() {
        for (name, get) in ALL_REGEXES {
            assert!(get().is_some(), "regex {name} does not compile");
        }
    }

    #[test]
    fn categories_round_trip() {
        for c in Category::all() {
            assert_eq!(Category::parse(c.as_str()), Some(*c));
            let json = serde_json::to_string(c).expect("present");
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!(Category::parse(" ID_NUMBER "), Some(Category::IdNumber));
        assert_eq!(Category::parse("nonsense"), None);
    }

    #[test]
    fn offsets_are_in_chars_with_multibyte_text() {
        let text = "Ελένη lives at 12 Rose Street, email eleni@example.gr";
        let flags = check(text, None);
        let chars: Vec<char> = text.chars().collect();
        for f in &flags {
            let slice: String = chars[f.start..f.end].iter().collect();
            assert_eq!(slice, f.text);
        }
        let name = flags
            .iter()
            .find(|f| f.category == Category::Name)
            .expect("present");
        assert_eq!((name.start, name.end, name.text.as_str()), (0, 5, "Ελένη"));
        let addr = flags
            .iter()
            .find(|f| f.category == Category::Address)
            .expect("present");
        assert_eq!((addr.start, addr.end), (15, 29));
        let email = flags
            .iter()
            .find(|f| f.category == Category::Email)
            .expect("present");
        assert_eq!(email.text, "eleni@example.gr");
        assert_eq!(email.end, chars.len());
    }

    #[test]
    fn nhs_check_digit() {
        assert!(nhs_number_is_valid("943 476 5919"));
        assert!(nhs_number_is_valid("9434765919"));
        assert!(!nhs_number_is_valid("943 476 5918"));
        assert!(!nhs_number_is_valid("943 476 591"));

        let valid = check("The letter shows 943 476 5919 at the top.", None);
        assert_eq!(find(&valid, Category::IdNumber), vec!["943 476 5919"]);
        assert!(find(&valid, Category::Phone).is_empty());

        let invalid = check("The letter shows 943 476 5918 at the top.", None);
        assert!(find(&invalid, Category::IdNumber).is_empty());

        let with_cue = check("NHS number 943 476 5918.", None);
        assert_eq!(find(&with_cue, Category::IdNumber), vec!["943 476 5918"]);
    }

    #[test]
    fn pseudonym_is_never_flagged() {
        let text = "Fred met his sister Anna. FRED said fred's week was good; Fred Smith left.";
        let flags = check(text, Some("Fred"));
        assert!(
            flags
                .iter()
                .all(|f| !f.text.to_lowercase().contains("fred")),
            "{flags:?}"
        );
        assert_eq!(find(&flags, Category::Name), vec!["Anna"]);

        let flags = check("Her brother Fred visits. Sarah too.", Some("fred"));
        assert_eq!(find(&flags, Category::Name), vec!["Sarah"]);
    }

    #[test]
    fn name_suggestions_are_consistent() {
        let text = "Sarah met John. Later John Smith called Sarah, and Mary came too.";
        let flags = check(text, None);
        let names: Vec<(&str, &str)> = flags
            .iter()
            .filter(|f| f.category == Category::Name)
            .map(|f| (f.text.as_str(), f.suggestion.as_str()))
            .collect();
        assert_eq!(names.len(), 5, "{names:?}");
        assert!(names[0].1.contains("'Person A'"));
        assert!(names[1].1.contains("'Person B'"));
        assert_eq!(names[2].0, "John Smith");
        assert!(names[2].1.contains("'Person B'"));
        assert!(names[3].1.contains("'Person A'"));
        assert!(names[4].1.contains("'Person C'"));
    }

    #[test]
    fn flags_never_overlap() {
        let text = "Email fred.smith@example.org or visit https://www.example.org/fred, \
                    NHS 943 476 5919, call +44 7700 900123, St Mary's Church, 12 Rose Street, \
                    Mary Rose, @fred_s, on 12 March 2019 aged 34.";
        let flags = check(text, None);
        for pair in flags.windows(2) {
            assert!(
                pair[0].end <= pair[1].start,
                "{:?} overlaps {:?}",
                pair[0],
                pair[1]
            );
        }
        assert_eq!(
            find(&flags, Category::Email),
            vec!["fred.smith@example.org"]
        );
        assert_eq!(find(&flags, Category::IdNumber), vec!["943 476 5919"]);
        assert_eq!(
            find(&flags, Category::Institution),
            vec!["St Mary's Church"]
        );
        assert!(find(&flags, Category::Handle).contains(&"@fred_s"));
    }

    #[test]
    fn negatives_stay_quiet() {
        for text in [
            "She has Down syndrome and her PA is funded by an ISF from the NHS.",
            "Between 2013–2017 he lived in a care home; in March 2019 he moved.",
            "Her PA earns £21.50 an hour for 98 hours a week.",
            "Every Monday she goes to a special school and then the day centre.",
            "Participants aged 30-49 were asked.",
        ] {
            assert!(
                check(text, None).is_empty(),
                "{text}: {:?}",
                check(text, None)
            );
        }
    }

    #[test]
    fn suggestions_follow_the_category() {
        let flags = check("On 12 March 2019, aged 34, she left Oakwood School.", None);
        let date = flags
            .iter()
            .find(|f| f.category == Category::Date)
            .expect("present");
        assert!(date.suggestion.contains("year or a season"));
        let age = flags
            .iter()
            .find(|f| f.category == Category::Age)
            .expect("present");
        assert!(age.suggestion.contains("30-49"));
        let inst = flags
            .iter()
            .find(|f| f.category == Category::Institution)
            .expect("present");
        assert!(inst.suggestion.contains("without its name"));
        let old = check("Her neighbour is 94 years old.", None);
        assert!(old[0].suggestion.contains("90 or over"));
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// Deterministic pseudo-random texts built from awkward pieces: no panics, valid offsets,
    /// no overlaps, sorted output.
    #[test]
    fn random_texts_keep_the_invariants() {
        let pieces = [
            "Ελένη",
            " ",
            "\n",
            "é",
            "e\u{301}",
            "🙂",
            "12",
            "/",
            ".",
            ",",
            "@",
            "+44",
            "0",
            "Mary",
            "Street",
            "St",
            "'s",
            "’",
            "-",
            "2019",
            "March",
            "de",
            "Hôpital",
            "Σ",
            "ς",
            "ß",
            "İ",
            "aged",
            "at",
            "NHS",
            "943 476 5919",
            "www.",
            "x@y.fi",
            "(",
            ")",
            "Dr",
            "Calle",
            "οδός",
            "Praha",
            "110 00",
            "Fred",
            "\t",
            "ـ",
            "中文",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let flags = check(&text, Some("Fred"));
            let chars: Vec<char> = text.chars().collect();
            for f in &flags {
                assert!(f.start < f.end && f.end <= chars.len(), "{text:?}");
                let slice: String = chars[f.start..f.end].iter().collect();
                assert_eq!(slice, f.text, "{text:?}");
                assert!(!f.suggestion.is_empty());
            }
            for pair in flags.windows(2) {
                assert!(pair[0].end <= pair[1].start, "{text:?}: {flags:?}");
            }
        }
        assert!(check("", None).is_empty());
        assert!(check("   \n ", Some("")).is_empty());
    }
}
