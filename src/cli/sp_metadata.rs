//! `samlcheck sp-metadata --org SLUG [--base-url URL] [--profile NAME]`: the SP metadata XML to
//! upload to the IdP.

use std::path::PathBuf;

use super::examples::{Example, Outcome};
use super::{exit, CliError};
use crate::config::Config;
use crate::sp::profile::DEFAULT_BASE_URL;
use crate::sp::{sp_metadata, SpProfile};

pub const EXAMPLES: &[Example] = &[
    Example {
        what: "The SP metadata of org acme on sentry.io, to upload to the IdP",
        command: "samlcheck sp-metadata --org acme > sp-metadata.xml",
        outcome: Outcome::Exit(exit::OK, "written"),
    },
    Example {
        what: "A self-hosted install",
        command: "samlcheck sp-metadata --org ops --base-url https://sentry.company",
        outcome: Outcome::Exit(exit::OK, "printed"),
    },
    Example {
        what: "Another SaaS's URL shape, a [profiles.NAME] table of samlcheck.toml",
        command: "samlcheck sp-metadata --config fixtures/samlcheck.toml --profile acme-saas --base-url https://app.example",
        outcome: Outcome::Exit(exit::OK, "printed"),
    },
];

#[derive(Debug, clap::Args)]
pub struct SpMetadataArgs {
    /// The organization slug [default: `org` in samlcheck.toml].
    #[arg(long, value_name = "SLUG")]
    pub org: Option<String>,
    /// The SaaS base URL [default: `base_url` in samlcheck.toml, else `https://sentry.io`].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The SP's URL shape: `sentry` (built in) or a `[profiles.NAME]` of samlcheck.toml [default: `profile` in samlcheck.toml, else sentry].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The SP entity ID (instead of the org-slug profile).
    #[arg(long, value_name = "URL", requires = "sp_acs", conflicts_with_all = ["org", "base_url", "profile"])]
    pub sp_entity_id: Option<String>,
    /// The SP ACS URL (with --sp-entity-id).
    #[arg(long, value_name = "URL", requires = "sp_entity_id")]
    pub sp_acs: Option<String>,
    /// The SP Single Logout URL (with --sp-entity-id; left out of the metadata when not given).
    #[arg(long, value_name = "URL", requires = "sp_entity_id")]
    pub sp_sls: Option<String>,
    /// Settings file (org and base URL defaults) instead of ./samlcheck.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

fn profile(args: &SpMetadataArgs) -> Result<SpProfile, CliError> {
    if let (Some(entity_id), Some(acs)) = (&args.sp_entity_id, &args.sp_acs) {
        return Ok(SpProfile::explicit(entity_id, acs, args.sp_sls.as_deref()));
    }
    let config = Config::load(args.config.as_deref())?;
    let Some(org) = super::org_given(args.org.as_deref(), &config) else {
        return Err(super::no_org(&config));
    };
    let (templates, base_url) = super::sp::templates_and_base(
        &config,
        args.profile.as_deref(),
        args.base_url.as_deref(),
        DEFAULT_BASE_URL,
    )?;
    let base_at = super::sp::base_origin(args.base_url.is_some(), &config);
    super::sp::valid_org(templates, &base_url, &org, &base_at)
}

pub fn run(args: SpMetadataArgs) -> Result<i32, CliError> {
    let sp = profile(&args)?;
    let xml = sp_metadata(&sp).map_err(|e| CliError::Usage(e.to_string()))?;
    let plain_http = [Some(&sp.acs), sp.sls.as_ref()]
        .into_iter()
        .flatten()
        .any(|u| u.starts_with("http://"));
    if plain_http {
        // Still written (a local test install is fine), but IdPs and `lint` refuse plain http.
        eprintln!(
            "samlcheck: warning: the SP endpoints use plain http://; most IdPs refuse them and `samlcheck lint` reports metadata/insecure-endpoint"
        );
    }
    super::print_bytes(xml.as_bytes())?;
    Ok(exit::OK)
}
