//! Extractors: `AuthUser` (any signed-in user), `Manager`, `Admin`.
//! They establish who is asking; which quarter they may touch is checked in the
//! service functions, next to the query.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use shared::Role;
use shared::accounts::RoleGrantDto;
use uuid::Uuid;

use crate::entities::role_grant::{self, GrantRole};
use crate::entities::user;
use crate::error::ApiError;
use crate::startup::AppState;

/// The role grants of a user, with the scope questions services ask.
#[derive(Debug, Clone, Default)]
pub struct Grants(pub Vec<role_grant::Model>);

impl Grants {
    pub fn has(&self, role: Role) -> bool {
        self.0.iter().any(|g| g.role == GrantRole::from(role))
    }

    /// Organisations this user administers.
    pub fn admin_of(&self) -> Vec<Uuid> {
        self.0
            .iter()
            .filter(|g| g.role == GrantRole::Admin)
            .filter_map(|g| g.organisation_id)
            .collect()
    }

    pub fn is_admin_of(&self, organisation_id: Uuid) -> bool {
        self.admin_of().contains(&organisation_id)
    }

    /// Quarters this user manages.
    pub fn managed_quarters(&self) -> Vec<Uuid> {
        self.0
            .iter()
            .filter(|g| g.role == GrantRole::Manager)
            .filter_map(|g| g.quarter_id)
            .collect()
    }

    pub fn dtos(&self) -> Vec<RoleGrantDto> {
        self.0
            .iter()
            .map(|g| RoleGrantDto {
                role: g.role.into(),
                organisation_id: g.organisation_id,
                quarter_id: g.quarter_id,
            })
            .collect()
    }
}

/// A signed-in user: a valid access token whose account still exists.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: user::Model,
    pub grants: Grants,
}

impl AuthUser {
    pub fn id(&self) -> Uuid {
        self.user.id
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?;
    Some(token.trim().to_owned())
}

async fn authenticate(req: HttpRequest) -> Result<AuthUser, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?
        .clone();
    let token = bearer(&req).ok_or(ApiError::Unauthenticated)?;
    let user_id = state.jwt.verify(&token).ok_or(ApiError::Unauthenticated)?;
    load(&state, user_id).await
}

/// Loads a user and their grants; a deleted account is unauthenticated.
pub async fn load(state: &AppState, user_id: Uuid) -> Result<AuthUser, ApiError> {
    let conn = state.db.conn();
    let user = user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(user_id))
        .all(conn)
        .await?;
    Ok(AuthUser {
        user,
        grants: Grants(grants),
    })
}

type Fut<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Fut<AuthUser>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(req.clone()))
    }
}

/// A signed-in manager (of at least one quarter) or admin.
#[derive(Debug, Clone)]
pub struct Manager(pub AuthUser);

impl FromRequest for Manager {
    type Error = ApiError;
    type Future = Fut<Manager>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = authenticate(req).await?;
            if user.grants.has(Role::Manager) || user.grants.has(Role::Admin) {
                Ok(Manager(user))
            } else {
                Err(ApiError::Forbidden)
            }
        })
    }
}

/// A signed-in admin of at least one organisation.
#[derive(Debug, Clone)]
pub struct Admin(pub AuthUser);

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Fut<Admin>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = authenticate(req).await?;
            if user.grants.has(Role::Admin) {
                Ok(Admin(user))
            } else {
                Err(ApiError::Forbidden)
            }
        })
    }
}

/// The signed-in user if the request carries a token, else nobody. A token that is
/// sent but invalid is still refused (401), so an expired session is noticed.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<AuthUser>);

impl FromRequest for MaybeUser {
    type Error = ApiError;
    type Future = Fut<MaybeUser>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if req.headers().get(header::AUTHORIZATION).is_none() {
                return Ok(MaybeUser(None));
            }
            Ok(MaybeUser(Some(authenticate(req).await?)))
        })
    }
}
