//! The examples that end every `--help` and fill the EXAMPLES section of the man pages. Each
//! runs from the root of a clone of samlcheck on its fixtures/ (tests/help_examples.rs runs them
//! all), and says what it should end with, so a reader knows what success looks like. Where one
//! names a file of fixtures/, the heading says where to run them from.

/// How an example ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It exits with this code; the words say what the code means here.
    Exit(i32, &'static str),
    /// It starts a server that runs until interrupted.
    Serves,
    /// It starts a server that stops after the first test login, with that login's verdict.
    ServesOnce,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Exit(code, meaning) => write!(f, "exit {code}: {meaning}"),
            Outcome::Serves => f.write_str("runs until Ctrl-C"),
            Outcome::ServesOnce => {
                f.write_str("runs until the first test login, then exit 0: accepted, 1: rejected")
            }
        }
    }
}

/// One example: a sentence, the command (one line; wrapped when shown) and how it ends.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub what: &'static str,
    pub command: &'static str,
    pub outcome: Outcome,
}

/// Lines are kept this short so that an 80-column terminal never re-wraps a command, which
/// would break it for copy and paste.
pub const WIDTH: usize = 78;

/// `units` joined by spaces into lines of at most `width` columns (a longer unit gets a line
/// of its own).
fn wrap_units<'a>(units: impl IntoIterator<Item = &'a str>, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for unit in units {
        if !line.is_empty() && line.len() + 1 + unit.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(unit);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn is_operator(word: &str) -> bool {
    matches!(word, ">" | "<" | "|" | "&&")
}

/// The words of a command grouped so that a line break never separates a flag from its
/// value or a redirection from its target.
fn units(command: &str) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    let mut joins_next = false;
    for word in command.split_whitespace() {
        // A flag's value is no flag and no shell operator: else the flag was a switch.
        let joins = std::mem::take(&mut joins_next) && !word.starts_with('-') && !is_operator(word);
        match units.last_mut() {
            Some(last) if joins => {
                last.push(' ');
                last.push_str(word);
            }
            _ => {
                units.push(word.to_string());
                joins_next = word.starts_with("--") && !word.contains('=') || is_operator(word);
            }
        }
    }
    units
}

/// The command as shell lines of at most `width` columns: the first flush with `indent`, the
/// rest four columns further in, each but the last ending in ` \`.
pub fn command_lines(command: &str, indent: usize, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for unit in units(command) {
        let margin = if lines.is_empty() { indent } else { indent + 4 };
        // Room for the unit and, should another line follow, for ` \`.
        if !line.is_empty() && margin + line.len() + 1 + unit.len() + 2 > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&unit);
    }
    lines.push(line);
    let last = lines.len() - 1;
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let margin = if i == 0 { indent } else { indent + 4 };
            let tail = if i < last { " \\" } else { "" };
            format!("{:margin$}{l}{tail}", "")
        })
        .collect()
}

/// The sentence above a command, with how it ends: `What it shows (exit 0: GO)`.
pub fn caption(e: &Example) -> String {
    format!("{} ({})", e.what, e.outcome)
}

/// The caption as comment lines; the outcome is never split over two.
fn caption_lines(e: &Example, width: usize) -> Vec<String> {
    let outcome = format!("({})", e.outcome);
    wrap_units(e.what.split_whitespace().chain([outcome.as_str()]), width)
}

/// The heading of examples that name files of the repository's fixtures/.
pub const CLONE_HEADING: &str = "Examples (run from a clone of samlcheck: they use its fixtures/):";

/// The heading of examples that run anywhere.
pub const HEADING: &str = "Examples:";

/// The note that opens the EXAMPLES section of a man page when the examples use fixtures/.
pub const CLONE_NOTE: &str =
    "Run these from the root of a clone of samlcheck: they use the files of its fixtures/ folder.";

/// Whether an example names a file of the repository's fixtures/, so only runs from a clone.
pub fn uses_fixtures(examples: &[Example]) -> bool {
    examples.iter().any(|e| {
        e.command
            .split_whitespace()
            .any(|w| w.starts_with("fixtures/"))
    })
}

/// [`CLONE_HEADING`] when an example uses fixtures/, else [`HEADING`].
pub fn heading(examples: &[Example]) -> &'static str {
    if uses_fixtures(examples) {
        CLONE_HEADING
    } else {
        HEADING
    }
}

/// The examples block of a `--help`: its heading, then each example a `#` comment and the
/// command, so the block pastes into a shell as it is.
pub fn help(examples: &[Example]) -> String {
    let mut out = String::from(heading(examples));
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for line in caption_lines(e, WIDTH - 4) {
            out.push_str(&format!("\n  # {line}"));
        }
        for line in command_lines(e.command, 2, WIDTH) {
            out.push('\n');
            out.push_str(&line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: Example = Example {
        what: "The bundled Okta test login for org acme, at the time it was captured",
        command: "samlcheck check --org acme --idp-metadata fixtures/metadata/vendors/okta.xml --response fixtures/responses/vendors/okta.xml --now 2026-01-15T10:01:00Z --no-color > out.txt",
        outcome: Outcome::Exit(0, "GO"),
    };

    #[test]
    fn long_commands_break_between_flags_and_keep_within_the_width() {
        assert_eq!(
            command_lines(LONG.command, 2, WIDTH),
            [
                "  samlcheck check --org acme \\",
                "      --idp-metadata fixtures/metadata/vendors/okta.xml \\",
                "      --response fixtures/responses/vendors/okta.xml \\",
                "      --now 2026-01-15T10:01:00Z --no-color > out.txt",
            ]
        );
        assert_eq!(
            command_lines("samlcheck rules", 2, WIDTH),
            ["  samlcheck rules".to_string()]
        );
    }

    #[test]
    fn help_is_comments_then_commands() {
        let short = Example {
            what: "Every rule",
            command: "samlcheck rules",
            outcome: Outcome::Exit(0, "listed"),
        };
        let serve = Example {
            what: "The mock SP",
            command: "samlcheck serve --org acme",
            outcome: Outcome::Serves,
        };
        assert_eq!(
            help(&[short, LONG, serve]),
            "Examples (run from a clone of samlcheck: they use its fixtures/):\
             \n  # Every rule (exit 0: listed)\
             \n  samlcheck rules\n\
             \n  # The bundled Okta test login for org acme, at the time it was captured\
             \n  # (exit 0: GO)\
             \n  samlcheck check --org acme \\\
             \n      --idp-metadata fixtures/metadata/vendors/okta.xml \\\
             \n      --response fixtures/responses/vendors/okta.xml \\\
             \n      --now 2026-01-15T10:01:00Z --no-color > out.txt\n\
             \n  # The mock SP (runs until Ctrl-C)\
             \n  samlcheck serve --org acme"
        );
        assert_eq!(
            help(&[short, serve]),
            "Examples:\
             \n  # Every rule (exit 0: listed)\
             \n  samlcheck rules\n\
             \n  # The mock SP (runs until Ctrl-C)\
             \n  samlcheck serve --org acme"
        );
    }
}
