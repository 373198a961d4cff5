//! `GET {prefix}/`: the SP's URLs and the recent test logins; `GET {prefix}/logins/{n}`: one
//! login's report.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{errors, html};
use crate::report::html::{index_page, LoginRow};
use crate::server::sp::app::SpApp;

pub async fn page(State(app): State<SpApp>) -> Response {
    let s = app.settings();
    let p = app.paths();
    let login_url = app.url(&p.login);
    let metadata_url = app.url(&p.metadata);
    let idp = match s.vendor {
        Some(v) => format!("{} ({})", s.idp.entity_id, v.name()),
        None => s.idp.entity_id.clone(),
    };
    let sso = match &s.idp_sso {
        Some(sso) => format!("{} by {}", sso.url, sso.binding.uri()),
        None => "none: the metadata has no HTTP-Redirect or HTTP-POST SingleSignOnService".into(),
    };
    let mut intro: Vec<(&str, &str)> = vec![
        ("Start a test login", &login_url),
        ("ACS URL (Single sign-on URL)", &s.profile.acs),
        ("SP entity ID (Audience)", &s.profile.entity_id),
    ];
    if let Some(sls) = &s.profile.sls {
        intro.push(("Single Logout URL", sls));
    }
    intro.push(("SP metadata", &metadata_url));
    intro.push(("IdP", &idp));
    intro.push(("IdP SSO endpoint", &sso));
    let logins = app.logins();
    let hrefs: Vec<String> = logins.iter().map(|l| l.report.clone()).collect();
    let rows: Vec<LoginRow> = logins
        .iter()
        .zip(&hrefs)
        .map(|(l, href)| LoginRow {
            number: l.number,
            received: &l.received,
            verdict: &l.verdict,
            href,
        })
        .collect();
    let title = match &s.profile.org {
        Some(org) => format!("Mock SP for {org}"),
        None => "Mock SP".to_string(),
    };
    let nav = app.nav();
    let nav: Vec<(&str, &str)> = nav.iter().map(|(l, h)| (*l, h.as_str())).collect();
    html(StatusCode::OK, index_page(&title, &nav, &intro, &rows))
}

pub async fn report(State(app): State<SpApp>, Path(number): Path<String>) -> Response {
    match number.parse::<u64>().ok().and_then(|n| app.login(n)) {
        Some(login) => html(StatusCode::OK, login.html.clone()),
        None => errors::page(
            &app,
            StatusCode::NOT_FOUND,
            "No such test login",
            &format!("There is no test login {number:?} (any more)."),
            &[format!(
                "This server keeps the last {} logins.",
                app.settings().limits.max_logins
            )],
        ),
    }
}
