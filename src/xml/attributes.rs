//! The attribute list of a start tag, read as XML 1.0 writes it:
//! `(S Name S? '=' S? AttValue)* S?`.
//!
//! quick-xml finds where a tag ends; this reads what is inside. quick-xml's own attribute
//! iterator accepts `<r a="1"b="2"/>` (no space between attributes), which libxml2 and every
//! conforming parser refuse: a document two parsers read differently has no place in a
//! signature check. It also searched for each closing quote a byte at a time.

use memchr::memchr;

/// Why an attribute list is malformed, and at which byte of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeSyntax {
    pub offset: usize,
    pub problem: &'static str,
}

/// One `name="value"`: the name as written and the raw value between the quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawAttribute<'a> {
    pub name: &'a str,
    pub value: &'a str,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The attributes of `list`, the text of a start tag after the element name (and before
/// `>` or `/>`), in order.
pub fn scan(list: &str) -> Scan<'_> {
    Scan { list, at: 0 }
}

pub struct Scan<'a> {
    list: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    fn skip_space(&mut self) -> usize {
        let bytes = self.list.as_bytes();
        let from = self.at;
        while self.at < bytes.len() && is_space(bytes[self.at]) {
            self.at += 1;
        }
        self.at - from
    }

    fn fail(
        &mut self,
        offset: usize,
        problem: &'static str,
    ) -> Option<Result<RawAttribute<'a>, AttributeSyntax>> {
        // Nothing after an error.
        self.at = self.list.len();
        Some(Err(AttributeSyntax { offset, problem }))
    }
}

impl<'a> Iterator for Scan<'a> {
    type Item = Result<RawAttribute<'a>, AttributeSyntax>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.list.as_bytes();
        let spaces = self.skip_space();
        if self.at >= bytes.len() {
            return None;
        }
        if spaces == 0 {
            let problem = if bytes[self.at] == b'/' {
                "a '/' in a start tag may only come right before its '>'"
            } else {
                "attributes must be separated by whitespace"
            };
            return self.fail(self.at, problem);
        }
        let name_start = self.at;
        while self.at < bytes.len() && bytes[self.at] != b'=' && !is_space(bytes[self.at]) {
            self.at += 1;
        }
        let name_end = self.at;
        if name_end == name_start {
            return self.fail(name_start, "an attribute has no name before '='");
        }
        self.skip_space();
        if bytes.get(self.at) != Some(&b'=') {
            return self.fail(self.at, "an attribute name must be followed by '='");
        }
        self.at += 1;
        self.skip_space();
        let quote = match bytes.get(self.at) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                return self.fail(
                    self.at,
                    "an attribute value must be enclosed in '\"' or '\\''",
                )
            }
        };
        let value_start = self.at + 1;
        let Some(len) = memchr(quote, &bytes[value_start..]) else {
            return self.fail(self.at, "an attribute value is not closed");
        };
        self.at = value_start + len + 1;
        // The delimiters are ASCII, so every index above is a char boundary.
        Some(Ok(RawAttribute {
            name: &self.list[name_start..name_end],
            value: &self.list[value_start..value_start + len],
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(list: &str) -> Result<Vec<(&str, &str)>, AttributeSyntax> {
        scan(list).map(|a| a.map(|a| (a.name, a.value))).collect()
    }

    fn problem(list: &str) -> (usize, &'static str) {
        let e = all(list).unwrap_err();
        (e.offset, e.problem)
    }

    #[test]
    fn reads_names_and_raw_values_with_spaces_around_the_equals_sign() {
        assert_eq!(all(""), Ok(vec![]));
        assert_eq!(all("  \n"), Ok(vec![]));
        assert_eq!(
            all(" a=\"1\"\tb = '2\"' \r\n c:d=\"&amp;<\" e=''"),
            Ok(vec![("a", "1"), ("b", "2\""), ("c:d", "&amp;<"), ("e", "")])
        );
        assert_eq!(
            all(" n=\"caf\u{e9}\u{2028}\""),
            Ok(vec![("n", "caf\u{e9}\u{2028}")])
        );
    }

    #[test]
    fn refuses_what_xml_1_0_refuses() {
        assert_eq!(
            problem(" a=\"1\"b=\"2\""),
            (6, "attributes must be separated by whitespace")
        );
        assert_eq!(
            problem("a=\"1\""),
            (0, "attributes must be separated by whitespace")
        );
        // `<r a="1"/ >`: quick-xml hands over everything before the '>'.
        assert_eq!(
            problem(" a=\"1\"/ "),
            (6, "a '/' in a start tag may only come right before its '>'")
        );
        assert_eq!(
            problem(" a b=\"1\""),
            (3, "an attribute name must be followed by '='")
        );
        assert_eq!(
            problem(" a"),
            (2, "an attribute name must be followed by '='")
        );
        assert_eq!(
            problem(" =\"1\""),
            (1, "an attribute has no name before '='")
        );
        assert_eq!(
            problem(" a=1"),
            (3, "an attribute value must be enclosed in '\"' or '\\''")
        );
        assert_eq!(
            problem(" a="),
            (3, "an attribute value must be enclosed in '\"' or '\\''")
        );
        assert_eq!(problem(" a=\"1"), (3, "an attribute value is not closed"));
        assert_eq!(problem(" a='1\""), (3, "an attribute value is not closed"));
    }

    #[test]
    fn stops_after_the_first_error() {
        let mut s = scan(" a=1 b=\"2\"");
        assert!(s.next().unwrap().is_err());
        assert!(s.next().is_none());
    }
}
