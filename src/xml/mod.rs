//! The XML security core: a hardened parser into an arena tree with positions,
//! canonicalization, XML-DSig verification and signing, and XML Encryption.

pub mod attributes;
pub mod c14n;
pub mod dsig;
pub mod enc;
pub mod error;
pub mod escape;
pub mod limits;
pub mod position;
mod short;
pub mod tree;

pub use error::{XmlError, XmlErrorKind};
pub use limits::Limits;
pub use position::LineCol;
pub use tree::{Document, Element, NodeId, NodeKind};
