//! `samlcheck demo`: a test login through the mock pair ([`super::pair`]), then the same login
//! with one deliberate IdP fault, and whether each came out as it should: the clean login
//! accepted, the faulty one reported under the fault's rule with the fault's verdict.

use super::clock::Clock;
use super::idp::Fault;
use super::pair::{login, PairError, PairLogin, PairSettings};

/// The fault shown by default: a near miss every admin can picture, explained with its fix.
pub const DEFAULT_FAULT: Fault = Fault::AudienceMissingTrailingSlash;

#[derive(Debug, Clone)]
pub struct DemoSettings {
    pub org: String,
    /// Both servers' clock, in both runs.
    pub clock: Clock,
    pub fault: Fault,
}

impl DemoSettings {
    pub fn new(org: &str) -> DemoSettings {
        DemoSettings {
            org: org.to_string(),
            clock: Clock::System,
            fault: DEFAULT_FAULT,
        }
    }
}

/// One login of the demo and what it should have given.
#[derive(Debug)]
pub struct DemoRun {
    pub fault: Option<Fault>,
    pub login: PairLogin,
}

impl DemoRun {
    /// The verdict this run should get: accepted without a fault, else the fault's.
    pub fn expected_accepted(&self) -> bool {
        self.fault.is_none_or(Fault::verify_accepts)
    }

    /// The rule the report must name (the fault's).
    pub fn expected_rule(&self) -> Option<&'static str> {
        self.fault.map(|f| f.rule().id)
    }

    pub fn as_expected(&self) -> bool {
        let login = &self.login.event.login;
        login.verdict.accepted == self.expected_accepted()
            && self.expected_rule().is_none_or(|rule| login.reported(rule))
    }
}

#[derive(Debug)]
pub struct DemoReport {
    pub clean: DemoRun,
    pub faulty: DemoRun,
}

impl DemoReport {
    pub fn ok(&self) -> bool {
        self.clean.as_expected() && self.faulty.as_expected()
    }
}

/// Runs both logins, each through a fresh pair.
pub async fn run(settings: &DemoSettings) -> Result<DemoReport, PairError> {
    let mut pair = PairSettings::new(&settings.org);
    pair.clock = settings.clock;
    let clean = login(&pair).await?;
    pair.fault = Some(settings.fault);
    let faulty = login(&pair).await?;
    Ok(DemoReport {
        clean: DemoRun {
            fault: None,
            login: clean,
        },
        faulty: DemoRun {
            fault: Some(settings.fault),
            login: faulty,
        },
    })
}
