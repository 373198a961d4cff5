//! Why a document could not be parsed, and where.

use super::limits::LimitKind;
use super::position::LineCol;

/// A document that is not acceptable XML, with the place it went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at {position}")]
pub struct XmlError {
    pub kind: XmlErrorKind,
    /// Byte offset into the document.
    pub offset: usize,
    pub position: LineCol,
}

/// The ways a document is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlErrorKind {
    #[error("a DOCTYPE declaration is present; SAML never needs one and it is refused (no entity is expanded, no file or URL is opened)")]
    Doctype,
    #[error("input exceeds the limit on {what} ({limit})")]
    Limit { what: LimitKind, limit: usize },
    #[error("the document is not UTF-8")]
    NotUtf8,
    #[error("the XML declaration names encoding {0:?}; only UTF-8 is accepted")]
    UnsupportedEncoding(String),
    #[error("malformed XML: {0}")]
    Syntax(String),
    #[error("the entity reference &{0}; is not defined (only the five predefined entities exist without a DTD)")]
    UndefinedEntity(String),
    #[error("the character reference &{0}; does not name an XML character")]
    InvalidCharRef(String),
    #[error("the character U+{0:04X} is not allowed in XML")]
    InvalidChar(u32),
    #[error("the namespace prefix {0:?} is not declared")]
    UnboundPrefix(String),
    #[error("the namespace declaration {0} is not allowed")]
    BadNamespaceDeclaration(String),
    #[error("the attribute {0:?} appears twice on one element")]
    DuplicateAttribute(String),
    #[error("the attribute value contains a raw '<'")]
    LessThanInAttribute,
    #[error("the document has no root element")]
    NoRoot,
    #[error("the document has more than one root element")]
    MultipleRoots,
    #[error("text outside the root element")]
    TextOutsideRoot,
    #[error("the name {0:?} is not a valid XML name")]
    BadName(String),
}

impl XmlErrorKind {
    /// The rule id this failure is reported under.
    pub fn rule(&self) -> &'static str {
        match self {
            XmlErrorKind::Doctype => "xml/doctype",
            XmlErrorKind::Limit { .. } => "xml/limits",
            _ => "xml/malformed",
        }
    }
}
