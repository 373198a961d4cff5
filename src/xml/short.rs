//! Comparisons of short byte strings (prefixes, local names), written inline: a call to
//! `memcmp` costs more than comparing a name of a few bytes, and the canonicalizer and the
//! parser compare names for every element and attribute.

use std::cmp::Ordering;

/// Byte order of `a` and `b`.
#[inline]
pub(crate) fn short_cmp(a: &[u8], b: &[u8]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// Whether `a` and `b` are the same bytes.
#[inline]
pub(crate) fn short_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Whether two optional names (`None`: no prefix) are the same.
#[inline]
pub(crate) fn same_prefix(a: Option<&[u8]>, b: Option<&[u8]>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => short_eq(a, b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agree_with_the_slice_comparisons() {
        let names: [&[u8]; 7] = [b"", b"a", b"ab", b"b", b"saml2", b"saml2p", b"saml"];
        for a in names {
            for b in names {
                assert_eq!(short_cmp(a, b), a.cmp(b), "{a:?} {b:?}");
                assert_eq!(short_eq(a, b), a == b, "{a:?} {b:?}");
                assert_eq!(same_prefix(Some(a), Some(b)), a == b);
            }
            assert!(!same_prefix(Some(a), None));
        }
        assert!(same_prefix(None, None));
    }
}
