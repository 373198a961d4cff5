//! The checklist: one item per thing that must hold before "Require SSO", each with its state
//! and the findings behind it. GO means no item blocks.

use crate::checks::{Finding, Severity};

/// The items, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemId {
    MetadataValid,
    CertificateValid,
    UrlsExact,
    MappingComplete,
    TestLogin,
}

impl ItemId {
    pub const ALL: [ItemId; 5] = [
        ItemId::MetadataValid,
        ItemId::CertificateValid,
        ItemId::UrlsExact,
        ItemId::MappingComplete,
        ItemId::TestLogin,
    ];

    /// The line as the checklist shows it.
    pub fn title(self, expiry_warning_days: i64) -> String {
        match self {
            ItemId::MetadataValid => "metadata valid".into(),
            ItemId::CertificateValid => format!(
                "signing certificate valid for at least {expiry_warning_days} more day{}",
                if expiry_warning_days == 1 { "" } else { "s" }
            ),
            ItemId::UrlsExact => "URLs exact".into(),
            ItemId::MappingComplete => "mapping complete".into(),
            ItemId::TestLogin => "successful test login seen".into(),
        }
    }
}

/// An item's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Ok,
    /// Left out on purpose (`--no-test-login`); never blocks.
    Skipped,
    /// Nothing to check it with; blocks when its own finding is an error.
    NotChecked,
    Warn,
    Fail,
}

impl State {
    /// The label of the human checklist.
    pub fn label(self) -> &'static str {
        match self {
            State::Ok => "ok",
            State::Skipped => "skipped",
            State::NotChecked => "not checked",
            State::Warn => "warn",
            State::Fail => "FAIL",
        }
    }
}

/// One line of the checklist.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Item {
    #[serde(rename = "item")]
    pub id: ItemId,
    pub title: String,
    pub state: State,
    /// Whether this item alone makes the verdict NO-GO.
    pub blocking: bool,
    /// What was checked, or why it was not.
    pub detail: String,
    /// The rule ids of its findings, each once.
    pub rules: Vec<&'static str>,
    /// Its findings (listed once, at the top level of the JSON report).
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

impl Item {
    pub fn new(id: ItemId, expiry_warning_days: i64) -> Item {
        Item {
            id,
            title: id.title(expiry_warning_days),
            state: State::Ok,
            blocking: false,
            detail: String::new(),
            rules: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// Sets the state before the findings are weighed, and says why.
    pub fn set(&mut self, state: State, detail: impl Into<String>) {
        self.state = state;
        self.detail = detail.into();
    }

    /// Weighs the findings (after the configured severities): an error fails the item, a
    /// warning makes it a warning, blocking only under `--deny warnings`. An item that could
    /// not be checked stays "not checked" unless a real failure was found meanwhile.
    pub fn finish(&mut self, deny_warnings: bool) {
        let blocks = |f: &Finding| {
            f.severity == Severity::Error || (deny_warnings && f.severity == Severity::Warning)
        };
        let worst = self.findings.iter().map(|f| f.severity).max();
        let real_error = self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error && !f.rule.starts_with("preflight/"));
        self.state = match (self.state, worst) {
            (State::NotChecked, _) if !real_error => State::NotChecked,
            (_, Some(Severity::Error)) => State::Fail,
            (State::Ok, Some(Severity::Warning)) => State::Warn,
            (state, _) => state,
        };
        self.blocking = match self.state {
            State::Fail => true,
            State::Warn => deny_warnings,
            State::NotChecked => self.findings.iter().any(blocks),
            State::Ok | State::Skipped => false,
        };
        self.rules.clear();
        for f in &self.findings {
            if !self.rules.contains(&f.rule) {
                self.rules.push(f.rule);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::catalog::preflight::PREFLIGHT_NO_TEST_LOGIN;
    use crate::checks::catalog::{cert::CERT_EXPIRING_SOON, SP_ACS_MISMATCH};

    fn item(state: State, findings: Vec<Finding>, deny: bool) -> Item {
        let mut i = Item::new(ItemId::TestLogin, 30);
        i.set(state, "x");
        i.findings = findings;
        i.finish(deny);
        i
    }

    #[test]
    fn states_follow_the_findings() {
        let i = item(State::Ok, vec![], false);
        assert_eq!((i.state, i.blocking), (State::Ok, false));
        let warn = || vec![Finding::new(&CERT_EXPIRING_SOON, "soon")];
        let i = item(State::Ok, warn(), false);
        assert_eq!((i.state, i.blocking), (State::Warn, false));
        let i = item(State::Ok, warn(), true);
        assert_eq!((i.state, i.blocking), (State::Warn, true));
        let i = item(State::Ok, vec![Finding::new(&SP_ACS_MISMATCH, "x")], false);
        assert_eq!((i.state, i.blocking), (State::Fail, true));
        assert_eq!(i.rules, ["sp/acs-mismatch"]);
    }

    #[test]
    fn not_checked_blocks_through_its_own_finding_only() {
        let own = || vec![Finding::new(&PREFLIGHT_NO_TEST_LOGIN, "none")];
        let i = item(State::NotChecked, own(), false);
        assert_eq!((i.state, i.blocking), (State::NotChecked, true));
        let i = item(State::NotChecked, vec![], false);
        assert_eq!((i.state, i.blocking), (State::NotChecked, false));
        let mut both = own();
        both.push(Finding::new(&SP_ACS_MISMATCH, "x"));
        assert_eq!(item(State::NotChecked, both, false).state, State::Fail);
        let i = item(State::Skipped, vec![], true);
        assert_eq!((i.state, i.blocking), (State::Skipped, false));
    }
}
