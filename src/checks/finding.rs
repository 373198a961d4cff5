//! A finding: one rule applied to one place, with what was expected, what was found and the fix.

use super::catalog::Rule;
use crate::xml::{Document, NodeId};

/// How bad a finding is. `Error` rejects; `Warning` rejects only under `--deny warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Where in the input a finding points.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
    /// Element path such as `/samlp:Response/saml:Assertion/saml:Subject`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// The source line, for a snippet with a caret.
    #[serde(skip)]
    pub source_line: String,
}

impl Location {
    /// The start of `node` in `doc`.
    pub fn of_node(doc: &Document, node: NodeId) -> Location {
        Self::at(doc, doc.node(node).offset, doc.path(node))
    }

    /// The attribute `qname` of `node` (falls back to the element).
    pub fn of_attribute(doc: &Document, node: NodeId, qname: &str) -> Location {
        let path = format!("{}/@{qname}", doc.path(node));
        Self::at(doc, doc.attribute_offset(node, qname), path)
    }

    pub fn at(doc: &Document, offset: usize, path: String) -> Location {
        let pos = doc.line_col(offset);
        Location {
            file: None,
            line: pos.line,
            column: pos.column,
            path,
            source_line: doc.line_text(pos.line).to_string(),
        }
    }
}

/// One problem (or note) found in the input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub fix: String,
    /// Further facts, one per line (certificates compared, timings...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Machine-readable near-miss hints of a URL mismatch (`trailing-slash`, `scheme`...),
    /// each once; `hint` in JSON.
    #[serde(rename = "hint", skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<&'static str>,
}

impl Finding {
    /// A finding of `rule` at its catalog severity, with the catalog's fix.
    pub fn new(rule: &'static Rule, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.id,
            severity: rule.severity,
            message: message.into(),
            expected: None,
            found: None,
            location: None,
            fix: rule.fix.to_string(),
            notes: Vec::new(),
            hints: Vec::new(),
        }
    }

    pub fn expected(mut self, value: impl Into<String>) -> Self {
        self.expected = Some(value.into());
        self
    }

    pub fn found(mut self, value: impl Into<String>) -> Self {
        self.found = Some(value.into());
        self
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = fix.into();
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Adds a near-miss hint id (once).
    pub fn hint(mut self, id: &'static str) -> Self {
        if !self.hints.contains(&id) {
            self.hints.push(id);
        }
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}
