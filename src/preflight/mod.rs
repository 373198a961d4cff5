//! The GO / NO-GO preflight before turning on "Require SSO" (`samlcheck check`).
//!
//! One checklist item per module: [`metadata`] (metadata valid), [`certificate`] (signing
//! certificate valid long enough), [`urls`] (the SP URLs in the IdP exact), [`mapping`]
//! (attribute mapping complete) and [`test_login`] (a successful test login seen). Each reuses
//! the library's own checks (lint rules, the near-miss engine, the mapping rules, the verify
//! pipeline); this module only gathers the evidence and weighs it. [`console`] words the fixes
//! in the detected IdP console's own field names.
//!
//! ```
//! use samlcheck::config::Config;
//! use samlcheck::preflight::{run, Input, PreflightInput, PreflightOptions, SpSpec};
//! use samlcheck::saml::time::parse_instant;
//!
//! let read = |p: &str| Input { name: p.into(), bytes: std::fs::read(p).unwrap() };
//! let mut input = PreflightInput::new(
//!     SpSpec::Org { base_url: "https://sentry.io".into(), org: "acme".into() },
//!     read("fixtures/metadata/vendors/okta.xml"),
//! );
//! input.response = Some(read("fixtures/responses/vendors/okta.xml"));
//! let options = PreflightOptions::at(parse_instant("2026-01-15T10:01:00Z").unwrap());
//! let report = run(&input, &options, &Config::default())?;
//! assert!(report.go, "{:#?}", report.checklist);
//!
//! // The same login for another org: NO-GO, and the fix names Okta's field.
//! input.sp = SpSpec::Org { base_url: "https://sentry.io".into(), org: "acme-corp".into() };
//! let report = run(&input, &options, &Config::default())?;
//! assert!(!report.go);
//! assert!(report.findings.iter().any(|f| f.rule == "sp/acs-mismatch"
//!     && f.fix.starts_with("In Okta: Single sign-on URL, set it to https://sentry.io/saml/acs/acme-corp/")));
//! # Ok::<(), samlcheck::preflight::PreflightError>(())
//! ```

pub mod capture;
pub mod certificate;
pub mod checklist;
pub mod console;
pub mod mapping;
pub mod metadata;
pub mod test_login;
pub mod urls;

pub use checklist::{Item, ItemId, State};
pub use mapping::MappingSummary;
pub use test_login::TestLogin;

use std::sync::Arc;

use self::capture::Capture;
use self::console::Console;
use crate::checks::catalog::preflight::PREFLIGHT_NO_TEST_LOGIN;
use crate::checks::cert::CertContext;
use crate::checks::mapping::IdpAttributes;
use crate::checks::response::{Verdict, VerifyOptions};
use crate::checks::Finding;
use crate::config::Config;
use crate::lint::signature::SignatureSummary;
use crate::saml::metadata::MetadataError;
use crate::sp::mapping::{AttributeMapping, MappingError};
use crate::sp::url_match::UrlField;
use crate::sp::vendor::{Evidence, Vendor};
use crate::sp::{slug, SlugError, SpProfile, UrlTemplates};
use crate::xml::dsig::CertInfo;
use crate::xml::{Limits, XmlError};

/// Said at the end of every report, GO or not.
pub const REMINDER: &str = "keep one owner able to log in without SSO (a password or recovery login that \"Require SSO\" does not cover), so that a certificate rollover, an IdP outage or a mapping change cannot lock the whole organization out";

/// A named input: its path, URL or `<stdin>`, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The SP under test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpSpec {
    /// The built-in org-slug profile; the slug is checked (`sp/org-slug-invalid`).
    Org { base_url: String, org: String },
    /// An org-slug profile of any URL shape (`[profiles.NAME]` in samlcheck.toml); the slug is
    /// checked, and the base URL when a template uses it.
    Templated {
        templates: Arc<UrlTemplates>,
        base_url: String,
        org: String,
    },
    /// An SP named by its own URLs.
    Explicit(SpProfile),
}

/// The SP URLs as typed into the IdP console.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedUrls {
    pub acs: Option<String>,
    pub audience: Option<String>,
    pub sls: Option<String>,
}

/// Where the attribute preset was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PresetSource {
    /// `--preset`.
    Flag,
    /// `preset` in samlcheck.toml.
    Config,
    /// Not named: the detected IdP's preset.
    Detected,
}

/// Everything the preflight looks at.
#[derive(Debug, Clone)]
pub struct PreflightInput {
    pub sp: SpSpec,
    pub idp_metadata: Input,
    /// Picks the IdP out of an aggregate.
    pub idp_entity_id: Option<String>,
    pub typed: TypedUrls,
    /// An SP metadata file exported from the IdP: its values count as typed.
    pub sp_metadata: Option<Input>,
    /// A captured test login.
    pub response: Option<Input>,
    pub preset: Option<(String, PresetSource)>,
    /// Fields named in `[map]` and `--map`, which override the preset's.
    pub map: AttributeMapping,
}

impl PreflightInput {
    pub fn new(sp: SpSpec, idp_metadata: Input) -> PreflightInput {
        PreflightInput {
            sp,
            idp_metadata,
            idp_entity_id: None,
            typed: TypedUrls::default(),
            sp_metadata: None,
            response: None,
            preset: None,
            map: AttributeMapping::default(),
        }
    }
}

/// How to check.
#[derive(Debug, Clone)]
pub struct PreflightOptions {
    pub now: time::OffsetDateTime,
    /// Allowed clock difference for the test login, in seconds.
    pub clock_skew: i64,
    /// The AuthnRequest ID the test login answers.
    pub request_id: Option<String>,
    /// Certificates must stay valid at least this many days.
    pub expiry_warning_days: i64,
    pub deny_warnings: bool,
    /// Without a test login the verdict is NO-GO, unless this is false (`--no-test-login`).
    pub test_login_required: bool,
    /// The SP private key, for a test login whose assertion is encrypted (`--sp-key`).
    pub sp_key: Option<crate::xml::enc::DecryptionKey>,
}

impl PreflightOptions {
    pub fn at(now: time::OffsetDateTime) -> PreflightOptions {
        PreflightOptions {
            now,
            clock_skew: 300,
            request_id: None,
            expiry_warning_days: CertContext::DEFAULT_EXPIRY_WARNING_DAYS,
            deny_warnings: false,
            test_login_required: true,
            sp_key: None,
        }
    }
}

/// Why the preflight could not run at all (exit code 2); everything else is a finding.
#[derive(Debug, thiserror::Error)]
pub enum PreflightError {
    #[error("the IdP metadata {name} cannot be read: {source}")]
    MetadataXml {
        name: String,
        #[source]
        source: XmlError,
    },
    #[error("the IdP metadata {name}: {source} (pick one with --idp-entity-id)")]
    MetadataChoice {
        name: String,
        #[source]
        source: MetadataError,
    },
    #[error("the SP metadata {name} cannot be used: {why}")]
    SpMetadata { name: String, why: String },
    #[error("the base URL {url:?} cannot be used: {why}")]
    BaseUrl { url: String, why: String },
    #[error(transparent)]
    Mapping(#[from] MappingError),
}

/// GO or NO-GO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Decision {
    #[serde(rename = "GO")]
    Go,
    #[serde(rename = "NO-GO")]
    NoGo,
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Decision::Go => "GO",
            Decision::NoGo => "NO-GO",
        })
    }
}

/// The IdP, as the report describes it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IdpSummary {
    pub metadata: String,
    pub entity_id: Option<String>,
    /// The detected product.
    pub vendor: Option<Vendor>,
    /// Why it was recognized.
    pub evidence: Vec<Evidence>,
    /// The product the fixes are worded for: the detected one, else the preset's.
    pub console: Option<Vendor>,
    pub signing_certificates: Vec<CertInfo>,
    pub metadata_signature: Option<SignatureSummary>,
}

/// One SP value to enter in the IdP, under the console's name for it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConsoleValue {
    pub field: UrlField,
    pub console: String,
    pub value: String,
}

/// The outcome.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PreflightReport {
    pub verdict: Decision,
    pub go: bool,
    pub sp: SpProfile,
    pub idp: IdpSummary,
    /// What to type into the IdP console.
    pub enter: Vec<ConsoleValue>,
    pub mapping: MappingSummary,
    pub checklist: Vec<Item>,
    pub test_login: Option<TestLogin>,
    /// Every item's findings, in checklist order.
    pub findings: Vec<Finding>,
    pub reminder: &'static str,
    /// False when the response could not be read or decoded (exit code 2).
    #[serde(skip)]
    pub readable: bool,
}

impl PreflightReport {
    pub fn item(&self, id: ItemId) -> &Item {
        // Every report holds every item, in `ItemId::ALL` order.
        &self.checklist[id as usize]
    }
}

/// The org's SP URLs, and why the slug is invalid when it is (a finding, not an error: the
/// report still says what else is wrong).
fn org_profile(
    templates: &UrlTemplates,
    base_url: &str,
    org: &str,
) -> Result<(SpProfile, Option<SlugError>), PreflightError> {
    if templates.uses_base() {
        templates
            .check_base_url(base_url)
            .map_err(|why| PreflightError::BaseUrl {
                url: base_url.to_string(),
                why,
            })?;
    }
    Ok((templates.render(base_url, org), slug::validate(org).err()))
}

/// Runs the preflight. `config` supplies rule severities (its defaults are the caller's job).
pub fn run(
    input: &PreflightInput,
    options: &PreflightOptions,
    config: &Config,
) -> Result<PreflightReport, PreflightError> {
    let days = options.expiry_warning_days;
    let mut items: Vec<Item> = ItemId::ALL.iter().map(|&id| Item::new(id, days)).collect();

    let (sp, slug_error) = match &input.sp {
        SpSpec::Org { base_url, org } => org_profile(UrlTemplates::sentry(), base_url, org)?,
        SpSpec::Templated {
            templates,
            base_url,
            org,
        } => org_profile(templates, base_url, org)?,
        SpSpec::Explicit(p) => (p.clone(), None),
    };

    let side = metadata::load(&input.idp_metadata, input.idp_entity_id.as_deref())?;
    let linted = metadata::lint(&side, options.now, days);
    let detected = side.detection.as_ref().map(|d| d.vendor);
    let (mapping_summary, preset) = mapping::resolve(input.preset.as_ref(), detected, &input.map)?;
    let console = Console {
        vendor: detected.or_else(|| preset.and_then(|p| p.vendors.first().copied())),
    };
    let mut seen = urls::typed(&input.typed);
    if let Some(m) = &input.sp_metadata {
        seen.extend(urls::from_sp_metadata(m)?);
    }
    let capture = input
        .response
        .as_ref()
        .and_then(|r| Capture::read(&r.name, &r.bytes, Limits::MESSAGE));

    // The test login first: the certificate item needs to know which certificate signed it.
    let verify_options = VerifyOptions {
        now: options.now,
        clock_skew: options.clock_skew,
        request_id: options.request_id.clone(),
        deny_warnings: options.deny_warnings,
        limits: Limits::MESSAGE,
        sp_key: options.sp_key.clone(),
    };
    let mut verdict: Option<Verdict> = None;
    {
        let item = &mut items[ItemId::TestLogin as usize];
        match (&input.response, &side.idp, &slug_error) {
            (None, _, _) if options.test_login_required => {
                item.findings.push(
                    Finding::new(&PREFLIGHT_NO_TEST_LOGIN, "no test login was given (--response)")
                        .expected("a captured SAMLResponse the SP accepts")
                        .found("none"),
                );
                item.set(State::NotChecked, "no --response: log in once through the IdP and pass the captured SAMLResponse");
            }
            (None, _, _) => item.set(
                State::Skipped,
                "--no-test-login: no login was tried, so the IdP's real attributes and signature are unproven",
            ),
            (Some(_), _, Some(_)) => item.set(
                State::NotChecked,
                "not run: the org slug is invalid, so the SP URLs it must match are unknown",
            ),
            (Some(_), None, None) => item.set(
                State::NotChecked,
                "not run: the metadata describes no IdP to verify the response against",
            ),
            (Some(r), Some(idp), None) => {
                verdict = Some(test_login::check(
                    item,
                    r,
                    idp,
                    &sp,
                    &verify_options,
                    config,
                ));
            }
        }
    }
    let verified = verdict
        .as_ref()
        .is_some_and(|v| v.signatures.iter().any(|s| s.verified));

    // metadata valid
    {
        let item = &mut items[ItemId::MetadataValid as usize];
        item.findings = linted.metadata;
        let what = match side.idp.as_ref() {
            Some(idp) => format!("IdP {} in {}", idp.entity_id, side.name),
            None => format!("{}: no IdP", side.name),
        };
        let signature = match &linted.signature {
            Some(s) if s.verified => "; metadata signature verified (integrity only)",
            Some(_) => "; metadata signature does not verify",
            None => "",
        };
        item.set(State::Ok, format!("{what}{signature}"));
    }

    // signing certificate
    let signer = verdict.as_ref().and_then(|v| {
        v.signatures
            .iter()
            .find(|s| s.verified)
            .and_then(|s| s.certificate.as_ref())
    });
    certificate::check(
        &mut items[ItemId::CertificateValid as usize],
        side.idp.as_ref(),
        linted.certificates,
        signer,
        options.now,
        days,
    );

    // URLs exact
    let mut folded = Vec::new();
    {
        let item = &mut items[ItemId::UrlsExact as usize];
        match &slug_error {
            Some(e) => {
                item.findings.push(e.finding());
                item.set(
                    State::Fail,
                    "the org slug is invalid: every SP URL is built from it, so none was compared",
                );
            }
            None => {
                if let Some(c) = &capture {
                    seen.extend(urls::from_capture(c, &sp));
                }
                folded = urls::check(item, &sp, &seen, &console, verified);
            }
        }
    }

    // mapping complete
    {
        let mut idp_attributes = side
            .entity
            .as_ref()
            .map(|e| IdpAttributes::from_entity(&side.doc, e))
            .unwrap_or_default();
        idp_attributes.vendor = console.vendor;
        mapping::check(
            &mut items[ItemId::MappingComplete as usize],
            &mapping_summary,
            preset,
            detected,
            mapping::Evidence {
                idp: &idp_attributes,
                observed: capture.as_ref().and_then(Capture::observed),
                verified,
                response_name: input.response.as_ref().map(|r| r.name.as_str()),
                metadata_name: &side.name,
            },
        );
    }

    if !folded.is_empty() {
        let (left, right) = items.split_at_mut(ItemId::TestLogin as usize);
        test_login::fold(
            &mut right[0],
            &mut left[ItemId::UrlsExact as usize],
            &folded,
        );
    }
    let ran_verify = verdict.is_some();
    for item in &mut items {
        // A verified test login's findings went through the same settings inside `verify`.
        if item.id != ItemId::TestLogin || !ran_verify {
            config.apply(&mut item.findings);
        }
        item.finish(options.deny_warnings);
    }

    let go = !items.iter().any(|i| i.blocking);
    // URLs built from an invalid slug are not worth typing anywhere.
    let enter = UrlField::ALL
        .into_iter()
        .filter(|_| slug_error.is_none())
        .filter_map(|field| {
            let value = field.expected(&sp)?.to_string();
            let console_name = match console.vendor {
                Some(_) => console.field(field)?,
                None => field.label().to_string(),
            };
            Some(ConsoleValue {
                field,
                console: console_name,
                value,
            })
        })
        .collect();
    let findings = items.iter().flat_map(|i| i.findings.clone()).collect();
    Ok(PreflightReport {
        verdict: if go { Decision::Go } else { Decision::NoGo },
        go,
        idp: IdpSummary {
            metadata: side.name.clone(),
            entity_id: side
                .idp
                .as_ref()
                .map(|i| i.entity_id.clone())
                .or_else(|| side.entity.as_ref().and_then(|e| e.entity_id.clone())),
            vendor: detected,
            evidence: side
                .detection
                .as_ref()
                .map(|d| d.evidence.clone())
                .unwrap_or_default(),
            console: console.vendor,
            signing_certificates: side
                .idp
                .as_ref()
                .map(|i| i.signing_keys.iter().map(|k| k.info().clone()).collect())
                .unwrap_or_default(),
            metadata_signature: linted.signature,
        },
        sp,
        enter,
        mapping: mapping_summary,
        checklist: items,
        readable: verdict.as_ref().is_none_or(|v| v.readable),
        test_login: verdict.map(|v| TestLogin {
            file: input
                .response
                .as_ref()
                .map_or_else(String::new, |r| r.name.clone()),
            accepted: v.accepted,
            subject: v.subject,
            attributes: v.attributes,
            signatures: v.signatures,
        }),
        findings,
        reminder: REMINDER,
    })
}
