//! `samlcheck completions SHELL`: the shell's completion script, generated from the clap
//! definitions, so it always knows every subcommand, flag and rule id.

use clap::CommandFactory;
use clap_complete::Shell;

use super::examples::{Example, Outcome};
use super::{exit, Cli, CliError};

pub const EXAMPLES: &[Example] = &[
    Example {
        what: "Bash: completions in this shell (put the line in ~/.bashrc to keep them)",
        command: "source <(samlcheck completions bash)",
        outcome: Outcome::Exit(exit::OK, "loaded"),
    },
    Example {
        what: "Zsh: a file _samlcheck in a folder of $fpath (add fpath+=~/.zfunc before compinit in ~/.zshrc)",
        command: "mkdir -p ~/.zfunc && samlcheck completions zsh > ~/.zfunc/_samlcheck",
        outcome: Outcome::Exit(exit::OK, "installed"),
    },
    Example {
        what: "Fish: loaded by every new fish",
        command: "mkdir -p ~/.config/fish/completions && samlcheck completions fish > ~/.config/fish/completions/samlcheck.fish",
        outcome: Outcome::Exit(exit::OK, "installed"),
    },
];

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "samlcheck", &mut out);
    if shell == Shell::Fish {
        out.extend_from_slice(fish_rule_ids().as_bytes());
    }
    out
}

/// Text for fish inside `'...'` inside `"..."`, escaped as clap_complete escapes it.
fn fish_quote(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\'', "\\'")
        .replace('"', "\\\"")
        .replace('$', "\\$")
}

/// The rule ids after `samlcheck explain`: bash and zsh get them from the argument's possible
/// values, but clap_complete's fish script completes no positional argument.
fn fish_rule_ids() -> String {
    let mut out = String::from("# The rule ids of `samlcheck explain`.\n");
    for r in crate::checks::catalog::all() {
        out.push_str(&format!(
            "complete -c samlcheck -n \"__fish_samlcheck_using_subcommand explain\" -f -a \"{}\\t'{}'\"\n",
            fish_quote(r.id),
            fish_quote(r.summary)
        ));
    }
    out
}

pub fn run(args: CompletionsArgs) -> Result<i32, CliError> {
    super::print_bytes(&script(args.shell))?;
    Ok(exit::OK)
}
