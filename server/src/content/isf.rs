//! Individual Service Fund (ISF) templates: the structure of a costed ISF budget
//! template and all of its arithmetic — validation, the figures Mutual shows (line
//! amounts, management fee, totals, annual and weekly figures), conversion to another
//! currency when a peer adapts a template, and the CSV export. It owns no storage and
//! knows nothing of HTTP; the template's title, summary, language, licence and topics
//! belong to the content item that holds it, not to this module.
//!
//! Money is exact decimal arithmetic ([`Decimal`]), read and written as JSON strings
//! (`"21.50"`), never as floating point. Every figure is rounded to the currency's minor
//! units (GBP 2, JPY 0, KWD 3) with round-half-away-from-zero: 0.125 GBP becomes 0.13 and
//! −0.125 becomes −0.13. See `docs/ISF.md` for the rules in plain English.

use iso_currency::Currency;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The most budget lines a template may have.
pub const MAX_BUDGET_LINES: usize = 200;
/// The longest a line's description may be, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 200;
/// The longest a short text (scheme, rate variant, list item) may be, in characters.
const MAX_SHORT_TEXT_CHARS: usize = 100;
/// The longest an outcome may be, in characters.
const MAX_OUTCOME_CHARS: usize = 500;
/// The most items any list (outcomes, what the fee covers, review triggers…) may have.
const MAX_LIST_ITEMS: usize = 50;
/// Decimal places allowed in money typed in (rates, amounts, a fixed fee).
const MAX_MONEY_DECIMALS: u32 = 6;
/// Decimal places allowed in quantities.
const MAX_QUANTITY_DECIMALS: u32 = 4;
/// Decimal places allowed in percentages.
const MAX_PERCENT_DECIMALS: u32 = 4;
/// Decimal places allowed in an exchange rate.
const MAX_EXCHANGE_RATE_DECIMALS: u32 = 10;

/// The largest amount of money one rate, amount or fixed fee may be. The limits keep
/// every product exact inside [`Decimal`]'s 96-bit mantissa, so nothing can overflow.
fn max_money() -> Decimal {
    Decimal::from(1_000_000_000_000_i64)
}

/// The largest quantity one line may have.
fn max_quantity() -> Decimal {
    Decimal::from(1_000_000_i64)
}

/// The largest exchange rate [`IsfTemplateData::with_currency`] accepts.
fn max_exchange_rate() -> Decimal {
    Decimal::from(1_000_000_000_i64)
}

// ---------------------------------------------------------------------------------------
// The template
// ---------------------------------------------------------------------------------------

/// The ISF part of an ISF template: where it applies, its budget lines, the management
/// fee and the terms around the money. Field names are those of the JSON; fields this
/// module does not know are accepted and dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsfTemplateData {
    pub jurisdiction: Jurisdiction,
    /// ISO 4217 code, such as `GBP`.
    #[serde(default)]
    pub currency: String,
    pub budget_period: BudgetPeriod,
    #[serde(default)]
    pub budget_lines: Vec<BudgetLine>,
    pub management_fee: ManagementFee,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flexibility: Option<Flexibility>,
    /// How often the provider is paid, e.g. `P4W` or `monthly in arrears`; free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_cadence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting_to_person: Option<Reporting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination: Option<Termination>,
    /// What the person wants from their support, in their words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<String>,
}

/// Where the template was written for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jurisdiction {
    /// ISO 3166-1 alpha-2, such as `GB`.
    #[serde(default)]
    pub country: String,
    /// ISO 3166-2, such as `GB-SCT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdivision: Option<String>,
    /// The funding scheme, such as `sds_option2`, `isf`, `host_agency` or `ndis_plan_mgmt`.
    #[serde(default)]
    pub scheme: String,
}

/// The period every rate, quantity, amount and fixed fee of the template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetPeriod {
    Week,
    FourWeeks,
    Month,
    Year,
}

impl BudgetPeriod {
    pub const ALL: [BudgetPeriod; 4] = [
        BudgetPeriod::Week,
        BudgetPeriod::FourWeeks,
        BudgetPeriod::Month,
        BudgetPeriod::Year,
    ];

    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetPeriod::Week => "week",
            BudgetPeriod::FourWeeks => "four_weeks",
            BudgetPeriod::Month => "month",
            BudgetPeriod::Year => "year",
        }
    }

    /// How many of these periods make a year: week 52, four weeks 13, month 12, year 1.
    /// (52 weeks and 13 four-week periods are 364 days: Mutual does not add the extra day
    /// or two of a calendar year.)
    pub fn periods_per_year(self) -> u32 {
        match self {
            BudgetPeriod::Week => 52,
            BudgetPeriod::FourWeeks => 13,
            BudgetPeriod::Month => 12,
            BudgetPeriod::Year => 1,
        }
    }

    /// In words, for "per …": `week`, `four weeks`, `month`, `year`.
    pub fn label(self) -> &'static str {
        match self {
            BudgetPeriod::Week => "week",
            BudgetPeriod::FourWeeks => "four weeks",
            BudgetPeriod::Month => "month",
            BudgetPeriod::Year => "year",
        }
    }
}

/// What a budget line pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    SupportHours,
    Sessional,
    ThirdParty,
    /// Equipment and assistive technology.
    EquipmentAt,
    Travel,
    Activities,
    Contingency,
    /// The person's own contribution: it reduces the funded total.
    Contribution,
    Other,
}

impl LineKind {
    pub const ALL: [LineKind; 9] = [
        LineKind::SupportHours,
        LineKind::Sessional,
        LineKind::ThirdParty,
        LineKind::EquipmentAt,
        LineKind::Travel,
        LineKind::Activities,
        LineKind::Contingency,
        LineKind::Contribution,
        LineKind::Other,
    ];

    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::SupportHours => "support_hours",
            LineKind::Sessional => "sessional",
            LineKind::ThirdParty => "third_party",
            LineKind::EquipmentAt => "equipment_at",
            LineKind::Travel => "travel",
            LineKind::Activities => "activities",
            LineKind::Contingency => "contingency",
            LineKind::Contribution => "contribution",
            LineKind::Other => "other",
        }
    }

    /// True for the person's own contribution, which is subtracted from the total.
    pub fn reduces_total(self) -> bool {
        self == LineKind::Contribution
    }
}

/// The unit a line's rate is per; `fixed` lines have an amount instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Hour,
    Session,
    Day,
    Night,
    Week,
    Month,
    Item,
    Km,
    Mile,
    Fixed,
}

impl Unit {
    pub const ALL: [Unit; 10] = [
        Unit::Hour,
        Unit::Session,
        Unit::Day,
        Unit::Night,
        Unit::Week,
        Unit::Month,
        Unit::Item,
        Unit::Km,
        Unit::Mile,
        Unit::Fixed,
    ];

    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Hour => "hour",
            Unit::Session => "session",
            Unit::Day => "day",
            Unit::Night => "night",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Item => "item",
            Unit::Km => "km",
            Unit::Mile => "mile",
            Unit::Fixed => "fixed",
        }
    }

    /// True when the line has an `amount` rather than a `rate` and a `quantity`.
    pub fn is_fixed(self) -> bool {
        self == Unit::Fixed
    }
}

/// One line of the budget, for one budget period: either `rate` × `quantity` (every unit
/// but `fixed`) or a fixed `amount`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub kind: LineKind,
    #[serde(default)]
    pub description: String,
    pub unit: Unit,
    #[serde(
        default,
        with = "rust_decimal::serde::str_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub rate: Option<Decimal>,
    #[serde(
        default,
        with = "rust_decimal::serde::str_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub quantity: Option<Decimal>,
    #[serde(
        default,
        with = "rust_decimal::serde::str_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub amount: Option<Decimal>,
    /// Which rate applies, such as `day`, `night` or `weekend`; free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_variant: Option<String>,
}

impl BudgetLine {
    /// The line's exact cost for one period, before rounding and always positive (a
    /// contribution is subtracted by the caller): `rate × quantity`, or `amount` for a
    /// fixed line. `None` when a needed value is missing or the product overflows.
    pub fn exact_amount(&self) -> Option<Decimal> {
        if self.unit.is_fixed() {
            self.amount
        } else {
            self.rate?.checked_mul(self.quantity?)
        }
    }
}

/// How the management fee is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeBasis {
    /// A percentage of the budget lines.
    Percent,
    /// A fixed amount per budget period.
    Fixed,
}

/// Whether the management fee comes out of the budget or is paid on top of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeFunding {
    /// The fee is part of the total: less is left for support.
    WithinBudget,
    /// The fee is added to the lines: the total is larger.
    InAddition,
}

/// The provider's management costs, declared up front.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagementFee {
    pub basis: FeeBasis,
    /// A percentage (`"8"` is 8 %) or, for `fixed`, money per budget period.
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    pub funded: FeeFunding,
    /// What the fee pays for, such as `payroll` or `training`.
    #[serde(default)]
    pub covers: Vec<String>,
}

/// How the person may move money around.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flexibility {
    /// Whether unspent money may be banked for later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banking: Option<bool>,
    /// How many periods' surplus may be banked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surplus_cap_periods: Option<u32>,
    /// The longest banked money may be kept, in weeks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surplus_max_weeks: Option<u32>,
    /// The least share of the budget, in percent, the person may spend with others.
    #[serde(
        default,
        with = "rust_decimal::serde::str_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub third_party_min_percent: Option<Decimal>,
    /// Who decides day to day: `person`, `person_with_provider`, `person_with_agent`…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decisions_day_to_day: Option<String>,
}

/// What the provider tells the person about their money, and how often.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reporting {
    /// An ISO 8601 duration such as `P1M`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
    #[serde(default)]
    pub shows: Vec<String>,
    #[serde(default)]
    pub formats: Vec<String>,
}

/// When the ISF is reviewed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// An ISO 8601 duration such as `P6M`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
    #[serde(default)]
    pub triggers: Vec<String>,
}

/// How the ISF ends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Termination {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_days_person: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_days_provider: Option<u32>,
    /// Where unspent money goes, such as `stay_with_person` or `returned_to_funder`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unspent_funds: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handover_duty: Option<bool>,
}

// ---------------------------------------------------------------------------------------
// Problems and figures
// ---------------------------------------------------------------------------------------

/// Something wrong with a template, for the person who typed it: a field (a path such
/// as `budget_lines[2].rate` or `management_fee.value`) and what to change.
pub type IsfProblem = crate::accounts::FieldError;

use crate::accounts::{field_error as problem, field_error_with as problem_with};

/// One line's figures, rounded to the currency's minor units. A contribution's figures
/// are negative, so the lines' per-period figures add up to [`IsfFigures::lines_total`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineFigures {
    pub description: String,
    pub kind: LineKind,
    #[serde(with = "rust_decimal::serde::str")]
    pub per_period: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub annual: Decimal,
}

/// The figures Mutual computes for a template. Money is rounded to the currency's minor
/// units, half away from zero, and serialised as strings (`"2952.00"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsfFigures {
    pub currency: String,
    /// The currency's minor units (decimal places): GBP 2, JPY 0.
    pub minor_units: u32,
    pub budget_period: BudgetPeriod,
    /// 52, 13, 12 or 1.
    pub periods_per_year: u32,
    pub lines: Vec<LineFigures>,
    /// The sum of the rounded line amounts, contributions subtracted.
    #[serde(with = "rust_decimal::serde::str")]
    pub lines_total: Decimal,
    /// The management fee per period.
    #[serde(with = "rust_decimal::serde::str")]
    pub management_fee: Decimal,
    /// The fee as a share of the total, in percent, to 2 decimal places.
    #[serde(with = "rust_decimal::serde::str")]
    pub management_share_percent: Decimal,
    /// What is left for support per period once the fee is paid.
    #[serde(with = "rust_decimal::serde::str")]
    pub direct_support: Decimal,
    /// What the funder pays per period: the lines, plus the fee when it is in addition.
    #[serde(with = "rust_decimal::serde::str")]
    pub total_per_period: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub annual_lines_total: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub annual_management_fee: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub annual_direct_support: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub annual_total: Decimal,
    /// The annual total divided by 52.
    #[serde(with = "rust_decimal::serde::str")]
    pub weekly_equivalent: Decimal,
}

// ---------------------------------------------------------------------------------------
// Currencies and rounding
// ---------------------------------------------------------------------------------------

/// The minor units (decimal places) of an ISO 4217 currency a budget can be paid in —
/// GBP 2, JPY 0, KWD 3 — or `None` for an unknown code, for codes without minor units
/// and for the special codes (gold, SDRs, the testing and "no currency" codes). The code
/// must be in capitals.
pub fn minor_units(code: &str) -> Option<u32> {
    let currency = Currency::from_code(code)?;
    if currency.is_special() {
        return None;
    }
    currency.exponent().map(u32::from)
}

/// Why `code` cannot be a template's currency, or `None` when it can.
fn currency_problem(code: &str) -> Option<IsfProblem> {
    const FIELD: &str = "currency";
    if minor_units(code).is_some() {
        return None;
    }
    let trimmed = code.trim();
    if trimmed.is_empty() {
        return Some(problem(
            FIELD,
            "Give the currency as a three-letter ISO 4217 code such as GBP, EUR or JPY.",
        ));
    }
    let upper = trimmed.to_ascii_uppercase();
    if upper != code && minor_units(&upper).is_some() {
        return Some(problem_with(
            FIELD,
            "Write the currency code in capitals: { $code }.",
            &[("code", upper)],
        ));
    }
    if let Some(currency) = Currency::from_code(code) {
        return Some(problem_with(
            FIELD,
            "{ $code } ({ $name }) is not a currency a budget can be paid in. Use a currency such as GBP, EUR or JPY.",
            &[("code", code.to_string()), ("name", currency.name().to_string())],
        ));
    }
    if code.chars().count() <= 10 {
        Some(problem_with(
            FIELD,
            "\"{ $code }\" is not an ISO 4217 currency code. Use a three-letter code such as GBP, EUR or JPY.",
            &[("code", code.to_string())],
        ))
    } else {
        Some(problem(
            FIELD,
            "That is not an ISO 4217 currency code. Use a three-letter code such as GBP, EUR or JPY.",
        ))
    }
}

/// Rounds money to `minor_units` decimal places, half away from zero (2.345 → 2.35,
/// −2.345 → −2.35, 2.5 → 3 with 0 places), and always shows that many places
/// (`60` → `60.00`). Never returns negative zero.
pub fn round_money(value: Decimal, minor_units: u32) -> Decimal {
    let mut rounded =
        value.round_dp_with_strategy(minor_units, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(minor_units);
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    rounded
}

fn is_negative(value: Decimal) -> bool {
    value.is_sign_negative() && !value.is_zero()
}

fn decimals(value: Decimal) -> u32 {
    value.normalize().scale()
}

// ---------------------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------------------

/// Checks a piece of text: required or not, its length, and no control characters.
fn check_text(problems: &mut Vec<IsfProblem>, field: &str, value: &str, max: usize) {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        problems.push(problem(field, "This cannot be empty."));
    } else if trimmed.chars().count() > max {
        problems.push(problem_with(
            field,
            "Use at most { $max } characters.",
            &[("max", max.to_string())],
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        problems.push(problem(field, "Remove special control characters."));
    }
}

fn check_list(problems: &mut Vec<IsfProblem>, field: &str, items: &[String], max_chars: usize) {
    if items.len() > MAX_LIST_ITEMS {
        problems.push(problem_with(
            field,
            "List at most { $max } items.",
            &[("max", MAX_LIST_ITEMS.to_string())],
        ));
    }
    for (i, item) in items.iter().enumerate() {
        check_text(problems, &format!("{field}[{i}]"), item, max_chars);
    }
}

fn check_money(problems: &mut Vec<IsfProblem>, field: &str, value: Decimal) {
    if is_negative(value) {
        problems.push(problem(field, "Money cannot be negative."));
    } else if value > max_money() {
        problems.push(problem(
            field,
            "This is too large: give at most 1,000,000,000,000.",
        ));
    }
    if decimals(value) > MAX_MONEY_DECIMALS {
        problems.push(problem_with(
            field,
            "Use at most { $places } decimal places.",
            &[("places", MAX_MONEY_DECIMALS.to_string())],
        ));
    }
}

fn check_quantity(problems: &mut Vec<IsfProblem>, field: &str, value: Decimal) {
    if is_negative(value) {
        problems.push(problem(field, "A quantity cannot be negative."));
    } else if value > max_quantity() {
        problems.push(problem(
            field,
            "This quantity is too large: give at most 1,000,000 per budget period.",
        ));
    }
    if decimals(value) > MAX_QUANTITY_DECIMALS {
        problems.push(problem_with(
            field,
            "Use at most { $places } decimal places.",
            &[("places", MAX_QUANTITY_DECIMALS.to_string())],
        ));
    }
}

fn check_percent(problems: &mut Vec<IsfProblem>, field: &str, value: Decimal) {
    if is_negative(value) || value > Decimal::ONE_HUNDRED {
        problems.push(problem(field, "Give a percentage between 0 and 100."));
    }
    if decimals(value) > MAX_PERCENT_DECIMALS {
        problems.push(problem_with(
            field,
            "Use at most { $places } decimal places.",
            &[("places", MAX_PERCENT_DECIMALS.to_string())],
        ));
    }
}

fn check_duration(problems: &mut Vec<IsfProblem>, field: &str, value: &str) {
    if !is_iso8601_duration(value) {
        problems.push(problem(
            field,
            "Give a period as an ISO 8601 duration, such as P1M for every month or P2W for every two weeks.",
        ));
    }
}

/// True for a non-zero ISO 8601 duration such as `P1M`, `P2W`, `P1Y6M` or `PT12H`
/// (whole numbers, designators in order).
pub fn is_iso8601_duration(value: &str) -> bool {
    let Some(rest) = value.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    let Some((date_parts, date_nonzero)) = duration_parts(date, &['Y', 'M', 'W', 'D']) else {
        return false;
    };
    let (time_parts, time_nonzero) = match time {
        Some(time) => match duration_parts(time, &['H', 'M', 'S']) {
            Some((0, _)) | None => return false,
            Some(parts) => parts,
        },
        None => (0, false),
    };
    date_parts + time_parts > 0 && (date_nonzero || time_nonzero)
}

/// Counts `<digits><designator>` parts in order; `None` if malformed.
fn duration_parts(text: &str, designators: &[char]) -> Option<(usize, bool)> {
    let mut parts = 0;
    let mut nonzero = false;
    let mut next = 0;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let position = designators.iter().position(|d| *d == c)?;
        if digits.is_empty() || digits.len() > 6 || position < next {
            return None;
        }
        nonzero |= digits.chars().any(|d| d != '0');
        digits.clear();
        next = position + 1;
        parts += 1;
    }
    if digits.is_empty() {
        Some((parts, nonzero))
    } else {
        None
    }
}

fn is_upper_alpha(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_uppercase())
}

// ---------------------------------------------------------------------------------------
// Validation, figures, currency change
// ---------------------------------------------------------------------------------------

impl IsfTemplateData {
    /// Every problem with the template, each with the path of its field; empty when the
    /// template is valid and its figures can be computed.
    pub fn validate(&self) -> Vec<IsfProblem> {
        self.check().err().unwrap_or_default()
    }

    /// Validates the template, then computes its figures (see [`IsfFigures`] and
    /// `docs/ISF.md`); on any problem, returns all of them.
    pub fn compute(&self) -> Result<IsfFigures, Vec<IsfProblem>> {
        self.check()
    }

    /// The template for another currency, for a peer adapting it abroad. `code` is an ISO
    /// 4217 code (case does not matter). With an exchange rate (units of the new currency
    /// per unit of the old), every monetary input — line rates, fixed amounts and a fixed
    /// management fee, but not percentages or quantities — is multiplied by it and
    /// rounded to the new currency's minor units, half away from zero; without one, the
    /// numbers are kept as they are and only the currency changes. The result is
    /// validated; any problem with the code, the rate or the result is returned.
    pub fn with_currency(
        &self,
        code: &str,
        exchange_rate: Option<Decimal>,
    ) -> Result<IsfTemplateData, Vec<IsfProblem>> {
        let code = code.trim().to_ascii_uppercase();
        let mut problems = Vec::new();
        let units = minor_units(&code);
        if let Some(currency_problem) = currency_problem(&code) {
            problems.push(currency_problem);
        } else if let Some(newer) = Currency::from_code(&code).and_then(|c| c.is_superseded()) {
            problems.push(problem_with(
                "currency",
                "{ $code } has been replaced by { $newer }; use that instead.",
                &[("code", code.clone()), ("newer", newer.code().to_string())],
            ));
        }
        if let Some(rate) = exchange_rate {
            if rate <= Decimal::ZERO {
                problems.push(problem(
                    "exchange_rate",
                    "Give an exchange rate greater than 0.",
                ));
            } else if rate > max_exchange_rate() {
                problems.push(problem("exchange_rate", "This exchange rate is too large."));
            }
            if decimals(rate) > MAX_EXCHANGE_RATE_DECIMALS {
                problems.push(problem_with(
                    "exchange_rate",
                    "Use at most { $places } decimal places.",
                    &[("places", MAX_EXCHANGE_RATE_DECIMALS.to_string())],
                ));
            }
        }
        let Some(units) = units.filter(|_| problems.is_empty()) else {
            return Err(problems);
        };

        let mut adapted = self.clone();
        adapted.currency = code;
        if let Some(rate) = exchange_rate {
            let convert = |value: &mut Option<Decimal>, field: String, problems: &mut Vec<_>| {
                if let Some(v) = *value {
                    match v.checked_mul(rate) {
                        Some(converted) => *value = Some(round_money(converted, units)),
                        None => problems.push(problem(field, "This is too large to convert.")),
                    }
                }
            };
            for (i, line) in adapted.budget_lines.iter_mut().enumerate() {
                convert(
                    &mut line.rate,
                    format!("budget_lines[{i}].rate"),
                    &mut problems,
                );
                convert(
                    &mut line.amount,
                    format!("budget_lines[{i}].amount"),
                    &mut problems,
                );
            }
            if adapted.management_fee.basis == FeeBasis::Fixed {
                let mut value = Some(adapted.management_fee.value);
                convert(
                    &mut value,
                    "management_fee.value".to_string(),
                    &mut problems,
                );
                if let Some(v) = value {
                    adapted.management_fee.value = v;
                }
            }
        }
        problems.extend(adapted.validate());
        if problems.is_empty() {
            Ok(adapted)
        } else {
            Err(problems)
        }
    }

    /// All the checks, then the figures if there was no problem.
    fn check(&self) -> Result<IsfFigures, Vec<IsfProblem>> {
        let mut problems = Vec::new();
        self.check_jurisdiction(&mut problems);
        let units = match currency_problem(&self.currency) {
            Some(currency_problem) => {
                problems.push(currency_problem);
                None
            }
            None => minor_units(&self.currency),
        };
        self.check_lines(&mut problems);
        self.check_fee(&mut problems);
        self.check_terms(&mut problems);
        match units {
            Some(units) if problems.is_empty() => self.figures(units),
            _ => Err(problems),
        }
    }

    fn check_jurisdiction(&self, problems: &mut Vec<IsfProblem>) {
        let j = &self.jurisdiction;
        if !is_upper_alpha(&j.country, 2) {
            problems.push(problem(
                "jurisdiction.country",
                "Give the country as a two-letter ISO 3166 code in capitals, such as GB or FI.",
            ));
        }
        if let Some(sub) = j.subdivision.as_deref().filter(|s| !s.trim().is_empty()) {
            let well_formed = sub.split_once('-').is_some_and(|(country, part)| {
                country == j.country
                    && (1..=3).contains(&part.len())
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            });
            if !well_formed {
                problems.push(problem(
                    "jurisdiction.subdivision",
                    "Give the region as an ISO 3166-2 code within the country, such as GB-SCT.",
                ));
            }
        }
        check_text(
            problems,
            "jurisdiction.scheme",
            &j.scheme,
            MAX_SHORT_TEXT_CHARS,
        );
    }

    fn check_lines(&self, problems: &mut Vec<IsfProblem>) {
        if self.budget_lines.is_empty() {
            problems.push(problem("budget_lines", "Add at least one budget line."));
        } else if self.budget_lines.len() > MAX_BUDGET_LINES {
            problems.push(problem_with(
                "budget_lines",
                "Use at most { $max } budget lines; this template has { $count }.",
                &[
                    ("max", MAX_BUDGET_LINES.to_string()),
                    ("count", self.budget_lines.len().to_string()),
                ],
            ));
        }
        for (i, line) in self.budget_lines.iter().enumerate() {
            let path = format!("budget_lines[{i}]");
            check_text(
                problems,
                &format!("{path}.description"),
                &line.description,
                MAX_DESCRIPTION_CHARS,
            );
            if line.unit.is_fixed() {
                match line.amount {
                    Some(amount) => check_money(problems, &format!("{path}.amount"), amount),
                    None => problems.push(problem(
                        format!("{path}.amount"),
                        "A fixed line needs an amount.",
                    )),
                }
                for (name, value) in [("rate", line.rate), ("quantity", line.quantity)] {
                    if value.is_some() {
                        problems.push(problem_with(
                            format!("{path}.{name}"),
                            "A fixed line has an amount, not a { $field }: remove the { $field }, or choose a unit such as hour.",
                            &[("field", name.to_string())],
                        ));
                    }
                }
            } else {
                let unit = line.unit.as_str();
                match line.rate {
                    Some(rate) => check_money(problems, &format!("{path}.rate"), rate),
                    None => problems.push(problem_with(
                        format!("{path}.rate"),
                        "A line priced per { $unit } needs a rate.",
                        &[("unit", unit.to_string())],
                    )),
                }
                match line.quantity {
                    Some(q) => check_quantity(problems, &format!("{path}.quantity"), q),
                    None => problems.push(problem_with(
                        format!("{path}.quantity"),
                        "A line priced per { $unit } needs a quantity.",
                        &[("unit", unit.to_string())],
                    )),
                }
                if line.amount.is_some() {
                    problems.push(problem_with(
                        format!("{path}.amount"),
                        "A line priced per { $unit } has a rate and a quantity, not an amount: remove the amount, or choose the unit \"fixed\".",
                        &[("unit", unit.to_string())],
                    ));
                }
            }
            if let Some(variant) = &line.rate_variant {
                check_text(
                    problems,
                    &format!("{path}.rate_variant"),
                    variant,
                    MAX_SHORT_TEXT_CHARS,
                );
            }
        }
    }

    fn check_fee(&self, problems: &mut Vec<IsfProblem>) {
        let fee = &self.management_fee;
        match fee.basis {
            FeeBasis::Percent => check_percent(problems, "management_fee.value", fee.value),
            FeeBasis::Fixed => check_money(problems, "management_fee.value", fee.value),
        }
        check_list(
            problems,
            "management_fee.covers",
            &fee.covers,
            MAX_SHORT_TEXT_CHARS,
        );
    }

    fn check_terms(&self, problems: &mut Vec<IsfProblem>) {
        if let Some(flex) = &self.flexibility {
            if let Some(p) = flex.third_party_min_percent {
                check_percent(problems, "flexibility.third_party_min_percent", p);
            }
            if let Some(who) = &flex.decisions_day_to_day {
                check_text(
                    problems,
                    "flexibility.decisions_day_to_day",
                    who,
                    MAX_SHORT_TEXT_CHARS,
                );
            }
        }
        if let Some(cadence) = &self.payment_cadence {
            check_text(problems, "payment_cadence", cadence, MAX_SHORT_TEXT_CHARS);
        }
        if let Some(reporting) = &self.reporting_to_person {
            if let Some(every) = &reporting.every {
                check_duration(problems, "reporting_to_person.every", every);
            }
            check_list(
                problems,
                "reporting_to_person.shows",
                &reporting.shows,
                MAX_SHORT_TEXT_CHARS,
            );
            check_list(
                problems,
                "reporting_to_person.formats",
                &reporting.formats,
                MAX_SHORT_TEXT_CHARS,
            );
        }
        if let Some(review) = &self.review {
            if let Some(every) = &review.every {
                check_duration(problems, "review.every", every);
            }
            check_list(
                problems,
                "review.triggers",
                &review.triggers,
                MAX_SHORT_TEXT_CHARS,
            );
        }
        if let Some(unspent) = self
            .termination
            .as_ref()
            .and_then(|t| t.unspent_funds.as_ref())
        {
            check_text(
                problems,
                "termination.unspent_funds",
                unspent,
                MAX_SHORT_TEXT_CHARS,
            );
        }
        check_list(problems, "outcomes", &self.outcomes, MAX_OUTCOME_CHARS);
    }

    /// The arithmetic, on a template whose fields have passed their checks. Uses checked
    /// operations throughout, so it reports rather than panics.
    fn figures(&self, units: u32) -> Result<IsfFigures, Vec<IsfProblem>> {
        let too_large = || {
            vec![problem(
                "budget_lines",
                "The figures are too large to work out; check the rates, quantities and amounts.",
            )]
        };
        let periods = self.budget_period.periods_per_year();
        let factor = Decimal::from(periods);
        let weeks = Decimal::from(52_u32);
        let currency = self.currency.as_str();

        let mut lines = Vec::with_capacity(self.budget_lines.len());
        let mut lines_total = Decimal::ZERO;
        for line in &self.budget_lines {
            let exact = line.exact_amount().ok_or_else(too_large)?;
            let signed = if line.kind.reduces_total() {
                -exact
            } else {
                exact
            };
            let per_period = round_money(signed, units);
            let annual = round_money(signed.checked_mul(factor).ok_or_else(too_large)?, units);
            lines_total = lines_total.checked_add(per_period).ok_or_else(too_large)?;
            lines.push(LineFigures {
                description: line.description.clone(),
                kind: line.kind,
                per_period,
                annual,
            });
        }
        if is_negative(lines_total) {
            return Err(vec![problem_with(
                "budget_lines",
                "The person's contributions are more than the costs: the lines come to { $total } { $currency } per { $period }.",
                &[
                    ("total", lines_total.to_string()),
                    ("currency", currency.to_string()),
                    ("period", self.budget_period.label().to_string()),
                ],
            )]);
        }

        let fee = &self.management_fee;
        let fee_exact = match fee.basis {
            FeeBasis::Percent => lines_total
                .checked_mul(fee.value)
                .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
                .ok_or_else(too_large)?,
            FeeBasis::Fixed => fee.value,
        };
        let management_fee = round_money(fee_exact, units);
        let (total_exact, direct_support) = match fee.funded {
            FeeFunding::WithinBudget => {
                if management_fee > lines_total {
                    return Err(vec![problem_with(
                        "management_fee.value",
                        "The management fee ({ $fee } { $currency }) is more than the whole budget ({ $total } { $currency }); nothing would be left for support.",
                        &[
                            ("fee", management_fee.to_string()),
                            ("currency", currency.to_string()),
                            ("total", lines_total.to_string()),
                        ],
                    )]);
                }
                (lines_total, lines_total - management_fee)
            }
            FeeFunding::InAddition => (
                lines_total.checked_add(fee_exact).ok_or_else(too_large)?,
                lines_total,
            ),
        };
        let total_per_period = round_money(total_exact, units);

        let annual_exact = total_exact.checked_mul(factor).ok_or_else(too_large)?;
        let annual_lines_total = round_money(
            lines_total.checked_mul(factor).ok_or_else(too_large)?,
            units,
        );
        let annual_management_fee =
            round_money(fee_exact.checked_mul(factor).ok_or_else(too_large)?, units);
        let annual_total = round_money(annual_exact, units);
        let annual_direct_support = match fee.funded {
            FeeFunding::WithinBudget => annual_total - annual_management_fee,
            FeeFunding::InAddition => annual_lines_total,
        };
        let weekly_equivalent = round_money(
            annual_exact.checked_div(weeks).ok_or_else(too_large)?,
            units,
        );
        let management_share_percent = if total_exact.is_zero() {
            round_money(Decimal::ZERO, 2)
        } else {
            round_money(
                fee_exact
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .and_then(|v| v.checked_div(total_exact))
                    .ok_or_else(too_large)?,
                2,
            )
        };

        Ok(IsfFigures {
            currency: self.currency.clone(),
            minor_units: units,
            budget_period: self.budget_period,
            periods_per_year: periods,
            lines,
            lines_total,
            management_fee,
            management_share_percent,
            direct_support,
            total_per_period,
            annual_lines_total,
            annual_management_fee,
            annual_direct_support,
            annual_total,
            weekly_equivalent,
        })
    }
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

/// The CSV header row's columns.
pub const CSV_COLUMNS: [&str; 9] = [
    "kind",
    "description",
    "unit",
    "rate",
    "quantity",
    "rate_variant",
    "per_period",
    "annual",
    "currency",
];

/// One CSV field, quoted per RFC 4180 when it holds a comma, a quote or a line break.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// Text typed by people: a leading `=`, `+`, `-`, `@`, tab or carriage return would make
/// a spreadsheet run it as a formula, so such text gets a leading apostrophe.
fn csv_text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        csv_field(&format!("'{value}"))
    } else {
        csv_field(value)
    }
}

fn push_csv_row(out: &mut String, cells: [String; 9]) {
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

fn decimal_cell(value: Option<Decimal>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl IsfFigures {
    /// The budget as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when
    /// they hold a comma, a quote or a line break). A header row ([`CSV_COLUMNS`]), one
    /// row per budget line of `data` (the template these figures were computed from),
    /// then summary rows whose `kind` is `lines_total`, `management_fee`, `total` and
    /// `annual_total`. Rates and quantities are as typed; a fixed line's amount is in
    /// `per_period`. A contribution's figures are negative.
    pub fn to_csv(&self, data: &IsfTemplateData) -> String {
        let mut out = String::new();
        push_csv_row(&mut out, CSV_COLUMNS.map(str::to_string));
        let currency = csv_field(&self.currency);
        for (i, figures) in self.lines.iter().enumerate() {
            let line = data.budget_lines.get(i);
            push_csv_row(
                &mut out,
                [
                    figures.kind.as_str().to_string(),
                    csv_text(&figures.description),
                    line.map(|l| l.unit.as_str().to_string())
                        .unwrap_or_default(),
                    decimal_cell(line.and_then(|l| l.rate)),
                    decimal_cell(line.and_then(|l| l.quantity)),
                    csv_text(line.and_then(|l| l.rate_variant.as_deref()).unwrap_or("")),
                    figures.per_period.to_string(),
                    figures.annual.to_string(),
                    currency.clone(),
                ],
            );
        }

        let fee = &data.management_fee;
        let funded = match fee.funded {
            FeeFunding::WithinBudget => "within the budget",
            FeeFunding::InAddition => "on top of the lines",
        };
        let fee_description = match fee.basis {
            FeeBasis::Percent => {
                format!("Management fee: {}% {funded}", fee.value.normalize())
            }
            FeeBasis::Fixed => format!(
                "Management fee: {} {} per {} {funded}",
                self.management_fee,
                self.currency,
                self.budget_period.label()
            ),
        };
        let year = match self.budget_period {
            BudgetPeriod::Week => "52 weeks",
            BudgetPeriod::FourWeeks => "13 periods of four weeks",
            BudgetPeriod::Month => "12 months",
            BudgetPeriod::Year => "one year",
        };
        let summary = [
            (
                "lines_total",
                "Lines total".to_string(),
                self.lines_total.to_string(),
                self.annual_lines_total.to_string(),
            ),
            (
                "management_fee",
                fee_description,
                self.management_fee.to_string(),
                self.annual_management_fee.to_string(),
            ),
            (
                "total",
                format!("Total per {}", self.budget_period.label()),
                self.total_per_period.to_string(),
                self.annual_total.to_string(),
            ),
            (
                "annual_total",
                format!("Annual total ({year})"),
                String::new(),
                self.annual_total.to_string(),
            ),
        ];
        for (kind, description, per_period, annual) in summary {
            push_csv_row(
                &mut out,
                [
                    kind.to_string(),
                    csv_field(&description),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    per_period,
                    annual,
                    currency.clone(),
                ],
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first sample template of the corpus, as published.
    const GLASGOW: &str = r#"{
      "organisation": "partners-glasgow",
      "title": "ISF for 24-hour support in a person's own home",
      "lang": "en",
      "summary": "A weekly ISF for someone with complex needs living alone with a small stable team, including night cover and a contingency.",
      "jurisdiction": {"country": "GB", "subdivision": "GB-SCT", "scheme": "sds_option2"},
      "currency": "GBP",
      "budget_period": "week",
      "budget_lines": [
        {"kind": "support_hours", "description": "Day support", "unit": "hour", "rate": "21.50", "quantity": "98", "rate_variant": "day"},
        {"kind": "support_hours", "description": "Sleep-in nights", "unit": "session", "rate": "95.00", "quantity": "7", "rate_variant": "night"},
        {"kind": "support_hours", "description": "Weekend enhancement", "unit": "hour", "rate": "2.50", "quantity": "28", "rate_variant": "weekend"},
        {"kind": "activities", "description": "Community activities and travel", "unit": "fixed", "amount": "60.00"},
        {"kind": "contingency", "description": "Contingency for crises and changes", "unit": "fixed", "amount": "50.00"}
      ],
      "management_fee": {"basis": "percent", "value": "8", "funded": "within_budget", "covers": ["payroll", "training", "on-call", "supervision"]},
      "flexibility": {"banking": true, "surplus_cap_periods": 4, "surplus_max_weeks": 12, "third_party_min_percent": "0", "decisions_day_to_day": "person_with_provider"},
      "reporting_to_person": {"every": "P1M", "shows": ["hours", "rate", "spend_by_line", "balance", "banked"], "formats": ["easy_read", "standard"]},
      "review": {"every": "P6M", "triggers": ["change in health", "person asks"]},
      "termination": {"notice_days_person": 28, "notice_days_provider": 90, "unspent_funds": "stay_with_person", "handover_duty": true},
      "outcomes": ["I live in my own home with people I chose.", "I decide how my week goes."],
      "topics": ["financial-management", "power-accountability"],
      "licence": "CC-BY-4.0"
    }"#;

    /// The fields of the JSON that belong to the content item, not to this module.
    const ITEM_FIELDS: [&str; 6] = [
        "organisation",
        "title",
        "lang",
        "summary",
        "topics",
        "licence",
    ];

    fn d(text: &str) -> Decimal {
        text.parse().expect("a decimal")
    }

    fn glasgow() -> IsfTemplateData {
        serde_json::from_str(GLASGOW).expect("the sample parses")
    }

    fn line(kind: LineKind, unit: Unit, rate: &str, quantity: &str) -> BudgetLine {
        BudgetLine {
            kind,
            description: format!("{} line", kind.as_str()),
            unit,
            rate: Some(d(rate)),
            quantity: Some(d(quantity)),
            amount: None,
            rate_variant: None,
        }
    }

    fn fixed(kind: LineKind, amount: &str) -> BudgetLine {
        BudgetLine {
            kind,
            description: format!("{} amount", kind.as_str()),
            unit: Unit::Fixed,
            rate: None,
            quantity: None,
            amount: Some(d(amount)),
            rate_variant: None,
        }
    }

    fn template(
        currency: &str,
        period: BudgetPeriod,
        lines: Vec<BudgetLine>,
        basis: FeeBasis,
        value: &str,
        funded: FeeFunding,
    ) -> IsfTemplateData {
        IsfTemplateData {
            jurisdiction: Jurisdiction {
                country: "GB".to_string(),
                subdivision: None,
                scheme: "isf".to_string(),
            },
            currency: currency.to_string(),
            budget_period: period,
            budget_lines: lines,
            management_fee: ManagementFee {
                basis,
                value: d(value),
                funded,
                covers: vec!["payroll".to_string()],
            },
            flexibility: None,
            payment_cadence: None,
            reporting_to_person: None,
            review: None,
            termination: None,
            outcomes: Vec::new(),
        }
    }

    fn figures(data: &IsfTemplateData) -> IsfFigures {
        match data.compute() {
            Ok(f) => f,
            Err(problems) => panic!("unexpected problems: {problems:?}"),
        }
    }

    fn fields(problems: &[IsfProblem]) -> Vec<&str> {
        problems.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn glasgow_sample_figures_by_hand() {
        // Day support 21.50 × 98 = 2107.00; sleep-ins 95.00 × 7 = 665.00; weekend
        // enhancement 2.50 × 28 = 70.00; activities 60.00; contingency 50.00.
        // Lines 2952.00 a week; 8 % within the budget: fee 236.16, support 2715.84.
        // A year is 52 weeks: 153504.00, of which the fee 12280.32.
        let data = glasgow();
        assert!(data.validate().is_empty());
        let f = figures(&data);
        let per_period: Vec<Decimal> = f.lines.iter().map(|l| l.per_period).collect();
        assert_eq!(
            per_period,
            [
                d("2107.00"),
                d("665.00"),
                d("70.00"),
                d("60.00"),
                d("50.00")
            ]
        );
        let annual: Vec<String> = f.lines.iter().map(|l| l.annual.to_string()).collect();
        assert_eq!(
            annual,
            ["109564.00", "34580.00", "3640.00", "3120.00", "2600.00"]
        );
        assert_eq!(f.currency, "GBP");
        assert_eq!(f.budget_period, BudgetPeriod::Week);
        assert_eq!(f.periods_per_year, 52);
        assert_eq!(f.lines_total.to_string(), "2952.00");
        assert_eq!(f.management_fee.to_string(), "236.16");
        assert_eq!(f.management_share_percent.to_string(), "8.00");
        assert_eq!(f.direct_support.to_string(), "2715.84");
        assert_eq!(f.total_per_period.to_string(), "2952.00");
        assert_eq!(f.annual_lines_total.to_string(), "153504.00");
        assert_eq!(f.annual_management_fee.to_string(), "12280.32");
        assert_eq!(f.annual_direct_support.to_string(), "141223.68");
        assert_eq!(f.annual_total.to_string(), "153504.00");
        assert_eq!(f.weekly_equivalent.to_string(), "2952.00");
    }

    #[test]
    fn glasgow_sample_with_the_fee_on_top() {
        let mut data = glasgow();
        data.management_fee.funded = FeeFunding::InAddition;
        let f = figures(&data);
        assert_eq!(f.management_fee.to_string(), "236.16");
        assert_eq!(f.total_per_period.to_string(), "3188.16");
        assert_eq!(f.direct_support.to_string(), "2952.00");
        assert_eq!(f.annual_total.to_string(), "165784.32");
        // 236.16 / 3188.16 = 8 / 108 = 7.407…
        assert_eq!(f.management_share_percent.to_string(), "7.41");
    }

    #[test]
    fn figures_serialise_money_as_strings() {
        let json = serde_json::to_value(figures(&glasgow())).expect("serialises");
        assert_eq!(json["total_per_period"], "2952.00");
        assert_eq!(json["management_fee"], "236.16");
        assert_eq!(json["lines"][0]["per_period"], "2107.00");
        assert_eq!(json["lines"][0]["kind"], "support_hours");
        assert_eq!(json["budget_period"], "week");
    }

    #[test]
    fn sample_round_trips_without_the_item_fields() {
        let original: serde_json::Value = serde_json::from_str(GLASGOW).expect("json");
        let mut expected = original.clone();
        if let Some(map) = expected.as_object_mut() {
            for key in ITEM_FIELDS {
                map.remove(key);
            }
        }
        let data: IsfTemplateData = serde_json::from_value(original).expect("parses");
        let back = serde_json::to_value(&data).expect("serialises");
        assert_eq!(back, expected);
        let again: IsfTemplateData = serde_json::from_value(back).expect("parses again");
        assert_eq!(again, data);
    }

    #[test]
    fn optional_fields_may_be_left_out() {
        let json = r#"{
          "jurisdiction": {"country": "FI"},
          "currency": "EUR",
          "budget_period": "month",
          "budget_lines": [{"kind": "other", "description": "Help", "unit": "fixed", "amount": "10"}],
          "management_fee": {"basis": "percent", "value": "0", "funded": "within_budget"},
          "something_new": {"nested": true}
        }"#;
        let data: IsfTemplateData = serde_json::from_str(json).expect("parses");
        assert_eq!(data.jurisdiction.subdivision, None);
        assert!(data.flexibility.is_none() && data.review.is_none());
        // The scheme is required by validation, not by parsing.
        assert_eq!(fields(&data.validate()), ["jurisdiction.scheme"]);
    }

    #[test]
    fn money_must_be_strings_and_kinds_known() {
        let numeric = GLASGOW.replace(r#""rate": "21.50""#, r#""rate": 21.50"#);
        assert!(serde_json::from_str::<IsfTemplateData>(&numeric).is_err());
        let unknown = GLASGOW.replace(r#""kind": "activities""#, r#""kind": "holidays""#);
        assert!(serde_json::from_str::<IsfTemplateData>(&unknown).is_err());
        let mile = GLASGOW.replace(r#""unit": "session""#, r#""unit": "mile""#);
        assert!(serde_json::from_str::<IsfTemplateData>(&mile).is_ok());
    }

    #[test]
    fn rounds_each_line_once_half_away_from_zero() {
        let lines = vec![
            line(LineKind::SupportHours, Unit::Hour, "33.335", "1"),
            line(LineKind::SupportHours, Unit::Hour, "33.335", "1"),
            line(LineKind::SupportHours, Unit::Hour, "33.335", "1"),
        ];
        let data = template(
            "GBP",
            BudgetPeriod::Week,
            lines,
            FeeBasis::Percent,
            "0",
            FeeFunding::WithinBudget,
        );
        let f = figures(&data);
        for l in &f.lines {
            assert_eq!(l.per_period.to_string(), "33.34");
            // 33.335 × 52 = 1733.42 exactly: the annual figure comes from the exact value.
            assert_eq!(l.annual.to_string(), "1733.42");
        }
        // The sum of the rounded lines, not the rounded sum (100.005 → 100.01).
        assert_eq!(f.lines_total.to_string(), "100.02");
        assert_eq!(f.total_per_period.to_string(), "100.02");
        assert_eq!(f.annual_total.to_string(), "5201.04");
        assert_eq!(f.management_fee.to_string(), "0.00");
        assert_eq!(f.management_share_percent.to_string(), "0.00");

        // Half away from zero, not half to even.
        assert_eq!(round_money(d("33.345"), 2).to_string(), "33.35");
        assert_eq!(round_money(d("2.925"), 2).to_string(), "2.93");
        assert_eq!(round_money(d("-2.925"), 2).to_string(), "-2.93");
        assert_eq!(round_money(d("0.125"), 2).to_string(), "0.13");
        assert_eq!(round_money(d("2.5"), 0).to_string(), "3");
        assert_eq!(round_money(d("-2.5"), 0).to_string(), "-3");
        assert_eq!(round_money(d("1.2345"), 3).to_string(), "1.235");
        assert_eq!(round_money(d("60"), 2).to_string(), "60.00");
        assert_eq!(round_money(d("-0.001"), 2).to_string(), "0.00");
    }

    #[test]
    fn line_amounts_round_in_the_currency_of_the_template() {
        let lines = vec![line(LineKind::Sessional, Unit::Session, "1.2345", "1")];
        let kwd = template(
            "KWD",
            BudgetPeriod::Week,
            lines.clone(),
            FeeBasis::Percent,
            "0",
            FeeFunding::WithinBudget,
        );
        assert_eq!(figures(&kwd).lines_total.to_string(), "1.235");
        let jpy = template(
            "JPY",
            BudgetPeriod::Week,
            lines,
            FeeBasis::Percent,
            "0",
            FeeFunding::WithinBudget,
        );
        assert_eq!(figures(&jpy).lines_total.to_string(), "1");
    }

    #[test]
    fn percent_fee_within_budget_and_in_addition() {
        let lines = vec![line(LineKind::SupportHours, Unit::Hour, "25.00", "40")];
        let within = template(
            "GBP",
            BudgetPeriod::Week,
            lines.clone(),
            FeeBasis::Percent,
            "10",
            FeeFunding::WithinBudget,
        );
        let f = figures(&within);
        assert_eq!(f.lines_total.to_string(), "1000.00");
        assert_eq!(f.management_fee.to_string(), "100.00");
        assert_eq!(f.direct_support.to_string(), "900.00");
        assert_eq!(f.total_per_period.to_string(), "1000.00");
        assert_eq!(f.management_share_percent.to_string(), "10.00");
        assert_eq!(f.annual_total.to_string(), "52000.00");
        assert_eq!(f.annual_direct_support.to_string(), "46800.00");

        let on_top = template(
            "GBP",
            BudgetPeriod::Week,
            lines,
            FeeBasis::Percent,
            "10",
            FeeFunding::InAddition,
        );
        let f = figures(&on_top);
        assert_eq!(f.lines_total.to_string(), "1000.00");
        assert_eq!(f.management_fee.to_string(), "100.00");
        assert_eq!(f.direct_support.to_string(), "1000.00");
        assert_eq!(f.total_per_period.to_string(), "1100.00");
        // 100 / 1100 = 9.0909…
        assert_eq!(f.management_share_percent.to_string(), "9.09");
        assert_eq!(f.annual_total.to_string(), "57200.00");
        assert_eq!(f.annual_management_fee.to_string(), "5200.00");
        assert_eq!(f.weekly_equivalent.to_string(), "1100.00");
    }

    #[test]
    fn annual_fee_comes_from_the_unrounded_weekly_fee() {
        // 7.5 % of 333.33 = 24.99975: 25.00 a week, but 1299.987 → 1299.99 a year
        // (not 25.00 × 52 = 1300.00).
        let data = template(
            "GBP",
            BudgetPeriod::Week,
            vec![fixed(LineKind::SupportHours, "333.33")],
            FeeBasis::Percent,
            "7.5",
            FeeFunding::WithinBudget,
        );
        let f = figures(&data);
        assert_eq!(f.management_fee.to_string(), "25.00");
        assert_eq!(f.direct_support.to_string(), "308.33");
        assert_eq!(f.annual_total.to_string(), "17333.16");
        assert_eq!(f.annual_management_fee.to_string(), "1299.99");
        assert_eq!(f.annual_direct_support.to_string(), "16033.17");
        assert_eq!(f.management_share_percent.to_string(), "7.50");
    }

    #[test]
    fn fixed_fee_within_budget_and_in_addition() {
        let lines = vec![fixed(LineKind::SupportHours, "2000.00")];
        let within = template(
            "GBP",
            BudgetPeriod::Month,
            lines.clone(),
            FeeBasis::Fixed,
            "150",
            FeeFunding::WithinBudget,
        );
        let f = figures(&within);
        assert_eq!(f.management_fee.to_string(), "150.00");
        assert_eq!(f.direct_support.to_string(), "1850.00");
        assert_eq!(f.total_per_period.to_string(), "2000.00");
        assert_eq!(f.management_share_percent.to_string(), "7.50");
        assert_eq!(f.annual_total.to_string(), "24000.00");
        assert_eq!(f.annual_management_fee.to_string(), "1800.00");
        assert_eq!(f.annual_direct_support.to_string(), "22200.00");
        // 24000 / 52 = 461.538…
        assert_eq!(f.weekly_equivalent.to_string(), "461.54");

        let on_top = template(
            "GBP",
            BudgetPeriod::Month,
            lines,
            FeeBasis::Fixed,
            "150",
            FeeFunding::InAddition,
        );
        let f = figures(&on_top);
        assert_eq!(f.management_fee.to_string(), "150.00");
        assert_eq!(f.direct_support.to_string(), "2000.00");
        assert_eq!(f.total_per_period.to_string(), "2150.00");
        // 150 / 2150 = 6.976…
        assert_eq!(f.management_share_percent.to_string(), "6.98");
        assert_eq!(f.annual_total.to_string(), "25800.00");
        // 25800 / 52 = 496.153…
        assert_eq!(f.weekly_equivalent.to_string(), "496.15");
    }

    #[test]
    fn fixed_fee_larger_than_the_budget_is_a_problem() {
        let data = template(
            "GBP",
            BudgetPeriod::Week,
            vec![fixed(LineKind::Other, "100")],
            FeeBasis::Fixed,
            "100.01",
            FeeFunding::WithinBudget,
        );
        assert_eq!(fields(&data.validate()), ["management_fee.value"]);
        assert!(data.compute().is_err());
    }

    #[test]
    fn annual_factors_for_each_period() {
        let expected = [
            (BudgetPeriod::Week, 52, "6240.00", "120.00"),
            (BudgetPeriod::FourWeeks, 13, "1560.00", "30.00"),
            (BudgetPeriod::Month, 12, "1440.00", "27.69"),
            (BudgetPeriod::Year, 1, "120.00", "2.31"),
        ];
        for (period, factor, annual, weekly) in expected {
            // 100.00 of lines and a fixed fee of 20.00 on top: 120.00 a period.
            let data = template(
                "GBP",
                period,
                vec![fixed(LineKind::SupportHours, "100.00")],
                FeeBasis::Fixed,
                "20",
                FeeFunding::InAddition,
            );
            let f = figures(&data);
            assert_eq!(period.periods_per_year(), factor);
            assert_eq!(f.periods_per_year, factor);
            assert_eq!(f.total_per_period.to_string(), "120.00");
            assert_eq!(f.annual_total.to_string(), annual, "{period:?}");
            assert_eq!(f.weekly_equivalent.to_string(), weekly, "{period:?}");
        }
    }

    #[test]
    fn monthly_percent_fee_on_top() {
        let data = template(
            "EUR",
            BudgetPeriod::Month,
            vec![line(LineKind::SupportHours, Unit::Hour, "25.00", "40")],
            FeeBasis::Percent,
            "5",
            FeeFunding::InAddition,
        );
        let f = figures(&data);
        assert_eq!(f.management_fee.to_string(), "50.00");
        assert_eq!(f.total_per_period.to_string(), "1050.00");
        assert_eq!(f.annual_total.to_string(), "12600.00");
        assert_eq!(f.weekly_equivalent.to_string(), "242.31");
        assert_eq!(f.management_share_percent.to_string(), "4.76");
    }

    #[test]
    fn a_contribution_reduces_the_total() {
        let data = template(
            "GBP",
            BudgetPeriod::Week,
            vec![
                line(LineKind::SupportHours, Unit::Hour, "25.00", "20"),
                fixed(LineKind::Contribution, "40.00"),
            ],
            FeeBasis::Percent,
            "10",
            FeeFunding::WithinBudget,
        );
        let f = figures(&data);
        assert_eq!(f.lines[1].per_period.to_string(), "-40.00");
        assert_eq!(f.lines[1].annual.to_string(), "-2080.00");
        assert_eq!(f.lines_total.to_string(), "460.00");
        assert_eq!(f.management_fee.to_string(), "46.00");
        assert_eq!(f.direct_support.to_string(), "414.00");
        assert_eq!(f.total_per_period.to_string(), "460.00");
        assert_eq!(f.annual_total.to_string(), "23920.00");
    }

    #[test]
    fn contributions_larger_than_costs_are_a_problem() {
        let data = template(
            "GBP",
            BudgetPeriod::Week,
            vec![
                fixed(LineKind::SupportHours, "30.00"),
                fixed(LineKind::Contribution, "40.00"),
            ],
            FeeBasis::Percent,
            "10",
            FeeFunding::WithinBudget,
        );
        let problems = data.validate();
        assert_eq!(fields(&problems), ["budget_lines"]);
        assert!(problems[0].message.contains("-10.00 GBP"));
    }

    #[test]
    fn gbp_to_jpy_gives_whole_yen() {
        let jpy = glasgow()
            .with_currency("JPY", Some(d("190.5")))
            .expect("converts");
        assert_eq!(jpy.currency, "JPY");
        let rates: Vec<String> = jpy
            .budget_lines
            .iter()
            .map(|l| decimal_cell(l.rate.or(l.amount)))
            .collect();
        // 21.50 × 190.5 = 4095.75 → 4096; 95.00 × 190.5 = 18097.5 → 18098 (half away
        // from zero); 2.50 × 190.5 = 476.25 → 476; 60 → 11430; 50 → 9525.
        assert_eq!(rates, ["4096", "18098", "476", "11430", "9525"]);
        assert_eq!(jpy.budget_lines[0].quantity, Some(d("98")));
        assert_eq!(jpy.management_fee.value, d("8"));
        let f = figures(&jpy);
        assert_eq!(f.minor_units, 0);
        // 401408 + 126686 + 13328 + 11430 + 9525
        assert_eq!(f.lines_total.to_string(), "562377");
        // 8 % = 44990.16
        assert_eq!(f.management_fee.to_string(), "44990");
        assert_eq!(f.direct_support.to_string(), "517387");
        assert_eq!(f.total_per_period.to_string(), "562377");
        assert_eq!(f.annual_total.to_string(), "29243604");
        // 44990.16 × 52 = 2339488.32
        assert_eq!(f.annual_management_fee.to_string(), "2339488");
        assert_eq!(f.weekly_equivalent.to_string(), "562377");
        let all = [
            f.lines_total,
            f.management_fee,
            f.direct_support,
            f.total_per_period,
            f.annual_total,
            f.annual_management_fee,
            f.annual_direct_support,
            f.weekly_equivalent,
        ];
        for value in all
            .iter()
            .chain(f.lines.iter().flat_map(|l| [&l.per_period, &l.annual]))
        {
            assert_eq!(value.scale(), 0, "{value}");
            assert!(!value.to_string().contains('.'));
        }
    }

    #[test]
    fn gbp_to_eur_rounds_inputs_to_cents() {
        let eur = glasgow()
            .with_currency("eur", Some(d("1.17")))
            .expect("converts");
        assert_eq!(eur.currency, "EUR");
        let rates: Vec<String> = eur
            .budget_lines
            .iter()
            .map(|l| decimal_cell(l.rate.or(l.amount)))
            .collect();
        // 25.155 → 25.16; 111.15; 2.925 → 2.93; 70.20; 58.50
        assert_eq!(rates, ["25.16", "111.15", "2.93", "70.20", "58.50"]);
        let f = figures(&eur);
        // 2465.68 + 778.05 + 82.04 + 70.20 + 58.50
        assert_eq!(f.lines_total.to_string(), "3454.47");
        // 8 % = 276.3576
        assert_eq!(f.management_fee.to_string(), "276.36");
        assert_eq!(f.direct_support.to_string(), "3178.11");
        assert_eq!(f.annual_total.to_string(), "179632.44");
        // 276.3576 × 52 = 14370.5952
        assert_eq!(f.annual_management_fee.to_string(), "14370.60");
    }

    #[test]
    fn a_fixed_fee_is_converted_but_a_percentage_is_not() {
        let data = template(
            "CAD",
            BudgetPeriod::Month,
            vec![fixed(LineKind::SupportHours, "1000.00")],
            FeeBasis::Fixed,
            "350.00",
            FeeFunding::WithinBudget,
        );
        let gbp = data
            .with_currency("GBP", Some(d("0.55")))
            .expect("converts");
        assert_eq!(gbp.management_fee.value.to_string(), "192.50");
        assert_eq!(gbp.budget_lines[0].amount, Some(d("550.00")));
    }

    #[test]
    fn without_a_rate_only_the_currency_changes() {
        let aud = glasgow().with_currency("AUD", None).expect("relabels");
        assert_eq!(aud.currency, "AUD");
        assert_eq!(aud.budget_lines, glasgow().budget_lines);
    }

    #[test]
    fn currency_change_reports_bad_codes_and_rates() {
        let data = glasgow();
        let problems = data
            .with_currency("ABC", Some(d("0")))
            .expect_err("rejected");
        assert_eq!(fields(&problems), ["currency", "exchange_rate"]);
        let problems = data
            .with_currency("GBP", Some(d("-1.2")))
            .expect_err("rejected");
        assert_eq!(fields(&problems), ["exchange_rate"]);
        for code in ["XAU", "XXX", "", "HRK"] {
            let problems = data.with_currency(code, None).expect_err("rejected");
            assert_eq!(fields(&problems), ["currency"], "{code}");
        }
        // A conversion that takes money past the limits is reported, not a panic.
        let mut big = data.clone();
        big.budget_lines[3].amount = Some(d("1000000"));
        let problems = big
            .with_currency("JPY", Some(d("1000000000")))
            .expect_err("too large");
        assert_eq!(fields(&problems), ["budget_lines[3].amount"]);
    }

    #[test]
    fn known_currencies_and_their_minor_units() {
        assert_eq!(minor_units("GBP"), Some(2));
        assert_eq!(minor_units("JPY"), Some(0));
        assert_eq!(minor_units("KWD"), Some(3));
        assert_eq!(minor_units("gbp"), None);
        assert_eq!(minor_units("XAU"), None);
        assert_eq!(minor_units("GBX"), None);
    }

    #[test]
    fn invalid_input_reports_every_problem_with_its_path() {
        let json = r#"{
          "jurisdiction": {"country": "gb", "subdivision": "FI-18", "scheme": ""},
          "currency": "GBX",
          "budget_period": "week",
          "budget_lines": [
            {"kind": "support_hours", "description": "Day support", "unit": "hour", "quantity": "-3"},
            {"kind": "activities", "description": "", "unit": "fixed", "rate": "5", "quantity": "2"},
            {"kind": "travel", "description": "Taxi", "unit": "km", "rate": "-0.45", "quantity": "10", "amount": "4.50"},
            {"kind": "other", "description": "DESCRIPTION", "unit": "fixed", "amount": "1.0000001"}
          ],
          "management_fee": {"basis": "percent", "value": "120", "funded": "within_budget", "covers": [""]},
          "flexibility": {"third_party_min_percent": "-1"},
          "reporting_to_person": {"every": "monthly"},
          "review": {"every": "P0M"},
          "outcomes": ["  "]
        }"#
        .replace("DESCRIPTION", &"x".repeat(201));
        let data: IsfTemplateData = serde_json::from_str(&json).expect("parses");
        let problems = data.validate();
        assert_eq!(
            fields(&problems),
            [
                "jurisdiction.country",
                "jurisdiction.subdivision",
                "jurisdiction.scheme",
                "currency",
                "budget_lines[0].rate",
                "budget_lines[0].quantity",
                "budget_lines[1].description",
                "budget_lines[1].amount",
                "budget_lines[1].rate",
                "budget_lines[1].quantity",
                "budget_lines[2].rate",
                "budget_lines[2].amount",
                "budget_lines[3].description",
                "budget_lines[3].amount",
                "management_fee.value",
                "management_fee.covers[0]",
                "flexibility.third_party_min_percent",
                "reporting_to_person.every",
                "review.every",
                "outcomes[0]",
            ]
        );
        assert!(problems.iter().all(|p| p.message.ends_with('.')));
        assert_eq!(
            problems[3].message,
            "\"GBX\" is not an ISO 4217 currency code. Use a three-letter code such as GBP, EUR or JPY."
        );
        assert_eq!(data.compute().expect_err("invalid").len(), problems.len());
    }

    #[test]
    fn line_count_and_description_limits() {
        let mut data = glasgow();
        data.budget_lines.clear();
        assert_eq!(fields(&data.validate()), ["budget_lines"]);

        let mut data = glasgow();
        data.budget_lines = vec![fixed(LineKind::Other, "1"); MAX_BUDGET_LINES];
        data.budget_lines[0].description = "é".repeat(MAX_DESCRIPTION_CHARS);
        assert!(data.validate().is_empty());
        data.budget_lines.push(fixed(LineKind::Other, "1"));
        data.budget_lines[0].description.push('é');
        assert_eq!(
            fields(&data.validate()),
            ["budget_lines", "budget_lines[0].description"]
        );
    }

    #[test]
    fn huge_values_are_refused_not_overflowed() {
        let mut data = glasgow();
        data.budget_lines[0].rate = Some(Decimal::MAX);
        data.budget_lines[0].quantity = Some(Decimal::MAX);
        assert_eq!(
            fields(&data.validate()),
            ["budget_lines[0].rate", "budget_lines[0].quantity"]
        );
        // At the limits the arithmetic stays exact.
        let mut data = template(
            "GBP",
            BudgetPeriod::Week,
            vec![
                line(
                    LineKind::SupportHours,
                    Unit::Hour,
                    "1000000000000",
                    "1000000"
                );
                200
            ],
            FeeBasis::Percent,
            "100",
            FeeFunding::InAddition,
        );
        let f = figures(&data);
        assert_eq!(f.total_per_period.to_string(), "400000000000000000000.00");
        data.budget_period = BudgetPeriod::Year;
        assert!(data.compute().is_ok());
    }

    #[test]
    fn iso_durations() {
        for ok in [
            "P1M", "P6M", "P12M", "P2W", "P1Y6M", "P1D", "PT12H", "P1DT2H",
        ] {
            assert!(is_iso8601_duration(ok), "{ok}");
        }
        for bad in [
            "", "P", "1M", "P0M", "PM", "P1", "P1M1Y", "PT", "P1.5M", "monthly", "P1H",
        ] {
            assert!(!is_iso8601_duration(bad), "{bad}");
        }
    }

    #[test]
    fn csv_has_a_header_a_row_per_line_and_summary_rows() {
        let data = glasgow();
        let csv = figures(&data).to_csv(&data);
        let rows: Vec<&str> = csv.split_terminator("\r\n").collect();
        assert_eq!(rows.len(), 1 + 5 + 4);
        assert_eq!(
            rows[0],
            "kind,description,unit,rate,quantity,rate_variant,per_period,annual,currency"
        );
        assert_eq!(
            rows[1],
            "support_hours,Day support,hour,21.50,98,day,2107.00,109564.00,GBP"
        );
        assert_eq!(
            rows[4],
            "activities,Community activities and travel,fixed,,,,60.00,3120.00,GBP"
        );
        assert_eq!(rows[6], "lines_total,Lines total,,,,,2952.00,153504.00,GBP");
        assert_eq!(
            rows[7],
            "management_fee,Management fee: 8% within the budget,,,,,236.16,12280.32,GBP"
        );
        assert_eq!(rows[8], "total,Total per week,,,,,2952.00,153504.00,GBP");
        assert_eq!(
            rows[9],
            "annual_total,Annual total (52 weeks),,,,,,153504.00,GBP"
        );
        assert!(csv.ends_with("\r\n"));
    }

    #[test]
    fn csv_quotes_commas_quotes_and_line_breaks_and_defuses_formulas() {
        let mut data = glasgow();
        data.budget_lines[0].description = "Day support, \"core\" hours".to_string();
        data.budget_lines[1].description = "Nights\nand sleep-ins".to_string();
        data.budget_lines[2].description = "=HYPERLINK(\"x\")".to_string();
        data.budget_lines.push(fixed(LineKind::Contribution, "10"));
        data.management_fee = ManagementFee {
            basis: FeeBasis::Fixed,
            value: d("1000"),
            funded: FeeFunding::InAddition,
            covers: Vec::new(),
        };
        let csv = figures(&data).to_csv(&data);
        assert!(csv.contains("\r\nsupport_hours,\"Day support, \"\"core\"\" hours\",hour,"));
        assert!(csv.contains("\r\nsupport_hours,\"Nights\nand sleep-ins\",session,"));
        assert!(csv.contains("\r\nsupport_hours,\"'=HYPERLINK(\"\"x\"\")\",hour,"));
        assert!(
            csv.contains("\r\ncontribution,contribution amount,fixed,,,,-10.00,-520.00,GBP\r\n")
        );
        assert!(csv.contains(
            "\r\nmanagement_fee,Management fee: 1000.00 GBP per week on top of the lines,,,,,1000.00,52000.00,GBP\r\n"
        ));
    }
}
