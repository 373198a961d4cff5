//! Mapping positions in a chunk's little document back to the file.

use super::stream::Origin;
use crate::checks::Finding;

/// A chunk parsed as `prefix + text + suffix`, where `text` starts at `origin` in the file.
pub struct ChunkFrame<'a> {
    pub prefix: &'a str,
    pub text: &'a str,
    pub origin: Origin,
}

impl ChunkFrame<'_> {
    /// Rewrites the findings' line, column and source line from the chunk document to the file.
    pub fn remap(&self, findings: &mut [Finding]) {
        let prefix_lines = self.prefix.matches('\n').count();
        let prefix_tail = self
            .prefix
            .rsplit('\n')
            .next()
            .unwrap_or("")
            .chars()
            .count();
        for f in findings {
            let Some(loc) = &mut f.location else { continue };
            let Some(rel) = (loc.line - 1).checked_sub(prefix_lines) else {
                // Inside the synthetic prefix: point at the chunk's start.
                loc.line = self.origin.position.line;
                loc.column = self.origin.position.column;
                continue;
            };
            let line_text = self.text.lines().nth(rel).unwrap_or("");
            loc.source_line_start = 0;
            if rel == 0 {
                loc.column =
                    self.origin.position.column + loc.column.saturating_sub(1 + prefix_tail);
                loc.source_line = format!(
                    "{}{}",
                    " ".repeat(self.origin.position.column - 1),
                    line_text
                );
            } else {
                loc.source_line = line_text.to_string();
            }
            loc.line = self.origin.position.line + rel;
        }
    }
}
