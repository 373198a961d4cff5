//! `metadata/entity-id-invalid`: an absolute URI of at most 1024 characters.

use super::MetadataContext;
use crate::checks::catalog::METADATA_ENTITY_ID_INVALID;
use crate::checks::{Finding, Location};
use crate::saml::metadata::EntityDescriptor;

const MAX_LEN: usize = 1024;

/// Why `id` is not an acceptable entityID, if it is not.
pub fn problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("it is empty".into());
    }
    if id.trim() != id {
        return Some("it has leading or trailing whitespace".into());
    }
    if id.chars().count() > MAX_LEN {
        return Some(format!(
            "it is {} characters long (at most {MAX_LEN})",
            id.chars().count()
        ));
    }
    if id.chars().any(char::is_whitespace) {
        return Some("it contains whitespace".into());
    }
    let scheme_ok = id.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if !scheme_ok {
        return Some(
            "it has no URI scheme (such as https: or urn:), so it is not an absolute URI".into(),
        );
    }
    if let Some(rest) = id
        .strip_prefix("https://")
        .or_else(|| id.strip_prefix("http://"))
    {
        if rest.split(['/', '?', '#']).next().unwrap_or("").is_empty() {
            return Some("the URL has no host".into());
        }
    }
    None
}

pub fn check(ctx: &MetadataContext<'_>, entity: &EntityDescriptor, findings: &mut Vec<Finding>) {
    let found = entity.entity_id.as_deref();
    let why = match found {
        None => Some("the entityID attribute is missing".to_string()),
        Some(id) => problem(id),
    };
    if let Some(why) = why {
        let shown: String = found.unwrap_or("").chars().take(120).collect();
        findings.push(
            Finding::new(
                &METADATA_ENTITY_ID_INVALID,
                format!("the entityID is not usable: {why}"),
            )
            .expected("an absolute URI of at most 1024 characters")
            .found(if found.is_some() {
                shown
            } else {
                "no entityID".into()
            })
            .at(Location::of_attribute(ctx.doc, entity.node, "entityID")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn accepts_urls_and_urns() {
        assert_eq!(problem("https://idp.example.com/saml"), None);
        assert_eq!(problem("urn:acme.auth0.com"), None);
        assert_eq!(problem("http://www.okta.com/exk1"), None);
        assert!(problem("idp.example.com")
            .unwrap()
            .contains("no URI scheme"));
        assert!(problem("https:///x").unwrap().contains("no host"));
        assert!(problem(&format!("https://x/{}", "a".repeat(1100)))
            .unwrap()
            .contains("characters long"));
        assert!(problem(" https://x").unwrap().contains("whitespace"));
    }
}
