use std::sync::Arc;

use serde::Serialize;

use super::api_key::{self, ApiKeyCredential};
use super::jwt::{Audience, Claims, JwtKeys};
use super::password::{parse_login_email, Password, Passwords};
use super::{ApiKey, ApiKeyAuthRecord};
use crate::cache::TtlCache;
use crate::clock::Clock;
use crate::events::{EventType, NewEvent};
use crate::ids::{ApiKeyId, MerchantId};
use crate::merchants::{Merchant, MerchantRecord, Role};
use crate::pagination::{Collection, ListParams};
use crate::store::SystemStore;
use crate::types::Email;
use crate::{Error, Mode, Scope};

const MAX_NAME_CHARS: usize = 200;
/// How stale a cached key or merchant may be. A key revoked on another
/// instance stops working there within this time; on this instance, at once.
pub const AUTH_CACHE_TTL_MS: i64 = 5_000;
const AUTH_CACHE_MAX_ENTRIES: usize = 10_000;
/// Active (unrevoked) API keys a merchant may hold in one mode.
pub const MAX_ACTIVE_KEYS_PER_MODE: u32 = 25;

/// How a request proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthMethod {
    /// A secret key (`finvex_test_KEYID:SECRET`).
    ApiKey(ApiKeyId),
    /// A dashboard session (JWT).
    Session,
    /// A publishable key: the key id alone (`finvex_test_KEYID`), safe to
    /// put in a web page; it may only open checkouts of the merchant's orders.
    PublishableKey(ApiKeyId),
}

/// The authenticated caller: whose data, which mode, what role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub merchant_id: MerchantId,
    pub mode: Mode,
    pub role: Role,
    pub method: AuthMethod,
}

impl Principal {
    pub fn scope(&self) -> Scope {
        Scope::new(self.merchant_id.clone(), self.mode)
    }

    /// Key management is for the dashboard: a leaked API key must not mint more keys.
    pub fn require_session(&self) -> Result<(), Error> {
        match self.method {
            AuthMethod::Session => Ok(()),
            AuthMethod::ApiKey(_) | AuthMethod::PublishableKey(_) => Err(Error::Forbidden(
                "this endpoint needs a dashboard session (Authorization: Bearer), not an API key"
                    .into(),
            )),
        }
    }

    /// Everything but opening a checkout needs the secret key or a session.
    pub fn require_secret(&self) -> Result<(), Error> {
        match self.method {
            AuthMethod::PublishableKey(_) => Err(Error::Forbidden(
                "a publishable key (without :SECRET) may only create checkout sessions; \
                 this endpoint needs the secret key (finvex_test_KEYID:SECRET) or a dashboard session"
                    .into(),
            )),
            AuthMethod::ApiKey(_) | AuthMethod::Session => Ok(()),
        }
    }

    /// Live mode is for verified merchants only: see [`Role::may_use_live_mode`].
    pub fn require_mode_allowed(&self) -> Result<(), Error> {
        live_mode_allowed(self.mode, self.role)
    }

    pub fn require_role(&self, allowed: &[Role]) -> Result<(), Error> {
        if allowed.contains(&self.role) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "this endpoint needs the role {}",
                allowed
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )))
        }
    }
}

fn live_mode_allowed(mode: Mode, role: Role) -> Result<(), Error> {
    if mode == Mode::Live && !role.may_use_live_mode() {
        return Err(Error::Forbidden(
            "live mode is not enabled for this merchant: the operator verifies a merchant \
             (finvex-server merchants verify EMAIL) before it can take live payments"
                .into(),
        ));
    }
    Ok(())
}

/// How long a customer-portal session lasts: one visit, as Stripe's do.
pub const PORTAL_SESSION_TTL_SECS: i64 = 60 * 60;

/// A buyer in one store's customer portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalPrincipal {
    /// The store (merchant and mode) whose portal this is.
    pub scope: Scope,
    pub customer_email: Email,
    /// Unix seconds.
    pub expires_at: i64,
}

/// A new customer-portal session, handed by the merchant to its buyer.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PortalSession {
    pub entity: &'static str,
    /// `Authorization: Bearer <token>` on the portal's endpoints.
    pub token: String,
    pub token_type: &'static str,
    pub customer_email: Email,
    pub mode: Mode,
    /// Unix seconds.
    pub expires_at: i64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Session {
    pub token: String,
    pub token_type: &'static str,
    /// Unix seconds.
    pub expires_at: i64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SignedUp {
    pub merchant: Merchant,
    pub session: Session,
}

/// A new key: the only time its secret is shown.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key: ApiKey,
    /// `finvex_test_KEYID:SECRET`, to put in the `X-Finvex-Key` header.
    pub secret_key: String,
}

/// The merchant created on first start so a newcomer can call the API at once.
#[derive(Debug, Clone)]
pub struct DemoMerchant {
    pub merchant: Merchant,
    pub password: String,
    pub test_key: String,
}

pub struct AuthService {
    store: Arc<dyn SystemStore>,
    clock: Arc<dyn Clock>,
    jwt: JwtKeys,
    keys: TtlCache<ApiKeyId, ApiKeyAuthRecord>,
    merchants: TtlCache<MerchantId, Merchant>,
    /// Shared with the admins' logins: one hashing budget for all of them.
    passwords: Arc<Passwords>,
}

impl AuthService {
    pub fn new(
        store: Arc<dyn SystemStore>,
        clock: Arc<dyn Clock>,
        jwt_secret: Vec<u8>,
    ) -> Result<AuthService, Error> {
        let jwt = JwtKeys::new(&jwt_secret)?;
        Ok(AuthService {
            store,
            clock,
            jwt,
            keys: TtlCache::new(AUTH_CACHE_TTL_MS, AUTH_CACHE_MAX_ENTRIES),
            merchants: TtlCache::new(AUTH_CACHE_TTL_MS, AUTH_CACHE_MAX_ENTRIES),
            passwords: Arc::new(Passwords::new()?),
        })
    }

    /// Password hashing and checking, for every other login to share.
    pub fn passwords(&self) -> Arc<Passwords> {
        self.passwords.clone()
    }

    fn now_secs(&self) -> i64 {
        self.clock.now().unix_secs()
    }

    pub async fn signup(&self, name: &str, email: &str, password: &str) -> Result<SignedUp, Error> {
        self.signup_with_role(name, email, password, Role::Merchant)
            .await
    }

    /// Signup with an explicit role; for the first-start demo and operators' CLI.
    pub async fn signup_with_role(
        &self,
        name: &str,
        email: &str,
        password: &str,
        role: Role,
    ) -> Result<SignedUp, Error> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(Error::validation(
                "name",
                format!("name must have 1 to {MAX_NAME_CHARS} characters"),
            ));
        }
        let email = parse_login_email(email)?;
        let password = Password::parse(password)?;
        let password_hash = self.passwords.hash(password).await?;
        let merchant = Merchant::new(
            MerchantId::generate(),
            name.to_string(),
            email,
            role,
            self.now_secs(),
        );
        self.store
            .insert_merchant(&MerchantRecord {
                merchant: merchant.clone(),
                password_hash,
            })
            .await?;
        let session = self.issue_session(&merchant)?;
        Ok(SignedUp { merchant, session })
    }

    pub async fn login(&self, email: &str, password: &str) -> Result<Session, Error> {
        let wrong = || Error::Unauthenticated("wrong email or password".into());
        let email = parse_login_email(email).map_err(|_| wrong())?;
        if password.len() > super::password::MAX_PASSWORD_BYTES {
            return Err(wrong());
        }
        let record = self.store.merchant_by_email(&email).await?;
        let stored = record.as_ref().map(|r| r.password_hash.as_str());
        let matches = self.passwords.verify(password, stored).await?;
        match record {
            Some(record) if matches => self.issue_session(&record.merchant),
            _ => Err(wrong()),
        }
    }

    fn issue_session(&self, merchant: &Merchant) -> Result<Session, Error> {
        let (token, expires_at) = self
            .jwt
            .issue(&merchant.id, merchant.role, self.now_secs())?;
        Ok(Session {
            token,
            token_type: "Bearer",
            expires_at,
        })
    }

    /// Authenticates an `X-Finvex-Key` header value.
    pub async fn authenticate_api_key(&self, raw: &str) -> Result<Principal, Error> {
        let credential = ApiKeyCredential::parse(raw.trim())?;
        let invalid = || Error::Unauthenticated("invalid API key".into());
        let record = self.key_record(&credential.key_id).await?;
        // Hash compare first, always, so timing does not tell which check failed.
        let secret_ok = api_key::secret_matches(&credential.secret, &record.secret_sha256);
        if !secret_ok || record.mode != credential.mode {
            return Err(invalid());
        }
        if record.revoked {
            return Err(Error::Unauthenticated(
                "this API key has been revoked".into(),
            ));
        }
        let principal = Principal {
            merchant_id: record.merchant_id,
            mode: record.mode,
            role: record.role,
            method: AuthMethod::ApiKey(record.key_id),
        };
        principal.require_mode_allowed()?;
        Ok(principal)
    }

    /// Authenticates a publishable key (`finvex_test_KEYID`): an active key
    /// of the merchant's, in the mode its prefix names.
    pub async fn authenticate_publishable_key(&self, raw: &str) -> Result<Principal, Error> {
        let (mode, key_id) = api_key::parse_publishable(raw.trim())?;
        let record = self.key_record(&key_id).await?;
        if record.mode != mode {
            return Err(Error::Unauthenticated("invalid API key".into()));
        }
        if record.revoked {
            return Err(Error::Unauthenticated(
                "this API key has been revoked".into(),
            ));
        }
        let principal = Principal {
            merchant_id: record.merchant_id,
            mode: record.mode,
            role: record.role,
            method: AuthMethod::PublishableKey(record.key_id),
        };
        principal.require_mode_allowed()?;
        Ok(principal)
    }

    /// The key's record, cached briefly.
    async fn key_record(&self, key_id: &ApiKeyId) -> Result<ApiKeyAuthRecord, Error> {
        let now = self.clock.now();
        if let Some(record) = self.keys.get(key_id, now) {
            return Ok(record);
        }
        let record = self
            .store
            .api_key_for_auth(key_id)
            .await?
            .ok_or_else(|| Error::Unauthenticated("invalid API key".into()))?;
        self.keys.insert(key_id.clone(), record.clone(), now);
        Ok(record)
    }

    /// `POST /v1/portal/sessions`: the merchant's backend opens the customer
    /// portal for one buyer of its store (as Stripe's billing portal
    /// sessions): a portal session for that email, in this mode.
    pub async fn create_portal_session(
        &self,
        principal: &Principal,
        customer_email: &str,
    ) -> Result<PortalSession, Error> {
        let email = Email::parse(&customer_email.trim().to_lowercase()).map_err(|_| {
            Error::validation(
                "customer_email",
                "customer_email is not a valid email address",
            )
        })?;
        let now = self.now_secs();
        let (token, expires_at) = self.jwt.issue_claims(Claims {
            sub: principal.merchant_id.to_string(),
            role: Role::Merchant,
            aud: Audience::Portal,
            mode: Some(principal.mode),
            email: Some(email.to_string()),
            iat: now,
            exp: now + PORTAL_SESSION_TTL_SECS,
        })?;
        Ok(PortalSession {
            entity: "portal_session",
            token,
            token_type: "Bearer",
            customer_email: email,
            mode: principal.mode,
            expires_at,
        })
    }

    /// Verifies a customer-portal session: a buyer of one merchant's store.
    pub async fn authenticate_portal(&self, token: &str) -> Result<PortalPrincipal, Error> {
        let claims = self
            .jwt
            .verify_for(token, Audience::Portal, self.now_secs())?;
        let invalid = || Error::Unauthenticated("invalid session token".into());
        let merchant_id = MerchantId::parse(&claims.sub).map_err(|_| invalid())?;
        let mode = claims.mode.ok_or_else(invalid)?;
        let email = Email::parse(claims.email.as_deref().unwrap_or("")).map_err(|_| invalid())?;
        let merchant = self.cached_merchant(&merchant_id).await?.ok_or_else(|| {
            Error::Unauthenticated("the store of this session no longer exists".into())
        })?;
        live_mode_allowed(mode, merchant.role)?;
        Ok(PortalPrincipal {
            scope: Scope::new(merchant_id, mode),
            customer_email: email,
            expires_at: claims.exp,
        })
    }

    /// Authenticates a dashboard session; `mode` is the mode the dashboard asks for.
    pub async fn authenticate_session(&self, token: &str, mode: Mode) -> Result<Principal, Error> {
        let claims = self.jwt.verify(token, self.now_secs())?;
        let merchant_id = MerchantId::parse(&claims.sub)
            .map_err(|_| Error::Unauthenticated("invalid session token".into()))?;
        // The role is read from the store (cached briefly), not trusted from the
        // token: a role change applies without a new login.
        let merchant = self.cached_merchant(&merchant_id).await?.ok_or_else(|| {
            Error::Unauthenticated("the merchant of this session no longer exists".into())
        })?;
        let principal = Principal {
            merchant_id,
            mode,
            role: merchant.role,
            method: AuthMethod::Session,
        };
        principal.require_mode_allowed()?;
        Ok(principal)
    }

    pub async fn merchant(&self, principal: &Principal) -> Result<Merchant, Error> {
        self.cached_merchant(&principal.merchant_id)
            .await?
            .ok_or_else(|| Error::not_found("merchant", principal.merchant_id.as_str()))
    }

    async fn cached_merchant(&self, id: &MerchantId) -> Result<Option<Merchant>, Error> {
        let now = self.clock.now();
        if let Some(merchant) = self.merchants.get(id, now) {
            return Ok(Some(merchant));
        }
        let merchant = self.store.merchant_by_id(id).await?;
        if let Some(merchant) = &merchant {
            self.merchants.insert(id.clone(), merchant.clone(), now);
        }
        Ok(merchant)
    }

    /// Changes a merchant's role (admin operation) and drops cached copies.
    pub async fn set_role(&self, merchant_id: &MerchantId, role: Role) -> Result<Merchant, Error> {
        if !self.store.set_merchant_role(merchant_id, role).await? {
            return Err(Error::not_found("merchant", merchant_id.as_str()));
        }
        self.refreshed_merchant(merchant_id).await
    }

    /// Drops cached copies of a merchant and of its keys (whose records
    /// carry its role), so a change of role applies at once here.
    fn forget_merchant(&self, merchant_id: &MerchantId) {
        self.merchants.remove(merchant_id);
        self.keys
            .retain(|_, record| record.merchant_id != *merchant_id);
    }

    /// The operator's verification (CLI today; an admin or KYC approval
    /// later): the merchant may use live mode, and, when
    /// `installation_accounts` is true, the installation's own provider
    /// accounts serve its live payments. An admin keeps its role.
    pub async fn verify_merchant(
        &self,
        email: &str,
        installation_accounts: bool,
    ) -> Result<Merchant, Error> {
        let email = parse_login_email(email)?;
        let record = self
            .store
            .merchant_by_email(&email)
            .await?
            .ok_or_else(|| Error::not_found("merchant", email.as_str()))?;
        self.verify_merchant_id(&record.merchant.id, installation_accounts)
            .await
    }

    /// [`Self::verify_merchant`] by the merchant's id (the admin API).
    pub async fn verify_merchant_id(
        &self,
        id: &MerchantId,
        installation_accounts: bool,
    ) -> Result<Merchant, Error> {
        let merchant = self
            .store
            .merchant_by_id(id)
            .await?
            .ok_or_else(|| Error::not_found("merchant", id.as_str()))?;
        let id = merchant.id;
        if !merchant.role.may_use_live_mode() {
            self.store
                .set_merchant_role(&id, Role::VerifiedSeller)
                .await?;
        }
        self.store
            .set_installation_accounts_live(&id, installation_accounts)
            .await?;
        self.refreshed_merchant(&id).await
    }

    async fn refreshed_merchant(&self, id: &MerchantId) -> Result<Merchant, Error> {
        self.forget_merchant(id);
        self.store
            .merchant_by_id(id)
            .await?
            .ok_or_else(|| Error::not_found("merchant", id.as_str()))
    }

    pub async fn create_api_key(
        &self,
        principal: &Principal,
        mode: Mode,
        name: Option<&str>,
    ) -> Result<CreatedApiKey, Error> {
        principal.require_session()?;
        live_mode_allowed(mode, principal.role)?;
        let name = name.map(str::trim).unwrap_or("default");
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(Error::validation(
                "name",
                format!("name must have 1 to {MAX_NAME_CHARS} characters"),
            ));
        }
        let credential = api_key::generate(mode);
        let key = ApiKey {
            id: credential.key_id.clone(),
            entity: "api_key".into(),
            mode,
            name: name.to_string(),
            secret_last4: credential.secret[credential.secret.len() - 4..].to_string(),
            created_at: self.now_secs(),
            revoked_at: None,
        };
        let scope = Scope::new(principal.merchant_id.clone(), mode);
        let inserted = self
            .store
            .insert_api_key(
                &scope,
                &key,
                &api_key::hash_secret(&credential.secret),
                &[NewEvent::new(EventType::ApiKeyCreated, &key)?],
                MAX_ACTIVE_KEYS_PER_MODE,
            )
            .await?;
        if !inserted {
            return Err(Error::business(
                None,
                format!("a merchant may have at most {MAX_ACTIVE_KEYS_PER_MODE} active API keys per mode; revoke one first"),
            ));
        }
        Ok(CreatedApiKey {
            key,
            secret_key: credential.to_key_string(),
        })
    }

    pub async fn list_api_keys(
        &self,
        principal: &Principal,
        mode: Mode,
        params: &ListParams,
    ) -> Result<Collection<ApiKey>, Error> {
        principal.require_session()?;
        let scope = Scope::new(principal.merchant_id.clone(), mode);
        Ok(Collection::new(
            self.store.list_api_keys(&scope, params).await?,
        ))
    }

    /// Revokes a key of the caller's, in whichever mode it is.
    pub async fn revoke_api_key(
        &self,
        principal: &Principal,
        key_id: &str,
    ) -> Result<ApiKey, Error> {
        principal.require_session()?;
        let key_id = ApiKeyId::parse(key_id)?;
        for mode in [Mode::Test, Mode::Live] {
            let scope = Scope::new(principal.merchant_id.clone(), mode);
            if let Some(mut key) = self.store.api_key_by_id(&scope, &key_id).await? {
                let now = self.now_secs();
                if key.revoked_at.is_none() {
                    key.revoked_at = Some(now);
                    let events = [NewEvent::new(EventType::ApiKeyRevoked, &key)?];
                    if !self
                        .store
                        .revoke_api_key(&scope, &key_id, now, &events)
                        .await?
                    {
                        // Revoked concurrently: report the stored state.
                        key = self
                            .store
                            .api_key_by_id(&scope, &key_id)
                            .await?
                            .unwrap_or(key);
                    }
                }
                self.keys.remove(&key_id);
                return Ok(key);
            }
        }
        Err(Error::not_found("api key", key_id.as_str()))
    }

    /// On an empty database, creates a demo merchant with a test key.
    pub async fn create_demo_merchant_if_empty(&self) -> Result<Option<DemoMerchant>, Error> {
        if self.store.count_merchants().await? > 0 {
            return Ok(None);
        }
        let password = api_key::generate(Mode::Test).secret[..20].to_string();
        let signed_up = match self
            .signup("Demo Merchant", "demo@finvex.local", &password)
            .await
        {
            // Another instance on the same database created it first.
            Err(Error::Conflict { .. }) => return Ok(None),
            other => other?,
        };
        let principal = Principal {
            merchant_id: signed_up.merchant.id.clone(),
            mode: Mode::Test,
            role: signed_up.merchant.role,
            method: AuthMethod::Session,
        };
        let key = self
            .create_api_key(&principal, Mode::Test, Some("demo"))
            .await?;
        Ok(Some(DemoMerchant {
            merchant: signed_up.merchant,
            password,
            test_key: key.secret_key,
        }))
    }
}
