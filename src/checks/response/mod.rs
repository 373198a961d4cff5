//! Response validation, as strict SPs do it, collecting every finding: decode, parse, verify
//! signatures, then check the envelope and the (verified) assertion.

pub mod clock;
pub mod conditions;
pub mod encrypted;
pub mod envelope;
pub mod identity;
pub mod near_miss;
pub mod signature;
pub mod subject;

use std::collections::BTreeMap;

use self::clock::Clock;
use self::signature::Coverage;
use crate::checks::catalog::cert::{CERT_MISSING, CERT_UNPARSEABLE};
use crate::checks::catalog::{
    ASSERTION_ENCRYPTED, ASSERTION_MISSING, ASSERTION_MULTIPLE, INPUT_DECODE,
    RESPONSE_NOT_A_RESPONSE, XML_DOCTYPE, XML_LIMITS, XML_MALFORMED,
};
use crate::checks::{Finding, Location, Severity};
use crate::saml::binding::decode_message;
use crate::saml::metadata::IdpMetadata;
use crate::saml::response::{Assertion, ResponseEnvelope};
use crate::sp::SpProfile;
use crate::xml::dsig::CertInfo;
use crate::xml::enc::DecryptionKey;
use crate::xml::{Document, Limits, NodeId, XmlErrorKind};

/// What the check needs besides the message.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    pub now: time::OffsetDateTime,
    /// Allowed clock difference, in seconds.
    pub clock_skew: i64,
    /// The ID of the AuthnRequest the SP sent, for InResponseTo.
    pub request_id: Option<String>,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
    pub limits: Limits,
    /// The SP private key: with it an EncryptedAssertion is decrypted and checked like any
    /// assertion; without it, it is reported as `assertion/encrypted`.
    pub sp_key: Option<DecryptionKey>,
}

impl VerifyOptions {
    pub fn at(now: time::OffsetDateTime) -> VerifyOptions {
        VerifyOptions {
            now,
            clock_skew: 300,
            request_id: None,
            deny_warnings: false,
            limits: Limits::MESSAGE,
            sp_key: None,
        }
    }

    /// These options with the SP private key that decrypts EncryptedAssertions.
    pub fn with_sp_key(mut self, key: DecryptionKey) -> VerifyOptions {
        self.sp_key = Some(key);
        self
    }
}

/// The verified subject.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Subject {
    pub name_id: String,
    pub format: String,
}

/// One signature, summarized for the report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignatureSummary {
    /// Path of the element the signature covers (or claims to).
    pub covers: String,
    pub verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The metadata certificate that verified it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertInfo>,
}

/// A decrypted EncryptedAssertion, summarized for the report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EncryptionSummary {
    /// The content encryption, e.g. `aes256-gcm`.
    pub content: String,
    /// The key transport, e.g. `rsa-oaep-mgf1p (digest SHA-1, MGF1 SHA-1)`.
    pub key_transport: String,
    /// Whether a verified signature (the Response's) covers the EncryptedAssertion.
    pub ciphertext_signed: bool,
}

/// The outcome of checking one Response.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Verdict {
    pub accepted: bool,
    /// False when the input could not be read or understood (exit code 2).
    #[serde(skip)]
    pub readable: bool,
    /// From the verified assertion only.
    pub subject: Option<Subject>,
    /// From the verified assertion only.
    pub attributes: BTreeMap<String, Vec<String>>,
    pub findings: Vec<Finding>,
    pub signatures: Vec<SignatureSummary>,
    /// The ID of the verified assertion (for replay caches); not serialized.
    #[serde(skip)]
    pub assertion_id: Option<String>,
    /// How the assertion was encrypted, when it was and was decrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption: Option<EncryptionSummary>,
}

impl Verdict {
    /// A verdict for input that could not be read or decoded (exit code 2).
    pub fn unreadable(finding: Finding) -> Verdict {
        Verdict {
            accepted: false,
            readable: false,
            subject: None,
            attributes: BTreeMap::new(),
            findings: vec![finding],
            signatures: Vec::new(),
            assertion_id: None,
            encryption: None,
        }
    }

    /// Findings of `rule`.
    pub fn has(&self, rule: &str) -> bool {
        self.findings.iter().any(|f| f.rule == rule)
    }

    /// Applies the configured rule severities and decides again. Only a verified assertion
    /// (which `subject` implies) can make a rejected response accepted, so switching a rule
    /// off never lets an unsigned or unverifiable response through.
    pub fn apply_config(&mut self, config: &crate::config::Config, deny_warnings: bool) {
        if config.rules.is_empty() {
            return;
        }
        config.apply(&mut self.findings);
        if self.readable {
            let blocking = self.findings.iter().any(|f| {
                f.severity == Severity::Error || (deny_warnings && f.severity == Severity::Warning)
            });
            self.accepted = (self.accepted || self.subject.is_some()) && !blocking;
        }
    }
}

/// Decodes, parses and checks one Response given in any accepted form (see
/// [`decode_message`]) against the IdP metadata and the SP profile.
pub fn verify_response(
    input: &[u8],
    idp: &IdpMetadata,
    sp: &SpProfile,
    options: &VerifyOptions,
) -> Verdict {
    let message = match read_message(input, options.limits) {
        Ok(message) => message,
        Err(verdict) => return *verdict,
    };
    verify_document(&message.doc, idp, sp, options)
}

/// A message decoded from its binding and parsed: what [`verify_document`] checks.
pub struct Message {
    pub doc: Document,
    /// The RelayState that came with a form body.
    pub relay_state: Option<String>,
}

/// Decodes and parses a message in any accepted form (see `verify_response`); a message
/// that cannot be read becomes the verdict that says why.
pub fn read_message(input: &[u8], limits: Limits) -> Result<Message, Box<Verdict>> {
    // Raw XML is parsed where it is, without a copy.
    let (xml, relay_state) = match crate::saml::binding::as_raw_xml(input) {
        Some(xml) => (std::borrow::Cow::Borrowed(xml), None),
        None => match decode_message(input) {
            Ok(d) => (std::borrow::Cow::Owned(d.xml), d.relay_state),
            Err(e) => {
                return Err(Box::new(Verdict::unreadable(Finding::new(
                    &INPUT_DECODE,
                    e.to_string(),
                ))))
            }
        },
    };
    match Document::parse_bytes(&xml, limits) {
        Ok(doc) => Ok(Message { doc, relay_state }),
        Err(e) => {
            let rule = match e.kind {
                XmlErrorKind::Doctype => &XML_DOCTYPE,
                XmlErrorKind::Limit { .. } => &XML_LIMITS,
                _ => &XML_MALFORMED,
            };
            let text = String::from_utf8_lossy(&xml);
            let line = text
                .lines()
                .nth(e.position.line.saturating_sub(1))
                .unwrap_or("");
            let finding = Finding::new(rule, e.kind.to_string()).at(Location::in_line(
                line,
                e.position.line,
                e.position.column,
                String::new(),
            ));
            // A refused DOCTYPE or limit is a rejected message; broken XML is unreadable input.
            let mut verdict = Verdict::unreadable(finding);
            verdict.readable = rule.id != XML_MALFORMED.id;
            Err(Box::new(verdict))
        }
    }
}

/// Checks a parsed Response.
pub fn verify_document(
    doc: &Document,
    idp: &IdpMetadata,
    sp: &SpProfile,
    options: &VerifyOptions,
) -> Verdict {
    let mut findings = Vec::new();
    for bad in &idp.bad_certificates {
        findings.push(
            Finding::new(
                &CERT_UNPARSEABLE,
                format!(
                    "a signing certificate in the metadata is unusable: {}",
                    bad.error
                ),
            )
            .found(format!("{} at {}", bad.path, bad.position)),
        );
    }
    if idp.signing_keys.is_empty() {
        findings.push(Finding::new(
            &CERT_MISSING,
            "the IdP metadata has no usable signing certificate: nothing can be verified",
        ));
    }

    let Some(envelope) = ResponseEnvelope::read(doc) else {
        let root = doc
            .element(doc.root())
            .map(|e| e.qname())
            .unwrap_or_default();
        findings.push(
            Finding::new(
                &RESPONSE_NOT_A_RESPONSE,
                format!("the document is a {root}, not a samlp:Response"),
            )
            .expected("samlp:Response")
            .found(root)
            .at(Location::of_node(doc, doc.root())),
        );
        return finish(findings, None, Vec::new(), options);
    };

    let total = envelope.assertions.len() + envelope.encrypted_assertions.len();
    if total > 1 {
        findings.push(
            Finding::new(
                &ASSERTION_MULTIPLE,
                format!("the Response holds {total} assertions; exactly one is allowed"),
            )
            .expected("1 Assertion")
            .found(format!(
                "{} Assertion, {} EncryptedAssertion",
                envelope.assertions.len(),
                envelope.encrypted_assertions.len()
            ))
            .at(Location::of_node(
                doc,
                envelope
                    .assertions
                    .get(1)
                    .or(envelope.encrypted_assertions.first())
                    .copied()
                    .unwrap_or(envelope.node),
            )),
        );
    }
    let consumed = envelope.assertions.first().copied();
    let encrypted_assertion = envelope.encrypted_assertions.first().copied();
    match (consumed, encrypted_assertion, options.sp_key.as_ref()) {
        // Decrypted, the assertion is checked in the document it came from (see `encrypted`).
        (None, Some(enc), Some(key)) => {
            let inputs = Inputs { idp, sp, options };
            return encrypted::verify(doc, &envelope, enc, key, &inputs, findings);
        }
        (_, Some(enc), None) => findings.push(
            Finding::new(
                &ASSERTION_ENCRYPTED,
                "the assertion is encrypted; checking it needs the SP's private key (--sp-key)",
            )
            .found(doc.element(enc).map(|e| e.qname()).unwrap_or_default())
            .at(Location::of_node(doc, enc)),
        ),
        _ => {}
    }
    if consumed.is_none()
        && envelope.encrypted_assertions.is_empty()
        && envelope.status.code.as_deref() == Some(crate::saml::ns::STATUS_SUCCESS)
    {
        findings.push(
            Finding::new(
                &ASSERTION_MISSING,
                "the Response is a success but carries no assertion",
            )
            .expected("one saml:Assertion")
            .found("none")
            .at(Location::of_node(doc, envelope.node)),
        );
    }

    let coverage = signature::check(doc, consumed, &idp.signing_keys, &mut findings);
    let inputs = Inputs { idp, sp, options };
    let (assertion, summaries) =
        check_covered(doc, &envelope, consumed, &coverage, &inputs, &mut findings);
    finish(findings, assertion, summaries, options)
}

/// What a Response is checked against.
struct Inputs<'a> {
    idp: &'a IdpMetadata,
    sp: &'a SpProfile,
    options: &'a VerifyOptions,
}

/// Everything after signature coverage: the envelope, the consumed assertion's content (read
/// through the proof that covers it, if any) and the signature summaries.
fn check_covered<'d>(
    doc: &'d Document,
    envelope: &ResponseEnvelope,
    consumed: Option<NodeId>,
    coverage: &Coverage<'d>,
    inputs: &Inputs<'_>,
    findings: &mut Vec<Finding>,
) -> (Option<Assertion>, Vec<SignatureSummary>) {
    let Inputs { idp, sp, options } = *inputs;
    let clock = Clock {
        now: options.now,
        skew_seconds: options.clock_skew,
    };
    let response_signed = coverage
        .checks
        .iter()
        .any(|c| doc.parent(c.signature) == Some(envelope.node));
    envelope::check(
        doc,
        envelope,
        &idp.entity_id,
        sp,
        options.request_id.as_deref(),
        response_signed,
        findings,
    );

    let assertion = match (coverage.proof.as_ref(), consumed) {
        (Some(proof), Some(node)) => Assertion::read_verified(proof, node),
        (None, Some(node)) => Some(Assertion::read_unverified_for_diagnosis(doc, node)),
        _ => None,
    };
    if let Some(a) = &assertion {
        let mut content = Vec::new();
        subject::check(
            doc,
            a,
            &idp.entity_id,
            sp,
            options.request_id.as_deref(),
            &clock,
            &mut content,
        );
        conditions::check(doc, a, sp, &clock, &mut content);
        if !a.verified {
            for f in &mut content {
                f.notes.push(
                    "read from an assertion no valid signature covers; shown for diagnosis only"
                        .into(),
                );
            }
        }
        findings.extend(content);
    }

    let summaries = coverage
        .checks
        .iter()
        .map(|c| SignatureSummary {
            covers: c
                .referenced
                .or_else(|| doc.parent(c.signature))
                .map(|n| doc.path(n))
                .unwrap_or_default(),
            verified: c.result.is_ok(),
            algorithm: c.algorithm.map(|a| a.name()),
            digest: c.digest.map(|d| d.name().to_string()),
            certificate: c
                .result
                .as_ref()
                .ok()
                .map(|v| idp.signing_keys[v.key_index()].info().clone()),
        })
        .collect();
    (assertion.filter(|a| a.verified), summaries)
}

fn finish(
    findings: Vec<Finding>,
    assertion: Option<Assertion>,
    signatures: Vec<SignatureSummary>,
    options: &VerifyOptions,
) -> Verdict {
    let blocking = |f: &Finding| {
        f.severity == Severity::Error || (options.deny_warnings && f.severity == Severity::Warning)
    };
    let accepted = assertion.is_some() && !findings.iter().any(blocking);
    let assertion_id = assertion.as_ref().and_then(|a| a.id.clone());
    // The assertion is consumed: its names and values move into the verdict.
    let (subject, attributes) = match assertion {
        Some(a) => (
            a.name_id.map(|n| Subject {
                name_id: n.value,
                format: n.format.unwrap_or_else(|| {
                    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified".into()
                }),
            }),
            {
                let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for attr in a.attributes {
                    map.entry(attr.name).or_default().extend(attr.values);
                }
                map
            },
        ),
        None => (None, BTreeMap::new()),
    };
    Verdict {
        accepted,
        readable: true,
        subject,
        attributes,
        findings,
        signatures,
        assertion_id,
        encryption: None,
    }
}
