//! "mapping complete": the attribute mapping the SP will use (the preset, then `[map]` and
//! `--map` on top), checked with the mapping rules against what the IdP advertises and,
//! strongest, against the test login's assertion.

use super::checklist::{Item, State};
use super::{PreflightError, PresetSource};
use crate::checks::catalog::preflight::PREFLIGHT_PRESET_MISMATCH;
use crate::checks::mapping::{check_mapping, IdpAttributes, ObservedAssertion};
use crate::checks::Finding;
use crate::sp::mapping::{AttributeMapping, Field, MappingError};
use crate::sp::presets::{self, Preset};
use crate::sp::vendor::Vendor;

/// The mapping in use and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MappingSummary {
    /// The preset it starts from.
    pub preset: Option<&'static str>,
    pub preset_source: Option<PresetSource>,
    /// The fields `[map]` or `--map` set, overriding the preset.
    pub overridden: Vec<Field>,
    pub fields: AttributeMapping,
}

impl MappingSummary {
    /// `user-id=identifier, email=email, ...`, the mapped fields only.
    pub fn pairs(&self) -> String {
        let pairs: Vec<String> = Field::ALL
            .into_iter()
            .filter_map(|f| self.fields.get(f).map(|n| format!("{}={n}", f.key())))
            .collect();
        if pairs.is_empty() {
            "nothing mapped".into()
        } else {
            pairs.join(", ")
        }
    }

    /// Where the mapping comes from, in words.
    pub fn origin(&self) -> String {
        let preset = match (self.preset, self.preset_source) {
            (Some(p), Some(PresetSource::Flag)) => format!("preset {p} (--preset)"),
            (Some(p), Some(PresetSource::Config)) => format!("preset {p} (samlcheck.toml)"),
            (Some(p), _) => format!("preset {p}, for the detected IdP"),
            (None, _) => "no preset".into(),
        };
        if self.overridden.is_empty() {
            return preset;
        }
        let keys: Vec<&str> = self.overridden.iter().map(|f| f.key()).collect();
        format!("{preset}, {} from [map] / --map", keys.join(", "))
    }
}

/// The preset (named, else the detected IdP's) overridden field by field.
pub fn resolve(
    preset: Option<&(String, PresetSource)>,
    detected: Option<Vendor>,
    overrides: &AttributeMapping,
) -> Result<(MappingSummary, Option<&'static Preset>), PreflightError> {
    let (chosen, source) = match preset {
        Some((name, source)) => (
            Some(presets::preset(name).ok_or_else(|| {
                PreflightError::Mapping(MappingError::UnknownPreset(name.trim().to_string()))
            })?),
            Some(*source),
        ),
        None => match detected.and_then(presets::for_vendor) {
            Some(p) => (Some(p), Some(PresetSource::Detected)),
            None => (None, None),
        },
    };
    let base = chosen.map(Preset::mapping).unwrap_or_default();
    let summary = MappingSummary {
        preset: chosen.map(|p| p.name),
        preset_source: source,
        overridden: Field::ALL
            .into_iter()
            .filter(|&f| overrides.get(f).is_some())
            .collect(),
        fields: base.overridden_by(overrides),
    };
    Ok((summary, chosen))
}

/// What the mapping is checked against.
pub struct Evidence<'a> {
    pub idp: &'a IdpAttributes,
    pub observed: Option<ObservedAssertion<'a>>,
    /// Whether the observed assertion's signature verified.
    pub verified: bool,
    /// Files for locations: the response's and the metadata's.
    pub response_name: Option<&'a str>,
    pub metadata_name: &'a str,
}

pub fn check(
    item: &mut Item,
    summary: &MappingSummary,
    preset: Option<&'static Preset>,
    detected: Option<Vendor>,
    evidence: Evidence<'_>,
) {
    let mut findings = check_mapping(&summary.fields, evidence.idp, evidence.observed);
    let file = match (evidence.observed, evidence.response_name) {
        (Some(_), Some(name)) => name,
        _ => evidence.metadata_name,
    };
    for f in &mut findings {
        if let Some(loc) = &mut f.location {
            loc.file = Some(file.to_string());
        }
        if evidence.observed.is_some() && !evidence.verified {
            f.notes.push(
                "read from a response whose signature was not verified; shown for diagnosis only"
                    .into(),
            );
        }
    }
    let explicit = summary
        .preset_source
        .is_some_and(|s| s != PresetSource::Detected);
    if let (Some(p), Some(v), true) = (preset, detected, explicit) {
        if !p.vendors.contains(&v) {
            let products: Vec<&str> = p.vendors.iter().map(|v| v.name()).collect();
            findings.push(
                Finding::new(
                    &PREFLIGHT_PRESET_MISMATCH,
                    format!(
                        "the preset {} is for {}, but the metadata looks like {}'s",
                        p.name,
                        products.join(" and "),
                        v.name()
                    ),
                )
                .expected(v.info().preset)
                .found(p.name),
            );
        }
    }
    item.findings = findings;
    let mapping = summary.pairs();
    let (state, whence) = if evidence.observed.is_some() {
        let how = if evidence.verified {
            "the test login's attributes"
        } else {
            "the response's attributes (its signature was not verified)"
        };
        (State::Ok, format!("checked against {how}"))
    } else if !evidence.idp.attributes.is_empty() {
        (
            State::Ok,
            format!(
                "checked against the {} attributes the metadata advertises only; a test login (--response) settles it",
                evidence.idp.attributes.len()
            ),
        )
    } else {
        (
            State::NotChecked,
            "nothing to check the names against: the metadata advertises no attributes and no test login was given".to_string(),
        )
    };
    item.set(state, format!("{mapping}; {whence}"));
}
