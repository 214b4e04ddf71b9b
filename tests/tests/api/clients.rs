//! The clients integrators copy from `examples/`, run against the real
//! server: the seed's snippets verbatim and the Integration Guide flow,
//! each in its own language (Node 20's built-ins only; Python's standard
//! library only). Node and Python are on every machine this project builds
//! on (and CI's); without one, its test fails rather than passing unseen.

use std::path::PathBuf;
use std::time::Duration;

use crate::common::TestServer;

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .join("examples")
}

/// Runs `program args` in `dir` against a fresh server with a test key,
/// bounded in time; returns what it printed, failing the test when it fails.
async fn run_against_server(program: &str, args: &[&str], dir: PathBuf) -> String {
    let server = TestServer::start().await;
    let (_, key) = server.merchant_with_key("client-suite@example.com").await;
    let base = server.url("");
    let output = tokio::process::Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("FINVEX_BASE_URL", base.trim_end_matches('/'))
        .env("FINVEX_KEY", &key)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(240), output)
        .await
        .unwrap_or_else(|_| panic!("{program} ran for more than 4 minutes"))
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{said}"
    );
    server.stop().await;
    said
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_client_runs_the_seed_snippet_and_the_integration_flow() {
    let said = run_against_server(
        "node",
        &["test/run.mjs"],
        examples().join("node/finvex-node"),
    )
    .await;
    let summary = said
        .lines()
        .rfind(|l| l.contains("passed"))
        .unwrap_or_default();
    eprintln!("finvex-node: {summary}");
    assert!(summary.ends_with("0 failed"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_client_runs_the_seed_snippet_and_the_integration_flow() {
    let said = run_against_server(
        "python3",
        &["tests/run.py"],
        examples().join("python/finvex"),
    )
    .await;
    let ran = said
        .lines()
        .find(|l| l.starts_with("Ran "))
        .unwrap_or_default();
    eprintln!("finvex (Python): {ran}");
    assert!(said.contains("\nOK"), "{said}");
    // Only the opt-in wheel build may be skipped.
    assert!(!said.contains("skipped=2"), "{said}");
}

/// The curl walkthroughs integrators copy, run as they are against the
/// server (bash, curl and python3 for reading JSON).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_curl_examples_run_against_the_server() {
    for script in ["quickstart.sh", "payments.sh", "gst.sh"] {
        let server = TestServer::start().await;
        let (_, key) = server.merchant_with_key("curl-examples@example.com").await;
        let base = server.url("");
        let output = tokio::process::Command::new("bash")
            .arg(examples().join("curl").join(script))
            .arg(base.trim_end_matches('/'))
            .env("FINVEX_KEY", &key)
            .kill_on_drop(true)
            .output();
        let output = tokio::time::timeout(Duration::from_secs(120), output)
            .await
            .unwrap_or_else(|_| panic!("{script} ran for more than 2 minutes"))
            .unwrap_or_else(|e| panic!("cannot run {script}: {e}"));
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.status.success(), "{script} failed:\n{said}");
        eprintln!("{script}: {} lines", said.lines().count());
        if script == "gst.sh" {
            for expected in ["%PDF-", "amendment", "finvex_plan_", "finvex_cust_"] {
                assert!(
                    said.contains(expected),
                    "{script} printed no {expected}:\n{said}"
                );
            }
        }
        server.stop().await;
    }
}
