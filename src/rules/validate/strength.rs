//! The strength bar: when a value found by a `generic.*` rule (a credential name assigned a value
//! that passed the rule's entropy, placeholder and stop-word checks) is certain enough to block
//! (#14, section 4). Below the bar the finding warns.
//!
//! Why these numbers (measured with `scripts/eval.py` on tests/eval, whose section 7 holds weak
//! values that must warn, and on the rules' `weak-examples`):
//! - length: a password of 12 or more characters and a token, secret or API key of 20 or more. The
//!   short passwords of fixtures and tutorials (`Spring2023`, `abc123!`, `Passw0rd1`) are shorter;
//!   vendor API keys and generated secrets are longer (16-64 characters, most 24 or more);
//! - at least three character classes of lower-case, upper-case, digits and symbols: generated
//!   values mix them; hex strings (hashes, IDs, commit ids) and lower-case slugs do not, and a name
//!   such as `api_key` is sometimes given a hash or an ID;
//! - entropy: 2.8 bits per character for a password (the password rules' own floor: a doubled word
//!   such as `Velvet+Velvet5535` is 2.87 and real), 3.5 for a token, so patterned values
//!   (`Aa1!Aa1!Aa1!`, 2.0) stay below;
//! - not dictionary-like: common password words (leetspeak undone) with fewer than 8 other
//!   characters around them (`Welcome2024!`, `SuperSecret2024!`, `W3lc0me#2024`) are what people
//!   type into examples; they warn;
//! - no whitespace (a phrase is more often prose than a credential) and no run of four ascending
//!   or repeated characters (`1234`, `abcd`, `aaaa`), the marks of a value typed by hand for a test.
//!
//! A value that passes all of them is a credential someone generated or chose with care: it blocks.

use super::entropy::shannon;

/// Shortest password that can block.
pub const MIN_PASSWORD_LEN: usize = 12;
/// Shortest token, secret or API key that can block.
pub const MIN_TOKEN_LEN: usize = 20;
const MIN_CLASSES: usize = 3;
const MIN_PASSWORD_ENTROPY: f64 = 2.8;
const MIN_TOKEN_ENTROPY: f64 = 3.5;
/// A common word may be in a strong password when this many other characters surround it.
const MIN_BESIDE_COMMON_WORD: usize = 8;

/// Words people build weak passwords from (lower-case): what fixtures, tutorials and breached
/// password lists are made of. A value made of them plus a few digits or symbols warns.
const COMMON_WORDS: &[&str] = &[
    "password",
    "welcome",
    "admin",
    "administrator",
    "letmein",
    "qwerty",
    "azerty",
    "monkey",
    "dragon",
    "master",
    "login",
    "secret",
    "secure",
    "summer",
    "winter",
    "spring",
    "autumn",
    "fall",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "soccer",
    "iloveyou",
    "trustno",
    "changeme",
    "default",
    "hello",
    "test",
    "tester",
    "testing",
    "guest",
    "user",
    "root",
    "demo",
    "example",
    "sample",
    "company",
    "database",
    "mysql",
    "postgres",
    "oracle",
    "pass",
    "temp",
    "super",
    "superuser",
    "shadow",
    "freedom",
    "whatever",
    "computer",
    "internet",
    "server",
    "service",
    "system",
    "manager",
    "access",
    "private",
    "public",
    "local",
    "develop",
    "staging",
    "production",
];

/// Whether `value` clears the bar; `password` selects the password bar (generic-password kinds).
pub fn is_strong(value: &str, password: bool) -> bool {
    let (min_len, min_entropy) = if password {
        (MIN_PASSWORD_LEN, MIN_PASSWORD_ENTROPY)
    } else {
        (MIN_TOKEN_LEN, MIN_TOKEN_ENTROPY)
    };
    value.chars().count() >= min_len
        && !value.chars().any(char::is_whitespace)
        && classes(value) >= MIN_CLASSES
        && shannon(value) >= min_entropy
        && !has_run(value, 4)
        && !dictionary_like(value)
}

/// How many of lower-case, upper-case, digits and other characters occur.
fn classes(value: &str) -> usize {
    let has = |f: fn(&char) -> bool| value.chars().any(|c| f(&c));
    [
        has(char::is_ascii_lowercase),
        has(char::is_ascii_uppercase),
        has(char::is_ascii_digit),
        has(|c| !c.is_ascii_alphanumeric()),
    ]
    .into_iter()
    .filter(|&b| b)
    .count()
}

/// A run of `n` characters that repeat (`aaaa`) or count up or down by one (`1234`, `dcba`),
/// compared case-insensitively.
fn has_run(value: &str, n: usize) -> bool {
    let b: Vec<u8> = value.bytes().map(|b| b.to_ascii_lowercase()).collect();
    b.windows(n).any(|w| {
        let steps = w.windows(2).map(|p| i16::from(p[1]) - i16::from(p[0]));
        let steps: Vec<i16> = steps.collect();
        w[0].is_ascii_alphanumeric()
            && w.iter().all(u8::is_ascii_alphanumeric)
            && (steps.iter().all(|&s| s == 0)
                || steps.iter().all(|&s| s == 1)
                || steps.iter().all(|&s| s == -1))
    })
}

/// Made of common password words (leetspeak undone: `W3lc0me`) with fewer than
/// [`MIN_BESIDE_COMMON_WORD`] other characters around them: `Welcome2024!`, `SuperSecret2024!`.
fn dictionary_like(value: &str) -> bool {
    let mut plain: String = value
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            '0' => 'o',
            '1' => 'i',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            '@' => 'a',
            '$' => 's',
            c => c,
        })
        .collect();
    let mut words: Vec<&str> = COMMON_WORDS.to_vec();
    // Longest first, so `superuser` is one word and not `super` and `user`.
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut covered = 0;
    for w in words {
        while let Some(i) = plain.find(w) {
            // A character no word holds, so a word is never counted twice or across the cut.
            plain.replace_range(i..i + w.len(), "\u{1}");
            covered += w.len();
        }
    }
    covered > 0 && value.chars().count().saturating_sub(covered) < MIN_BESIDE_COMMON_WORD
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_and_carefully_chosen_passwords_are_strong() {
        for v in [
            "q7#Vm2!xKp9Lz",
            "Summit_Harbor6999",
            "Ember#Quartz4267",
            "N8v#q2Lx7Rm4",
            "c9lLb2x#J%=^ThbQt4R~",
            "xKAdmin#2019Qp3", // a common word with enough around it
            "uSProd-1995W8L",
        ] {
            assert!(is_strong(v, true), "{v}");
        }
    }

    #[test]
    fn short_dictionary_and_patterned_passwords_are_weak() {
        for v in [
            "Spring2023",       // short
            "Passw0rd1",        // short
            "Welcome2024!",     // a common word and a year
            "Summer2023#Ok",    // the same, one character longer than the bar
            "Aa1!Aa1!Aa1!",     // patterned: low entropy
            "Xk91234Lmq#zz",    // an ascending run
            "zzzzQ7#mLp2Wx",    // a repeated run
            "correct horse 9!", // a phrase
            "ab12cd34ef56gh",   // two classes
        ] {
            assert!(!is_strong(v, true), "{v}");
        }
    }

    #[test]
    fn tokens_need_length_and_three_classes() {
        assert!(is_strong("q8Hv2NfT7xLm4RzW9cKp3JdS6bYg1AeU", false));
        assert!(is_strong("EfRwPZP-SzdDveJBxvrDZhM_nPen-Ir5LST", false));
        // Hex: a hash or an ID as often as a key.
        assert!(!is_strong("a91f7c2e4b0d8f36e5c1b9a7d2f4e608", false));
        // Long enough for a password, short for a token.
        assert!(!is_strong("h3Kq8ZmT2xV7pL9", false));
        assert!(is_strong("h3Kq8ZmT2xV7pL9", true));
    }

    #[test]
    fn runs_are_found_up_down_and_repeated_only_in_letters_and_digits() {
        assert!(has_run("x1234y", 4));
        assert!(has_run("xDCBAy", 4));
        assert!(has_run("x7777y", 4));
        assert!(!has_run("x1235y", 4));
        assert!(!has_run("a----b", 4));
    }
}
