//! Canonicalization against published vectors.
//!
//! 1. libxml2's own canonicalization vectors (`../shared/interop/libxml2-c14n`, see its README):
//!    every case is classified — run over the whole document, run as a subtree (its XPath selects
//!    exactly one element's subtree, which is what a SAML `#id` Reference selects), refused by
//!    design (DOCTYPE), or skipped with a stated reason — and the classification itself is
//!    asserted, so no case can drift from "checked" to "skipped" unnoticed.
//! 2. The W3C specification examples not already covered by the unit tests in `src/xml/c14n.rs`
//!    (Canonical XML 1.0 sections 3.2, 3.5, 3.6; Exclusive XML Canonicalization section 2.2),
//!    written out here from the specifications.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use samlcheck::xml::c14n::{canonicalize_document, canonicalize_subtree, Method};
use samlcheck::xml::{Document, Limits, NodeId, XmlErrorKind};

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/interop/libxml2-c14n"
);

const NEEDS_XPATH: &str = "needs an XPath node-set";
const HAS_DOCTYPE: &str = "has a DOCTYPE: refused by design";
const C14N_11: &str = "C14N 1.1 not implemented";

/// What happened to one vector.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// The whole document was canonicalized and matched the expected bytes.
    Whole,
    /// The whole document matched after its (refused) non-UTF-8 XML declaration was dropped.
    WholeWithoutDeclaration,
    /// The subtree at the named element matched (its XPath is `ancestor-or-self::QNAME`).
    Subtree(String),
    /// Not run, for the reason given.
    Skipped(&'static str),
}

fn read(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

fn method_for(mode: &str, ns_file: Option<Vec<u8>>) -> Method {
    match mode {
        "without-comments" => Method::Inclusive { comments: false },
        "with-comments" => Method::Inclusive { comments: true },
        "exc-without-comments" => {
            let list = ns_file.map(|b| String::from_utf8(b).expect("the .ns file is UTF-8"));
            Method::Exclusive {
                comments: false,
                prefixes: Vec::new(),
            }
            .with_prefix_list(list.as_deref().unwrap_or(""))
        }
        other => panic!("no method for mode {other}"),
    }
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Classifies an XPath file: `Ok(None)` selects the whole document, `Ok(Some((ns, local)))` is
/// `(//. | //@* | //namespace::*)[ancestor-or-self::QNAME]`, `Err(())` is anything else.
#[allow(clippy::type_complexity)]
fn classify_xpath(xpath_file: &[u8]) -> Result<Option<(Option<String>, String)>, ()> {
    let xdoc = Document::parse_bytes(xpath_file, Limits::MESSAGE).map_err(|_| ())?;
    // The expression is the XPath element's text; comments inside it are not part of it.
    let expr: String = xdoc
        .text(xdoc.root())
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    const ALL: &str = "(//.|//@*|//namespace::*)";
    if expr == ALL {
        return Ok(None);
    }
    let qname = expr
        .strip_prefix(ALL)
        .and_then(|r| r.strip_prefix("[ancestor-or-self::"))
        .and_then(|r| r.strip_suffix(']'))
        .filter(|q| {
            q.chars()
                .all(|c| c.is_alphanumeric() || c == ':' || c == '_' || c == '-')
        })
        .ok_or(())?;
    match qname.split_once(':') {
        // An unprefixed name in XPath 1.0 is in no namespace.
        None => Ok(Some((None, qname.to_string()))),
        Some((prefix, local)) => {
            let ns = xdoc
                .in_scope_namespaces(xdoc.root())
                .into_iter()
                .find(|d| d.prefix == Some(prefix))
                .map(|d| d.uri.to_string())
                .expect("the XPath's prefix is declared on the XPath element");
            Ok(Some((Some(ns), local.to_string())))
        }
    }
}

/// The single outermost element named `{ns}local`, whose subtree is then exactly the node-set of
/// `ancestor-or-self::QNAME`; `None` if there are several (a union of subtrees) or none.
fn apex(doc: &Document, ns: Option<&str>, local: &str) -> Option<NodeId> {
    let matches = |id: NodeId| {
        doc.element(id)
            .is_some_and(|e| e.local() == local && e.namespace() == ns)
    };
    let outermost: Vec<NodeId> = doc
        .elements()
        .filter(|&id| matches(id))
        .filter(|&id| {
            let mut cur = doc.parent(id);
            while let Some(p) = cur {
                if matches(p) {
                    return false;
                }
                cur = doc.parent(p);
            }
            true
        })
        .collect();
    (outermost.len() == 1).then(|| outermost[0])
}

fn run_case(root: &Path, mode: &str, name: &str) -> Outcome {
    if mode == "1-1-without-comments" {
        return Outcome::Skipped(C14N_11);
    }
    let dir = root.join("test/c14n").join(mode);
    let input = read(&dir.join(format!("{name}.xml"))).expect("input readable");
    let xpath = read(&dir.join(format!("{name}.xpath")));
    let ns_file = read(&dir.join(format!("{name}.ns")));
    let expected_path = root.join("result/c14n").join(mode).join(name);

    let parsed = Document::parse_bytes(&input, Limits::MESSAGE);
    let mut outcome_if_whole = Outcome::Whole;
    let doc = match parsed {
        Ok(doc) => doc,
        Err(e) if e.kind == XmlErrorKind::Doctype => {
            assert!(
                show(&input).contains("<!DOCTYPE"),
                "{mode}/{name}: refused as DOCTYPE but has none"
            );
            return Outcome::Skipped(HAS_DOCTYPE);
        }
        Err(e) if matches!(e.kind, XmlErrorKind::UnsupportedEncoding(_)) => {
            // Canonical XML 1.0 section 3.6 (ISO-8859-1 input). We accept only UTF-8 and refuse
            // the declaration as we must; the bytes after it are ASCII, identical in UTF-8, and
            // the declaration is never part of canonical output, so the rest is still checked.
            let text = show(&input);
            let decl_end = text.find("?>").expect("an XML declaration") + 2;
            assert!(text.starts_with("<?xml "), "{mode}/{name}");
            assert!(text.is_ascii(), "{mode}/{name}");
            outcome_if_whole = Outcome::WholeWithoutDeclaration;
            Document::parse(&text[decl_end..], Limits::MESSAGE)
                .unwrap_or_else(|e| panic!("{mode}/{name} without its declaration: {e}"))
        }
        Err(e) => panic!("{mode}/{name}: unexpected parse error {e}"),
    };

    let method = method_for(mode, ns_file);
    let mut out = Vec::new();
    let outcome = match xpath.as_deref().map(classify_xpath) {
        None | Some(Ok(None)) => {
            canonicalize_document(&doc, &method, &mut out);
            outcome_if_whole
        }
        Some(Ok(Some((ns, local)))) => match apex(&doc, ns.as_deref(), &local) {
            Some(id) => {
                canonicalize_subtree(&doc, id, None, &method, &mut out);
                Outcome::Subtree(doc.element(id).unwrap().qname())
            }
            None => return Outcome::Skipped(NEEDS_XPATH),
        },
        Some(Err(())) => return Outcome::Skipped(NEEDS_XPATH),
    };
    let expected = read(&expected_path).unwrap_or_else(|| {
        panic!(
            "{mode}/{name}: no expected result at {}",
            expected_path.display()
        )
    });
    assert_eq!(
        show(&out),
        show(&expected),
        "{mode}/{name} ({outcome:?}) differs from libxml2's expected bytes"
    );
    assert_eq!(out, expected, "{mode}/{name}: bytes differ");
    outcome
}

fn case_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|f| f.strip_suffix(".xml").map(str::to_string))
        .collect();
    names.sort();
    names
}

#[test]
fn libxml2_vectors() {
    let root = PathBuf::from(VECTORS);
    if !root.is_dir() {
        println!("skipped: interop vectors not present ({VECTORS})");
        return;
    }
    let mut modes: Vec<String> = std::fs::read_dir(root.join("test/c14n"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    modes.sort();
    assert_eq!(
        modes,
        [
            "1-1-without-comments",
            "exc-without-comments",
            "with-comments",
            "without-comments"
        ],
        "a new mode appeared in the vectors"
    );

    let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
    for mode in &modes {
        for name in case_names(&root.join("test/c14n").join(mode)) {
            let outcome = run_case(&root, mode, &name);
            outcomes.insert(format!("{mode}/{name}"), outcome);
        }
    }

    let mut expected: BTreeMap<String, Outcome> = BTreeMap::new();
    let mut expect = |mode: &str, names: &[&str], outcome: Outcome| {
        for n in names {
            assert!(expected
                .insert(format!("{mode}/{n}"), outcome.clone())
                .is_none());
        }
    };
    for mode in ["without-comments", "with-comments"] {
        expect(mode, &["example-2"], Outcome::Whole);
        expect(mode, &["example-6"], Outcome::WholeWithoutDeclaration);
        let doctype = [
            "example-1",
            "example-3",
            "example-4",
            "example-5",
            "example-7",
        ];
        expect(mode, &doctype, Outcome::Skipped(HAS_DOCTYPE));
    }
    let m = "without-comments";
    expect(
        m,
        &["merlin-c14n-two-00"],
        Outcome::Subtree("bar:Something".into()),
    );
    expect(m, &["test-2"], Outcome::Subtree("n1:elem2".into()));
    expect(
        m,
        &["test-0", "test-1", "test-3"],
        Outcome::Skipped(HAS_DOCTYPE),
    );
    let merlin = |r: std::ops::RangeInclusive<u32>| -> Vec<String> {
        r.map(|i| format!("merlin-c14n-two-{i:02}")).collect()
    };
    let node_sets = merlin(1..=8);
    expect(
        m,
        &node_sets.iter().map(String::as_str).collect::<Vec<_>>(),
        Outcome::Skipped(NEEDS_XPATH),
    );
    let m = "exc-without-comments";
    expect(
        m,
        &["merlin-c14n-two-09"],
        Outcome::Subtree("bar:Something".into()),
    );
    expect(
        m,
        &["merlin-c14n-two-18"],
        Outcome::Subtree("bar:Something".into()),
    );
    expect(m, &["test-2"], Outcome::Subtree("SignedInfo".into()));
    expect(m, &["test-0", "test-1"], Outcome::Skipped(HAS_DOCTYPE));
    let node_sets: Vec<String> = merlin(10..=17).into_iter().chain(merlin(19..=26)).collect();
    expect(
        m,
        &node_sets.iter().map(String::as_str).collect::<Vec<_>>(),
        Outcome::Skipped(NEEDS_XPATH),
    );
    let c14n11 = [
        "example-1",
        "example-2",
        "example-3",
        "example-4",
        "example-5",
        "example-6",
        "example-7",
        "example-8",
        "xmlbase-c14n11spec-102",
        "xmlbase-c14n11spec2-102",
        "xmlbase-c14n11spec3-102",
        "xmlbase-prop-1",
        "xmlbase-prop-2",
        "xmlbase-prop-3",
        "xmlbase-prop-4",
        "xmlbase-prop-5",
        "xmlbase-prop-6",
        "xmlbase-prop-7",
        "xmlid-prop-1",
        "xmlid-prop-2",
        "xmllang-prop-1",
        "xmllang-prop-2",
        "xmllang-prop-3",
        "xmllang-prop-4",
        "xmlspace-prop-1",
        "xmlspace-prop-2",
        "xmlspace-prop-3",
        "xmlspace-prop-4",
    ];
    expect("1-1-without-comments", &c14n11, Outcome::Skipped(C14N_11));

    let checked = outcomes
        .values()
        .filter(|o| !matches!(o, Outcome::Skipped(_)))
        .count();
    println!(
        "libxml2 c14n vectors: {} cases, {checked} checked byte for byte",
        outcomes.len()
    );
    for (name, outcome) in &outcomes {
        println!("  {name}: {outcome:?}");
    }
    assert_eq!(
        outcomes, expected,
        "the classification of the vectors changed"
    );
}

// ---------------------------------------------------------------------------------------------
// W3C specification examples missing from the unit tests in src/xml/c14n.rs. (Those cover
// Canonical XML 1.0 sections 3.1, 3.3 and 3.4; 3.7 needs an XPath node-set.)

const INC: Method = Method::Inclusive { comments: false };
const INC_COMMENTS: Method = Method::Inclusive { comments: true };

fn exc(comments: bool) -> Method {
    Method::Exclusive {
        comments,
        prefixes: Vec::new(),
    }
}

fn whole(src: &str, method: &Method) -> String {
    let doc = Document::parse(src, Limits::MESSAGE).unwrap();
    let mut out = Vec::new();
    canonicalize_document(&doc, method, &mut out);
    String::from_utf8(out).unwrap()
}

fn subtree(doc: &Document, id: NodeId, method: &Method) -> String {
    let mut out = Vec::new();
    canonicalize_subtree(doc, id, None, method, &mut out);
    String::from_utf8(out).unwrap()
}

/// The element with qualified name `qname` (the first in document order).
fn find(doc: &Document, qname: &str) -> NodeId {
    doc.elements()
        .find(|&id| doc.element(id).unwrap().qname() == qname)
        .unwrap()
}

/// Canonical XML 1.0, 3.2 Whitespace in Document Content: all whitespace inside the document
/// element is kept (no DTD declares any of it ignorable); the canonical form equals the input.
#[test]
fn w3c_c14n_3_2_whitespace_in_document_content() {
    let input = "<doc>\n   <clean>   </clean>\n   <dirty>   A   B   </dirty>\n   <mixed>\n      A\n      <clean>   </clean>\n      B\n      <dirty>   A   B   </dirty>\n      C\n   </mixed>\n</doc>";
    for m in [INC, INC_COMMENTS, exc(false), exc(true)] {
        assert_eq!(whole(input, &m), input, "{m:?}");
    }
    // Whitespace outside the document element is dropped; a trailing newline is not output.
    assert_eq!(whole(&format!("\n\n{input}\n\n"), &INC), input);
}

/// Canonical XML 1.0, 3.5 Entity References: the example needs a DTD (internal and external
/// entities, a NOTATION); we refuse any DOCTYPE, so the example must be refused, not mangled.
#[test]
fn w3c_c14n_3_5_entity_references_are_refused_with_their_dtd() {
    let input = "<!DOCTYPE doc [\n<!ATTLIST doc attrExtEnt ENTITY #IMPLIED>\n<!ENTITY ent1 \"Hello\">\n<!ENTITY ent2 SYSTEM \"world.txt\">\n<!ENTITY entExt SYSTEM \"earth.gif\" NDATA gif>\n<!NOTATION gif SYSTEM \"viewgif.exe\">\n]>\n<doc attrExtEnt=\"entExt\">\n   &ent1;, &ent2;!\n</doc>\n\n<!-- Let world.txt contain \"world\" (excluding the quotes) -->";
    let err = Document::parse(input, Limits::MESSAGE).unwrap_err();
    assert_eq!(err.kind, XmlErrorKind::Doctype);
    // Without the DTD the entities are undefined: refused too, never output as-is.
    let bare = &input[input.find("<doc").unwrap()..];
    let err = Document::parse(bare, Limits::MESSAGE).unwrap_err();
    assert_eq!(err.kind, XmlErrorKind::UndefinedEntity("ent1".into()));
}

/// Canonical XML 1.0, 3.6 UTF-8 Encoding: `&#169;` becomes the two UTF-8 bytes C2 A9. The spec's
/// input declares ISO-8859-1, which we refuse (UTF-8 only); the same document declared UTF-8 or
/// without a declaration gives the spec's output.
#[test]
fn w3c_c14n_3_6_utf8_encoding() {
    let latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<doc>&#169;</doc>";
    let err = Document::parse(latin1, Limits::MESSAGE).unwrap_err();
    assert_eq!(
        err.kind,
        XmlErrorKind::UnsupportedEncoding("ISO-8859-1".into())
    );
    for input in [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doc>&#169;</doc>",
        "<doc>&#169;</doc>",
        "<doc>\u{A9}</doc>",
    ] {
        let doc = Document::parse(input, Limits::MESSAGE).unwrap();
        let mut out = Vec::new();
        canonicalize_document(&doc, &INC, &mut out);
        assert_eq!(out, b"<doc>\xC2\xA9</doc>", "{input}");
    }
}

const EXC_DOC_1: &str = "<n0:local xmlns:n0=\"foo:bar\" xmlns:n3=\"ftp://example.org\">\n   <n1:elem2 xmlns:n1=\"http://example.net\" xml:lang=\"en\">\n       <n3:stuff xmlns:n3=\"ftp://example.org\"/>\n   </n1:elem2>\n</n0:local>";

const EXC_DOC_2: &str = "<n2:pdu xmlns:n1=\"http://example.com\"\n        xmlns:n2=\"http://foo.example\"\n        xml:lang=\"fr\"\n        xml:space=\"retain\">\n   <n1:elem2 xmlns:n1=\"http://example.net\" xml:lang=\"en\">\n       <n3:stuff xmlns:n3=\"ftp://example.org\"/>\n   </n1:elem2>\n</n2:pdu>";

/// Exclusive XML Canonicalization 1.0, 2.2 "General Problems with re-Enveloping": the same
/// `n1:elem2` payload in two envelopes. Canonical XML drags in each envelope's context, so the
/// two differ; Exclusive canonicalization gives identical bytes for both.
#[test]
fn w3c_exc_c14n_2_2_reenveloping() {
    let d1 = Document::parse(EXC_DOC_1, Limits::MESSAGE).unwrap();
    let d2 = Document::parse(EXC_DOC_2, Limits::MESSAGE).unwrap();
    let e1 = find(&d1, "n1:elem2");
    let e2 = find(&d2, "n1:elem2");

    assert_eq!(
        subtree(&d1, e1, &INC),
        "<n1:elem2 xmlns:n0=\"foo:bar\" xmlns:n1=\"http://example.net\" xmlns:n3=\"ftp://example.org\" xml:lang=\"en\">\n       <n3:stuff></n3:stuff>\n   </n1:elem2>"
    );
    assert_eq!(
        subtree(&d2, e2, &INC),
        "<n1:elem2 xmlns:n1=\"http://example.net\" xmlns:n2=\"http://foo.example\" xml:lang=\"en\" xml:space=\"retain\">\n       <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n   </n1:elem2>"
    );
    let exclusive = "<n1:elem2 xmlns:n1=\"http://example.net\" xml:lang=\"en\">\n       <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n   </n1:elem2>";
    for comments in [false, true] {
        assert_eq!(subtree(&d1, e1, &exc(comments)), exclusive);
        assert_eq!(subtree(&d2, e2, &exc(comments)), exclusive);
    }
}

/// Exclusive XML Canonicalization 1.0, section 3 (InclusiveNamespaces PrefixList): a listed
/// prefix is treated as Canonical XML treats it — rendered at the apex if in scope, even when not
/// visibly utilized — while unlisted, unused prefixes stay out; `#default` names the default
/// namespace; a listed prefix that is not in scope renders nothing.
#[test]
fn w3c_exc_c14n_3_inclusive_namespaces_prefix_list() {
    let d2 = Document::parse(EXC_DOC_2, Limits::MESSAGE).unwrap();
    let e2 = find(&d2, "n1:elem2");
    let listed = exc(false).with_prefix_list("n2 n9");
    assert_eq!(
        subtree(&d2, e2, &listed),
        "<n1:elem2 xmlns:n1=\"http://example.net\" xmlns:n2=\"http://foo.example\" xml:lang=\"en\">\n       <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n   </n1:elem2>"
    );

    let doc = Document::parse(
        "<r xmlns=\"urn:d\" xmlns:p=\"urn:p\"><p:s><t/><p:u xmlns=\"\"/></p:s></r>",
        Limits::MESSAGE,
    )
    .unwrap();
    let s = find(&doc, "p:s");
    // Unlisted: the default namespace is first used by t, and rendered there.
    assert_eq!(
        subtree(&doc, s, &exc(false)),
        "<p:s xmlns:p=\"urn:p\"><t xmlns=\"urn:d\"></t><p:u></p:u></p:s>"
    );
    // Listed: rendered at the apex, so t needs nothing, and p:u, which undeclares the default
    // namespace, must now render xmlns="" because an output ancestor rendered a default.
    assert_eq!(
        subtree(&doc, s, &exc(false).with_prefix_list("#default")),
        "<p:s xmlns=\"urn:d\" xmlns:p=\"urn:p\"><t></t><p:u xmlns=\"\"></p:u></p:s>"
    );
}
