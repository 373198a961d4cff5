//! `mapping/multi-valued`: the mapped attribute carries several values (or is repeated), and
//! the SP keeps only the first.

use super::ObservedAssertion;
use crate::checks::catalog::mapping::MAPPING_MULTI_VALUED;
use crate::checks::{Finding, Severity};
use crate::saml::response::Attribute;
use crate::sp::mapping::Field;

pub fn check(
    obs: ObservedAssertion<'_>,
    field: Field,
    name: &str,
    found: &[&Attribute],
    findings: &mut Vec<Finding>,
) {
    let values: Vec<&str> = found
        .iter()
        .flat_map(|a| a.values.iter().map(String::as_str))
        .collect();
    if values.len() < 2 && found.len() < 2 {
        return;
    }
    let first = values.first().copied().unwrap_or("");
    let mut f = Finding::new(
        &MAPPING_MULTI_VALUED,
        format!(
            "`{name}` (mapped to {field}) has {} values; the SP uses only the first, `{first}`",
            values.len()
        ),
    )
    .expected(format!("one value for {field}"))
    .found(values.join(", "));
    if let Some(a) = found.first() {
        f = f.at(obs.location_of(a));
    }
    if found.len() > 1 {
        f = f.note(format!(
            "the assertion has {} Attribute elements named `{name}` (python3-saml rejects that unless allowRepeatAttributeName is set)",
            found.len()
        ));
    }
    // Which value comes first is the IdP's choice: for the user ID that can link the wrong
    // identity.
    if field == Field::UserId {
        f = f.severity(Severity::Error);
    }
    findings.push(f);
}
