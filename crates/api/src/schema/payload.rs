//! Mutation payloads: the record a write made, or what to fix in its input.

/// Declares a mutation payload: the record written, or what to fix.
macro_rules! payload {
    ($(#[doc = $doc:literal])* $name:ident { $field:ident : $record:ty }) => {
        $(#[doc = $doc])*
        #[derive(async_graphql::SimpleObject)]
        pub struct $name {
            /// The record written; null when the input has errors.
            pub $field: Option<$record>,
            /// What to fix in the input, if anything; nothing is stored then.
            pub user_errors: Vec<$crate::schema::user_error::UserError>,
        }

        impl $name {
            // A write whose input `change_record` reads needs none.
            #[allow(dead_code)]
            fn rejected(error: $crate::schema::user_error::UserError) -> Self {
                $name { $field: None, user_errors: vec![error] }
            }
        }
    };
}

pub(crate) use payload;
