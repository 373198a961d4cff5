//! Rules about the SP under test: its org slug and the SP URLs as typed into the IdP.

use super::Rule;
use crate::checks::finding::Severity;

super::rules! {
    SP_ORG_SLUG_INVALID = "sp/org-slug-invalid", Error,
        "The organization slug is not a valid slug.",
        "Every SP URL is built from the org slug ({base}/saml/acs/{org}/ and so on), so a wrong slug makes every URL wrong. A slug is lowercase letters, digits, '-' and '_', is not only digits (that would read as a numeric organization ID) and has at most 50 characters. Uppercase letters, spaces and invisible characters usually come from typing the organization's display name or from copy-paste.",
        "Use the organization's slug exactly as it appears in its URLs.";
    SP_ACS_MISMATCH = "sp/acs-mismatch", Error,
        "The ACS URL configured in the IdP is not this SP's ACS URL.",
        "The IdP posts the response to the ACS URL (Single sign-on URL, Reply URL, Recipient) and writes it into Destination and Recipient; the SP compares both with its own ACS URL exactly. A missing trailing slash, http instead of https, another host, a missing self-hosted path prefix, a slug typo, a letter-case difference, an invisible character or the metadata URL pasted into this field all make every login fail. The finding's hint names which difference it is.",
        "Set the IdP application's ACS URL to the expected value exactly.";
    SP_AUDIENCE_MISMATCH = "sp/audience-mismatch", Error,
        "The Audience (SP entity ID) configured in the IdP is not this SP's entity ID.",
        "The IdP writes the Audience URI / Identifier (Entity ID) into the assertion's AudienceRestriction; the SP accepts only assertions whose Audience equals its entity ID ({base}/saml/metadata/{org}/) exactly. Pasting the ACS URL here is the most common mistake. The finding's hint names which difference it is.",
        "Set the IdP application's Audience URI / Identifier (Entity ID) to the expected value exactly.";
    SP_SLS_MISMATCH = "sp/sls-mismatch", Warning,
        "The Single Logout URL configured in the IdP is not this SP's SLS URL.",
        "Logout requests and responses from the IdP go to the Single Logout URL. A wrong value does not stop logins, but logging out at the IdP leaves the SP session open, and some IdPs show an error page at logout. The finding's hint names which difference it is.",
        "Set the IdP application's Single Logout URL to the expected value exactly, or leave it empty.";
}
