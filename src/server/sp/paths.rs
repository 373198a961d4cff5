//! Where the mock SP answers: the SAML endpoints at exactly the paths of the SP profile's URLs
//! (`{prefix}/saml/acs/{org}/`...), and its own pages under the same prefix.

use crate::sp::url::UrlParts;
use crate::sp::SpProfile;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The list of recent test logins: `{prefix}/`.
    pub index: String,
    /// Starts an SP-initiated login: `{prefix}/saml/login/{org}/`.
    pub login: String,
    pub acs: String,
    /// Serves the SP metadata (the entity ID's path, for the org profile).
    pub metadata: String,
    pub sls: Option<String>,
    /// Recent logins as JSON: `{prefix}/api/logins`.
    pub api_logins: String,
    /// One login's report is this plus its number: `{prefix}/logins/`.
    pub reports: String,
}

fn http_path(url: &str) -> Option<&str> {
    let parts = UrlParts::split(url)?;
    (matches!(parts.scheme, "http" | "https") && parts.path.starts_with('/')).then_some(parts.path)
}

/// Characters a route may hold: the router gives `{`, `}`, and segments starting with `:` or
/// `*` a meaning, so a path with them is refused rather than misrouted.
fn routable(path: &str) -> bool {
    path.starts_with('/')
        && path.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'/' | b'-'
                        | b'.'
                        | b'_'
                        | b'~'
                        | b'%'
                        | b'!'
                        | b'$'
                        | b'&'
                        | b'\''
                        | b'('
                        | b')'
                        | b'+'
                        | b','
                        | b';'
                        | b'='
                        | b'@'
                )
        })
}

impl Paths {
    /// The paths for `sp`; an error says which URL cannot be served.
    pub fn for_profile(sp: &SpProfile) -> Result<Paths, String> {
        let acs = http_path(&sp.acs)
            .ok_or_else(|| format!("the ACS URL {:?} is not an http(s) URL with a path", sp.acs))?;
        // The built-in shape's ACS is `{prefix}/saml/acs/{org}/`: this server's own pages go
        // under the same prefix.
        let prefix = sp
            .org
            .as_deref()
            .and_then(|org| acs.strip_suffix(&format!("/saml/acs/{org}/")))
            .unwrap_or("");
        let login = match (sp.login.as_deref().and_then(http_path), &sp.org) {
            (Some(login), _) => login.to_string(),
            (None, Some(org)) => format!("{prefix}/saml/login/{org}/"),
            (None, None) => format!("{prefix}/saml/login/"),
        };
        let metadata = http_path(&sp.entity_id)
            .map(str::to_string)
            .unwrap_or_else(|| format!("{prefix}/saml/metadata/"));
        let sls = sp.sls.as_deref().and_then(http_path).map(str::to_string);
        let paths = Paths {
            index: format!("{prefix}/"),
            login,
            acs: acs.to_string(),
            metadata,
            sls,
            api_logins: format!("{prefix}/api/logins"),
            reports: format!("{prefix}/logins/"),
        };
        let all = paths.routes();
        for (i, (what, path)) in all.iter().enumerate() {
            if !routable(path) {
                return Err(format!(
                    "the {what} path {path:?} has characters this server cannot route"
                ));
            }
            if let Some((other, _)) = all[..i].iter().find(|(_, p)| p == path) {
                return Err(format!(
                    "the {what} and the {other} would share the path {path}"
                ));
            }
        }
        Ok(paths)
    }

    /// Every route with what it is, for messages.
    pub fn routes(&self) -> Vec<(&'static str, &str)> {
        let mut all = vec![
            ("list of test logins", self.index.as_str()),
            ("login URL", self.login.as_str()),
            ("ACS URL", self.acs.as_str()),
            ("SP metadata URL", self.metadata.as_str()),
            ("logins API", self.api_logins.as_str()),
            ("login reports", self.reports.as_str()),
        ];
        if let Some(sls) = &self.sls {
            all.push(("SLS URL", sls.as_str()));
        }
        all
    }

    pub fn report(&self, number: u64) -> String {
        format!("{}{number}", self.reports)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_paths_under_a_prefix() {
        let p = Paths::for_profile(&SpProfile::for_org("https://sentry.company/tools", "acme"))
            .unwrap();
        assert_eq!(p.acs, "/tools/saml/acs/acme/");
        assert_eq!(p.login, "/tools/saml/login/acme/");
        assert_eq!(p.metadata, "/tools/saml/metadata/acme/");
        assert_eq!(p.sls.as_deref(), Some("/tools/saml/sls/acme/"));
        assert_eq!(p.index, "/tools/");
        assert_eq!(p.report(3), "/tools/logins/3");
    }

    #[test]
    fn explicit_profiles_and_refusals() {
        let p = Paths::for_profile(&SpProfile::explicit(
            "urn:example:sp",
            "http://localhost:9000/sso/acs",
            None,
        ))
        .unwrap();
        assert_eq!(p.metadata, "/saml/metadata/");
        assert_eq!(p.login, "/saml/login/");
        assert!(p.sls.is_none());
        let e =
            Paths::for_profile(&SpProfile::explicit("urn:x", "http://h/{x}", None)).unwrap_err();
        assert!(e.contains("cannot route"), "{e}");
        let e =
            Paths::for_profile(&SpProfile::explicit("http://h/a", "http://h/a", None)).unwrap_err();
        assert!(e.contains("share the path"), "{e}");
        assert!(Paths::for_profile(&SpProfile::explicit("urn:x", "/acs", None)).is_err());
    }
}
