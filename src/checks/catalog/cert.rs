//! Rules about the X.509 certificates in metadata KeyDescriptors: readability, validity dates,
//! key strength, and the set of signing certificates of a role.

use super::Rule;
use crate::checks::finding::Severity;

super::rules! {
    CERT_MISSING = "cert/missing", Error,
        "The role lists no signing certificate.",
        "No KeyDescriptor with use=\"signing\" (or without a use attribute) carries a ds:X509Certificate. The SP verifies every response with the certificate from the IdP metadata, so without one no login can be accepted. An IdP metadata document that lists only an encryption certificate is in the same state. An SPSSODescriptor needs a signing certificate only when it signs its AuthnRequests (AuthnRequestsSigned=\"true\").",
        "Download the complete metadata of the IdP application again; it must contain a KeyDescriptor use=\"signing\" with the IdP's signing certificate.";
    CERT_UNPARSEABLE = "cert/unparseable", Error,
        "A ds:X509Certificate element does not hold a readable certificate.",
        "The element must contain the base64 of one DER-encoded X.509 certificate, nothing else: line breaks and spaces are allowed, PEM header lines, non-ASCII spaces, stray characters, a second certificate or a missing tail are not. Consumers fail differently on each (python3-saml and Sentry answer with a generic metadata error, others drop the certificate silently). The finding says what is wrong and at which character of the element's text.",
        "Copy the certificate again from the IdP console (the base64 between the BEGIN and END lines only) or re-download the metadata, and check the place the finding names.";
    CERT_EXPIRED = "cert/expired", Error,
        "The certificate has expired.",
        "The certificate's notAfter date has passed. Consumers disagree on what that means: python3-saml (and so Sentry) ignores certificate dates and keeps accepting signatures made with the key, while crewjam/saml (through goxmldsig) rejects every response signed with it (\"Cert is not valid at this time\"), and so do other SPs that enforce validity. An expired signing certificate usually also means the IdP has already rolled over to a new one.",
        "Renew the signing certificate in the IdP (or activate the new one it has prepared), then download the metadata again and upload it to every SP.";
    CERT_NOT_YET_VALID = "cert/not-yet-valid", Error,
        "The certificate is not valid yet.",
        "The certificate's notBefore date lies in the future. python3-saml (and so Sentry) ignores certificate dates; crewjam/saml (through goxmldsig) rejects responses signed with it until that date (\"Cert is not valid at this time\"). Often the IdP has published its next certificate early, which is right for rollover as long as the current one is still listed and used for signing; otherwise a clock is wrong.",
        "Keep the current certificate active for signing until the new one is valid; check the clocks of the IdP and of the machine running the check.";
    CERT_EXPIRING_SOON = "cert/expiring-soon", Warning,
        "The certificate expires soon.",
        "The certificate's notAfter date falls within the warning window (--expiry-warning-days, 30 days by default). After that date python3-saml (and so Sentry) keeps accepting it, since it ignores certificate dates, but crewjam/saml (through goxmldsig) and other SPs that enforce validity reject every response signed with it. The IdP will have to roll its signing certificate over, and every SP will need the new metadata.",
        "Plan the rollover: create the new signing certificate in the IdP, publish it in the metadata beside the current one, update every SP, then switch signing to it.";
    CERT_WEAK_KEY = "cert/weak-key", Error,
        "The certificate's public key is weak.",
        "RSA keys under 2048 bits can be factored with today's means or soon will be; DSA is withdrawn for new signatures (FIPS 186-5) and XML-DSig only signs with it using SHA-1, so most SPs refuse it; elliptic curves under 256 bits are too small; moduli with the ROCA fingerprint (CVE-2017-15361, keys from Infineon chips before 2017) can be factored from the public key alone. A public exponent below 65537 is reported at warning level: it is not broken by itself, but it makes padding mistakes exploitable and is a sign of an unusual key generator.",
        "Generate a new signing key in the IdP (RSA 2048 or 3072 with exponent 65537, or ECDSA P-256), publish its certificate, update every SP, and retire the old key.";
    CERT_WEAK_SIGNATURE_ALGORITHM = "cert/weak-signature-algorithm", Info,
        "The certificate itself is signed with MD5 or SHA-1.",
        "The signature on the certificate (by its issuer, usually itself) uses a broken hash. This does not matter for SAML: the metadata pins the certificate, and SAML consumers use only its public key, never the certificate's own signature or a chain of issuers. It matters only if the same certificate also serves TLS or another PKI use, and some tools that scan metadata flag it.",
        "Nothing is required for SAML. When the certificate is next renewed, have it signed with SHA-256.";
    CERT_ROLLOVER = "cert/rollover", Info,
        "The role lists several signing certificates.",
        "Several signing certificates are normal during a rollover: the IdP publishes the next certificate beside the current one. SPs that keep every certificate accept signatures by any of them. Some SPs (Sentry among them) keep only the FIRST signing certificate of the metadata, so responses signed with another one fail there until the metadata is uploaded again. The finding names the first certificate so it can be compared with the one the IdP signs with.",
        "Make sure the certificate the IdP currently signs with comes first in the metadata, or upload the metadata again to SPs that keep one certificate after the IdP switches.";
}
