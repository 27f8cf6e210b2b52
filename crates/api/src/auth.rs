//! Who is calling, and the guards that protect what only some callers may see.
//!
//! API tokens arrive with the writes; until then every caller is anonymous, so the guards
//! below refuse personal data to everyone.

use async_graphql::{Context, ErrorExtensions, Guard, Result};

use crate::error::ApiError;

/// The caller of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Caller {
    /// No token: reads the public directory only.
    #[default]
    Anonymous,
}

/// Guards personal data (contact details): never shown to anonymous callers.
pub struct PersonalData;

impl Guard for PersonalData {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        match ctx.data_opt::<Caller>().copied().unwrap_or_default() {
            Caller::Anonymous => Err(ApiError::Unauthenticated(
                "contact details are personal data: present an API token to read them".to_owned(),
            )
            .extend()),
        }
    }
}
