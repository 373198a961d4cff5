//! "URLs exact": every value the IdP holds for an SP URL, from wherever it was seen (typed
//! into the console, an SP metadata file exported from the IdP, a test login's Destination,
//! Recipient and Audience), compared with the SP's own by the near-miss engine.

use super::capture::Capture;
use super::checklist::{Item, State};
use super::console::Console;
use super::{Input, PreflightError, TypedUrls};
use crate::checks::catalog::preflight::PREFLIGHT_URLS_UNCHECKED;
use crate::checks::{Finding, Location};
use crate::saml::metadata::EntityDescriptor;
use crate::saml::ns;
use crate::sp::url_match::{check_url, UrlField};
use crate::sp::SpProfile;
use crate::xml::{Document, Limits};

/// One value the IdP holds for an SP URL, and where it was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub field: UrlField,
    pub value: String,
    /// Where, for people: `--acs`, `Destination`, `AssertionConsumerService in sp.xml`.
    pub source: String,
    pub location: Option<Location>,
    /// Read from the captured response (so the test login may report it too).
    pub from_response: bool,
}

impl Seen {
    fn new(field: UrlField, value: &str, source: impl Into<String>) -> Seen {
        Seen {
            field,
            value: value.to_string(),
            source: source.into(),
            location: None,
            from_response: false,
        }
    }
}

/// The values passed as typed into the console (`--acs`, `--audience`, `--sls`).
pub fn typed(t: &TypedUrls) -> Vec<Seen> {
    [
        (UrlField::Acs, &t.acs, "--acs"),
        (UrlField::Audience, &t.audience, "--audience"),
        (UrlField::Sls, &t.sls, "--sls"),
    ]
    .into_iter()
    .filter_map(|(field, value, flag)| value.as_deref().map(|v| Seen::new(field, v, flag)))
    .collect()
}

/// The SP values in an SP metadata file the IdP exported: entityID, every
/// AssertionConsumerService and SingleLogoutService Location.
pub fn from_sp_metadata(input: &Input) -> Result<Vec<Seen>, PreflightError> {
    let bad = |why: String| PreflightError::SpMetadata {
        name: input.name.clone(),
        why,
    };
    let doc =
        Document::parse_bytes(&input.bytes, Limits::METADATA).map_err(|e| bad(e.to_string()))?;
    let entity = doc
        .elements()
        .filter(|&n| {
            doc.child_named(n, ns::METADATA, "SPSSODescriptor")
                .is_some()
        })
        .find_map(|n| EntityDescriptor::read(&doc, n))
        .ok_or_else(|| bad("it describes no service provider (no md:SPSSODescriptor)".into()))?;
    let mut seen = Vec::new();
    let at = |node, attr| {
        let mut l = Location::of_attribute(&doc, node, attr);
        l.file = Some(input.name.clone());
        Some(l)
    };
    if let Some(id) = &entity.entity_id {
        let mut s = Seen::new(
            UrlField::Audience,
            id,
            format!("entityID in {}", input.name),
        );
        s.location = at(entity.node, "entityID");
        seen.push(s);
    }
    if let Some(role) = entity.sp() {
        for (kind, field) in [
            ("AssertionConsumerService", UrlField::Acs),
            ("SingleLogoutService", UrlField::Sls),
        ] {
            for e in role.endpoints_of(kind) {
                if let Some(location) = &e.location {
                    let mut s = Seen::new(field, location, format!("{kind} in {}", input.name));
                    s.location = at(e.node, "Location");
                    seen.push(s);
                }
            }
        }
    }
    Ok(seen)
}

/// The response's Destination, each bearer Recipient and, for each AudienceRestriction that
/// does not name the SP, its Audiences.
pub fn from_capture(c: &Capture, sp: &SpProfile) -> Vec<Seen> {
    let doc = &c.doc;
    let mut seen = Vec::new();
    let mut push = |field, value: &str, source: &str, mut location: Location| {
        location.file = Some(c.name.clone());
        seen.push(Seen {
            field,
            value: value.to_string(),
            source: source.to_string(),
            location: Some(location),
            from_response: true,
        });
    };
    if let Some(d) = &c.envelope.destination {
        let l = Location::of_attribute(doc, c.envelope.node, "Destination");
        push(UrlField::Acs, d, "Destination", l);
    }
    let Some(a) = &c.assertion else {
        return seen;
    };
    for data in a.confirmations.iter().filter_map(|c| c.data.as_ref()) {
        if let Some(r) = &data.recipient {
            let l = Location::of_attribute(doc, data.node, "Recipient");
            push(UrlField::Acs, r, "Recipient", l);
        }
    }
    // Another audience beside the SP's is harmless; only a restriction without it fails.
    for restriction in a.conditions.iter().flat_map(|c| &c.audience_restrictions) {
        if restriction.iter().any(|x| x.value == sp.entity_id) {
            push(
                UrlField::Audience,
                &sp.entity_id,
                "Audience",
                Location::of_node(doc, restriction[0].node),
            );
            continue;
        }
        for x in restriction {
            push(
                UrlField::Audience,
                &x.value,
                "Audience",
                Location::of_node(doc, x.node),
            );
        }
    }
    seen
}

/// A wrong value the test login also carries: the test login's own finding about it is
/// folded into this item's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMismatch {
    pub field: UrlField,
    pub value: String,
    /// The index of the finding in the item.
    pub finding: usize,
}

/// Compares every seen value; one finding per wrong value, naming all the places it was seen.
pub fn check(
    item: &mut Item,
    sp: &SpProfile,
    seen: &[Seen],
    console: &Console,
    response_verified: bool,
) -> Vec<ResponseMismatch> {
    let mut folded = Vec::new();
    let mut summary = Vec::new();
    let mut missing = Vec::new();
    for field in UrlField::ALL {
        let of_field: Vec<&Seen> = seen.iter().filter(|s| s.field == field).collect();
        let short = match field {
            UrlField::Acs => "ACS",
            UrlField::Audience => "Audience",
            UrlField::Sls => "SLS",
        };
        if field.expected(sp).is_none() {
            if !of_field.is_empty() {
                summary.push(format!("{short} not compared (the SP has no SLS URL)"));
            }
            continue;
        }
        if of_field.is_empty() {
            if field != UrlField::Sls {
                missing.push(field);
            }
            continue;
        }
        let mut exact: Vec<&str> = Vec::new();
        let mut wrong: Vec<(String, Vec<&Seen>)> = Vec::new();
        for s in of_field {
            if check_url(sp, field, &s.value).is_none() {
                if !exact.contains(&s.source.as_str()) {
                    exact.push(&s.source);
                }
            } else if let Some((_, group)) = wrong.iter_mut().find(|(v, _)| *v == s.value) {
                group.push(s);
            } else {
                wrong.push((s.value.clone(), vec![s]));
            }
        }
        let mut part = short.to_string();
        if !exact.is_empty() {
            part.push_str(&format!(" exact ({})", exact.join(", ")));
        }
        if !wrong.is_empty() {
            if !exact.is_empty() {
                part.push(',');
            }
            part.push_str(&format!(
                " {} wrong value{}",
                wrong.len(),
                plural(wrong.len())
            ));
        }
        summary.push(part);
        for (value, group) in wrong {
            let Some(m) = check_url(sp, field, &value) else {
                continue;
            };
            let mut f = m.finding();
            if let Some(fix) = console.url_fix(field, &m.expected) {
                f = f.fix(fix);
            }
            let sources: Vec<&str> = group.iter().map(|s| s.source.as_str()).collect();
            f = f.note(format!("seen in: {}", sources.join(", ")));
            if let Some(location) = group.iter().find_map(|s| s.location.clone()) {
                f = f.at(location);
            }
            let in_response = group.iter().any(|s| s.from_response);
            if in_response && !response_verified {
                f = f.note("read from a response whose signature was not verified; shown for diagnosis only");
            }
            if in_response {
                folded.push(ResponseMismatch {
                    field,
                    value: value.clone(),
                    finding: item.findings.len(),
                });
            }
            item.findings.push(f);
        }
    }
    if missing.is_empty() {
        item.set(State::Ok, summary.join("; "));
        return folded;
    }
    let names: Vec<&str> = missing.iter().map(|f| f.label()).collect();
    let names = names.join(" and the ");
    item.findings.push(
        Finding::new(
            &PREFLIGHT_URLS_UNCHECKED,
            format!("the {names} as configured in the IdP was not seen"),
        )
        .expected(
            missing
                .iter()
                .filter_map(|f| f.expected(sp))
                .collect::<Vec<_>>()
                .join(", "),
        )
        .found("nothing to compare"),
    );
    summary.push(format!("not seen: the {names}"));
    item.set(State::NotChecked, summary.join("; "));
    folded
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
