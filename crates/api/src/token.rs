//! API tokens: JWTs signed with HS256 under a key id, checked as RFC 8725 asks.
//!
//! Exactly one algorithm is accepted; `exp`, `iss`, `aud`, `sub` and `jti` are required and
//! checked, `nbf` too when present; the `kid` only selects among the configured keys; `jku`,
//! `x5u` and `jwk` are never followed; a `crit` header is refused. The directory keeps each
//! token's `jti`, never the token, and refuses a revoked one on the very next request.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use domain::Id;
use domain::access::{Actor, ApiToken, Role};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use persistence::Db;
use serde::{Deserialize, Serialize};

use crate::config::TokenConfig;

/// The longest `Authorization` header accepted; longer ones are refused unread.
const MAX_TOKEN_BYTES: usize = 4096;
/// The shortest secret accepted: 256 bits.
const MIN_SECRET_BYTES: usize = 32;
/// Clock skew tolerated on `exp` and `nbf`, in seconds.
const LEEWAY_SECONDS: u64 = 5;
/// How long a use of a token goes unrecorded before `lastUsedAt` is written again.
const LAST_USED_PRECISION_SECONDS: i64 = 60;

/// The signing keys, the issuer and the audience.
#[derive(Clone)]
pub struct TokenKeys {
    keys: HashMap<String, Vec<u8>>,
    signing_key_id: String,
    issuer: String,
    audience: String,
}

/// Why the token configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{0} is shorter than 32 bytes: use at least 256 random bits")]
    TooShort(String),
    #[error("JWT_KEYS must read kid1=secret1,kid2=secret2")]
    Malformed,
    #[error("JWT_SIGNING_KEY_ID {0:?} is not one of JWT_KEYS")]
    UnknownSigningKey(String),
    #[error("cannot read or create the key file {path}: {reason}")]
    File { path: String, reason: String },
}

impl TokenKeys {
    /// Reads the keys from the configuration; with none given, from the key file, which is
    /// created with a random secret on first start.
    pub fn from_config(config: &TokenConfig) -> Result<TokenKeys, KeyError> {
        let mut keys = HashMap::new();
        let mut first = None;
        if let Some(list) = config.jwt_keys.as_deref().filter(|l| !l.trim().is_empty()) {
            for entry in list.split(',') {
                let (kid, secret) = entry.trim().split_once('=').ok_or(KeyError::Malformed)?;
                if kid.is_empty() {
                    return Err(KeyError::Malformed);
                }
                first.get_or_insert_with(|| kid.to_owned());
                keys.insert(kid.to_owned(), secret.as_bytes().to_vec());
            }
        } else if let Some(secret) = config.jwt_secret.as_deref().filter(|s| !s.is_empty()) {
            keys.insert("default".to_owned(), secret.as_bytes().to_vec());
            first = Some("default".to_owned());
        } else {
            keys.insert("local".to_owned(), key_file(&config.jwt_key_file)?);
            first = Some("local".to_owned());
        }
        for (kid, secret) in &keys {
            if secret.len() < MIN_SECRET_BYTES {
                return Err(KeyError::TooShort(format!("the secret of key {kid:?}")));
            }
        }
        let signing_key_id = match &config.jwt_signing_key_id {
            Some(kid) if keys.contains_key(kid) => kid.clone(),
            Some(kid) => return Err(KeyError::UnknownSigningKey(kid.clone())),
            None => first.ok_or(KeyError::Malformed)?,
        };
        Ok(TokenKeys {
            keys,
            signing_key_id,
            issuer: config.jwt_issuer.clone(),
            audience: config.jwt_audience.clone(),
        })
    }
}

/// The secret in the key file, made of 32 random bytes (hex) when the file does not exist.
fn key_file(path: &std::path::Path) -> Result<Vec<u8>, KeyError> {
    let error = |reason: String| KeyError::File {
        path: path.display().to_string(),
        reason,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text.trim().as_bytes().to_vec()),
        Err(missing) if missing.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| error(e.to_string()))?;
            let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder).map_err(|e| error(e.to_string()))?;
            }
            write_private(path, &secret).map_err(|e| error(e.to_string()))?;
            tracing::info!(path = %path.display(), "created a random token signing secret");
            Ok(secret.into_bytes())
        }
        Err(other) => Err(error(other.to_string())),
    }
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// The claims of a directory token.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: String,
    iat: i64,
    exp: i64,
    jti: String,
    role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    org: Option<Id>,
}

/// What an issuer asks for.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<Id>,
    pub days: i64,
}

/// Why a token could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Rule(#[from] domain::access::TokenError),
    #[error("cannot sign: {0}")]
    Sign(String),
    #[error(transparent)]
    Store(#[from] persistence::Error),
}

/// Records a new token and signs it. The signed token is returned once and never stored.
pub async fn issue(
    db: &Db,
    keys: &TokenKeys,
    actor: Actor,
    request: TokenRequest,
) -> Result<(ApiToken, String), IssueError> {
    domain::access::check_new_token(
        &request.name,
        request.role,
        request.organisation_id,
        request.days,
    )?;
    let mut id_bytes = [0u8; 16];
    getrandom::fill(&mut id_bytes).map_err(|e| IssueError::Sign(e.to_string()))?;
    let jti: String = id_bytes.iter().map(|b| format!("{b:02x}")).collect();
    let now = Utc::now();
    let expires_at = now + Duration::days(request.days);
    let new = persistence::token::NewToken {
        jti: jti.clone(),
        name: request.name.trim().to_owned(),
        role: request.role,
        organisation_id: request.organisation_id,
        key_id: keys.signing_key_id.clone(),
        expires_at,
    };
    let token = db
        .write(actor, move |unit| {
            Box::pin(persistence::token::insert(unit, new))
        })
        .await?;
    let claims = Claims {
        iss: keys.issuer.clone(),
        aud: keys.audience.clone(),
        sub: format!("api-token/{}", token.id),
        iat: now.timestamp(),
        exp: expires_at.timestamp(),
        jti,
        role: request.role.as_str().to_owned(),
        org: request.organisation_id,
    };
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(keys.signing_key_id.clone());
    let secret = &keys.keys[&keys.signing_key_id];
    let signed = jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(secret))
        .map_err(|e| IssueError::Sign(e.to_string()))?;
    Ok((token, signed))
}

/// Why a presented token is refused. Callers all get the same answer; this is for the log.
#[derive(Debug, thiserror::Error)]
pub enum Rejection {
    #[error("not a bearer token")]
    NotBearer,
    #[error("token longer than {MAX_TOKEN_BYTES} bytes")]
    TooLong,
    #[error("not a JWT: {0}")]
    Malformed(&'static str),
    #[error("header refused: {0}")]
    Header(String),
    #[error("claims refused: {0}")]
    Claims(String),
    #[error("the directory did not issue this token")]
    Unknown,
    #[error("revoked or expired")]
    Revoked,
    #[error("token store unavailable: {0}")]
    Store(#[from] persistence::Error),
}

/// Checks an `Authorization` header value and returns the actor behind the token.
pub async fn authenticate(
    db: &Db,
    keys: &TokenKeys,
    authorization: &str,
) -> Result<Actor, Rejection> {
    if authorization.len() > MAX_TOKEN_BYTES {
        return Err(Rejection::TooLong);
    }
    let (scheme, token) = authorization
        .trim()
        .split_once(' ')
        .ok_or(Rejection::NotBearer)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(Rejection::NotBearer);
    }
    let token = token.trim();
    let segments: Vec<&str> = token.split('.').collect();
    if segments.len() != 3 || segments.iter().any(|s| s.is_empty()) {
        return Err(Rejection::Malformed("a JWT has three non-empty segments"));
    }
    let header_bytes = URL_SAFE_NO_PAD
        .decode(segments[0])
        .map_err(|_| Rejection::Malformed("header is not base64url"))?;
    let header: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&header_bytes)
        .map_err(|_| Rejection::Malformed("header is not a JSON object"))?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return Err(Rejection::Header(format!("alg {:?}", header.get("alg"))));
    }
    if header.contains_key("crit") {
        return Err(Rejection::Header("crit".to_owned()));
    }
    let kid = header
        .get("kid")
        .and_then(|k| k.as_str())
        .ok_or_else(|| Rejection::Header("no kid".to_owned()))?;
    let secret = keys
        .keys
        .get(kid)
        .ok_or_else(|| Rejection::Header("unknown kid".to_owned()))?;

    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[&keys.issuer]);
    validation.set_audience(&[&keys.audience]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub", "jti"]);
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.leeway = LEEWAY_SECONDS;
    let claims =
        jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
            .map_err(|e| Rejection::Claims(e.to_string()))?
            .claims;

    let stored = persistence::token::by_jti(db, &claims.jti)
        .await?
        .ok_or(Rejection::Unknown)?;
    let now = Utc::now();
    if !stored.is_usable(now) {
        return Err(Rejection::Revoked);
    }
    if claims.sub != format!("api-token/{}", stored.id)
        || claims.role != stored.role.as_str()
        || stored.key_id != kid
    {
        return Err(Rejection::Claims(
            "claims differ from the token issued".to_owned(),
        ));
    }
    let stale = stored
        .last_used_at
        .is_none_or(|at| (now - at).num_seconds() >= LAST_USED_PRECISION_SECONDS);
    if stale {
        persistence::token::touch(db, stored.id).await?;
    }
    Ok(Actor {
        token_id: Some(stored.id),
        name: stored.name,
        role: stored.role,
        organisation_id: stored.organisation_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(secret: Option<&str>, keys: Option<&str>, signing: Option<&str>) -> TokenConfig {
        TokenConfig {
            jwt_secret: secret.map(str::to_owned),
            jwt_keys: keys.map(str::to_owned),
            jwt_signing_key_id: signing.map(str::to_owned),
            jwt_key_file: std::env::temp_dir().join(format!(
                "partner-directory-unused-key-{}",
                std::process::id()
            )),
            jwt_issuer: "partner-directory".into(),
            jwt_audience: "partner-directory-api".into(),
        }
    }

    const LONG: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn rotation_accepts_every_listed_key_and_signs_with_the_chosen_one() {
        let keys = TokenKeys::from_config(&config(
            None,
            Some(&format!("old={LONG}x,new={LONG}y")),
            Some("new"),
        ))
        .unwrap();
        assert_eq!(keys.signing_key_id, "new");
        assert!(keys.keys.contains_key("old") && keys.keys.contains_key("new"));
        let first = TokenKeys::from_config(&config(
            None,
            Some(&format!("old={LONG}x,new={LONG}y")),
            None,
        ))
        .unwrap();
        assert_eq!(
            first.signing_key_id, "old",
            "the first key signs by default"
        );
    }

    #[test]
    fn weak_or_malformed_key_settings_are_refused() {
        assert!(matches!(
            TokenKeys::from_config(&config(Some("secret"), None, None)),
            Err(KeyError::TooShort(_))
        ));
        assert!(matches!(
            TokenKeys::from_config(&config(None, Some("no-equals-sign"), None)),
            Err(KeyError::Malformed)
        ));
        assert!(matches!(
            TokenKeys::from_config(&config(None, Some(&format!("a={LONG}")), Some("b"))),
            Err(KeyError::UnknownSigningKey(_))
        ));
        assert!(TokenKeys::from_config(&config(Some(LONG), None, None)).is_ok());
    }
}
