//! Validators for token formats that carry their own check: a string of the right shape whose check
//! fails is not an issued token (documentation examples usually fail it).
use base64::Engine;
use crc::{Crc, CRC_24_OPENPGP, CRC_32_ISO_HDLC};

const CRC32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);
const CRC24: Crc<u32> = Crc::<u32>::new(&CRC_24_OPENPGP);
const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checksum {
    /// GitHub `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_`: 30 random base62 + 6 base62 of their CRC32.
    GithubCrc32,
    /// npm `npm_`: the same scheme as GitHub.
    NpmCrc32,
    /// GitLab routable tokens: trailing 7 base36 characters are the CRC32 of everything before them.
    GitlabRoutable,
    /// PyPI `pypi-`: a base64 macaroon that names pypi.org.
    PypiMacaroon,
    /// ASCII armour `=XXXX` line: CRC-24 of the decoded body.
    PgpCrc24,
    /// OpenAI `sk-proj-`/`sk-svcacct-`/`sk-admin-` keys: `T3BlbkFJ` (base64 "OpenAI") exactly in the
    /// middle of the part after the prefix (20 + marker + 20, or 74 + marker + 74).
    OpenaiMarker,
    /// Sentry `sntrys_`: base64 of a JSON payload naming `iat`, `url` and `org`, `_`, and a 43-character
    /// unpadded base64 secret (32 random bytes).
    SentryOrgToken,
}

impl Checksum {
    pub const NAMES: &'static [&'static str] = &[
        "github-crc32",
        "npm-crc32",
        "gitlab-routable",
        "pypi-macaroon",
        "pgp-crc24",
        "openai-marker",
        "sentry-org-token",
    ];

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "github-crc32" => Self::GithubCrc32,
            "npm-crc32" => Self::NpmCrc32,
            "gitlab-routable" => Self::GitlabRoutable,
            "pypi-macaroon" => Self::PypiMacaroon,
            "pgp-crc24" => Self::PgpCrc24,
            "openai-marker" => Self::OpenaiMarker,
            "sentry-org-token" => Self::SentryOrgToken,
            _ => return None,
        })
    }

    pub fn validate(self, secret: &str) -> bool {
        match self {
            Self::GithubCrc32 | Self::NpmCrc32 => base62_crc32(secret),
            Self::GitlabRoutable => gitlab_routable(secret),
            Self::PypiMacaroon => pypi_macaroon(secret),
            Self::PgpCrc24 => pgp_armour(secret),
            Self::OpenaiMarker => openai_marker(secret),
            Self::SentryOrgToken => sentry_org_token(secret),
        }
    }
}

/// Base62 of `n`, most significant digit first, zero-padded to `width`.
pub fn base62(mut n: u32, width: usize) -> String {
    let mut digits = Vec::with_capacity(width);
    while n > 0 {
        digits.push(BASE62[(n % 62) as usize]);
        n /= 62;
    }
    while digits.len() < width {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8(digits).expect("ASCII alphabet")
}

/// The six check characters a GitHub-style token body must end with.
pub fn github_check(random_part: &str) -> String {
    base62(CRC32.checksum(random_part.as_bytes()), 6)
}

fn base62_crc32(token: &str) -> bool {
    let Some(start) = token.find('_').map(|i| i + 1) else {
        return false;
    };
    if token.len() < start + 7 || !token.is_ascii() {
        return false;
    }
    let (random, check) = token[start..].split_at(token.len() - start - 6);
    github_check(random) == check
}

fn base36(mut n: u32, width: usize) -> String {
    const A: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut d = Vec::new();
    while n > 0 {
        d.push(A[(n % 36) as usize]);
        n /= 36;
    }
    while d.len() < width {
        d.push(b'0');
    }
    d.reverse();
    String::from_utf8(d).expect("ASCII alphabet")
}

/// The seven check characters a routable GitLab token ends with.
pub fn gitlab_check(before: &str) -> String {
    base36(CRC32.checksum(before.as_bytes()), 7)
}

fn gitlab_routable(token: &str) -> bool {
    // Legacy tokens (no '.') carry no check: nothing to validate.
    if !token.contains('.') {
        return true;
    }
    if token.len() < 8 || !token.is_ascii() {
        return false;
    }
    let (before, check) = token.split_at(token.len() - 7);
    gitlab_check(before) == check.to_ascii_lowercase()
}

fn decode_base64_loose(s: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let t = s.trim_end_matches('=');
    URL_SAFE_NO_PAD
        .decode(t)
        .or_else(|_| STANDARD_NO_PAD.decode(t))
        .ok()
}

fn pypi_macaroon(token: &str) -> bool {
    let Some(body) = token.strip_prefix("pypi-") else {
        return false;
    };
    decode_base64_loose(body).is_some_and(|b| b.windows(8).any(|w| w == b"pypi.org"))
}

/// The marker sits at the centre of the body: a key cut short, padded or typed by hand moves it.
fn openai_marker(key: &str) -> bool {
    const MARKER: &str = "T3BlbkFJ";
    let Some(body) = ["sk-proj-", "sk-svcacct-", "sk-admin-"]
        .iter()
        .find_map(|p| key.strip_prefix(p))
    else {
        return false;
    };
    if !body.is_ascii() || body.len() < MARKER.len() + 2 || (body.len() - MARKER.len()) % 2 != 0 {
        return false;
    }
    let at = (body.len() - MARKER.len()) / 2;
    &body[at..at + MARKER.len()] == MARKER
}

/// Sentry builds org tokens as `sntrys_` + base64(JSON {iat, url, region_url, org}) + `_` + base64 of
/// 32 random bytes without padding; a payload that is not such JSON was not issued by Sentry.
fn sentry_org_token(token: &str) -> bool {
    use base64::engine::general_purpose::STANDARD;
    let Some(rest) = token.strip_prefix("sntrys_") else {
        return false;
    };
    // Standard base64 has no '_', so the first one ends the payload.
    let Some((payload, secret)) = rest.split_once('_') else {
        return false;
    };
    if secret.len() != 43
        || !secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    {
        return false;
    }
    let Ok(json) = STANDARD.decode(payload) else {
        return false;
    };
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice::<serde_json::Value>(&json)
    else {
        return false;
    };
    ["iat", "url", "org"]
        .iter()
        .all(|k| fields.contains_key(*k))
}

/// Checks the armour checksum of a PGP block; a block without one (allowed by RFC 9580) passes.
fn pgp_armour(block: &str) -> bool {
    let lines: Vec<&str> = block.lines().map(str::trim).collect();
    let Some(begin) = lines.iter().position(|l| l.starts_with("-----BEGIN ")) else {
        return false;
    };
    // Body starts after the first blank line following the header lines.
    let Some(blank) = lines[begin..]
        .iter()
        .position(|l| l.is_empty())
        .map(|p| p + begin)
    else {
        return false;
    };
    let mut body = String::new();
    let mut check = None;
    for l in &lines[blank + 1..] {
        if l.starts_with("-----END ") {
            break;
        }
        if let Some(c) = l.strip_prefix('=') {
            if c.len() == 4 {
                check = Some(c.to_owned());
                break;
            }
        }
        body.push_str(l);
    }
    let Some(check) = check else {
        return true;
    };
    let (Some(data), Some(expected)) = (decode_base64_loose(&body), decode_base64_loose(&check))
    else {
        return false;
    };
    if expected.len() != 3 {
        return false;
    }
    let want =
        (u32::from(expected[0]) << 16) | (u32::from(expected[1]) << 8) | u32::from(expected[2]);
    CRC24.checksum(&data) == want
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github_token(prefix: &str, random: &str) -> String {
        format!("{prefix}{random}{}", github_check(random))
    }

    #[test]
    fn github_checksum_accepts_valid_and_rejects_altered_tokens() {
        let t = github_token("ghp_", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1");
        assert_eq!(t.len(), 40);
        assert!(Checksum::GithubCrc32.validate(&t));
        let mut altered = t.clone().into_bytes();
        altered[10] = if altered[10] == b'x' { b'y' } else { b'x' };
        assert!(!Checksum::GithubCrc32.validate(&String::from_utf8(altered).unwrap()));
        assert!(!Checksum::GithubCrc32.validate("ghp_"));
        assert!(!Checksum::GithubCrc32.validate("nounderscore"));
    }

    #[test]
    fn base62_is_zero_padded_most_significant_first() {
        assert_eq!(base62(0, 6), "000000");
        assert_eq!(base62(61, 6), "00000z");
        assert_eq!(base62(62, 6), "000010");
        assert_eq!(base62(u32::MAX, 6), "4gfFC3");
    }

    #[test]
    fn gitlab_routable_checks_trailing_crc() {
        let before = "glpat-Zm9vYmFyYmF6cXV4.01.0k";
        let token = format!("{before}{}", gitlab_check(before));
        assert!(Checksum::GitlabRoutable.validate(&token));
        assert!(!Checksum::GitlabRoutable.validate(&format!("{before}0000000")));
        assert!(Checksum::GitlabRoutable.validate("glpat-abcdefghij0123456789"));
    }

    #[test]
    fn pypi_token_must_decode_to_a_macaroon_naming_pypi() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let body = URL_SAFE_NO_PAD.encode(b"\x02\x01\x08pypi.org\x02\x01identifier-and-more-bytes");
        assert!(Checksum::PypiMacaroon.validate(&format!("pypi-{body}")));
        assert!(!Checksum::PypiMacaroon.validate("pypi-notbase64!!!"));
        let other = URL_SAFE_NO_PAD.encode(b"random bytes that name nothing");
        assert!(!Checksum::PypiMacaroon.validate(&format!("pypi-{other}")));
    }

    #[test]
    fn gitlab_runner_tokens_carry_the_routable_check() {
        let before = "glrt-t1_YzoxCm86ZWEwCnQ6MccDbWdp_5KFTH9du70ciFcQ.01.14";
        let token = format!("{before}{}", gitlab_check(before));
        assert!(Checksum::GitlabRoutable.validate(&token));
        let mut wrong = token.clone();
        wrong.replace_range(10..11, if &token[10..11] == "A" { "B" } else { "A" });
        assert!(!Checksum::GitlabRoutable.validate(&wrong));
        assert!(Checksum::GitlabRoutable.validate("glrt-mOJGh8DaodMK2-WGHDhf"));
    }

    #[test]
    fn openai_marker_must_sit_in_the_middle() {
        let side = "a".repeat(74);
        for prefix in ["sk-proj-", "sk-svcacct-", "sk-admin-"] {
            assert!(Checksum::OpenaiMarker.validate(&format!("{prefix}{side}T3BlbkFJ{side}")));
            assert!(!Checksum::OpenaiMarker.validate(&format!("{prefix}{side}T3BlbkFJ{side}x")));
            assert!(!Checksum::OpenaiMarker.validate(&format!("{prefix}{side}xT3BlbkFJ{side}")));
            assert!(!Checksum::OpenaiMarker.validate(&format!("{prefix}{}", "b".repeat(156))));
        }
        let short = "c".repeat(20);
        assert!(Checksum::OpenaiMarker.validate(&format!("sk-proj-{short}T3BlbkFJ{short}")));
        assert!(!Checksum::OpenaiMarker.validate("sk-other-T3BlbkFJ"));
    }

    #[test]
    fn sentry_org_token_payload_and_secret_length() {
        use base64::engine::general_purpose::STANDARD;
        let payload = STANDARD.encode(
            r#"{"iat": 1731000000.5, "url": "https://sentry.io", "region_url": "https://us.sentry.io", "org": "acme"}"#,
        );
        let secret = STANDARD.encode([7u8; 32]);
        let secret = secret.trim_end_matches('=');
        assert_eq!(secret.len(), 43);
        assert!(Checksum::SentryOrgToken.validate(&format!("sntrys_{payload}_{secret}")));
        assert!(!Checksum::SentryOrgToken.validate(&format!("sntrys_{payload}_{secret}A")));
        assert!(!Checksum::SentryOrgToken.validate(&format!("sntrys_{payload}_{}", &secret[1..])));
        let other = STANDARD.encode(r#"{"hello": "world"}"#);
        assert!(!Checksum::SentryOrgToken.validate(&format!("sntrys_{other}_{secret}")));
        assert!(!Checksum::SentryOrgToken.validate(&format!("sntrys_bm90IGpzb24=_{secret}")));
    }

    #[test]
    fn pgp_armour_crc24() {
        use base64::engine::general_purpose::STANDARD;
        let data = b"some private key packet bytes";
        let crc = CRC24.checksum(data);
        let check = STANDARD.encode([(crc >> 16) as u8, (crc >> 8) as u8, crc as u8]);
        let block = format!(
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{}\n={check}\n-----END PGP PRIVATE KEY BLOCK-----",
            STANDARD.encode(data)
        );
        assert!(Checksum::PgpCrc24.validate(&block));
        let bad = block.replace(&format!("={check}"), "=AAAA");
        assert!(!Checksum::PgpCrc24.validate(&bad));
    }
}
