//! The master key: where it comes from, the checks it must pass before the
//! server starts, and its rotation. It seals every secret that must be read
//! back (webhook secrets, provider credentials, the instance secret that the
//! sandbox, fake-IRP and session keys derive from) and never enters the
//! database.

use std::io::Write;
use std::path::{Path, PathBuf};

use finvex_core::crypto::SecretBox;
use finvex_core::Error;
use sha2::Digest;

use crate::config::Config;

/// SHA-256 (hex) of master keys that were published: the key file that was
/// committed to this repository until it was removed. A server holding one
/// of these refuses to start. Only the hash is kept, never the key.
const PUBLISHED_KEY_SHA256: &[&str] =
    &["4bd8740ece636d125b68e38c4da6dadd53f1af89a773d987a57bd721c9dae1f6"];

/// Refuses keys that are malformed or were ever published.
pub fn check_key(key_hex: &str) -> Result<(), Error> {
    SecretBox::from_hex(key_hex)?;
    let digest = hex::encode(sha2::Sha256::digest(key_hex.trim().as_bytes()));
    if PUBLISHED_KEY_SHA256.contains(&digest.as_str()) {
        return Err(Error::validation(
            "master_key",
            "this master key was published (it was committed to the Finvex repository): \
             anyone can open what it seals. Move the old key aside, start once to create a \
             new one, and reconnect provider accounts and webhook secrets",
        ));
    }
    Ok(())
}

/// The master key from the configuration, else from its file, which is
/// created (mode 0600) on first start. Several instances must share it.
pub fn load(config: &Config) -> Result<String, Error> {
    read(config, check_key)
}

/// The key to rotate away from: a published key is accepted here, and only
/// here, so that an installation that ran with it can re-seal everything
/// under a fresh key.
fn load_for_rotation(config: &Config) -> Result<String, Error> {
    read(config, |key| SecretBox::from_hex(key).map(drop))
}

fn read(config: &Config, check: impl Fn(&str) -> Result<(), Error>) -> Result<String, Error> {
    if let Some(key) = &config.master_key {
        check(key)?;
        return Ok(key.trim().to_string());
    }
    let path = Path::new(&config.master_key_file);
    match std::fs::read_to_string(path) {
        Ok(key) => {
            check_permissions(path)?;
            check(&key)?;
            Ok(key.trim().to_string())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = SecretBox::generate_key_hex();
            write_new(path, &key)?;
            tracing::warn!(file = %path.display(), "created a new master key; back it up: sealed secrets cannot be read without it");
            Ok(key)
        }
        Err(e) => Err(Error::Internal(format!(
            "cannot read the master key file {}: {e}",
            path.display()
        ))),
    }
}

/// A key file others on the machine can read is as good as published.
fn check_permissions(path: &Path) -> Result<(), Error> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| Error::Internal(format!("cannot stat {}: {e}", path.display())))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(Error::validation(
                "master_key_file",
                format!(
                    "the master key file {} is readable by group or others (mode {:o}); run chmod 600 on it",
                    path.display(),
                    mode & 0o777
                ),
            ));
        }
    }
    Ok(())
}

/// Writes a new key file (mode 0600), failing if one is already there.
fn write_new(path: &Path, key: &str) -> Result<(), Error> {
    let fail = |what: &str, e: std::io::Error| {
        Error::Internal(format!(
            "cannot {what} the master key file {}: {e}",
            path.display()
        ))
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| fail("create", e))?;
    file.write_all(key.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| fail("write", e))
}

/// Where a rotation leaves things.
#[derive(Debug)]
pub struct Rotated {
    pub resealed: u64,
    /// The file now holding the new key.
    pub key_file: PathBuf,
    /// The previous key, kept until the operator has checked the server starts.
    pub previous_key_file: Option<PathBuf>,
}

/// Re-seals every sealed value under a new key in one transaction.
///
/// Order, so that no crash leaves the database sealed under a key nobody
/// has: (1) the new key is written to `<file>.new`; (2) the database is
/// re-sealed in one transaction; (3) the old file becomes `<file>.old` and
/// `<file>.new` becomes the key file. After a crash between (2) and (3) the
/// `.new` file holds the key the database uses. With the key in
/// `FINVEX_MASTER_KEY`, the new key is written to `new_key_file` instead,
/// for the operator to put in the environment.
pub async fn rotate(config: &Config, new_key_file: Option<&Path>) -> Result<Rotated, Error> {
    let old = SecretBox::from_hex(&load_for_rotation(config)?)?;
    let new_key = SecretBox::generate_key_hex();
    let new = SecretBox::from_hex(&new_key)?;
    let in_env = config.master_key.is_some();
    let key_file = PathBuf::from(&config.master_key_file);
    let staged = match (new_key_file, in_env) {
        (Some(path), _) => path.to_path_buf(),
        (None, true) => return Err(Error::validation(
            "new_key_file",
            "the master key comes from FINVEX_MASTER_KEY: pass --new-key-file PATH for the new one",
        )),
        (None, false) => with_suffix(&key_file, ".new"),
    };
    write_new(&staged, &new_key)?;
    let store = finvex_core::store::SqlStore::open(&config.database_url).await?;
    let resealed = match finvex_core::store::SettingsStore::reseal_all(&store, &|sealed| {
        new.seal(&old.open(sealed)?)
    })
    .await
    {
        Ok(n) => n,
        Err(e) => {
            // Nothing was committed: the staged key is useless.
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
    };
    if in_env || new_key_file.is_some() {
        return Ok(Rotated {
            resealed,
            key_file: staged,
            previous_key_file: None,
        });
    }
    let previous = with_suffix(&key_file, ".old");
    std::fs::rename(&key_file, &previous)
        .and_then(|()| std::fs::rename(&staged, &key_file))
        .map_err(|e| {
            Error::Internal(format!(
                "the database is re-sealed under the key in {}, but moving it into place failed: {e}",
                staged.display()
            ))
        })?;
    Ok(Rotated {
        resealed,
        key_file,
        previous_key_file: Some(previous),
    })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_in(dir: &Path) -> Config {
        Config {
            master_key_file: dir.join("master.key").display().to_string(),
            ..Config::default()
        }
    }

    #[test]
    fn the_published_key_is_refused_by_its_hash() {
        // The value that was committed (its hash is all the code keeps).
        let published = "22451abc820bbb7a07eeab9d688040a73a9b398f7467cac913ceff89701bc3c6";
        let err = check_key(published).unwrap_err();
        assert_eq!(err.field(), Some("master_key"));
        assert!(check_key(&SecretBox::generate_key_hex()).is_ok());
        let mut config = Config {
            master_key: Some(published.into()),
            ..Config::default()
        };
        assert!(load(&config).is_err(), "refused from the environment too");
        config.master_key = Some(format!("{published}\n"));
        assert!(load(&config).is_err(), "and with a trailing newline");
    }

    #[test]
    fn a_new_key_file_is_private_and_a_readable_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let config = config_in(dir.path());
        let key = load(&config).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = Path::new(&config.master_key_file);
            let mode = std::fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            assert_eq!(load(&config).unwrap(), key, "read back on the next start");
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let err = load(&config).unwrap_err();
            assert_eq!(err.field(), Some("master_key_file"));
            assert!(err.to_string().contains("chmod 600"), "{err}");
        }
    }

    #[tokio::test]
    async fn rotation_moves_an_installation_off_the_published_key() {
        let dir = tempfile::tempdir().unwrap();
        let published = "22451abc820bbb7a07eeab9d688040a73a9b398f7467cac913ceff89701bc3c6";
        let config = Config {
            database_url: format!("sqlite://{}", dir.path().join("f.db").display()),
            ..config_in(dir.path())
        };
        write_new(Path::new(&config.master_key_file), published).unwrap();
        let store = finvex_core::store::SqlStore::open(&config.database_url)
            .await
            .unwrap();
        let old = SecretBox::from_hex(published).unwrap();
        finvex_core::store::SettingsStore::setting_get_or_insert(
            &store,
            "instance_secret_sealed",
            &old.seal("instance").unwrap(),
        )
        .await
        .unwrap();
        assert!(load(&config).is_err(), "the server refuses to start on it");
        let rotated = rotate(&config, None).await.unwrap();
        assert_eq!(rotated.resealed, 1);
        let new_key = load(&config).unwrap();
        assert_ne!(new_key, published);
        let sealed = finvex_core::store::SettingsStore::setting_get_or_insert(
            &store,
            "instance_secret_sealed",
            "unused",
        )
        .await
        .unwrap();
        assert_eq!(
            SecretBox::from_hex(&new_key)
                .unwrap()
                .open(&sealed)
                .unwrap(),
            "instance"
        );
        let previous = rotated.previous_key_file.unwrap();
        assert_eq!(std::fs::read_to_string(previous).unwrap(), published);
    }

    #[test]
    fn a_published_key_in_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let config = config_in(dir.path());
        write_new(
            Path::new(&config.master_key_file),
            "22451abc820bbb7a07eeab9d688040a73a9b398f7467cac913ceff89701bc3c6",
        )
        .unwrap();
        assert_eq!(load(&config).unwrap_err().field(), Some("master_key"));
    }
}
