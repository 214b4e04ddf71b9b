//! Several machines: two instances on one Postgres behind nginx (Debian's
//! package, started here), the seed's Integration Guide through the proxy
//! with requests alternating between the instances, and every webhook
//! delivered once. docs/DEPLOYMENT.md describes the same set-up.

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::receiver::Receiver;
use crate::common::TestServer;

/// nginx in the foreground, stopped when dropped.
struct Nginx {
    child: Child,
    access_log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its workers too (SIGKILL would orphan them).
        let terminated = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if !terminated {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn port_of(base: &str) -> u16 {
    base.rsplit(':').next().unwrap().parse().unwrap()
}

fn start_nginx(listen: u16, upstreams: &[u16]) -> Nginx {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().display().to_string();
    let servers: String = upstreams
        .iter()
        .map(|p| format!("server 127.0.0.1:{p};"))
        .collect();
    let conf = format!(
        "daemon off; worker_processes 1; pid {path}/nginx.pid; error_log {path}/error.log;
         events {{ worker_connections 256; }}
         http {{
           log_format upstream '$upstream_addr';
           access_log {path}/access.log upstream;
           client_body_temp_path {path}/body; proxy_temp_path {path}/proxy;
           fastcgi_temp_path {path}/fastcgi; uwsgi_temp_path {path}/uwsgi; scgi_temp_path {path}/scgi;
           upstream finvex {{ {servers} }}
           server {{
             listen 127.0.0.1:{listen};
             location / {{
               proxy_pass http://finvex;
               proxy_set_header Host $host;
               proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
             }}
           }}
         }}"
    );
    std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
    let child = Command::new("nginx")
        .args(["-c", &format!("{path}/nginx.conf"), "-p", &path])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx starts");
    Nginx {
        child,
        access_log: dir.path().join("access.log"),
        _dir: dir,
    }
}

#[tokio::test]
async fn two_instances_behind_nginx_serve_the_integration_guide_once() {
    let Some(url) = crate::common::postgres_url() else {
        return;
    };
    let has_nginx = Command::new("nginx").arg("-v").output().is_ok();
    if !has_nginx {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install nginx (Debian's package)"
        );
        eprintln!("skipping: nginx is not installed");
        return;
    }
    let configure = |c: &mut finvex_server::config::Config| {
        c.database_url = url.clone();
        c.trusted_proxies = vec!["127.0.0.1".into()];
    };
    let first = TestServer::start_with(configure).await;
    let second = TestServer::start_with(configure).await;
    let proxy_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nginx = start_nginx(proxy_port, &[port_of(&first.base), port_of(&second.base)]);
    let base = format!("http://127.0.0.1:{proxy_port}");
    let client = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..100 {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready, "nginx proxies to the instances");
    let call = |method: reqwest::Method, path: &str, auth: (&str, String), body: Value| {
        client
            .request(method, format!("{base}{path}"))
            .header(auth.0, auth.1)
            .json(&body)
            .send()
    };
    let ok = |response: reqwest::Response, status: u16| async move {
        let got = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        assert_eq!(got, status, "{body}");
        body
    };

    // Step 1: an account and an API key, through the proxy.
    let email = format!(
        "behind-nginx-{}@example.com",
        finvex_core::ids::MerchantId::generate()
    );
    let signed_up = ok(
        client
            .post(format!("{base}/v1/auth/signup"))
            .json(&json!({"name": "Proxied", "email": email, "password": "a long password 1"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let bearer = format!("Bearer {}", signed_up["session"]["token"].as_str().unwrap());
    // Step 5 first: the webhook endpoint, so every later event is delivered.
    let receiver = Receiver::start().await;
    ok(
        call(
            reqwest::Method::POST,
            "/v1/webhooks",
            ("Authorization", bearer.clone()),
            json!({"url": receiver.url(), "events": ["*"]}),
        )
        .await
        .unwrap(),
        201,
    )
    .await;
    let created = ok(
        call(
            reqwest::Method::POST,
            "/v1/keys",
            ("Authorization", bearer.clone()),
            json!({}),
        )
        .await
        .unwrap(),
        201,
    )
    .await;
    let key = (
        "X-Finvex-Key",
        created["secret_key"].as_str().unwrap().to_string(),
    );
    // Steps 2-4: order, checkout (the sandbox), verify.
    let mut orders = Vec::new();
    for _ in 0..3 {
        let order = ok(
            call(
                reqwest::Method::POST,
                "/v1/orders",
                key.clone(),
                json!({"amount": 50000, "currency": "INR", "description": "Pro Plan", "customer": {"email": "anil@example.com"}}),
            )
            .await
            .unwrap(),
            201,
        )
        .await;
        let id = order["id"].as_str().unwrap().to_string();
        let paid = ok(
            call(
                reqwest::Method::POST,
                &format!("/v1/sandbox/orders/{id}/pay"),
                key.clone(),
                json!({"instrument": "success@finvex"}),
            )
            .await
            .unwrap(),
            200,
        )
        .await;
        let verified = ok(
            call(
                reqwest::Method::POST,
                &format!("/v1/orders/{id}/verify"),
                key.clone(),
                json!({"payment_id": paid["payment_id"], "signature": paid["signature"]}),
            )
            .await
            .unwrap(),
            200,
        )
        .await;
        assert_eq!(verified["verified"], true, "{verified}");
        orders.push(id);
    }

    // Every event of the merchant reaches the receiver exactly once, though
    // both instances run delivery workers.
    let events = ok(
        client
            .get(format!("{base}/v1/events?count=100"))
            .header(key.0, key.1.clone())
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let expected = events["count"].as_u64().unwrap() as usize;
    assert!(
        expected >= 9,
        "order.created, payment.captured, order.paid x 3: {events}"
    );
    receiver.wait_for(expected, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for delivery in receiver.received() {
        *seen
            .entry(delivery.header("x-finvex-event-id").to_string())
            .or_default() += 1;
    }
    assert_eq!(seen.len(), expected, "every event delivered");
    assert!(seen.values().all(|n| *n == 1), "none twice: {seen:?}");

    // The requests went to both instances.
    let log = std::fs::read_to_string(&nginx.access_log).unwrap();
    let upstreams: HashSet<&str> = log
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert!(
        upstreams.contains(format!("127.0.0.1:{}", port_of(&first.base)).as_str())
            && upstreams.contains(format!("127.0.0.1:{}", port_of(&second.base)).as_str()),
        "{upstreams:?}"
    );
    drop(nginx);
    first.stop().await;
    second.stop().await;
}
