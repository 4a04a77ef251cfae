//! Bearer-token authentication for the billing API.
//!
//! Tokens are short-lived JWTs signed by the identity service with a KMS-held key. This module only
//! verifies them; it never sees a signing secret.
use std::time::{Duration, SystemTime};

use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use secrecy::{ExposeSecret, SecretString};

/// Header a client must send: `Authorization: Bearer <token>`.
pub const AUTH_HEADER: &str = "Authorization";
const BEARER_PREFIX: &str = "Bearer ";
const MAX_TOKEN_AGE: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, serde::Deserialize)]
pub struct Claims {
    pub sub: String,
    pub scope: String,
    pub exp: u64,
}

pub struct Verifier {
    keys: jwks::KeySet,
    audience: String,
}

impl Verifier {
    pub fn new(keys: jwks::KeySet, audience: impl Into<String>) -> Self {
        Self { keys, audience: audience.into() }
    }

    /// Extracts and checks the token from an `Authorization` header value.
    pub fn verify(&self, header_value: &str) -> Result<Claims, AuthError> {
        let token = header_value.strip_prefix(BEARER_PREFIX).ok_or(AuthError::MissingBearer)?;
        let header = decode_header(token).map_err(|_| AuthError::Malformed)?;
        let kid = header.kid.ok_or(AuthError::Malformed)?;
        let key: &DecodingKey = self.keys.get(&kid).ok_or(AuthError::UnknownKey)?;
        let mut validation = Validation::new(Algorithm::ES256);
        validation.set_audience(&[&self.audience]);
        let data = decode::<Claims>(token, key, &validation).map_err(|_| AuthError::Invalid)?;
        Ok(data.claims)
    }
}

/// The upstream API key is read once from the environment and kept in a `SecretString`.
pub fn upstream_api_key() -> Result<SecretString, std::env::VarError> {
    std::env::var("UPSTREAM_API_KEY").map(SecretString::from)
}

pub fn authorization_value(api_key: &SecretString) -> String {
    format!("{BEARER_PREFIX}{}", api_key.expose_secret())
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("missing bearer token")]
    MissingBearer,
    #[error("malformed token")]
    Malformed,
    #[error("unknown signing key")]
    UnknownKey,
    #[error("invalid or expired token")]
    Invalid,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_a_missing_prefix() {
        let v = Verifier::new(jwks::KeySet::default(), "billing-api");
        assert!(matches!(v.verify("Token abc"), Err(AuthError::MissingBearer)));
    }

    #[test]
    fn token_age_is_fifteen_minutes() {
        let issued = SystemTime::now();
        assert!(issued.elapsed().unwrap() < MAX_TOKEN_AGE);
    }
}
