//! Characters that copy-paste brings along unseen: spaces of every kind, zero-width and
//! direction marks, the byte order mark, control characters. Slugs and URLs share this list, so
//! both name the culprit the same way.

/// The name of `c` when it is whitespace or invisible (and so cannot belong in a slug or URL
/// typed into a console), or `None` for a visible character.
pub fn unseen(c: char) -> Option<&'static str> {
    let name = match c {
        ' ' => "a space",
        '\t' => "a tab",
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => "a line break",
        '\u{A0}' => "a no-break space (U+00A0)",
        '\u{AD}' => "a soft hyphen (U+00AD)",
        '\u{180E}' => "a Mongolian vowel separator (U+180E)",
        '\u{2000}'..='\u{200A}' | '\u{1680}' | '\u{205F}' | '\u{3000}' => "a typographic space",
        '\u{200B}' => "a zero-width space (U+200B)",
        '\u{200C}' => "a zero-width non-joiner (U+200C)",
        '\u{200D}' => "a zero-width joiner (U+200D)",
        '\u{200E}' | '\u{200F}' | '\u{61C}' => "a text-direction mark",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "a text-direction control",
        '\u{202F}' => "a narrow no-break space (U+202F)",
        '\u{2060}'..='\u{2064}' => "a word joiner (U+2060)",
        '\u{FEFF}' => "a byte order mark (U+FEFF)",
        c if c.is_whitespace() => "a space character",
        c if c.is_control() => "a control character",
        _ => return None,
    };
    Some(name)
}

/// True for the characters [`unseen`] names that show as nothing at all on screen (as opposed
/// to a visible gap).
pub fn is_invisible(c: char) -> bool {
    unseen(c).is_some() && !c.is_whitespace()
}

/// `text` without any character [`unseen`] names.
pub fn strip_unseen(text: &str) -> String {
    text.chars().filter(|&c| unseen(c).is_none()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_what_copy_paste_adds() {
        assert_eq!(unseen('a'), None);
        assert_eq!(unseen('-'), None);
        assert_eq!(unseen('\u{200B}'), Some("a zero-width space (U+200B)"));
        assert_eq!(unseen('\u{FEFF}'), Some("a byte order mark (U+FEFF)"));
        assert_eq!(unseen('\u{A0}'), Some("a no-break space (U+00A0)"));
        assert_eq!(unseen('\u{7}'), Some("a control character"));
        assert!(is_invisible('\u{200B}'));
        assert!(!is_invisible(' '));
        assert_eq!(strip_unseen("\u{FEFF} a\u{200B}b\t"), "ab");
    }
}
