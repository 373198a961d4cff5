//! Rules about SAML messages: XML safety, decoding, the Response, the Assertion and its signature.

use super::Rule;
use crate::checks::finding::Severity;

super::rules! {
    XML_DOCTYPE = "xml/doctype", Error,
        "The document contains a DOCTYPE declaration.",
        "SAML messages and metadata never need a DTD. DTDs enable entity-expansion bombs (billion laughs), external entities that read files or URLs (XXE), and parser differentials between the verifier and the consumer. samlcheck refuses any DOCTYPE before reading further; nothing is expanded or fetched.",
        "Remove the DOCTYPE. If an IdP really sends one, it is misconfigured or the message was tampered with.";
    XML_LIMITS = "xml/limits", Error,
        "The document exceeds a size, depth or attribute-count limit.",
        "Hostile input is bounded: by default a message may be at most 4 MiB, 128 elements deep, with at most 256 attributes per element. Real SAML messages are a few kilobytes.",
        "Check that the input is the SAML message itself and not, for example, a whole HAR file or page.";
    XML_MALFORMED = "xml/malformed", Error,
        "The input is not well-formed, namespace-correct UTF-8 XML.",
        "Everything samlcheck verifies is read from one strict parse. Anything another parser might read differently (undefined entities, unbound prefixes, duplicate attributes, control characters, a second root element) is refused rather than guessed at.",
        "Make sure the whole value was copied; the location says where parsing stopped.";
    INPUT_DECODE = "input/decode-failed", Error,
        "The input could not be decoded to a SAML message.",
        "A SAMLResponse travels as base64 (HTTP-POST) or base64 of DEFLATE (HTTP-Redirect), often URL-encoded. The message says which layer failed and where.",
        "Copy the complete value of the SAMLResponse form field (a HAR file or the browser's network tab has it).";
    RESPONSE_NOT_A_RESPONSE = "response/not-a-response", Error,
        "The document is not a samlp:Response.",
        "`verify` checks SAML 2.0 Responses (urn:oasis:names:tc:SAML:2.0:protocol). AuthnRequests, logout messages and metadata are handled by `decode` and `lint`.",
        "Give the SAMLResponse that the IdP posted to the ACS URL.";
    RESPONSE_VERSION = "response/version", Error,
        "The Response or Assertion is not SAML 2.0.",
        "Version must be \"2.0\"; SAML 1.1 and WS-Federation tokens are different protocols.",
        "Configure the IdP application for SAML 2.0.";
    RESPONSE_STATUS = "response/status", Error,
        "The IdP reported a failure instead of success.",
        "The top-level StatusCode is not urn:oasis:names:tc:SAML:2.0:status:Success, so the IdP did not authenticate the user for this SP. The second-level code and StatusMessage say why.",
        "Read the IdP's status code and message; most often the user is not assigned to the application or the SP entity ID is unknown to the IdP.";
    RESPONSE_DESTINATION_MISMATCH = "response/destination-mismatch", Error,
        "The Response's Destination is not this SP's ACS URL.",
        "The IdP addressed the response to another URL. SPs compare Destination with their own ACS URL exactly, so a trailing slash, scheme, host or org-slug difference is fatal.",
        "Set the IdP application's ACS / Reply / Single sign-on URL to the expected value exactly.";
    RESPONSE_ISSUER_MISMATCH = "response/issuer-mismatch", Error,
        "The Response's Issuer is not the IdP entity ID from the metadata.",
        "The SP looks up the IdP by its entity ID; a response issued by another entity is refused, even if its signature is good.",
        "Use the metadata of the IdP application that actually sends the response.";
    ASSERTION_MISSING = "assertion/missing", Error,
        "The Response holds no Assertion.",
        "A successful Response must carry one Assertion (or EncryptedAssertion) with the user's identity.",
        "Check the IdP application's SAML settings and the status of the Response.";
    ASSERTION_MULTIPLE = "assertion/multiple", Error,
        "The Response holds more than one Assertion.",
        "SPs consume exactly one assertion. A second one is the shape of an assertion-injection or wrapping attack, and different SPs would pick different ones.",
        "An IdP sends one assertion per response; if this is a real IdP message, report it to the IdP vendor.";
    ASSERTION_ENCRYPTED = "assertion/encrypted", Error,
        "The assertion is encrypted and cannot be checked without the SP's private key.",
        "The Response carries an EncryptedAssertion: the IdP encrypted it for the SP's encryption certificate, and only the matching private key decrypts it. Without that key nothing inside it (subject, audience, validity, its own signature) can be checked, so the response cannot be accepted.",
        "Give the SP private key (`samlcheck verify --sp-key sp.key`), or turn off assertion encryption in the IdP application for the test.";
    ASSERTION_DECRYPTION_FAILED = "assertion/decryption-failed", Error,
        "The encrypted assertion could not be decrypted with the SP key.",
        "Every cryptographic failure (a key the IdP did not encrypt for, a corrupted or truncated ciphertext, bad padding, a failed AES-GCM tag, a plaintext that is not text) gets the same message on purpose: telling them apart would turn the SP into a decryption oracle (Bleichenbacher's attack on RSA PKCS#1 v1.5, Jager and Somorovsky's on AES-CBC). The notes say only what does not depend on the secret: the algorithms, and which certificate the IdP encrypted for compared with the SP key given. A malformed EncryptedAssertion, an unsupported algorithm, or an authenticated plaintext (AES-GCM, or a signed Response) that is not one saml:Assertion is named as such.",
        "Make sure the IdP encrypts for the certificate of the SP key in use: upload the SP's current encryption certificate (or SP metadata) to the IdP application, or give the matching --sp-key.";
    ASSERTION_WEAK_ENCRYPTION = "assertion/weak-encryption", Warning,
        "The assertion's key is encrypted with RSA PKCS#1 v1.5 (rsa-1_5).",
        "RSA PKCS#1 v1.5 encryption is open to Bleichenbacher-style padding-oracle attacks: an SP whose answers or timing depend on the padding lets an attacker decrypt the key, and so the assertion. samlcheck decrypts it without such an oracle (implicit rejection), but XML Encryption 1.1 no longer recommends it and some SPs refuse it.",
        "Set the IdP application's key transport (key encryption) algorithm to RSA-OAEP.";
    ASSERTION_ISSUER_MISMATCH = "assertion/issuer-mismatch", Error,
        "The Assertion's Issuer is not the IdP entity ID from the metadata.",
        "The assertion must be issued by the IdP whose metadata the SP trusts.",
        "Use the metadata of the IdP application that issues the assertion.";
    ASSERTION_NO_NAME_ID = "assertion/no-name-id", Error,
        "The assertion has no Subject NameID.",
        "The SP identifies the user by the NameID (IdP User ID). Without it, no account can be linked.",
        "Configure the NameID (Name ID format and value) in the IdP application.";
    ASSERTION_NO_BEARER = "assertion/no-bearer-confirmation", Error,
        "The Subject has no bearer SubjectConfirmation.",
        "Web browser SSO requires a SubjectConfirmation with Method urn:oasis:names:tc:SAML:2.0:cm:bearer and SubjectConfirmationData carrying Recipient and NotOnOrAfter (saml-profiles 4.1.4.2).",
        "The IdP must issue a bearer confirmation; check that the application is a SAML 2.0 web SSO application.";
    ASSERTION_RECIPIENT_MISMATCH = "assertion/recipient-mismatch", Error,
        "The bearer SubjectConfirmationData Recipient is not this SP's ACS URL.",
        "Recipient says where the assertion may be delivered; the SP compares it with its ACS URL exactly.",
        "Set the IdP application's ACS / Recipient URL to the expected value exactly.";
    ASSERTION_IN_RESPONSE_TO = "assertion/in-response-to-mismatch", Error,
        "InResponseTo does not match the AuthnRequest the SP sent.",
        "For SP-initiated login, the Response and its bearer confirmation must answer the request the SP issued. A different or missing InResponseTo means a replayed, unsolicited or crossed response.",
        "Start the login from the SP (its login URL) and post the response it leads to, or drop --request-id for IdP-initiated login.";
    ASSERTION_IN_RESPONSE_TO_UNCHECKED = "assertion/in-response-to-unchecked", Info,
        "InResponseTo was present but not checked.",
        "The response answers an AuthnRequest, but no --request-id was given, so samlcheck cannot tell whether it answers the request this SP sent. A real SP checks it against its session.",
        "Pass --request-id with the ID of the AuthnRequest the SP sent.";
    ASSERTION_UNSOLICITED = "assertion/unsolicited", Info,
        "The response answers no AuthnRequest (IdP-initiated login).",
        "Neither the Response nor its bearer confirmation carries InResponseTo: the login was started at the IdP (a dashboard tile or an IdP-side link), not at the SP's login URL. Sentry accepts IdP-initiated login, so this is not an error, but such a response cannot be tied to a request the SP sent, which is why SPs that allow it must keep a replay cache.",
        "Nothing, if IdP-initiated login is intended. To test SP-initiated login, start at the SP's login URL (samlcheck serve: /saml/login/{org}/).";
    ASSERTION_REPLAYED = "assertion/replayed", Error,
        "The assertion was already delivered once.",
        "An SP consumes each assertion ID only once (saml-profiles 4.1.4.5). A second delivery of the same assertion is a replay: the browser resubmitted the posted form (Back or Reload), or someone captured the response and sent it again.",
        "Start a new login so the IdP issues a fresh assertion; never resubmit a posted response.";
    ASSERTION_EXPIRED = "assertion/expired", Error,
        "The assertion is no longer valid (NotOnOrAfter has passed).",
        "Conditions NotOnOrAfter or the bearer SubjectConfirmationData NotOnOrAfter lies in the past, beyond the allowed clock skew. Either the response is old (replayed, or checked later) or a clock is wrong.",
        "Check the clocks of the IdP and SP (NTP); use a fresh response; with captures, pass --now set to when it was received.";
    ASSERTION_NOT_YET_VALID = "assertion/not-yet-valid", Error,
        "The assertion is not valid yet (NotBefore is in the future).",
        "Conditions NotBefore lies in the future beyond the allowed clock skew: the IdP's clock runs ahead of the SP's.",
        "Synchronize the IdP and SP clocks (NTP), or raise --clock-skew if a small drift is expected.";
    ASSERTION_CLOCK_SKEW = "assertion/clock-skew-used", Info,
        "The assertion was accepted only thanks to the clock-skew allowance.",
        "A validity bound was crossed by less than the allowed skew. Login works, but the clocks differ.",
        "Check the IdP and SP clocks; the finding says by how much the skew was needed.";
    ASSERTION_BAD_TIME = "assertion/bad-timestamp", Error,
        "A timestamp is not a valid xs:dateTime in UTC.",
        "SAML timestamps must be xs:dateTime values in UTC (saml-core 1.3.3), such as 2026-01-15T10:00:00Z.",
        "Report the malformed timestamp to the IdP vendor.";
    ASSERTION_AUDIENCE_MISMATCH = "assertion/audience-mismatch", Error,
        "No Audience in the AudienceRestriction is this SP's entity ID.",
        "The IdP issued the assertion for another SP. The Audience must equal the SP entity ID exactly.",
        "Set the IdP application's Audience URI / Identifier (Entity ID) to the expected value exactly.";
    ASSERTION_NO_AUDIENCE = "assertion/no-audience", Warning,
        "The assertion has no AudienceRestriction.",
        "Without an audience, an assertion issued for another SP could be replayed here. Most SPs accept it; it is a weakness of the IdP configuration.",
        "Set the Audience URI / Entity ID in the IdP application.";
    ASSERTION_NO_AUTHN_STATEMENT = "assertion/no-authn-statement", Error,
        "The assertion has no AuthnStatement.",
        "Web browser SSO assertions must say how and when the user authenticated (saml-profiles 4.1.4.2).",
        "Make sure the IdP application is a SAML 2.0 SSO application, not an attribute query service.";
    SIGNATURE_MISSING = "signature/missing", Error,
        "No signature covers the assertion.",
        "Neither the Assertion nor the enclosing Response carries a ds:Signature. An unsigned assertion can be forged by anyone.",
        "Turn on assertion (or response) signing in the IdP application.";
    SIGNATURE_INVALID = "signature/invalid", Error,
        "The signature is malformed or its SignatureValue does not verify.",
        "The signed content is intact (the digest matches) but the SignatureValue does not verify with the trusted certificate, or the signature is structurally broken.",
        "Re-download the IdP metadata so the certificate matches the key the IdP signs with.";
    SIGNATURE_BAD_REFERENCE = "signature/bad-reference", Error,
        "The signature's Reference is not the single URI=\"#ID\" that SAML requires.",
        "A SAML signature has exactly one Reference naming the ID of the element it signs (saml-core 5.4.2). Empty, external or missing references sign something else than what would be read.",
        "The IdP must sign the Assertion or Response by its ID.";
    SIGNATURE_DIGEST_MISMATCH = "signature/digest-mismatch", Error,
        "The signed content changed after it was signed.",
        "The digest of the signed element no longer matches the one in SignedInfo: something modified the element (a proxy, a pretty-printer, a copy and paste, or an attacker).",
        "Capture the response exactly as the IdP sent it; if it was re-indented or re-encoded on the way, fix what did that.";
    SIGNATURE_UNTRUSTED_KEY = "signature/untrusted-key", Error,
        "The signature was made with a key the IdP metadata does not list.",
        "The message is signed correctly, but by a certificate the SP does not trust: typically the IdP rolled its signing certificate over and the SP still has the old metadata, or the metadata of another application was uploaded.",
        "Download the current metadata of this IdP application and upload it to the SP (or add the new certificate).";
    SIGNATURE_WRAPPING = "signature/wrapping", Error,
        "The signature does not cover the element that would be consumed (signature wrapping).",
        "The signature is valid for some element, but not for the Assertion the SP would read: the signed element is elsewhere in the document, its ID is duplicated, or the Reference points away from the enclosing element. This is the XML signature-wrapping attack class (XSW).",
        "Treat the message as an attack unless it comes straight from the IdP; never accept it.";
    SIGNATURE_WEAK_ALGORITHM = "signature/weak-algorithm", Warning,
        "The signature uses SHA-1.",
        "SHA-1 collisions are practical. The signature verifies, but the IdP should sign with SHA-256 or better.",
        "Set the IdP application's signature algorithm to RSA-SHA256 (and digest SHA-256).";
    SIGNATURE_DISALLOWED_ALGORITHM = "signature/disallowed-algorithm", Error,
        "The signature uses an algorithm or transform that is not allowed.",
        "Only RSA and ECDSA with SHA-256/384/512 (SHA-1 with a warning), the enveloped-signature transform and (exclusive) canonicalization are accepted. HMAC, DSA, MD5, XSLT and XPath transforms are refused: each has been used to forge or confuse signatures.",
        "Configure the IdP to sign with RSA-SHA256 and exclusive canonicalization.";
}
