//! The SP of a command that takes `--org`: the URL-shape profile (`--profile`, else `profile`
//! in samlcheck.toml, else the built-in `sentry`) and the base URL it fills in.

use super::CliError;
use crate::checks::catalog::SP_ORG_SLUG_INVALID;
use crate::config::Config;
use crate::sp::profile::ProfileError;
use crate::sp::{SpProfile, UrlTemplates};

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

/// The org's SP URLs after checking the slug (`sp/org-slug-invalid`) and the base URL;
/// `base_flag_name` names the flag a bad base URL came from.
pub fn valid_org(
    templates: &UrlTemplates,
    base: &str,
    org: &str,
    base_flag_name: &str,
) -> Result<SpProfile, CliError> {
    templates.render_valid(base, org).map_err(|e| match e {
        ProfileError::Slug(e) => CliError::Usage(format!("{}: {e}", SP_ORG_SLUG_INVALID.id)),
        e @ ProfileError::BaseUrl { .. } => CliError::Usage(format!("{base_flag_name}: {e}")),
    })
}
