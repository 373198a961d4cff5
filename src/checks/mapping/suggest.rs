//! Finding the attribute that was probably meant: the same name in another letter case, a
//! FriendlyName typed where the Name belongs, or a well-known name for the same field (claim
//! URIs, `User.email`, `given_name`, X.500 OIDs...).

use super::invalid_email::looks_like_email;
use crate::sp::mapping::Field;

/// An attribute the IdP sends (or advertises) that a suggestion may name.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub name: &'a str,
    pub friendly_name: Option<&'a str>,
    /// The value the SP would use, when a response is at hand.
    pub value: Option<&'a str>,
}

/// Why a candidate is suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Same name, other letter case.
    Case,
    /// The mapped name is the candidate's FriendlyName.
    FriendlyName,
    /// A name commonly used for the field.
    KnownName,
    /// Its value is an email address (for User Email only).
    EmailValue,
}

/// The attribute to map instead, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub name: String,
    pub reason: Reason,
}

/// The best candidate for `field`, whose mapped name `wanted` (if any) was not found.
pub fn suggest(
    field: Field,
    wanted: Option<&str>,
    candidates: &[Candidate<'_>],
) -> Option<Suggestion> {
    let pick = |c: &Candidate<'_>, reason| {
        Some(Suggestion {
            name: c.name.to_string(),
            reason,
        })
    };
    if let Some(wanted) = wanted.map(str::trim).filter(|w| !w.is_empty()) {
        if let Some(c) = candidates
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(wanted))
        {
            return pick(c, Reason::Case);
        }
        if let Some(c) = candidates.iter().find(|c| {
            c.friendly_name
                .is_some_and(|f| f.trim().eq_ignore_ascii_case(wanted))
        }) {
            return pick(c, Reason::FriendlyName);
        }
    }
    for known in known_names(field) {
        let hit = candidates
            .iter()
            .find(|c| key(c.name) == *known || c.friendly_name.is_some_and(|f| key(f) == *known));
        if let Some(c) = hit {
            return pick(c, Reason::KnownName);
        }
    }
    if field == Field::Email {
        if let Some(c) = candidates
            .iter()
            .find(|c| c.value.is_some_and(looks_like_email))
        {
            return pick(c, Reason::EmailValue);
        }
    }
    None
}

/// Whether `name` is a name commonly used for `field`.
pub fn is_known_name(field: Field, name: &str) -> bool {
    known_names(field).contains(&key(name).as_str())
}

/// The part of an attribute name that says what it is: the last segment of a URI or dotted
/// name, lowercase, without `_` and `-` (`User.FirstName` -> `firstname`); OIDs stay whole.
pub fn key(name: &str) -> String {
    let name = name.trim();
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("urn:oid:") {
        return lower;
    }
    let last = name
        .rsplit(['/', ':', '.', '#'])
        .find(|s| !s.is_empty())
        .unwrap_or(name);
    last.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Keys of well-known names per field, best first.
fn known_names(field: Field) -> &'static [&'static str] {
    match field {
        // Immutable identifiers first; usernames and UPNs only after them.
        Field::UserId => &[
            "objectidentifier",
            "personimmutableid",
            "immutableid",
            "objectguid",
            "objectid",
            "subjectid",
            "pairwiseid",
            "uid",
            "userid",
            "identifier",
            "nameidentifier",
            "urn:oid:0.9.2342.19200300.100.1.1",
            "urn:oid:1.3.6.1.4.1.5923.1.1.1.13",
            "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
            "id",
            "sub",
            "username",
            "upn",
        ],
        Field::Email => &[
            "emailaddress",
            "email",
            "mail",
            "useremail",
            "primaryemail",
            "urn:oid:0.9.2342.19200300.100.1.3",
            "urn:oid:1.2.840.113549.1.9.1",
            "urn:oid:1.2.840.113549.1.9.1.1",
        ],
        Field::FirstName => &[
            "givenname",
            "firstname",
            "given",
            "first",
            "fname",
            "urn:oid:2.5.4.42",
        ],
        Field::LastName => &[
            "surname",
            "lastname",
            "familyname",
            "sn",
            "family",
            "last",
            "lname",
            "urn:oid:2.5.4.4",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: &'static str) -> Candidate<'static> {
        Candidate {
            name,
            friendly_name: None,
            value: None,
        }
    }

    #[test]
    fn keys() {
        assert_eq!(
            key("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"),
            "emailaddress"
        );
        assert_eq!(key("User.FirstName"), "firstname");
        assert_eq!(key("first_name"), "firstname");
        assert_eq!(
            key("urn:oasis:names:tc:SAML:attribute:subject-id"),
            "subjectid"
        );
        assert_eq!(key("urn:oid:2.5.4.42"), "urn:oid:2.5.4.42");
        assert_eq!(key("http://x/claims/"), "claims");
        assert_eq!(key(""), "");
    }

    #[test]
    fn prefers_case_then_friendly_then_known_names() {
        let list = [
            c("EMAIL"),
            Candidate {
                name: "urn:oid:0.9.2342.19200300.100.1.3",
                friendly_name: Some("mail"),
                value: None,
            },
        ];
        let s = suggest(Field::Email, Some("email"), &list).unwrap();
        assert_eq!((s.name.as_str(), s.reason), ("EMAIL", Reason::Case));
        let s = suggest(Field::Email, Some("mail"), &list[1..]).unwrap();
        assert_eq!(s.reason, Reason::FriendlyName);
        let s = suggest(Field::Email, Some("e-mail"), &list[1..]).unwrap();
        assert_eq!(s.reason, Reason::KnownName);
    }

    #[test]
    fn immutable_ids_beat_usernames() {
        let list = [
            c("username"),
            c("http://schemas.microsoft.com/identity/claims/objectidentifier"),
        ];
        assert_eq!(
            suggest(Field::UserId, None, &list).unwrap().name,
            "http://schemas.microsoft.com/identity/claims/objectidentifier"
        );
        assert_eq!(suggest(Field::LastName, None, &list), None);
    }

    #[test]
    fn email_by_value_as_a_last_resort() {
        let list = [Candidate {
            name: "login",
            friendly_name: None,
            value: Some("jane@acme.example"),
        }];
        let s = suggest(Field::Email, Some("email"), &list).unwrap();
        assert_eq!((s.name.as_str(), s.reason), ("login", Reason::EmailValue));
        assert_eq!(suggest(Field::UserId, None, &list), None);
    }
}
