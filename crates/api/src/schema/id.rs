//! Global object identification: opaque, stable ids that name a record's type and key.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::Id;

use crate::error::ApiError;

/// Makes the global id of a record: base64 of `Type:key`.
pub fn encode(type_name: &str, id: Id) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}")))
}

/// Reads a global id back into its type name and key; `argument` names it in errors.
pub fn decode(argument: &str, id: &ID) -> Result<(String, Id), ApiError> {
    let malformed = || {
        ApiError::bad_input(
            argument,
            format!("{:?} is not an id of this API", id.as_str()),
        )
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(id.as_str().trim_end_matches('='))
        .map_err(|_| malformed())?;
    let text = String::from_utf8(bytes).map_err(|_| malformed())?;
    let (type_name, key) = text.split_once(':').ok_or_else(malformed)?;
    let key: Id = key.parse().map_err(|_| malformed())?;
    if type_name.is_empty() || key <= 0 {
        return Err(malformed());
    }
    Ok((type_name.to_owned(), key))
}

/// Reads a global id that must name a record of `type_name`.
pub fn decode_as(argument: &str, id: &ID, type_name: &str) -> Result<Id, ApiError> {
    let (found, key) = decode(argument, id)?;
    if found != type_name {
        return Err(ApiError::bad_input(
            argument,
            format!("expected the id of a {type_name}, got the id of a {found}"),
        ));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_round_trips() {
        let id = encode("City", 42);
        assert_eq!(decode("id", &id).unwrap(), ("City".to_owned(), 42));
    }

    #[test]
    fn garbage_is_refused_with_the_argument_named() {
        for text in ["", "not base64!", "Q2l0eQ", "Q2l0eTphYmM"] {
            let error = decode("id", &ID(text.to_owned())).unwrap_err();
            assert!(error.to_string().starts_with("id: "), "{error}");
        }
    }
}
