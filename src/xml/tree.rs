//! A hardened XML parser on quick-xml that builds an arena tree with byte positions.
//!
//! The tree keeps what canonicalization needs (namespace declarations as written, attribute
//! order, comments, processing instructions) and what diagnostics need (byte offsets). It refuses
//! DTDs outright and enforces [`Limits`] while reading, so a hostile document costs no more than
//! its bounded size.
//!
//! Names, values and text are spans into one buffer: the source itself, followed by the few
//! strings that differ from their source text (values with references or line ends to
//! normalize). Attributes, declarations and child lists live in shared tables. Parsing a
//! message therefore allocates a handful of vectors, not a string per name; readers get
//! borrowed views ([`Element`], [`Attribute`], [`NodeKind`]).

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::attributes;
use super::error::{XmlError, XmlErrorKind};
use super::escape;
use super::limits::{LimitKind, Limits};
use super::position::{LineCol, LineIndex};
use super::short::{same_prefix, short_eq};

/// The namespace bound to the `xml` prefix by definition.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of `xmlns` attributes, never declarable.
pub const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// Index of a node in its [`Document`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// A run of bytes in the document's buffer, or of entries in one of its tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.start as usize + self.len as usize
    }
}

/// The namespace of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    None,
    /// The `xml` prefix, bound by definition.
    Xml,
    Uri(Span),
}

#[derive(Debug, Clone)]
struct ElementData {
    prefix: Option<Span>,
    local: Span,
    ns: Ns,
    /// Entries of `Document::decls`.
    decls: Span,
    /// Entries of `Document::attrs`.
    attrs: Span,
    /// Entries of `Document::children`.
    children: Span,
    /// Index just past the element's last descendant: the arena is in document order.
    subtree_end: u32,
}

#[derive(Debug, Clone)]
struct AttrData {
    prefix: Option<Span>,
    local: Span,
    ns: Ns,
    value: Span,
}

#[derive(Debug, Clone)]
struct DeclData {
    prefix: Option<Span>,
    uri: Span,
}

#[derive(Debug, Clone)]
enum Data {
    Element(ElementData),
    Text(Span),
    Comment(Span),
    Pi { target: Span, data: Span },
}

/// One node of the arena: where it is; [`Document::kind`] says what it is.
#[derive(Debug, Clone)]
pub struct Node {
    pub parent: Option<NodeId>,
    /// Byte offset of the node's first character (the `<` of a tag).
    pub offset: usize,
    /// Byte offset just past the node (past the end tag of an element).
    pub end: usize,
    data: Data,
}

/// A namespace declaration exactly as written (`xmlns="..."` has no prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NsDecl<'d> {
    pub prefix: Option<&'d str>,
    pub uri: &'d str,
}

/// An attribute other than a namespace declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute<'d> {
    pub prefix: Option<&'d str>,
    pub local: &'d str,
    /// The namespace of a prefixed attribute; unprefixed attributes have none.
    pub namespace: Option<&'d str>,
    /// The normalized value (references expanded).
    pub value: &'d str,
}

impl Attribute<'_> {
    /// The name as written (`prefix:local` or `local`).
    pub fn qname(&self) -> String {
        qname(self.prefix, self.local)
    }
}

fn qname(prefix: Option<&str>, local: &str) -> String {
    match prefix {
        Some(p) => format!("{p}:{local}"),
        None => local.to_string(),
    }
}

/// An element of a [`Document`], with its resolved name.
#[derive(Clone, Copy)]
pub struct Element<'d> {
    doc: &'d Document,
    id: NodeId,
    data: &'d ElementData,
}

impl std::fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Element")
            .field("id", &self.id)
            .field("name", &self.qname())
            .field("namespace", &self.namespace())
            .finish()
    }
}

impl PartialEq for Element<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.doc, other.doc) && self.id == other.id
    }
}

impl Eq for Element<'_> {}

impl<'d> Element<'d> {
    pub fn id(&self) -> NodeId {
        self.id
    }

    pub fn local(&self) -> &'d str {
        self.doc.str(self.data.local)
    }

    pub fn prefix(&self) -> Option<&'d str> {
        self.data.prefix.map(|p| self.doc.str(p))
    }

    /// The resolved namespace URI, if the element is in one.
    pub fn namespace(&self) -> Option<&'d str> {
        self.doc.ns(self.data.ns)
    }

    /// The name as written (`prefix:local` or `local`).
    pub fn qname(&self) -> String {
        qname(self.prefix(), self.local())
    }

    /// The qualified name as written, borrowed: the prefix and local name are spans of one
    /// name in the source, so `prefix:local` is one slice.
    pub fn qname_str(&self) -> &'d str {
        self.doc.qualified(self.data.prefix, self.data.local)
    }

    /// Whether this element is `{namespace}local`.
    pub fn is(&self, namespace: &str, local: &str) -> bool {
        // The local name first, inline: it differs far more often than the namespace.
        short_eq(self.doc.bytes(self.data.local), local.as_bytes())
            && self.namespace() == Some(namespace)
    }

    /// The attributes in document order, namespace declarations left out.
    pub fn attributes(&self) -> impl ExactSizeIterator<Item = Attribute<'d>> + Clone + 'd {
        let doc = self.doc;
        doc.attrs[self.data.attrs.range()]
            .iter()
            .map(move |a| doc.attribute(a))
    }

    /// How many attributes the element has (namespace declarations left out).
    pub fn attribute_count(&self) -> usize {
        self.data.attrs.len as usize
    }

    /// The `i`th attribute (`i` below [`attribute_count`](Self::attribute_count)).
    pub fn attribute(&self, i: usize) -> Attribute<'d> {
        self.doc
            .attribute(&self.doc.attrs[self.data.attrs.start as usize + i])
    }

    /// The `i`th attribute's place in canonical order: its namespace URI (empty for none)
    /// and local name.
    pub fn attribute_sort_key(&self, i: usize) -> (&'d str, &'d str) {
        let a = &self.doc.attrs[self.data.attrs.start as usize + i];
        (self.doc.ns(a.ns).unwrap_or(""), self.doc.str(a.local))
    }

    /// The `i`th attribute's name as written (`prefix:local` is one slice of the source, as
    /// for [`qname_str`](Self::qname_str)) and its normalized value.
    pub fn attribute_written(&self, i: usize) -> (&'d str, &'d str) {
        let a = &self.doc.attrs[self.data.attrs.start as usize + i];
        (self.doc.qualified(a.prefix, a.local), self.doc.str(a.value))
    }

    /// The prefixes of the prefixed attributes, in document order.
    pub fn attribute_prefixes(&self) -> impl Iterator<Item = &'d str> + 'd {
        let doc = self.doc;
        doc.attrs[self.data.attrs.range()]
            .iter()
            .filter_map(move |a| a.prefix.map(|p| doc.str(p)))
    }

    /// The value of an unprefixed attribute.
    pub fn attr(&self, local: &str) -> Option<&'d str> {
        let doc = self.doc;
        doc.attrs[self.data.attrs.range()]
            .iter()
            .find(|a| a.prefix.is_none() && short_eq(doc.bytes(a.local), local.as_bytes()))
            .map(|a| doc.str(a.value))
    }

    /// The namespace declarations written on this element.
    pub fn ns_decls(&self) -> impl ExactSizeIterator<Item = NsDecl<'d>> + Clone + 'd {
        let doc = self.doc;
        doc.decls[self.data.decls.range()]
            .iter()
            .map(move |d| NsDecl {
                prefix: d.prefix.map(|p| doc.str(p)),
                uri: doc.str(d.uri),
            })
    }

    /// All child nodes, in order.
    pub fn children(&self) -> &'d [NodeId] {
        &self.doc.children[self.data.children.range()]
    }
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind<'d> {
    Element(Element<'d>),
    /// Character data (adjacent text, references and CDATA sections merged).
    Text(&'d str),
    Comment(&'d str),
    ProcessingInstruction {
        target: &'d str,
        data: &'d str,
    },
}

/// A parsed document: the arena, the source text and its line index.
#[derive(Debug, Clone)]
pub struct Document {
    /// The source, then strings that differ from their source text.
    buf: String,
    source_len: usize,
    /// Built on first use: most chunks of a large aggregate never need a position.
    lines: std::sync::OnceLock<LineIndex>,
    nodes: Vec<Node>,
    attrs: Vec<AttrData>,
    decls: Vec<DeclData>,
    children: Vec<NodeId>,
    /// Top-level nodes in order: comments and PIs around the single root element.
    top: Vec<NodeId>,
    root: NodeId,
    /// Unprefixed `ID`, `Id` and `id` attributes in document order, with their elements:
    /// what signature references resolve and what must be unique, without a tree walk.
    ids: Vec<(NodeId, Span)>,
}

impl Document {
    /// Parses `source` under `limits`.
    pub fn parse(source: &str, limits: Limits) -> Result<Document, XmlError> {
        Parser::new(source, limits).run()
    }

    /// Parses raw bytes, which must be UTF-8 (a UTF-8 byte-order mark is skipped).
    pub fn parse_bytes(bytes: &[u8], limits: Limits) -> Result<Document, XmlError> {
        if bytes.len() > limits.max_bytes {
            return Err(error_at("", 0, limit(LimitKind::Bytes, limits.max_bytes)));
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(text) => Document::parse(text, limits),
            Err(e) => {
                let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
                Err(error_at(valid, e.valid_up_to(), XmlErrorKind::NotUtf8))
            }
        }
    }

    fn str(&self, span: Span) -> &str {
        &self.buf[span.range()]
    }

    /// The bytes of `span`: for comparisons, which need no character-boundary checks.
    fn bytes(&self, span: Span) -> &[u8] {
        &self.buf.as_bytes()[span.range()]
    }

    /// A name as written: `prefix:local` is one slice, since both are spans of one name.
    fn qualified(&self, prefix: Option<Span>, local: Span) -> &str {
        match prefix {
            Some(p) => &self.buf[p.start as usize..local.range().end],
            None => self.str(local),
        }
    }

    fn ns(&self, ns: Ns) -> Option<&str> {
        match ns {
            Ns::None => None,
            Ns::Xml => Some(XML_NS),
            Ns::Uri(span) => Some(self.str(span)),
        }
    }

    fn attribute(&self, a: &AttrData) -> Attribute<'_> {
        Attribute {
            prefix: a.prefix.map(|p| self.str(p)),
            local: self.str(a.local),
            namespace: self.ns(a.ns),
            value: self.str(a.value),
        }
    }

    pub fn source(&self) -> &str {
        &self.buf[..self.source_len]
    }

    /// The unprefixed `ID`, `Id` and `id` attributes with their elements, in document order
    /// (an element with two of them comes twice).
    pub fn id_attributes(&self) -> impl Iterator<Item = (NodeId, &str)> + '_ {
        self.ids
            .iter()
            .map(|&(node, value)| (node, self.str(value)))
    }

    pub fn root(&self) -> NodeId {
        self.root
    }

    /// Comments and processing instructions before and after the root, with the root in place.
    pub fn top_level(&self) -> &[NodeId] {
        &self.top
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// What the node at `id` is, with its content.
    pub fn kind(&self, id: NodeId) -> NodeKind<'_> {
        match &self.node(id).data {
            Data::Element(data) => NodeKind::Element(Element {
                doc: self,
                id,
                data,
            }),
            Data::Text(t) => NodeKind::Text(self.str(*t)),
            Data::Comment(t) => NodeKind::Comment(self.str(*t)),
            Data::Pi { target, data } => NodeKind::ProcessingInstruction {
                target: self.str(*target),
                data: self.str(*data),
            },
        }
    }

    /// The element at `id`, if it is one.
    pub fn element(&self, id: NodeId) -> Option<Element<'_>> {
        match &self.node(id).data {
            Data::Element(data) => Some(Element {
                doc: self,
                id,
                data,
            }),
            _ => None,
        }
    }

    /// The text of a text node.
    pub fn text_node(&self, id: NodeId) -> Option<&str> {
        match self.node(id).data {
            Data::Text(t) => Some(self.str(t)),
            _ => None,
        }
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).parent
    }

    /// All child nodes of an element (empty for other nodes).
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        match &self.node(id).data {
            Data::Element(e) => &self.children[e.children.range()],
            _ => &[],
        }
    }

    /// The child elements of `id`, in order.
    pub fn child_elements(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.children(id)
            .iter()
            .copied()
            .filter(|c| matches!(self.node(*c).data, Data::Element(_)))
    }

    /// Child elements named `{namespace}local`.
    pub fn children_named<'a>(
        &'a self,
        id: NodeId,
        namespace: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = NodeId> + 'a {
        self.children(id)
            .iter()
            .copied()
            .filter(move |c| self.element(*c).is_some_and(|e| e.is(namespace, local)))
    }

    /// The first child element named `{namespace}local`.
    pub fn child_named(&self, id: NodeId, namespace: &str, local: &str) -> Option<NodeId> {
        self.children_named(id, namespace, local).next()
    }

    /// Every element below `id` (not `id` itself), in document order.
    pub fn descendants(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let end = match &self.node(id).data {
            Data::Element(e) => e.subtree_end,
            _ => id.0 + 1,
        };
        (id.0 + 1..end)
            .map(NodeId)
            .filter(|n| matches!(self.node(*n).data, Data::Element(_)))
    }

    /// Every element of the document, root first, in document order.
    pub fn elements(&self) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::once(self.root).chain(self.descendants(self.root))
    }

    /// Whether `ancestor` is `id` or one of its ancestors.
    pub fn is_ancestor_or_self(&self, ancestor: NodeId, id: NodeId) -> bool {
        match &self.node(ancestor).data {
            Data::Element(e) => ancestor <= id && id.0 < e.subtree_end,
            _ => ancestor == id,
        }
    }

    /// The text content of `id`: every descendant text node joined, comments and PIs left out.
    /// This is the full value, so a comment cannot truncate it (the CVE-2017-11427 class).
    pub fn text(&self, id: NodeId) -> String {
        // Most values are one text node: copy it once instead of growing a string.
        if let [only] = self.children(id) {
            if let Data::Text(t) = self.node(*only).data {
                return self.str(t).to_string();
            }
        }
        let mut out = String::new();
        self.collect_text(id, &mut out);
        out
    }

    fn collect_text(&self, id: NodeId, out: &mut String) {
        match &self.node(id).data {
            Data::Text(t) => out.push_str(self.str(*t)),
            Data::Element(e) => {
                for c in &self.children[e.children.range()] {
                    self.collect_text(*c, out);
                }
            }
            _ => {}
        }
    }

    /// Namespace bindings in scope at `id` (nearest declaration wins), default namespace
    /// as prefix `None`; an undeclared default (`xmlns=""`) appears with an empty URI.
    pub fn in_scope_namespaces(&self, id: NodeId) -> Vec<NsDecl<'_>> {
        let mut chain = Vec::new();
        let mut cur = Some(id);
        while let Some(c) = cur {
            chain.push(c);
            cur = self.parent(c);
        }
        let mut scope: Vec<NsDecl<'_>> = Vec::new();
        for node in chain.into_iter().rev() {
            if let Some(e) = self.element(node) {
                for d in e.ns_decls() {
                    match scope.iter_mut().find(|s| s.prefix == d.prefix) {
                        Some(s) => s.uri = d.uri,
                        None => scope.push(d),
                    }
                }
            }
        }
        scope
    }

    /// Line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.line_index().line_col(self.source(), offset)
    }

    fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.source()))
    }

    /// The source line (1-based), for snippets.
    pub fn line_text(&self, line: usize) -> &str {
        self.line_index().line_text(self.source(), line)
    }

    /// Where node `id` starts.
    pub fn position(&self, id: NodeId) -> LineCol {
        self.line_col(self.node(id).offset)
    }

    /// Byte offset of attribute `qname` inside the start tag of `id`, else the tag's offset.
    pub fn attribute_offset(&self, id: NodeId, qname: &str) -> usize {
        let source = self.source();
        let start = self.node(id).offset;
        let tag_end = source[start..]
            .find('>')
            .map_or(source.len(), |n| start + n);
        let tag = &source[start..tag_end];
        let mut from = 0;
        while let Some(found) = tag[from..].find(qname) {
            let at = from + found;
            let before_ok = tag[..at].ends_with(|c: char| c.is_ascii_whitespace());
            let after = tag[at + qname.len()..].trim_start();
            if before_ok && after.starts_with('=') {
                return start + at;
            }
            from = at + qname.len();
        }
        start
    }

    /// An XPath-like location such as `/samlp:Response/saml:Assertion[2]/saml:Subject`.
    pub fn path(&self, id: NodeId) -> String {
        use std::fmt::Write;
        let mut steps: Vec<(&str, Option<usize>)> = Vec::new();
        let mut cur = Some(id);
        while let Some(c) = cur {
            if let Some(e) = self.element(c) {
                // A position only among same-named siblings, and only when there are several.
                let position = self.parent(c).and_then(|p| {
                    let (mut count, mut index) = (0, 0);
                    for s in self.child_elements(p) {
                        let same = self.element(s).is_some_and(|se| {
                            se.local() == e.local() && se.namespace() == e.namespace()
                        });
                        if same {
                            count += 1;
                            if s == c {
                                index = count;
                            }
                        }
                    }
                    (count > 1).then_some(index)
                });
                steps.push((e.qname_str(), position));
            }
            cur = self.parent(c);
        }
        let mut path = String::with_capacity(steps.iter().map(|(q, _)| q.len() + 4).sum());
        for (qname, position) in steps.iter().rev() {
            path.push('/');
            path.push_str(qname);
            if let Some(n) = position {
                let _ = write!(path, "[{n}]");
            }
        }
        path
    }
}

fn limit(what: LimitKind, limit: usize) -> XmlErrorKind {
    XmlErrorKind::Limit { what, limit }
}

fn error_at(source: &str, offset: usize, kind: XmlErrorKind) -> XmlError {
    let position = LineIndex::new(source).line_col(source, offset);
    XmlError {
        kind,
        offset,
        position,
    }
}

/// Character data being gathered into one text node (text, references and CDATA merged).
enum PendingText {
    None,
    /// A single piece whose source text is its value.
    Source {
        offset: usize,
        span: Span,
    },
    /// Several pieces, or one that needed normalizing: the value is in `Parser::text`.
    Built {
        offset: usize,
    },
}

/// An open element: its node, where its children start in `Parser::open_children`, and the
/// height of the namespace scope before its declarations.
struct Open {
    id: NodeId,
    children_mark: usize,
    scope_mark: usize,
}

struct Parser<'s> {
    source: &'s str,
    limits: Limits,
    buf: String,
    nodes: Vec<Node>,
    attrs: Vec<AttrData>,
    decls: Vec<DeclData>,
    children: Vec<NodeId>,
    top: Vec<NodeId>,
    ids: Vec<(NodeId, Span)>,
    root: Option<NodeId>,
    open: Vec<Open>,
    /// Children of the open elements, innermost last; moved to `children` at each end tag.
    open_children: Vec<NodeId>,
    /// Namespace bindings in scope, innermost last (an empty URI undeclares the default).
    scope: Vec<DeclData>,
    pending: PendingText,
    text: String,
    /// Attribute names and values of the start tag being read.
    raw_attrs: Vec<(Span, Span)>,
    /// Whether the document holds a CR at all (else no text needs its line ends normalized).
    has_cr: bool,
}

impl<'s> Parser<'s> {
    fn new(source: &'s str, limits: Limits) -> Self {
        let tags = count_byte(source.as_bytes(), b'<');
        let mut buf = String::with_capacity(source.len() + 256);
        buf.push_str(source);
        Parser {
            source,
            limits,
            buf,
            // Roughly one node per tag plus one per text run: sized once, not regrown
            // (regrowing a large arena is what glibc's malloc_consolidate spent its time on).
            nodes: Vec::with_capacity((tags * 2 + 8).min(limits.max_nodes)),
            attrs: Vec::with_capacity(tags),
            // SAML writes a declaration on most elements: regrowing these stacks and tables
            // from empty cost more than sizing them once.
            decls: Vec::with_capacity(tags / 2 + 4),
            children: Vec::with_capacity(tags * 2),
            top: Vec::new(),
            ids: Vec::new(),
            root: None,
            open: Vec::with_capacity(16),
            open_children: Vec::with_capacity(64),
            scope: Vec::with_capacity(32),
            pending: PendingText::None,
            text: String::new(),
            raw_attrs: Vec::with_capacity(16),
            has_cr: true,
        }
    }

    fn fail(&self, offset: usize, kind: XmlErrorKind) -> XmlError {
        error_at(self.source, offset, kind)
    }

    fn str(&self, span: Span) -> &str {
        &self.buf[span.range()]
    }

    /// The bytes of `span`: for comparisons, which need no character-boundary checks.
    fn bytes(&self, span: Span) -> &[u8] {
        &self.buf.as_bytes()[span.range()]
    }

    /// Where `part` sits in the source, if it is a slice of it (quick-xml borrows every
    /// event from the source it reads; an owned piece would only come from decoding).
    fn source_span(&self, part: &str) -> Option<Span> {
        let base = self.source.as_ptr() as usize;
        let at = (part.as_ptr() as usize).checked_sub(base)?;
        (at + part.len() <= self.source.len()).then_some(Span {
            start: at as u32,
            len: part.len() as u32,
        })
    }

    /// The span of `part`: in place when it is a slice of the source, else a copy.
    fn span_of(&mut self, part: &str) -> Span {
        match self.source_span(part) {
            Some(span) => span,
            None => self.append(part),
        }
    }

    fn append(&mut self, text: &str) -> Span {
        let start = self.buf.len() as u32;
        self.buf.push_str(text);
        Span {
            start,
            len: text.len() as u32,
        }
    }

    fn run(mut self) -> Result<Document, XmlError> {
        // Spans are 32-bit; the buffer may grow to twice the source.
        let max_bytes = self.limits.max_bytes.min(u32::MAX as usize / 2);
        if self.source.len() > max_bytes {
            return Err(self.fail(0, limit(LimitKind::Bytes, max_bytes)));
        }
        let source = self.source.strip_prefix('\u{FEFF}').unwrap_or(self.source);
        let skipped = self.source.len() - source.len();
        match escape::check_chars_noting_cr(source) {
            Ok(has_cr) => self.has_cr = has_cr,
            Err((at, kind)) => return Err(self.fail(skipped + at, kind)),
        }
        let mut reader = Reader::from_str(source);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.check_comments = true;
        config.allow_dangling_amp = false;
        config.allow_unmatched_ends = false;
        config.expand_empty_elements = false;
        config.trim_text(false);
        let mut seen_decl = false;
        loop {
            let start = skipped + reader.buffer_position() as usize;
            // Matched in place: moving the event out of the `Result` first cost a
            // store-forwarding stall per event.
            let event = reader.read_event();
            let end = || skipped + reader.buffer_position() as usize;
            let Ok(event) = event else {
                let at = skipped + reader.error_position() as usize;
                let e = event.err().map_or_else(String::new, |e| e.to_string());
                return Err(self.fail(at, XmlErrorKind::Syntax(e)));
            };
            match event {
                Event::DocType(_) => return Err(self.fail(start, XmlErrorKind::Doctype)),
                Event::Decl(_) => {
                    if seen_decl || !self.nodes.is_empty() || start != skipped {
                        return Err(self.fail(
                            start,
                            XmlErrorKind::Syntax("the XML declaration must come first".into()),
                        ));
                    }
                    seen_decl = true;
                    let raw = self.source.get(start..end()).unwrap_or("");
                    let body = raw
                        .strip_prefix("<?xml")
                        .and_then(|r| r.strip_suffix("?>"))
                        .unwrap_or("");
                    match escape::check_declaration(body) {
                        Err(kind) => return Err(self.fail(start, kind)),
                        Ok(Some(enc))
                            if !enc.eq_ignore_ascii_case("utf-8")
                                && !enc.eq_ignore_ascii_case("utf8") =>
                        {
                            let kind = XmlErrorKind::UnsupportedEncoding(enc.to_string());
                            return Err(self.fail(start, kind));
                        }
                        Ok(_) => {}
                    }
                }
                Event::Start(tag) => {
                    self.flush_text(start)?;
                    self.start_element(&tag, start)?;
                    if self.open.len() > self.limits.max_depth {
                        return Err(
                            self.fail(start, limit(LimitKind::Depth, self.limits.max_depth))
                        );
                    }
                }
                Event::Empty(tag) => {
                    self.flush_text(start)?;
                    self.start_element(&tag, start)?;
                    self.end_element(end());
                }
                Event::End(_) => {
                    self.flush_text(start)?;
                    self.end_element(end());
                }
                Event::Text(text) => self.add_text(start, &text, false)?,
                // Line ends are normalized in the whole document before parsing (XML 1.0
                // section 2.11), CDATA sections included: only references are left
                // unrecognized inside them. A raw CR in CDATA must come out as LF, not as
                // a CR that canonicalization would then write as `&#xD;`.
                Event::CData(data) => self.add_text(start, &data, true)?,
                Event::GeneralRef(reference) => {
                    let c =
                        escape::resolve_reference(&reference).map_err(|k| self.fail(start, k))?;
                    let mut utf8 = [0u8; 4];
                    self.add_char_data(start, c.encode_utf8(&mut utf8))?;
                }
                Event::Comment(text) => {
                    self.flush_text(start)?;
                    let value = self.normalized(&text);
                    let id = self.push_node(Data::Comment(value), start)?;
                    self.nodes[id.index()].end = end();
                }
                Event::PI(pi) => {
                    self.flush_text(start)?;
                    let (target, data) = escape::split_processing_instruction(&pi)
                        .map_err(|k| self.fail(start, k))?;
                    let target = self.span_of(target);
                    let data = self.normalized(data);
                    let id = self.push_node(Data::Pi { target, data }, start)?;
                    self.nodes[id.index()].end = end();
                }
                Event::Eof => {
                    self.flush_text(start)?;
                    break;
                }
            }
        }
        if !self.open.is_empty() {
            return Err(self.fail(
                self.source.len(),
                XmlErrorKind::Syntax("the document ends inside an element".into()),
            ));
        }
        let root = self
            .root
            .ok_or_else(|| self.fail(self.source.len(), XmlErrorKind::NoRoot))?;
        Ok(Document {
            source_len: self.source.len(),
            buf: self.buf,
            lines: std::sync::OnceLock::new(),
            nodes: self.nodes,
            attrs: self.attrs,
            decls: self.decls,
            children: self.children,
            top: self.top,
            root,
            ids: self.ids,
        })
    }

    /// `raw` with line ends normalized: its own span when it has no CR.
    fn normalized(&mut self, raw: &str) -> Span {
        if self.has_cr && raw.contains('\r') {
            let mut value = std::mem::take(&mut self.text);
            value.clear();
            escape::push_text(&mut value, raw);
            let span = self.append(&value);
            self.text = value;
            span
        } else {
            self.span_of(raw)
        }
    }

    /// Raw text or CDATA (`literal`) inside an element; only whitespace may stand outside.
    fn add_text(&mut self, start: usize, raw: &str, literal: bool) -> Result<(), XmlError> {
        if self.open.is_empty() {
            if literal
                || !raw
                    .bytes()
                    .all(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
            {
                return Err(self.fail(start, XmlErrorKind::TextOutsideRoot));
            }
            return Ok(());
        }
        if matches!(self.pending, PendingText::None) && !(self.has_cr && raw.contains('\r')) {
            if let Some(span) = self.source_span(raw) {
                self.pending = PendingText::Source {
                    offset: start,
                    span,
                };
                return Ok(());
            }
        }
        self.build_text(start);
        escape::push_text(&mut self.text, raw);
        Ok(())
    }

    /// Character data that is not its own source text (a resolved reference).
    fn add_char_data(&mut self, start: usize, value: &str) -> Result<(), XmlError> {
        if self.open.is_empty() {
            return Err(self.fail(start, XmlErrorKind::TextOutsideRoot));
        }
        self.build_text(start);
        self.text.push_str(value);
        Ok(())
    }

    /// Switches the pending text to the built form, so more pieces can be appended.
    fn build_text(&mut self, start: usize) {
        match self.pending {
            PendingText::None => {
                self.text.clear();
                self.pending = PendingText::Built { offset: start };
            }
            PendingText::Source { offset, span } => {
                self.text.clear();
                self.text.push_str(&self.buf[span.range()]);
                self.pending = PendingText::Built { offset };
            }
            PendingText::Built { .. } => {}
        }
    }

    fn flush_text(&mut self, at: usize) -> Result<(), XmlError> {
        let (offset, span) = match std::mem::replace(&mut self.pending, PendingText::None) {
            PendingText::None => return Ok(()),
            PendingText::Source { offset, span } => (offset, span),
            PendingText::Built { offset } => {
                let text = std::mem::take(&mut self.text);
                let span = self.append(&text);
                self.text = text;
                (offset, span)
            }
        };
        let id = self.push_node(Data::Text(span), offset)?;
        self.nodes[id.index()].end = at;
        Ok(())
    }

    fn push_node(&mut self, data: Data, offset: usize) -> Result<NodeId, XmlError> {
        if self.nodes.len() >= self.limits.max_nodes {
            return Err(self.fail(offset, limit(LimitKind::Nodes, self.limits.max_nodes)));
        }
        let id = NodeId(self.nodes.len() as u32);
        let parent = self.open.last().map(|o| o.id);
        let is_element = matches!(data, Data::Element(_));
        self.nodes.push(Node {
            data,
            parent,
            offset,
            end: offset,
        });
        match parent {
            Some(_) => self.open_children.push(id),
            None => {
                if is_element {
                    if self.root.is_some() {
                        return Err(self.fail(offset, XmlErrorKind::MultipleRoots));
                    }
                    self.root = Some(id);
                }
                self.top.push(id);
            }
        }
        Ok(id)
    }

    fn ns_text(&self, ns: Ns) -> Option<&str> {
        match ns {
            Ns::None => None,
            Ns::Xml => Some(XML_NS),
            Ns::Uri(span) => Some(self.str(span)),
        }
    }

    /// The namespace bound to `prefix` (`None`: the default namespace), `None` if unbound.
    fn lookup(&self, prefix: Option<&str>) -> Option<Ns> {
        if prefix == Some("xml") {
            return Some(Ns::Xml);
        }
        let prefix = prefix.map(str::as_bytes);
        let decl = self
            .scope
            .iter()
            .rev()
            .find(|d| same_prefix(d.prefix.map(|p| self.bytes(p)), prefix))?;
        Some(if decl.uri.len == 0 {
            Ns::None
        } else {
            Ns::Uri(decl.uri)
        })
    }

    /// The namespace of a prefixed name: the prefix must be bound. Inlined, with the error
    /// built out of line: a `Result` this size returned through memory stalled the load
    /// that read it back, once per prefixed name.
    #[inline(always)]
    fn resolve_prefix(&self, prefix: Span, start: usize) -> Result<Ns, XmlError> {
        match self.lookup(Some(self.str(prefix))) {
            Some(Ns::None) | None => Err(self.unbound_prefix(prefix, start)),
            Some(ns) => Ok(ns),
        }
    }

    #[cold]
    #[inline(never)]
    fn unbound_prefix(&self, prefix: Span, start: usize) -> XmlError {
        let text = self.str(prefix).to_string();
        self.fail(start, XmlErrorKind::UnboundPrefix(text))
    }

    /// Splits the name at `name` (a span of the buffer) into prefix and local part,
    /// checking both are NCNames. Inlined for the reason `resolve_prefix` is.
    #[inline(always)]
    fn split_name(&self, name: Span, start: usize) -> Result<(Option<Span>, Span), XmlError> {
        match qname_colon(self.str(name)) {
            Some(Some(colon)) => {
                let colon = colon as u32;
                let prefix = Span {
                    start: name.start,
                    len: colon,
                };
                let local = Span {
                    start: name.start + colon + 1,
                    len: name.len - colon - 1,
                };
                Ok((Some(prefix), local))
            }
            Some(None) => Ok((None, name)),
            None => Err(self.bad_name(name, start)),
        }
    }

    /// Points at the first character that cannot be in a name, where the reader must look. The
    /// tokenizer ends a name only at whitespace, so `<r/a="1">` reaches here as the name
    /// `r/a="1"`: a misplaced '/' gets the message the attribute scanner gives it.
    #[cold]
    #[inline(never)]
    fn bad_name(&self, name: Span, start: usize) -> XmlError {
        let text = self.str(name);
        let in_source = name.range().end <= self.source.len();
        let culprit = text
            .char_indices()
            .find(|&(_, c)| c != ':' && !is_name_char(c));
        match culprit {
            Some((at, '/')) if in_source => self.fail(
                name.start as usize + at,
                XmlErrorKind::Syntax(
                    "a '/' in a start tag may only come right before its '>'".into(),
                ),
            ),
            Some((at, _)) if in_source => self.fail(
                name.start as usize + at,
                XmlErrorKind::BadName(text.to_string()),
            ),
            _ => self.fail(start, XmlErrorKind::BadName(text.to_string())),
        }
    }

    fn start_element(&mut self, tag: &BytesStart<'_>, start: usize) -> Result<NodeId, XmlError> {
        let name = self.span_of(tag.name().0);
        let (prefix, local) = self.split_name(name, start)?;
        let scope_mark = self.scope.len();
        let decls_start = self.decls.len();
        self.raw_attrs.clear();

        // Our own reading of the attribute list (see `attributes`); duplicates are checked
        // below on resolved names (which also catches `a:x` and `b:x` with a and b bound to
        // one namespace) and in push_decl for declarations.
        let list = tag.attributes_raw();
        // `<` and the element name come before the list.
        let list_at = start + 1 + tag.name().0.len();
        for (count, attr) in attributes::scan(list).enumerate() {
            if count >= self.limits.max_attributes {
                return Err(self.fail(
                    start,
                    limit(LimitKind::Attributes, self.limits.max_attributes),
                ));
            }
            let attr = attr.map_err(|e| {
                self.fail(list_at + e.offset, XmlErrorKind::Syntax(e.problem.into()))
            })?;
            let value = if escape::attribute_needs_normalizing(attr.value.as_bytes()) {
                let at = self.buf.len();
                escape::attribute_value_into(attr.value, &mut self.buf)
                    .map_err(|(_, k)| self.fail(start, k))?;
                Span {
                    start: at as u32,
                    len: (self.buf.len() - at) as u32,
                }
            } else {
                self.span_of(attr.value)
            };
            let key = attr.name;
            if key == "xmlns" {
                let uri = self.str(value);
                if uri == XML_NS || uri == XMLNS_NS {
                    return Err(self.fail(
                        start,
                        XmlErrorKind::BadNamespaceDeclaration(format!("xmlns=\"{uri}\"")),
                    ));
                }
                self.push_decl(decls_start, None, value, start)?;
            } else if let Some(p) = key.strip_prefix("xmlns:") {
                let uri = self.str(value);
                let bad = !is_ncname(p)
                    || uri.is_empty()
                    || p == "xmlns"
                    || (p == "xml") != (uri == XML_NS)
                    || uri == XMLNS_NS;
                if bad {
                    return Err(self.fail(
                        start,
                        XmlErrorKind::BadNamespaceDeclaration(format!("{key}=\"{uri}\"")),
                    ));
                }
                let prefix = self.span_of(p);
                self.push_decl(decls_start, Some(prefix), value, start)?;
            } else {
                let key = self.span_of(key);
                self.raw_attrs.push((key, value));
            }
        }
        for i in decls_start..self.decls.len() {
            let d = self.decls[i].clone();
            if d.prefix.map(|p| self.bytes(p)) != Some(b"xml") {
                self.scope.push(d);
            }
        }

        let ns = match prefix {
            Some(p) => self.resolve_prefix(p, start)?,
            None => self.lookup(None).unwrap_or(Ns::None),
        };

        let attrs_start = self.attrs.len();
        for i in 0..self.raw_attrs.len() {
            let (key, value) = self.raw_attrs[i];
            let (aprefix, alocal) = self.split_name(key, start)?;
            let ans = match aprefix {
                Some(p) => self.resolve_prefix(p, start)?,
                None => Ns::None,
            };
            let local_text = self.bytes(alocal);
            let duplicate = self.attrs[attrs_start..].iter().any(|a| {
                self.bytes(a.local) == local_text && self.ns_text(a.ns) == self.ns_text(ans)
            });
            if duplicate {
                let name = self.str(key).to_string();
                return Err(self.fail(start, XmlErrorKind::DuplicateAttribute(name)));
            }
            self.attrs.push(AttrData {
                prefix: aprefix,
                local: alocal,
                ns: ans,
                value,
            });
        }

        let id = self.push_node(
            Data::Element(ElementData {
                prefix,
                local,
                ns,
                decls: Span {
                    start: decls_start as u32,
                    len: (self.decls.len() - decls_start) as u32,
                },
                attrs: Span {
                    start: attrs_start as u32,
                    len: (self.attrs.len() - attrs_start) as u32,
                },
                children: Span::default(),
                subtree_end: 0,
            }),
            start,
        )?;
        for a in &self.attrs[attrs_start..] {
            if a.prefix.is_none() && is_id_name(self.bytes(a.local)) {
                self.ids.push((id, a.value));
            }
        }
        self.open.push(Open {
            id,
            children_mark: self.open_children.len(),
            scope_mark,
        });
        Ok(id)
    }

    /// Records a declaration of the tag whose declarations start at `decls_start`.
    fn push_decl(
        &mut self,
        decls_start: usize,
        prefix: Option<Span>,
        uri: Span,
        start: usize,
    ) -> Result<(), XmlError> {
        let this = prefix.map(|p| self.str(p));
        if self.decls[decls_start..]
            .iter()
            .any(|d| d.prefix.map(|p| self.bytes(p)) == this.map(str::as_bytes))
        {
            let name = match this {
                Some(p) => format!("xmlns:{p}"),
                None => "xmlns".to_string(),
            };
            return Err(self.fail(start, XmlErrorKind::DuplicateAttribute(name)));
        }
        self.decls.push(DeclData { prefix, uri });
        Ok(())
    }

    /// Closes the innermost open element: its children move to the shared table.
    fn end_element(&mut self, end: usize) {
        let Some(open) = self.open.pop() else {
            return;
        };
        let start = self.children.len();
        self.children
            .extend_from_slice(&self.open_children[open.children_mark..]);
        self.open_children.truncate(open.children_mark);
        self.scope.truncate(open.scope_mark);
        let subtree_end = self.nodes.len() as u32;
        let node = &mut self.nodes[open.id.index()];
        node.end = end;
        if let Data::Element(e) = &mut node.data {
            e.children = Span {
                start: start as u32,
                len: (self.children.len() - start) as u32,
            };
            e.subtree_end = subtree_end;
        }
    }
}

/// The attribute names that carry an element's ID, as processors resolve them.
fn is_id_name(local: &[u8]) -> bool {
    matches!(local, b"ID" | b"Id" | b"id")
}

/// How many times `needle` occurs, in blocks the compiler vectorizes (a block's count fits a u8).
fn count_byte(bytes: &[u8], needle: u8) -> usize {
    bytes
        .chunks(255)
        .map(|block| {
            block
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(b == needle))) as usize
        })
        .sum()
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || (c as u32) > 0x7F && !c.is_whitespace()
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || matches!(c, '-' | '.' | '\u{B7}') || c.is_numeric()
}

/// How each ASCII byte may appear in a name.
const NAME_START: u8 = 1;
const NAME_CHAR: u8 = 2;
const COLON: u8 = 3;
const NOT_IN_NAME: u8 = 0;
const ASCII_NAME_CLASS: [u8; 128] = {
    let mut table = [NOT_IN_NAME; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() || c == b'_' {
            NAME_START
        } else if c.is_ascii_digit() || c == b'-' || c == b'.' {
            NAME_CHAR
        } else if c == b':' {
            COLON
        } else {
            NOT_IN_NAME
        };
        b += 1;
    }
    table
};

/// Whether `s` is a qualified name (`NCName` or `NCName:NCName`) and where its colon is:
/// `Some(None)` for no prefix, `None` for not a name. One pass over an ASCII name (nearly
/// all of them); the Unicode tables only beyond ASCII.
fn qname_colon(s: &str) -> Option<Option<usize>> {
    let bytes = s.as_bytes();
    let mut colon = None;
    let mut part_start = true;
    for (i, &b) in bytes.iter().enumerate() {
        let Some(&class) = ASCII_NAME_CLASS.get(b as usize) else {
            return qname_colon_unicode(s);
        };
        match class {
            NAME_START => part_start = false,
            NAME_CHAR if !part_start => {}
            COLON if !part_start && colon.is_none() => {
                colon = Some(i);
                part_start = true;
            }
            _ => return None,
        }
    }
    (!part_start).then_some(colon)
}

fn qname_colon_unicode(s: &str) -> Option<Option<usize>> {
    match s.find(':') {
        Some(colon) => {
            (is_ncname(&s[..colon]) && is_ncname(&s[colon + 1..])).then_some(Some(colon))
        }
        None => is_ncname(s).then_some(None),
    }
}

/// A name without colons (XML Namespaces' NCName), checked loosely beyond ASCII.
fn is_ncname(s: &str) -> bool {
    // ASCII names, nearly all of them, skip the Unicode tables.
    let bytes = s.as_bytes();
    if let Some((&first, rest)) = bytes.split_first() {
        let ascii_name = (first.is_ascii_alphabetic() || first == b'_')
            && rest
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
        if ascii_name {
            return true;
        }
    }
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if is_name_start(c)) && chars.all(is_name_char)
}

pub(crate) fn is_name(s: &str) -> bool {
    !s.is_empty() && s.split(':').all(is_ncname)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Document, XmlError> {
        Document::parse(s, Limits::MESSAGE)
    }

    #[test]
    fn qualified_names_are_split_at_their_one_colon() {
        for (name, expected) in [
            ("a", Some(None)),
            ("saml2:Assertion", Some(Some(5))),
            ("_x-1.y", Some(None)),
            ("p:_", Some(Some(1))),
            ("", None),
            (":a", None),
            ("a:", None),
            ("a:b:c", None),
            ("1a", None),
            ("a:1b", None),
            ("-a", None),
            ("a b", None),
            ("a=b", None),
            ("été", Some(None)),
            ("p:été", Some(Some(1))),
            ("été:x", Some(Some(5))),
            ("p:1é", None),
            ("é:", None),
        ] {
            assert_eq!(qname_colon(name), expected, "{name:?}");
            // The same verdict as checking each part on its own.
            let reference = match name.split_once(':') {
                Some((p, l)) => (is_ncname(p) && is_ncname(l)).then_some(Some(p.len())),
                None => is_ncname(name).then_some(None),
            };
            assert_eq!(qname_colon(name), reference, "{name:?}");
        }
        // Every string of up to four characters over an alphabet of each kind of character.
        let alphabet = ['a', 'Z', '1', ':', '-', '_', '.', 'é', ' ', '='];
        let mut names = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = names
                .iter()
                .flat_map(|n| alphabet.iter().map(move |c| format!("{n}{c}")))
                .collect();
            names.extend(longer);
        }
        names.sort();
        names.dedup();
        for name in &names {
            let reference = match name.split_once(':') {
                Some((p, l)) => (is_ncname(p) && is_ncname(l)).then_some(Some(p.len())),
                None => is_ncname(name).then_some(None),
            };
            assert_eq!(qname_colon(name), reference, "{name:?}");
        }
    }

    #[test]
    fn id_attributes_are_listed_in_document_order() {
        let doc = parse(
            r#"<r xmlns:p="urn:p" ID="a"><c Id="b" p:ID="not-an-id"/><d id="c" ID="c"/><e iD="x"/></r>"#,
        )
        .unwrap();
        let ids: Vec<(String, &str)> = doc
            .id_attributes()
            .map(|(n, v)| (doc.element(n).unwrap().local().to_string(), v))
            .collect();
        assert_eq!(
            ids,
            [
                ("r".to_string(), "a"),
                ("c".to_string(), "b"),
                ("d".to_string(), "c"),
                ("d".to_string(), "c")
            ]
        );
        let d = doc.id_attributes().nth(2).unwrap().0;
        assert_eq!(crate::xml::dsig::verify::elements_with_id(&doc, "c"), [d]);
        assert!(crate::xml::dsig::verify::elements_with_id(&doc, "x").is_empty());
    }

    #[test]
    fn paths_number_only_same_named_siblings() {
        let doc = parse(r#"<r xmlns:p="urn:p"><a/><b/><p:a/><a><c/></a></r>"#).unwrap();
        let paths: Vec<String> = doc.elements().map(|n| doc.path(n)).collect();
        assert_eq!(
            paths,
            ["/r", "/r/a[1]", "/r/b", "/r/p:a", "/r/a[2]", "/r/a[2]/c"]
        );
    }

    #[test]
    fn resolves_namespaces_and_keeps_declarations() {
        let doc = parse(r#"<a:r xmlns:a="urn:a" xmlns="urn:d"><c x="1" a:y="2"/></a:r>"#).unwrap();
        let root = doc.element(doc.root()).unwrap();
        assert!(root.is("urn:a", "r"));
        assert_eq!(root.ns_decls().len(), 2);
        let child = doc.child_elements(doc.root()).next().unwrap();
        let c = doc.element(child).unwrap();
        assert!(c.is("urn:d", "c"));
        let attrs: Vec<Attribute<'_>> = c.attributes().collect();
        assert_eq!(attrs[0].namespace, None);
        assert_eq!(attrs[1].namespace, Some("urn:a"));
        assert_eq!(doc.path(child), "/a:r/c");
    }

    #[test]
    fn refuses_doctype_without_expanding() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><r>&lol2;</r>"#;
        let err = parse(bomb).unwrap_err();
        assert_eq!(err.kind, XmlErrorKind::Doctype);
        assert_eq!(err.kind.rule(), "xml/doctype");
        assert_eq!(
            err.position,
            LineCol {
                line: 1,
                column: 22
            }
        );
    }

    #[test]
    fn refuses_undefined_entities_and_unbound_prefixes() {
        assert!(matches!(
            parse("<r>&ext;</r>").unwrap_err().kind,
            XmlErrorKind::UndefinedEntity(_)
        ));
        assert!(matches!(
            parse("<p:r/>").unwrap_err().kind,
            XmlErrorKind::UnboundPrefix(_)
        ));
        assert!(matches!(
            parse(r#"<r xmlns:a="urn:x" xmlns:b="urn:x" a:i="1" b:i="2"/>"#)
                .unwrap_err()
                .kind,
            XmlErrorKind::DuplicateAttribute(_)
        ));
        assert!(matches!(
            parse("<r/><r/>").unwrap_err().kind,
            XmlErrorKind::MultipleRoots
        ));
        assert!(matches!(
            parse("<r>\u{1}</r>").unwrap_err().kind,
            XmlErrorKind::InvalidChar(1)
        ));
        assert!(matches!(
            parse("x<r/>").unwrap_err().kind,
            XmlErrorKind::TextOutsideRoot
        ));
        assert!(parse("<r></s>").is_err());
        assert!(parse("<r>").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn a_bad_name_is_reported_at_its_first_bad_character() {
        let at = |s: &str| {
            let err = parse(s).unwrap_err();
            (err.kind, err.position.column)
        };
        let slash =
            XmlErrorKind::Syntax("a '/' in a start tag may only come right before its '>'".into());
        assert_eq!(at(r#"<r/a="1">"#), (slash.clone(), 3));
        assert_eq!(at(r#"<r a="1"/ >"#), (slash, 9));
        assert_eq!(
            at(r#"<r"x">"#),
            (XmlErrorKind::BadName(r#"r"x""#.into()), 3)
        );
        assert_eq!(
            at(r#"<r><q a%b="1"/></r>"#),
            (XmlErrorKind::BadName("a%b".into()), 8)
        );
        // No character is wrong on its own: the name as a whole is, from its '<'.
        assert_eq!(at("<r><1a/></r>"), (XmlErrorKind::BadName("1a".into()), 4));
        assert_eq!(at("<a::b/>"), (XmlErrorKind::BadName("a::b".into()), 1));
    }

    #[test]
    fn enforces_limits() {
        let deep = "<a>".repeat(200) + &"</a>".repeat(200);
        let err = parse(&deep).unwrap_err();
        assert_eq!(err.kind.rule(), "xml/limits");
        let small = Limits {
            max_bytes: 10,
            ..Limits::MESSAGE
        };
        assert_eq!(
            Document::parse("<r>0123456789</r>", small)
                .unwrap_err()
                .kind
                .rule(),
            "xml/limits"
        );
    }

    #[test]
    fn text_skips_comments_entirely() {
        let doc = parse("<n>user@evil.com<!---->.good.com</n>").unwrap();
        assert_eq!(doc.text(doc.root()), "user@evil.com.good.com");
        assert_eq!(doc.children(doc.root()).len(), 3);
    }

    #[test]
    fn merges_references_and_cdata_into_one_text_node() {
        let doc = parse("<n>a&amp;b<![CDATA[<c>]]>&#x41;\r\n</n>").unwrap();
        assert_eq!(doc.children(doc.root()).len(), 1);
        assert_eq!(doc.text(doc.root()), "a&b<c>A\n");
    }

    #[test]
    fn cdata_line_ends_are_normalized_but_char_refs_are_not() {
        let doc = parse("<n><![CDATA[a\r\nb\rc]]>&#xD;</n>").unwrap();
        assert_eq!(doc.text(doc.root()), "a\nb\nc\r");
    }

    #[test]
    fn pi_data_keeps_leading_non_xml_whitespace() {
        let doc = parse("<?pi \u{A0}data?><a/>").unwrap();
        let pi = doc.top_level()[0];
        assert_eq!(
            doc.kind(pi),
            NodeKind::ProcessingInstruction {
                target: "pi",
                data: "\u{A0}data"
            }
        );
    }

    #[test]
    fn nodes_know_where_they_end() {
        let src = "<r><a x=\"1\">t</a><b/><!--c--></r>";
        let doc = parse(src).unwrap();
        let kids = doc.children(doc.root());
        let spans: Vec<&str> = kids
            .iter()
            .map(|k| &src[doc.node(*k).offset..doc.node(*k).end])
            .collect();
        assert_eq!(spans, ["<a x=\"1\">t</a>", "<b/>", "<!--c-->"]);
        assert_eq!(doc.node(doc.root()).end, src.len());
    }

    #[test]
    fn attribute_offsets_point_at_the_attribute() {
        let doc = parse("<r\n  ID=\"1\" Destination=\"x\"/>").unwrap();
        let at = doc.attribute_offset(doc.root(), "Destination");
        assert_eq!(
            doc.line_col(at),
            LineCol {
                line: 2,
                column: 10
            }
        );
    }

    #[test]
    fn values_are_borrowed_from_the_source_unless_normalized() {
        let doc = parse("<r a=\"plain\" b=\"x&amp;y\" c=\"l1\nl2\">t<![CDATA[<c>]]>u</r>").unwrap();
        let r = doc.element(doc.root()).unwrap();
        assert_eq!(r.attr("a"), Some("plain"));
        assert_eq!(r.attr("b"), Some("x&y"));
        assert_eq!(r.attr("c"), Some("l1 l2"));
        assert_eq!(doc.text(doc.root()), "t<c>u");
        assert_eq!(
            doc.source(),
            "<r a=\"plain\" b=\"x&amp;y\" c=\"l1\nl2\">t<![CDATA[<c>]]>u</r>"
        );
    }

    #[test]
    fn duplicate_declarations_and_children_tables() {
        assert!(matches!(
            parse(r#"<r xmlns:a="urn:x" xmlns:a="urn:y"/>"#)
                .unwrap_err()
                .kind,
            XmlErrorKind::DuplicateAttribute(_)
        ));
        assert!(matches!(
            parse(r#"<r a="1" a="2"/>"#).unwrap_err().kind,
            XmlErrorKind::DuplicateAttribute(_)
        ));
        let doc = parse("<r><a><b/>x<c/></a><d/></r>").unwrap();
        let names: Vec<&str> = doc
            .descendants(doc.root())
            .map(|n| doc.element(n).unwrap().local())
            .collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
        let a = doc.child_elements(doc.root()).next().unwrap();
        assert_eq!(doc.children(a).len(), 3);
        let d = doc.child_elements(doc.root()).nth(1).unwrap();
        assert!(doc.is_ancestor_or_self(doc.root(), d));
        assert!(!doc.is_ancestor_or_self(a, d));
        assert_eq!(doc.descendants(a).count(), 2);
    }
}
