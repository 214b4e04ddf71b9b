//! One API client for the end-to-end tests: a merchant's test key and the
//! request shapes every test file needs.

use serde_json::{json, Value};

use super::TestServer;

pub struct Api<'a> {
    pub server: &'a TestServer,
    pub key: String,
    /// The merchant's dashboard session, for what an API key may not do.
    pub token: String,
}

impl<'a> Api<'a> {
    /// A new merchant (signed up with `email`) and its test-mode key.
    pub async fn new(server: &'a TestServer, email: &str) -> Api<'a> {
        let (token, key) = server.merchant_with_key(email).await;
        Api { server, key, token }
    }

    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        self.send(method, path, body, false).await
    }

    /// A call with the dashboard session instead of the API key.
    pub async fn session_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        self.send(method, path, body, true).await
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        as_session: bool,
    ) -> reqwest::Response {
        let request = self.server.client.request(method, self.server.url(path));
        let mut request = if as_session {
            request.bearer_auth(&self.token)
        } else {
            request.header("X-Finvex-Key", &self.key)
        };
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    pub async fn session_put(&self, path: &str, body: Value) -> reqwest::Response {
        self.session_call(reqwest::Method::PUT, path, Some(body))
            .await
    }

    pub async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> reqwest::Response {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.call(reqwest::Method::GET, path, None).await
    }

    /// The JSON body of a response that must have `status`.
    pub async fn ok(&self, response: reqwest::Response, status: u16) -> Value {
        let got = response.status().as_u16();
        let url = response.url().path().to_string();
        let body: Value = response.json().await.unwrap();
        assert_eq!(got, status, "{url}: {body}");
        body
    }

    /// Calls and checks the status in one go.
    pub async fn expect(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        let response = self.call(method, path, body).await;
        self.ok(response, status).await
    }

    /// An order paid at the sandbox checkout and verified: (order, payment).
    pub async fn paid_order(&self, amount: i64) -> (Value, Value) {
        let order = self
            .ok(
                self.post("/v1/orders", json!({"amount": amount})).await,
                201,
            )
            .await;
        let id = order["id"].as_str().unwrap();
        let paid = self
            .ok(
                self.post(
                    &format!("/v1/sandbox/orders/{id}/pay"),
                    json!({"instrument": "success@finvex"}),
                )
                .await,
                200,
            )
            .await;
        let verified = self
            .ok(
                self.post(
                    &format!("/v1/orders/{id}/verify"),
                    json!({"payment_id": paid["payment_id"], "signature": paid["signature"]}),
                )
                .await,
                200,
            )
            .await;
        assert_eq!(verified["verified"], true, "{verified}");
        (order, verified["payment"].clone())
    }

    /// An order routed to Razorpay, paid at the fake and verified: (order, payment).
    pub async fn paid_at_razorpay(
        &self,
        razorpay: &finvex_providers::fakes::RazorpayFake,
        amount: i64,
    ) -> (Value, Value) {
        let order = self
            .ok(
                self.post("/v1/orders", json!({"amount": amount})).await,
                201,
            )
            .await;
        assert_eq!(order["provider"], "razorpay", "{order}");
        let (payment_id, signature) = razorpay
            .pay(
                order["provider_order_id"].as_str().unwrap(),
                finvex_providers::fakes::PayOutcome::Authorized,
            )
            .unwrap();
        let verified = self
            .ok(
                self.post(
                    &format!("/v1/orders/{}/verify", order["id"].as_str().unwrap()),
                    json!({"payment_id": payment_id, "signature": signature}),
                )
                .await,
                200,
            )
            .await;
        assert_eq!(verified["verified"], true, "{verified}");
        (order, verified["payment"].clone())
    }

    /// Connects the merchant's own Razorpay account at `fake` (a dashboard
    /// action): the account as the API shows it.
    pub async fn connect_razorpay(&self, fake: &finvex_providers::fakes::RazorpayFake) -> Value {
        let credentials = json!({
            "key_id": fake.key_id(),
            "key_secret": fake.key_secret(),
            "webhook_secret": fake.webhook_secret(),
        });
        self.ok(
            self.session_put("/v1/providers/razorpay/credentials", credentials)
                .await,
            200,
        )
        .await
    }
}
