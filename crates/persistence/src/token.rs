//! API tokens as the directory keeps them: ids, names, roles, expiry, use and revocation.

use chrono::{DateTime, Utc};
use domain::Id;
use domain::access::{Actor, ApiToken, Role};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, EntityTrait, IntoActiveModel, QueryFilter};
use serde_json::json;

use crate::entity::api_token;
use crate::page::{Direction, Page, PageRequest, SortKey, SortValue, fetch};
use crate::write::{Kind, Unit, WriteError};
use crate::{Db, Error, rows};

/// A token to record, once signed.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub jti: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<Id>,
    pub key_id: String,
    pub expires_at: DateTime<Utc>,
}

fn snapshot(token: &ApiToken) -> serde_json::Value {
    json!({
        "jti": token.jti,
        "name": token.name,
        "role": token.role.as_str(),
        "organisationId": token.organisation_id,
        "keyId": token.key_id,
        "expiresAt": token.expires_at,
        "revokedAt": token.revoked_at,
    })
}

/// Tokens, as the write path handles them.
const TOKEN: Kind<api_token::Entity, ApiToken> = Kind::stored(snapshot);

/// Records a new token through the write path: stamped and audited as every new record is.
pub async fn insert(unit: &Unit, new: NewToken) -> Result<ApiToken, Error> {
    let row = api_token::ActiveModel {
        jti: Set(new.jti),
        name: Set(new.name),
        role: Set(new.role.as_str().to_owned()),
        organisation_id: Set(new.organisation_id),
        key_id: Set(new.key_id),
        expires_at: Set(new.expires_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    };
    TOKEN
        .insert_new(unit, "issue_api_token", row)
        .await
        .map_err(store_failed)
}

/// The token with this `jti`, if the directory issued one.
pub async fn by_jti(db: &Db, jti: &str) -> Result<Option<ApiToken>, Error> {
    let row = api_token::Entity::find()
        .filter(Expr::col("jti").eq(jti))
        .one(db.conn())
        .await?;
    row.map(rows::api_token).transpose()
}

/// Notes that a token was used now.
pub async fn touch(db: &Db, id: Id) -> Result<(), Error> {
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(Utc::now()))
        .filter(Expr::col("id").eq(id))
        .exec(db.conn())
        .await?;
    // `lastUsedAt` is read back by admins: kept answers must not outlive it.
    db.announce_committed().await?;
    Ok(())
}

/// Revokes a token at once; revoking a revoked token changes nothing. `Ok(None)` when no
/// token has the id.
pub async fn revoke(unit: &Unit, id: Id) -> Result<Option<ApiToken>, Error> {
    // A token changed meanwhile (revoked by another request, its last use noted) is read
    // again: revoking asks for no version, so a race is not the caller's conflict.
    let mut attempts = 0;
    loop {
        let (row, before) = match TOKEN.read_for_change(unit, id).await {
            Ok(read) => read,
            Err(WriteError::NotFound(_)) => return Ok(None),
            Err(error) => return Err(store_failed(error)),
        };
        if before.revoked_at.is_some() {
            return Ok(Some(before));
        }
        let mut active = row.into_active_model();
        active.revoked_at = Set(Some(unit.now()));
        let key = (id, before.stamp.version);
        match TOKEN
            .save_change(unit, "revoke_api_token", key, active, &before)
            .await
        {
            Err(WriteError::StaleVersion { .. }) if attempts < 3 => attempts += 1,
            saved => return saved.map(Some).map_err(store_failed),
        }
    }
}

/// Revokes the token with this `jti` (the command line's way).
pub async fn revoke_jti(db: &Db, jti: &str) -> Result<Option<ApiToken>, Error> {
    match by_jti(db, jti).await? {
        Some(token) => {
            let operator = Actor::operator(crate::audit::COMMAND_LINE);
            db.write(operator, |unit| Box::pin(revoke(unit, token.id)))
                .await
        }
        None => Ok(None),
    }
}

/// Every token, newest first by default.
pub async fn list(
    db: &Db,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<ApiToken>, Error> {
    let key = SortKey {
        expression: Expr::col("created_at"),
        value: |token: &ApiToken| SortValue::Time(token.stamp.created_at),
    };
    fetch(db, api_token::Entity::find(), key, direction, request).await
}

/// A write of a token refused, as the store's error: a token's writes ask no rule and guard no
/// column, so only the store fails them.
fn store_failed(error: WriteError) -> Error {
    match error {
        WriteError::Store(error) => error,
        refused => Error::Database(sea_orm::DbErr::Custom(refused.to_string())),
    }
}
