//! Bounds on hostile input, checked while parsing so nothing is allocated past them.

/// Parsing limits. The defaults suit a single SAML message; metadata aggregates raise them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted document, in bytes.
    pub max_bytes: usize,
    /// Deepest accepted element nesting.
    pub max_depth: usize,
    /// Most attributes (namespace declarations included) on one element.
    pub max_attributes: usize,
    /// Most nodes of any kind in the document.
    pub max_nodes: usize,
}

impl Limits {
    /// 4 MiB, 128 levels, 256 attributes, one million nodes: ample for any real SAML message.
    pub const MESSAGE: Limits = Limits {
        max_bytes: 4 * 1024 * 1024,
        max_depth: 128,
        max_attributes: 256,
        max_nodes: 1_000_000,
    };

    /// For metadata files: federation aggregates reach ~100 MB.
    pub const METADATA: Limits = Limits {
        max_bytes: 256 * 1024 * 1024,
        max_depth: 128,
        max_attributes: 256,
        max_nodes: 50_000_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::MESSAGE
    }
}

/// Which limit an input went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    Bytes,
    Depth,
    Attributes,
    Nodes,
}

impl std::fmt::Display for LimitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LimitKind::Bytes => "document size in bytes",
            LimitKind::Depth => "element nesting depth",
            LimitKind::Attributes => "attributes on one element",
            LimitKind::Nodes => "number of nodes",
        })
    }
}
