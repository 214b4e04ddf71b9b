//! Dashboard passwords: Argon2id with the crate's default (OWASP) parameters.
//! Hashing is slow on purpose, so services run it on a blocking thread.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

use crate::types::Email;
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

/// Password hashing and checking for every login (merchants' and admins'):
/// one [`HashingGate`], so all of them together stay within its budget, and
/// one dummy hash, checked when an account is unknown so a login takes the
/// same time either way.
pub struct Passwords {
    hashing: HashingGate,
    dummy_hash: String,
}

impl Passwords {
    pub fn new() -> Result<Passwords, Error> {
        Ok(Passwords {
            hashing: HashingGate::per_core(),
            dummy_hash: hash_password(&Password::parse("finvex-dummy-password")?)?,
        })
    }

    /// The Argon2id hash of a new password, in the gate.
    pub async fn hash(&self, password: Password) -> Result<String, Error> {
        self.hashing.run(move || hash_password(&password)).await?
    }

    /// Whether `candidate` matches `stored`; with no stored hash (an
    /// unknown account) it is checked against the dummy and is `false`.
    pub async fn verify(&self, candidate: &str, stored: Option<&str>) -> Result<bool, Error> {
        let hash = stored.map_or_else(|| self.dummy_hash.clone(), str::to_string);
        let candidate = candidate.to_string();
        let matches = self
            .hashing
            .run(move || verify_password(&candidate, &hash))
            .await?;
        Ok(matches && stored.is_some())
    }
}

/// A login email: accounts are case-insensitive (Anil@X.com and anil@x.com
/// are one login).
pub fn parse_login_email(raw: &str) -> Result<Email, Error> {
    Email::parse(&raw.to_lowercase())
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

/// Bounds the Argon2 work in flight: each hash takes ~19 MiB and a core for
/// a while, so unbounded `spawn_blocking` under a login flood would exhaust
/// memory. Callers wait their turn for at most `MAX_WAIT`, then get a 503.
pub struct HashingGate {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
}

impl HashingGate {
    const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

    /// At most `concurrent` hashes at once (at least 1).
    pub fn new(concurrent: usize) -> HashingGate {
        HashingGate {
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(concurrent.max(1))),
        }
    }

    /// One hash per available core, up to four.
    pub fn per_core() -> HashingGate {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        HashingGate::new(cores.min(4))
    }

    /// Runs `work` on the blocking pool once a permit is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Error> {
        let busy = || Error::Unavailable("too many password checks at once; retry shortly".into());
        let permit = tokio::time::timeout(Self::MAX_WAIT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| Error::Internal(format!("password hashing task failed: {e}")))
    }
}

#[cfg(test)]
mod gate_tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_the_gate_allows() {
        let gate = Arc::new(HashingGate::new(2));
        let (running, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let (gate, running, peak) = (gate.clone(), running.clone(), peak.clone());
                tokio::spawn(async move {
                    gate.run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }
}
