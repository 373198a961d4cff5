//! The HTTP-Redirect binding's signature: over the query bytes `SAMLRequest=...&RelayState=...
//! &SigAlg=...` exactly as sent (saml-bindings 3.4.4.1), not over the XML.

use base64::Engine;
use openssl::bn::BigNum;
use openssl::ecdsa::EcdsaSig;
use openssl::pkey::{Id, PKey, Public};
use openssl::sign::Verifier;

use super::context::DecodeContext;
use super::message::{split_pairs, Binding, Param, RawMessage};
use super::report::{MessageKind, RedirectSignature, SignedBytes};
use crate::checks::catalog::{
    BINDING_REDIRECT_SIGNATURE_INVALID, BINDING_REDIRECT_SIGNATURE_MISSING,
    BINDING_REDIRECT_SIGNATURE_UNCHECKED, SIGNATURE_WEAK_ALGORITHM,
};
use crate::checks::{Finding, Severity};
use crate::saml::authn_request::percent_encode;
use crate::xml::dsig::algorithm::{describe_refused, KeyKind, SignatureAlgorithm};
use crate::xml::dsig::TrustedKey;

/// The bytes the signature covers, and whether they are the ones sent.
pub fn signed_bytes(message: &RawMessage) -> (String, SignedBytes) {
    let param = message.param.unwrap_or(Param::SamlRequest).name();
    if let Some(query) = &message.raw_query {
        let pairs = split_pairs(query);
        // The first occurrence of each, in the binding's fixed order, bytes untouched.
        let find = |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        let mut out = format!("{param}={}", find(param).unwrap_or(""));
        if let Some(rs) = find("RelayState") {
            out.push_str(&format!("&RelayState={rs}"));
        }
        if let Some(alg) = find("SigAlg") {
            out.push_str(&format!("&SigAlg={alg}"));
        }
        return (out, SignedBytes::AsSent);
    }
    let mut out = format!("{param}={}", message.value);
    if let Some(rs) = &message.relay_state {
        out.push_str(&format!("&RelayState={}", percent_encode(rs)));
    }
    if let Some(alg) = &message.sig_alg {
        out.push_str(&format!("&SigAlg={}", percent_encode(alg)));
    }
    (out, SignedBytes::Rebuilt)
}

/// Whether a message of `kind` must be signed when it comes by Redirect, and how badly it
/// matters if it is not.
fn required(kind: MessageKind, ctx: &DecodeContext<'_>) -> Option<(Severity, &'static str)> {
    match kind {
        MessageKind::AuthnRequest if ctx.want_authn_requests_signed == Some(true) => Some((
            Severity::Error,
            "the AuthnRequest is unsigned, but the IdP metadata says WantAuthnRequestsSigned=\"true\": the IdP will refuse it",
        )),
        MessageKind::LogoutRequest | MessageKind::LogoutResponse => Some((
            Severity::Warning,
            "the logout message came by HTTP-Redirect unsigned: anyone could have sent it",
        )),
        MessageKind::Response => Some((
            Severity::Error,
            "a Response came by HTTP-Redirect unsigned: web browser SSO sends responses by HTTP-POST, and nothing authenticates this one",
        )),
        _ => None,
    }
}

/// The certificates that may have signed a message of `kind`.
fn candidates<'a>(kind: MessageKind, ctx: &DecodeContext<'a>) -> Vec<&'a TrustedKey> {
    let idp = ctx.idp.map(|i| i.signing_keys.iter()).into_iter().flatten();
    let sp = ctx.sp_certs.iter();
    match kind {
        MessageKind::AuthnRequest => sp.collect(),
        // Logout travels both ways; a Response comes from the IdP.
        MessageKind::Response => idp.collect(),
        _ => idp.chain(sp).collect(),
    }
}

/// ECDSA signatures arrive as DER (OpenSSL-based signers) or as r || s (XML-DSig style).
fn verifies(alg: SignatureAlgorithm, key: &PKey<Public>, data: &[u8], value: &[u8]) -> bool {
    let fits = matches!(
        (alg.key, key.id()),
        (KeyKind::Rsa, Id::RSA) | (KeyKind::Ecdsa, Id::EC)
    );
    if !fits {
        return false;
    }
    let check = |value: &[u8]| {
        Verifier::new(alg.hash.message_digest(), key)
            .and_then(|mut v| {
                v.update(data)?;
                v.verify(value)
            })
            .unwrap_or(false)
    };
    if check(value) {
        return true;
    }
    alg.key == KeyKind::Ecdsa && raw_ecdsa_to_der(value).is_some_and(|der| check(&der))
}

fn raw_ecdsa_to_der(raw: &[u8]) -> Option<Vec<u8>> {
    if raw.is_empty() || !raw.len().is_multiple_of(2) {
        return None;
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    EcdsaSig::from_private_components(BigNum::from_slice(r).ok()?, BigNum::from_slice(s).ok()?)
        .ok()?
        .to_der()
        .ok()
}

/// Checks the Redirect signature of `message` (a message of `kind`), adding findings.
pub fn check(
    message: &RawMessage,
    kind: MessageKind,
    ctx: &DecodeContext<'_>,
    findings: &mut Vec<Finding>,
) -> Option<RedirectSignature> {
    if message.binding != Binding::Redirect {
        return None;
    }
    let invalid = |text: String| Finding::new(&BINDING_REDIRECT_SIGNATURE_INVALID, text);
    let Some(signature) = message.signature.as_deref() else {
        if let Some((severity, text)) = required(kind, ctx) {
            findings.push(
                Finding::new(&BINDING_REDIRECT_SIGNATURE_MISSING, text)
                    .severity(severity)
                    .expected("SigAlg and Signature in the query")
                    .found("no Signature parameter"),
            );
        }
        return None;
    };
    let Some(sig_alg) = message.sig_alg.clone() else {
        findings.push(invalid(
            "the query has a Signature but no SigAlg: the algorithm is unknown and nothing can be verified".into(),
        ));
        return None;
    };
    let mut summary = RedirectSignature {
        sig_alg: sig_alg.clone(),
        verified: false,
        signed_bytes: signed_bytes(message).1,
        certificate: None,
    };
    let Some(alg) = SignatureAlgorithm::from_uri(&sig_alg) else {
        findings.push(
            invalid(format!(
                "SigAlg {sig_alg} is not allowed: {}",
                describe_refused(&sig_alg)
            ))
            .expected("RSA or ECDSA with SHA-256, SHA-384 or SHA-512")
            .found(sig_alg),
        );
        return Some(summary);
    };
    let compact: String = signature.chars().filter(|c| !c.is_whitespace()).collect();
    let value = match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
        Ok(v) => v,
        Err(e) => {
            findings.push(invalid(format!(
                "the Signature parameter is not base64 ({e}): it was cut or re-encoded on the way"
            )));
            return Some(summary);
        }
    };
    let keys = candidates(kind, ctx);
    if keys.is_empty() {
        findings.push(Finding::new(
            &BINDING_REDIRECT_SIGNATURE_UNCHECKED,
            format!(
                "the {kind} is signed ({}) but no certificate was given to verify it",
                alg.name()
            ),
        ));
        return Some(summary);
    }
    let (data, source) = signed_bytes(message);
    match keys
        .iter()
        .find(|k| verifies(alg, k.public_key(), data.as_bytes(), &value))
    {
        Some(key) => {
            summary.verified = true;
            summary.certificate = Some(key.info().clone());
            if alg.hash.is_weak() {
                findings.push(
                    Finding::new(
                        &SIGNATURE_WEAK_ALGORITHM,
                        format!("the Redirect signature uses {}", alg.name()),
                    )
                    .found(sig_alg),
                );
            }
        }
        None => {
            let mut f = invalid(format!(
                "the {} signature over the query does not verify with {} certificate(s)",
                alg.name(),
                keys.len()
            ))
            .found(format!("signed bytes: {}", clip(&data)));
            for k in &keys {
                f = f.note(format!(
                    "tried {} (SHA-256 {})",
                    k.info().subject,
                    k.info().sha256
                ));
            }
            if source == SignedBytes::Rebuilt {
                f = f.note("the query as sent was not captured; the signed bytes were rebuilt from decoded values and may differ from the original encoding");
            }
            findings.push(f);
        }
    }
    Some(summary)
}

fn clip(text: &str) -> String {
    if text.len() <= 120 {
        return text.to_string();
    }
    let mut end = 60;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut start = text.len() - 50;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("{}...{}", &text[..end], &text[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_bytes_follow_the_binding_order_and_keep_the_encoding() {
        let m = RawMessage::from_url(
            "https://idp/sso?SigAlg=a%3Ab&x=1&RelayState=r%2F&SAMLRequest=v%2B&Signature=s",
        )
        .unwrap();
        assert_eq!(
            signed_bytes(&m),
            (
                "SAMLRequest=v%2B&RelayState=r%2F&SigAlg=a%3Ab".to_string(),
                SignedBytes::AsSent
            )
        );
        let mut rebuilt = m.clone();
        rebuilt.raw_query = None;
        assert_eq!(signed_bytes(&rebuilt).1, SignedBytes::Rebuilt);
        assert_eq!(
            signed_bytes(&rebuilt).0,
            "SAMLRequest=v%2B&RelayState=r%2F&SigAlg=a%3Ab"
        );
    }
}
