//! `samlcheck rules`: the rule catalog, one line per rule, or all of it as JSON.

use serde::Serialize;

use super::examples::{Example, Outcome};
use super::{exit, CliError};
use crate::checks::{catalog, Rule, Severity};

pub const EXAMPLES: &[Example] = &[
    Example {
        what: "Every rule: id, default severity and summary",
        command: "samlcheck rules",
        outcome: Outcome::Exit(exit::OK, "listed"),
    },
    Example {
        what: "The certificate rules only",
        command: "samlcheck rules | grep '^cert/'",
        outcome: Outcome::Exit(exit::OK, "listed"),
    },
    Example {
        what: "The whole catalog as JSON, with each rule's explanation and fix",
        command: "samlcheck rules --format json",
        outcome: Outcome::Exit(exit::OK, "listed"),
    },
];

/// Formats for the catalog commands (`rules`, `explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CatalogFormat {
    /// Text for people.
    Human,
    /// JSON: every field of each rule.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Human)]
    pub format: CatalogFormat,
}

/// A rule as JSON.
#[derive(Debug, Serialize)]
pub struct RuleRecord {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
    pub fix: &'static str,
}

impl From<&'static Rule> for RuleRecord {
    fn from(r: &'static Rule) -> Self {
        RuleRecord {
            id: r.id,
            severity: r.severity,
            summary: r.summary,
            explanation: r.explanation,
            fix: r.fix,
        }
    }
}

/// The catalog as a table: id, default severity, summary.
pub fn table() -> String {
    let width = catalog::all().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = format!("{:width$}  {:8}  SUMMARY\n", "RULE", "SEVERITY");
    for r in catalog::all() {
        out.push_str(&format!(
            "{:width$}  {:8}  {}\n",
            r.id,
            r.severity.to_string(),
            r.summary
        ));
    }
    out
}

pub fn run(args: RulesArgs) -> Result<i32, CliError> {
    let text = match args.format {
        CatalogFormat::Human => table(),
        CatalogFormat::Json => {
            let records: Vec<RuleRecord> = catalog::all().map(RuleRecord::from).collect();
            crate::report::json::to_string(&records, true) + "\n"
        }
    };
    print!("{text}");
    Ok(exit::OK)
}
