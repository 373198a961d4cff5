//! The SP of a command that takes `--org`: the URL-shape profile (`--profile`, else `profile`
//! in samlcheck.toml, else the built-in `sentry`) and the base URL it fills in.

use super::{CliError, Given};
use crate::checks::catalog::SP_ORG_SLUG_INVALID;
use crate::config::Config;
use crate::sp::profile::{ProfileError, DEFAULT_BASE_URL};
use crate::sp::{SpProfile, UrlTemplates};

/// The flags that name the SP, shared by the commands that check a message against it
/// (`verify`, `decode`): the org-slug profile, or the SP's own URLs.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SpArgs {
    /// The organization slug [default: `org` in samlcheck.toml].
    #[arg(long, value_name = "SLUG")]
    pub org: Option<String>,
    /// The SaaS base URL [default: `base_url` in samlcheck.toml, else `https://sentry.io`].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The SP's URL shape: `sentry` (built in) or a `[profiles.NAME]` of samlcheck.toml [default: `profile` in samlcheck.toml, else sentry].
    #[arg(long, value_name = "NAME", conflicts_with = "sp_entity_id")]
    pub profile: Option<String>,
    /// The SP entity ID (instead of the org-slug profile).
    #[arg(long, value_name = "URL", requires = "sp_acs")]
    pub sp_entity_id: Option<String>,
    /// The SP ACS URL (instead of the org-slug profile).
    #[arg(long, value_name = "URL", requires = "sp_entity_id")]
    pub sp_acs: Option<String>,
    /// The SP Single Logout URL (with --sp-entity-id).
    #[arg(long, value_name = "URL")]
    pub sp_sls: Option<String>,
}

impl SpArgs {
    /// The SP these flags and samlcheck.toml name, `None` when they name none; a bad slug or
    /// base URL is a usage error.
    pub fn resolve(&self, config: &Config) -> Result<Option<SpProfile>, CliError> {
        if let (Some(entity_id), Some(acs)) = (&self.sp_entity_id, &self.sp_acs) {
            return Ok(Some(SpProfile::explicit(
                entity_id,
                acs,
                self.sp_sls.as_deref(),
            )));
        }
        let Some(org) = super::org_given(self.org.as_deref(), config) else {
            return Ok(None);
        };
        let (templates, base_url) = templates_and_base(
            config,
            self.profile.as_deref(),
            self.base_url.as_deref(),
            DEFAULT_BASE_URL,
        )?;
        let base_at = base_origin(self.base_url.is_some(), config);
        valid_org(templates, &base_url, &org, &base_at).map(Some)
    }
}

/// The profile, and the base URL for it: `--base-url` (`base_flag`), else `base_url` in the
/// file, else `default_base`. A `--base-url` that no template of the profile uses is refused,
/// since it would change nothing.
pub fn templates_and_base<'c>(
    config: &'c Config,
    profile: Option<&str>,
    base_flag: Option<&str>,
    default_base: &str,
) -> Result<(&'c UrlTemplates, String), CliError> {
    let templates = config.url_templates(profile)?;
    if let Some(base) = base_flag.filter(|_| !templates.uses_base()) {
        return Err(CliError::Usage(format!(
            "--base-url {base}: no URL of profile {} uses {{base}}, so it would change nothing",
            templates.name
        )));
    }
    let base = base_flag
        .map(str::to_string)
        .or_else(|| config.base_url.clone())
        .unwrap_or_else(|| default_base.to_string());
    Ok((templates, base))
}

/// Where the base URL came from: `--base-url` when given, else `base_url` in samlcheck.toml
/// (the built-in default is never wrong).
pub fn base_origin(flag_given: bool, config: &Config) -> String {
    if flag_given {
        "--base-url".into()
    } else {
        config.place("base_url")
    }
}

/// The org's SP URLs after checking the slug (`sp/org-slug-invalid`) and the base URL; an
/// error names where the bad value came from (`org.at`, `base_at`).
pub fn valid_org(
    templates: &UrlTemplates,
    base: &str,
    org: &Given,
    base_at: &str,
) -> Result<SpProfile, CliError> {
    templates
        .render_valid(base, &org.value)
        .map_err(|e| match e {
            ProfileError::Slug(e) => {
                CliError::Usage(format!("{}: {}: {e}", org.at, SP_ORG_SLUG_INVALID.id))
            }
            e @ ProfileError::BaseUrl { .. } => CliError::Usage(format!("{base_at}: {e}")),
        })
}
