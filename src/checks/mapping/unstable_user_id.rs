//! `mapping/unstable-user-id`: the IdP User ID is a value that changes at every login (a
//! transient NameID, or a per-session value), so identities would not link next time.

use super::suggest::key;
use super::MappingContext;
use crate::checks::catalog::mapping::MAPPING_UNSTABLE_USER_ID;
use crate::checks::Finding;
use crate::sp::mapping::Field;

pub const TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

/// Keys (see [`key`]) of attributes that describe the session, not the user.
const PER_SESSION: &[&str] = &[
    "sessionindex",
    "sessionid",
    "authenticationinstant",
    "authninstant",
    "authenticationmethod",
    "authnmethodsreferences",
];

pub fn check(ctx: &MappingContext<'_>, field: Field, name: &str, findings: &mut Vec<Finding>) {
    if field != Field::UserId {
        return;
    }
    let mut f = None;
    if PER_SESSION.contains(&key(name).as_str()) {
        f = Some(
            Finding::new(
                &MAPPING_UNSTABLE_USER_ID,
                format!("IdP User ID is mapped to `{name}`, which describes the login session, not the user"),
            )
            .found(name),
        );
    }
    if let Some(obs) = ctx.observed {
        let a = obs.assertion;
        let found = obs.named(name);
        let value = obs.first_value(name).filter(|v| !v.is_empty());
        let transient = a
            .name_id
            .as_ref()
            .filter(|n| n.format.as_deref() == Some(TRANSIENT));
        let why = value.and_then(|v| {
            if transient.is_some_and(|n| n.value == v) {
                Some("the transient NameID, a new random value at every login")
            } else if a
                .authn_statements
                .iter()
                .any(|s| s.session_index.as_deref() == Some(v))
            {
                Some("the SessionIndex of this login")
            } else if a.id.as_deref() == Some(v) {
                Some("the ID of this assertion")
            } else {
                None
            }
        });
        if let (Some(why), Some(v)) = (why, value) {
            let mut finding = Finding::new(
                &MAPPING_UNSTABLE_USER_ID,
                format!("IdP User ID is mapped to `{name}`, whose value `{v}` is {why}"),
            )
            .found(format!("{name} = {v}"));
            if let Some(attr) = found.first() {
                finding = finding.at(obs.location_of(attr));
            }
            if transient.is_some() {
                finding = finding.note(format!(
                    "the NameID format is {TRANSIENT}; the IdP must send a persistent identifier instead"
                ));
            }
            f = Some(finding);
        }
    }
    if let Some(f) = f {
        findings.push(
            f.expected("an immutable per-user identifier (object ID, user ID, persistent NameID value)")
                .note(format!(
                    "change it in the SP's SAML attribute mapping, and make the IdP send a stable ID ({})",
                    ctx.idp_mapping_place()
                )),
        );
    }
}
