//! `samlcheck explain RULE`: one rule's summary, severity, explanation and fix.

use super::examples::{Example, Outcome};
use super::rules::{CatalogFormat, RuleRecord};
use super::{exit, CliError};
use crate::checks::{catalog, Rule};
use crate::config::closest_rule;

pub const EXAMPLES: &[Example] = &[
    Example {
        what: "What signature wrapping is, and what to do about it",
        command: "samlcheck explain signature/wrapping",
        outcome: Outcome::Exit(exit::OK, "explained"),
    },
    Example {
        what: "One rule as JSON",
        command: "samlcheck explain assertion/audience-mismatch --format json",
        outcome: Outcome::Exit(exit::OK, "explained"),
    },
    Example {
        what: "A mistyped id gets the closest one suggested",
        command: "samlcheck explain cert/expird",
        outcome: Outcome::Exit(exit::BAD_INPUT, "unknown rule"),
    },
];

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. signature/wrapping (`samlcheck rules` lists them).
    #[arg(value_name = "RULE", value_parser = RuleIdParser, hide_possible_values = true)]
    pub rule: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Human)]
    pub format: CatalogFormat,
}

/// Takes any text, so that an unknown id gets [`find`]'s suggestion rather than clap's error,
/// and offers every rule id (with its summary) to shell completion.
#[derive(Debug, Clone, Copy)]
pub struct RuleIdParser;

impl clap::builder::TypedValueParser for RuleIdParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(catalog::all().map(|r| {
            clap::builder::PossibleValue::new(r.id).help(r.summary)
        })))
    }
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
