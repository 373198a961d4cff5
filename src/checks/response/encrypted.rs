//! An EncryptedAssertion, decrypted with the SP key and then checked like any assertion.
//!
//! What counts as signed: the assertion's own signature, verified in the decrypted document;
//! or a verified signature of the received document that covers the EncryptedAssertion (the
//! Response's), because it covers the ciphertext and the EncryptedKey, whose decryption under
//! the SP key is fixed. python3-saml and crewjam/saml accept the second shape too. The proof is
//! carried onto the decrypted document ([`Decrypted::carry`]), so the assertion is still read
//! through a [`Verified`](crate::xml::dsig::Verified) handle that covers it. Nothing else vouches
//! for it: encryption is made with the SP's public certificate, which anyone can use.
//!
//! Findings about the decrypted document point back into the received one: a place outside the
//! plaintext maps to its own line and column; a place inside it points at the
//! EncryptedAssertion, with a note giving the line and column in the decrypted text.

use super::signature;
use super::{check_covered, finish, EncryptionSummary, Inputs, Verdict};
use crate::checks::catalog::{self, ASSERTION_DECRYPTION_FAILED, ASSERTION_WEAK_ENCRYPTION};
use crate::checks::{Finding, Location};
use crate::saml::response::ResponseEnvelope;
use crate::xml::enc::{decrypt_assertion, DecryptError, Decrypted, DecryptionKey, Origin};
use crate::xml::position::LineIndex;
use crate::xml::{Document, NodeId};

/// Decrypts `encrypted_assertion` (of `doc`, a Response) and checks the result.
pub(super) fn verify(
    doc: &Document,
    envelope: &ResponseEnvelope,
    encrypted_assertion: NodeId,
    key: &DecryptionKey,
    inputs: &Inputs<'_>,
    mut findings: Vec<Finding>,
) -> Verdict {
    let options = inputs.options;
    let keys = &inputs.idp.signing_keys;
    // Signatures are verified on the bytes they sign: the document as received.
    let received = signature::verify_all(doc, keys);
    let covering = received
        .iter()
        .filter_map(|c| c.result.as_ref().ok())
        .find(|v| v.covers(encrypted_assertion))
        .copied();
    let decrypted = match decrypt_assertion(
        doc,
        encrypted_assertion,
        key,
        covering.as_ref(),
        options.limits,
    ) {
        Ok(d) => d,
        Err(e) => {
            findings.push(failure(doc, encrypted_assertion, &e));
            let coverage = signature::assess(doc, received, None, keys, &mut findings);
            let (_, summaries) =
                check_covered(doc, envelope, None, &coverage, inputs, &mut findings);
            return finish(findings, None, summaries, options);
        }
    };

    let d = decrypted.document();
    // The same root Response, re-read so its nodes are the decrypted document's.
    let Some(envelope) = ResponseEnvelope::read(d) else {
        return finish(findings, None, Vec::new(), options);
    };
    let checks = signature::carry_checks(&decrypted, &received, keys);
    let mut local = Vec::new();
    let coverage = signature::assess(d, checks, Some(decrypted.assertion()), keys, &mut local);
    let (assertion, summaries) = check_covered(
        d,
        &envelope,
        Some(decrypted.assertion()),
        &coverage,
        inputs,
        &mut local,
    );
    point_into_received(&decrypted, &mut local);
    findings.extend(local);

    let transport = decrypted.key_transport();
    if transport.is_weak() {
        findings.push(
            Finding::new(
                &ASSERTION_WEAK_ENCRYPTION,
                "the AES key of the encrypted assertion is encrypted with RSA PKCS#1 v1.5",
            )
            .expected("RSA-OAEP (rsa-oaep-mgf1p or xmlenc11#rsa-oaep)")
            .found(transport.to_string())
            .at(Location::of_node(doc, encrypted_assertion)),
        );
    }
    let mut verdict = finish(findings, assertion, summaries, options);
    verdict.encryption = Some(EncryptionSummary {
        content: decrypted.content_algorithm().to_string(),
        key_transport: transport.to_string(),
        ciphertext_signed: decrypted.signed_encrypted(),
    });
    verdict
}

/// The finding for a failed decryption: its rule, its one message, and the notes that do not
/// depend on the secret.
fn failure(doc: &Document, encrypted_assertion: NodeId, error: &DecryptError) -> Finding {
    let rule = catalog::rule(error.rule()).unwrap_or(&ASSERTION_DECRYPTION_FAILED);
    let name = doc
        .element(encrypted_assertion)
        .map(|e| e.qname())
        .unwrap_or_default();
    let mut f = Finding::new(rule, error.to_string())
        .found(name)
        .at(Location::of_node(doc, encrypted_assertion));
    if let DecryptError::Plaintext(e) = error {
        f = f.note(format!(
            "at line {}, column {} of the decrypted assertion",
            e.position.line, e.position.column
        ));
    }
    if let Some(d) = error.diagnosis() {
        f.notes.extend(d.notes.iter().cloned());
    }
    f
}

/// Rewrites locations in the decrypted document into the received one.
fn point_into_received(decrypted: &Decrypted<'_>, findings: &mut [Finding]) {
    let now = decrypted.document();
    let received = decrypted.original();
    for f in findings {
        let Some(loc) = f.location.as_mut() else {
            continue;
        };
        let offset = offset_of(now.source(), loc.line, loc.column);
        let at = match decrypted.origin(offset) {
            Origin::Original(at) => at,
            Origin::Plaintext(inside) => {
                let text = decrypted.plaintext();
                let p = LineIndex::new(text).line_col(text, inside);
                f.notes.push(format!(
                    "inside the encrypted assertion: line {}, column {} of its decrypted text",
                    p.line, p.column
                ));
                received.node(decrypted.original_container()).offset
            }
        };
        let p = received.line_col(at);
        *loc = Location::in_line(
            received.line_text(p.line),
            p.line,
            p.column,
            std::mem::take(&mut loc.path),
        );
    }
}

/// The byte offset of a 1-based line and character column of `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match memchr::memchr(b'\n', &text.as_bytes()[start..]) {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    text[start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

#[cfg(test)]
mod tests {
    use super::offset_of;

    #[test]
    fn offsets_invert_line_and_column() {
        let text = "ab\nçd<x/>\n<y/>";
        let doc = crate::xml::Document::parse("<r>\nçd<x/>\n<y/></r>", crate::xml::Limits::MESSAGE)
            .unwrap();
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 3), text.find("<x").unwrap());
        assert_eq!(offset_of(text, 3, 1), text.find("<y").unwrap());
        assert_eq!(offset_of(text, 9, 1), text.len());
        for n in doc.elements() {
            let at = doc.node(n).offset;
            let p = doc.line_col(at);
            assert_eq!(offset_of(doc.source(), p.line, p.column), at);
        }
    }
}
