//! The placeholder filter: values that are references, templates or documentation stand-ins rather
//! than credentials. Applied to every rule's secret after its regex matched. Also the stop-word
//! matcher every rule's `stop-words` go through.
//!
//! Words match whole tokens, not substrings (#14): `Contest2024Prod`, `XkAdmin9vLq3`,
//! `Q7exampleZ9k` and `Testing#2024-Prod` are real passwords, while `test`, `admin123`,
//! `testpassword` and `dummy_secret_value` are stand-ins.

/// Substrings (lower-cased) that mark a value as a stand-in wherever they occur: template syntax,
/// masks, and markers with punctuation that random values do not contain.
const MARKERS: &[&str] = &[
    "${",
    "{{",
    "}}",
    "$(",
    "%(",
    "xxxx",
    "****",
    "....",
    "…",
    "change_me",
    "change-me",
    "replace_me",
    "not_real",
    "not-a-real",
    // AWS documentation's key pair (AKIAIOSFODNN7EXAMPLE, ...bPxRfiCYEXAMPLEKEY).
    "examplekey",
];

/// Words (lower-cased) that mark a value as a stand-in when they are a whole token of it, or a
/// token is made only of them and digits (`example123`, `changeme`, `dummyvalue`).
const WORDS: &[&str] = &[
    "example",
    "changeme",
    "placeholder",
    "dummy",
    "yourkey",
    "redacted",
    "replaceme",
    "notreal",
    "fakefake",
    "fake",
    "value",
    "your",
    "insert",
    "sample",
];

/// True when `secret` looks like a placeholder rather than a real value.
pub fn is_placeholder(secret: &str) -> bool {
    let lower = secret.to_lowercase();
    if MARKERS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    if angle_template(&lower) {
        return true;
    }
    // `$NAME` / `%NAME%` environment references.
    if lower.starts_with('$') || (lower.starts_with('%') && lower.ends_with('%')) {
        return true;
    }
    // A printf placeholder (`%s`, `user:%s@host`), not a `%` followed by an `s` inside a password.
    if lower == "%s"
        || lower.match_indices("%s").any(|(i, _)| {
            lower[i + 2..]
                .chars()
                .next()
                .is_none_or(|c| ":@/;&,.".contains(c))
        })
    {
        return true;
    }
    // AWS documentation values end in EXAMPLE (AKIAIOSFODNN7EXAMPLE).
    if lower.ends_with("example") {
        return true;
    }
    if tokens(&lower).any(|t| made_of_words(t, |w| WORDS.contains(&w))) {
        return true;
    }
    low_variety(secret)
}

/// Whether a rule's stop word (lower-cased) matches `lower` (the lower-cased secret):
/// - `^word`: the value starts with it (provider prefixes without punctuation: `^akia`, `^eyj`);
/// - a word of letters (shorter than 10): a whole token (split at anything not a letter or digit),
///   or a token made only of stop words and digits (`admin123`, `testpassword`);
/// - anything else (digits, punctuation, a long documented fragment): a substring, as these are
///   markers and provider prefixes (`ghp_`, `sk-proj-`, `12345`, `${`).
pub fn stop_word_matches(lower: &str, word: &str) -> bool {
    if let Some(prefix) = word.strip_prefix('^') {
        return lower.starts_with(prefix);
    }
    if !is_word(word) {
        return lower.contains(word);
    }
    tokens(lower).any(|t| t == word)
}

/// The first stop word of `words` that matches `lower` (see [`stop_word_matches`]), also trying
/// whether a token is made only of the word-like stop words and digits.
pub fn matching_stop_word<'w>(lower: &str, words: &'w [String]) -> Option<&'w str> {
    if let Some(w) = words.iter().find(|w| stop_word_matches(lower, w)) {
        return Some(w);
    }
    let wordlike = |t: &str| words.iter().any(|w| is_word(w) && w == t);
    tokens(lower)
        .find(|t| made_of_words(t, wordlike))
        .and_then(|t| words.iter().find(|w| is_word(w) && t.contains(w.as_str())))
        .map(String::as_str)
}

/// A stop word that stands for a word (letters only, short): matched by token, not by substring.
fn is_word(w: &str) -> bool {
    !w.is_empty() && w.len() < 10 && w.chars().all(char::is_alphabetic)
}

/// Maximal runs of letters and digits.
fn tokens(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// `token` is a concatenation of words `is_word` accepts and digit runs, with at least one word.
fn made_of_words(token: &str, is_word: impl Fn(&str) -> bool) -> bool {
    let b = token.as_bytes();
    if !token.is_ascii() || b.len() > 64 {
        return false;
    }
    // reach[i]: (prefix of length i is covered, it holds a word)
    let mut reach = vec![(false, false); b.len() + 1];
    reach[0] = (true, false);
    for i in 0..b.len() {
        let (ok, has_word) = reach[i];
        if !ok {
            continue;
        }
        if b[i].is_ascii_digit() {
            let e = reach[i + 1];
            reach[i + 1] = (true, e.1 || has_word);
        }
        for j in i + 2..=b.len() {
            if is_word(&token[i..j]) {
                reach[j] = (true, true);
            }
        }
    }
    reach[b.len()] == (true, true)
}

/// `<YOUR_KEY>`, `<%= ENV['X'] %>`, `[your key]`: a bracketed name, not a lone `<` or `>` inside a
/// random value (WordPress salts hold both).
fn angle_template(lower: &str) -> bool {
    for (open, close) in [('<', '>'), ('[', ']')] {
        let mut rest = lower;
        while let Some(i) = rest.find(open) {
            let after = &rest[i + 1..];
            let Some(j) = after.find(close) else { break };
            let inner = &after[..j];
            let named = inner.chars().any(char::is_alphabetic)
                && inner
                    .chars()
                    .all(|c| c.is_alphanumeric() || " _-.%=:'\"()[]".contains(c));
            // `[...]` only when it reads as words (`[your key]`), not `[5*~` in a salt.
            if named && (open == '<' || inner.contains(' ')) {
                return true;
            }
            rest = after;
        }
    }
    false
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
    use super::{is_placeholder, matching_stop_word};

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "${AWS_SECRET}",
            "${{ secrets.TOKEN }}",
            "<YOUR_KEY>",
            "xxxxxxxxxxxxxxxx",
            "changeme",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "$GITHUB_TOKEN",
            "%API_KEY%",
            "aaaaaaaaaaaa",
            "sk_live_****************",
            "example-token-123",
            "dummy_secret_value",
            "Example123",
            "YOUR_API_KEY_HERE",
            "your-secret-here",
            "fake_api_key_123",
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
            "Q7exampleZ9k",
            "H0Example-2006n2x",
            "5mWJe3_MeyufEx8zyOur_HdKxwSE_wBZNa",
        ] {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn stop_words_match_whole_tokens() {
        let w = words(&[
            "test", "admin", "password", "example", "123456", "ghp_", "^akia",
        ]);
        for real in [
            "Contest2024Prod",
            "XkAdmin9vLq3",
            "Q7exampleZ9k",
            "Testing#2024-Prod",
            "zzakiaQ9vL2x",
        ] {
            assert_eq!(matching_stop_word(&real.to_lowercase(), &w), None, "{real}");
        }
        for stand_in in [
            "test",
            "admin123",
            "testpassword",
            "my-test-value",
            "Password!",
            "a123456b",
            "x-ghp_abc",
            "AKIAQ9",
        ] {
            assert!(
                matching_stop_word(&stand_in.to_lowercase(), &w).is_some(),
                "{stand_in}"
            );
        }
    }
}
