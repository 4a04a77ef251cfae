//! The placeholder filter: values that are references, templates or documentation stand-ins rather
//! than credentials. Applied to every rule's secret after its regex matched.

/// Substrings (lower-cased) that mark a value as a stand-in.
const MARKERS: &[&str] = &[
    "${",
    "{{",
    "}}",
    "$(",
    "<",
    ">",
    "%s",
    "%(",
    "xxxx",
    "****",
    "....",
    "…",
    "changeme",
    "change_me",
    "change-me",
    "example",
    "placeholder",
    "dummy",
    "your_",
    "your-",
    "yourkey",
    "redacted",
    "replace_me",
    "replaceme",
    "insert_",
    "notreal",
    "not_real",
    "not-a-real",
    "fake_",
    "fakefake",
    "sample_",
];

/// True when `secret` looks like a placeholder rather than a real value.
pub fn is_placeholder(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    if MARKERS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    // `$NAME` / `%NAME%` environment references.
    if lower.starts_with('$') || (lower.starts_with('%') && lower.ends_with('%')) {
        return true;
    }
    low_variety(secret)
}

/// Very few distinct characters for its length (`aaaaaaaa`, `0000-0000`, `abababab`).
fn low_variety(s: &str) -> bool {
    let mut seen = [false; 256];
    let mut distinct = 0;
    let mut len = 0;
    for b in s.bytes() {
        len += 1;
        if !seen[b as usize] {
            seen[b as usize] = true;
            distinct += 1;
        }
    }
    len >= 8 && distinct <= 3
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "${AWS_SECRET}",
            "${{ secrets.TOKEN }}",
            "<YOUR_KEY>",
            "xxxxxxxxxxxxxxxx",
            "changeme",
            "AKIAIOSFODNN7EXAMPLE",
            "$GITHUB_TOKEN",
            "%API_KEY%",
            "aaaaaaaaaaaa",
            "sk_live_****************",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
    }

    #[test]
    fn random_values_are_not_placeholders() {
        for s in [
            "ghp_q8Zr2LmW0xYt5Nv7Kp3Hs9Dj1Fb6Gc4Ae2Tu",
            "wJalrXUtnFEMIK7MDENGbPxRfiCY3kq9Zt0aLm",
            "hunter2!",
        ] {
            assert!(!is_placeholder(s), "{s}");
        }
    }
}
