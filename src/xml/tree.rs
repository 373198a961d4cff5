//! A hardened XML parser on quick-xml that builds an arena tree with byte positions.
//!
//! The tree keeps what canonicalization needs (namespace declarations as written, attribute
//! order, comments, processing instructions) and what diagnostics need (byte offsets). It refuses
//! DTDs outright and enforces [`Limits`] while reading, so a hostile document costs no more than
//! its bounded size.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::sync::Arc;

use super::error::{XmlError, XmlErrorKind};
use super::escape;
use super::limits::{LimitKind, Limits};
use super::position::{LineCol, LineIndex};

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

/// A namespace declaration exactly as written (`xmlns="..."` has no prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NsDecl {
    pub prefix: Option<String>,
    pub uri: String,
}

/// An attribute other than a namespace declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub prefix: Option<String>,
    pub local: String,
    /// The namespace of a prefixed attribute; unprefixed attributes have none.
    pub namespace: Option<Arc<str>>,
    /// The normalized value (references expanded).
    pub value: String,
}

impl Attribute {
    /// The name as written (`prefix:local` or `local`).
    pub fn qname(&self) -> String {
        match &self.prefix {
            Some(p) => format!("{p}:{}", self.local),
            None => self.local.clone(),
        }
    }
}

/// An element with its resolved name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub prefix: Option<String>,
    pub local: String,
    /// The resolved namespace URI, if the element is in one (shared with its declaration).
    pub namespace: Option<Arc<str>>,
    pub ns_decls: Vec<NsDecl>,
    pub attributes: Vec<Attribute>,
    pub children: Vec<NodeId>,
}

impl Element {
    /// The name as written (`prefix:local` or `local`).
    pub fn qname(&self) -> String {
        match &self.prefix {
            Some(p) => format!("{p}:{}", self.local),
            None => self.local.clone(),
        }
    }

    /// Whether this element is `{namespace}local`.
    pub fn is(&self, namespace: &str, local: &str) -> bool {
        self.local == local && self.namespace.as_deref() == Some(namespace)
    }

    /// The value of an unprefixed attribute.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.prefix.is_none() && a.local == local)
            .map(|a| a.value.as_str())
    }
}

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    Element(Element),
    /// Character data (adjacent text, references and CDATA sections merged).
    Text(String),
    Comment(String),
    ProcessingInstruction {
        target: String,
        data: String,
    },
}

/// One node of the arena.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    pub parent: Option<NodeId>,
    /// Byte offset of the node's first character (the `<` of a tag).
    pub offset: usize,
    /// Byte offset just past the node (past the end tag of an element).
    pub end: usize,
}

/// A parsed document: the arena, the source text and its line index.
#[derive(Debug, Clone)]
pub struct Document {
    source: String,
    /// Built on first use: most chunks of a large aggregate never need a position.
    lines: std::sync::OnceLock<LineIndex>,
    nodes: Vec<Node>,
    /// Top-level nodes in order: comments and PIs around the single root element.
    top: Vec<NodeId>,
    root: NodeId,
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

    pub fn source(&self) -> &str {
        &self.source
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

    /// The element at `id`, if it is one.
    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.node(id).kind {
            NodeKind::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).parent
    }

    /// All child nodes of an element (empty for other nodes).
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        self.element(id).map_or(&[], |e| e.children.as_slice())
    }

    /// The child elements of `id`, in order.
    pub fn child_elements(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.children(id)
            .iter()
            .copied()
            .filter(|c| self.element(*c).is_some())
    }

    /// Child elements named `{namespace}local`.
    pub fn children_named<'a>(
        &'a self,
        id: NodeId,
        namespace: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = NodeId> + 'a {
        self.child_elements(id)
            .filter(move |c| self.element(*c).is_some_and(|e| e.is(namespace, local)))
    }

    /// The first child element named `{namespace}local`.
    pub fn child_named(&self, id: NodeId, namespace: &str, local: &str) -> Option<NodeId> {
        self.children_named(id, namespace, local).next()
    }

    /// Every element below `id` (not `id` itself), in document order.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        let mut stack: Vec<NodeId> = self.children(id).to_vec();
        stack.reverse();
        Descendants { doc: self, stack }
    }

    /// Every element of the document, root first, in document order.
    pub fn elements(&self) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::once(self.root).chain(self.descendants(self.root))
    }

    /// Whether `ancestor` is `id` or one of its ancestors.
    pub fn is_ancestor_or_self(&self, ancestor: NodeId, id: NodeId) -> bool {
        let mut cur = Some(id);
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            cur = self.parent(c);
        }
        false
    }

    /// The text content of `id`: every descendant text node joined, comments and PIs left out.
    /// This is the full value, so a comment cannot truncate it (the CVE-2017-11427 class).
    pub fn text(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.collect_text(id, &mut out);
        out
    }

    fn collect_text(&self, id: NodeId, out: &mut String) {
        match &self.node(id).kind {
            NodeKind::Text(t) => out.push_str(t),
            NodeKind::Element(e) => {
                for c in &e.children {
                    self.collect_text(*c, out);
                }
            }
            _ => {}
        }
    }

    /// Namespace bindings in scope at `id` (nearest declaration wins), default namespace
    /// as prefix `None`; an undeclared default (`xmlns=""`) appears with an empty URI.
    pub fn in_scope_namespaces(&self, id: NodeId) -> Vec<NsDecl> {
        let mut chain = Vec::new();
        let mut cur = Some(id);
        while let Some(c) = cur {
            chain.push(c);
            cur = self.parent(c);
        }
        let mut scope: Vec<NsDecl> = Vec::new();
        for node in chain.into_iter().rev() {
            if let Some(e) = self.element(node) {
                for d in &e.ns_decls {
                    match scope.iter_mut().find(|s| s.prefix == d.prefix) {
                        Some(s) => s.uri.clone_from(&d.uri),
                        None => scope.push(d.clone()),
                    }
                }
            }
        }
        scope
    }

    /// Line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.line_index().line_col(&self.source, offset)
    }

    fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.source))
    }

    /// The source line (1-based), for snippets.
    pub fn line_text(&self, line: usize) -> &str {
        self.line_index().line_text(&self.source, line)
    }

    /// Where node `id` starts.
    pub fn position(&self, id: NodeId) -> LineCol {
        self.line_col(self.node(id).offset)
    }

    /// Byte offset of attribute `qname` inside the start tag of `id`, else the tag's offset.
    pub fn attribute_offset(&self, id: NodeId, qname: &str) -> usize {
        let start = self.node(id).offset;
        let tag_end = self.source[start..]
            .find('>')
            .map_or(self.source.len(), |n| start + n);
        let tag = &self.source[start..tag_end];
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
        let mut parts = Vec::new();
        let mut cur = Some(id);
        while let Some(c) = cur {
            if let Some(e) = self.element(c) {
                let qname = e.qname();
                let part = match self.parent(c) {
                    Some(p) => {
                        let same: Vec<NodeId> = self
                            .child_elements(p)
                            .filter(|s| {
                                self.element(*s).is_some_and(|se| {
                                    se.local == e.local && se.namespace == e.namespace
                                })
                            })
                            .collect();
                        if same.len() > 1 {
                            let n = same.iter().position(|s| *s == c).unwrap_or(0) + 1;
                            format!("{qname}[{n}]")
                        } else {
                            qname
                        }
                    }
                    None => qname,
                };
                parts.push(part);
            }
            cur = self.parent(c);
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }
}

/// Depth-first iterator over elements; see [`Document::descendants`].
pub struct Descendants<'d> {
    doc: &'d Document,
    stack: Vec<NodeId>,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        while let Some(id) = self.stack.pop() {
            if let Some(e) = self.doc.element(id) {
                self.stack.extend(e.children.iter().rev().copied());
                return Some(id);
            }
        }
        None
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

struct Parser<'s> {
    source: &'s str,
    limits: Limits,
    nodes: Vec<Node>,
    top: Vec<NodeId>,
    root: Option<NodeId>,
    /// Open elements, innermost last.
    open: Vec<NodeId>,
    /// Namespace scopes: (prefix, uri) pushed per element, with the stack height per element.
    scope: Vec<(Option<String>, Arc<str>)>,
    scope_marks: Vec<usize>,
    /// Text being accumulated (merged across text events, references and CDATA).
    pending_text: Option<(usize, String)>,
}

impl<'s> Parser<'s> {
    fn new(source: &'s str, limits: Limits) -> Self {
        Parser {
            source,
            limits,
            // Roughly one node per tag plus one per text run: sized once, not regrown
            // (regrowing a large arena is what glibc's malloc_consolidate spent its time on).
            nodes: Vec::with_capacity(
                (source.bytes().filter(|&b| b == b'<').count() * 2 + 8).min(limits.max_nodes),
            ),
            top: Vec::new(),
            root: None,
            open: Vec::new(),
            scope: Vec::new(),
            scope_marks: Vec::new(),
            pending_text: None,
        }
    }

    fn fail(&self, offset: usize, kind: XmlErrorKind) -> XmlError {
        error_at(self.source, offset, kind)
    }

    fn run(mut self) -> Result<Document, XmlError> {
        if self.source.len() > self.limits.max_bytes {
            return Err(self.fail(0, limit(LimitKind::Bytes, self.limits.max_bytes)));
        }
        let source = self.source.strip_prefix('\u{FEFF}').unwrap_or(self.source);
        let skipped = self.source.len() - source.len();
        if let Err((at, kind)) = escape::check_chars(source) {
            return Err(self.fail(skipped + at, kind));
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
            let event = match reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    let at = skipped + reader.error_position() as usize;
                    return Err(self.fail(at, XmlErrorKind::Syntax(e.to_string())));
                }
            };
            match event {
                Event::DocType(_) => return Err(self.fail(start, XmlErrorKind::Doctype)),
                Event::Decl(decl) => {
                    if seen_decl || !self.nodes.is_empty() || start != skipped {
                        return Err(self.fail(
                            start,
                            XmlErrorKind::Syntax("the XML declaration must come first".into()),
                        ));
                    }
                    seen_decl = true;
                    if let Some(Ok(enc)) = decl.encoding() {
                        let enc = enc.to_string();
                        if !enc.eq_ignore_ascii_case("utf-8") && !enc.eq_ignore_ascii_case("utf8") {
                            return Err(self.fail(start, XmlErrorKind::UnsupportedEncoding(enc)));
                        }
                    }
                }
                Event::Start(tag) => {
                    self.flush_text(start)?;
                    let id = self.start_element(&tag, start)?;
                    self.open.push(id);
                    if self.open.len() > self.limits.max_depth {
                        return Err(
                            self.fail(start, limit(LimitKind::Depth, self.limits.max_depth))
                        );
                    }
                }
                Event::Empty(tag) => {
                    self.flush_text(start)?;
                    let id = self.start_element(&tag, start)?;
                    self.end_element(id, skipped + reader.buffer_position() as usize);
                }
                Event::End(_) => {
                    self.flush_text(start)?;
                    if let Some(id) = self.open.pop() {
                        self.end_element(id, skipped + reader.buffer_position() as usize);
                    }
                }
                Event::Text(text) => self.add_text(start, &text, false)?,
                Event::CData(data) => {
                    // Line ends are normalized in the whole document before parsing (XML 1.0
                    // section 2.11), CDATA sections included: only references are left
                    // unrecognized inside them. A raw CR in CDATA must come out as LF, not as
                    // a CR that canonicalization would then write as `&#xD;`.
                    let mut text = String::new();
                    escape::push_text(&mut text, &data);
                    self.add_text(start, &text, true)?
                }
                Event::GeneralRef(reference) => {
                    let c =
                        escape::resolve_reference(&reference).map_err(|k| self.fail(start, k))?;
                    let mut buf = [0u8; 4];
                    self.add_text(start, c.encode_utf8(&mut buf), true)?;
                }
                Event::Comment(text) => {
                    self.flush_text(start)?;
                    let mut value = String::new();
                    escape::push_text(&mut value, &text);
                    let id = self.push_node(NodeKind::Comment(value), start)?;
                    self.nodes[id.index()].end = skipped + reader.buffer_position() as usize;
                }
                Event::PI(pi) => {
                    self.flush_text(start)?;
                    let (target, data) =
                        escape::processing_instruction(&pi).map_err(|k| self.fail(start, k))?;
                    let id =
                        self.push_node(NodeKind::ProcessingInstruction { target, data }, start)?;
                    self.nodes[id.index()].end = skipped + reader.buffer_position() as usize;
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
            source: self.source.to_string(),
            lines: std::sync::OnceLock::new(),
            nodes: self.nodes,
            top: self.top,
            root,
        })
    }

    fn add_text(&mut self, start: usize, raw: &str, literal: bool) -> Result<(), XmlError> {
        if self.open.is_empty() {
            if literal || !raw.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) {
                return Err(self.fail(start, XmlErrorKind::TextOutsideRoot));
            }
            return Ok(());
        }
        let (_, text) = self
            .pending_text
            .get_or_insert_with(|| (start, String::new()));
        if literal {
            text.push_str(raw);
        } else {
            escape::push_text(text, raw);
        }
        Ok(())
    }

    fn flush_text(&mut self, at: usize) -> Result<(), XmlError> {
        if let Some((start, text)) = self.pending_text.take() {
            let id = self.push_node(NodeKind::Text(text), start)?;
            self.nodes[id.index()].end = at;
        }
        Ok(())
    }

    fn push_node(&mut self, kind: NodeKind, offset: usize) -> Result<NodeId, XmlError> {
        if self.nodes.len() >= self.limits.max_nodes {
            return Err(self.fail(offset, limit(LimitKind::Nodes, self.limits.max_nodes)));
        }
        let id = NodeId(self.nodes.len() as u32);
        let parent = self.open.last().copied();
        let is_element = matches!(kind, NodeKind::Element(_));
        self.nodes.push(Node {
            kind,
            parent,
            offset,
            end: offset,
        });
        match parent {
            Some(p) => {
                if let NodeKind::Element(e) = &mut self.nodes[p.index()].kind {
                    e.children.push(id);
                }
            }
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

    fn lookup(&self, prefix: Option<&str>) -> Option<Arc<str>> {
        if prefix == Some("xml") {
            return Some(Arc::from(XML_NS));
        }
        self.scope
            .iter()
            .rev()
            .find(|(p, _)| p.as_deref() == prefix)
            .map(|(_, uri)| uri.clone())
            .filter(|uri| !uri.is_empty())
    }

    fn start_element(&mut self, tag: &BytesStart<'_>, start: usize) -> Result<NodeId, XmlError> {
        let qname = tag.name().0;
        let (prefix, local) = split_qname(qname)
            .ok_or_else(|| self.fail(start, XmlErrorKind::BadName(qname.to_string())))?;
        self.scope_marks.push(self.scope.len());

        let mut ns_decls = Vec::new();
        let mut raw_attrs = Vec::new();
        let mut attributes = tag.attributes();
        attributes.with_checks(true);
        for (count, attr) in attributes.enumerate() {
            if count >= self.limits.max_attributes {
                return Err(self.fail(
                    start,
                    limit(LimitKind::Attributes, self.limits.max_attributes),
                ));
            }
            let attr = attr.map_err(|e| self.fail(start, XmlErrorKind::Syntax(e.to_string())))?;
            let name = attr.key.0;
            let value =
                escape::attribute_value(&attr.value).map_err(|(_, k)| self.fail(start, k))?;
            if name == "xmlns" {
                if value == XML_NS || value == XMLNS_NS {
                    return Err(self.fail(
                        start,
                        XmlErrorKind::BadNamespaceDeclaration(format!("xmlns=\"{value}\"")),
                    ));
                }
                ns_decls.push(NsDecl {
                    prefix: None,
                    uri: value,
                });
            } else if let Some(p) = name.strip_prefix("xmlns:") {
                let bad = !is_ncname(p)
                    || value.is_empty()
                    || p == "xmlns"
                    || (p == "xml") != (value == XML_NS)
                    || value == XMLNS_NS;
                if bad {
                    return Err(self.fail(
                        start,
                        XmlErrorKind::BadNamespaceDeclaration(format!("{name}=\"{value}\"")),
                    ));
                }
                ns_decls.push(NsDecl {
                    prefix: Some(p.to_string()),
                    uri: value,
                });
            } else {
                raw_attrs.push((name, value));
            }
        }
        for d in &ns_decls {
            if d.prefix.as_deref() != Some("xml") {
                self.scope
                    .push((d.prefix.clone(), Arc::from(d.uri.as_str())));
            }
        }

        let namespace = match prefix {
            Some(p) => Some(
                self.lookup(Some(p))
                    .ok_or_else(|| self.fail(start, XmlErrorKind::UnboundPrefix(p.to_string())))?,
            ),
            None => self.lookup(None),
        };

        let mut attrs: Vec<Attribute> = Vec::with_capacity(raw_attrs.len());
        for (name, value) in raw_attrs {
            let (aprefix, alocal) = split_qname(name)
                .ok_or_else(|| self.fail(start, XmlErrorKind::BadName(name.to_string())))?;
            let ans =
                match aprefix {
                    Some(p) => Some(self.lookup(Some(p)).ok_or_else(|| {
                        self.fail(start, XmlErrorKind::UnboundPrefix(p.to_string()))
                    })?),
                    None => None,
                };
            if attrs
                .iter()
                .any(|a| a.local == alocal && a.namespace == ans)
            {
                return Err(self.fail(start, XmlErrorKind::DuplicateAttribute(name.to_string())));
            }
            attrs.push(Attribute {
                prefix: aprefix.map(str::to_string),
                local: alocal.to_string(),
                namespace: ans,
                value,
            });
        }

        self.push_node(
            NodeKind::Element(Element {
                prefix: prefix.map(str::to_string),
                local: local.to_string(),
                namespace,
                ns_decls,
                attributes: attrs,
                children: Vec::new(),
            }),
            start,
        )
    }

    fn end_element(&mut self, id: NodeId, end: usize) {
        self.nodes[id.index()].end = end;
        if let Some(mark) = self.scope_marks.pop() {
            self.scope.truncate(mark);
        }
    }
}

/// Splits `prefix:local`, checking both are NCNames.
fn split_qname(name: &str) -> Option<(Option<&str>, &str)> {
    match name.split_once(':') {
        Some((p, l)) if is_ncname(p) && is_ncname(l) => Some((Some(p), l)),
        Some(_) => None,
        None if is_ncname(name) => Some((None, name)),
        None => None,
    }
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || (c as u32) > 0x7F && !c.is_whitespace()
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || matches!(c, '-' | '.' | '\u{B7}') || c.is_numeric()
}

/// A name without colons (XML Namespaces' NCName), checked loosely beyond ASCII.
fn is_ncname(s: &str) -> bool {
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
    fn resolves_namespaces_and_keeps_declarations() {
        let doc = parse(r#"<a:r xmlns:a="urn:a" xmlns="urn:d"><c x="1" a:y="2"/></a:r>"#).unwrap();
        let root = doc.element(doc.root()).unwrap();
        assert!(root.is("urn:a", "r"));
        assert_eq!(root.ns_decls.len(), 2);
        let child = doc.child_elements(doc.root()).next().unwrap();
        let c = doc.element(child).unwrap();
        assert!(c.is("urn:d", "c"));
        assert_eq!(c.attributes[0].namespace, None);
        assert_eq!(c.attributes[1].namespace.as_deref(), Some("urn:a"));
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
            doc.node(pi).kind,
            NodeKind::ProcessingInstruction {
                target: "pi".into(),
                data: "\u{A0}data".into()
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
}
