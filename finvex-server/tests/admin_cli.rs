//! `finvex-server admin create`: the first admin is made on the server's
//! machine, its password read from standard input, stored only as a hash.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn create_admin(database: &str, master_key: &str, email: &str, password: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_finvex-server"))
        .args(["admin", "create", "--email", email, "--database", database])
        .env("FINVEX_MASTER_KEY", master_key)
        .env("FINVEX_DEMO_ON_EMPTY", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn admin_create_reads_the_password_from_stdin_and_stores_only_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("admin.db");
    let database = format!("sqlite://{}", path.display());
    let master_key = "7f".repeat(32);
    let password = "the operator's long password";

    let created = create_admin(&database, &master_key, "Ops@Example.com", password);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let said = String::from_utf8_lossy(&created.stdout);
    assert!(
        said.contains("ops@example.com") && said.contains("admin_"),
        "{said}"
    );
    assert!(!said.contains(password));

    let db = rusqlite::Connection::open(&path).unwrap();
    let (email, hash): (String, String) = db
        .query_row("SELECT email, password_hash FROM admins", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!(email, "ops@example.com");
    assert!(hash.starts_with("$argon2id$") && !hash.contains(password));
    // Admins are not merchants: none was created.
    let merchants: i64 = db
        .query_row("SELECT COUNT(*) FROM merchants", [], |row| row.get(0))
        .unwrap();
    assert_eq!(merchants, 0);

    let again = create_admin(&database, &master_key, "ops@example.com", password);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let short = create_admin(&database, &master_key, "second@example.com", "short");
    assert!(!short.status.success(), "a weak password is refused");
}
