//! The related lists of a record type: each a Relay connection with the same arguments, a
//! filter and an order, loaded through a DataLoader key. A record's own `#[Object]` flattens
//! them in (`#[graphql(flatten)]`), between its own fields and those every record shares, so
//! that its own fields stay plain code.

/// Declares the related lists of a record type: a struct of the record's id, and an object
/// with one connection field per entry, for the record's object to flatten in.
///
/// Each entry becomes a connection field with the Relay arguments, a filter and an order,
/// loaded through the DataLoader key it names (as in scope where the macro is used): one batch
/// for all parents. An entry `= Key or JoinedKey when shows` loads through
/// `JoinedKey(id, page length)` when the page is the start of the list and `shows(ctx)` says
/// the query asks for what that batch brings along for the page.
macro_rules! related_lists {
    (
        $(#[doc = $type_doc:literal])*
        $lists:ident {
            $( $(#[doc = $doc:literal])* $field:ident : $conn:ident < $node:ident > = $key:ident
                $(or $joined:ident when $shows:path)?; )*
        }
    ) => {
        $(#[doc = $type_doc])*
        pub struct $lists(pub domain::Id);

        $(#[doc = $type_doc])*
        #[async_graphql::Object]
        impl $lists {
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
                    #[graphql(desc = "Keeps only the records that match.")] filter: Option<$crate::schema::list_filter::RelatedFilter>,
                    #[graphql(desc = "How to order the records (the relation's natural order by default).")]
                    order_by: Option<$crate::schema::connection::RelatedOrder>,
                ) -> async_graphql::Result<$conn> {
                    let args = $crate::schema::list_args::related_args(first, after, last, before, filter, order_by);
                    $(
                        if let Some(window) = args.prefix_len() && $shows(ctx) {
                            let paged = $crate::schema::related(ctx, $joined(self.0, window), &args).await?;
                            return Ok($conn::from(paged.map($node)));
                        }
                    )?
                    let paged = $crate::schema::related(ctx, $key(self.0), &args).await?;
                    Ok($conn::from(paged.map($node)))
                }
            )*
        }
    };
}

pub(crate) use related_lists;
