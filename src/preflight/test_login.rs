//! "successful test login seen": the captured response verified exactly as `samlcheck verify`
//! verifies it (same pipeline, same configured severities). Only an accepted response counts.

use std::collections::BTreeMap;

use super::checklist::{Item, State};
use super::urls::ResponseMismatch;
use super::Input;
use crate::checks::catalog::{
    ASSERTION_AUDIENCE_MISMATCH, ASSERTION_RECIPIENT_MISMATCH, RESPONSE_DESTINATION_MISMATCH,
};
use crate::checks::response::{verify_response, SignatureSummary, Subject, Verdict, VerifyOptions};
use crate::checks::Severity;
use crate::config::Config;
use crate::saml::metadata::IdpMetadata;
use crate::sp::url_match::UrlField;
use crate::sp::SpProfile;

/// The test login, as the report shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TestLogin {
    pub file: String,
    pub accepted: bool,
    pub subject: Option<Subject>,
    pub attributes: BTreeMap<String, Vec<String>>,
    pub signatures: Vec<SignatureSummary>,
}

/// Verifies the response and fills the item; the verdict is returned for the other items
/// (the certificate that signed it).
pub fn check(
    item: &mut Item,
    input: &Input,
    idp: &IdpMetadata,
    sp: &SpProfile,
    options: &VerifyOptions,
    config: &Config,
) -> Verdict {
    let mut verdict = verify_response(&input.bytes, idp, sp, options);
    verdict.apply_config(config, options.deny_warnings);
    for f in &mut verdict.findings {
        if let Some(loc) = &mut f.location {
            loc.file = Some(input.name.clone());
        }
    }
    item.findings = verdict.findings.clone();
    let detail = if !verdict.readable {
        let why = verdict
            .findings
            .first()
            .map_or("it is not a SAML Response", |f| f.message.as_str());
        format!("{} cannot be read: {why}", input.name)
    } else if verdict.accepted {
        accepted(&verdict)
    } else {
        let blocking: Vec<&str> = verdict
            .findings
            .iter()
            .filter(|f| {
                f.severity == Severity::Error
                    || (options.deny_warnings && f.severity == Severity::Warning)
            })
            .map(|f| f.rule)
            .fold(Vec::new(), |mut v, r| {
                if !v.contains(&r) {
                    v.push(r);
                }
                v
            });
        format!("{} was rejected: {}", input.name, blocking.join(", "))
    };
    item.set(
        if verdict.accepted {
            State::Ok
        } else {
            State::Fail
        },
        detail,
    );
    verdict
}

fn accepted(v: &Verdict) -> String {
    let who = v.subject.as_ref().map_or("no NameID".to_string(), |s| {
        let format = s.format.rsplit(':').next().unwrap_or(&s.format);
        format!("NameID {} ({format})", s.name_id)
    });
    // "signed by CN=x (Response, Assertion)": each signer once, with what it covers.
    let mut signers: Vec<(String, Vec<String>)> = Vec::new();
    for s in v.signatures.iter().filter(|s| s.verified) {
        let by = s.certificate.as_ref().map_or_else(
            || "a metadata certificate".to_string(),
            |c| c.subject.clone(),
        );
        let covers = s.covers.rsplit('/').next().unwrap_or(&s.covers);
        let covers = covers.rsplit(':').next().unwrap_or(covers).to_string();
        match signers.iter_mut().find(|(b, _)| *b == by) {
            Some((_, what)) => what.push(covers),
            None => signers.push((by, vec![covers])),
        }
    }
    let signed: Vec<String> = signers
        .into_iter()
        .map(|(by, what)| format!("signed by {by} ({})", what.join(", ")))
        .collect();
    format!("accepted: {who}, {}", signed.join("; "))
}

/// The verify rule that reports a wrong value of `field`.
fn reported_by(field: UrlField, rule: &str) -> bool {
    match field {
        UrlField::Acs => {
            rule == RESPONSE_DESTINATION_MISMATCH.id || rule == ASSERTION_RECIPIENT_MISMATCH.id
        }
        UrlField::Audience => rule == ASSERTION_AUDIENCE_MISMATCH.id,
        UrlField::Sls => false,
    }
}

/// Moves the test login's findings about wrong URLs into the URL item's findings about the
/// same values, so each wrong value is reported once, with the console fix; the URL finding
/// notes which of the test login's rules rejected it.
pub fn fold(test: &mut Item, urls: &mut Item, mismatches: &[ResponseMismatch]) {
    let mut rejected: Vec<(usize, Vec<&'static str>)> = Vec::new();
    test.findings.retain(|f| {
        let hit = mismatches.iter().find(|m| {
            reported_by(m.field, f.rule)
                && f.found
                    .as_deref()
                    .is_some_and(|found| found.split(", ").any(|v| v == m.value))
        });
        let Some(m) = hit else {
            return true;
        };
        match rejected.iter_mut().find(|(i, _)| *i == m.finding) {
            Some((_, rules)) if !rules.contains(&f.rule) => rules.push(f.rule),
            Some(_) => {}
            None => rejected.push((m.finding, vec![f.rule])),
        }
        false
    });
    for (index, rules) in &rejected {
        if let Some(target) = urls.findings.get_mut(*index) {
            target.notes.push(format!(
                "the test login was rejected for it ({})",
                rules.join(", ")
            ));
        }
    }
    if !rejected.is_empty() {
        test.detail
            .push_str(" (the wrong URLs are reported under \"URLs exact\")");
    }
}
