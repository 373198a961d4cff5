//! `mapping/empty-value`: the mapped attribute is there, but the value the SP takes is empty.

use super::ObservedAssertion;
use crate::checks::catalog::mapping::MAPPING_EMPTY_VALUE;
use crate::checks::{Finding, Severity};
use crate::saml::response::Attribute;
use crate::sp::mapping::Field;

/// Reports an empty first value; `true` when it did, so value checks are skipped.
pub fn check(
    obs: ObservedAssertion<'_>,
    field: Field,
    name: &str,
    found: &[&Attribute],
    findings: &mut Vec<Finding>,
) -> bool {
    let Some(first) = found.first() else {
        return false;
    };
    let value = first.values.first().map(String::as_str);
    if value.is_some_and(|v| !v.is_empty()) {
        return false;
    }
    let what = if value.is_none() {
        "has no AttributeValue"
    } else {
        "has an empty value"
    };
    let mut f = Finding::new(
        &MAPPING_EMPTY_VALUE,
        format!("`{name}` (mapped to {field}) {what}"),
    )
    .expected(format!("a non-empty {field}"))
    .found(format!("`{name}` empty"))
    .at(obs.location_of(first));
    if !field.required() {
        f = f.severity(Severity::Warning);
    }
    findings.push(f);
    true
}
