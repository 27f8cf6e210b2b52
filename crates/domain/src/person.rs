//! People, their contact points and what they said.

use crate::{Id, Stamp};

/// A named person. Email and phone are personal data: never shown to anonymous callers.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: Id,
    pub slug: String,
    pub full_name: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub stamp: Stamp,
}

string_enum! {
    /// What a contact point is for.
    pub enum ContactRole {
        Press = "press",
        Media = "media",
        General = "general",
    }
}

string_enum! {
    /// What kind of line a phone number is.
    pub enum PhoneKind {
        Mobile = "mobile",
        Landline = "landline",
        Unknown = "unknown",
    }
}

/// A contact of an organisation (its press contact, say): personal data.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactPoint {
    pub id: Id,
    pub organisation_id: Id,
    pub person_id: Option<Id>,
    pub role: ContactRole,
    pub phone: Option<String>,
    pub phone_kind: Option<PhoneKind>,
    pub email: Option<String>,
    /// The source hides the address ("[email protected]"): the directory does not invent one.
    pub email_redacted: bool,
    pub source_id: Option<Id>,
    pub stamp: Stamp,
}

/// What a person said, as quoted by a source.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub id: Id,
    pub person_id: Id,
    /// The person's title when they said it, as the source gives it.
    pub title_then: Option<String>,
    pub text: String,
    pub about_partnership_id: Option<Id>,
    pub source_id: Option<Id>,
    pub stamp: Stamp,
}
