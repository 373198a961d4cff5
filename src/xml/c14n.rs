//! Canonical XML 1.0 and Exclusive XML Canonicalization 1.0, with and without comments.
//!
//! [`Canonicalizer`] is a writer of events (start, end, text, comment, PI), so one
//! implementation serves the tree walk used for messages ([`canonicalize_subtree`]) and a
//! streaming reader over large aggregates. Output goes to any [`Sink`]: a buffer or a digest.

use super::escape::any_byte;
use super::short::{same_prefix, short_cmp};
use super::tree::{Document, Element, NodeId, NodeKind, XML_NS};

pub const C14N_10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
pub const C14N_10_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
pub const EXC_C14N_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";

/// A canonicalization algorithm with its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// Canonical XML 1.0.
    Inclusive { comments: bool },
    /// Exclusive XML Canonicalization 1.0; `prefixes` is the InclusiveNamespaces PrefixList
    /// (`None` stands for `#default`).
    Exclusive {
        comments: bool,
        prefixes: Vec<Option<String>>,
    },
}

impl Method {
    /// The algorithm named by `uri`, without an InclusiveNamespaces list.
    pub fn from_uri(uri: &str) -> Option<Method> {
        match uri {
            C14N_10 => Some(Method::Inclusive { comments: false }),
            C14N_10_COMMENTS => Some(Method::Inclusive { comments: true }),
            EXC_C14N => Some(Method::Exclusive {
                comments: false,
                prefixes: Vec::new(),
            }),
            EXC_C14N_COMMENTS => Some(Method::Exclusive {
                comments: true,
                prefixes: Vec::new(),
            }),
            _ => None,
        }
    }

    /// Sets the InclusiveNamespaces PrefixList (whitespace-separated; `#default` for the
    /// default namespace). Ignored by the inclusive algorithm, which has no such parameter.
    pub fn with_prefix_list(mut self, list: &str) -> Method {
        if let Method::Exclusive { prefixes, .. } = &mut self {
            *prefixes = list
                .split_ascii_whitespace()
                .map(|p| (p != "#default").then(|| p.to_string()))
                .collect();
        }
        self
    }

    pub fn uri(&self) -> &'static str {
        match self {
            Method::Inclusive { comments: false } => C14N_10,
            Method::Inclusive { comments: true } => C14N_10_COMMENTS,
            Method::Exclusive {
                comments: false, ..
            } => EXC_C14N,
            Method::Exclusive { comments: true, .. } => EXC_C14N_COMMENTS,
        }
    }

    fn comments(&self) -> bool {
        match self {
            Method::Inclusive { comments } | Method::Exclusive { comments, .. } => *comments,
        }
    }
}

/// Where canonical bytes go.
pub trait Sink {
    fn put(&mut self, bytes: &[u8]);

    /// A large piece written at once (a spliced subtree): sinks that buffer small pieces
    /// may take it without copying.
    fn put_block(&mut self, bytes: &[u8]) {
        self.put(bytes);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl<S: Sink + ?Sized> Sink for &mut S {
    fn put(&mut self, bytes: &[u8]) {
        (**self).put(bytes);
    }

    fn put_block(&mut self, bytes: &[u8]) {
        (**self).put_block(bytes);
    }
}

/// Where a comment or PI stands relative to the document element, which decides its line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    BeforeRoot,
    Inside,
    AfterRoot,
}

/// A namespace binding held by the writer; its strings are in `Canonicalizer::names`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Binding {
    /// `None` for the default namespace.
    prefix: Option<(u32, u32)>,
    /// Empty for an undeclared default (`xmlns=""`).
    uri: (u32, u32),
}

/// Canonical attribute order: namespace URI, then local name. Most attributes have no
/// namespace; skipping the empty comparison keeps this out of `memcmp`.
fn attribute_order(a: (&str, &str), b: (&str, &str)) -> std::cmp::Ordering {
    let by_namespace = if a.0.is_empty() && b.0.is_empty() {
        std::cmp::Ordering::Equal
    } else {
        a.0.cmp(b.0)
    };
    by_namespace.then_with(|| short_cmp(a.1.as_bytes(), b.1.as_bytes()))
}

fn text(names: &str, (start, len): (u32, u32)) -> &str {
    &names[start as usize..(start + len) as usize]
}

/// The nearest binding of `prefix` in `stack`.
fn lookup(names: &str, stack: &[Binding], prefix: Option<&str>) -> Option<Binding> {
    let prefix = prefix.map(str::as_bytes);
    stack
        .iter()
        .rev()
        .find(|b| same_prefix(b.prefix.map(|p| bytes(names, p)), prefix))
        .copied()
}

fn bytes(names: &str, (start, len): (u32, u32)) -> &[u8] {
    &names.as_bytes()[start as usize..(start + len) as usize]
}

/// Adds `prefix`'s binding to `to_render` when output ancestors have not rendered it yet.
fn consider(
    names: &str,
    in_scope: &[Binding],
    rendered: &[Binding],
    to_render: &mut Vec<Binding>,
    prefix: Option<&str>,
) {
    if prefix == Some("xml")
        || to_render
            .iter()
            .any(|b| same_prefix(b.prefix.map(|p| bytes(names, p)), prefix.map(str::as_bytes)))
    {
        return;
    }
    let binding = lookup(names, in_scope, prefix);
    let shown = lookup(names, rendered, prefix);
    if binding.is_some() && binding == shown {
        // The very binding an output ancestor rendered: nothing to compare.
        return;
    }
    let uri = binding.map_or("", |b| text(names, b.uri));
    let shown = shown.map_or("", |b| text(names, b.uri));
    let needed = match prefix {
        None => uri != shown,
        Some(_) => !uri.is_empty() && uri != shown,
    };
    if needed {
        // Only the default namespace can be needed without a binding in scope: `xmlns=""`.
        to_render.push(binding.unwrap_or(Binding {
            prefix: None,
            uri: (0, 0),
        }));
    }
}

/// An `xml:*` attribute an apex inherits from its ancestors (Canonical XML only).
#[derive(Debug, Clone)]
struct InheritedXml {
    local: String,
    value: String,
}

/// Heights of the writer's stacks before an element, restored at its end tag.
#[derive(Debug, Clone, Copy)]
struct Mark {
    in_scope: usize,
    rendered: usize,
    names: usize,
}

/// The event writer. Tracks namespaces in scope and those already rendered by output ancestors.
pub struct Canonicalizer<S: Sink> {
    method: Method,
    out: S,
    /// The prefixes and URIs of every binding below, stack-shaped like them.
    names: String,
    /// Bindings in scope in the input, innermost last.
    in_scope: Vec<Binding>,
    /// Bindings rendered by output ancestors, innermost last.
    rendered: Vec<Binding>,
    marks: Vec<Mark>,
    /// `xml:*` attributes inherited by the apex of a subtree (inclusive method only).
    inherited_xml: Vec<InheritedXml>,
    to_render: Vec<Binding>,
    order: Vec<usize>,
}

impl<S: Sink> Canonicalizer<S> {
    /// A writer for a whole document or a subtree whose context is empty.
    pub fn new(method: Method, out: S) -> Self {
        Canonicalizer {
            method,
            out,
            names: String::with_capacity(512),
            in_scope: Vec::new(),
            rendered: Vec::new(),
            marks: Vec::new(),
            inherited_xml: Vec::new(),
            to_render: Vec::new(),
            order: Vec::new(),
        }
    }

    /// A writer for the subtree at `apex` of `doc`: ancestors' namespaces are in scope and,
    /// for Canonical XML, their `xml:*` attributes are inherited by the apex.
    pub fn for_subtree(method: Method, out: S, doc: &Document, apex: NodeId) -> Self {
        let mut c = Canonicalizer::new(method, out);
        if let Some(parent) = doc.parent(apex) {
            for d in doc.in_scope_namespaces(parent) {
                c.bind(d.prefix, d.uri);
            }
            if matches!(c.method, Method::Inclusive { .. }) {
                let mut cur = Some(parent);
                while let Some(id) = cur {
                    if let Some(e) = doc.element(id) {
                        for a in e.attributes() {
                            let is_xml = a.namespace == Some(XML_NS);
                            if is_xml && !c.inherited_xml.iter().any(|x| x.local == a.local) {
                                c.inherited_xml.push(InheritedXml {
                                    local: a.local.to_string(),
                                    value: a.value.to_string(),
                                });
                            }
                        }
                    }
                    cur = doc.parent(id);
                }
            }
        }
        c
    }

    fn push_name(&mut self, s: &str) -> (u32, u32) {
        let start = self.names.len() as u32;
        self.names.push_str(s);
        (start, s.len() as u32)
    }

    fn bind(&mut self, prefix: Option<&str>, uri: &str) {
        let prefix = prefix.map(|p| self.push_name(p));
        let uri = self.push_name(uri);
        self.in_scope.push(Binding { prefix, uri });
    }

    pub fn start_element(&mut self, element: &Element<'_>) {
        self.marks.push(Mark {
            in_scope: self.in_scope.len(),
            rendered: self.rendered.len(),
            names: self.names.len(),
        });
        for d in element.ns_decls() {
            if d.prefix != Some("xml") {
                self.bind(d.prefix, d.uri);
            }
        }

        // Namespace declarations to render, decided against the output ancestors.
        let mut to_render = std::mem::take(&mut self.to_render);
        to_render.clear();
        let (names, in_scope, rendered) = (&self.names, &self.in_scope, &self.rendered);
        match &self.method {
            Method::Inclusive { .. } => {
                for b in in_scope {
                    let prefix = b.prefix.map(|p| text(names, p));
                    consider(names, in_scope, rendered, &mut to_render, prefix);
                }
            }
            Method::Exclusive { prefixes, .. } => {
                consider(names, in_scope, rendered, &mut to_render, element.prefix());
                for prefix in element.attribute_prefixes() {
                    consider(names, in_scope, rendered, &mut to_render, Some(prefix));
                }
                for p in prefixes {
                    // Listed prefixes follow the inclusive rule: only if declared in scope.
                    if lookup(names, in_scope, p.as_deref()).is_some() {
                        consider(names, in_scope, rendered, &mut to_render, p.as_deref());
                    }
                }
            }
        }
        to_render.sort_by(|a, b| {
            let key = |x: &Binding| x.prefix.map(|p| text(names, p));
            key(a).cmp(&key(b))
        });

        self.out.put(b"<");
        self.out.put(element.qname_str().as_bytes());
        for b in &to_render {
            match b.prefix {
                Some(p) => {
                    self.out.put(b" xmlns:");
                    self.out.put(text(names, p).as_bytes());
                }
                None => self.out.put(b" xmlns"),
            }
            self.out.put(b"=\"");
            escape_attribute(&mut self.out, text(names, b.uri));
            self.out.put(b"\"");
        }

        // Attributes in (namespace URI, local name) order; inherited `xml:*` ones come after
        // the element's own in `order` (indices past the element's count).
        let count = element.attribute_count();
        let inherited = std::mem::take(&mut self.inherited_xml);
        let mut order = std::mem::take(&mut self.order);
        order.clear();
        order.extend(0..count);
        for (i, a) in inherited.iter().enumerate() {
            let present = element
                .attributes()
                .any(|e| e.namespace == Some(XML_NS) && e.local == a.local);
            if !present {
                order.push(count + i);
            }
        }
        let key = |i: usize| -> (&str, &str) {
            match i.checked_sub(count) {
                None => element.attribute_sort_key(i),
                Some(j) => (XML_NS, inherited[j].local.as_str()),
            }
        };
        // Attributes are usually written in order already: one key per attribute says so.
        let mut previous = None;
        let in_order = order.iter().all(|&i| {
            let k = key(i);
            let fits = previous.is_none_or(|p| attribute_order(p, k).is_le());
            previous = Some(k);
            fits
        });
        if !in_order {
            order.sort_unstable_by(|&a, &b| attribute_order(key(a), key(b)));
        }
        for &i in &order {
            self.out.put(b" ");
            let value = match i.checked_sub(count) {
                None => {
                    let (name, value) = element.attribute_written(i);
                    self.out.put(name.as_bytes());
                    value
                }
                Some(j) => {
                    self.out.put(b"xml:");
                    self.out.put(inherited[j].local.as_bytes());
                    inherited[j].value.as_str()
                }
            };
            self.out.put(b"=\"");
            escape_attribute(&mut self.out, value);
            self.out.put(b"\"");
        }
        self.out.put(b">");
        self.order = order;

        self.rendered.extend_from_slice(&to_render);
        self.to_render = to_render;
    }

    pub fn end_element(&mut self, element: &Element<'_>) {
        self.out.put(b"</");
        self.out.put(element.qname_str().as_bytes());
        self.out.put(b">");
        if let Some(m) = self.marks.pop() {
            self.in_scope.truncate(m.in_scope);
            self.rendered.truncate(m.rendered);
            self.names.truncate(m.names);
        }
    }

    pub fn text(&mut self, text: &str) {
        escape_text(&mut self.out, text);
    }

    pub fn comment(&mut self, text: &str, placement: Placement) {
        if !self.method.comments() {
            return;
        }
        if placement == Placement::AfterRoot {
            self.out.put(b"\n");
        }
        self.out.put(b"<!--");
        self.out.put(text.as_bytes());
        self.out.put(b"-->");
        if placement == Placement::BeforeRoot {
            self.out.put(b"\n");
        }
    }

    pub fn processing_instruction(&mut self, target: &str, data: &str, placement: Placement) {
        if placement == Placement::AfterRoot {
            self.out.put(b"\n");
        }
        self.out.put(b"<?");
        self.out.put(target.as_bytes());
        if !data.is_empty() {
            self.out.put(b" ");
            self.out.put(data.as_bytes());
        }
        self.out.put(b"?>");
        if placement == Placement::BeforeRoot {
            self.out.put(b"\n");
        }
    }

    /// A writer for another sink that continues from this one's current context, so a
    /// subtree can be canonicalized on its own (another thread) and its bytes spliced in.
    pub fn fork<T: Sink>(&self, out: T) -> Canonicalizer<T> {
        Canonicalizer {
            method: self.method.clone(),
            out,
            names: self.names.clone(),
            in_scope: self.in_scope.clone(),
            rendered: self.rendered.clone(),
            marks: self.marks.clone(),
            inherited_xml: Vec::new(),
            to_render: Vec::new(),
            order: Vec::new(),
        }
    }

    /// Writes bytes already canonicalized by a [`fork`](Self::fork) of this writer.
    pub fn splice(&mut self, canonical: &[u8]) {
        self.out.put_block(canonical);
    }

    /// The sink, once the last event is written.
    pub fn into_sink(self) -> S {
        self.out
    }
}

/// Writes `text` with each byte that `first` or `second` finds replaced by `replacement(byte)`.
/// Two SIMD searches (memchr3 each) that remember their next hit: the byte-by-byte loop this
/// replaces was a third of canonicalizing a metadata entity, most of it certificate base64.
fn escape_with(
    out: &mut impl Sink,
    text: &str,
    first: impl Fn(&[u8]) -> Option<usize>,
    second: impl Fn(&[u8]) -> Option<usize>,
    replacement: impl Fn(u8) -> &'static [u8],
) {
    let bytes = text.as_bytes();
    let find_first = |from: usize| first(&bytes[from..]).map(|i| i + from);
    let find_second = |from: usize| second(&bytes[from..]).map(|i| i + from);
    let mut next_first = find_first(0);
    let mut next_second = find_second(0);
    let mut from = 0;
    loop {
        let i = match (next_first, next_second) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => break,
        };
        out.put(&bytes[from..i]);
        out.put(replacement(bytes[i]));
        from = i + 1;
        if next_first == Some(i) {
            next_first = find_first(from);
        }
        if next_second == Some(i) {
            next_second = find_second(from);
        }
    }
    out.put(&bytes[from..]);
}

/// Longer than this, a text goes straight to the SIMD searches.
const SHORT: usize = 64;

fn escape_text(out: &mut impl Sink, text: &str) {
    if text.len() <= SHORT && !any_byte(text.as_bytes(), [b'&', b'<', b'>', b'\r'], 0) {
        out.put(text.as_bytes());
        return;
    }
    escape_text_by_search(out, text);
}

fn escape_text_by_search(out: &mut impl Sink, text: &str) {
    escape_with(
        out,
        text,
        |s| memchr::memchr3(b'&', b'<', b'>', s),
        |s| memchr::memchr(b'\r', s),
        |b| match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            _ => b"&#xD;",
        },
    );
}

fn escape_attribute(out: &mut impl Sink, text: &str) {
    // TAB, LF and CR are the only characters below 0x0E a parsed value can hold.
    if text.len() <= SHORT && !any_byte(text.as_bytes(), [b'&', b'<', b'"'], 0x0E) {
        out.put(text.as_bytes());
        return;
    }
    escape_attribute_by_search(out, text);
}

fn escape_attribute_by_search(out: &mut impl Sink, text: &str) {
    escape_with(
        out,
        text,
        |s| memchr::memchr3(b'&', b'<', b'"', s),
        |s| memchr::memchr3(b'\t', b'\n', b'\r', s),
        |b| match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'"' => b"&quot;",
            b'\t' => b"&#x9;",
            b'\n' => b"&#xA;",
            _ => b"&#xD;",
        },
    );
}

/// Canonicalizes the subtree at `apex`, leaving out the subtree at `exclude` (the enveloped
/// signature transform).
pub fn canonicalize_subtree<S: Sink>(
    doc: &Document,
    apex: NodeId,
    exclude: Option<NodeId>,
    method: &Method,
    out: &mut S,
) {
    let mut c = Canonicalizer::for_subtree(method.clone(), out, doc, apex);
    write_subtree(doc, apex, exclude, &mut c);
}

/// Canonicalizes the whole document, comments and PIs around the root included.
pub fn canonicalize_document<S: Sink>(doc: &Document, method: &Method, out: &mut S) {
    let mut c = Canonicalizer::new(method.clone(), out);
    let mut placement = Placement::BeforeRoot;
    for &id in doc.top_level() {
        match doc.kind(id) {
            NodeKind::Element(_) => {
                write_subtree(doc, id, None, &mut c);
                placement = Placement::AfterRoot;
            }
            NodeKind::Comment(t) => c.comment(t, placement),
            NodeKind::ProcessingInstruction { target, data } => {
                c.processing_instruction(target, data, placement)
            }
            NodeKind::Text(_) => {}
        }
    }
}

/// Canonical bytes of the subtree at `apex` (convenience for tests and diagnostics).
pub fn subtree_to_vec(
    doc: &Document,
    apex: NodeId,
    exclude: Option<NodeId>,
    method: &Method,
) -> Vec<u8> {
    let mut out = Vec::new();
    canonicalize_subtree(doc, apex, exclude, method, &mut out);
    out
}

/// Writes the subtree at `id` (leaving out `exclude`) as events into `c`.
pub fn write_subtree<S: Sink>(
    doc: &Document,
    id: NodeId,
    exclude: Option<NodeId>,
    c: &mut Canonicalizer<S>,
) {
    write_subtree_where(doc, id, &|n| Some(n) != exclude, c);
}

/// Writes the nodes of the subtree at `id` for which `keep` holds (a node left out takes its
/// descendants with it).
pub fn write_subtree_where<S: Sink>(
    doc: &Document,
    id: NodeId,
    keep: &dyn Fn(NodeId) -> bool,
    c: &mut Canonicalizer<S>,
) {
    if !keep(id) {
        return;
    }
    match doc.kind(id) {
        NodeKind::Element(e) => {
            c.start_element(&e);
            for &child in e.children() {
                write_subtree_where(doc, child, keep, c);
            }
            c.end_element(&e);
        }
        NodeKind::Text(t) => c.text(t),
        NodeKind::Comment(t) => c.comment(t, Placement::Inside),
        NodeKind::ProcessingInstruction { target, data } => {
            c.processing_instruction(target, data, Placement::Inside)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::limits::Limits;

    fn doc(s: &str) -> Document {
        Document::parse(s, Limits::MESSAGE).unwrap()
    }

    fn whole(s: &str, m: &Method) -> String {
        let mut out = Vec::new();
        canonicalize_document(&doc(s), m, &mut out);
        String::from_utf8(out).unwrap()
    }

    const INC: Method = Method::Inclusive { comments: false };

    #[test]
    fn the_short_path_escapes_what_the_searches_escape() {
        // Every special byte at every position of values around the short-path limit.
        for len in [0, 1, 7, 8, 9, 15, 16, 17, SHORT - 1, SHORT, SHORT + 1] {
            for special in [
                b'&', b'<', b'>', b'"', b'\t', b'\n', b'\r', b'a', 0x0B, 0x0E,
            ] {
                for at in 0..len {
                    let mut bytes = vec![b'x'; len];
                    bytes[at] = special;
                    let text = String::from_utf8(bytes).unwrap();
                    let mut short = Vec::new();
                    escape_text(&mut short, &text);
                    let mut long = Vec::new();
                    escape_text_by_search(&mut long, &text);
                    assert_eq!(short, long, "text {text:?}");
                    let mut short = Vec::new();
                    escape_attribute(&mut short, &text);
                    let mut long = Vec::new();
                    escape_attribute_by_search(&mut long, &text);
                    assert_eq!(short, long, "attribute {text:?}");
                }
            }
        }
    }

    #[test]
    fn w3c_c14n_example_3_start_and_end_tags() {
        let input = r#"<!DOCTYPE doc [<!ATTLIST e9 attr CDATA "default">]>"#;
        // DTDs are refused, so the example runs without its default-attribute DTD.
        assert!(Document::parse(input, Limits::MESSAGE).is_err());
        let input = "<doc>\n   <e1   />\n   <e2   ></e2>\n   <e3   name = \"elem3\"   id=\"elem3\"   />\n   <e4   name=\"elem4\"   id=\"elem4\"   ></e4>\n   <e5 a:attr=\"out\" b:attr=\"sorted\" attr2=\"all\" attr=\"I'm\"\n      xmlns:b=\"http://www.ietf.org\"\n      xmlns:a=\"http://www.w3.org\"\n      xmlns=\"http://example.org\"/>\n   <e6 xmlns=\"\" xmlns:a=\"http://www.w3.org\">\n      <e7 xmlns=\"http://www.ietf.org\">\n         <e8 xmlns=\"\" xmlns:a=\"http://www.w3.org\">\n            <e9 xmlns=\"\" xmlns:a=\"http://www.ietf.org\"/>\n         </e8>\n      </e7>\n   </e6>\n</doc>";
        let expected = "<doc>\n   <e1></e1>\n   <e2></e2>\n   <e3 id=\"elem3\" name=\"elem3\"></e3>\n   <e4 id=\"elem4\" name=\"elem4\"></e4>\n   <e5 xmlns=\"http://example.org\" xmlns:a=\"http://www.w3.org\" xmlns:b=\"http://www.ietf.org\" attr=\"I'm\" attr2=\"all\" b:attr=\"sorted\" a:attr=\"out\"></e5>\n   <e6 xmlns:a=\"http://www.w3.org\">\n      <e7 xmlns=\"http://www.ietf.org\">\n         <e8 xmlns=\"\">\n            <e9 xmlns:a=\"http://www.ietf.org\"></e9>\n         </e8>\n      </e7>\n   </e6>\n</doc>";
        assert_eq!(whole(input, &INC), expected);
    }

    #[test]
    fn w3c_c14n_example_4_character_modifications() {
        let input = "<doc>\n   <text>First line&#x0d;&#10;Second line</text>\n   <value>&#x32;</value>\n   <compute><![CDATA[value>\"0\" && value<\"10\" ?\"valid\":\"error\"]]></compute>\n   <compute expr='value>\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"'>valid</compute>\n   <norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>\n</doc>";
        let expected = "<doc>\n   <text>First line&#xD;\nSecond line</text>\n   <value>2</value>\n   <compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>\n   <compute expr=\"value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;\">valid</compute>\n   <norm attr=\" '    &#xD;&#xA;&#x9;   ' \"></norm>\n</doc>";
        assert_eq!(whole(input, &INC), expected);
    }

    #[test]
    fn w3c_c14n_example_1_pis_comments_outside_root() {
        let input = "<?xml version=\"1.0\"?>\n\n<?xml-stylesheet   href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n\n<doc>Hello, world!<!-- Comment 1 --></doc>\n\n<?pi-without-data     ?>\n\n<!-- Comment 2 -->\n\n<!-- Comment 3 -->";
        let without = "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!</doc>\n<?pi-without-data?>";
        assert_eq!(whole(input, &INC), without);
        let with = "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!<!-- Comment 1 --></doc>\n<?pi-without-data?>\n<!-- Comment 2 -->\n<!-- Comment 3 -->";
        assert_eq!(whole(input, &Method::Inclusive { comments: true }), with);
    }

    #[test]
    fn exclusive_renders_only_visibly_used_namespaces() {
        let d =
            doc(r#"<r xmlns:a="urn:a" xmlns:b="urn:b" xmlns="urn:d"><a:x b:at="1"><y/></a:x></r>"#);
        let x = d.child_elements(d.root()).next().unwrap();
        let exc = Method::from_uri(EXC_C14N).unwrap();
        assert_eq!(
            String::from_utf8(subtree_to_vec(&d, x, None, &exc)).unwrap(),
            r#"<a:x xmlns:a="urn:a" xmlns:b="urn:b" b:at="1"><y xmlns="urn:d"></y></a:x>"#
        );
        let inc = String::from_utf8(subtree_to_vec(&d, x, None, &INC)).unwrap();
        assert_eq!(
            inc,
            r#"<a:x xmlns="urn:d" xmlns:a="urn:a" xmlns:b="urn:b" b:at="1"><y></y></a:x>"#
        );
        let listed = exc.clone().with_prefix_list("#default");
        assert_eq!(
            String::from_utf8(subtree_to_vec(&d, x, None, &listed)).unwrap(),
            r#"<a:x xmlns="urn:d" xmlns:a="urn:a" xmlns:b="urn:b" b:at="1"><y></y></a:x>"#
        );
    }

    #[test]
    fn exclusive_undeclares_default_only_when_an_ancestor_rendered_one() {
        let d = doc(r#"<r xmlns="urn:d"><s xmlns=""><t/></s></r>"#);
        let exc = Method::from_uri(EXC_C14N).unwrap();
        assert_eq!(
            String::from_utf8(subtree_to_vec(&d, d.root(), None, &exc)).unwrap(),
            r#"<r xmlns="urn:d"><s xmlns=""><t></t></s></r>"#
        );
        let s = d.child_elements(d.root()).next().unwrap();
        assert_eq!(
            String::from_utf8(subtree_to_vec(&d, s, None, &exc)).unwrap(),
            "<s><t></t></s>"
        );
    }

    #[test]
    fn subtree_inherits_xml_attributes_only_inclusively() {
        let d = doc(r#"<r xml:lang="en" xml:space="preserve"><s xml:lang="de"><t/></s></r>"#);
        let s = d.child_elements(d.root()).next().unwrap();
        assert_eq!(
            String::from_utf8(subtree_to_vec(&d, s, None, &INC)).unwrap(),
            r#"<s xml:lang="de" xml:space="preserve"><t></t></s>"#
        );
        let exc = Method::from_uri(EXC_C14N).unwrap();
        assert_eq!(
            String::from_utf8(subtree_to_vec(&d, s, None, &exc)).unwrap(),
            r#"<s xml:lang="de"><t></t></s>"#
        );
    }

    #[test]
    fn excluded_subtree_is_left_out() {
        let d =
            doc(r#"<r ID="1"><a/><ds:Signature xmlns:ds="urn:ds"><ds:x/></ds:Signature><b/></r>"#);
        let sig = d.child_elements(d.root()).nth(1).unwrap();
        let exc = Method::from_uri(EXC_C14N).unwrap();
        assert_eq!(
            String::from_utf8(subtree_to_vec(&d, d.root(), Some(sig), &exc)).unwrap(),
            r#"<r ID="1"><a></a><b></b></r>"#
        );
    }

    #[test]
    fn escapes_interleaved_special_characters_of_both_searches() {
        // Text: `&<>` are one search, CR the other; attributes: `&<"` and TAB/LF/CR.
        assert_eq!(
            whole(
                "<r a=\"&#9;x&amp;&#13;&#10;&quot;&lt;y&#9;\">&#13;&amp;&#13;a&lt;&#13;&gt;b&#13;</r>",
                &INC
            ),
            "<r a=\"&#x9;x&amp;&#xD;&#xA;&quot;&lt;y&#x9;\">&#xD;&amp;&#xD;a&lt;&#xD;&gt;b&#xD;</r>"
        );
        assert_eq!(
            whole("<r a=\"no specials\">none here</r>", &INC),
            "<r a=\"no specials\">none here</r>"
        );
    }
}
