//! Countries as an enum of ISO 3166-1 alpha-2 codes (`FR`, `CA`, `BE`), from the domain's table.

use async_graphql::ErrorExtensions;

macro_rules! country_enum {
    ($(($variant:ident, $code:literal, $name:literal),)*) => {
        /// A country, by its ISO 3166-1 alpha-2 code.
        #[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum CountryCode {
            $(#[doc = $name] #[graphql(name = $code)] $variant,)*
        }

        impl CountryCode {
            /// The two-letter code.
            pub fn code(self) -> &'static str {
                match self {
                    $(CountryCode::$variant => $code,)*
                }
            }

            /// The enum value of a stored code, if it is an assigned one.
            pub fn from_code(code: &str) -> Option<CountryCode> {
                match code {
                    $($code => Some(CountryCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

domain::with_countries!(country_enum);

/// The enum value of a stored code; a code that is not one is an internal error.
pub fn stored(ctx: &async_graphql::Context<'_>, code: &str) -> async_graphql::Result<CountryCode> {
    CountryCode::from_code(code).ok_or_else(|| {
        let request_id = ctx
            .data_opt::<crate::error::RequestId>()
            .map(|r| r.0.as_str())
            .unwrap_or("unknown");
        crate::error::ApiError::internal(
            request_id,
            &format!("stored country {code:?} is not an ISO code"),
        )
        .extend()
    })
}
