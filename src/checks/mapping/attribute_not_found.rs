//! `mapping/attribute-not-found`: the mapped name is not in the response, or not among the
//! names the metadata advertises; when the value is there under another name, that name.

use super::suggest::{suggest, Candidate, Reason, Suggestion};
use super::{map_arg, MappingContext, ObservedAssertion};
use crate::checks::catalog::mapping::MAPPING_ATTRIBUTE_NOT_FOUND;
use crate::checks::{Finding, Severity};
use crate::sp::mapping::Field;

/// Against a captured assertion: the SP will not find `name` in it.
pub fn check_observed(
    ctx: &MappingContext<'_>,
    obs: ObservedAssertion<'_>,
    field: Field,
    name: &str,
    findings: &mut Vec<Finding>,
) {
    let attributes = &obs.assertion.attributes;
    let candidates: Vec<Candidate<'_>> = attributes
        .iter()
        .map(|a| Candidate {
            name: &a.name,
            friendly_name: a.friendly_name.as_deref(),
            value: a.values.first().map(String::as_str),
        })
        .collect();
    let suggestion = suggest(field, Some(name), &candidates);
    let mut message = format!("{field} is mapped to `{name}`, which the response does not have");
    if attributes.is_empty() {
        message.push_str("; the response carries no attributes at all");
    }
    let mut f = finding(
        ctx,
        field,
        name,
        message,
        suggestion.as_ref(),
        "the response has",
    )
    .at(obs.location());
    if let Some(s) = &suggestion {
        if let Some(a) = attributes.iter().find(|a| a.name == s.name) {
            f = f.at(obs.location_of(a));
        }
    }
    if !attributes.is_empty() {
        let mut names: Vec<&str> = attributes.iter().map(|a| a.name.as_str()).collect();
        names.dedup();
        f = f.note(format!("the response's attributes: {}", names.join(", ")));
    }
    findings.push(f);
}

/// Against the metadata only: the IdP does not advertise `name`. Weaker evidence (IdPs send
/// attributes their metadata does not list), so a warning, and only when it lists any.
pub fn check_advertised(
    ctx: &MappingContext<'_>,
    field: Field,
    name: &str,
    findings: &mut Vec<Finding>,
) {
    if ctx.idp.attributes.is_empty() || ctx.idp.advertises(name) {
        return;
    }
    let candidates: Vec<Candidate<'_>> = ctx.idp.candidates();
    let suggestion = suggest(field, Some(name), &candidates);
    let message =
        format!("{field} is mapped to `{name}`, which the IdP metadata does not advertise");
    let mut f = finding(ctx, field, name, message, suggestion.as_ref(), "the metadata advertises")
        .severity(Severity::Warning)
        .note("metadata lists what the IdP can send; a claim added in its console may still be sent, and a captured response (--response) settles it");
    let at = suggestion
        .as_ref()
        .and_then(|s| ctx.idp.attributes.iter().find(|a| a.name == s.name))
        .and_then(|a| a.location.clone());
    if let Some(location) = at {
        f = f.at(location);
    }
    findings.push(f);
}

fn finding(
    ctx: &MappingContext<'_>,
    field: Field,
    name: &str,
    mut message: String,
    suggestion: Option<&Suggestion>,
    whence: &str,
) -> Finding {
    let rename = format!(
        "or make the IdP send `{name}` ({})",
        ctx.idp_mapping_place()
    );
    let fix = match suggestion {
        Some(s) => {
            message.push_str(&match s.reason {
                Reason::Case => format!(
                    "; {whence} `{}`, which differs only in letter case, and the SP compares names exactly: map {field} to it",
                    s.name
                ),
                Reason::FriendlyName => format!(
                    "; `{name}` is the FriendlyName of `{}`, and the SP matches the Name: map {field} to `{}`",
                    s.name, s.name
                ),
                Reason::KnownName | Reason::EmailValue => {
                    format!("; {whence} `{}`: map {field} to it", s.name)
                }
            });
            format!(
                "Map {field} to `{}` ({}, and the same in the SP's SAML attribute mapping), {rename}.",
                s.name,
                map_arg(field, &s.name)
            )
        }
        None => format!(
            "Make the IdP send an attribute named `{name}` ({}), or map {field} to an attribute it sends.",
            ctx.idp_mapping_place()
        ),
    };
    let mut f = Finding::new(&MAPPING_ATTRIBUTE_NOT_FOUND, message)
        .found(name)
        .fix(fix);
    if let Some(s) = suggestion {
        f = f.expected(s.name.clone());
    }
    if !field.required() {
        f = f.severity(Severity::Warning);
    }
    if let Some(setup) = ctx.preset_setup(field, name) {
        f = f.note(setup);
    }
    f
}
