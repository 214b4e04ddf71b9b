//! Dashboard passwords: Argon2id with the crate's default (OWASP) parameters.
//! Hashing is slow on purpose, so services run it on a blocking thread.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

use crate::Error;

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Bounds the work an attacker can make us do per login attempt.
pub const MAX_PASSWORD_BYTES: usize = 256;

/// A password that meets the length rules. It never prints itself.
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Password, Error> {
        if raw.chars().count() < MIN_PASSWORD_CHARS {
            return Err(Error::validation(
                "password",
                format!("password must have at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        if raw.len() > MAX_PASSWORD_BYTES {
            return Err(Error::validation(
                "password",
                format!("password must be at most {MAX_PASSWORD_BYTES} bytes"),
            ));
        }
        Ok(Password(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

pub fn hash_password(password: &Password) -> Result<String, Error> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Internal(format!("argon2 hashing failed: {e}")))
}

pub fn verify_password(candidate: &str, phc_hash: &str) -> bool {
    match PasswordHash::new(phc_hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let password = Password::parse("correct horse battery").unwrap();
        let hash = hash_password(&password).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterx", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn length_rules() {
        assert_eq!(
            Password::parse("short").unwrap_err().field(),
            Some("password")
        );
        assert!(Password::parse(&"x".repeat(257)).is_err());
        assert_eq!(
            format!("{:?}", Password::parse("long enough pw").unwrap()),
            "Password(***)"
        );
    }
}
