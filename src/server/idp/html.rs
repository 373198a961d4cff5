//! The mock IdP's pages: the login form, the index and error pages, and what the
//! auto-submitting form that posts the response to the ACS says (the form itself is
//! [`crate::report::html::auto_post_form`], shared with the mock SP). Every value is
//! HTML-escaped by the one escaper, [`crate::report::html::escape`].

use crate::report::html::escape;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}\
code{background:#f2f2f2;padding:0 .2em;border-radius:3px;word-break:break-all}\
.warn{background:#fff4d6;border:1px solid #e6c200;padding:.5rem .75rem;border-radius:4px}\
.fault{background:#fde8e8;border:1px solid #d33;padding:.5rem .75rem;border-radius:4px}\
label{display:block;margin:1rem 0 .25rem}input[type=text]{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}\
button{margin-top:1rem;font-size:1rem;padding:.4rem 1.2rem}";

const TEST_KEY_NOTE: &str = "Signed with the bundled test key: it is published with samlcheck and protects nothing. Never trust this IdP outside tests.";

/// What every page says about the IdP: its test key and any fault.
#[derive(Debug, Clone, Copy)]
pub struct Banner<'a> {
    /// The signing key is the bundled test key.
    pub test_key: bool,
    /// The fault's name and description.
    pub fault: Option<(&'a str, &'a str)>,
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>{}</title><style>{STYLE}</style></head><body>\n{body}\n</body></html>\n",
        escape(title)
    )
}

fn banner(b: Banner<'_>) -> String {
    let mut out = String::new();
    if b.test_key {
        out.push_str(&format!(
            "<p class=\"warn\">{}</p>\n",
            escape(TEST_KEY_NOTE)
        ));
    }
    if let Some((name, description)) = b.fault {
        out.push_str(&format!(
            "<p class=\"fault\">Fault <code>{}</code> is on: {}.</p>\n",
            escape(name),
            escape(description)
        ));
    }
    out
}

fn hidden_inputs(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(name, value)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(name),
                escape(value)
            )
        })
        .collect()
}

/// The login form: a user name, posted with the hidden fields to `action`.
pub fn login_page(
    b: Banner<'_>,
    action: &str,
    sp_entity_id: &str,
    acs: &str,
    hidden: &[(&str, &str)],
    notice: Option<&str>,
) -> String {
    let notice = notice
        .map(|n| format!("<p class=\"fault\">{}</p>\n", escape(n)))
        .unwrap_or_default();
    page(
        "Sign in: samlcheck mock IdP",
        &format!(
            "<h1>samlcheck mock IdP</h1>\n{}<p>Sign in to <code>{}</code>. The response will be posted to <code>{}</code>.</p>\n{notice}<form method=\"post\" action=\"{}\">{}<label for=\"username\">User name or email</label><input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" autofocus required placeholder=\"jane.doe@acme.example\"><button type=\"submit\">Sign in</button></form>",
            banner(b),
            escape(sp_entity_id),
            escape(acs),
            escape(action),
            hidden_inputs(hidden),
        ),
    )
}

/// What the page posting the response says above its button (seen when scripts are off):
/// the banner as plain text, then who signed in and where the response goes.
pub fn auto_post_notes(b: Banner<'_>, acs: &str, user: &str) -> Vec<String> {
    let mut notes = Vec::new();
    if b.test_key {
        notes.push(TEST_KEY_NOTE.to_string());
    }
    if let Some((name, description)) = b.fault {
        notes.push(format!("Fault {name} is on: {description}."));
    }
    notes.push(format!(
        "samlcheck mock IdP: signed in as {user}; posting the SAML response to {acs}."
    ));
    notes
}

/// The index: what this IdP is and where its endpoints are.
pub fn index_page(
    b: Banner<'_>,
    entity_id: &str,
    sso_url: &str,
    sp_entity_id: &str,
    sp_acs: &str,
    idp_initiated: &str,
) -> String {
    page(
        "samlcheck mock IdP",
        &format!(
            "<h1>samlcheck mock IdP</h1>\n{}<ul><li>Metadata (entity ID): <a href=\"{}\"><code>{}</code></a></li><li>Single sign-on (HTTP-Redirect and HTTP-POST): <code>{}</code></li><li>Configured SP: <code>{}</code>, ACS <code>{}</code></li><li><a href=\"{}\">IdP-initiated login</a> to the configured SP</li></ul>",
            banner(b),
            escape(entity_id),
            escape(entity_id),
            escape(sso_url),
            escape(sp_entity_id),
            escape(sp_acs),
            escape(idp_initiated),
        ),
    )
}

/// An error page: what went wrong, in one paragraph.
pub fn error_page(title: &str, message: &str) -> String {
    page(
        &format!("{title}: samlcheck mock IdP"),
        &format!("<h1>{}</h1>\n<p>{}</p>", escape(title), escape(message)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_inert() {
        let evil = "\"><script>alert(1)</script>";
        let b = Banner {
            test_key: true,
            fault: Some(("x", evil)),
        };
        let pages = [
            login_page(
                b,
                "/sso/login",
                evil,
                evil,
                &[("SAMLRequest", evil)],
                Some(evil),
            ),
            {
                let notes = auto_post_notes(b, evil, evil);
                let notes: Vec<&str> = notes.iter().map(String::as_str).collect();
                crate::report::html::auto_post_form(evil, &[("RelayState", evil)], &notes, evil).0
            },
            index_page(b, evil, evil, evil, evil, evil),
            error_page(evil, evil),
        ];
        for p in pages {
            assert!(!p.contains("<script>alert"), "{p}");
            assert!(p.contains("&lt;script&gt;"), "{p}");
        }
    }
}
