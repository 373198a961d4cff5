//! Every way a signature can fail, each carrying what the explanation needs.

use super::keys::CertInfo;

/// Which part of a signature an algorithm URI came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum AlgorithmRole {
    SignatureMethod,
    DigestMethod,
    Transform,
    CanonicalizationMethod,
}

impl std::fmt::Display for AlgorithmRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AlgorithmRole::SignatureMethod => "SignatureMethod",
            AlgorithmRole::DigestMethod => "DigestMethod",
            AlgorithmRole::Transform => "Transform",
            AlgorithmRole::CanonicalizationMethod => "CanonicalizationMethod",
        })
    }
}

/// A guess at why a digest no longer matches, found by trying likely edits backwards.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum DigestHint {
    /// The digest matches once whitespace between elements is removed: pretty-printed after signing.
    Reformatted,
    /// The digest matches under another canonicalization than the one declared.
    OtherCanonicalization(&'static str),
}

/// Why a signature does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureFailure {
    #[error("the signature is malformed: {0}")]
    Malformed(String),
    #[error("the {role} {uri} is not allowed: {why}")]
    DisallowedAlgorithm {
        role: AlgorithmRole,
        uri: String,
        why: &'static str,
    },
    #[error("SignedInfo must hold exactly one Reference, found {0}")]
    ReferenceCount(usize),
    #[error(
        "the Reference URI {0:?} is not of the form \"#ID\" that SAML requires (saml-core 5.4.2)"
    )]
    BadReferenceUri(String),
    #[error("no element has ID {0:?}, which the Reference names")]
    ReferenceNotFound(String),
    #[error("the ID {id:?} is carried by {count} elements; a signature over a duplicated ID is ambiguous (signature wrapping)")]
    DuplicateId { id: String, count: usize },
    #[error("the Reference names {referenced}, which is not the element {enclosing} that encloses the signature (signature wrapping)")]
    NotEnveloped {
        referenced: String,
        enclosing: String,
    },
    #[error("the content of {element} changed after it was signed: its {algorithm} digest is {computed}, the signature says {expected}")]
    DigestMismatch {
        element: String,
        algorithm: &'static str,
        expected: String,
        computed: String,
        hint: Option<DigestHint>,
    },
    #[error("the signature was made with a key the IdP metadata does not list: the message's certificate is {embedded}")]
    UntrustedKey {
        embedded: Box<CertInfo>,
        trusted: Vec<CertInfo>,
    },
    #[error("no signing certificate is trusted: the IdP metadata lists none")]
    NoTrustedKeys,
    #[error(
        "the SignatureValue does not verify with any of the {trusted_count} trusted certificate(s)"
    )]
    BadSignatureValue {
        trusted_count: usize,
        /// The certificate from KeyInfo, when it is one of the trusted ones (so the value itself is wrong).
        embedded: Option<Box<CertInfo>>,
    },
}

impl SignatureFailure {
    /// The rule id this failure is reported under.
    pub fn rule(&self) -> &'static str {
        match self {
            SignatureFailure::Malformed(_) | SignatureFailure::BadSignatureValue { .. } => {
                "signature/invalid"
            }
            SignatureFailure::DisallowedAlgorithm { .. } => "signature/disallowed-algorithm",
            SignatureFailure::ReferenceCount(_)
            | SignatureFailure::BadReferenceUri(_)
            | SignatureFailure::ReferenceNotFound(_) => "signature/bad-reference",
            SignatureFailure::DuplicateId { .. } | SignatureFailure::NotEnveloped { .. } => {
                "signature/wrapping"
            }
            SignatureFailure::DigestMismatch { .. } => "signature/digest-mismatch",
            SignatureFailure::UntrustedKey { .. } | SignatureFailure::NoTrustedKeys => {
                "signature/untrusted-key"
            }
        }
    }
}
