//! `mapping/invalid-email`: the value the SP takes as User Email is not an email address.

use super::{map_arg, ObservedAssertion};
use crate::checks::catalog::mapping::MAPPING_INVALID_EMAIL;
use crate::checks::Finding;
use crate::sp::mapping::Field;

pub fn check(obs: ObservedAssertion<'_>, field: Field, name: &str, findings: &mut Vec<Finding>) {
    if field != Field::Email {
        return;
    }
    let Some(value) = obs.first_value(name) else {
        return;
    };
    if value.is_empty() || looks_like_email(value) {
        return;
    }
    let why = describe(value);
    let mut f = Finding::new(
        &MAPPING_INVALID_EMAIL,
        format!("User Email is mapped to `{name}`, whose value `{value}` is not an email address ({why})"),
    )
    .expected("an email address, such as jane.doe@example.com")
    .found(value);
    if let Some(a) = obs.named(name).first() {
        f = f.at(obs.location_of(a));
    }
    let other = obs
        .assertion
        .attributes
        .iter()
        .find(|a| a.name != name && a.values.first().is_some_and(|v| looks_like_email(v)));
    if let Some(a) = other {
        f.message = format!(
            "{}; the response has `{}` = `{}`: map User Email to it",
            f.message,
            a.name,
            a.values.first().map_or("", String::as_str)
        );
        f = f.expected(a.name.clone()).fix(format!(
            "Map User Email to `{}` ({}, and the same in the SP's SAML attribute mapping), or fix the source of `{name}` in the IdP.",
            a.name,
            map_arg(field, &a.name)
        ));
    }
    findings.push(f);
}

/// Why `value` is not an address, in a few words.
fn describe(value: &str) -> &'static str {
    // 8-4-4-4-12 like a GUID (Entra's object ID, AD's objectGUID).
    let guid_like = value.split('-').map(str::len).eq([8, 4, 4, 4, 12])
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if value.contains('@') {
        "it does not have the form local@domain.tld"
    } else if guid_like {
        "it looks like an object ID"
    } else if value.contains(' ') {
        "it looks like a name"
    } else {
        "there is no @"
    }
}

/// A pragmatic address check: `local@domain` with a dotted domain of letters, digits and
/// hyphens (any script), no spaces (outside a quoted local part) or controls, and lengths
/// within RFC 5321's limits.
pub fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let quoted = local.len() >= 2 && local.starts_with('"') && local.ends_with('"');
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.chars().any(char::is_control)
        && (quoted
            || (!local.chars().any(char::is_whitespace)
                && !local.contains('@')
                && !local.starts_with('.')
                && !local.ends_with('.')
                && !local.contains("..")
                && !local.contains(['<', '>', '(', ')', ',', ';', ':', '[', ']', '\\', '"'])));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()));
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        for ok in [
            "jane.doe@acme.example",
            "j+tag@sub.acme.co.uk",
            "\"jane doe\"@acme.example",
            "jörg@bücher.example",
            "JANE@ACME.EXAMPLE",
        ] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in [
            "",
            "jane",
            "jane@",
            "@acme.example",
            "jane@localhost",
            "jane doe@acme.example",
            "jane@acme..example",
            "jane@-acme.example",
            "jane@10.0.0.1",
            "jane..doe@acme.example",
            "<jane@acme.example>",
            "3b9d2f6e-8a1c-4e7b-b5d0-0a1b2c3d4e5f",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }

    #[test]
    fn says_why() {
        assert_eq!(
            describe("3b9d2f6e-8a1c-4e7b-b5d0-0a1b2c3d4e5f"),
            "it looks like an object ID"
        );
        assert_eq!(describe("Jane Doe"), "it looks like a name");
        assert_eq!(describe("jdoe"), "there is no @");
        assert_eq!(
            describe("jane@localhost"),
            "it does not have the form local@domain.tld"
        );
    }
}
