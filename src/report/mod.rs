//! Renderers: the same findings as text for people or JSON for machines.

pub mod human;
pub mod json;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Verdict, findings with source snippets, expected/found and the fix.
    Human,
    /// One JSON document.
    Json,
    /// One JSON object per line (per input file).
    Jsonl,
}

/// The findings about one input file, as every renderer takes them.
#[derive(Debug, Clone, Copy)]
pub struct FileFindings<'a> {
    pub file: &'a str,
    pub findings: &'a [crate::checks::Finding],
}
