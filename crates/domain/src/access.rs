//! Who may write what: roles, the actor behind a write, and the ownership rule for partners.

use crate::Id;

string_enum! {
    /// What an API token allows.
    pub enum Role {
        /// Writes the records of its own organisation.
        Partner = "partner",
        /// Writes anything in the directory.
        Editor = "editor",
        /// An editor who also manages tokens and reads the audit trail.
        Admin = "admin",
    }
}

/// Who writes, under which role, for which organisation: the holder of a valid API token, or
/// the directory itself loading data on its operator's command (`Actor::operator`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The token's id in the directory; none for the operator.
    pub token_id: Option<Id>,
    /// The token's name, as its issuer gave it ("UMQ sync").
    pub name: String,
    pub role: Role,
    /// For a partner, the organisation it acts for.
    pub organisation_id: Option<Id>,
}

/// Which draft partnerships a caller sees.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DraftScope {
    /// None: anonymous callers (and a partner token with no organisation).
    #[default]
    None,
    /// Those this organisation is a party to: its partners.
    OfParty(Id),
    /// All: editors and admins.
    All,
}

/// Why an actor may not do something.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("this needs the {needed} role")]
    RoleNeeded { needed: Role },
    #[error("a partner writes only the records of its own organisation")]
    NotOwnOrganisation,
    #[error(
        "a city's membership of an organisation is recorded by an editor: it is what lets the organisation's partners act for the city"
    )]
    CityMembershipNeedsEditor,
    #[error(
        "a partner may end a membership or a mandate or bring its end closer, not move it later: ask an editor"
    )]
    EndMovedLater,
    #[error(
        "a partner names as taking part only its own organisation and the cities it acts for: ask an editor to record others"
    )]
    NamingNeedsEditor,
}

/// Someone a record names as taking part in it: an event's participant, a programme's
/// laureate or carrier, an award's recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// A city, and whether the actor acts for it (its organisation counts the city among its
    /// current members).
    City { acted_for: bool },
    /// An organisation.
    Organisation(Id),
    /// A person.
    Person,
}

impl Actor {
    /// The directory's operator, at the command line — issuing a token, loading a seed file or
    /// an official data set — named after what it runs: it holds every role (an admin's), writes
    /// under the same rules as any caller, and the audit trail records the name with no token.
    pub fn operator(name: impl Into<String>) -> Actor {
        Actor {
            token_id: None,
            name: name.into(),
            role: Role::Admin,
            organisation_id: None,
        }
    }

    /// Whether the actor may write records that belong to `organisation_id`.
    pub fn check_writes_for(&self, organisation_id: Id) -> Result<(), AccessError> {
        match self.role {
            Role::Editor | Role::Admin => Ok(()),
            Role::Partner if self.organisation_id == Some(organisation_id) => Ok(()),
            Role::Partner => Err(AccessError::NotOwnOrganisation),
        }
    }

    /// Whether the actor may write a record that belongs to any of `organisations` (a
    /// programme's owners, an initiative's leads): editors and admins always; a partner when
    /// its organisation is one of them.
    pub fn check_writes_for_any(
        &self,
        organisations: impl IntoIterator<Item = Id>,
    ) -> Result<(), AccessError> {
        match self.role {
            Role::Editor | Role::Admin => Ok(()),
            Role::Partner => {
                let mut organisations = organisations.into_iter();
                if organisations.any(|organisation| self.organisation_id == Some(organisation)) {
                    Ok(())
                } else {
                    Err(AccessError::NotOwnOrganisation)
                }
            }
        }
    }

    /// Whether the actor may make a write that links records (an event's organiser,
    /// partnership and programme; an initiative's leads, city, partnership and edition), given
    /// its right over each: editors and admins always; a partner needs a right over every
    /// record the write links, and at least one of them — a write cannot hang a record from
    /// someone else's partnership, programme or organisation because it holds a right
    /// elsewhere.
    pub fn check_links(
        &self,
        rights: impl IntoIterator<Item = Result<(), AccessError>>,
    ) -> Result<(), AccessError> {
        if self.role != Role::Partner {
            return Ok(());
        }
        let mut linked = false;
        for right in rights {
            right?;
            linked = true;
        }
        if linked {
            Ok(())
        } else {
            Err(AccessError::NotOwnOrganisation)
        }
    }

    /// Whether the actor may record that `member` belongs to `organisation_id`. A membership
    /// belongs to both sides, so a partner of either side of two organisations may; but a
    /// city's membership is what lets an organisation's partners act for the city (enrol it
    /// in a group purchase, report its initiatives), so only an editor records one: no
    /// partner can grant itself power over a city.
    pub fn check_declares_membership(
        &self,
        organisation_id: Id,
        member: crate::membership::Member,
    ) -> Result<(), AccessError> {
        use crate::membership::Member;
        match member {
            _ if self.role != Role::Partner => Ok(()),
            Member::City(_) => Err(AccessError::CityMembershipNeedsEditor),
            Member::Organisation(member_id) => self
                .check_writes_for(organisation_id)
                .or_else(|_| self.check_writes_for(member_id)),
        }
    }

    /// Whether the actor may set a membership's end to `new_end` (its latest day) when it ends
    /// on `current_end`, if at all: a partner ends a membership or brings its end closer, but
    /// never moves it later — that would reopen, on its own word, the membership an editor
    /// closed, and with it the power to act for a city.
    pub fn check_moves_end(
        &self,
        current_end: Option<chrono::NaiveDate>,
        new_end: chrono::NaiveDate,
    ) -> Result<(), AccessError> {
        match current_end {
            Some(current) if self.role == Role::Partner && new_end > current => {
                Err(AccessError::EndMovedLater)
            }
            _ => Ok(()),
        }
    }

    /// Whether the actor may name `named` as taking part in one of its records. Naming speaks
    /// for the one named (the city's page then says it took part), so a partner names only its
    /// own organisation and the cities it acts for; editors and admins name anyone.
    pub fn check_names(&self, named: Named) -> Result<(), AccessError> {
        if self.role != Role::Partner {
            return Ok(());
        }
        match named {
            Named::City { acted_for: true } => Ok(()),
            Named::Organisation(id) if self.organisation_id == Some(id) => Ok(()),
            _ => Err(AccessError::NamingNeedsEditor),
        }
    }

    /// Whether the actor may act for a record whose parties are `parties` (a partnership):
    /// editors and admins always; a partner when its organisation is one of them. The same
    /// rule says who sees a draft partnership.
    pub fn check_party(
        &self,
        parties: impl IntoIterator<Item = crate::membership::Member>,
    ) -> Result<(), AccessError> {
        if self.draft_scope().admits(parties) {
            Ok(())
        } else {
            Err(AccessError::NotOwnOrganisation)
        }
    }

    /// Which draft partnerships the actor sees: the same rule as `check_party`.
    pub fn draft_scope(&self) -> DraftScope {
        match (self.role, self.organisation_id) {
            (Role::Editor | Role::Admin, _) => DraftScope::All,
            (Role::Partner, Some(organisation_id)) => DraftScope::OfParty(organisation_id),
            (Role::Partner, None) => DraftScope::None,
        }
    }

    /// Whether the actor may write anything in the directory.
    pub fn check_editor(&self) -> Result<(), AccessError> {
        self.role.check_editor()
    }

    /// Whether the actor may manage tokens and read the audit trail.
    pub fn check_admin(&self) -> Result<(), AccessError> {
        self.role.check_admin()
    }
}

impl Role {
    /// Whether this role may write anything in the directory.
    pub fn check_editor(self) -> Result<(), AccessError> {
        match self {
            Role::Editor | Role::Admin => Ok(()),
            Role::Partner => Err(AccessError::RoleNeeded {
                needed: Role::Editor,
            }),
        }
    }

    /// Whether this role may manage tokens and read the audit trail.
    pub fn check_admin(self) -> Result<(), AccessError> {
        match self {
            Role::Admin => Ok(()),
            Role::Partner | Role::Editor => Err(AccessError::RoleNeeded {
                needed: Role::Admin,
            }),
        }
    }
}

impl DraftScope {
    /// Whether a caller seeing these drafts acts for a record whose parties are `parties`:
    /// every record for `All`, those its organisation is one of the parties to for `OfParty`.
    pub fn admits(self, parties: impl IntoIterator<Item = crate::membership::Member>) -> bool {
        match self {
            DraftScope::All => true,
            DraftScope::OfParty(organisation) => parties
                .into_iter()
                .any(|party| party == crate::membership::Member::Organisation(organisation)),
            DraftScope::None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, organisation_id: Option<Id>) -> Actor {
        Actor {
            token_id: Some(1),
            name: "test".into(),
            role,
            organisation_id,
        }
    }

    #[test]
    fn a_partner_writes_a_record_one_of_whose_organisations_is_its_own() {
        let partner = actor(Role::Partner, Some(7));
        assert!(partner.check_writes_for_any([3, 7]).is_ok());
        assert_eq!(
            partner.check_writes_for_any([3, 8]),
            Err(AccessError::NotOwnOrganisation)
        );
        assert!(partner.check_writes_for_any([]).is_err());
        assert!(actor(Role::Editor, None).check_writes_for_any([]).is_ok());
    }

    #[test]
    fn a_partner_writes_only_for_its_own_organisation() {
        let partner = actor(Role::Partner, Some(7));
        assert!(partner.check_writes_for(7).is_ok());
        assert_eq!(
            partner.check_writes_for(8),
            Err(AccessError::NotOwnOrganisation)
        );
        assert!(partner.check_editor().is_err());
    }

    #[test]
    fn a_partner_acts_only_for_partnerships_its_organisation_is_a_party_to() {
        use crate::membership::Member;
        let partner = actor(Role::Partner, Some(7));
        assert!(
            partner
                .check_party([Member::City(3), Member::Organisation(7)])
                .is_ok()
        );
        // A city of the same id is not the organisation.
        assert_eq!(
            partner.check_party([Member::City(7), Member::Organisation(8)]),
            Err(AccessError::NotOwnOrganisation)
        );
        assert!(actor(Role::Editor, None).check_party([]).is_ok());
        assert_eq!(partner.draft_scope(), DraftScope::OfParty(7));
        assert_eq!(actor(Role::Editor, None).draft_scope(), DraftScope::All);
    }

    #[test]
    fn a_partner_links_only_records_it_has_a_right_over_and_at_least_one() {
        let partner = actor(Role::Partner, Some(7));
        assert!(partner.check_links([Ok(()), Ok(())]).is_ok());
        assert_eq!(
            partner.check_links([Ok(()), Err(AccessError::NotOwnOrganisation)]),
            Err(AccessError::NotOwnOrganisation)
        );
        assert!(partner.check_links([]).is_err());
        assert!(
            actor(Role::Editor, None)
                .check_links([Err(AccessError::NotOwnOrganisation)])
                .is_ok()
        );
    }

    #[test]
    fn a_partner_names_only_its_own_organisation_and_the_cities_it_acts_for() {
        let partner = actor(Role::Partner, Some(7));
        assert!(partner.check_names(Named::Organisation(7)).is_ok());
        assert!(partner.check_names(Named::City { acted_for: true }).is_ok());
        for other in [
            Named::Organisation(8),
            Named::City { acted_for: false },
            Named::Person,
        ] {
            assert_eq!(
                partner.check_names(other),
                Err(AccessError::NamingNeedsEditor)
            );
            assert!(actor(Role::Editor, None).check_names(other).is_ok());
        }
    }

    #[test]
    fn no_partner_declares_a_city_a_member_of_its_organisation() {
        use crate::membership::Member;
        let partner = actor(Role::Partner, Some(7));
        assert_eq!(
            partner.check_declares_membership(7, Member::City(3)),
            Err(AccessError::CityMembershipNeedsEditor)
        );
        assert!(
            partner
                .check_declares_membership(7, Member::Organisation(3))
                .is_ok()
        );
        assert!(
            partner
                .check_declares_membership(3, Member::Organisation(7))
                .is_ok()
        );
        assert!(
            partner
                .check_declares_membership(3, Member::Organisation(4))
                .is_err()
        );
        assert!(
            actor(Role::Editor, None)
                .check_declares_membership(7, Member::City(3))
                .is_ok()
        );
    }

    #[test]
    fn editors_write_everything_and_only_admins_administer() {
        assert!(actor(Role::Editor, None).check_writes_for(8).is_ok());
        assert!(actor(Role::Editor, None).check_admin().is_err());
        assert!(actor(Role::Admin, None).check_admin().is_ok());
    }
}

/// An API token as the directory keeps it: its id (`jti`), name, role and lifetime — never
/// the token itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiToken {
    pub id: Id,
    /// The token's unique id, the JWT `jti` claim.
    pub jti: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<Id>,
    /// The id of the signing key (`kid`) it was signed with.
    pub key_id: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    pub stamp: crate::Stamp,
}

impl ApiToken {
    /// Whether the token may still be used at `now`.
    pub fn is_usable(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

/// Why a token cannot be issued as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("a partner token acts for an organisation: give one")]
    PartnerNeedsOrganisation,
    #[error("only a partner token acts for an organisation")]
    OrganisationOnlyForPartners,
    #[error("a token lives between 1 and 3650 days (got {0})")]
    Lifetime(i64),
    #[error("a token needs a name of 1 to 200 characters")]
    Name,
}

/// Checks what a new token is asked to be.
pub fn check_new_token(
    name: &str,
    role: Role,
    organisation_id: Option<Id>,
    days: i64,
) -> Result<(), TokenError> {
    if name.trim().is_empty() || name.chars().count() > 200 {
        return Err(TokenError::Name);
    }
    if !(1..=3650).contains(&days) {
        return Err(TokenError::Lifetime(days));
    }
    match (role, organisation_id) {
        (Role::Partner, None) => Err(TokenError::PartnerNeedsOrganisation),
        (Role::Editor | Role::Admin, Some(_)) => Err(TokenError::OrganisationOnlyForPartners),
        _ => Ok(()),
    }
}

/// A write recorded in the audit trail.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub id: Id,
    pub token_id: Option<Id>,
    pub actor_name: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Id,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The record before the write (JSON), none for a creation.
    pub before: Option<String>,
    /// The record after the write (JSON), none for a deletion.
    pub after: Option<String>,
    pub stamp: crate::Stamp,
}

#[cfg(test)]
mod token_tests {
    use super::*;

    #[test]
    fn a_new_token_is_checked() {
        assert!(check_new_token("UMQ sync", Role::Partner, Some(1), 90).is_ok());
        assert_eq!(
            check_new_token("x", Role::Partner, None, 90),
            Err(TokenError::PartnerNeedsOrganisation)
        );
        assert_eq!(
            check_new_token("x", Role::Admin, Some(1), 90),
            Err(TokenError::OrganisationOnlyForPartners)
        );
        assert_eq!(
            check_new_token("x", Role::Admin, None, 0),
            Err(TokenError::Lifetime(0))
        );
        assert_eq!(
            check_new_token(" ", Role::Admin, None, 1),
            Err(TokenError::Name)
        );
    }
}
