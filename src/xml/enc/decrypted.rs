//! The received document with an EncryptedAssertion's content replaced by its decryption.
//!
//! The plaintext is parsed where it was encrypted from: the EncryptedAssertion's content
//! (EncryptedData and EncryptedKeys) is replaced by the decrypted text, and the whole document
//! is parsed again by the same hardened parser under the same limits. The namespaces in scope
//! at the EncryptedAssertion apply to the plaintext, canonicalization sees the same context a
//! signer would, and ID uniqueness and signature placement are checked over one document.
//! Everything outside the replaced span is byte for byte the received document.

use super::algorithm::{ContentAlgorithm, KeyTransport};
use super::error::DecryptError;
use super::ASSERTION_NS;
use crate::xml::dsig::Verified;
use crate::xml::position::LineIndex;
use crate::xml::{Document, Limits, NodeId, NodeKind, XmlError, XmlErrorKind};

/// Where a byte of the decrypted document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// This offset of the received document.
    Original(usize),
    /// This offset of the decrypted plaintext.
    Plaintext(usize),
}

/// A decrypted EncryptedAssertion: the document it now stands in, and how that document maps
/// back onto the one received.
#[derive(Debug)]
pub struct Decrypted<'o> {
    original: &'o Document,
    /// The EncryptedAssertion in the received document.
    container_original: NodeId,
    doc: Document,
    /// The EncryptedAssertion in the decrypted document, now holding the assertion.
    container: NodeId,
    assertion: NodeId,
    /// The replaced span: `[start, start + old_len)` received, `[start, start + new_len)` now.
    start: usize,
    old_len: usize,
    new_len: usize,
    content: ContentAlgorithm,
    transport: KeyTransport,
    signed: bool,
}

/// How a plaintext became a [`Decrypted`]: what was used, and whether anything besides the
/// cipher vouches for the plaintext.
pub(crate) struct SpliceInput<'a> {
    pub plaintext: &'a str,
    pub content: ContentAlgorithm,
    pub transport: KeyTransport,
    /// A verified signature covers the EncryptedAssertion.
    pub signed: bool,
}

fn not_an_assertion(what: impl Into<String>) -> DecryptError {
    DecryptError::NotAnAssertion(what.into())
}

/// The element of `doc` starting at byte `offset`.
fn element_at(doc: &Document, offset: usize) -> Option<NodeId> {
    doc.elements().find(|&n| doc.node(n).offset == offset)
}

impl<'o> Decrypted<'o> {
    /// Puts `input.plaintext` in place of the content of `container` and parses the result.
    pub(crate) fn splice(
        original: &'o Document,
        container: NodeId,
        input: SpliceInput<'_>,
        limits: Limits,
    ) -> Result<Decrypted<'o>, DecryptError> {
        let children = original.children(container);
        let (Some(first), Some(last)) = (children.first(), children.last()) else {
            return Err(DecryptError::Malformed(
                "the EncryptedAssertion is empty".into(),
            ));
        };
        let start = original.node(*first).offset;
        let end = original.node(*last).end;
        let plaintext = input.plaintext;
        let source = original.source();
        let mut text = String::with_capacity(source.len() - (end - start) + plaintext.len());
        text.push_str(&source[..start]);
        text.push_str(plaintext);
        text.push_str(&source[end..]);

        let doc = Document::parse(&text, limits).map_err(|e| {
            let inside = e.offset >= start && e.offset <= start + plaintext.len();
            if inside || matches!(e.kind, XmlErrorKind::Limit { .. }) {
                let offset = e.offset.saturating_sub(start).min(plaintext.len());
                DecryptError::Plaintext(XmlError {
                    position: LineIndex::new(plaintext).line_col(plaintext, offset),
                    kind: e.kind,
                    offset,
                })
            } else {
                not_an_assertion("it is not one complete element")
            }
        })?;

        // The EncryptedAssertion must end exactly where the plaintext does: then the plaintext
        // is balanced and cannot have closed or opened anything around it.
        let old_end = original.node(container).end;
        let new_end = old_end - (end - start) + plaintext.len();
        let container_new = element_at(&doc, original.node(container).offset)
            .filter(|&c| doc.node(c).end == new_end)
            .ok_or_else(|| not_an_assertion("it is not one complete element"))?;
        let mut assertion = None;
        for &child in doc.children(container_new) {
            match doc.kind(child) {
                NodeKind::Element(e) if e.is(ASSERTION_NS, "Assertion") && assertion.is_none() => {
                    assertion = Some(child)
                }
                NodeKind::Element(e) => {
                    return Err(not_an_assertion(format!(
                        "it holds a {} ({})",
                        e.qname(),
                        e.namespace().unwrap_or("no namespace")
                    )))
                }
                NodeKind::Text(t) if t.trim().is_empty() => {}
                NodeKind::Text(_) => {
                    return Err(not_an_assertion("it holds text beside the element"))
                }
                NodeKind::Comment(_) | NodeKind::ProcessingInstruction { .. } => {
                    return Err(not_an_assertion(
                        "it holds a comment or processing instruction beside the element",
                    ))
                }
            }
        }
        let assertion = assertion.ok_or_else(|| not_an_assertion("it holds no element"))?;
        Ok(Decrypted {
            original,
            container_original: container,
            doc,
            container: container_new,
            assertion,
            start,
            old_len: end - start,
            new_len: plaintext.len(),
            content: input.content,
            transport: input.transport,
            signed: input.signed,
        })
    }

    /// The document as received.
    pub fn original(&self) -> &'o Document {
        self.original
    }

    /// The document with the assertion decrypted in place.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The decrypted `saml:Assertion`, in [`document`](Self::document).
    pub fn assertion(&self) -> NodeId {
        self.assertion
    }

    /// The EncryptedAssertion, in [`document`](Self::document); its only element child is
    /// [`assertion`](Self::assertion).
    pub fn container(&self) -> NodeId {
        self.container
    }

    /// The EncryptedAssertion in the received document.
    pub fn original_container(&self) -> NodeId {
        self.container_original
    }

    pub fn content_algorithm(&self) -> ContentAlgorithm {
        self.content
    }

    pub fn key_transport(&self) -> KeyTransport {
        self.transport
    }

    /// Whether a verified signature of the received document covers the EncryptedAssertion.
    pub fn signed_encrypted(&self) -> bool {
        self.signed
    }

    /// The decrypted plaintext.
    pub fn plaintext(&self) -> &str {
        &self.doc.source()[self.start..self.start + self.new_len]
    }

    /// Where byte `offset` of the decrypted document came from.
    pub fn origin(&self, offset: usize) -> Origin {
        if offset < self.start {
            Origin::Original(offset)
        } else if offset < self.start + self.new_len {
            Origin::Plaintext(offset - self.start)
        } else {
            Origin::Original(offset - self.new_len + self.old_len)
        }
    }

    /// Whether `node` (of the decrypted document) came from the plaintext.
    pub fn in_plaintext(&self, node: NodeId) -> bool {
        matches!(
            self.origin(self.doc.node(node).offset),
            Origin::Plaintext(_)
        )
    }

    /// The received element that `node` (an element of the decrypted document outside the
    /// plaintext) is.
    pub fn to_original(&self, node: NodeId) -> Option<NodeId> {
        match self.origin(self.doc.node(node).offset) {
            Origin::Original(at) => element_at(self.original, at),
            Origin::Plaintext(_) => None,
        }
    }

    /// The decrypted document's element for `node`, a received element outside the replaced
    /// content.
    pub fn to_decrypted(&self, node: NodeId) -> Option<NodeId> {
        let at = self.original.node(node).offset;
        let at = if at < self.start {
            at
        } else if at >= self.start + self.old_len {
            at - self.old_len + self.new_len
        } else {
            return None;
        };
        element_at(&self.doc, at)
    }

    /// A signature proof over the received document, carried onto the decrypted one. It holds
    /// there because the replaced content is either outside the signed subtree (unchanged
    /// bytes) or inside it (signed ciphertext, whose decryption under the SP key is fixed).
    /// `None` when the proof is over another document or the signed subtree lies inside the
    /// replaced content.
    pub fn carry(&self, proof: &Verified<'o>) -> Option<Verified<'_>> {
        if !std::ptr::eq(proof.document(), self.original) {
            return None;
        }
        let container = self.container_original;
        if self
            .original
            .is_ancestor_or_self(proof.element(), container)
            && !proof.covers(container)
        {
            return None;
        }
        let element = self.to_decrypted(proof.element())?;
        let signature = self.to_decrypted(proof.signature())?;
        Some(proof.carried_to(&self.doc, element, signature))
    }
}
