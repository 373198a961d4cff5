//! The account the SP would create or link from a verified login: each user field with the
//! attribute it comes from and its value ("Sentry would link user-id X, email Y, name Z").
//! Values are looked up as the SP does (exact attribute Name, first value); a field the
//! mapping leaves empty falls back to the NameID (user ID) or a well-known attribute name, and
//! says so. The mapping rules are applied to the result, so the preview also says what would
//! go wrong.

use std::collections::BTreeMap;

use crate::checks::response::Subject;
use crate::checks::Finding;
use crate::sp::mapping::{AttributeMapping, Field};

/// Where a field's value was looked for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum Source {
    /// The attribute the mapping names.
    Mapped { attribute: String },
    /// Not mapped: the subject's NameID stands in.
    NameId,
    /// Not mapped: a well-known attribute name that the response carries.
    Guessed { attribute: String },
    /// Not mapped, and nothing suitable in the response.
    Unmapped,
}

/// One user field as the SP would fill it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PreviewField {
    pub field: Field,
    #[serde(flatten)]
    pub source: Source,
    /// The value the SP would take; `None` when the attribute is missing or empty.
    pub value: Option<String>,
}

impl PreviewField {
    pub fn label(&self) -> &'static str {
        self.field.label()
    }
}

/// The user the SP would link.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LinkPreview {
    /// User ID, email, first name, last name, in that order.
    pub fields: Vec<PreviewField>,
    /// Whether the required fields (user ID and email) have values.
    pub complete: bool,
    /// The mapping rules on this account: what is missing or would not stay the same from one
    /// login to the next (see [`crate::checks::mapping::account`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

/// Well-known names for fields a mapping leaves empty, most common first.
fn well_known(field: Field) -> &'static [&'static str] {
    match field {
        Field::UserId => &[],
        Field::Email => &[
            "email",
            "mail",
            "Email",
            "emailAddress",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            "urn:oid:0.9.2342.19200300.100.1.3",
        ],
        Field::FirstName => &[
            "firstName",
            "givenName",
            "first_name",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
            "urn:oid:2.5.4.42",
        ],
        Field::LastName => &[
            "lastName",
            "sn",
            "surname",
            "last_name",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
            "urn:oid:2.5.4.4",
        ],
    }
}

/// The preview for a verified subject and its attributes under `mapping`.
pub fn preview(
    mapping: &AttributeMapping,
    subject: Option<&Subject>,
    attributes: &BTreeMap<String, Vec<String>>,
) -> LinkPreview {
    // The SP takes the first value and treats an empty one as missing.
    let first = |name: &str| {
        attributes
            .get(name)
            .and_then(|v| v.first())
            .filter(|v| !v.trim().is_empty())
            .cloned()
    };
    let fields: Vec<PreviewField> = Field::ALL
        .into_iter()
        .map(|field| match mapping.get(field) {
            Some(name) => PreviewField {
                field,
                source: Source::Mapped {
                    attribute: name.to_string(),
                },
                value: first(name),
            },
            None if field == Field::UserId => PreviewField {
                field,
                source: Source::NameId,
                value: subject.map(|s| s.name_id.clone()).filter(|v| !v.is_empty()),
            },
            None => match well_known(field).iter().find_map(|n| Some((*n, first(n)?))) {
                Some((name, value)) => PreviewField {
                    field,
                    source: Source::Guessed {
                        attribute: name.to_string(),
                    },
                    value: Some(value),
                },
                None => PreviewField {
                    field,
                    source: Source::Unmapped,
                    value: None,
                },
            },
        })
        .collect();
    let complete = fields
        .iter()
        .filter(|f| f.field.required())
        .all(|f| f.value.is_some());
    let mut p = LinkPreview {
        fields,
        complete,
        findings: Vec::new(),
    };
    p.findings = crate::checks::mapping::account::check(&p, subject, attributes);
    p
}

impl LinkPreview {
    pub fn get(&self, field: Field) -> Option<&PreviewField> {
        self.fields.iter().find(|f| f.field == field)
    }

    /// "user-id X, email Y, name Z", or what is missing.
    pub fn sentence(&self) -> String {
        let value = |field: Field| self.get(field).and_then(|f| f.value.as_deref());
        let name = [value(Field::FirstName), value(Field::LastName)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !self.complete {
            let missing: Vec<&str> = self
                .fields
                .iter()
                .filter(|f| f.field.required() && f.value.is_none())
                .map(|f| f.field.label())
                .collect();
            return format!(
                "Sentry could not link a user: no value for {}",
                missing.join(" and ")
            );
        }
        let mut out = format!(
            "Sentry would link user-id {}, email {}",
            value(Field::UserId).unwrap_or_default(),
            value(Field::Email).unwrap_or_default()
        );
        if !name.is_empty() {
            out.push_str(&format!(", name {name}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
            .collect()
    }

    #[test]
    fn mapped_fields_take_the_first_value() {
        let mapping = AttributeMapping::parse("user-id=uid,email=mail").unwrap();
        let mut a = attrs(&[("uid", "42"), ("firstName", "Jane")]);
        a.insert(
            "mail".into(),
            vec!["jane@a.example".into(), "j@b.example".into()],
        );
        let p = preview(&mapping, None, &a);
        assert!(p.complete);
        assert_eq!(
            p.sentence(),
            "Sentry would link user-id 42, email jane@a.example, name Jane"
        );
        assert_eq!(
            p.get(Field::FirstName).unwrap().source,
            Source::Guessed {
                attribute: "firstName".into()
            }
        );
        assert_eq!(p.get(Field::LastName).unwrap().source, Source::Unmapped);
    }

    #[test]
    fn unmapped_user_id_is_the_name_id_and_missing_values_are_said() {
        let subject = Subject {
            name_id: "jane@acme.example".into(),
            format: String::new(),
        };
        let p = preview(&AttributeMapping::default(), Some(&subject), &attrs(&[]));
        assert_eq!(p.get(Field::UserId).unwrap().source, Source::NameId);
        assert!(!p.complete);
        assert_eq!(
            p.sentence(),
            "Sentry could not link a user: no value for User Email"
        );
        let mapping = AttributeMapping::parse("email=email").unwrap();
        let p = preview(&mapping, Some(&subject), &attrs(&[("email", " ")]));
        assert_eq!(p.get(Field::Email).unwrap().value, None);
    }
}
