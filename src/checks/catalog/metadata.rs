//! Rules about SAML metadata: entities, roles, endpoints, validity and the metadata signature.

use super::Rule;
use crate::checks::finding::Severity;

super::rules! {
    METADATA_NOT_METADATA = "metadata/not-metadata", Error,
        "The file is not SAML 2.0 metadata.",
        "Metadata is an md:EntityDescriptor (one entity) or md:EntitiesDescriptor (an aggregate) in the urn:oasis:names:tc:SAML:2.0:metadata namespace. Sentry answers anything else with \"Failed to parse provided SAML2 metadata\".",
        "Download the IdP's SAML 2.0 metadata XML (not a certificate, a login page or a WS-Federation document).";
    METADATA_NO_IDP = "metadata/no-idp-descriptor", Error,
        "The entity has no IDPSSODescriptor.",
        "An SP needs the IdP's IDPSSODescriptor: its single sign-on endpoints and signing certificates. This file describes something else, usually the SP itself (its SPSSODescriptor) exported by mistake. `lint` reports a file holding only an SP's metadata when given --require-idp (a repository of IdP metadata) and otherwise lints it as SP metadata; `check` always expects the IdP's.",
        "Download the metadata of the identity provider application, not of the service provider.";
    METADATA_IGNORED_ROLE = "metadata/ignored-role-descriptor", Info,
        "A role descriptor that SAML 2.0 SSO does not use is ignored.",
        "Entra ID and ADFS publish WS-Federation md:RoleDescriptor elements (xsi:type fed:SecurityTokenServiceType or fed:ApplicationServiceType) beside the IDPSSODescriptor. They are valid and harmless; SAML 2.0 SSO ignores them. Some SAML libraries choke on them, samlcheck does not.",
        "Nothing to do.";
    METADATA_NO_SAML2 = "metadata/no-saml2-protocol", Error,
        "The role does not announce SAML 2.0 in protocolSupportEnumeration.",
        "protocolSupportEnumeration must contain urn:oasis:names:tc:SAML:2.0:protocol for SAML 2.0 SSO. Without it the role is SAML 1.x or WS-Federation only, and SAML 2.0 SPs ignore it.",
        "Use the IdP's SAML 2.0 metadata, or add urn:oasis:names:tc:SAML:2.0:protocol to protocolSupportEnumeration.";
    METADATA_NO_SSO = "metadata/no-sso-service", Error,
        "The IdP lists no SingleSignOnService.",
        "Without a SingleSignOnService endpoint an SP cannot send users to log in (SP-initiated login fails; only IdP-initiated login can work).",
        "Use complete IdP metadata: it must contain SingleSignOnService with the HTTP-Redirect or HTTP-POST binding.";
    METADATA_POST_ONLY = "metadata/post-only-sso", Info,
        "The IdP accepts AuthnRequests only with HTTP-POST.",
        "SPs that send AuthnRequests with the HTTP-Redirect binding (the most common default, Sentry's included) find no endpoint for it. They must be able to send an auto-submitting POST form.",
        "Enable the HTTP-Redirect binding on the IdP if the SP only sends redirects.";
    METADATA_REDIRECT_ONLY = "metadata/redirect-only-sso", Info,
        "The IdP accepts AuthnRequests only with HTTP-Redirect.",
        "SPs that POST their AuthnRequests (often those that sign large requests) find no endpoint for it. Most SPs redirect, so this usually works.",
        "Enable the HTTP-POST binding on the IdP if the SP posts its requests.";
    METADATA_UNKNOWN_BINDING = "metadata/unknown-binding", Warning,
        "An endpoint names a binding URI that is not a known SAML binding.",
        "Bindings are URIs such as urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect. An unknown (often misspelled) binding makes the endpoint invisible to every SP.",
        "Correct the Binding attribute to a standard SAML binding URI.";
    METADATA_INSECURE_ENDPOINT = "metadata/insecure-endpoint", Error,
        "An endpoint uses http:// instead of https://.",
        "Assertions and session cookies sent over plain HTTP can be read and replayed by anyone on the network path.",
        "Serve the endpoint over HTTPS and update the Location.";
    METADATA_DUPLICATE_INDEX = "metadata/duplicate-endpoint-index", Error,
        "Indexed endpoints share an index, or several claim to be the default.",
        "Indexed endpoints (AssertionConsumerService, ArtifactResolutionService) are chosen by index; a repeated index or several isDefault=\"true\" make the choice ambiguous and SPs or IdPs pick differently.",
        "Give every indexed endpoint of a kind its own index and at most one isDefault=\"true\".";
    METADATA_ENTITY_ID_INVALID = "metadata/entity-id-invalid", Error,
        "The entityID is not an absolute URI of at most 1024 characters.",
        "SAML requires entityID to be an absolute URI (saml-core 8.3.6) of at most 1024 characters. SPs store and compare it exactly; a relative or overlong one is rejected or truncated.",
        "Set the IdP's entity ID (Issuer) to an absolute URI such as https://idp.example.com/saml.";
    METADATA_EXPIRED = "metadata/expired", Error,
        "The metadata's validUntil has passed.",
        "Metadata past its validUntil must not be used (saml-metadata 2.3.2). Federation software discards it, and SPs that honour it refuse logins.",
        "Download fresh metadata from the IdP, or have the federation re-sign the aggregate.";
    METADATA_EXPIRING_SOON = "metadata/expiring-soon", Warning,
        "The metadata's validUntil is close.",
        "When validUntil passes, SPs that honour it stop accepting logins from this IdP.",
        "Plan to refresh the metadata before it expires (or automate the refresh).";
    METADATA_INVALID_DATE = "metadata/invalid-date", Error,
        "A validUntil or cacheDuration value cannot be read.",
        "validUntil is an xs:dateTime (2027-01-01T00:00:00Z) and cacheDuration an xs:duration (PT6H).",
        "Correct the value in the metadata.";
    METADATA_TRANSIENT_ONLY = "metadata/transient-nameid-only", Warning,
        "The IdP offers only transient NameIDs.",
        "A transient NameID changes at every login, so the SP cannot recognise a returning user by it: each login looks like a new user unless another attribute is used as the IdP User ID.",
        "Offer a persistent or emailAddress NameIDFormat, or map the SP's user ID to a stable attribute.";
    METADATA_WANT_SIGNED_REQUESTS = "metadata/want-authn-requests-signed", Info,
        "The IdP wants signed AuthnRequests.",
        "WantAuthnRequestsSigned=\"true\": the SP must sign its AuthnRequests with a key the IdP knows (from the SP's metadata). SPs that do not sign see the IdP reject every login.",
        "Upload the SP metadata (with its signing certificate) to the IdP and enable request signing on the SP, or turn the requirement off in the IdP.";
    METADATA_SIGNATURE_INVALID = "metadata/signature-invalid", Error,
        "The metadata is signed but the signature does not verify.",
        "A metadata signature protects the IdP's keys and endpoints in transit. If it fails, the metadata was changed after signing or signed by another key than the one expected.",
        "Download the metadata again from the authoritative source and check the signer certificate.";
    METADATA_SIGNATURE_MISSING = "metadata/signature-missing", Error,
        "The metadata is not signed, but a signer certificate was given.",
        "With --signer-cert, the metadata must carry a valid signature by that certificate (federation aggregates always do).",
        "Fetch the signed aggregate from the federation, or drop --signer-cert for unsigned vendor metadata.";
}
