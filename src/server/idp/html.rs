//! The mock IdP's pages: the login form, the auto-submitting form that posts the response to
//! the ACS (HTTP-POST binding), the index and error pages. Every value is HTML-escaped.

use super::escape::html;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}\
code{background:#f2f2f2;padding:0 .2em;border-radius:3px;word-break:break-all}\
.warn{background:#fff4d6;border:1px solid #e6c200;padding:.5rem .75rem;border-radius:4px}\
.fault{background:#fde8e8;border:1px solid #d33;padding:.5rem .75rem;border-radius:4px}\
label{display:block;margin:1rem 0 .25rem}input[type=text]{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}\
button{margin-top:1rem;font-size:1rem;padding:.4rem 1.2rem}";

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
        html(title)
    )
}

fn banner(b: Banner<'_>) -> String {
    let mut out = String::new();
    if b.test_key {
        out.push_str("<p class=\"warn\">Signed with the bundled <strong>test key</strong>: it is published with samlcheck and protects nothing. Never trust this IdP outside tests.</p>\n");
    }
    if let Some((name, description)) = b.fault {
        out.push_str(&format!(
            "<p class=\"fault\">Fault <code>{}</code> is on: {}.</p>\n",
            html(name),
            html(description)
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
                html(name),
                html(value)
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
        .map(|n| format!("<p class=\"fault\">{}</p>\n", html(n)))
        .unwrap_or_default();
    page(
        "Sign in: samlcheck mock IdP",
        &format!(
            "<h1>samlcheck mock IdP</h1>\n{}<p>Sign in to <code>{}</code>. The response will be posted to <code>{}</code>.</p>\n{notice}<form method=\"post\" action=\"{}\">{}<label for=\"username\">User name or email</label><input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" autofocus required placeholder=\"jane.doe@acme.example\"><button type=\"submit\">Sign in</button></form>",
            banner(b),
            html(sp_entity_id),
            html(acs),
            html(action),
            hidden_inputs(hidden),
        ),
    )
}

/// The HTTP-POST binding: a form that posts `SAMLResponse` (and `RelayState`) to the ACS and
/// submits itself; the button is there when scripts are off.
pub fn auto_post(
    b: Banner<'_>,
    acs: &str,
    saml_response: &str,
    relay_state: Option<&str>,
    user: &str,
) -> String {
    let mut fields = vec![("SAMLResponse", saml_response)];
    if let Some(rs) = relay_state {
        fields.push(("RelayState", rs));
    }
    page(
        "Signing in: samlcheck mock IdP",
        &format!(
            "<h1>samlcheck mock IdP</h1>\n{}<p>Signed in as <code>{}</code>; posting the SAML response to <code>{}</code>.</p>\n<form method=\"post\" action=\"{}\">{}<noscript><p>Scripts are off: press the button to continue.</p></noscript><button type=\"submit\">Continue</button></form>\n<script>document.forms[0].submit();</script>",
            banner(b),
            html(user),
            html(acs),
            html(acs),
            hidden_inputs(&fields),
        ),
    )
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
            html(entity_id),
            html(entity_id),
            html(sso_url),
            html(sp_entity_id),
            html(sp_acs),
            html(idp_initiated),
        ),
    )
}

/// An error page: what went wrong, in one paragraph.
pub fn error_page(title: &str, message: &str) -> String {
    page(
        &format!("{title}: samlcheck mock IdP"),
        &format!("<h1>{}</h1>\n<p>{}</p>", html(title), html(message)),
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
            auto_post(b, evil, evil, Some(evil), evil),
            index_page(b, evil, evil, evil, evil, evil),
            error_page(evil, evil),
        ];
        for p in pages {
            assert!(!p.contains("<script>alert"), "{p}");
            assert!(p.contains("&lt;script&gt;"), "{p}");
        }
    }
}
