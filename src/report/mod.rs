//! Renderers: the same findings as text for people, JSON for machines, and SARIF, JUnit XML or
//! GitHub annotations for CI.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod preflight;
pub mod sarif;

use crate::checks::Finding;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Verdict, findings with source snippets, expected/found and the fix.
    Human,
    /// One JSON document.
    Json,
    /// One JSON object per line (per input file).
    Jsonl,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).
    Sarif,
    /// JUnit XML: one testsuite per file, one testcase per finding.
    Junit,
    /// GitHub Actions workflow commands (::error file=...,line=...::message).
    Github,
}

/// The findings about one input file, as every renderer takes them.
#[derive(Debug, Clone, Copy)]
pub struct FileFindings<'a> {
    pub file: &'a str,
    pub findings: &'a [Finding],
}

/// Renders `files` in one of the formats every command shares (SARIF, JUnit, GitHub); `None`
/// for human, JSON and JSON Lines, whose shape belongs to each command.
pub fn render(format: Format, files: &[FileFindings], deny_warnings: bool) -> Option<String> {
    match format {
        Format::Sarif => Some(sarif::render(files)),
        Format::Junit => Some(junit::render(files, deny_warnings)),
        Format::Github => Some(github::render(files)),
        Format::Human | Format::Json | Format::Jsonl => None,
    }
}

/// The file a finding is about, when it is a file (not `<stdin>` or `<argument>`): the
/// finding's own location first, then the input it came from.
pub(crate) fn artifact<'a>(ff: &FileFindings<'a>, f: &'a Finding) -> Option<&'a str> {
    let file = f
        .location
        .as_ref()
        .and_then(|l| l.file.as_deref())
        .unwrap_or(ff.file);
    (!file.is_empty() && !file.starts_with('<')).then_some(file)
}
