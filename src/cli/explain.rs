//! `samlcheck explain RULE`: one rule's summary, severity, explanation and fix.

use super::rules::{CatalogFormat, RuleRecord};
use super::{exit, CliError};
use crate::checks::{catalog, Rule};
use crate::config::closest_rule;

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. signature/wrapping (`samlcheck rules` lists them).
    #[arg(value_name = "RULE")]
    pub rule: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Human)]
    pub format: CatalogFormat,
}

/// One rule, for people.
pub fn text(r: &Rule) -> String {
    format!(
        "{} ({})\n\n{}\n\n{}\n\nFix: {}\n",
        r.id, r.severity, r.summary, r.explanation, r.fix
    )
}

/// The rule named `query` (ids are matched without regard to case or surrounding space), or a
/// usage error suggesting the closest id.
pub fn find(query: &str) -> Result<&'static Rule, CliError> {
    if let Some(r) = catalog::rule(&query.trim().to_ascii_lowercase()) {
        return Ok(r);
    }
    Err(CliError::Usage(match closest_rule(query) {
        Some(r) => format!(
            "unknown rule {query:?}; did you mean {}? (`samlcheck rules` lists every rule)",
            r.id
        ),
        None => format!("unknown rule {query:?}; `samlcheck rules` lists every rule"),
    }))
}

pub fn run(args: ExplainArgs) -> Result<i32, CliError> {
    let r = find(&args.rule)?;
    match args.format {
        CatalogFormat::Human => print!("{}", text(r)),
        CatalogFormat::Json => println!(
            "{}",
            crate::report::json::to_string(&RuleRecord::from(r), true)
        ),
    }
    Ok(exit::OK)
}
