//! Rows of access: API tokens and the audit trail.

use super::*;
use crate::Error;

pub(crate) fn api_token(row: api_token::Model) -> Result<domain::access::ApiToken, Error> {
    Ok(domain::access::ApiToken {
        role: word("api_token", "role", &row.role)?,
        stamp: stamp!(row),
        id: row.id,
        jti: row.jti,
        name: row.name,
        organisation_id: row.organisation_id,
        key_id: row.key_id,
        expires_at: row.expires_at,
        last_used_at: row.last_used_at,
        revoked_at: row.revoked_at,
    })
}

pub(crate) fn audit_event(row: audit_event::Model) -> Result<domain::access::AuditEvent, Error> {
    Ok(domain::access::AuditEvent {
        stamp: stamp(row.at, row.at, 1),
        id: row.id,
        token_id: row.token_id,
        actor_name: row.actor_name,
        action: row.action,
        entity_type: row.entity_type,
        entity_id: row.entity_id,
        at: row.at,
        before: row.before,
        after: row.after,
    })
}

pub(crate) fn webhook_subscription(
    row: webhook_subscription::Model,
) -> Result<domain::webhook::Subscription, Error> {
    Ok(domain::webhook::Subscription {
        status: word("webhook_subscription", "status", &row.status)?,
        stamp: stamp!(row),
        id: row.id,
        token_id: row.token_id,
        url: row.url,
        filter: row.filter,
        disabled_reason: row.disabled_reason,
        failures: row.failures,
        position: row.position,
        next_attempt_at: row.next_attempt_at,
    })
}
