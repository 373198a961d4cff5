//! `samlcheck lint FILE|DIR...`: metadata lint for CI, single entities or federation aggregates.

use std::io::Write;
use std::path::PathBuf;

use super::examples::{Example, Outcome};
use super::{exit, CliError, CommonArgs, FetchArgs};
use crate::config::Config;
use crate::fetch::is_url;
use crate::lint::{expand_paths, lint_file, lint_reader, LintOptions, LintReport};
use crate::report::{human, json, Format};
use crate::xml::dsig::TrustedKey;

pub const EXAMPLES: &[Example] = &[
    Example {
        what: "One IdP's metadata",
        command: "samlcheck lint fixtures/metadata/okta.xml",
        outcome: Outcome::Exit(exit::OK, "no error-level finding"),
    },
    Example {
        what: "A folder in CI, SARIF for code scanning; every file there breaks a rule",
        command: "samlcheck lint fixtures/metadata/rules --format sarif > samlcheck.sarif",
        outcome: Outcome::Exit(exit::FINDINGS, "error-level findings"),
    },
    Example {
        what: "A signed federation aggregate, trusted only with the federation's signing certificate, as JUnit",
        command: "samlcheck lint fixtures/metadata/rules/metadata__signed-aggregate-valid.xml --signer-cert fixtures/keys/idp-rsa.crt --now 2026-01-15T10:00:00Z --format junit",
        outcome: Outcome::Exit(exit::OK, "signature trusted, no error-level finding"),
    },
];

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Metadata files, directories searched for *.xml, or https:// URLs.
    #[arg(required = true, value_name = "FILE|DIR|URL")]
    pub paths: Vec<String>,
    /// The certificate (PEM or DER) the metadata must be signed by; a missing or bad signature becomes an error.
    #[arg(long, value_name = "FILE")]
    pub signer_cert: Option<PathBuf>,
    /// Warn about certificates and metadata expiring within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub expiry_warning_days: i64,
    /// The time to check validity against (RFC 3339).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Every single-entity file must describe an IdP: an SP's metadata (the usual wrong upload)
    /// becomes metadata/no-idp-descriptor instead of being linted as SP metadata.
    #[arg(long)]
    pub require_idp: bool,
    /// Also write the findings in another format to a file, from the same run (repeatable):
    /// `--report sarif=samlcheck.sarif --report junit=report.xml`. Written after linting; keep
    /// the files out of the folders being linted.
    #[arg(long, value_name = "FORMAT=PATH", value_parser = parse_report)]
    pub report: Vec<ExtraReport>,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

fn render_human(r: &LintReport) -> String {
    let errors = r
        .findings
        .iter()
        .filter(|f| f.severity == crate::checks::Severity::Error)
        .count();
    let warnings = r
        .findings
        .iter()
        .filter(|f| f.severity == crate::checks::Severity::Warning)
        .count();
    let mut out = format!(
        "{}: {} entit{}, {errors} error(s), {warnings} warning(s)\n",
        r.file,
        r.entities,
        if r.entities == 1 { "y" } else { "ies" }
    );
    if let Some(s) = &r.signature {
        let state = if s.verified { "verified" } else { "FAILED" };
        let by = s
            .signer
            .as_ref()
            .map(|c| format!(" by {} (SHA-256 {})", c.subject, c.sha256))
            .unwrap_or_default();
        let trust = if s.trusted {
            ""
        } else {
            " (integrity only: no --signer-cert)"
        };
        out.push_str(&format!("  metadata signature: {state}{by}{trust}\n"));
    }
    for f in &r.findings {
        out.push('\n');
        out.push_str(&human::finding(f));
    }
    out
}

/// Files this large get a progress bar when stderr is a terminal.
const PROGRESS_MIN_BYTES: u64 = 16 * 1024 * 1024;

/// One `--report FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraReport {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_report(value: &str) -> Result<ExtraReport, String> {
    use clap::ValueEnum;
    let Some((format, path)) = value.split_once('=') else {
        return Err("expected FORMAT=PATH, e.g. sarif=samlcheck.sarif".into());
    };
    let format = Format::from_str(format, true).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
            .collect();
        format!("unknown format {format:?} (one of {})", names.join(", "))
    })?;
    if path.is_empty() {
        return Err("expected FORMAT=PATH, e.g. sarif=samlcheck.sarif".into());
    }
    Ok(ExtraReport {
        format,
        path: PathBuf::from(path),
    })
}

/// The reports in `format`, as printed on stdout or written by `--report`.
fn render(format: Format, reports: &[LintReport], deny: bool) -> String {
    match format {
        Format::Human => reports.iter().map(render_human).collect(),
        Format::Json => {
            // Serialized straight from the reports: `json!` first copied every finding into
            // a `serde_json::Value` tree.
            #[derive(serde::Serialize)]
            struct Files<'a> {
                files: &'a [LintReport],
            }
            format!("{}\n", json::to_string(&Files { files: reports }, true))
        }
        Format::Jsonl => reports
            .iter()
            .map(|r| json::to_string(r, false) + "\n")
            .collect(),
        other => {
            let files: Vec<crate::report::FileFindings> = reports
                .iter()
                .map(|r| crate::report::FileFindings {
                    file: &r.file,
                    findings: &r.findings,
                })
                .collect();
            crate::report::render(other, &files, deny).unwrap_or_default()
        }
    }
}

fn lint_with_progress(
    path: &std::path::Path,
    options: &LintOptions,
) -> std::io::Result<LintReport> {
    use std::io::IsTerminal;
    let size = std::fs::metadata(path)?.len();
    if size < PROGRESS_MIN_BYTES || !std::io::stderr().is_terminal() {
        return lint_file(path, options);
    }
    let bar = indicatif::ProgressBar::new(size).with_message(path.display().to_string());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:40} {bytes}/{total_bytes} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let file = bar.wrap_read(std::fs::File::open(path)?);
    let report = lint_reader(
        &path.display().to_string(),
        std::io::BufReader::with_capacity(256 * 1024, file),
        options,
    );
    bar.finish_and_clear();
    Ok(report)
}

pub fn run(args: LintArgs) -> Result<i32, CliError> {
    let now = super::verify::parse_now(args.now.as_deref())?;
    let mut options = LintOptions::at(now);
    options.require_idp = args.require_idp;
    options.expiry_warning_days = args.expiry_warning_days;
    if let Some(path) = &args.signer_cert {
        let pem = std::fs::read(path).map_err(|source| {
            CliError::Io {
                path: path.display().to_string(),
                source,
            }
            .at("--signer-cert")
        })?;
        let key = TrustedKey::from_file_bytes(&pem)
            .map_err(|e| CliError::Usage(format!("--signer-cert {}: {e}", path.display())))?;
        options.signer = Some(key);
    }
    let config = Config::load(args.common.config.as_deref())?;
    let (urls, local): (Vec<&String>, Vec<&String>) = args.paths.iter().partition(|p| is_url(p));
    // One path at a time, so that an error names the path it is about.
    let mut files = Vec::new();
    for path in &local {
        files.extend(
            expand_paths(&[PathBuf::from(path)]).map_err(|source| CliError::Io {
                path: path.to_string(),
                source,
            })?,
        );
    }
    // A file named twice, or inside a folder also given, is linted once (as expand_paths does
    // within one path).
    let mut seen = std::collections::HashSet::new();
    files.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    if files.is_empty() && urls.is_empty() {
        return Err(CliError::Usage(format!(
            "no *.xml file in {}",
            local
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let deny = args.common.deny.is_some();
    let mut reports = Vec::new();
    for url in urls {
        let bytes = args.fetch.read(url)?;
        reports.push(lint_reader(url, std::io::Cursor::new(bytes), &options));
    }
    for path in &files {
        reports.push(
            lint_with_progress(path, &options).map_err(|source| CliError::Io {
                path: path.display().to_string(),
                source,
            })?,
        );
    }
    for report in &mut reports {
        config.apply(&mut report.findings);
        for f in &mut report.findings {
            if let Some(loc) = &mut f.location {
                loc.file = Some(report.file.clone());
            }
        }
    }
    let code = reports
        .iter()
        .map(|r| {
            if !r.readable {
                exit::BAD_INPUT
            } else if r.has_errors(deny) {
                exit::FINDINGS
            } else {
                exit::OK
            }
        })
        .max()
        .unwrap_or(exit::OK);
    for extra in &args.report {
        std::fs::write(&extra.path, render(extra.format, &reports, deny)).map_err(|source| {
            CliError::Write {
                path: extra.path.display().to_string(),
                source,
            }
            .at("--report")
        })?;
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let _ = out.write_all(render(args.common.format, &reports, deny).as_bytes());
    let _ = out.flush();
    Ok(code)
}
