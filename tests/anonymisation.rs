//! Measures the anonymisation check against the labelled corpus in
//! `tests/fixtures/anonymisation_corpus.json`.
//!
//! Run `cargo test --test anonymisation -- --nocapture` to see the precision/recall table.

use std::collections::BTreeMap;

use mutual::content::anonymisation::{check, Category};
use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    category: Category,
    text: String,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    pseudonym: Option<String>,
    expected: Vec<Expected>,
    note: String,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// Categories whose recall must stay at or above 0.95.
const STRICT: [Category; 5] = [
    Category::Email,
    Category::Phone,
    Category::IdNumber,
    Category::Postcode,
    Category::Date,
];

/// Cases whose note starts with this were written after development and never tuned against.
const HELD_OUT: &str = "heldout:";

type Table = BTreeMap<Category, Counts>;

/// Scores `cases`, checking the structural invariants of every result on the way.
fn score<'a>(cases: impl Iterator<Item = &'a Case>, mistakes: &mut Vec<String>) -> Table {
    let mut counts: Table = Category::all()
        .iter()
        .map(|c| (*c, Counts::default()))
        .collect();
    for case in cases {
        let flags = check(&case.text, case.pseudonym.as_deref());
        let chars: Vec<char> = case.text.chars().collect();
        for f in &flags {
            assert!(
                f.start < f.end && f.end <= chars.len(),
                "bad offsets in {:?}",
                case.text
            );
            let slice: String = chars[f.start..f.end].iter().collect();
            assert_eq!(slice, f.text, "flag text must equal the flagged characters");
        }
        for pair in flags.windows(2) {
            assert!(
                pair[0].end <= pair[1].start,
                "overlapping flags in {:?}",
                case.text
            );
        }

        let mut unmatched: Vec<&Expected> = case.expected.iter().collect();
        for f in &flags {
            let pos = unmatched
                .iter()
                .position(|e| e.category == f.category && e.text.trim() == f.text.trim());
            let entry = counts.entry(f.category).or_default();
            match pos {
                Some(i) => {
                    entry.tp += 1;
                    unmatched.remove(i);
                }
                None => {
                    entry.fp += 1;
                    mistakes.push(format!(
                        "FP {:<13} {:?} in {:?}",
                        f.category.as_str(),
                        f.text,
                        case.text
                    ));
                }
            }
        }
        for e in unmatched {
            counts.entry(e.category).or_default().fn_ += 1;
            mistakes.push(format!(
                "FN {:<13} {:?} in {:?}",
                e.category.as_str(),
                e.text,
                case.text
            ));
        }
    }
    counts
}

fn print_table(title: &str, counts: &Table) {
    println!();
    println!("{title}");
    println!(
        "| {:<13} | {:>3} | {:>3} | {:>3} | {:>9} | {:>6} |",
        "category", "TP", "FP", "FN", "precision", "recall"
    );
    println!(
        "|{}|-----|-----|-----|-----------|--------|",
        "-".repeat(15)
    );
    let mut total = Counts::default();
    for (cat, c) in counts {
        total.tp += c.tp;
        total.fp += c.fp;
        total.fn_ += c.fn_;
        println!(
            "| {:<13} | {:>3} | {:>3} | {:>3} | {:>9.2} | {:>6.2} |",
            cat.as_str(),
            c.tp,
            c.fp,
            c.fn_,
            ratio(c.tp, c.tp + c.fp),
            ratio(c.tp, c.tp + c.fn_)
        );
    }
    println!(
        "| {:<13} | {:>3} | {:>3} | {:>3} | {:>9.2} | {:>6.2} |",
        "all",
        total.tp,
        total.fp,
        total.fn_,
        ratio(total.tp, total.tp + total.fp),
        ratio(total.tp, total.tp + total.fn_)
    );
}

#[test]
fn corpus_precision_and_recall() {
    let cases: Vec<Case> = serde_json::from_str(include_str!("fixtures/anonymisation_corpus.json"))
        .expect("corpus is valid JSON");
    assert!(cases.len() >= 80, "corpus must hold at least 80 cases");

    let mut mistakes = Vec::new();
    let counts = score(cases.iter(), &mut mistakes);
    let held_out: Vec<&Case> = cases
        .iter()
        .filter(|c| c.note.starts_with(HELD_OUT))
        .collect();
    let held_out_counts = score(held_out.iter().copied(), &mut Vec::new());

    print_table(&format!("Whole corpus: {} cases", cases.len()), &counts);
    print_table(
        &format!(
            "Held-out batch only (never tuned against): {} cases",
            held_out.len()
        ),
        &held_out_counts,
    );
    if !mistakes.is_empty() {
        println!();
        println!("Mismatches (whole corpus):");
        for m in &mistakes {
            println!("  {m}");
        }
    }

    for cat in STRICT {
        let c = counts.get(&cat).copied().unwrap_or_default();
        let recall = ratio(c.tp, c.tp + c.fn_);
        assert!(
            recall >= 0.95,
            "recall for {} is {:.2}, below 0.95",
            cat.as_str(),
            recall
        );
    }
}
