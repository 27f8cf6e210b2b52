//! The macro that declares a record type of the schema: its struct, its global id, its own
//! fields, its related lists as Relay connections, and the fields every record shares.

/// Declares a GraphQL object over a domain record.
///
/// Each `related` entry becomes a connection field with the Relay arguments, a filter and an
/// order, loaded through the DataLoader key of the same name: one batch for all parents. An
/// entry `= Key or JoinedKey when shows` loads through `JoinedKey(id, page length)` when the
/// page is the start of the list and `shows(ctx)` says the query asks for what that batch
/// brings along for the page.
macro_rules! record_object {
    (
        $(#[doc = $type_doc:literal])*
        $ty:ident($inner:ty) as $record_type:ident;
        fields { $($fields:tt)* }
        related {
            $( $(#[doc = $doc:literal])* $field:ident : $conn:ident < $node:ident > = $key:ident
                $(or $joined:ident when $shows:path)?; )*
        }
    ) => {
        $(#[doc = $type_doc])*
        #[derive(Clone)]
        pub struct $ty(pub $inner);

        $(#[doc = $type_doc])*
        #[async_graphql::Object]
        impl $ty {
            /// The record's global id: opaque and stable; `node(id:)` resolves it.
            pub async fn id(&self) -> async_graphql::ID {
                $crate::schema::id::encode(stringify!($ty), self.0.id)
            }

            $($fields)*

            $(
                $(#[doc = $doc])*
                #[allow(clippy::too_many_arguments)]
                async fn $field(
                    &self,
                    ctx: &async_graphql::Context<'_>,
                    #[graphql(desc = "Returns the first n records (at most 100, 20 by default).")] first: Option<i32>,
                    #[graphql(desc = "Returns the records after this cursor.")] after: Option<String>,
                    #[graphql(desc = "Returns the last n records (at most 100).")] last: Option<i32>,
                    #[graphql(desc = "Returns the records before this cursor.")] before: Option<String>,
                    #[graphql(desc = "Keeps only the records that match.")] filter: Option<$crate::schema::RelatedFilter>,
                    #[graphql(desc = "How to order the records (the relation's natural order by default).")]
                    order_by: Option<$crate::schema::connection::RelatedOrder>,
                ) -> async_graphql::Result<$conn> {
                    let args = $crate::schema::related_args(first, after, last, before, filter, order_by);
                    $(
                        if let Some(window) = args.prefix_len() && $shows(ctx) {
                            let key = $crate::loader::$joined(self.0.id, window);
                            let paged = $crate::schema::related(ctx, key, &args).await?;
                            return Ok($conn::from(paged.map($node)));
                        }
                    )?
                    let paged = $crate::schema::related(ctx, $crate::loader::$key(self.0.id), &args).await?;
                    Ok($conn::from(paged.map($node)))
                }
            )*

            #[graphql(flatten)]
            async fn shared_record_fields(&self) -> $crate::schema::record::RecordMeta {
                $crate::schema::record::RecordMeta::new(domain::source::RecordType::$record_type, self.0.id, &self.0.stamp)
            }
        }
    };
}

pub(crate) use record_object;
