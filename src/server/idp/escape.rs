//! Escaping for what the mock IdP writes: XML text and attribute values in the documents it
//! issues, and HTML for its pages. Everything that came from a request or the command line goes
//! through here before it is written.

/// Text that may not be written at all: characters XML 1.0 cannot carry, even escaped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} contains the character U+{code:04X}, which XML cannot carry")]
pub struct UnwritableText {
    pub what: String,
    pub code: u32,
}

/// Checks that `value` holds only characters XML 1.0 allows.
pub fn check_xml_chars(what: &str, value: &str) -> Result<(), UnwritableText> {
    match value.chars().find(|&c| !crate::xml::escape::is_xml_char(c)) {
        Some(c) => Err(UnwritableText {
            what: what.to_string(),
            code: c as u32,
        }),
        None => Ok(()),
    }
}

/// `value` escaped for a double-quoted XML attribute. Tab, line feed and carriage return are
/// written as references so attribute-value normalization gives back the same value.
pub fn xml_attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// `value` escaped as XML character data. A carriage return is written as a reference, since
/// a raw one would be read back as a line feed.
pub fn xml_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// `value` escaped for HTML text and double- or single-quoted HTML attributes.
pub fn html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{Document, Limits};

    #[test]
    fn escaped_values_read_back_unchanged() {
        let value = "a&b<c>\"d'\te\nf\rg ü";
        let xml = format!("<r a=\"{}\">{}</r>", xml_attr(value), xml_text(value));
        let doc = Document::parse(&xml, Limits::MESSAGE).unwrap();
        let root = doc.element(doc.root()).unwrap();
        assert_eq!(root.attr("a"), Some(value));
        assert_eq!(doc.text(doc.root()), value);
    }

    #[test]
    fn html_leaves_no_markup() {
        let out = html("<script>alert('x')</script>&\"");
        assert!(!out.contains(['<', '>', '"', '\'']), "{out}");
        assert!(check_xml_chars("the user", "a\u{1}b").is_err());
        assert!(check_xml_chars("the user", "ok\tü").is_ok());
    }
}
