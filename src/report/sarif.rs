//! SARIF 2.1.0 for code scanning: one run, every catalog rule as tool metadata, one result per
//! finding with its physical location (file, line, column) and its logical one (element path).
//! GitHub code scanning, Azure DevOps and SARIF viewers show the findings inline.

use serde::Serialize;

use super::{artifact, FileFindings};
use crate::checks::{catalog, Finding, Rule, Severity};

/// The schema the log declares (SchemaStore's copy of the OASIS SARIF 2.1.0 schema).
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where people learn about the tool: Cargo.toml's `repository`, or this until it has one.
const FALLBACK_INFORMATION_URI: &str = "https://github.com/samlcheck/samlcheck";

/// The driver's `informationUri`.
pub fn information_uri() -> &'static str {
    match env!("CARGO_PKG_REPOSITORY") {
        "" => FALLBACK_INFORMATION_URI,
        repository => repository,
    }
}

/// The whole log (`sarifLog`).
#[derive(Debug, Serialize)]
pub struct Log<'a> {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run<'a> {
    pub tool: Tool,
    /// Columns count Unicode characters (see `xml::position`).
    pub column_kind: &'static str,
    pub results: Vec<SarifResult<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub version: &'static str,
    pub semantic_version: &'static str,
    pub information_uri: &'static str,
    pub rules: Vec<ReportingDescriptor>,
}

/// A rule's metadata (`reportingDescriptor`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor {
    pub id: &'static str,
    pub short_description: Message,
    pub full_description: Message,
    pub help: MultiformatMessage,
    pub default_configuration: Configuration,
    pub properties: RuleProperties,
}

#[derive(Debug, Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct RuleProperties {
    pub tags: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct Message {
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct MultiformatMessage {
    pub text: String,
    pub markdown: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult<'a> {
    pub rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
    pub level: &'static str,
    pub message: Message,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<SarifLocation>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logical_locations: Vec<LogicalLocation>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

#[derive(Debug, Serialize)]
pub struct ArtifactLocation {
    pub uri: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogicalLocation {
    pub fully_qualified_name: String,
    /// `element` or `attribute` (SARIF's kinds for XML).
    pub kind: &'static str,
}

/// SARIF's level for a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn descriptor(rule: &'static Rule) -> ReportingDescriptor {
    let family = rule.id.split('/').next().unwrap_or(rule.id);
    ReportingDescriptor {
        id: rule.id,
        short_description: Message {
            text: rule.summary.to_string(),
        },
        full_description: Message {
            text: rule.explanation.to_string(),
        },
        help: MultiformatMessage {
            text: rule.fix.to_string(),
            markdown: format!("{}\n\n**Fix:** {}", rule.explanation, rule.fix),
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: RuleProperties {
            tags: vec!["saml", family],
        },
    }
}

/// The message text: what happened, then expected / found / notes / hints / fix, one per line.
fn message_text(f: &Finding) -> String {
    let mut text = f.message.clone();
    if let Some(e) = &f.expected {
        text.push_str(&format!("\nexpected: {e}"));
    }
    if let Some(found) = &f.found {
        text.push_str(&format!("\nfound: {found}"));
    }
    for n in &f.notes {
        text.push_str(&format!("\nnote: {n}"));
    }
    if !f.hints.is_empty() {
        text.push_str(&format!("\nhint: {}", f.hints.join(", ")));
    }
    text.push_str(&format!("\nfix: {}", f.fix));
    text
}

/// A file path as a SARIF URI reference: relative paths stay relative (as given, with `/`),
/// absolute ones become `file://` URIs; characters URIs do not allow are percent-encoded.
pub fn path_to_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(file: Option<&str>, f: &Finding) -> Option<SarifLocation> {
    let loc = f.location.as_ref();
    let physical_location = file.map(|file| PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: path_to_uri(file),
        },
        region: loc.filter(|l| l.line >= 1).map(|l| Region {
            start_line: l.line,
            start_column: l.column.max(1),
        }),
    });
    let logical_locations = loc
        .filter(|l| !l.path.is_empty())
        .map(|l| LogicalLocation {
            fully_qualified_name: l.path.clone(),
            kind: if l.path.rsplit('/').next().unwrap_or("").starts_with('@') {
                "attribute"
            } else {
                "element"
            },
        })
        .into_iter()
        .collect::<Vec<_>>();
    if physical_location.is_none() && logical_locations.is_empty() {
        return None;
    }
    Some(SarifLocation {
        physical_location,
        logical_locations,
    })
}

/// The SARIF log for `files`.
pub fn log<'a>(files: &[FileFindings<'a>]) -> Log<'a> {
    let rules: Vec<&'static Rule> = catalog::all().collect();
    let mut results = Vec::new();
    for ff in files {
        for f in ff.findings {
            results.push(SarifResult {
                rule_id: f.rule,
                rule_index: rules.iter().position(|r| r.id == f.rule),
                level: level(f.severity),
                message: Message {
                    text: message_text(f),
                },
                locations: location(artifact(ff, f), f).into_iter().collect(),
            });
        }
    }
    Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "samlcheck",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules: rules.into_iter().map(descriptor).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

/// The SARIF log for `files`, pretty-printed, with a final newline.
pub fn render(files: &[FileFindings]) -> String {
    let mut text = super::json::to_string(&log(files), true);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::catalog::SIGNATURE_MISSING;
    use crate::checks::Location;

    #[test]
    fn uris_stay_relative_and_are_encoded() {
        assert_eq!(path_to_uri("fixtures/a b.xml"), "fixtures/a%20b.xml");
        assert_eq!(path_to_uri("./x/#1.xml"), "x/%231.xml");
        assert_eq!(path_to_uri("/tmp/x.xml"), "file:///tmp/x.xml");
        assert_eq!(path_to_uri("dir\\c:d.xml"), "dir/c%3Ad.xml");
    }

    #[test]
    fn result_has_physical_and_logical_location() {
        let f = Finding::new(&SIGNATURE_MISSING, "unsigned")
            .expected("a signature")
            .at(Location {
                file: Some("r.xml".into()),
                line: 3,
                column: 7,
                path: "/samlp:Response/@ID".into(),
                source_line: String::new(),
                source_line_start: 0,
            });
        let findings = [f];
        let v = serde_json::to_value(log(&[FileFindings {
            file: "r.xml",
            findings: &findings,
        }]))
        .unwrap();
        let r = &v["runs"][0]["results"][0];
        assert_eq!(r["ruleId"], "signature/missing");
        assert_eq!(r["level"], "error");
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            v["runs"][0]["tool"]["driver"]["rules"][idx]["id"],
            r["ruleId"]
        );
        let loc = &r["locations"][0];
        assert_eq!(loc["physicalLocation"]["artifactLocation"]["uri"], "r.xml");
        assert_eq!(loc["physicalLocation"]["region"]["startLine"], 3);
        assert_eq!(loc["physicalLocation"]["region"]["startColumn"], 7);
        assert_eq!(loc["logicalLocations"][0]["kind"], "attribute");
        assert!(r["message"]["text"]
            .as_str()
            .unwrap()
            .contains("\nexpected: a signature"));
    }

    #[test]
    fn no_file_no_location() {
        let findings = [Finding::new(&SIGNATURE_MISSING, "unsigned")];
        let v = serde_json::to_value(log(&[FileFindings {
            file: "<stdin>",
            findings: &findings,
        }]))
        .unwrap();
        assert!(v["runs"][0]["results"][0].get("locations").is_none());
    }
}
