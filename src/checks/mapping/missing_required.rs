//! `mapping/missing-required`: the user ID or the email is mapped to nothing.

use super::suggest::{suggest, Candidate};
use super::{map_arg, MappingContext};
use crate::checks::catalog::mapping::MAPPING_MISSING_REQUIRED;
use crate::checks::Finding;
use crate::sp::mapping::Field;
use crate::sp::presets;

pub fn check(ctx: &MappingContext<'_>, findings: &mut Vec<Finding>) {
    for field in Field::ALL.into_iter().filter(|f| f.required()) {
        if ctx.mapping.get(field).is_some() {
            continue;
        }
        let mut f = Finding::new(
            &MAPPING_MISSING_REQUIRED,
            format!("{field} is not mapped to any attribute"),
        )
        .expected(format!("an attribute for {field} ({})", field.key()))
        .found("nothing mapped");
        // The strongest evidence first: what the response carries, then the metadata, then
        // the product's preset.
        let observed: Vec<Candidate<'_>> = ctx
            .observed
            .map(|o| {
                o.assertion
                    .attributes
                    .iter()
                    .map(|a| Candidate {
                        name: &a.name,
                        friendly_name: a.friendly_name.as_deref(),
                        value: a.values.first().map(String::as_str),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let advertised: Vec<Candidate<'_>> = ctx.idp.candidates();
        let suggestion = suggest(field, None, &observed)
            .map(|s| (s.name, "the response has"))
            .or_else(|| {
                suggest(field, None, &advertised).map(|s| (s.name, "the metadata advertises"))
            })
            .or_else(|| {
                let preset = presets::for_vendor(ctx.idp.vendor?)?;
                Some((preset.get(field)?.to_string(), "the IdP's preset uses"))
            });
        if let Some((name, whence)) = suggestion {
            f.message = format!("{}; {whence} `{name}`: map {field} to it", f.message);
            f = f
                .expected(name.clone())
                .fix(format!(
                    "Map {field} to `{name}` ({}), and enter the same name in the SP's SAML attribute mapping.",
                    map_arg(field, &name)
                ));
        }
        findings.push(f);
    }
}
