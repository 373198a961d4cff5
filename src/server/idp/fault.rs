//! The ways the mock IdP can misbehave on purpose (`--fault NAME`), each with the rule id that
//! `samlcheck verify` (or the attribute-mapping check) reports for it, so users can see what a
//! failure looks like and tests can drive every one.

use crate::checks::catalog::{self, mapping, Rule};

/// One deliberate mistake in the issued response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// Audience = the SP's ACS URL (the two URLs swapped in the IdP console).
    WrongAudience,
    /// Audience = the SP entity ID without its final slash.
    AudienceMissingTrailingSlash,
    /// Response Destination = the ACS URL with the other scheme (http <-> https).
    WrongDestination,
    /// Bearer Recipient = the SP's metadata URL (pasted where the ACS URL belongs).
    WrongRecipient,
    /// Issued an hour ago, valid for five minutes.
    Expired,
    /// The IdP clock runs an hour ahead.
    NotYetValid,
    /// The IdP clock runs two minutes ahead: inside the allowed skew.
    ClockSkew,
    /// No signature anywhere.
    Unsigned,
    /// Signed by a key the IdP metadata does not list.
    SignedByOtherKey,
    /// RSA-SHA1 signature and SHA-1 digest.
    Sha1,
    /// The email attribute is left out.
    MissingEmail,
    /// NameID Format transient: a new random value at every login.
    TransientNameId,
    /// Response and Assertion issued under another entity ID.
    WrongIssuer,
    /// InResponseTo names another request.
    InResponseToMismatch,
    /// The NameID is changed after signing.
    TamperedAfterSigning,
    /// Status Responder (the user is not assigned to the application), no assertion.
    StatusResponder,
    /// No AudienceRestriction at all.
    NoAudience,
}

/// Which check reports a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckedBy {
    /// `samlcheck verify` (the response pipeline).
    Verify,
    /// The attribute-mapping check (`samlcheck check --response`, the mock SP's mapping
    /// preview): the response itself is valid.
    Mapping,
}

impl Fault {
    /// Every fault, in `--list-faults` order.
    pub const ALL: [Fault; 17] = [
        Fault::WrongAudience,
        Fault::AudienceMissingTrailingSlash,
        Fault::WrongDestination,
        Fault::WrongRecipient,
        Fault::Expired,
        Fault::NotYetValid,
        Fault::ClockSkew,
        Fault::Unsigned,
        Fault::SignedByOtherKey,
        Fault::Sha1,
        Fault::MissingEmail,
        Fault::TransientNameId,
        Fault::WrongIssuer,
        Fault::InResponseToMismatch,
        Fault::TamperedAfterSigning,
        Fault::StatusResponder,
        Fault::NoAudience,
    ];

    /// The `--fault` value.
    pub fn name(self) -> &'static str {
        match self {
            Fault::WrongAudience => "wrong-audience",
            Fault::AudienceMissingTrailingSlash => "audience-missing-trailing-slash",
            Fault::WrongDestination => "wrong-destination",
            Fault::WrongRecipient => "wrong-recipient",
            Fault::Expired => "expired",
            Fault::NotYetValid => "not-yet-valid",
            Fault::ClockSkew => "clock-skew",
            Fault::Unsigned => "unsigned",
            Fault::SignedByOtherKey => "signed-by-other-key",
            Fault::Sha1 => "sha1",
            Fault::MissingEmail => "missing-email",
            Fault::TransientNameId => "transient-nameid",
            Fault::WrongIssuer => "wrong-issuer",
            Fault::InResponseToMismatch => "in-response-to-mismatch",
            Fault::TamperedAfterSigning => "tampered-after-signing",
            Fault::StatusResponder => "status-responder",
            Fault::NoAudience => "no-audience",
        }
    }

    /// One line saying what the IdP does wrong.
    pub fn description(self) -> &'static str {
        match self {
            Fault::WrongAudience => "Audience is the SP's ACS URL instead of its entity ID (the two fields swapped in the IdP console)",
            Fault::AudienceMissingTrailingSlash => "Audience is the SP entity ID without its final '/'",
            Fault::WrongDestination => "the Response's Destination is the ACS URL with the other scheme (http <-> https)",
            Fault::WrongRecipient => "the bearer Recipient is the SP's metadata URL (pasted where the ACS URL belongs)",
            Fault::Expired => "the assertion was issued an hour ago and expired 55 minutes ago",
            Fault::NotYetValid => "the IdP clock runs an hour ahead: NotBefore is in the future",
            Fault::ClockSkew => "the IdP clock runs two minutes ahead: accepted thanks to the clock-skew allowance",
            Fault::Unsigned => "neither the Response nor the Assertion is signed",
            Fault::SignedByOtherKey => "signed by a key the IdP metadata does not list (a rolled-over or wrong certificate)",
            Fault::Sha1 => "signed with RSA-SHA1 and a SHA-1 digest: accepted with a warning",
            Fault::MissingEmail => "the email attribute is left out (the response verifies; the SP cannot map the user's email)",
            Fault::TransientNameId => "NameID Format transient, a new random value at every login (the response verifies; a user ID taken from it changes every time)",
            Fault::WrongIssuer => "the Response and Assertion Issuer is another entity ID than the metadata's",
            Fault::InResponseToMismatch => "InResponseTo names another AuthnRequest than the one the SP sent",
            Fault::TamperedAfterSigning => "the NameID is changed to another user after signing",
            Fault::StatusResponder => "the IdP answers Status Responder/RequestDenied (user not assigned to the application), with no assertion",
            Fault::NoAudience => "the assertion has no AudienceRestriction: accepted with a warning",
        }
    }

    /// The rule the check reports for this fault (the first one to look for; some faults
    /// also produce related findings, e.g. `wrong-issuer` on both Response and Assertion).
    pub fn rule(self) -> &'static Rule {
        match self {
            Fault::WrongAudience | Fault::AudienceMissingTrailingSlash => {
                &catalog::ASSERTION_AUDIENCE_MISMATCH
            }
            Fault::WrongDestination => &catalog::RESPONSE_DESTINATION_MISMATCH,
            Fault::WrongRecipient => &catalog::ASSERTION_RECIPIENT_MISMATCH,
            Fault::Expired => &catalog::ASSERTION_EXPIRED,
            Fault::NotYetValid => &catalog::ASSERTION_NOT_YET_VALID,
            Fault::ClockSkew => &catalog::ASSERTION_CLOCK_SKEW,
            Fault::Unsigned => &catalog::SIGNATURE_MISSING,
            Fault::SignedByOtherKey => &catalog::SIGNATURE_UNTRUSTED_KEY,
            Fault::Sha1 => &catalog::SIGNATURE_WEAK_ALGORITHM,
            Fault::MissingEmail => &mapping::MAPPING_ATTRIBUTE_NOT_FOUND,
            Fault::TransientNameId => &mapping::MAPPING_UNSTABLE_USER_ID,
            Fault::WrongIssuer => &catalog::RESPONSE_ISSUER_MISMATCH,
            Fault::InResponseToMismatch => &catalog::ASSERTION_IN_RESPONSE_TO,
            Fault::TamperedAfterSigning => &catalog::SIGNATURE_DIGEST_MISMATCH,
            Fault::StatusResponder => &catalog::RESPONSE_STATUS,
            Fault::NoAudience => &catalog::ASSERTION_NO_AUDIENCE,
        }
    }

    /// Which check reports [`Fault::rule`].
    pub fn checked_by(self) -> CheckedBy {
        match self {
            Fault::MissingEmail | Fault::TransientNameId => CheckedBy::Mapping,
            _ => CheckedBy::Verify,
        }
    }

    /// Whether `samlcheck verify` still accepts the response (without `--deny warnings`).
    pub fn verify_accepts(self) -> bool {
        matches!(
            self,
            Fault::ClockSkew
                | Fault::Sha1
                | Fault::MissingEmail
                | Fault::TransientNameId
                | Fault::NoAudience
        )
    }

    /// The fault named `name` (as in `--fault`).
    pub fn from_name(name: &str) -> Option<Fault> {
        let name = name.trim();
        Fault::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `--fault` names a fault that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a fault; the faults are {list} (see --list-faults)", list = Fault::ALL.map(Fault::name).join(", "))]
pub struct UnknownFault(pub String);

impl std::str::FromStr for Fault {
    type Err = UnknownFault;

    fn from_str(s: &str) -> Result<Fault, UnknownFault> {
        Fault::from_name(s).ok_or_else(|| UnknownFault(s.trim().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for f in Fault::ALL {
            assert!(seen.insert(f.name()), "{f} twice");
            assert_eq!(f.name().parse::<Fault>(), Ok(f));
            assert!(!f.description().is_empty());
            assert!(
                catalog::rule(f.rule().id).is_some(),
                "{f}: rule not in the catalog"
            );
        }
        let err = "wrong-audiense".parse::<Fault>().unwrap_err();
        assert!(err.to_string().contains("wrong-audience"), "{err}");
    }

    #[test]
    fn accepted_faults_report_no_error_rule() {
        use crate::checks::Severity;
        for f in Fault::ALL {
            if f.verify_accepts() && f.checked_by() == CheckedBy::Verify {
                assert_ne!(f.rule().severity, Severity::Error, "{f}");
            }
        }
    }
}
