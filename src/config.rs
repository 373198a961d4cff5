//! `samlcheck.toml`: defaults for the command line and per-rule severities.
//!
//! ```toml
//! org = "acme"
//! base_url = "https://sentry.io"
//! idp_metadata = "idp/okta.xml"      # relative to this file's folder
//! preset = "okta"                    # the IdP's usual attribute names, before [map]
//! expiry_warning_days = 30           # certificates must stay valid this much longer
//!
//! [map]
//! user-id = "http://schemas.microsoft.com/identity/claims/objectidentifier"
//! email = "email"
//! first-name = "firstName"
//! last-name = "lastName"
//!
//! [rules]
//! "cert/expiring-soon" = "off"       # or "info", "warning", "error"
//! ```
//!
//! The SP's URLs follow a URL-shape profile: `sentry` (built in: `{base}/saml/metadata/{org}/`,
//! `{base}/saml/acs/{org}/`, `{base}/saml/sls/{org}/`, `{base}/saml/login/{org}/`) unless
//! `profile` names one of the file's `[profiles.NAME]` tables (`--profile NAME` wins):
//!
//! ```toml
//! profile = "acme-saas"
//!
//! [profiles.acme-saas]
//! entity_id = "{base}/auth/saml/{org}/metadata.xml"   # required
//! acs = "{base}/sso/{org}/saml2/acs"                  # required
//! sls = "{base}/sso/{org}/saml2/sls"                  # optional
//! login = "{base}/login/{org}"                        # optional
//!
//! [profiles.subdomains]                               # a host per org: no {base}
//! entity_id = "https://{org}.app.example/saml/metadata"
//! acs = "https://{org}.app.example/saml/acs"
//! ```
//!
//! A template opens with `{base}` (then the path, from `/`) or is an absolute http(s) URL; an
//! entity ID may be a URN. `{org}` appears at most once, in the host or the path, and at least
//! one URL of a profile has it; `{base}` and `{org}` are the only placeholders. The slug rules
//! apply to the org whatever the profile. `sentry` cannot be redefined.
//!
//! The file is read from the working directory, or from `--config PATH`. Command-line flags win
//! over it. Unknown keys, unknown rule ids, unknown profile names and bad templates are errors
//! (exit code 2), with the file, line, column and key named, so a typo never silently does
//! nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::checks::{catalog, Finding, Rule, Severity};
use crate::sp::template::{
    Template, TemplateError, TemplatesError, UrlKind, UrlTemplates, BUILTIN,
};

/// The file looked for in the working directory.
pub const FILE_NAME: &str = "samlcheck.toml";

/// What the configuration says about one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSetting {
    /// Never report it.
    Off,
    /// Report it at this severity.
    Severity(Severity),
}

/// The `[map]` table: which SAML attribute carries each user field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(rename = "user-id", alias = "user_id")]
    pub user_id: Option<String>,
    pub email: Option<String>,
    #[serde(rename = "first-name", alias = "first_name")]
    pub first_name: Option<String>,
    #[serde(rename = "last-name", alias = "last_name")]
    pub last_name: Option<String>,
}

/// The settings, as read (or the defaults when there is no file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The file they were read from; `None` when there was none.
    pub path: Option<PathBuf>,
    pub org: Option<String>,
    pub base_url: Option<String>,
    /// A URL, or a path resolved against the configuration file's folder.
    pub idp_metadata: Option<String>,
    /// The attribute preset the mapping starts from (`okta`, `entra`...), checked by name.
    pub preset: Option<String>,
    /// How many days certificates (and metadata) must stay valid; `--expiry-warning-days`.
    pub expiry_warning_days: Option<i64>,
    /// The URL-shape profile named by `profile` (checked: built in, or in `profiles`).
    pub profile: Option<String>,
    /// The `[profiles.NAME]` tables, by name.
    pub profiles: BTreeMap<String, UrlTemplates>,
    pub map: Mapping,
    /// Per rule id (every id is in the catalog).
    pub rules: BTreeMap<String, RuleSetting>,
    /// Where each top-level value was written (`samlcheck.toml:3:16`), by key, for errors
    /// about a value that only shows later (a metadata file that cannot be read...).
    pub places: BTreeMap<String, String>,
}

/// Why the configuration cannot be used (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("{path}:{line}:{column}: [rules] \"{key}\" is not a samlcheck rule id{hint}")]
    UnknownRule {
        path: String,
        line: usize,
        column: usize,
        key: String,
        hint: String,
    },
    /// `hint`: `did you mean "warning"? (error, warning, info, off)`, or the severities alone.
    #[error("{path}:{line}:{column}: [rules] \"{key}\": unknown severity {value:?}; {hint}")]
    UnknownSeverity {
        path: String,
        line: usize,
        column: usize,
        key: String,
        value: String,
        hint: String,
    },
    /// `place`: file, line, column, table and key
    /// (`samlcheck.toml:3:7: [profiles.x] acs = "..."`).
    #[error("{place}: {source}")]
    Template {
        place: String,
        #[source]
        source: TemplateError,
    },
    /// `place`: file, line, column and table (`samlcheck.toml:1:1: [profiles.x]`).
    #[error("{place}: {source}")]
    Profile {
        place: String,
        #[source]
        source: TemplatesError,
    },
    /// `at`: `samlcheck.toml:3:11` for the file's `profile`, `--profile` for the flag.
    #[error("{at}: profile {name:?} is not defined; {known}")]
    UnknownProfile {
        at: String,
        name: String,
        known: String,
    },
}

/// The values of a `[rules]` entry, most severe first.
const SEVERITIES: [&str; 4] = ["error", "warning", "info", "off"];

/// The setting `value` names, exactly as written.
fn rule_setting(value: &str) -> Option<RuleSetting> {
    Some(match value {
        "off" => RuleSetting::Off,
        "info" => RuleSetting::Severity(Severity::Info),
        "warning" => RuleSetting::Severity(Severity::Warning),
        "error" => RuleSetting::Severity(Severity::Error),
        _ => return None,
    })
}

/// The severity a bad `[rules]` value probably meant: the same in another case, one it
/// begins (`warn`), or one a typo or two away.
fn closest_severity(value: &str) -> Option<&'static str> {
    let lower = value.trim().to_ascii_lowercase();
    if lower.is_empty() {
        return None;
    }
    SEVERITIES
        .into_iter()
        .find(|s| s.starts_with(&lower))
        .or_else(|| {
            SEVERITIES
                .into_iter()
                .map(|s| (levenshtein(&lower, s), s))
                .filter(|(d, _)| *d <= 2)
                .min_by_key(|(d, _)| *d)
                .map(|(_, s)| s)
        })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    #[serde(alias = "entity-id")]
    entity_id: toml::Spanned<String>,
    acs: toml::Spanned<String>,
    sls: Option<toml::Spanned<String>>,
    login: Option<toml::Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    org: Option<toml::Spanned<String>>,
    #[serde(alias = "base-url")]
    base_url: Option<toml::Spanned<String>>,
    #[serde(alias = "idp-metadata")]
    idp_metadata: Option<toml::Spanned<String>>,
    preset: Option<toml::Spanned<String>>,
    #[serde(alias = "expiry-warning-days")]
    expiry_warning_days: Option<toml::Spanned<i64>>,
    profile: Option<toml::Spanned<String>>,
    #[serde(default)]
    profiles: BTreeMap<toml::Spanned<String>, RawProfile>,
    #[serde(default)]
    map: Mapping,
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
}

/// The line and column (in characters) of byte offset `at` in `text`, both from 1.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// `line:column` of byte offset `at` in `text`.
fn place(text: &str, at: usize) -> String {
    let (line, column) = line_column(text, at);
    format!("{line}:{column}")
}

/// The profiles there are, for an error naming one that is not.
fn known_profiles<'a>(names: impl Iterator<Item = &'a String>, file: &str) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() {
        format!(
            "the only profile is {BUILTIN} (built in); define others as [profiles.NAME] in {file}"
        )
    } else {
        format!(
            "the profiles are {BUILTIN} (built in) and {} ({file})",
            names.join(", ")
        )
    }
}

/// Checks one `[profiles.NAME]` table, naming the line and key of a bad template.
fn read_profile(
    text: &str,
    shown: &str,
    name: &str,
    at: &str,
    raw: RawProfile,
) -> Result<UrlTemplates, ConfigError> {
    let parse = |value: toml::Spanned<String>, kind: UrlKind| {
        let at = place(text, value.span().start);
        let value = value.into_inner();
        Template::parse(&value, kind).map_err(|source| ConfigError::Template {
            place: format!("{shown}:{at}: [profiles.{name}] {} = {value:?}", kind.key()),
            source,
        })
    };
    let entity_id = parse(raw.entity_id, UrlKind::EntityId)?;
    let acs = parse(raw.acs, UrlKind::Acs)?;
    let sls = raw.sls.map(|v| parse(v, UrlKind::Sls)).transpose()?;
    let login = raw.login.map(|v| parse(v, UrlKind::Login)).transpose()?;
    UrlTemplates::new(name, entity_id, acs, sls, login).map_err(|source| ConfigError::Profile {
        place: format!("{shown}:{at}: [profiles.{name}]"),
        source,
    })
}

/// The catalog rule closest to `query` by edit distance (on the whole id, or on the part after
/// the family), when one is close enough to be what was meant.
pub fn closest_rule(query: &str) -> Option<&'static Rule> {
    let query = query.trim().to_ascii_lowercase();
    catalog::all()
        .map(|r| {
            let name = r.id.split_once('/').map_or(r.id, |(_, n)| n);
            let d = levenshtein(&query, r.id).min(levenshtein(&query, name));
            (d, r)
        })
        .filter(|(d, r)| *d <= (r.id.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, r)| r)
}

/// Edit distance (insertions, deletions, substitutions) between two strings, by characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

impl Config {
    /// Reads `explicit` (which must exist), else `samlcheck.toml` in the working directory when
    /// there is one, else the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        match explicit {
            Some(path) => Config::from_file(path),
            None => {
                let path = Path::new(FILE_NAME);
                if path.is_file() {
                    Config::from_file(path)
                } else {
                    Ok(Config::default())
                }
            }
        }
    }

    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Parses `text`, the contents of the file at `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let raw: Raw = toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => ConfigError::Invalid {
                path: format!("{shown}:{}", place(text, span.start)),
                message: e.message().trim_end().to_string(),
            },
            None => ConfigError::Invalid {
                path: shown.clone(),
                message: e.to_string().trim_end().to_string(),
            },
        })?;
        let mut places = BTreeMap::new();
        for (key, span) in [
            ("org", raw.org.as_ref().map(|v| v.span())),
            ("base_url", raw.base_url.as_ref().map(|v| v.span())),
            ("idp_metadata", raw.idp_metadata.as_ref().map(|v| v.span())),
            ("preset", raw.preset.as_ref().map(|v| v.span())),
            (
                "expiry_warning_days",
                raw.expiry_warning_days.as_ref().map(|v| v.span()),
            ),
            ("profile", raw.profile.as_ref().map(|v| v.span())),
        ] {
            if let Some(span) = span {
                places.insert(
                    key.to_string(),
                    format!("{shown}:{}", place(text, span.start)),
                );
            }
        }
        let mut rules = BTreeMap::new();
        for (key, setting) in raw.rules {
            let span = key.span();
            let key = key.into_inner();
            let Some(rule) = catalog::rule(&key) else {
                let (line, column) = line_column(text, span.start);
                let hint = match closest_rule(&key) {
                    Some(r) => format!(" (did you mean \"{}\"?)", r.id),
                    None => " (`samlcheck rules` lists them)".to_string(),
                };
                return Err(ConfigError::UnknownRule {
                    path: shown,
                    line,
                    column,
                    key,
                    hint,
                });
            };
            let Some(setting) = rule_setting(setting.as_ref()) else {
                let (line, column) = line_column(text, setting.span().start);
                let value = setting.into_inner();
                return Err(ConfigError::UnknownSeverity {
                    path: shown,
                    line,
                    column,
                    key,
                    hint: match closest_severity(&value) {
                        Some(s) => format!("did you mean {s:?}? ({})", SEVERITIES.join(", ")),
                        None => format!("the severities are {}", SEVERITIES.join(", ")),
                    },
                    value,
                });
            };
            rules.insert(rule.id.to_string(), setting);
        }
        let idp_metadata = raw.idp_metadata.map(|m| resolve(path, m.into_inner()));
        // Checked here so that a typo names the file, not a later command-line error.
        if let Some(name) = &raw.preset {
            if crate::sp::presets::preset(name.as_ref()).is_none() {
                return Err(ConfigError::Invalid {
                    path: format!("{shown}:{}", place(text, name.span().start)),
                    message: format!(
                        "preset {:?} is not a preset; the presets are {}",
                        name.as_ref(),
                        crate::sp::presets::names().collect::<Vec<_>>().join(", ")
                    ),
                });
            }
        }
        if let Some(days) = &raw.expiry_warning_days {
            if *days.as_ref() < 0 {
                return Err(ConfigError::Invalid {
                    path: format!("{shown}:{}", place(text, days.span().start)),
                    message: format!(
                        "expiry_warning_days is {}; it must be 0 or more",
                        days.as_ref()
                    ),
                });
            }
        }
        let mut profiles = BTreeMap::new();
        for (name, table) in raw.profiles {
            let at = place(text, name.span().start);
            let name = name.into_inner();
            if name == BUILTIN {
                return Err(ConfigError::Invalid {
                    path: format!("{shown}:{at}"),
                    message: format!(
                        "[profiles.{BUILTIN}]: {BUILTIN} is the built-in profile; give yours another name"
                    ),
                });
            }
            let templates = read_profile(text, &shown, &name, &at, table)?;
            profiles.insert(name, templates);
        }
        let profile = match raw.profile {
            Some(name) => {
                let at = place(text, name.span().start);
                let name = name.into_inner();
                if name != BUILTIN && !profiles.contains_key(&name) {
                    return Err(ConfigError::UnknownProfile {
                        at: format!("{shown}:{at}"),
                        name,
                        known: known_profiles(profiles.keys(), "this file"),
                    });
                }
                Some(name)
            }
            None => None,
        };
        // A base URL no template of the chosen profile uses would silently do nothing.
        if let Some(base) = &raw.base_url {
            let chosen = profile.as_ref().and_then(|p| profiles.get(p));
            if let Some(t) = chosen.filter(|t| !t.uses_base()) {
                return Err(ConfigError::Invalid {
                    path: format!("{shown}:{}", place(text, base.span().start)),
                    message: format!(
                        "base_url is set, but no URL of profile {:?} uses {{base}}; remove it",
                        t.name
                    ),
                });
            }
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            org: raw.org.map(toml::Spanned::into_inner),
            base_url: raw.base_url.map(toml::Spanned::into_inner),
            idp_metadata,
            preset: raw.preset.map(toml::Spanned::into_inner),
            expiry_warning_days: raw.expiry_warning_days.map(toml::Spanned::into_inner),
            profile,
            profiles,
            map: raw.map,
            rules,
            places,
        })
    }

    /// Where `key` was set, for a message about its value: `samlcheck.toml:3:16: idp_metadata`.
    pub fn place(&self, key: &str) -> String {
        match self.places.get(key) {
            Some(at) => format!("{at}: {key}"),
            None => format!("{}: {key}", self.describe()),
        }
    }

    /// How to name the configuration in a message: its path, or where it was looked for.
    pub fn describe(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => format!("{FILE_NAME} (none in the working directory)"),
        }
    }

    /// The URL-shape profile the SP's URLs follow: `flag` (`--profile NAME`) when given, else
    /// `profile` in the file, else the built-in `sentry`.
    pub fn url_templates(&self, flag: Option<&str>) -> Result<&UrlTemplates, ConfigError> {
        let Some(name) = flag.or(self.profile.as_deref()) else {
            return Ok(UrlTemplates::sentry());
        };
        if name == BUILTIN {
            return Ok(UrlTemplates::sentry());
        }
        self.profiles
            .get(name)
            .ok_or_else(|| ConfigError::UnknownProfile {
                at: "--profile".into(),
                name: name.to_string(),
                known: known_profiles(self.profiles.keys(), &self.describe()),
            })
    }

    /// What the configuration says about `rule`, if anything.
    pub fn setting(&self, rule: &str) -> Option<RuleSetting> {
        self.rules.get(rule).copied()
    }

    /// Drops the findings of rules switched off and sets the severity of the others as
    /// configured; a changed severity is noted on the finding.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        if self.rules.is_empty() {
            return;
        }
        let source = self
            .path
            .as_deref()
            .map_or(FILE_NAME.to_string(), |p| p.display().to_string());
        findings.retain_mut(|f| match self.setting(f.rule) {
            Some(RuleSetting::Off) => false,
            Some(RuleSetting::Severity(s)) => {
                if f.severity != s {
                    f.notes.push(format!(
                        "severity {s} (instead of {}) set by {source}",
                        f.severity
                    ));
                    f.severity = s;
                }
                true
            }
            None => true,
        });
    }
}

/// A metadata path given in the file is relative to the file's folder; URLs stay as they are.
fn resolve(config: &Path, metadata: String) -> String {
    if metadata.contains("://") || Path::new(&metadata).is_absolute() {
        return metadata;
    }
    match config.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(&metadata).display().to_string(),
        _ => metadata,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::catalog::{ASSERTION_IN_RESPONSE_TO_UNCHECKED, SIGNATURE_MISSING};

    const FULL: &str = r#"
org = "acme"
base_url = "https://sentry.company"
idp_metadata = "idp/okta.xml"
preset = "okta"
expiry_warning_days = 45

[map]
user-id = "uid"
email = "mail"
first-name = "givenName"
last-name = "sn"

[rules]
"signature/missing" = "warning"
"assertion/in-response-to-unchecked" = "off"
"#;

    #[test]
    fn parses_defaults_mapping_and_rules() {
        let c = Config::parse(FULL, Path::new("conf/samlcheck.toml")).unwrap();
        assert_eq!(c.org.as_deref(), Some("acme"));
        assert_eq!(c.base_url.as_deref(), Some("https://sentry.company"));
        assert_eq!(
            c.idp_metadata.as_deref(),
            Some(Path::new("conf/idp/okta.xml").to_str().unwrap())
        );
        assert_eq!(c.preset.as_deref(), Some("okta"));
        assert_eq!(c.expiry_warning_days, Some(45));
        assert_eq!(c.map.user_id.as_deref(), Some("uid"));
        assert_eq!(c.map.last_name.as_deref(), Some("sn"));
        assert_eq!(
            c.setting("signature/missing"),
            Some(RuleSetting::Severity(Severity::Warning))
        );

        let mut findings = vec![
            Finding::new(&SIGNATURE_MISSING, "unsigned"),
            Finding::new(&ASSERTION_IN_RESPONSE_TO_UNCHECKED, "unchecked"),
        ];
        c.apply(&mut findings);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Warning);
        assert!(findings[0].notes[0].contains("conf/samlcheck.toml"));
    }

    #[test]
    fn unknown_rule_names_file_line_and_key_with_a_suggestion() {
        let text = "[rules]\n\"signature/mising\" = \"off\"\n";
        let e = Config::parse(text, Path::new("samlcheck.toml")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "samlcheck.toml:2:1: [rules] \"signature/mising\" is not a samlcheck rule id (did you mean \"signature/missing\"?)"
        );
    }

    #[test]
    fn bad_values_and_unknown_keys_are_errors_naming_file_line_and_column() {
        for (text, message) in [
            (
                "[rules]\n\"signature/missing\" = \"warn\"\n",
                "x/samlcheck.toml:2:23: [rules] \"signature/missing\": unknown severity \"warn\"; did you mean \"warning\"? (error, warning, info, off)",
            ),
            (
                "[rules]\n\"signature/missing\" = \"eror\"\n",
                "x/samlcheck.toml:2:23: [rules] \"signature/missing\": unknown severity \"eror\"; did you mean \"error\"? (error, warning, info, off)",
            ),
            (
                "[rules]\n\"signature/missing\" = \"\"\n",
                "x/samlcheck.toml:2:23: [rules] \"signature/missing\": unknown severity \"\"; the severities are error, warning, info, off",
            ),
            (
                "org = \"acme\"\norganisation = \"acme\"\n",
                "x/samlcheck.toml:2:1: unknown field `organisation`, expected one of `org`, `base-url`, `base_url`, `idp-metadata`, `idp_metadata`, `preset`, `expiry-warning-days`, `expiry_warning_days`, `profile`, `profiles`, `map`, `rules`",
            ),
            (
                "[map]\nmail = \"x\"\n",
                "x/samlcheck.toml:2:1: unknown field `mail`, expected one of `user-id`, `user_id`, `email`, `first-name`, `first_name`, `last-name`, `last_name`",
            ),
            (
                "preset = \"octa\"\n",
                "x/samlcheck.toml:1:10: preset \"octa\" is not a preset; the presets are okta, entra, google, onelogin, auth0, jumpcloud, authentik, keycloak, adfs, ping, rippling, shibboleth, simplesamlphp",
            ),
            (
                "expiry_warning_days = -1\n",
                "x/samlcheck.toml:1:23: expiry_warning_days is -1; it must be 0 or more",
            ),
            (
                "expiry_warning_days = \"30\"\n",
                "x/samlcheck.toml:1:23: invalid type: string \"30\", expected i64",
            ),
            (
                "org = \"é\"\norg = \"b\"\n",
                "x/samlcheck.toml:2:1: duplicate key",
            ),
        ] {
            let e = Config::parse(text, Path::new("x/samlcheck.toml")).unwrap_err();
            assert_eq!(e.to_string(), message, "{text}");
        }
    }

    #[test]
    fn values_remember_where_they_were_set() {
        let c = Config::parse(
            "# defaults\norg = \"acme\"\n  idp_metadata = \"idp.xml\"\n",
            Path::new("conf/samlcheck.toml"),
        )
        .unwrap();
        assert_eq!(c.place("org"), "conf/samlcheck.toml:2:7: org");
        assert_eq!(
            c.place("idp_metadata"),
            "conf/samlcheck.toml:3:18: idp_metadata"
        );
        assert_eq!(c.place("preset"), "conf/samlcheck.toml: preset");
        assert_eq!(
            Config::default().place("org"),
            "samlcheck.toml (none in the working directory): org"
        );
        assert_eq!(line_column("ab\néé x", 8), (2, 4));
    }

    #[test]
    fn preset_takes_vendor_aliases_and_keys_take_dashes() {
        let c = Config::parse(
            "preset = \"Azure\"\nexpiry-warning-days = 0\n",
            Path::new("samlcheck.toml"),
        )
        .unwrap();
        assert_eq!(c.preset.as_deref(), Some("Azure"));
        assert_eq!(c.expiry_warning_days, Some(0));
        let e = Config::parse("preset = \"octa\"\n", Path::new("samlcheck.toml")).unwrap_err();
        assert!(e.to_string().contains("the presets are okta, entra"), "{e}");
    }

    const PROFILES: &str = r#"profile = "acme-saas"
base_url = "https://app.example/eu"

[profiles.acme-saas]
entity_id = "{base}/auth/saml/{org}/metadata.xml"
acs = "{base}/sso/{org}/saml2/acs"
sls = "{base}/sso/{org}/saml2/sls"
login = "{base}/login/{org}"

[profiles.subdomains]
entity-id = "https://{org}.app.example/saml/metadata"
acs = "https://{org}.app.example/saml/acs"
"#;

    #[test]
    fn parses_url_profiles() {
        let c = Config::parse(PROFILES, Path::new("samlcheck.toml")).unwrap();
        assert_eq!(c.profile.as_deref(), Some("acme-saas"));
        let t = c.url_templates(None).unwrap();
        assert_eq!(t.acs.as_str(), "{base}/sso/{org}/saml2/acs");
        let sp = t.render(c.base_url.as_deref().unwrap(), "acme");
        assert_eq!(
            sp.entity_id,
            "https://app.example/eu/auth/saml/acme/metadata.xml"
        );
        assert_eq!(
            sp.login.as_deref(),
            Some("https://app.example/eu/login/acme")
        );
        // The flag wins; `sentry` is always there.
        let sub = c.url_templates(Some("subdomains")).unwrap();
        assert_eq!((sub.sls.as_ref(), sub.uses_base()), (None, false));
        assert_eq!(c.url_templates(Some("sentry")).unwrap().name, "sentry");
        let e = c.url_templates(Some("acme")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--profile: profile \"acme\" is not defined; the profiles are sentry (built in) and acme-saas, subdomains (samlcheck.toml)"
        );
        // No file: the built-in profile.
        assert_eq!(
            Config::default().url_templates(None).unwrap().name,
            "sentry"
        );
    }

    #[test]
    fn bad_profiles_name_file_line_and_key() {
        let err = |text: &str| {
            Config::parse(text, Path::new("conf/samlcheck.toml"))
                .unwrap_err()
                .to_string()
        };
        let table = "[profiles.x]\nentity_id = \"{base}/m/{org}\"\n";
        assert_eq!(
            err(&format!("{table}acs = \"{{base}}/sso/{{tenant}}/acs\"\n")),
            "conf/samlcheck.toml:3:7: [profiles.x] acs = \"{base}/sso/{tenant}/acs\": {tenant} is not a placeholder; the placeholders are {base} and {org}"
        );
        assert_eq!(err(table), "conf/samlcheck.toml:1:1: missing field `acs`");
        let e = err(&format!(
            "{table}acs = \"{{base}}/a/{{org}}\"\nslo = \"x\"\n"
        ));
        assert!(e.contains("unknown field `slo`"), "{e}");
        assert_eq!(
            err("profile = \"acme\"\n"),
            "conf/samlcheck.toml:1:11: profile \"acme\" is not defined; the only profile is sentry (built in); define others as [profiles.NAME] in this file"
        );
        assert!(err(&format!(
            "profile = \"y\"\n{table}acs = \"{{base}}/a/{{org}}\"\n"
        ))
        .contains("the profiles are sentry (built in) and x (this file)"));
        assert_eq!(
            err("[profiles.sentry]\nentity_id = \"{base}/m/{org}\"\nacs = \"{base}/a/{org}\"\n"),
            "conf/samlcheck.toml:1:11: [profiles.sentry]: sentry is the built-in profile; give yours another name"
        );
        assert_eq!(
            err("[profiles.fixed]\nentity_id = \"https://a.example/m\"\nacs = \"https://a.example/acs\"\n"),
            "conf/samlcheck.toml:1:11: [profiles.fixed]: no URL uses {org}, so every org would get the same SP; name such an SP with --sp-entity-id and --sp-acs instead"
        );
        let e = err("profile = \"sub\"\nbase_url = \"https://a.example\"\n[profiles.sub]\nentity_id = \"https://{org}.a.example/m\"\nacs = \"https://{org}.a.example/acs\"\n");
        assert!(
            e.starts_with(
                "conf/samlcheck.toml:2:12: base_url is set, but no URL of profile \"sub\" uses {base}"
            ),
            "{e}"
        );
    }

    #[test]
    fn edit_distance() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(
            closest_rule("signature/wraping").map(|r| r.id),
            Some("signature/wrapping")
        );
        assert_eq!(
            closest_rule("wrapping").map(|r| r.id),
            Some("signature/wrapping")
        );
        assert_eq!(closest_rule("zzzzzzzzzzzzzzzzzzzzzz"), None);
    }
}
