//! The decoded XML indented for reading (`--xml`). For display only: signatures are always
//! checked over the bytes as decoded, never over this.

use quick_xml::events::Event;
use quick_xml::{Reader, Writer};

/// `xml` indented by two spaces per level; the input unchanged if it cannot be re-read.
pub fn pretty(xml: &str) -> String {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(event) => {
                if writer.write_event(event).is_err() {
                    return xml.to_string();
                }
            }
            Err(_) => return xml.to_string(),
        }
    }
    String::from_utf8(writer.into_inner()).unwrap_or_else(|_| xml.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn indents_nested_elements() {
        let out = super::pretty("<a x=\"1\"><b>t</b><c/></a>");
        assert_eq!(out, "<a x=\"1\">\n  <b>t</b>\n  <c/>\n</a>");
        assert_eq!(super::pretty("<a><b></a>"), "<a><b></a>");
    }
}
