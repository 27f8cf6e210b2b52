//! References in inputs: how a mutation's input names a record, in one `ID` string — its
//! global id, or its slug (`terrebonne`), or for a city or an organisation its country and
//! official code (`FR:95018`) — and the one function that reads them.
//!
//! The fields stay of type `ID`, so a client that sends global ids (`$city: ID!`) keeps
//! working. A global id is tried first: it decodes without a read, but for a kind that may
//! belong to a draft, which is read as `node(id:)` reads it (not for a caller who sees every
//! draft). Anything else is looked up by slug or code (`persistence::lookup::by_key`, one
//! statement). A record the caller may not see is not kept (`retain_visible`): a hidden
//! draft's slug or id, or its part's id, answers exactly like one nothing has. Every mutation
//! names its records here — the record an update or a deletion changes as well as those an
//! input links to — but `markVerified`, which takes a record of any kind and reads it the same
//! way (`node_of`). So how a hidden record answers is decided before the write, whatever the
//! write's own checks. Records without a slug (a mandate, a membership, a party…) are named by
//! global id only.

use async_graphql::{Context, ID};
use domain::Id;
use domain::source::RecordType;
use persistence::lookup::Key;

use crate::auth::Visible;
use crate::error::internal;
use crate::schema::user_error::{InputError, UserError};

/// The sentence that ends the description of every input field naming a record that has a
/// slug: one wording for the whole schema.
macro_rules! named_by_slug {
    () => {
        "Name the record by its global id or its slug."
    };
}

/// The sentence that ends the description of every input field naming a city or an
/// organisation.
macro_rules! named_by_code {
    () => {
        "Name the record by its global id, its slug, or its country and official code as \
         `FR:95018`."
    };
}

pub(crate) use {named_by_code, named_by_slug};

/// The kinds of record an input may name by slug, with their domain records: the one list of
/// them, read by `takes_slug` and `find`.
macro_rules! slugged {
    ($($kind:ident => $record:ty,)*) => {
        /// Whether records of this kind have a slug an input may name them by.
        fn takes_slug(expected: RecordType) -> bool {
            matches!(expected, $(RecordType::$kind)|*)
        }

        /// The id of the record of this kind people name by `key`, if the caller may see it.
        async fn find(
            ctx: &Context<'_>,
            expected: RecordType,
            key: Key<'_>,
        ) -> async_graphql::Result<Option<Id>> {
            match expected {
                $(RecordType::$kind => shown::<$record>(ctx, key).await,)*
                _ => Ok(None),
            }
        }
    };
}

slugged! {
    City => domain::city::City,
    Organisation => domain::organisation::Organisation,
    Person => domain::person::Person,
    Partnership => domain::partnership::Partnership,
    GroupPurchase => domain::group_purchase::GroupPurchase,
    Programme => domain::programme::Programme,
    Award => domain::award::Award,
    Initiative => domain::initiative::Initiative,
    Event => domain::event::Event,
    Source => domain::source::Source,
    Theme => domain::theme::Theme,
    DiagnosticTool => domain::diagnostic::DiagnosticTool,
    Questionnaire => domain::diagnostic::Questionnaire,
}

/// Whether records of this kind have an official code within their country.
fn takes_code(expected: RecordType) -> bool {
    matches!(expected, RecordType::City | RecordType::Organisation)
}

/// The id of the record of kind `expected` that the input field `field` names by `value`: a
/// global id of that kind, else a slug, else (a city or an organisation) `FR:95018`. A value
/// of none of these shapes is `INVALID`; a slug or code of no record the caller may see is
/// `NOT_FOUND`; both name the field. A global id is read here only for a kind that may be
/// hidden (`shown_by_id`); the write reads its record and answers `NOT_FOUND` the same way when
/// it has none.
pub async fn input_ref(
    ctx: &Context<'_>,
    field: &str,
    value: &ID,
    expected: RecordType,
) -> Result<Id, InputError> {
    // The GraphQL type's name, which global ids carry.
    let type_name = crate::schema::record::type_name(expected);
    let text = value.as_str();
    if let Ok((found, id)) = crate::schema::id::decode(field, value) {
        if found == type_name {
            return shown_by_id(ctx, field, expected, id).await;
        }
        return Err(invalid(
            field,
            format!("expected the id of a {type_name}, got the id of a {found}"),
        ));
    }
    let country;
    let key = match text.split_once(':') {
        Some((code_country, code)) if takes_code(expected) => {
            country = code_country.to_ascii_uppercase();
            if domain::city::check_country(&country).is_err() || code.is_empty() {
                return Err(invalid(field, shapes(text, expected)));
            }
            Key::OfficialCode {
                country: &country,
                code,
            }
        }
        None if takes_slug(expected) && domain::slug::Slug::parse(text).is_ok() => Key::Slug(text),
        _ => return Err(invalid(field, shapes(text, expected))),
    };
    match find(ctx, expected, key).await.map_err(InputError::Failed)? {
        Some(id) => Ok(id),
        None => Err(UserError::new(
            &["input", field],
            crate::error::code::NOT_FOUND,
            match key {
                Key::Slug(slug) => format!("nothing here has the slug {slug:?}"),
                Key::OfficialCode { country, code } => {
                    format!("nothing here has the official code {code:?} in {country}")
                }
            },
        )
        .into()),
    }
}

/// `input_ref` for an optional field.
pub async fn optional_input_ref(
    ctx: &Context<'_>,
    field: &str,
    value: Option<&ID>,
    expected: RecordType,
) -> Result<Option<Id>, InputError> {
    match value {
        Some(value) => input_ref(ctx, field, value, expected).await.map(Some),
        None => Ok(None),
    }
}

/// The source an input's optional `source` field names, if any: every record cites its source
/// under that one name (`optional_input_ref`).
pub async fn optional_source(
    ctx: &Context<'_>,
    value: Option<&ID>,
) -> Result<Option<Id>, InputError> {
    optional_input_ref(ctx, "source", value, RecordType::Source).await
}

/// Record `id` of kind `expected`, named by its global id, if the caller may see it. A kind that
/// may belong to a draft (`domain::ownership::may_be_owned`) is read as `node(id:)` reads it:
/// one hidden from the caller answers exactly as one that does not exist, `NOT_FOUND` on the
/// field, before any write looks at it — so the write's own checks, later and in its
/// transaction, do not decide how a hidden record answers. Other kinds are public, and a
/// caller who sees every draft (an editor) has nothing hidden from it: neither is read.
async fn shown_by_id(
    ctx: &Context<'_>,
    field: &str,
    expected: RecordType,
    id: Id,
) -> Result<Id, InputError> {
    let sees_all = crate::auth::reader(ctx).drafts == domain::access::DraftScope::All;
    if sees_all || !domain::ownership::may_be_owned(expected) {
        return Ok(id);
    }
    match crate::schema::node::node_of(ctx, expected, id).await {
        Ok(Some(_)) => Ok(id),
        Ok(None) => Err(UserError::new(
            &["input", field],
            crate::error::code::NOT_FOUND,
            crate::error::no_record(field),
        )
        .into()),
        Err(error) => Err(InputError::Failed(error)),
    }
}

/// The id of the record of `T` people name by `key`, if any and if the caller may see it.
async fn shown<T: persistence::Stored + Visible>(
    ctx: &Context<'_>,
    key: Key<'_>,
) -> async_graphql::Result<Option<Id>> {
    let db = ctx.data_unchecked::<persistence::Db>();
    let found = persistence::lookup::by_key::<T>(db, key)
        .await
        .map_err(|error| internal(ctx, error))?;
    let shown = crate::schema::retain_visible(ctx, found.into_iter().collect()).await?;
    Ok(shown.first().map(persistence::Stored::id))
}

fn invalid(field: &str, message: String) -> InputError {
    UserError::new(&["input", field], crate::error::code::INVALID, message).into()
}

/// What a value that names nothing should have looked like.
fn shapes(text: &str, expected: RecordType) -> String {
    if takes_code(expected) {
        format!(
            "{text:?} is neither a global id, nor a slug, nor a country and official code (`FR:95018`)"
        )
    } else if takes_slug(expected) {
        format!("{text:?} is neither a global id nor a slug")
    } else {
        format!("{text:?} is not an id of this API")
    }
}
