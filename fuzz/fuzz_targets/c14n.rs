//! Canonicalization of every subtree and of the whole document, with Canonical XML 1.0 and
//! Exclusive XML Canonicalization 1.0, each with and without comments (and the exclusive one
//! with and without an InclusiveNamespaces PrefixList). Besides "no panic", it checks:
//!
//! 1. Determinism: canonicalizing the same input twice gives the same bytes.
//! 2. Idempotence for whole documents: the canonical form of a document is UTF-8, parses again,
//!    and canonicalizes (same method) to the same bytes. A canonical form is a fixed point of
//!    its own algorithm; the comment-keeping methods lose nothing, the comment-dropping ones
//!    drop comments in the first pass already. Reparsing uses relaxed size limits: canonical
//!    output may legitimately be larger than its input (escaped characters, namespace
//!    declarations the exclusive method repeats on each element that uses them).
//! 3. A document whose only top-level node is its root element canonicalizes exactly like the
//!    root's subtree (the document-level comments/PIs are the only difference).
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlcheck::xml::c14n::{canonicalize_document, canonicalize_subtree, Method};
use samlcheck::xml::{Document, Limits};

/// Limits for reparsing canonical output (see 2. above); depth is unchanged by c14n.
const RELAXED: Limits = Limits {
    max_bytes: usize::MAX,
    max_depth: Limits::MESSAGE.max_depth,
    max_attributes: usize::MAX,
    max_nodes: usize::MAX,
};

fn methods(doc: &Document) -> Vec<Method> {
    // An InclusiveNamespaces PrefixList taken from the document itself (the prefixes declared
    // on the root, plus #default), so it names prefixes that are really in scope.
    let mut prefixes: Vec<Option<String>> = vec![None];
    if let Some(root) = doc.element(doc.root()) {
        for d in root.ns_decls().take(4) {
            let prefix = d.prefix.map(str::to_string);
            if prefix.is_some() && !prefixes.contains(&prefix) {
                prefixes.push(prefix);
            }
        }
    }
    vec![
        Method::Inclusive { comments: false },
        Method::Inclusive { comments: true },
        Method::Exclusive { comments: false, prefixes: Vec::new() },
        Method::Exclusive { comments: true, prefixes: Vec::new() },
        Method::Exclusive { comments: false, prefixes: prefixes.clone() },
        Method::Exclusive { comments: true, prefixes },
    ]
}

fn document_bytes(doc: &Document, method: &Method) -> Vec<u8> {
    let mut out = Vec::new();
    canonicalize_document(doc, method, &mut out);
    out
}

fn subtree_bytes(doc: &Document, apex: samlcheck::xml::NodeId, method: &Method) -> Vec<u8> {
    let mut out = Vec::new();
    canonicalize_subtree(doc, apex, None, method, &mut out);
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = Document::parse_bytes(data, Limits::MESSAGE) else {
        return;
    };
    let methods = methods(&doc);
    let elements: Vec<_> = doc.elements().collect();

    for method in &methods {
        assert_eq!(Method::from_uri(method.uri()).map(|m| m.uri()), Some(method.uri()));

        // Every subtree, twice for determinism.
        for &id in &elements {
            let once = subtree_bytes(&doc, id, method);
            let twice = subtree_bytes(&doc, id, method);
            assert!(once == twice, "{method:?}: subtree c14n is not deterministic");
            assert!(std::str::from_utf8(&once).is_ok(), "{method:?}: subtree c14n is not UTF-8");
        }

        // The whole document.
        let first = document_bytes(&doc, method);
        assert!(first == document_bytes(&doc, method), "{method:?}: document c14n is not deterministic");
        if doc.top_level().len() == 1 {
            let root = subtree_bytes(&doc, doc.root(), method);
            assert!(
                first == root,
                "{method:?}: document and root subtree differ\n doc: {:?}\nroot: {:?}",
                String::from_utf8_lossy(&first),
                String::from_utf8_lossy(&root)
            );
        }

        // Idempotence: the canonical form reparses and is its own canonical form.
        let text = std::str::from_utf8(&first)
            .unwrap_or_else(|e| panic!("{method:?}: document c14n is not UTF-8: {e}"));
        let again = match Document::parse(text, RELAXED) {
            Ok(d) => d,
            Err(e) => panic!(
                "{method:?}: canonical form does not reparse: {e:?}\ninput: {:?}\ncanonical: {text:?}",
                String::from_utf8_lossy(data)
            ),
        };
        let second = document_bytes(&again, method);
        assert!(
            first == second,
            "{method:?}: c14n is not idempotent\n  input: {:?}\n  first: {:?}\n second: {:?}",
            String::from_utf8_lossy(data),
            String::from_utf8_lossy(&first),
            String::from_utf8_lossy(&second)
        );
    }
});
