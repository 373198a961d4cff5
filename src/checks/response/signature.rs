//! Which signature covers the assertion that would be consumed, and what is wrong with the rest.

use crate::checks::catalog::{SIGNATURE_MISSING, SIGNATURE_WEAK_ALGORITHM, SIGNATURE_WRAPPING};
use crate::checks::{catalog, Finding, Location};
use crate::saml::ns;
use crate::xml::dsig::{
    verify_signature, DigestHint, SignatureCheck, SignatureFailure, TrustedKey, Verified, DSIG_NS,
};
use crate::xml::enc::Decrypted;
use crate::xml::{Document, NodeId};

/// What the signatures of a Response establish.
pub struct Coverage<'d> {
    /// The proof covering the consumed assertion, if any.
    pub proof: Option<Verified<'d>>,
    pub checks: Vec<SignatureCheck<'d>>,
}

/// Signatures that SAML places: direct children of a Response or an Assertion.
fn saml_signatures(doc: &Document) -> Vec<NodeId> {
    doc.elements()
        .filter(|&n| doc.element(n).is_some_and(|e| e.is(DSIG_NS, "Signature")))
        .filter(|&n| {
            doc.parent(n)
                .and_then(|p| doc.element(p))
                .is_some_and(|p| p.is(ns::PROTOCOL, "Response") || p.is(ns::ASSERTION, "Assertion"))
        })
        .collect()
}

fn failure_finding(
    doc: &Document,
    check: &SignatureCheck<'_>,
    failure: &SignatureFailure,
    keys: &[TrustedKey],
) -> Finding {
    let rule = catalog::rule(failure.rule()).unwrap_or(&catalog::SIGNATURE_INVALID);
    let signed = check
        .referenced
        .map(|r| doc.path(r))
        .or_else(|| doc.parent(check.signature).map(|p| doc.path(p)))
        .unwrap_or_default();
    let mut f = Finding::new(rule, format!("signature on {signed}: {failure}"))
        .at(Location::of_node(doc, check.signature));
    match failure {
        SignatureFailure::UntrustedKey { embedded, trusted } => {
            f = f
                .expected(match trusted.len() {
                    0 => "a certificate from the IdP metadata (it lists none)".to_string(),
                    1 => format!("the metadata certificate SHA-256 {}", trusted[0].sha256),
                    n => format!("one of the {n} metadata certificates"),
                })
                .found(format!("signed by SHA-256 {}", embedded.sha256))
                .note(format!("signed by (KeyInfo): {embedded}"));
            for (i, t) in trusted.iter().enumerate() {
                f = f.note(format!("metadata certificate {}: {t}", i + 1));
            }
            if trusted.is_empty() {
                f = f.note("the metadata lists no signing certificate at all");
            }
        }
        SignatureFailure::DigestMismatch {
            expected,
            computed,
            hint,
            ..
        } => {
            f = f
                .expected(format!("digest {expected}"))
                .found(format!("digest {computed}"));
            match hint {
                Some(DigestHint::Reformatted) => {
                    f = f
                        .note("the digest matches once the whitespace between elements is removed: the XML was pretty-printed or re-indented after signing")
                        .fix("Use the response exactly as the IdP posted it (the raw SAMLResponse form value), not a reformatted copy.");
                }
                Some(DigestHint::OtherCanonicalization(uri)) => {
                    f = f.note(format!("the digest matches under canonicalization {uri}, not the one the signature declares: the IdP's signer is inconsistent"));
                }
                None => {}
            }
        }
        SignatureFailure::BadSignatureValue {
            embedded,
            trusted_count,
        } => {
            if let Some(cert) = embedded {
                f = f.note(format!("KeyInfo names a trusted certificate ({cert}), yet the value does not verify: the SignatureValue was altered or the signer is broken"));
            } else {
                f = f.note(format!("none of the {trusted_count} metadata certificate(s) verifies it, and the message carries no usable certificate of its own"));
            }
            for (i, k) in keys.iter().enumerate() {
                f = f.note(format!("metadata certificate {}: {}", i + 1, k.info()));
            }
        }
        _ => {}
    }
    f
}

/// IDs must be unique in the whole document, not only the one a Reference names: another
/// processor could resolve a duplicated ID to a different element.
fn duplicate_ids(doc: &Document, checks: &[SignatureCheck<'_>], findings: &mut Vec<Finding>) {
    // A handful of IDs per message: sorting them beats hashing them.
    let mut ids: Vec<(&str, NodeId)> = doc.id_attributes().map(|(n, v)| (v, n)).collect();
    ids.sort_by(|a, b| a.0.cmp(b.0));
    let mut seen: Vec<(&str, Vec<NodeId>)> = Vec::new();
    for (value, node) in ids {
        match seen.last_mut() {
            Some((last, nodes)) if *last == value => nodes.push(node),
            _ => seen.push((value, vec![node])),
        }
    }
    let already: Vec<&str> = checks
        .iter()
        .filter_map(|c| match &c.result {
            Err(SignatureFailure::DuplicateId { id, .. }) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let mut duplicated: Vec<(&str, Vec<NodeId>)> = seen
        .into_iter()
        .filter(|(id, nodes)| nodes.len() > 1 && !already.contains(id))
        .collect();
    duplicated.sort_by_key(|(_, nodes)| nodes[1]);
    for (id, nodes) in duplicated {
        let paths: Vec<String> = nodes.iter().map(|&n| doc.path(n)).collect();
        findings.push(
            Finding::new(
                &SIGNATURE_WRAPPING,
                format!(
                    "the ID {id:?} is carried by {} elements; IDs must be unique in the document",
                    nodes.len()
                ),
            )
            .expected("each ID on one element")
            .found(paths.join(", "))
            .at(Location::of_node(doc, nodes[1])),
        );
    }
}

/// Verifies every SAML-placed signature of `doc`.
pub fn verify_all<'d>(doc: &'d Document, keys: &[TrustedKey]) -> Vec<SignatureCheck<'d>> {
    saml_signatures(doc)
        .into_iter()
        .map(|s| verify_signature(doc, s, keys))
        .collect()
}

/// The signatures of a decrypted document. Those inside the plaintext are verified there; the
/// others were verified on the document as received (`received`, from [`verify_all`]), whose
/// bytes they sign, and are carried over: a Response signature over the EncryptedAssertion
/// thereby covers the assertion decrypted from it.
pub fn carry_checks<'a, 'o>(
    decrypted: &'a Decrypted<'o>,
    received: &[SignatureCheck<'o>],
    keys: &[TrustedKey],
) -> Vec<SignatureCheck<'a>> {
    let doc = decrypted.document();
    saml_signatures(doc)
        .into_iter()
        .filter_map(|s| {
            if decrypted.in_plaintext(s) {
                return Some(verify_signature(doc, s, keys));
            }
            let original = decrypted.to_original(s)?;
            let c = received.iter().find(|c| c.signature == original)?;
            let result = match &c.result {
                Ok(proof) => decrypted.carry(proof).ok_or_else(|| {
                    SignatureFailure::Malformed(
                        "the signature does not carry over to the decrypted assertion".into(),
                    )
                }),
                Err(failure) => Err(failure.clone()),
            };
            Some(SignatureCheck {
                signature: s,
                referenced: c
                    .referenced
                    .map(|r| decrypted.to_decrypted(r).unwrap_or(decrypted.container())),
                algorithm: c.algorithm,
                digest: c.digest,
                result,
            })
        })
        .collect()
}

/// Verifies every SAML-placed signature and decides whether `consumed` is covered.
pub fn check<'d>(
    doc: &'d Document,
    consumed: Option<NodeId>,
    keys: &[TrustedKey],
    findings: &mut Vec<Finding>,
) -> Coverage<'d> {
    assess(doc, verify_all(doc, keys), consumed, keys, findings)
}

/// Reports on verified `checks` and decides whether `consumed` is covered.
pub fn assess<'d>(
    doc: &'d Document,
    checks: Vec<SignatureCheck<'d>>,
    consumed: Option<NodeId>,
    keys: &[TrustedKey],
    findings: &mut Vec<Finding>,
) -> Coverage<'d> {
    for c in &checks {
        match &c.result {
            Err(failure) => findings.push(failure_finding(doc, c, failure, keys)),
            Ok(_) => {
                let weak = c.weak_hashes();
                if !weak.is_empty() {
                    let algorithm = c.algorithm.map(|a| a.name()).unwrap_or_default();
                    let digest = c.digest.map(|d| d.name()).unwrap_or_default();
                    findings.push(
                        Finding::new(&SIGNATURE_WEAK_ALGORITHM, format!("the signature verifies but uses SHA-1 (signature {algorithm}, digest {digest})"))
                            .expected("RSA-SHA256 or stronger, SHA-256 digest")
                            .found(format!("{algorithm}, {digest}"))
                            .at(Location::of_node(doc, c.signature)),
                    );
                }
            }
        }
    }

    duplicate_ids(doc, &checks, findings);

    let Some(consumed) = consumed else {
        return Coverage {
            proof: None,
            checks,
        };
    };
    // Prefer the assertion's own signature, then the enclosing Response's.
    let mut proofs: Vec<Verified<'d>> = checks
        .iter()
        .filter_map(|c| c.result.as_ref().ok().copied())
        .collect();
    proofs.sort_by_key(|v| v.element() != consumed);
    let proof = proofs.iter().copied().find(|v| v.covers(consumed));

    if proof.is_none() {
        if let Some(elsewhere) = proofs.first() {
            findings.push(
                Finding::new(
                    &SIGNATURE_WRAPPING,
                    format!(
                        "a valid signature covers {}, but the assertion that would be consumed is {}, which no valid signature covers",
                        doc.path(elsewhere.element()),
                        doc.path(consumed)
                    ),
                )
                .expected(format!("a signature covering {}", doc.path(consumed)))
                .found(format!("signed element {}", doc.path(elsewhere.element())))
                .at(Location::of_node(doc, consumed)),
            );
        } else if checks.is_empty() {
            findings.push(
                Finding::new(
                    &SIGNATURE_MISSING,
                    "neither the Assertion nor the Response is signed",
                )
                .expected("a ds:Signature in the Assertion or the Response")
                .found("no signature")
                .at(Location::of_node(doc, consumed)),
            );
        } else if !checks.iter().any(|c| {
            c.referenced
                .is_some_and(|r| doc.is_ancestor_or_self(r, consumed))
        }) {
            findings.push(
                Finding::new(
                    &SIGNATURE_MISSING,
                    format!(
                        "no signature even claims to cover the consumed assertion {}",
                        doc.path(consumed)
                    ),
                )
                .expected(format!("a ds:Signature covering {}", doc.path(consumed)))
                .found(format!(
                    "{} signature(s) covering other elements",
                    checks.len()
                ))
                .at(Location::of_node(doc, consumed)),
            );
        }
    }
    Coverage { proof, checks }
}

#[cfg(test)]
mod tests {
    use crate::checks::catalog;
    use crate::xml::dsig::{AlgorithmRole, SignatureFailure};
    use crate::xml::XmlErrorKind;

    #[test]
    fn every_failure_maps_to_a_catalog_rule() {
        let failures = [
            SignatureFailure::Malformed(String::new()),
            SignatureFailure::DisallowedAlgorithm {
                role: AlgorithmRole::Transform,
                uri: String::new(),
                why: "",
            },
            SignatureFailure::ReferenceCount(2),
            SignatureFailure::BadReferenceUri(String::new()),
            SignatureFailure::ReferenceNotFound(String::new()),
            SignatureFailure::DuplicateId {
                id: String::new(),
                count: 2,
            },
            SignatureFailure::NotEnveloped {
                referenced: String::new(),
                enclosing: String::new(),
            },
            SignatureFailure::DigestMismatch {
                element: String::new(),
                algorithm: "",
                expected: String::new(),
                computed: String::new(),
                hint: None,
            },
            SignatureFailure::UntrustedKey {
                embedded: Box::new(crate::xml::dsig::CertInfo {
                    subject: String::new(),
                    issuer: String::new(),
                    sha256: String::new(),
                    not_before: String::new(),
                    not_after: String::new(),
                    key: String::new(),
                }),
                trusted: vec![],
            },
            SignatureFailure::NoTrustedKeys,
            SignatureFailure::BadSignatureValue {
                trusted_count: 1,
                embedded: None,
            },
        ];
        for f in failures {
            assert!(catalog::rule(f.rule()).is_some(), "{}", f.rule());
        }
        for k in [
            XmlErrorKind::Doctype,
            XmlErrorKind::NoRoot,
            XmlErrorKind::Limit {
                what: crate::xml::limits::LimitKind::Depth,
                limit: 1,
            },
        ] {
            assert!(catalog::rule(k.rule()).is_some(), "{}", k.rule());
        }
    }
}
