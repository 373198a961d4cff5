//! `samlcheck demo`: the mock IdP and the mock SP on free loopback ports, a test login walked
//! through both over HTTP, then the same login with one IdP fault (see
//! [`crate::server::demo`]). Offline: the bundled test key signs, nothing leaves loopback.

use super::examples::{Example, Outcome};
use super::idp::fault_table;
use super::serve::render_login;
use super::verify::parse_now;
use super::{exit, CliError};
use crate::report::json;
use crate::saml::time::format_instant;
use crate::server::browser::Step;
use crate::server::demo::{self, DemoReport, DemoRun, DemoSettings, DEFAULT_FAULT};
use crate::server::idp::{CheckedBy, Fault};
use crate::server::sp::Login;
use crate::server::Clock;

pub const EXAMPLES: &[Example] = &[
    Example {
        what: "A clean test login, then one with the default fault",
        command: "samlcheck demo",
        outcome: Outcome::Exit(exit::OK, "both went as expected"),
    },
    Example {
        what: "The second login with an expired assertion, both servers' clocks fixed",
        command: "samlcheck demo --fault expired --now 2026-01-15T10:00:00Z",
        outcome: Outcome::Exit(exit::OK, "both went as expected"),
    },
    Example {
        what: "The faults there are",
        command: "samlcheck demo --list-faults",
        outcome: Outcome::Exit(exit::OK, "listed"),
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoFormat {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// The organization slug the mock SP stands for.
    #[arg(long, value_name = "SLUG", default_value = "acme")]
    pub org: String,
    /// The IdP fault of the second login (see --list-faults).
    #[arg(long, value_name = "NAME", default_value_t = DEFAULT_FAULT)]
    pub fault: Fault,
    /// List the faults, with the rule each makes samlcheck report, and exit.
    #[arg(long)]
    pub list_faults: bool,
    /// Run both servers at this instant (RFC 3339) instead of the current time, so the output
    /// is the same at every run but for the free ports.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DemoFormat::Human)]
    pub format: DemoFormat,
}

pub fn run(args: DemoArgs) -> Result<i32, CliError> {
    if args.list_faults {
        print!("{}", fault_table());
        return Ok(exit::OK);
    }
    let mut settings = DemoSettings::new(&args.org);
    settings.fault = args.fault;
    if args.now.is_some() {
        settings.clock = Clock::Fixed(parse_now(args.now.as_deref())?);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    let report = runtime.block_on(demo::run(&settings))?;
    let text = match args.format {
        DemoFormat::Human => human(&settings, &report),
        DemoFormat::Json => format!("{}\n", json::to_string(&Json::of(&settings, &report), true)),
    };
    super::print_bytes(text.as_bytes())?;
    Ok(if report.ok() {
        exit::OK
    } else {
        exit::FINDINGS
    })
}

/// A URL without its query (a SAMLRequest is a few hundred characters of base64).
fn short(url: &str) -> String {
    match url.split_once('?') {
        Some((path, _)) => format!("{path}?…"),
        None => url.to_string(),
    }
}

fn steps(out: &mut String, steps: &[Step]) {
    let width = steps.iter().map(|s| short(&s.url).len()).max().unwrap_or(0);
    for (i, s) in steps.iter().enumerate() {
        let what = match (&s.next, i + 1 == steps.len()) {
            (_, true) => "the SP's report",
            (Some(_), _) if (300..400).contains(&s.status) => "redirect",
            (Some(_), _) => "a form that posts itself to the next URL",
            (None, _) => "",
        };
        out.push_str(&format!(
            "  {:4} {:width$}  {}  {what}\n",
            s.method,
            short(&s.url),
            s.status
        ));
    }
}

fn run_text(out: &mut String, run: &DemoRun) {
    let l = &run.login;
    out.push_str(&format!(
        "  mock IdP {}, mock SP {} (ACS {})\n",
        l.idp_url, l.sp_url, l.sp.acs
    ));
    steps(out, &l.steps);
    out.push('\n');
    out.push_str(&render_login(&run.login.event));
}

fn verdict_word(accepted: bool) -> &'static str {
    if accepted {
        "accepted"
    } else {
        "rejected"
    }
}

fn human(settings: &DemoSettings, r: &DemoReport) -> String {
    let first = &r.clean.login;
    let mut out = format!(
        "samlcheck demo: a mock IdP and a mock SP for org {}, each on a free loopback port, and a test login through both over HTTP\n",
        settings.org
    );
    out.push_str("  the IdP signs with the bundled TEST key (it protects nothing); the SP checks the response as `samlcheck verify` does\n");
    if let Clock::Fixed(t) = settings.clock {
        out.push_str(&format!("  clock: both fixed at {}\n", format_instant(t)));
    }
    let user = first
        .event
        .verdict
        .subject
        .as_ref()
        .map_or("the demo user", |s| s.name_id.as_str());
    out.push_str(&format!(
        "\n1. A clean login as {user}: the browser's steps, then the SP's report\n"
    ));
    run_text(&mut out, &r.clean);

    let fault = settings.fault;
    out.push_str(&format!(
        "\n2. The same login with the IdP fault {fault}: {}\n   (expected: {}, reported as {})\n",
        fault.description(),
        verdict_word(fault.verify_accepts()),
        fault.rule().id
    ));
    run_text(&mut out, &r.faulty);

    out.push('\n');
    let clean = &r.clean.login.event.login;
    let faulty = &r.faulty.login.event.login;
    if r.ok() {
        let outcome = match fault.checked_by() {
            CheckedBy::Mapping => format!(
                "the response still verified and the account check reported {}",
                fault.rule().id
            ),
            CheckedBy::Verify => format!(
                "the SP {} the login and reported {}",
                verdict_word(faulty.verdict.accepted),
                fault.rule().id
            ),
        };
        out.push_str(&format!(
            "Result: as expected. The clean login was accepted; with {fault} {outcome}.\n"
        ));
    } else {
        out.push_str("Result: NOT as expected.\n");
        if !r.clean.as_expected() {
            out.push_str(&format!(
                "  the clean login was {}, not accepted\n",
                verdict_word(clean.verdict.accepted)
            ));
        }
        if faulty.verdict.accepted != r.faulty.expected_accepted() {
            out.push_str(&format!(
                "  with {fault} the login was {}, not {}\n",
                verdict_word(faulty.verdict.accepted),
                verdict_word(r.faulty.expected_accepted())
            ));
        }
        if !faulty.reported(fault.rule().id) {
            out.push_str(&format!(
                "  with {fault} the report does not name {}\n",
                fault.rule().id
            ));
        }
    }
    out.push_str("Other faults: samlcheck demo --list-faults, then samlcheck demo --fault NAME.\n");
    out
}

/// `--format json`: both runs with what was expected of them.
#[derive(serde::Serialize)]
struct Json<'a> {
    ok: bool,
    org: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    now: Option<String>,
    runs: [JsonRun<'a>; 2],
}

#[derive(serde::Serialize)]
struct JsonRun<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    fault: Option<JsonFault>,
    expected: JsonExpected,
    as_expected: bool,
    idp: &'a str,
    sp: &'a str,
    steps: &'a [Step],
    /// The ACS's HTTP status.
    status: u16,
    login: &'a Login,
}

#[derive(serde::Serialize)]
struct JsonFault {
    name: &'static str,
    description: &'static str,
}

#[derive(serde::Serialize)]
struct JsonExpected {
    accepted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'static str>,
}

impl<'a> Json<'a> {
    fn of(settings: &'a DemoSettings, r: &'a DemoReport) -> Json<'a> {
        let now = match settings.clock {
            Clock::Fixed(t) => Some(format_instant(t)),
            Clock::System => None,
        };
        Json {
            ok: r.ok(),
            org: &settings.org,
            now,
            runs: [JsonRun::of(&r.clean), JsonRun::of(&r.faulty)],
        }
    }
}

impl<'a> JsonRun<'a> {
    fn of(run: &'a DemoRun) -> JsonRun<'a> {
        JsonRun {
            fault: run.fault.map(|f| JsonFault {
                name: f.name(),
                description: f.description(),
            }),
            expected: JsonExpected {
                accepted: run.expected_accepted(),
                rule: run.expected_rule(),
            },
            as_expected: run.as_expected(),
            idp: &run.login.idp_url,
            sp: &run.login.sp_url,
            steps: &run.login.steps,
            status: run.login.status,
            login: &run.login.event.login,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_cut_from_urls() {
        assert_eq!(
            short("http://127.0.0.1:1/sso?SAMLRequest=abc"),
            "http://127.0.0.1:1/sso?…"
        );
        assert_eq!(short("http://127.0.0.1:1/x"), "http://127.0.0.1:1/x");
    }
}
