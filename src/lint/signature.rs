//! The metadata signature: checked on the tree for one entity, while streaming for aggregates.
//!
//! Keys: with `--signer-cert`, only that certificate; without it, the certificate the signature
//! carries (integrity only: an unsigned or self-signed file proves nothing about who wrote it).

use super::stream::Piece;
use crate::checks::catalog::{
    METADATA_SIGNATURE_INVALID, METADATA_SIGNATURE_MISSING, SIGNATURE_WEAK_ALGORITHM,
};
use crate::checks::{Finding, Location};
use crate::xml::c14n::{self, Canonicalizer, Placement};
use crate::xml::dsig::keys::cert_info;
use crate::xml::dsig::signature::{parse_signature, ParsedSignature};
use crate::xml::dsig::verify::{check_signature_value, reference_method, DigestSink};
use crate::xml::dsig::{verify_signature, CertInfo, SignatureFailure, TrustedKey, DSIG_NS};
use crate::xml::{Document, NodeId};

/// What the report says about the metadata signature.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignatureSummary {
    pub verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The certificate that verified it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<CertInfo>,
    /// Whether the verifying key came from `--signer-cert` (trusted) or the signature itself.
    pub trusted: bool,
}

fn keys_for(parsed: Option<&ParsedSignature>, signer: Option<&TrustedKey>) -> Vec<TrustedKey> {
    match signer {
        Some(k) => vec![k.clone()],
        None => parsed
            .map(|p| {
                p.embedded_certs()
                    .iter()
                    .filter_map(|der| TrustedKey::from_der(der.clone()).ok())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn failure_finding(failure: &SignatureFailure, location: Option<Location>) -> Finding {
    let mut f = Finding::new(
        &METADATA_SIGNATURE_INVALID,
        format!("the metadata signature does not verify: {failure}"),
    )
    .note(format!("signature rule: {}", failure.rule()));
    if let SignatureFailure::UntrustedKey { embedded, .. } = failure {
        f = f.note(format!("signed by (KeyInfo): {embedded}"));
    }
    if let Some(l) = location {
        f = f.at(l);
    }
    f
}

fn weak_finding(parsed: &ParsedSignature, location: Location) -> Option<Finding> {
    let weak = parsed.algorithm.hash.is_weak() || parsed.reference.digest.0.is_weak();
    weak.then(|| {
        Finding::new(
            &SIGNATURE_WEAK_ALGORITHM,
            "the metadata signature uses SHA-1",
        )
        .found(format!(
            "{}, {}",
            parsed.algorithm.name(),
            parsed.reference.digest.0.name()
        ))
        .at(location)
    })
}

/// Checks the signature of a metadata document held whole (one entity).
pub fn check_tree(
    doc: &Document,
    root: NodeId,
    signer: Option<&TrustedKey>,
    findings: &mut Vec<Finding>,
) -> Option<SignatureSummary> {
    let Some(sig) = doc.child_named(root, DSIG_NS, "Signature") else {
        if signer.is_some() {
            findings.push(
                Finding::new(&METADATA_SIGNATURE_MISSING, "the metadata is not signed")
                    .expected("a ds:Signature by the --signer-cert certificate")
                    .found("no ds:Signature")
                    .at(Location::of_node(doc, root)),
            );
        }
        return None;
    };
    let parsed = parse_signature(doc, sig).ok();
    let keys = keys_for(parsed.as_ref(), signer);
    let check = verify_signature(doc, sig, &keys);
    let location = Location::of_node(doc, sig);
    if let Some(p) = &parsed {
        findings.extend(weak_finding(p, location.clone()));
    }
    match &check.result {
        Ok(v) => Some(SignatureSummary {
            verified: true,
            algorithm: check.algorithm.map(|a| a.name()),
            digest: check.digest.map(|d| d.name().to_string()),
            signer: Some(keys[v.key_index()].info().clone()),
            trusted: signer.is_some(),
        }),
        Err(SignatureFailure::NoTrustedKeys) if signer.is_none() => None,
        Err(failure) => {
            findings.push(failure_finding(failure, Some(location)));
            Some(SignatureSummary {
                verified: false,
                algorithm: check.algorithm.map(|a| a.name()),
                digest: check.digest.map(|d| d.name().to_string()),
                signer: None,
                trusted: signer.is_some(),
            })
        }
    }
}

/// An aggregate's root signature, verified as the document streams by.
pub struct StreamVerifier {
    sig_doc: Document,
    sig_node: NodeId,
    parsed: Result<ParsedSignature, SignatureFailure>,
    canon: Option<Canonicalizer<DigestSink>>,
}

impl StreamVerifier {
    /// Starts from the Signature chunk (`sig_doc` holds it inside a copy of the root start tag).
    pub fn start(
        sig_doc: Document,
        sig_node: NodeId,
        root_id: Option<&str>,
        _signer: Option<&TrustedKey>,
        content_before: bool,
    ) -> StreamVerifier {
        // sig_doc's root is a copy of the aggregate root's start tag.
        let root_element = sig_doc.element(sig_doc.root());
        let parsed = parse_signature(&sig_doc, sig_node).and_then(|p| {
            if content_before {
                return Err(SignatureFailure::Malformed("the ds:Signature must be the first child of the EntitiesDescriptor (schema order)".into()));
            }
            if root_id != Some(p.reference.id.as_str()) {
                return Err(SignatureFailure::NotEnveloped {
                    referenced: format!("#{}", p.reference.id),
                    enclosing: format!("the aggregate root (ID {:?})", root_id.unwrap_or("")),
                });
            }
            Ok(p)
        });
        let canon = match (&parsed, root_element) {
            (Ok(p), Some(root)) => {
                let mut c =
                    Canonicalizer::new(reference_method(p), DigestSink::new(p.reference.digest.0));
                c.start_element(&root);
                Some(c)
            }
            _ => None,
        };
        StreamVerifier {
            sig_doc,
            sig_node,
            parsed,
            canon,
        }
    }

    /// Character data, comments and PIs directly inside the root.
    pub fn feed_piece(&mut self, piece: &Piece) {
        let Some(c) = &mut self.canon else { return };
        match piece {
            Piece::Text(t) => c.text(t),
            Piece::Comment(t) => c.comment(t, Placement::Inside),
            Piece::ProcessingInstruction { target, data } => {
                c.processing_instruction(target, data, Placement::Inside)
            }
            _ => {}
        }
    }

    /// A writer in the root's context, to canonicalize children elsewhere and [`splice`](Self::splice) them.
    pub fn chunk_template(&self) -> Option<Canonicalizer<Vec<u8>>> {
        self.canon.as_ref().map(|c| c.fork(Vec::new()))
    }

    /// The canonical bytes of a child element, made with a fork of [`chunk_template`](Self::chunk_template).
    pub fn splice(&mut self, canonical: &[u8]) {
        if let Some(c) = &mut self.canon {
            c.splice(canonical);
        }
    }

    /// A child element of the root, parsed in `doc`.
    pub fn feed_element(&mut self, doc: &Document, node: NodeId) {
        if let Some(c) = &mut self.canon {
            c14n::write_subtree(doc, node, None, c);
        }
    }
}

/// Completes the aggregate's signature check at the root's end.
pub fn finish_stream(
    verifier: Option<StreamVerifier>,
    signer: Option<&TrustedKey>,
    findings: &mut Vec<Finding>,
) -> Option<SignatureSummary> {
    let Some(v) = verifier else {
        if signer.is_some() {
            findings.push(
                Finding::new(&METADATA_SIGNATURE_MISSING, "the aggregate is not signed")
                    .expected("a ds:Signature by the --signer-cert certificate")
                    .found("no ds:Signature"),
            );
        }
        return None;
    };
    let location = Location::of_node(&v.sig_doc, v.sig_node);
    let summary =
        |verified: bool, p: Option<&ParsedSignature>, by: Option<CertInfo>| SignatureSummary {
            verified,
            algorithm: p.map(|p| p.algorithm.name()),
            digest: p.map(|p| p.reference.digest.0.name().to_string()),
            signer: by,
            trusted: signer.is_some(),
        };
    let parsed = match v.parsed {
        Ok(p) => p,
        Err(failure) => {
            findings.push(failure_finding(&failure, Some(location)));
            return Some(summary(false, None, None));
        }
    };
    findings.extend(weak_finding(&parsed, location.clone()));
    let (Some(mut canon), Some(root)) = (v.canon, v.sig_doc.element(v.sig_doc.root())) else {
        return Some(summary(false, Some(&parsed), None));
    };
    canon.end_element(&root);
    let computed = canon.into_sink().finish().unwrap_or_default();
    if computed != parsed.reference.digest_value {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let failure = SignatureFailure::DigestMismatch {
            element: "the aggregate root".into(),
            algorithm: parsed.reference.digest.0.name(),
            expected: b64.encode(&parsed.reference.digest_value),
            computed: b64.encode(&computed),
            hint: None,
        };
        findings.push(failure_finding(&failure, Some(location)));
        return Some(summary(false, Some(&parsed), None));
    }
    let mut signed_info = Vec::new();
    c14n::canonicalize_subtree(
        &v.sig_doc,
        parsed.signed_info,
        None,
        &parsed.c14n,
        &mut signed_info,
    );
    let keys = keys_for(Some(&parsed), signer);
    match check_signature_value(&parsed, &signed_info, &keys) {
        Ok(i) => Some(summary(true, Some(&parsed), Some(keys[i].info().clone()))),
        Err(SignatureFailure::NoTrustedKeys) if signer.is_none() => None,
        Err(failure) => {
            findings.push(failure_finding(&failure, Some(location)));
            let embedded = parsed
                .embedded_certs()
                .first()
                .and_then(|d| cert_info(d).ok());
            Some(summary(false, Some(&parsed), embedded))
        }
    }
}
