//! The servers' notion of now: the system clock, or a fixed instant (`--now`) so tests, demos
//! and replays of captured responses see the same time on every request. The mock IdP and the
//! mock SP share this type, so one fixed clock can drive both.

use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    #[default]
    System,
    Fixed(OffsetDateTime),
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        match self {
            Clock::System => OffsetDateTime::now_utc(),
            Clock::Fixed(t) => *t,
        }
    }
}
