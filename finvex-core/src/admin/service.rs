use std::sync::Arc;

use crate::auth::jwt::{Audience, Claims, JwtKeys, SESSION_TTL_SECS};
use crate::auth::password::{parse_login_email, Password, Passwords, MAX_PASSWORD_BYTES};
use crate::auth::{AuthService, Session};
use crate::clock::Clock;
use crate::ids::{AdminId, MerchantId};
use crate::merchants::{Merchant, Role};
use crate::pagination::{Collection, ListParams};
use crate::store::SystemStore;
use crate::types::Email;
use crate::Error;

use super::{Admin, AdminRecord};

/// An admin, authenticated by an admin session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminPrincipal {
    pub admin_id: AdminId,
    pub email: Email,
}

pub struct AdminService {
    store: Arc<dyn SystemStore>,
    clock: Arc<dyn Clock>,
    /// Signs admin sessions only: a key of their own, so no merchant or
    /// portal token can pass for one even before the audience is checked.
    jwt: JwtKeys,
    /// Merchant changes go through it, so its caches forget them at once.
    auth: Arc<AuthService>,
    /// The merchants' logins' own: one hashing budget for every login.
    passwords: Arc<Passwords>,
}

impl AdminService {
    pub fn new(
        store: Arc<dyn SystemStore>,
        clock: Arc<dyn Clock>,
        admin_jwt_secret: &[u8],
        auth: Arc<AuthService>,
    ) -> Result<AdminService, Error> {
        Ok(AdminService {
            store,
            clock,
            jwt: JwtKeys::new(admin_jwt_secret)?,
            passwords: auth.passwords(),
            auth,
        })
    }

    /// `finvex-server admin create`: run on the server's machine only.
    pub async fn create_admin(&self, email: &str, password: &str) -> Result<Admin, Error> {
        let email = parse_login_email(email)?;
        let password_hash = self.passwords.hash(Password::parse(password)?).await?;
        let admin = Admin {
            id: AdminId::generate(),
            entity: "admin",
            email,
            created_at: self.clock.now().unix_secs(),
        };
        self.store
            .insert_admin(&AdminRecord {
                admin: admin.clone(),
                password_hash,
            })
            .await?;
        Ok(admin)
    }

    /// `POST /v1/admin/login`: an admin session (Bearer), 12 hours.
    pub async fn login(&self, email: &str, password: &str) -> Result<Session, Error> {
        let wrong = || Error::Unauthenticated("wrong email or password".into());
        let email = parse_login_email(email).map_err(|_| wrong())?;
        if password.len() > MAX_PASSWORD_BYTES {
            return Err(wrong());
        }
        let record = self.store.admin_by_email(&email).await?;
        let stored = record.as_ref().map(|r| r.password_hash.as_str());
        let matches = self.passwords.verify(password, stored).await?;
        let Some(record) = record.filter(|_| matches) else {
            return Err(wrong());
        };
        let now = self.clock.now().unix_secs();
        let (token, expires_at) = self.jwt.issue_claims(Claims {
            sub: record.admin.id.to_string(),
            role: Role::Admin,
            aud: Audience::Admin,
            mode: None,
            email: None,
            iat: now,
            exp: now + SESSION_TTL_SECS,
        })?;
        Ok(Session {
            token,
            token_type: "Bearer",
            expires_at,
        })
    }

    /// Verifies an admin session; the admin must still exist.
    pub async fn authenticate(&self, token: &str) -> Result<AdminPrincipal, Error> {
        let claims = self
            .jwt
            .verify_for(token, Audience::Admin, self.clock.now().unix_secs())?;
        let id = AdminId::parse(&claims.sub)
            .map_err(|_| Error::Unauthenticated("invalid session token".into()))?;
        let admin = self.store.admin_by_id(&id).await?.ok_or_else(|| {
            Error::Unauthenticated("the admin of this session no longer exists".into())
        })?;
        Ok(AdminPrincipal {
            admin_id: admin.id,
            email: admin.email,
        })
    }

    /// `GET /v1/admin/merchants`: every merchant, newest first.
    pub async fn list_merchants(&self, params: &ListParams) -> Result<Collection<Merchant>, Error> {
        Ok(Collection::new(self.store.list_merchants(params).await?))
    }

    /// `POST /v1/admin/merchants/:id/verify`: as `finvex-server merchants verify`.
    pub async fn verify_merchant(
        &self,
        merchant_id: &str,
        installation_accounts: bool,
    ) -> Result<Merchant, Error> {
        let id = MerchantId::parse(merchant_id)
            .map_err(|_| Error::not_found("merchant", merchant_id))?;
        self.auth
            .verify_merchant_id(&id, installation_accounts)
            .await
    }
}
