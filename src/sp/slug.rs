//! `sp/org-slug-invalid`: the org slug every SP URL is built from. A slug is lowercase letters,
//! digits, `-` and `_`, not only digits, at most 50 characters. A bad one is explained, and the
//! normalized slug is suggested when the intent is obvious (`Acme Corp` -> `acme-corp`).

use std::fmt;

use super::chars::{is_invisible, unseen};
use crate::checks::catalog::SP_ORG_SLUG_INVALID;
use crate::checks::Finding;

/// The longest slug, in characters.
pub const MAX_LEN: usize = 50;

/// One reason a slug is not valid.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum SlugProblem {
    Empty,
    TooLong {
        chars: usize,
    },
    OnlyDigits,
    Uppercase {
        letters: String,
    },
    /// Whitespace or invisible characters, by name (`a space`, `a zero-width space (U+200B)`);
    /// `invisible` when some show as nothing at all.
    Unseen {
        names: Vec<&'static str>,
        invisible: bool,
    },
    /// Visible characters outside `a-z 0-9 - _`, each listed once.
    Disallowed {
        chars: String,
    },
}

impl fmt::Display for SlugProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlugProblem::Empty => f.write_str("it is empty"),
            SlugProblem::TooLong { chars } => {
                write!(f, "it is {chars} characters long; a slug has at most {MAX_LEN}")
            }
            SlugProblem::OnlyDigits => f.write_str(
                "it is only digits, which would read as a numeric organization ID, so slugs must contain a letter, '-' or '_'",
            ),
            SlugProblem::Uppercase { letters } => write!(
                f,
                "it has uppercase letters ({letters}); slugs are lowercase and SAML compares URLs exactly"
            ),
            SlugProblem::Unseen { names, invisible } => {
                write!(f, "it contains {}", names.join(", "))?;
                if *invisible {
                    f.write_str(" (invisible; usually picked up by copy-paste)")?;
                }
                Ok(())
            }
            SlugProblem::Disallowed { chars } => {
                let listed: Vec<String> = chars.chars().map(|c| format!("'{c}'")).collect();
                write!(
                    f,
                    "it contains {}, but only a-z, 0-9, '-' and '_' are allowed",
                    listed.join(", ")
                )
            }
        }
    }
}

/// Why an org slug is not valid, and the slug that was probably meant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
pub struct SlugError {
    pub slug: String,
    pub problems: Vec<SlugProblem>,
    /// The normalized slug, when the intent is obvious.
    pub suggestion: Option<String>,
}

impl fmt::Display for SlugError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        write!(
            f,
            "the org slug {:?} is not valid: {}",
            self.slug,
            why.join("; ")
        )?;
        if let Some(s) = &self.suggestion {
            write!(f, "; did you mean \"{s}\"?")?;
        }
        Ok(())
    }
}

impl SlugError {
    /// The `sp/org-slug-invalid` finding for this slug.
    pub fn finding(&self) -> Finding {
        let mut f = Finding::new(&SP_ORG_SLUG_INVALID, self.to_string()).found(&self.slug);
        if let Some(s) = &self.suggestion {
            f = f.expected(s).fix(format!(
                "Use the organization's slug exactly as it appears in its URLs, probably \"{s}\"."
            ));
        }
        f
    }
}

/// Checks an org slug: lowercase letters, digits, `-` and `_`, not only digits, at most 50
/// characters.
pub fn validate(slug: &str) -> Result<(), SlugError> {
    let problems = problems(slug);
    if problems.is_empty() {
        return Ok(());
    }
    Err(SlugError {
        slug: slug.to_string(),
        problems,
        suggestion: normalize(slug).filter(|s| s != slug),
    })
}

fn problems(slug: &str) -> Vec<SlugProblem> {
    let mut out = Vec::new();
    if slug.is_empty() {
        out.push(SlugProblem::Empty);
        return out;
    }
    let len = slug.chars().count();
    if len > MAX_LEN {
        out.push(SlugProblem::TooLong { chars: len });
    }
    if slug.chars().all(|c| c.is_ascii_digit()) {
        out.push(SlugProblem::OnlyDigits);
    }
    let mut upper = String::new();
    let mut names: Vec<&'static str> = Vec::new();
    let mut other = String::new();
    for c in slug.chars() {
        if is_slug_char(c) {
            continue;
        }
        if c.is_ascii_uppercase() {
            if !upper.contains(c) {
                upper.push(c);
            }
        } else if let Some(name) = unseen(c) {
            if !names.contains(&name) {
                names.push(name);
            }
        } else if !other.contains(c) {
            other.push(c);
        }
    }
    if !upper.is_empty() {
        out.push(SlugProblem::Uppercase { letters: upper });
    }
    if !names.is_empty() {
        let invisible = slug.chars().any(is_invisible);
        out.push(SlugProblem::Unseen { names, invisible });
    }
    if !other.is_empty() {
        out.push(SlugProblem::Disallowed { chars: other });
    }
    out
}

fn is_slug_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
}

/// The valid slug `text` most likely stands for: lowercased, with spaces and ASCII punctuation
/// turned into single `-`, unseen characters dropped. `None` when that is not obvious: nothing
/// left, non-ASCII letters (no transliteration is safe to guess), or still invalid.
pub fn normalize(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c == '-' && out.ends_with('-') {
            continue;
        }
        if is_slug_char(c) {
            out.push(c);
        } else if c.is_whitespace() || c.is_ascii_punctuation() {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else if unseen(c).is_none() {
            return None;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    problems(&out).is_empty().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems_of(slug: &str) -> Vec<SlugProblem> {
        validate(slug).unwrap_err().problems
    }

    #[test]
    fn accepts_valid_slugs() {
        for ok in [
            "acme",
            "acme-corp",
            "acme_corp",
            "a",
            "3m",
            "x1",
            "-",
            &"a".repeat(50),
        ] {
            assert_eq!(validate(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn explains_each_problem() {
        assert_eq!(problems_of(""), vec![SlugProblem::Empty]);
        assert_eq!(problems_of("12345"), vec![SlugProblem::OnlyDigits]);
        assert_eq!(
            problems_of(&"a".repeat(51)),
            vec![SlugProblem::TooLong { chars: 51 }]
        );
        assert_eq!(
            problems_of("AcMe"),
            vec![SlugProblem::Uppercase {
                letters: "AM".into()
            }]
        );
        assert_eq!(
            problems_of("acme\u{200B}"),
            vec![SlugProblem::Unseen {
                names: vec!["a zero-width space (U+200B)"],
                invisible: true
            }]
        );
        assert_eq!(
            problems_of("acme.corp!"),
            vec![SlugProblem::Disallowed { chars: ".!".into() }]
        );
        let e = validate("Acme Corp").unwrap_err();
        assert_eq!(
            e.problems,
            vec![
                SlugProblem::Uppercase {
                    letters: "AC".into()
                },
                SlugProblem::Unseen {
                    names: vec!["a space"],
                    invisible: false
                },
            ]
        );
        assert_eq!(
            e.to_string(),
            "the org slug \"Acme Corp\" is not valid: it has uppercase letters (AC); slugs are lowercase and SAML compares URLs exactly; it contains a space; did you mean \"acme-corp\"?"
        );
    }

    #[test]
    fn suggests_the_normalized_slug_when_obvious() {
        let suggest = |s: &str| validate(s).unwrap_err().suggestion;
        assert_eq!(suggest("Acme Corp").as_deref(), Some("acme-corp"));
        assert_eq!(suggest("  acme  ").as_deref(), Some("acme"));
        assert_eq!(suggest("ACME").as_deref(), Some("acme"));
        assert_eq!(suggest("acme.corp").as_deref(), Some("acme-corp"));
        assert_eq!(suggest("Acme, Inc.").as_deref(), Some("acme-inc"));
        assert_eq!(suggest("acme - corp").as_deref(), Some("acme-corp"));
        assert_eq!(suggest("\u{FEFF}acme\u{200B}").as_deref(), Some("acme"));
        // Not obvious: nothing safe to guess.
        assert_eq!(suggest("12345"), None);
        assert_eq!(suggest(""), None);
        assert_eq!(suggest("Müller"), None);
        assert_eq!(suggest("!!!"), None);
        assert_eq!(suggest(&"A".repeat(51)), None);
    }

    #[test]
    fn finding_names_the_rule_and_the_suggestion() {
        let f = validate("Acme Corp").unwrap_err().finding();
        assert_eq!(f.rule, "sp/org-slug-invalid");
        assert_eq!(f.found.as_deref(), Some("Acme Corp"));
        assert_eq!(f.expected.as_deref(), Some("acme-corp"));
        assert!(f.fix.contains("\"acme-corp\""));
    }
}
