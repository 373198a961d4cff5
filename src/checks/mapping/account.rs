//! The mapping rules applied to the account a test login would link ([`LinkPreview`], what the
//! mock SP shows): a required field left without a value, a mapped attribute the login did not
//! carry or carried empty, a user ID that changes at every login. Same rule ids as the checks on
//! a captured assertion, decided on the values the SP really took from a verified login.

use std::collections::BTreeMap;

use super::map_arg;
use super::suggest::{suggest, Candidate};
use super::unstable_user_id::TRANSIENT;
use crate::checks::catalog::mapping::{
    MAPPING_ATTRIBUTE_NOT_FOUND, MAPPING_EMPTY_VALUE, MAPPING_MISSING_REQUIRED,
    MAPPING_UNSTABLE_USER_ID,
};
use crate::checks::response::Subject;
use crate::checks::{Finding, Severity};
use crate::sp::mapping::Field;
use crate::sp::preview::{LinkPreview, PreviewField, Source};

/// Findings for `preview`, built from `subject` and `attributes` (the verified login's).
pub fn check(
    preview: &LinkPreview,
    subject: Option<&Subject>,
    attributes: &BTreeMap<String, Vec<String>>,
) -> Vec<Finding> {
    let candidates: Vec<Candidate<'_>> = attributes
        .iter()
        .map(|(name, values)| Candidate {
            name,
            friendly_name: None,
            value: values.first().map(String::as_str),
        })
        .collect();
    let names: Vec<&str> = attributes.keys().map(String::as_str).collect();
    let mut findings = Vec::new();
    for f in &preview.fields {
        let finding = match (&f.source, &f.value) {
            (Source::Mapped { attribute }, None) => Some(missing_value(
                f.field,
                attribute,
                attributes.contains_key(attribute),
                &candidates,
                &names,
            )),
            (Source::Unmapped, None) if f.field.required() => Some(unmapped(f.field, &candidates)),
            _ => unstable(f, subject),
        };
        findings.extend(finding);
    }
    findings
}

fn missing_value(
    field: Field,
    name: &str,
    present: bool,
    candidates: &[Candidate<'_>],
    names: &[&str],
) -> Finding {
    let mut f = if present {
        Finding::new(
            &MAPPING_EMPTY_VALUE,
            format!("`{name}` (mapped to {field}) has an empty value"),
        )
        .expected(format!("a non-empty {field}"))
        .found(format!("`{name}` empty"))
    } else {
        let mut f = Finding::new(
            &MAPPING_ATTRIBUTE_NOT_FOUND,
            format!("{field} is mapped to `{name}`, which the response does not have"),
        )
        .found(name);
        if let Some(s) = suggest(field, Some(name), candidates) {
            f.message
                .push_str(&format!("; it has `{}`: map {field} to it", s.name));
            f = f.expected(s.name.clone()).fix(format!(
                "Map {field} to `{}` ({}), or make the IdP send an attribute named `{name}`.",
                s.name,
                map_arg(field, &s.name)
            ));
        } else {
            f = f.fix(format!(
                "Make the IdP send an attribute named `{name}` (its attribute statements or claims), or map {field} to an attribute it sends."
            ));
        }
        if !names.is_empty() {
            f = f.note(format!("the response's attributes: {}", names.join(", ")));
        }
        f
    };
    if !field.required() {
        f = f.severity(Severity::Warning);
    }
    f
}

fn unmapped(field: Field, candidates: &[Candidate<'_>]) -> Finding {
    let mut f = Finding::new(
        &MAPPING_MISSING_REQUIRED,
        format!(
            "{field} is not mapped, and the response has no attribute the SP would take for it"
        ),
    )
    .expected(format!("an attribute for {field} ({})", field.key()))
    .found("nothing mapped");
    if let Some(s) = suggest(field, None, candidates) {
        f = f.expected(s.name.clone()).fix(format!(
            "Map {field} to `{}` ({}).",
            s.name,
            map_arg(field, &s.name)
        ));
    }
    f
}

/// The user ID is a transient NameID: taken from the NameID itself (nothing mapped), or from
/// an attribute that repeats it.
fn unstable(f: &PreviewField, subject: Option<&Subject>) -> Option<Finding> {
    let subject = subject.filter(|s| s.format == TRANSIENT)?;
    let value = f.value.as_deref()?;
    let whence = match &f.source {
        Source::NameId if f.field == Field::UserId => {
            "taken from the NameID (no attribute is mapped)".to_string()
        }
        Source::Mapped { attribute } | Source::Guessed { attribute }
            if f.field == Field::UserId && value == subject.name_id =>
        {
            format!("taken from `{attribute}`, which repeats the NameID")
        }
        _ => return None,
    };
    Some(
        Finding::new(
            &MAPPING_UNSTABLE_USER_ID,
            format!(
                "IdP User ID `{value}` is {whence}, and the NameID is transient: a new random value at every login"
            ),
        )
        .expected("an immutable per-user identifier (object ID, user ID, persistent NameID value)")
        .found(format!("{value} ({TRANSIENT})"))
        .note("every login would look like a new user: members would be asked to link their account again"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sp::mapping::AttributeMapping;
    use crate::sp::preview::preview;

    fn attrs(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
            .collect()
    }

    fn subject(name_id: &str, format: &str) -> Subject {
        Subject {
            name_id: name_id.into(),
            format: format.into(),
        }
    }

    fn rules(mapping: &str, s: &Subject, a: &BTreeMap<String, Vec<String>>) -> Vec<&'static str> {
        let m = AttributeMapping::parse(mapping).unwrap();
        let p = preview(&m, Some(s), a);
        check(&p, Some(s), a).iter().map(|f| f.rule).collect()
    }

    #[test]
    fn a_complete_stable_account_has_no_findings() {
        let email = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
        let a = attrs(&[("email", "j@a.example"), ("firstName", "J")]);
        assert!(rules("email=email", &subject("j@a.example", email), &a).is_empty());
    }

    #[test]
    fn missing_empty_unmapped_and_transient() {
        let s = subject("_f00", TRANSIENT);
        let a = attrs(&[("mail", "j@a.example"), ("firstName", "")]);
        let m = AttributeMapping::parse("email=email,first-name=firstName").unwrap();
        let p = preview(&m, Some(&s), &a);
        let f = check(&p, Some(&s), &a);
        let got: Vec<_> = f.iter().map(|f| (f.rule, f.severity)).collect();
        assert_eq!(
            got,
            [
                ("mapping/unstable-user-id", Severity::Error),
                ("mapping/attribute-not-found", Severity::Error),
                ("mapping/empty-value", Severity::Warning),
            ]
        );
        // The value under a usual name is suggested.
        assert_eq!(f[1].expected.as_deref(), Some("mail"));
        assert!(f[1].fix.contains("--map email=mail"), "{}", f[1].fix);

        let none = attrs(&[]);
        let p = preview(&AttributeMapping::default(), Some(&s), &none);
        let got: Vec<_> = check(&p, Some(&s), &none).iter().map(|f| f.rule).collect();
        assert_eq!(
            got,
            ["mapping/unstable-user-id", "mapping/missing-required"]
        );
    }
}
