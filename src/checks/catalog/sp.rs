//! Rules about the SP under test: its org slug and the SP URLs as typed into the IdP.

use super::Rule;
use crate::checks::finding::Severity;

super::rules! {
    SP_ORG_SLUG_INVALID = "sp/org-slug-invalid", Error,
        "The organization slug is not a valid slug.",
        "Every SP URL is built from the org slug ({base}/saml/acs/{org}/ and so on), so a wrong slug makes every URL wrong. A slug is lowercase letters, digits, '-' and '_', is not only digits (that would read as a numeric organization ID) and has at most 50 characters. Uppercase letters, spaces and invisible characters usually come from typing the organization's display name or from copy-paste.",
        "Use the organization's slug exactly as it appears in its URLs.";
}
