//! The ISF template form: a budget table whose rows arrive as parallel lists
//! (`line_kind`, `line_description`, …), and the terms around it. Works without
//! JavaScript: "Add more lines" re-shows the form with empty rows and saves nothing.

use minijinja::{context, Value};
use rust_decimal::Decimal;

use super::content::ContentForm;
use crate::accounts::{field_error, field_error_with, FieldError};
use crate::content::isf::{
    BudgetLine, BudgetPeriod, FeeBasis, FeeFunding, Flexibility, IsfTemplateData, Jurisdiction,
    LineKind, ManagementFee, Reporting, Review, Termination, Unit,
};

/// Empty rows shown below the filled ones, and added by "Add more lines".
const BLANK_ROWS: usize = 3;

pub const SCHEMES: &[(&str, &str)] = &[
    ("isf", "Individual Service Fund"),
    ("sds_option2", "Self-directed support, option 2 (Scotland)"),
    ("host_agency", "Host agency (Canada)"),
    ("ndis_plan_mgmt", "NDIS plan management (Australia)"),
    ("other", "Other"),
];

const LINE_KINDS: &[(LineKind, &str)] = &[
    (LineKind::SupportHours, "Support hours"),
    (LineKind::Sessional, "Sessional support"),
    (LineKind::ThirdParty, "Third party"),
    (LineKind::EquipmentAt, "Equipment and assistive technology"),
    (LineKind::Travel, "Travel"),
    (LineKind::Activities, "Activities"),
    (LineKind::Contingency, "Contingency"),
    (LineKind::Contribution, "The person's own contribution"),
    (LineKind::Other, "Other"),
];

const UNITS: &[(Unit, &str)] = &[
    (Unit::Hour, "per hour"),
    (Unit::Session, "per session"),
    (Unit::Day, "per day"),
    (Unit::Night, "per night"),
    (Unit::Week, "per week"),
    (Unit::Month, "per month"),
    (Unit::Item, "per item"),
    (Unit::Km, "per km"),
    (Unit::Mile, "per mile"),
    (Unit::Fixed, "fixed amount"),
];

const PERIODS: &[(BudgetPeriod, &str)] = &[
    (BudgetPeriod::Week, "Week"),
    (BudgetPeriod::FourWeeks, "Four weeks"),
    (BudgetPeriod::Month, "Month"),
    (BudgetPeriod::Year, "Year"),
];

pub const REPORT_SHOWS: &[(&str, &str)] = &[
    ("hours", "Hours delivered"),
    ("rate", "Rates"),
    ("spend_by_line", "Spending on each line"),
    ("balance", "Money left"),
    ("banked", "Banked hours or money"),
];

pub const EVERY: &[(&str, &str)] = &[
    ("P1W", "Every week"),
    ("P4W", "Every four weeks"),
    ("P1M", "Every month"),
    ("P3M", "Every three months"),
    ("P6M", "Every six months"),
    ("P1Y", "Every year"),
];

pub const UNSPENT: &[(&str, &str)] = &[
    ("stay_with_person", "Stays with the person"),
    ("returned_to_funder", "Goes back to the funder"),
    ("transferred_to_next_provider", "Moves to the next provider"),
];

pub const DECIDERS: &[(&str, &str)] = &[
    ("person", "The person"),
    ("person_with_family", "The person with family or circle"),
    ("person_with_provider", "The person with the provider"),
    ("provider", "The provider, as the person directs"),
];

/// The ISF form's choice lists by catalogue group (see `content::choice_lists`).
pub fn choice_lists() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        ("scheme", SCHEMES.to_vec()),
        (
            "line-kind",
            LINE_KINDS.iter().map(|(k, l)| (k.as_str(), *l)).collect(),
        ),
        (
            "unit",
            UNITS.iter().map(|(u, l)| (u.as_str(), *l)).collect(),
        ),
        (
            "period",
            PERIODS.iter().map(|(p, l)| (p.as_str(), *l)).collect(),
        ),
        ("report-shows", REPORT_SHOWS.to_vec()),
        ("every", EVERY.to_vec()),
        ("unspent", UNSPENT.to_vec()),
        ("decider", DECIDERS.to_vec()),
    ]
}

pub fn choices(lang: &str) -> Value {
    let lists: std::collections::BTreeMap<&str, Vec<Value>> = choice_lists()
        .into_iter()
        .map(|(group, list)| (group, super::content::pairs(lang, group, &list)))
        .collect();
    let take = |group: &str| lists.get(group).cloned().unwrap_or_default();
    context! {
        schemes => take("scheme"),
        line_kinds => take("line-kind"),
        units => take("unit"),
        periods => take("period"),
        report_shows => take("report-shows"),
        every => take("every"),
        unspent => take("unspent"),
        deciders => take("decider"),
    }
}

fn cell(list: &[String], index: usize) -> &str {
    list.get(index).map(String::as_str).unwrap_or("").trim()
}

fn decimal(errors: &mut Vec<FieldError>, field: String, raw: &str) -> Option<Decimal> {
    let raw = raw.trim().replace([' ', '\u{a0}'], "");
    if raw.is_empty() {
        return None;
    }
    // Accept a decimal comma (21,50) as many members write it.
    let normalised = if raw.contains(',') && !raw.contains('.') {
        raw.replace(',', ".")
    } else {
        raw.replace(',', "")
    };
    match normalised.parse::<Decimal>() {
        Ok(value) => Some(value),
        Err(_) => {
            errors.push(field_error_with(
                field,
                "'{ $value }' is not a number. Write it like 21.50.",
                &[("value", raw.to_string())],
            ));
            None
        }
    }
}

fn whole(errors: &mut Vec<FieldError>, field: &str, raw: &str) -> Option<u32> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<u32>() {
        Ok(value) => Some(value),
        Err(_) => {
            errors.push(field_error(field, "Give a whole number."));
            None
        }
    }
}

fn lines_of(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn list_of(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// Reads the form into template data, reporting values the form could not even read.
pub fn to_data(form: &ContentForm) -> (IsfTemplateData, Vec<FieldError>) {
    let mut errors = Vec::new();
    let rows = [
        form.line_kind.len(),
        form.line_description.len(),
        form.line_unit.len(),
        form.line_rate.len(),
        form.line_quantity.len(),
        form.line_amount.len(),
    ]
    .into_iter()
    .max()
    .unwrap_or(0);
    let mut budget_lines = Vec::new();
    for row in 0..rows {
        let description = cell(&form.line_description, row);
        let (rate, quantity, amount) = (
            cell(&form.line_rate, row),
            cell(&form.line_quantity, row),
            cell(&form.line_amount, row),
        );
        if description.is_empty() && rate.is_empty() && quantity.is_empty() && amount.is_empty() {
            continue; // an empty row of the table
        }
        let n = budget_lines.len();
        let kind = LINE_KINDS
            .iter()
            .find(|(k, _)| k.as_str() == cell(&form.line_kind, row))
            .map(|(k, _)| *k)
            .unwrap_or_else(|| {
                errors.push(field_error(
                    format!("budget_lines[{n}].kind"),
                    "Choose what the line pays for.",
                ));
                LineKind::Other
            });
        let unit = UNITS
            .iter()
            .find(|(u, _)| u.as_str() == cell(&form.line_unit, row))
            .map(|(u, _)| *u)
            .unwrap_or_else(|| {
                errors.push(field_error(
                    format!("budget_lines[{n}].unit"),
                    "Choose a unit.",
                ));
                Unit::Fixed
            });
        budget_lines.push(BudgetLine {
            kind,
            description: description.to_string(),
            unit,
            rate: decimal(&mut errors, format!("budget_lines[{n}].rate"), rate),
            quantity: decimal(&mut errors, format!("budget_lines[{n}].quantity"), quantity),
            amount: decimal(&mut errors, format!("budget_lines[{n}].amount"), amount),
            rate_variant: optional(cell(&form.line_variant, row)),
        });
    }
    let budget_period = PERIODS
        .iter()
        .find(|(p, _)| p.as_str() == form.budget_period.trim())
        .map(|(p, _)| *p)
        .unwrap_or_else(|| {
            errors.push(field_error("budget_period", "Choose the budget period."));
            BudgetPeriod::Week
        });
    let basis = match form.fee_basis.as_str() {
        "percent" => FeeBasis::Percent,
        "fixed" => FeeBasis::Fixed,
        _ => {
            errors.push(field_error(
                "management_fee.basis",
                "Choose how the management fee is set.",
            ));
            FeeBasis::Percent
        }
    };
    let funded = match form.fee_funded.as_str() {
        "within_budget" => FeeFunding::WithinBudget,
        "in_addition" => FeeFunding::InAddition,
        _ => {
            errors.push(field_error(
                "management_fee.funded",
                "Choose whether the fee is inside the budget or on top.",
            ));
            FeeFunding::WithinBudget
        }
    };
    let fee_value =
        decimal(&mut errors, "management_fee.value".into(), &form.fee_value).unwrap_or_default();
    let (country, subdivision) = match form.isf_country.trim().split_once('-') {
        Some((country, _)) => (
            country.to_string(),
            Some(form.isf_country.trim().to_string()),
        ),
        None => (form.isf_country.trim().to_string(), None),
    };
    let flexibility = Flexibility {
        banking: Some(form.banking.is_some()),
        surplus_cap_periods: whole(
            &mut errors,
            "flexibility.surplus_cap_periods",
            &form.surplus_cap_periods,
        ),
        surplus_max_weeks: None,
        third_party_min_percent: decimal(
            &mut errors,
            "flexibility.third_party_min_percent".into(),
            &form.third_party_min_percent,
        ),
        decisions_day_to_day: optional(&form.decisions_day_to_day),
    };
    let data = IsfTemplateData {
        jurisdiction: Jurisdiction {
            country,
            subdivision,
            scheme: form.isf_scheme.trim().to_string(),
        },
        currency: form.currency.trim().to_uppercase(),
        budget_period,
        budget_lines,
        management_fee: ManagementFee {
            basis,
            value: fee_value,
            funded,
            covers: list_of(&form.fee_covers),
        },
        flexibility: Some(flexibility),
        payment_cadence: optional(&form.payment_cadence),
        reporting_to_person: Some(Reporting {
            every: optional(&form.reporting_every),
            shows: form.reporting_shows.clone(),
            formats: Vec::new(),
        }),
        review: Some(Review {
            every: optional(&form.review_every),
            triggers: lines_of(&form.review_triggers),
        }),
        termination: Some(Termination {
            notice_days_person: whole(
                &mut errors,
                "termination.notice_days_person",
                &form.notice_days_person,
            ),
            notice_days_provider: whole(
                &mut errors,
                "termination.notice_days_provider",
                &form.notice_days_provider,
            ),
            unspent_funds: optional(&form.unspent_funds),
            handover_duty: Some(form.handover_duty.is_some()),
        }),
        outcomes: lines_of(&form.outcomes),
    };
    (data, errors)
}

fn text(value: Option<Decimal>) -> String {
    value.map(|d| d.normalize().to_string()).unwrap_or_default()
}

/// Fills the form from stored data, for editing.
pub fn fill_from(form: &mut ContentForm, data: &IsfTemplateData) {
    form.isf_country = data
        .jurisdiction
        .subdivision
        .clone()
        .unwrap_or_else(|| data.jurisdiction.country.clone());
    form.isf_scheme = data.jurisdiction.scheme.clone();
    form.currency = data.currency.clone();
    form.budget_period = data.budget_period.as_str().to_string();
    for line in &data.budget_lines {
        form.line_kind.push(line.kind.as_str().to_string());
        form.line_description.push(line.description.clone());
        form.line_unit.push(line.unit.as_str().to_string());
        form.line_rate.push(text(line.rate));
        form.line_quantity.push(text(line.quantity));
        form.line_amount.push(text(line.amount));
        form.line_variant
            .push(line.rate_variant.clone().unwrap_or_default());
    }
    let fee = &data.management_fee;
    form.fee_basis = match fee.basis {
        FeeBasis::Percent => "percent",
        FeeBasis::Fixed => "fixed",
    }
    .to_string();
    form.fee_funded = match fee.funded {
        FeeFunding::WithinBudget => "within_budget",
        FeeFunding::InAddition => "in_addition",
    }
    .to_string();
    form.fee_value = fee.value.normalize().to_string();
    form.fee_covers = fee.covers.join(", ");
    if let Some(f) = &data.flexibility {
        form.banking = f.banking.filter(|b| *b).map(|_| "on".to_string());
        form.surplus_cap_periods = f
            .surplus_cap_periods
            .map(|n| n.to_string())
            .unwrap_or_default();
        form.third_party_min_percent = text(f.third_party_min_percent);
        form.decisions_day_to_day = f.decisions_day_to_day.clone().unwrap_or_default();
    }
    form.payment_cadence = data.payment_cadence.clone().unwrap_or_default();
    if let Some(r) = &data.reporting_to_person {
        form.reporting_every = r.every.clone().unwrap_or_default();
        form.reporting_shows = r.shows.clone();
    }
    if let Some(r) = &data.review {
        form.review_every = r.every.clone().unwrap_or_default();
        form.review_triggers = r.triggers.join("\n");
    }
    if let Some(t) = &data.termination {
        form.notice_days_person = t
            .notice_days_person
            .map(|n| n.to_string())
            .unwrap_or_default();
        form.notice_days_provider = t
            .notice_days_provider
            .map(|n| n.to_string())
            .unwrap_or_default();
        form.unspent_funds = t.unspent_funds.clone().unwrap_or_default();
        form.handover_duty = t.handover_duty.filter(|b| *b).map(|_| "on".to_string());
    }
    form.outcomes = data.outcomes.join("\n");
}

/// Starting values for a new template.
pub fn blank(form: &mut ContentForm, country: &str) {
    form.isf_country = country.to_string();
    form.isf_scheme = "isf".into();
    form.budget_period = "week".into();
    form.fee_basis = "percent".into();
    form.fee_funded = "within_budget".into();
    form.reporting_every = "P1M".into();
    form.review_every = "P6M".into();
    form.unspent_funds = "stay_with_person".into();
}

/// The form's values for the template, with the budget table padded with empty rows.
pub fn values(form: &ContentForm) -> Value {
    let filled = [
        form.line_kind.len(),
        form.line_description.len(),
        form.line_rate.len(),
        form.line_quantity.len(),
        form.line_amount.len(),
    ]
    .into_iter()
    .max()
    .unwrap_or(0);
    let extra = if form.more_lines.is_some() {
        BLANK_ROWS * 2
    } else {
        BLANK_ROWS
    };
    let rows: Vec<Value> = (0..filled + extra)
        .map(|row| {
            context! {
                number => row + 1,
                kind => cell(&form.line_kind, row),
                description => cell(&form.line_description, row),
                unit => cell(&form.line_unit, row),
                rate => cell(&form.line_rate, row),
                quantity => cell(&form.line_quantity, row),
                amount => cell(&form.line_amount, row),
                variant => cell(&form.line_variant, row),
            }
        })
        .collect();
    context! {
        country => form.isf_country, scheme => form.isf_scheme, currency => form.currency,
        budget_period => form.budget_period, rows => rows,
        fee_basis => form.fee_basis, fee_value => form.fee_value, fee_funded => form.fee_funded,
        fee_covers => form.fee_covers, banking => form.banking.is_some(),
        surplus_cap_periods => form.surplus_cap_periods, third_party_min_percent => form.third_party_min_percent,
        decisions_day_to_day => form.decisions_day_to_day, payment_cadence => form.payment_cadence,
        reporting_every => form.reporting_every, reporting_shows => form.reporting_shows,
        review_every => form.review_every, review_triggers => form.review_triggers,
        notice_days_person => form.notice_days_person, notice_days_provider => form.notice_days_provider,
        unspent_funds => form.unspent_funds, handover_duty => form.handover_duty.is_some(),
        outcomes => form.outcomes,
    }
}
