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
//! The file is read from the working directory, or from `--config PATH`. Command-line flags win
//! over it. Unknown keys and unknown rule ids are errors (exit code 2), with the file and key
//! named, so a typo never silently does nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::checks::{catalog, Finding, Rule, Severity};

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
    pub map: Mapping,
    /// Per rule id (every id is in the catalog).
    pub rules: BTreeMap<String, RuleSetting>,
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
    #[error("{path}:{line}: [rules] \"{key}\" is not a samlcheck rule id{hint}")]
    UnknownRule {
        path: String,
        line: usize,
        key: String,
        hint: String,
    },
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawSetting {
    Off,
    Info,
    Warning,
    Error,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    org: Option<String>,
    #[serde(alias = "base-url")]
    base_url: Option<String>,
    #[serde(alias = "idp-metadata")]
    idp_metadata: Option<String>,
    preset: Option<String>,
    #[serde(alias = "expiry-warning-days")]
    expiry_warning_days: Option<i64>,
    #[serde(default)]
    map: Mapping,
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, RawSetting>,
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
        let raw: Raw = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: shown.clone(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let mut rules = BTreeMap::new();
        for (key, setting) in raw.rules {
            let span = key.span();
            let key = key.into_inner();
            let Some(rule) = catalog::rule(&key) else {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                let hint = match closest_rule(&key) {
                    Some(r) => format!(" (did you mean \"{}\"?)", r.id),
                    None => " (`samlcheck rules` lists them)".to_string(),
                };
                return Err(ConfigError::UnknownRule {
                    path: shown,
                    line,
                    key,
                    hint,
                });
            };
            let setting = match setting {
                RawSetting::Off => RuleSetting::Off,
                RawSetting::Info => RuleSetting::Severity(Severity::Info),
                RawSetting::Warning => RuleSetting::Severity(Severity::Warning),
                RawSetting::Error => RuleSetting::Severity(Severity::Error),
            };
            rules.insert(rule.id.to_string(), setting);
        }
        let idp_metadata = raw.idp_metadata.map(|m| resolve(path, m));
        // Checked here so that a typo names the file, not a later command-line error.
        if let Some(name) = &raw.preset {
            if crate::sp::presets::preset(name).is_none() {
                return Err(ConfigError::Invalid {
                    path: shown,
                    message: format!(
                        "preset {name:?} is not a preset; the presets are {}",
                        crate::sp::presets::names().collect::<Vec<_>>().join(", ")
                    ),
                });
            }
        }
        if let Some(days) = raw.expiry_warning_days {
            if days < 0 {
                return Err(ConfigError::Invalid {
                    path: shown,
                    message: format!("expiry_warning_days is {days}; it must be 0 or more"),
                });
            }
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            org: raw.org,
            base_url: raw.base_url,
            idp_metadata,
            preset: raw.preset,
            expiry_warning_days: raw.expiry_warning_days,
            map: raw.map,
            rules,
        })
    }

    /// How to name the configuration in a message: its path, or where it was looked for.
    pub fn describe(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => format!("{FILE_NAME} (none in the working directory)"),
        }
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
            "samlcheck.toml:2: [rules] \"signature/mising\" is not a samlcheck rule id (did you mean \"signature/missing\"?)"
        );
    }

    #[test]
    fn bad_values_and_unknown_keys_are_errors_naming_the_file() {
        for text in [
            "[rules]\n\"signature/missing\" = \"warn\"\n",
            "organisation = \"acme\"\n",
            "[map]\nmail = \"x\"\n",
            "preset = \"octa\"\n",
            "expiry_warning_days = -1\n",
            "expiry_warning_days = \"30\"\n",
        ] {
            let e = Config::parse(text, Path::new("x/samlcheck.toml")).unwrap_err();
            assert!(e.to_string().starts_with("x/samlcheck.toml: "), "{e}");
        }
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
