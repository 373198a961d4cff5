//! The command line: clap definitions, one module per subcommand. Each turns arguments into a
//! library call and a report; none holds logic of its own.

pub mod check;
pub mod completions;
pub mod decode;
pub mod demo;
pub mod examples;
pub mod explain;
pub mod idp;
pub mod input;
pub mod lint;
pub mod man;
pub mod rules;
pub mod serve;
pub mod sp;
pub mod sp_metadata;
pub mod verify;

use crate::report::Format;
use clap::{Parser, Subcommand};
use examples::{Example, Outcome};

/// Exit codes: the contract CI scripts rely on.
pub mod exit {
    /// No error-level finding; the response was accepted.
    pub const OK: i32 = 0;
    /// Error-level findings; the response was rejected.
    pub const FINDINGS: i32 = 1;
    /// The input could not be read or understood.
    pub const BAD_INPUT: i32 = 2;
}

/// A failure of the command itself (not a finding): exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// An error about a value, after the flag or samlcheck.toml place it came from, so the
    /// message says what to change.
    #[error("{at}: {source}")]
    At {
        at: String,
        #[source]
        source: Box<CliError>,
    },
    #[error("--listen {addr}: cannot listen there: {source}")]
    Listen {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("the server at {url} stopped: {source}")]
    Server {
        url: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the IdP metadata {path} cannot be used: {source}")]
    Metadata {
        path: String,
        #[source]
        source: crate::saml::metadata::MetadataError,
    },
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Preflight(#[from] crate::preflight::PreflightError),
    #[error("the demo could not run: {0}")]
    Demo(#[from] crate::server::pair::PairError),
    #[error("cannot fetch {url}: {source}")]
    Fetch {
        url: String,
        #[source]
        source: crate::fetch::FetchError,
    },
}

/// The examples of `samlcheck --help`.
pub const EXAMPLES: &[Example] = &[
    Example {
        what: "A test login through a mock IdP and a mock SP on loopback, then the same login with an IdP fault, explained",
        command: "samlcheck demo",
        outcome: Outcome::Exit(exit::OK, "both went as expected"),
    },
    Example {
        what: "GO / NO-GO before \"Require SSO\": the bundled Okta metadata and test login for org acme",
        command: "samlcheck check --org acme --idp-metadata fixtures/metadata/vendors/okta.xml --response fixtures/responses/vendors/okta.xml --now 2026-01-15T10:01:00Z",
        outcome: Outcome::Exit(exit::OK, "GO"),
    },
    Example {
        what: "Lint a folder of IdP metadata, as in CI",
        command: "samlcheck lint fixtures/metadata/vendors",
        outcome: Outcome::Exit(exit::OK, "no error-level finding"),
    },
];

/// The examples of `samlcheck --help` (`None`) or of a subcommand's.
pub fn examples_of(subcommand: Option<&str>) -> &'static [Example] {
    match subcommand {
        None => EXAMPLES,
        Some("check") => check::EXAMPLES,
        Some("verify") => verify::EXAMPLES,
        Some("decode") => decode::EXAMPLES,
        Some("lint") => lint::EXAMPLES,
        Some("rules") => rules::EXAMPLES,
        Some("explain") => explain::EXAMPLES,
        Some("sp-metadata") => sp_metadata::EXAMPLES,
        Some("idp") => idp::EXAMPLES,
        Some("serve") => serve::EXAMPLES,
        Some("demo") => demo::EXAMPLES,
        Some("completions") => completions::EXAMPLES,
        Some("man") => man::EXAMPLES,
        Some(_) => &[],
    }
}

impl CliError {
    /// This error, after `at`: the flag (`--idp-metadata`) or the place in samlcheck.toml
    /// (`samlcheck.toml:2:16: idp_metadata`) that gave the value it is about.
    pub fn at(self, at: impl Into<String>) -> CliError {
        CliError::At {
            at: at.into(),
            source: Box::new(self),
        }
    }
}

/// A value from its flag, else from samlcheck.toml, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    pub value: String,
    /// `--idp-metadata`, or `samlcheck.toml:2:16: idp_metadata`.
    pub at: String,
}

/// `flag`'s value when given, else `key`'s in the configuration.
pub fn given(
    flag: &str,
    flag_value: Option<&str>,
    config: &crate::config::Config,
    key: &str,
    config_value: Option<&str>,
) -> Option<Given> {
    match (flag_value, config_value) {
        (Some(v), _) => Some(Given {
            value: v.to_string(),
            at: flag.to_string(),
        }),
        (None, Some(v)) => Some(Given {
            value: v.to_string(),
            at: config.place(key),
        }),
        (None, None) => None,
    }
}

/// `--org`, else `org` in samlcheck.toml.
pub fn org_given(flag_value: Option<&str>, config: &crate::config::Config) -> Option<Given> {
    given("--org", flag_value, config, "org", config.org.as_deref())
}

/// `--idp-metadata`, else `idp_metadata` in samlcheck.toml.
pub fn idp_metadata_given(
    flag_value: Option<&str>,
    config: &crate::config::Config,
) -> Option<Given> {
    given(
        "--idp-metadata",
        flag_value,
        config,
        "idp_metadata",
        config.idp_metadata.as_deref(),
    )
}

/// The error of a command that needs an org and got none.
pub fn no_org(config: &crate::config::Config) -> CliError {
    CliError::Usage(format!(
        "no organization: give --org SLUG, or --sp-entity-id URL with --sp-acs URL, or set org = \"SLUG\" in {}",
        config.describe()
    ))
}

/// The error of a command that needs the IdP metadata and got none.
pub fn no_metadata(config: &crate::config::Config) -> CliError {
    CliError::Usage(format!(
        "no IdP metadata: give --idp-metadata PATH|URL, or set idp_metadata = \"PATH\" in {}",
        config.describe()
    ))
}

/// Writes `bytes` to stdout.
pub fn print_bytes(bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|source| CliError::Write {
            path: "<stdout>".into(),
            source,
        })
}

#[derive(Debug, Parser)]
#[command(
    name = "samlcheck",
    version,
    about = "Make SAML2 single sign-on work the first time: verify, lint, preflight and explain.",
    after_help = examples::help(EXAMPLES)
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per process: boxing the larger arguments would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// GO / NO-GO before turning on "Require SSO", with the exact fix for every NO-GO.
    #[command(long_about = check::ABOUT, after_help = examples::help(check::EXAMPLES))]
    Check(check::CheckArgs),
    /// Verify SAML Responses against the IdP metadata and the org's SP URLs.
    #[command(after_help = examples::help(verify::EXAMPLES))]
    Verify(verify::VerifyArgs),
    /// Decode, verify and explain a captured SAML message (URL, form value, XML).
    #[command(after_help = examples::help(decode::EXAMPLES))]
    Decode(decode::DecodeArgs),
    /// Lint IdP metadata (single entities or federation aggregates) for CI.
    #[command(after_help = examples::help(lint::EXAMPLES))]
    Lint(lint::LintArgs),
    /// List every rule: id, default severity and summary.
    #[command(after_help = examples::help(rules::EXAMPLES))]
    Rules(rules::RulesArgs),
    /// Explain one rule: what it means and how to fix it.
    #[command(after_help = examples::help(explain::EXAMPLES))]
    Explain(explain::ExplainArgs),
    /// Print the SP metadata XML for an org, to upload to the IdP.
    #[command(after_help = examples::help(sp_metadata::EXAMPLES))]
    SpMetadata(sp_metadata::SpMetadataArgs),
    /// Run a mock IdP: metadata, login page, signed responses, deliberate faults.
    #[command(after_help = examples::help(idp::EXAMPLES))]
    Idp(idp::IdpArgs),
    /// Run a local mock SP on the org's paths for a test login through the IdP.
    #[command(after_help = examples::help(serve::EXAMPLES))]
    Serve(serve::ServeArgs),
    /// Mock IdP + mock SP on loopback: a test login end to end, then one with a fault explained.
    #[command(after_help = examples::help(demo::EXAMPLES))]
    Demo(demo::DemoArgs),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish.
    #[command(after_help = examples::help(completions::EXAMPLES))]
    Completions(completions::CompletionsArgs),
    /// Print the manual page samlcheck(1), or write every page into a folder.
    #[command(after_help = examples::help(man::EXAMPLES))]
    Man(man::ManArgs),
}

/// Options every command shares.
#[derive(Debug, Clone, clap::Args)]
pub struct CommonArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Treat warnings as errors (`--deny warnings`).
    #[arg(long, value_parser = ["warnings"])]
    pub deny: Option<String>,
    /// Settings file (defaults and rule severities) instead of ./samlcheck.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<std::path::PathBuf>,
}

/// How metadata named by URL is fetched (the only network access).
#[derive(Debug, Clone, clap::Args)]
pub struct FetchArgs {
    /// Allow fetching metadata over plain http:// (https only by default).
    #[arg(long)]
    pub allow_http: bool,
    /// Largest metadata download, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 10)]
    pub max_download_mib: u64,
    /// Give up on a download after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 15)]
    pub fetch_timeout: u64,
}

impl FetchArgs {
    pub fn policy(&self) -> crate::fetch::FetchPolicy {
        crate::fetch::FetchPolicy {
            allow_http: self.allow_http,
            max_bytes: self.max_download_mib.saturating_mul(1024 * 1024),
            timeout: std::time::Duration::from_secs(self.fetch_timeout),
            max_redirects: 5,
        }
    }

    /// Reads a file, or fetches a URL under the policy.
    pub fn read(&self, path: &str) -> Result<Vec<u8>, CliError> {
        if crate::fetch::is_url(path) {
            return crate::fetch::fetch(path, &self.policy()).map_err(|source| CliError::Fetch {
                url: path.to_string(),
                source,
            });
        }
        std::fs::read(path).map_err(|source| CliError::Io {
            path: path.to_string(),
            source,
        })
    }
}

/// Runs the parsed command and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Decode(args) => decode::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Explain(args) => explain::run(args),
        Command::SpMetadata(args) => sp_metadata::run(args),
        Command::Idp(args) => idp::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("samlcheck: {e}");
            exit::BAD_INPUT
        }
    }
}
