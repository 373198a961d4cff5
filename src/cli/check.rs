//! `samlcheck check`: the GO / NO-GO preflight before turning on "Require SSO". Arguments and
//! samlcheck.toml become a [`crate::preflight`] run; the report goes through the renderers.

use std::io::Write;
use std::sync::Arc;

use super::examples::{Example, Outcome};
use super::{exit, CliError, CommonArgs, FetchArgs};
use crate::config::Config;
use crate::preflight::{
    self, Input, PreflightInput, PreflightOptions, PreflightReport, PresetSource, SpSpec, TypedUrls,
};
use crate::report::{json, preflight::render_human, FileFindings, Format};
use crate::sp::mapping::AttributeMapping;
use crate::sp::profile::DEFAULT_BASE_URL;
use crate::sp::SpProfile;

pub const ABOUT: &str = "GO / NO-GO before turning on \"Require SSO\": checks the IdP metadata, its signing certificate, the SP URLs as configured in the IdP, the attribute mapping and a test login, and says for every NO-GO what to change, in which console field, to which value.

The checklist (each line ok, warn, FAIL, not checked or skipped):
  metadata valid              the IdP entity passes the lint rules at error level
  signing certificate valid   for at least --expiry-warning-days more days (30 by default)
  URLs exact                  --acs/--audience/--sls, --sp-metadata and the test login's
                              Destination, Recipient and Audience, each compared with the SP's
  mapping complete            the preset (--preset, else the detected IdP's) with [map] and --map
                              on top, against the attributes the metadata advertises and, with
                              --response, those the IdP really sent
  successful test login seen  --response, verified exactly as `samlcheck verify` does
and the reminder to keep one owner able to log in without SSO.

Without --response the test login is \"not checked\" and the verdict is NO-GO: metadata and settings can look right while logins still fail, and \"Require SSO\" then locks members out. --no-test-login checks everything else (for CI, where no browser is at hand): the item is \"skipped\" and does not block.

samlcheck.toml supplies org, base_url, idp_metadata, preset, expiry_warning_days, [map] and [rules], so `samlcheck check` alone works in a configured directory; flags win over it. For a SaaS whose SP URLs are not Sentry's, `profile = \"NAME\"` with a [profiles.NAME] table (entity_id, acs, sls, login as templates with {base} and {org}) describes their shape; --profile NAME picks one.

Exit codes: 0 GO; 1 NO-GO; 2 an input cannot be read (metadata or response not XML, unknown file, bad flag).";

pub const EXAMPLES: &[Example] = &[
    Example {
        what: "The bundled Okta metadata and test login for org acme, at the time the login was captured",
        command: "samlcheck check --org acme --idp-metadata fixtures/metadata/vendors/okta.xml --response fixtures/responses/vendors/okta.xml --now 2026-01-15T10:01:00Z",
        outcome: Outcome::Exit(exit::OK, "GO"),
    },
    Example {
        what: "Entra ID, with the URLs as typed into its console: the Reply URL lacks its final '/'",
        command: "samlcheck check --org acme --idp-metadata fixtures/metadata/vendors/entra.xml --acs https://sentry.io/saml/acs/acme --audience https://sentry.io/saml/metadata/acme/ --no-test-login",
        outcome: Outcome::Exit(exit::FINDINGS, "NO-GO"),
    },
    Example {
        what: "CI, with org, idp_metadata and preset from a samlcheck.toml (without --config, the one in the working directory), SARIF for code scanning",
        command: "samlcheck check --config fixtures/samlcheck.toml --no-test-login --acs https://sentry.io/saml/acs/acme/ --audience https://sentry.io/saml/metadata/acme/ --format sarif > check.sarif",
        outcome: Outcome::Exit(exit::OK, "GO"),
    },
];

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The organization slug [default: `org` in samlcheck.toml].
    #[arg(long, value_name = "SLUG")]
    pub org: Option<String>,
    /// The IdP metadata, a file or an https:// URL [default: `idp_metadata` in samlcheck.toml].
    #[arg(long, value_name = "PATH|URL")]
    pub idp_metadata: Option<String>,
    /// The IdP entityID, to pick one IdP out of an aggregate.
    #[arg(long, value_name = "ENTITY_ID")]
    pub idp_entity_id: Option<String>,
    /// The SaaS base URL [default: `base_url` in samlcheck.toml, else `https://sentry.io`].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The SP's URL shape: `sentry` (built in) or a `[profiles.NAME]` of samlcheck.toml [default: `profile` in samlcheck.toml, else sentry].
    #[arg(long, value_name = "NAME", conflicts_with = "sp_entity_id")]
    pub profile: Option<String>,
    /// The ACS URL as typed into the IdP (Single sign-on URL, Reply URL...).
    #[arg(long, value_name = "URL")]
    pub acs: Option<String>,
    /// The Audience as typed into the IdP (Audience URI, Identifier, SP Entity ID...).
    #[arg(long, value_name = "URL")]
    pub audience: Option<String>,
    /// The Single Logout URL as typed into the IdP.
    #[arg(long, value_name = "URL")]
    pub sls: Option<String>,
    /// An SP metadata file exported from the IdP's application: its entityID, ACS and SLS count as typed values.
    #[arg(long, value_name = "FILE")]
    pub sp_metadata: Option<String>,
    /// A captured test login: a file (XML, base64 SAMLResponse, form body), the value itself, or `-` for stdin.
    #[arg(long, value_name = "CAPTURE")]
    pub response: Option<String>,
    /// Check without a test login: the item is "skipped" and does not block GO.
    #[arg(long, conflicts_with = "response")]
    pub no_test_login: bool,
    /// Start the mapping from this IdP's usual attribute names [default: `preset` in samlcheck.toml, else the detected IdP's]: okta, entra, google, onelogin, auth0, jumpcloud, authentik, keycloak, adfs, ping, rippling, shibboleth, simplesamlphp.
    #[arg(long, value_name = "VENDOR")]
    pub preset: Option<String>,
    /// Map a field to an attribute (user-id, email, first-name, last-name), over the preset and `[map]`; repeat or separate with commas.
    #[arg(long = "map", value_name = "FIELD=ATTR")]
    pub map: Vec<String>,
    /// The SP entity ID (instead of the org-slug profile).
    #[arg(long, value_name = "URL", requires = "sp_acs")]
    pub sp_entity_id: Option<String>,
    /// The SP ACS URL (instead of the org-slug profile).
    #[arg(long, value_name = "URL", requires = "sp_entity_id")]
    pub sp_acs: Option<String>,
    /// The SP Single Logout URL (with --sp-entity-id).
    #[arg(long, value_name = "URL", requires = "sp_entity_id")]
    pub sp_sls: Option<String>,
    /// Certificates must stay valid this many more days [default: `expiry_warning_days` in samlcheck.toml, else 30].
    #[arg(long, value_name = "DAYS")]
    pub expiry_warning_days: Option<i64>,
    /// The time to check against (RFC 3339), e.g. when the test login was captured.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Allowed clock difference between IdP and SP for the test login, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub clock_skew: i64,
    /// The ID of the AuthnRequest the test login answers (checked against InResponseTo).
    #[arg(long, value_name = "ID")]
    pub request_id: Option<String>,
    /// The SP private key (PEM, RSA), when the test login's assertion is encrypted.
    #[arg(long, value_name = "PEM")]
    pub sp_key: Option<String>,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// The preflight's inputs: flags first, then samlcheck.toml, then the defaults.
fn gather(
    args: &CheckArgs,
    config: &Config,
) -> Result<(PreflightInput, PreflightOptions), CliError> {
    let sp = match (&args.sp_entity_id, &args.sp_acs) {
        (Some(e), Some(a)) => SpSpec::Explicit(SpProfile::explicit(e, a, args.sp_sls.as_deref())),
        _ => {
            let Some(org) = args.org.clone().or_else(|| config.org.clone()) else {
                return Err(super::no_org(config));
            };
            let (templates, base_url) = super::sp::templates_and_base(
                config,
                args.profile.as_deref(),
                args.base_url.as_deref(),
                DEFAULT_BASE_URL,
            )?;
            SpSpec::Templated {
                templates: Arc::new(templates.clone()),
                base_url,
                org,
            }
        }
    };
    let Some(metadata) = super::idp_metadata_given(args.idp_metadata.as_deref(), config) else {
        return Err(super::no_metadata(config));
    };
    let mut input = PreflightInput::new(
        sp,
        Input {
            bytes: args
                .fetch
                .read(&metadata.value)
                .map_err(|e| e.at(&metadata.at))?,
            name: metadata.value,
        },
    );
    input.idp_entity_id = args.idp_entity_id.clone();
    input.typed = TypedUrls {
        acs: args.acs.clone(),
        audience: args.audience.clone(),
        sls: args.sls.clone(),
    };
    if let Some(path) = &args.sp_metadata {
        input.sp_metadata = Some(Input {
            bytes: args.fetch.read(path).map_err(|e| e.at("--sp-metadata"))?,
            name: path.clone(),
        });
    }
    if let Some(arg) = &args.response {
        let (name, bytes) = super::input::read_capture(arg).map_err(|e| e.at("--response"))?;
        input.response = Some(Input { name, bytes });
    }
    input.preset = match (&args.preset, &config.preset) {
        (Some(p), _) => Some((p.clone(), PresetSource::Flag)),
        (None, Some(p)) => Some((p.clone(), PresetSource::Config)),
        (None, None) => None,
    };
    let mut map = AttributeMapping::from_config(&config.map);
    for spec in &args.map {
        map.apply(spec)
            .map_err(|e| CliError::Usage(format!("--map {spec}: {e}")))?;
    }
    input.map = map;

    let mut options = PreflightOptions::at(super::verify::parse_now(args.now.as_deref())?);
    options.expiry_warning_days = args
        .expiry_warning_days
        .or(config.expiry_warning_days)
        .unwrap_or(options.expiry_warning_days);
    if options.expiry_warning_days < 0 {
        return Err(CliError::Usage(
            "--expiry-warning-days must be 0 or more".into(),
        ));
    }
    options.clock_skew = args.clock_skew;
    options.request_id = args.request_id.clone();
    options.deny_warnings = args.common.deny.is_some();
    options.test_login_required = !args.no_test_login;
    if let Some(path) = &args.sp_key {
        options.sp_key = Some(super::verify::load_sp_key(path)?);
    }
    Ok((input, options))
}

pub fn run(args: CheckArgs) -> Result<i32, CliError> {
    let config = Config::load(args.common.config.as_deref())?;
    let (input, options) = gather(&args, &config)?;
    let report = preflight::run(&input, &options, &config)?;
    let text = render(&report, args.common.format, options.deny_warnings);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(if !report.readable {
        exit::BAD_INPUT
    } else if report.go {
        exit::OK
    } else {
        exit::FINDINGS
    })
}

/// The report in `format`. JUnit gets one test suite per checklist item; SARIF and GitHub
/// annotations point at the files the findings are about.
fn render(report: &PreflightReport, format: Format, deny_warnings: bool) -> String {
    match format {
        Format::Human => render_human(report),
        Format::Json => json::to_string(report, true) + "\n",
        Format::Jsonl => json::to_string(report, false) + "\n",
        Format::Junit => {
            let suites: Vec<FileFindings> = report
                .checklist
                .iter()
                .map(|i| FileFindings {
                    file: &i.title,
                    findings: &i.findings,
                })
                .collect();
            crate::report::render(format, &suites, deny_warnings).unwrap_or_default()
        }
        Format::Sarif | Format::Github => {
            let all = [FileFindings {
                file: "<samlcheck check>",
                findings: &report.findings,
            }];
            crate::report::render(format, &all, deny_warnings).unwrap_or_default()
        }
    }
}
