//! Rules of the GO / NO-GO preflight (`samlcheck check`): what it could not prove, and what
//! only the combination of metadata, settings and a test login reveals.

use super::Rule;
use crate::checks::finding::Severity;

super::rules! {
    PREFLIGHT_NO_TEST_LOGIN = "preflight/no-test-login", Error,
        "No successful test login was checked.",
        "Metadata and settings can look right while logins still fail: the IdP may not send the attributes it advertises, may sign with another certificate than the one published, or may not have the user assigned to the application. Only a real response, verified as the SP will verify it, proves the whole chain. Turning on \"Require SSO\" without one risks locking every member out. samlcheck check therefore says NO-GO until a captured response is given (--response), unless the check is run with --no-test-login (for CI, where no browser is at hand).",
        "Log in once through the IdP (a test user, the IdP's \"Test\" button, or samlcheck serve), capture the SAMLResponse (browser developer tools or SAML-tracer), and pass it with --response.";
    PREFLIGHT_URLS_UNCHECKED = "preflight/urls-unchecked", Error,
        "None of the SP URLs configured in the IdP was compared with the SP's.",
        "The ACS URL and the Audience (SP entity ID) must be typed into the IdP exactly; samlcheck can only prove they are when it sees them: as typed (--acs, --audience, --sls), in an SP metadata file exported from the IdP (--sp-metadata), or in a test login's response (Destination, Recipient, Audience).",
        "Pass the values as they appear in the IdP console (--acs URL --audience URL), or a captured test login (--response).";
    PREFLIGHT_VENDOR_UNKNOWN = "preflight/vendor-unknown", Info,
        "The IdP product was not recognized from its metadata.",
        "samlcheck names the console fields to change in each IdP's own words (\"Okta: Single sign-on URL\", \"Entra ID: Reply URL\") and starts the attribute mapping from that IdP's preset. For metadata whose entityID and endpoints match no known product, fixes use the generic SAML names and no preset is assumed.",
        "Nothing is required. Pass --preset with the IdP's product to start the mapping from its usual attribute names.";
    PREFLIGHT_PRESET_MISMATCH = "preflight/preset-mismatch", Warning,
        "The attribute preset is for another IdP than the one that published the metadata.",
        "A preset holds the attribute names one product sends (Okta: email, firstName; Entra ID: claim URIs). The metadata looks like another product's, so the preset's names are probably not what this IdP sends, unless the IdP was set up on purpose to send them.",
        "Use the preset of the detected IdP (or leave --preset out: the detected IdP's preset is the default), or name the attributes with --map.";
    PREFLIGHT_SIGNER_NOT_FIRST = "preflight/signer-not-first", Warning,
        "The test login was signed with a certificate that is not the metadata's first signing certificate.",
        "The response verifies against the metadata, but with a later signing certificate. SPs that keep every certificate accept it; SPs that keep only the first one (Sentry among them) reject every login signed this way. This happens during a certificate rollover, when the IdP already signs with the new certificate and still lists the old one first.",
        "Make the certificate the IdP signs with the first one in the metadata (remove the retired certificate, or download the metadata again after the rollover), and upload the metadata to the SP again.";
}
