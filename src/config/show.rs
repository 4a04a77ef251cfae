//! `coach config show`: every effective value with the file it came from, defaults included.
use super::*;

impl Settings {
    /// The effective config as TOML-like lines, each with the file it came from (or `default`).
    pub fn show(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::from("# Effective coach config. Files read (later ones win):\n");
        if self.files.is_empty() {
            out.push_str("#   (none: built-in defaults only)\n");
        }
        for f in &self.files {
            let _ = writeln!(out, "#   {}", f.display());
        }
        for line in self.lowered_summary() {
            let _ = writeln!(out, "# {line}");
        }
        for l in &self.lowered {
            let _ = writeln!(
                out,
                "#   {}: {}{}  ({})",
                l.what,
                l.detail,
                if l.refused {
                    " [refused by the floor]"
                } else {
                    ""
                },
                l.origin.display()
            );
        }
        let ledger = LedgerSettings::default();
        let push = PushSettings::default();
        let defaults = [
            ("push.max-commits", push.max_commits.to_string()),
            ("push.allow-truncated", push.allow_truncated.to_string()),
            ("ledger.enabled", ledger.enabled.to_string()),
            (
                "ledger.path",
                quote(
                    &self
                        .ledger
                        .resolved_path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                ),
            ),
            ("ledger.repeat-window", quote("30d")),
            ("ledger.repeat-scope", quote(ledger.repeat_scope.as_str())),
            ("ledger.contact-window", quote("90d")),
            ("ledger.escalate-after", "1".to_owned()),
            ("ledger.contact-after", ledger.contact_after.to_string()),
            ("floor.strict", "false".to_owned()),
            (
                "max-file-size",
                crate::source::Limits::default().max_file_size.to_string(),
            ),
            ("baseline", quote(BASELINE_FILE)),
            ("policy.escalate", "true".to_owned()),
            ("policy.on-error", quote(OnError::default().as_str())),
        ];
        let mut lines: Vec<(String, String, String, bool)> = self
            .provenance
            .iter()
            .map(|p| {
                (
                    p.key.clone(),
                    p.value.clone(),
                    p.origin.display().to_string(),
                    p.list,
                )
            })
            .collect();
        for (k, v) in defaults {
            if !lines.iter().any(|(key, ..)| key == k) {
                lines.push((k.to_owned(), v, "default".to_owned(), false));
            }
        }
        // Stable order: by key, then config order within a key (sort is stable).
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        let mut i = 0;
        while i < lines.len() {
            let (k, v, origin, list) = &lines[i];
            if !list {
                let _ = writeln!(out, "{k} = {v}  # {origin}");
                i += 1;
                continue;
            }
            // A list prints as a list: on one line when one file gave every item, else one item
            // per line with the file it came from.
            let items: Vec<&(String, String, String, bool)> =
                lines[i..].iter().take_while(|l| &l.0 == k).collect();
            if items.iter().all(|l| &l.2 == origin) {
                let values: Vec<&str> = items.iter().map(|l| l.1.as_str()).collect();
                let _ = writeln!(out, "{k} = [{}]  # {origin}", values.join(", "));
            } else {
                let _ = writeln!(out, "{k} = [");
                for l in &items {
                    let _ = writeln!(out, "    {},  # {}", l.1, l.2);
                }
                let _ = writeln!(out, "]");
            }
            i += items.len();
        }
        out
    }
}
