//! Applying one parsed file onto [`Settings`]: what each key sets, what a repository may not set,
//! and which settings count as lowering protection.
use super::allowlist::allow_regex;
use super::*;
use crate::error::Error;
use crate::finding::{kebab, Verdict};
use ignore::gitignore::GitignoreBuilder;
use std::path::{Path, PathBuf};

impl Settings {
    pub(super) fn apply(
        &mut self,
        c: Config,
        path: &Path,
        text: &str,
        trust: Trust,
    ) -> Result<(), Error> {
        let untrusted = trust == Trust::Repository;
        // Keys a repository may never set: where coach writes, and the floor itself.
        if untrusted {
            if let Some(p) = c.ledger.as_ref().and_then(|l| l.path.as_ref()) {
                return Err(Error::at_offset(
                    path,
                    text,
                    p.span().start,
                    "ledger.path: not allowed in repository config (a repository must not choose where coach writes); set it in the user config, COACH_LEDGER or --config",
                ));
            }
            if c.floor.is_some() {
                return Err(field_error(
                    path,
                    text,
                    "[floor]",
                    "floor: not allowed in repository config (the floor protects the user from the repository); set it in the user config or with --policy-floor",
                ));
            }
        }
        if let Some(f) = c.floor {
            self.apply_floor(f, path, text)?;
        }
        if let Some(n) = c.max_file_size {
            let default = super::DEFAULT_MAX_FILE_SIZE;
            let raises = n > self.limits.max_file_size.max(default);
            if !raises
                || self.lower(
                    trust,
                    Lowering::MaxFileSize,
                    format!("max-file-size raised to {n} bytes"),
                    path,
                )
            {
                self.limits.max_file_size = n;
                self.set("max-file-size", n.to_string(), path);
            }
        }
        if !c.disabled_rules.is_empty()
            && self.lower(
                trust,
                Lowering::DisabledRules,
                plural(c.disabled_rules.len(), "rule disabled", "rules disabled"),
                path,
            )
        {
            for id in &c.disabled_rules {
                self.push("disabled-rules", quote(id), path);
            }
            self.disabled_rules.extend(c.disabled_rules);
        }
        if let Some(p) = c.policy {
            self.apply_policy(p, path, text, trust)?;
        }
        let base = path.parent().unwrap_or(Path::new(""));
        for r in c.extra_rules {
            if untrusted {
                crate::repofile::check_relative("extra-rules", r.get_ref())
                    .map_err(|msg| Error::at_offset(path, text, r.span().start, msg))?;
            }
            let file = base.join(r.get_ref());
            self.push("extra-rules", quote(&file.display().to_string()), path);
            self.extra_rules.push(ExtraRules { path: file, trust });
        }
        if let Some(b) = c.baseline {
            if untrusted {
                crate::repofile::check_relative("baseline", &b)
                    .map_err(|msg| field_error(path, text, &b, &msg))?;
            }
            self.set("baseline", quote(&b), path);
            self.baseline = PathBuf::from(b);
        }
        if let Some(a) = c.allowlist {
            self.apply_allowlist(a, path, text, trust)?;
        }
        for r in c.roles {
            let mut globs = Vec::new();
            for g in &r.paths {
                globs.push(
                    check_glob("roles.paths", g).map_err(|msg| field_error(path, text, g, &msg))?,
                );
            }
            self.roles.retain(|(n, _, _)| n != &r.name);
            let key = format!("roles.{}", quote(&r.name));
            self.set(
                &key,
                format!(
                    "{{ paths = [{}], coaching = {} }}",
                    r.paths
                        .iter()
                        .map(|p| quote(p))
                        .collect::<Vec<_>>()
                        .join(", "),
                    quote(&r.coaching)
                ),
                path,
            );
            self.roles.push((r.name, globs, r.coaching));
        }
        if let Some(t) = c.team_contact {
            self.set("team-contact", quote(&t), path);
            self.team_contact = Some(t);
        }
        if let Some(p) = c.push {
            if let Some(n) = p.max_commits {
                self.push.max_commits = n;
                self.set("push.max-commits", n.to_string(), path);
            }
            if let Some(a) = p.allow_truncated {
                if !a
                    || self.lower(
                        trust,
                        Lowering::AllowTruncated,
                        "truncated pushes allowed".into(),
                        path,
                    )
                {
                    self.push.allow_truncated = a;
                    self.set("push.allow-truncated", a.to_string(), path);
                }
            }
        }
        if let Some(l) = c.ledger {
            self.apply_ledger(l, path, text, trust)?;
        }
        Ok(())
    }

    fn apply_floor(&mut self, f: FloorConfig, path: &Path, text: &str) -> Result<(), Error> {
        if f.strict == Some(true) {
            self.floor.refuse.extend(Lowering::ALL);
            self.set("floor.strict", "true".into(), path);
        }
        for r in f.refuse {
            let l = Lowering::from_name(r.get_ref()).ok_or_else(|| {
                let valid: Vec<&str> = Lowering::ALL.iter().map(|l| l.name()).collect();
                Error::at_offset(
                    path,
                    text,
                    r.span().start,
                    format!(
                        "floor.refuse: unknown {:?}; valid: {}",
                        r.get_ref(),
                        valid.join(", ")
                    ),
                )
            })?;
            self.push("floor.refuse", quote(l.name()), path);
            self.floor.refuse.insert(l);
        }
        for k in f.block_kinds {
            self.push("floor.block-kinds", quote(&k), path);
            self.floor.block_kinds.insert(k);
        }
        Ok(())
    }

    fn apply_policy(
        &mut self,
        p: PolicyConfig,
        path: &Path,
        text: &str,
        trust: Trust,
    ) -> Result<(), Error> {
        let weak = |v: &Verdict| *v != Verdict::Block;
        let lowering = p.severity.values().filter(|v| weak(v)).count()
            + p.kind.values().filter(|v| weak(v)).count()
            + p.confidence.values().filter(|v| weak(v)).count()
            + p.paths.iter().filter(|pp| weak(&pp.verdict)).count();
        let lower_ok = lowering == 0
            || self.lower(
                trust,
                Lowering::LowerVerdicts,
                plural(
                    lowering,
                    "policy verdict set below block",
                    "policy verdicts set below block",
                ),
                path,
            );
        for (sev, v) in p.severity {
            if weak(&v) && !lower_ok {
                continue;
            }
            self.set(
                &format!("policy.severity.{}", kebab(&sev)),
                quote(v.as_str()),
                path,
            );
            self.policy.severity.insert(sev, v);
        }
        for (k, v) in p.kind {
            if weak(&v) && !lower_ok {
                continue;
            }
            self.set(
                &format!("policy.kind.{}", quote(&k)),
                quote(v.as_str()),
                path,
            );
            self.policy.kind.insert(k, v);
        }
        for (c, v) in p.confidence {
            if weak(&v) && !lower_ok {
                continue;
            }
            self.set(
                &format!("policy.confidence.{}", c.as_str()),
                quote(v.as_str()),
                path,
            );
            self.policy.confidence.insert(c, v);
        }
        for pp in p.paths {
            let g = check_glob("policy.paths.glob", &pp.glob)
                .map_err(|msg| field_error(path, text, &pp.glob, &msg))?;
            if weak(&pp.verdict) && !lower_ok {
                continue;
            }
            self.push(
                "policy.paths",
                format!(
                    "{{ glob = {}, verdict = {} }}",
                    quote(&pp.glob),
                    quote(pp.verdict.as_str())
                ),
                path,
            );
            self.policy.paths.push((g, pp.verdict));
        }
        if let Some(e) = p.escalate {
            if e || self.lower(
                trust,
                Lowering::NoEscalation,
                "repeat escalation turned off".into(),
                path,
            ) {
                self.policy.escalate = e;
                self.set("policy.escalate", e.to_string(), path);
            }
        }
        if let Some(e) = p.on_error {
            if e == OnError::FailClosed
                || self.lower(
                    trust,
                    Lowering::FailOpen,
                    "policy.on-error = fail-open".into(),
                    path,
                )
            {
                self.policy.on_error = e;
                self.set("policy.on-error", quote(e.as_str()), path);
            }
        }
        Ok(())
    }

    fn apply_ledger(
        &mut self,
        l: LedgerConfig,
        path: &Path,
        text: &str,
        trust: Trust,
    ) -> Result<(), Error> {
        let window = |w: &str, key: &str| {
            crate::time::parse_window(w)
                .map_err(|msg| field_error(path, text, w, &format!("ledger.{key}: {msg}")))
        };
        let defaults = LedgerSettings::default();
        let repeat_window = l
            .repeat_window
            .as_deref()
            .map(|w| window(w, "repeat-window"))
            .transpose()?;
        let contact_window = l
            .contact_window
            .as_deref()
            .map(|w| window(w, "contact-window"))
            .transpose()?;
        // Anything that makes a repeat harder to notice weakens escalation.
        let mut weaker = Vec::new();
        if l.enabled == Some(false) {
            weaker.push("ledger disabled");
        }
        if repeat_window.is_some_and(|w| w < defaults.repeat_window) {
            weaker.push("repeat window shortened");
        }
        if l.repeat_scope == Some(crate::config::RepeatScope::Repository) {
            weaker.push("repeats counted per repository");
        }
        if l.escalate_after.is_some_and(|n| n > 1) {
            weaker.push("escalate-after raised");
        }
        if contact_window.is_some_and(|w| w < defaults.contact_window)
            || l.contact_after.is_some_and(|n| n > defaults.contact_after)
        {
            weaker.push("team contact later");
        }
        if !weaker.is_empty() && !self.lower(trust, Lowering::Ledger, weaker.join(", "), path) {
            return Ok(());
        }
        if let Some(e) = l.enabled {
            self.ledger.enabled = e;
            self.set("ledger.enabled", e.to_string(), path);
        }
        if let Some(p) = l.path {
            let p = p.into_inner();
            self.set("ledger.path", quote(&p.display().to_string()), path);
            self.ledger.path = Some(p);
        }
        if let (Some(w), Some(s)) = (repeat_window, &l.repeat_window) {
            self.ledger.repeat_window = w;
            self.set("ledger.repeat-window", quote(s), path);
        }
        if let Some(scope) = l.repeat_scope {
            self.ledger.repeat_scope = scope;
            self.set("ledger.repeat-scope", quote(scope.as_str()), path);
        }
        if let (Some(w), Some(s)) = (contact_window, &l.contact_window) {
            self.ledger.contact_window = w;
            self.set("ledger.contact-window", quote(s), path);
        }
        if let Some(n) = l.escalate_after {
            // Zero earlier occurrences would escalate every first-timer: at least one is needed.
            self.policy.repeat_threshold = n.max(1);
            self.set("ledger.escalate-after", n.max(1).to_string(), path);
        }
        if let Some(n) = l.contact_after {
            self.ledger.contact_after = n;
            self.set("ledger.contact-after", n.to_string(), path);
        }
        Ok(())
    }

    fn apply_allowlist(
        &mut self,
        a: AllowlistConfig,
        path: &Path,
        text: &str,
        trust: Trust,
    ) -> Result<(), Error> {
        // Validate everything first, so a bad pattern is an error even when the floor refuses it.
        for p in &a.paths {
            check_glob("allowlist.paths", p.get_ref())
                .map_err(|msg| Error::at_offset(path, text, p.span().start, msg))?;
            GitignoreBuilder::new("")
                .add_line(None, p.get_ref())
                .map_err(|e| {
                    Error::at_offset(path, text, p.span().start, format!("allowlist.paths: {e}"))
                })?;
        }
        let mut compiled = Vec::new();
        for (key, list) in [("regexes", &a.regexes), ("line-regexes", &a.line_regexes)] {
            for r in list {
                let re = allow_regex(r.get_ref()).map_err(|msg| {
                    Error::at_offset(
                        path,
                        text,
                        r.span().start,
                        format!("allowlist.{key}: {msg}"),
                    )
                })?;
                compiled.push((key, r.get_ref().clone(), re));
            }
        }
        if !a.paths.is_empty()
            && self.lower(
                trust,
                Lowering::AllowlistPaths,
                plural(a.paths.len(), "allowlisted path", "allowlisted paths"),
                path,
            )
        {
            for p in a.paths {
                self.push("allowlist.paths", quote(p.get_ref()), path);
                self.allowlist.paths.push(p.into_inner());
            }
        }
        let patterns = compiled.len() + a.stop_words.len();
        if patterns > 0
            && self.lower(
                trust,
                Lowering::AllowlistPatterns,
                plural(patterns, "allowlist pattern", "allowlist patterns"),
                path,
            )
        {
            for (key, src, re) in compiled {
                self.push(&format!("allowlist.{key}"), quote(&src), path);
                if key == "regexes" {
                    self.allowlist.regexes.push(re);
                } else {
                    self.allowlist.line_regexes.push(re);
                }
            }
            for w in a.stop_words {
                self.push("allowlist.stop-words", quote(&w), path);
                self.allowlist.stop_words.push(w.to_lowercase());
            }
        }
        Ok(())
    }
}
