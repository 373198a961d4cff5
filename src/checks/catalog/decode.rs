//! Rules of `decode`: how a captured message travelled (its binding and Redirect signature)
//! and what the IdP answered.

use super::Rule;
use crate::checks::finding::Severity;

super::rules! {
    BINDING_DECODE_FAILED = "binding/decode-failed", Error,
        "A captured SAML message could not be decoded.",
        "A SAMLRequest or SAMLResponse travels as base64 (HTTP-POST) or as base64 of DEFLATE (HTTP-Redirect), URL-encoded in a query or form body. The finding names the layers that were peeled off and the one that broke, with the byte or character where it broke. A value cut short (by a terminal, a chat client, a log line limit) fails in base64 or in inflate; a value from a URL that was URL-decoded twice loses its '+' characters.",
        "Copy the complete value again, from the browser's network tab or a HAR export rather than from the address bar or a screenshot.";
    BINDING_NOT_A_MESSAGE = "binding/not-a-message", Error,
        "The decoded XML is not a SAML 2.0 protocol message.",
        "`decode` reads the messages of web browser SSO and single logout: samlp:AuthnRequest, samlp:Response, samlp:LogoutRequest and samlp:LogoutResponse, in the namespace urn:oasis:names:tc:SAML:2.0:protocol. The input was XML, but its root element is none of these: metadata, a bare Assertion, a WS-Federation token, a SOAP envelope or another document.",
        "Give the SAMLRequest or SAMLResponse value (or the URL or form body that carries it); check metadata with `samlcheck lint`.";
    BINDING_REDIRECT_SIGNATURE_INVALID = "binding/redirect-signature-invalid", Error,
        "The HTTP-Redirect binding signature does not verify.",
        "With the HTTP-Redirect binding the signature is not in the XML: it covers the query bytes `SAMLRequest=...&RelayState=...&SigAlg=...` exactly as sent, in that order (saml-bindings 3.4.4.1). It fails when the message or RelayState was changed, when the query was re-encoded on the way (a proxy or a copy that decoded %2B), when the signer's key is not the certificate given, or when SigAlg is not an allowed algorithm (RSA or ECDSA with SHA-256/384/512; SHA-1 verifies with a warning).",
        "Check that the certificate given (IdP metadata, or --sp-cert for the SP's requests) is the one the sender signs with, and capture the URL unmodified (a HAR export keeps it).";
    BINDING_REDIRECT_SIGNATURE_MISSING = "binding/redirect-signature-missing", Error,
        "A message that must be signed came by HTTP-Redirect without a signature.",
        "An IdP whose metadata says WantAuthnRequestsSigned=\"true\" refuses unsigned AuthnRequests; logout messages must be signed (saml-profiles 4.4.4.1) or an attacker can log users out; and a Response never travels by HTTP-Redirect in web browser SSO, so an unsigned one there is unauthenticated.",
        "Configure the sender to sign messages sent by HTTP-Redirect (for the SP: upload its signing certificate to the IdP and enable request signing).";
    BINDING_REDIRECT_SIGNATURE_UNCHECKED = "binding/redirect-signature-unchecked", Info,
        "The HTTP-Redirect binding signature was not checked: no certificate was given.",
        "The message carries SigAlg and Signature in the URL, but verifying them needs the signer's certificate: the IdP's from its metadata (--idp-metadata) for messages from the IdP, the SP's (--sp-cert) for the SP's AuthnRequests and logout messages.",
        "Give --idp-metadata, or --sp-cert with the SP's signing certificate, to verify the signature.";
    RESPONSE_IDP_ERROR = "response/idp-error", Error,
        "The IdP answered with an error status instead of a login.",
        "The IdP refused to log the user in to this SP and said why in the Status: a SAML status code (Requester: the request was wrong; Responder: the IdP could not or would not answer; with a second-level code such as AuthnFailed, RequestDenied, NoPassive, InvalidNameIDPolicy) and often a vendor message in StatusMessage, such as Microsoft Entra ID's AADSTS codes. The finding explains the code and names the console setting that fixes it.",
        "Follow the fix in the finding; it names the setting in the IdP's console.";
}
