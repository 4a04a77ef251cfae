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
        let mut lines: Vec<(String, String, String)> = self
            .provenance
            .iter()
            .map(|p| {
                (
                    p.key.clone(),
                    p.value.clone(),
                    p.origin.display().to_string(),
                )
            })
            .collect();
        for (k, v) in defaults {
            if !lines.iter().any(|(key, _, _)| key == k) {
                lines.push((k.to_owned(), v, "default".to_owned()));
            }
        }
        // Stable order: by key, then config order within a key (sort is stable).
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, v, origin) in lines {
            let _ = writeln!(out, "{k} = {v}  # {origin}");
        }
        out
    }
}
