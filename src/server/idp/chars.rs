//! Text the mock IdP may write: everything from a request or the command line is checked for
//! characters XML 1.0 cannot carry (not even escaped) before it goes into a response, so a bad
//! value is refused with its field named instead of being silently replaced. Escaping itself is
//! the crate's one XML escaper, [`crate::xml::escape::markup`].

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::escape::markup;
    use crate::xml::{Document, Limits};

    #[test]
    fn checked_values_escaped_read_back_unchanged() {
        let value = "a&b<c>\"d'\te\nf\rg ü";
        assert!(check_xml_chars("the value", value).is_ok());
        let xml = format!("<r a=\"{}\">{}</r>", markup(value), markup(value));
        let doc = Document::parse(&xml, Limits::MESSAGE).unwrap();
        let root = doc.element(doc.root()).unwrap();
        assert_eq!(root.attr("a"), Some(value));
        assert_eq!(doc.text(doc.root()), value);
        let err = check_xml_chars("the user", "a\u{1}b").unwrap_err();
        assert_eq!(err.code, 1);
        assert!(err.to_string().contains("the user"), "{err}");
    }
}
