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
    /// The source line, for a snippet with a caret: all of it, or (for a long line, such as
    /// a one-line SAML message) the part around the column.
    #[serde(skip)]
    pub source_line: String,
    /// How many characters of the line come before `source_line`.
    #[serde(skip)]
    pub source_line_start: usize,
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
        let line = doc.line_text(pos.line);
        // Where `offset` falls in the line (the line is a slice of the source).
        let line_start = (line.as_ptr() as usize).saturating_sub(doc.source().as_ptr() as usize);
        let in_line = offset.saturating_sub(line_start).min(line.len());
        let (source_line, source_line_start) = around(line, in_line);
        Location {
            file: None,
            line: pos.line,
            column: pos.column,
            path,
            source_line,
            source_line_start,
        }
    }

    /// A position given as line and column, with that line's text.
    pub fn in_line(line_text: &str, line: usize, column: usize, path: String) -> Location {
        let at = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        let (source_line, source_line_start) = around(line_text, at);
        Location {
            file: None,
            line,
            column,
            path,
            source_line,
            source_line_start,
        }
    }

    /// The column within `source_line` (1-based).
    pub fn column_in_source_line(&self) -> usize {
        self.column.saturating_sub(self.source_line_start)
    }
}

/// Bytes kept on each side of the column: more than any snippet shows, in any script.
const AROUND: usize = 1024;

/// The part of `line` around byte `at`, and how many characters of the line come before
/// it. Copying whole lines made every finding on a one-line message copy the message.
fn around(line: &str, at: usize) -> (String, usize) {
    if line.len() <= 2 * AROUND {
        return (line.to_string(), 0);
    }
    let mut start = at.saturating_sub(AROUND);
    while !line.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + AROUND).min(line.len());
    while !line.is_char_boundary(end) {
        end += 1;
    }
    (line[start..end].to_string(), line[..start].chars().count())
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

#[cfg(test)]
mod location_tests {
    use super::*;
    use crate::xml::Limits;

    #[test]
    fn a_long_line_is_kept_around_the_column_with_the_characters_before_counted() {
        // One line of 5,000 characters, two of them non-ASCII before the spot.
        let pad = "\u{e9}".repeat(2) + &"x".repeat(3000);
        let xml = format!("<r><a>{pad}</a><b id=\"here\"/>{}</r>", "y".repeat(2000));
        let doc = Document::parse(&xml, Limits::MESSAGE).unwrap();
        let b = doc
            .elements()
            .find(|&n| doc.element(n).unwrap().local() == "b")
            .unwrap();
        let loc = Location::of_node(&doc, b);
        assert_eq!(loc.column, 3 + 3 + 2 + 3000 + 4 + 1);
        assert!(loc.source_line.len() <= 2 * AROUND + 4);
        assert!(loc.source_line_start > 0);
        let caret = loc.column_in_source_line();
        let from_caret: String = loc.source_line.chars().skip(caret - 1).take(14).collect();
        assert_eq!(from_caret, "<b id=\"here\"/>");
        let same = Location::in_line(doc.line_text(1), 1, loc.column, String::new());
        assert_eq!(
            (same.source_line, same.source_line_start),
            (loc.source_line, loc.source_line_start)
        );

        let short = Document::parse("<r>\n  <b/>\n</r>", Limits::MESSAGE).unwrap();
        let b = short.child_elements(short.root()).next().unwrap();
        let loc = Location::of_node(&short, b);
        assert_eq!(
            (loc.source_line.as_str(), loc.source_line_start),
            ("  <b/>", 0)
        );
        assert_eq!(loc.column_in_source_line(), 3);
    }
}
