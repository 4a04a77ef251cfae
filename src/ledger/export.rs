//! The ledger export (`coach stats --export jsonl`), read back by `coach report`.
//!
//! Format `coach-ledger-export`, version 1 (docs/LEDGER.md): JSON lines. The first line is a
//! header `{"format":"coach-ledger-export","version":1,"labels":{"root:<id>":"<remote url>"}}`;
//! every other line is one [`Event`], oldest first. Fingerprints only, never a secret. A reader
//! refuses a newer version (fields may have changed meaning) and skips nothing silently: a line
//! that is not an event is an error naming the line.
use super::Event;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const EXPORT_FORMAT: &str = "coach-ledger-export";
pub const EXPORT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

/// Events and the labels of their repositories, from one ledger or export.
#[derive(Debug, Clone, Default)]
pub struct Export {
    pub labels: BTreeMap<String, String>,
    pub events: Vec<Event>,
}

/// The export text: header, then one event per line.
pub fn write_export(e: &Export) -> String {
    let header = Header {
        format: EXPORT_FORMAT.into(),
        version: EXPORT_VERSION,
        labels: e.labels.clone(),
    };
    let mut out = serde_json::to_string(&header).unwrap_or_default();
    out.push('\n');
    for ev in &e.events {
        if let Ok(line) = serde_json::to_string(ev) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Reads an export. Files from before the header (bare event lines) are read as version 1.
pub fn read_export(text: &str) -> Result<Export, String> {
    let mut out = Export::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if i == 0 {
            if let Ok(h) = serde_json::from_str::<Header>(line) {
                if h.format != EXPORT_FORMAT {
                    return Err(format!(
                        "line 1: format {:?}, expected {EXPORT_FORMAT:?}",
                        h.format
                    ));
                }
                if h.version > EXPORT_VERSION {
                    return Err(format!(
                        "line 1: export version {} is newer than this coach reads ({EXPORT_VERSION})",
                        h.version
                    ));
                }
                out.labels = h.labels;
                continue;
            }
        }
        let ev: Event =
            serde_json::from_str(line).map_err(|e| format!("line {}: not an event: {e}", i + 1))?;
        out.events.push(ev);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::event::ev;
    use crate::ledger::Action;

    #[test]
    fn an_export_reads_back_and_a_newer_one_is_refused() {
        let mut e = Export::default();
        e.labels.insert("r".into(), "https://host/x".into());
        e.events.push(ev(5, "a", "k", "f", Action::Blocked));
        let text = write_export(&e);
        let back = read_export(&text).unwrap();
        assert_eq!(back.events, e.events);
        assert_eq!(back.labels, e.labels);
        let newer = text.replace("\"version\":1", "\"version\":2");
        assert!(read_export(&newer).unwrap_err().contains("newer"));
        assert!(read_export("{\"time\":1}\n")
            .unwrap_err()
            .contains("line 1"));
        // Before the header existed: bare events.
        let bare: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
        assert_eq!(read_export(&bare).unwrap().events, e.events);
    }
}
