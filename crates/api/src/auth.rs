//! Who is calling, and the guards that say what each caller may see and do.
//!
//! Anonymous callers read the public directory. A valid API token makes the caller an
//! `Actor` with a role; the guards below are the one place those rules are declared.

use async_graphql::{Context, ErrorExtensions, Guard, Result};
use domain::access::{Actor, DraftScope, Role};

use crate::error::ApiError;

/// The caller of one request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Caller {
    /// No token: reads the public directory only.
    #[default]
    Anonymous,
    /// A valid API token.
    Token(Actor),
}

impl Caller {
    /// The actor behind the request, or `UNAUTHENTICATED`.
    pub fn actor(&self) -> Result<&Actor> {
        self.token_actor()
            .ok_or_else(|| ApiError::Unauthenticated("this needs an API token".to_owned()).extend())
    }

    /// The actor behind a token; `None` for an anonymous caller (no error built).
    pub fn token_actor(&self) -> Option<&Actor> {
        match self {
            Caller::Token(actor) => Some(actor),
            Caller::Anonymous => None,
        }
    }
}

/// The caller of the request being resolved.
pub fn caller<'a>(ctx: &'a Context<'_>) -> &'a Caller {
    static ANONYMOUS: Caller = Caller::Anonymous;
    ctx.data_opt::<Caller>().unwrap_or(&ANONYMOUS)
}

/// Guards personal data (contact details): any valid token reads them, anonymous callers never.
pub struct PersonalData;

impl Guard for PersonalData {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        if reads_personal_data(caller(ctx)) {
            Ok(())
        } else {
            Err(ApiError::Unauthenticated(
                "contact details are personal data: present an API token to read them".to_owned(),
            )
            .extend())
        }
    }
}

/// Whether this caller reads personal data (people's and contact points' phones and emails):
/// any valid token does, anonymous callers never. The guard above and the bulk exports ask it.
pub fn reads_personal_data(caller: &Caller) -> bool {
    match caller {
        Caller::Token(_) => true,
        Caller::Anonymous => false,
    }
}

/// Guards what only a role may do: `UNAUTHENTICATED` without a token, `FORBIDDEN` with a
/// token of another role.
pub struct RoleGuard(pub Role);

impl Guard for RoleGuard {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let actor = caller(ctx).actor()?;
        let allowed = match self.0 {
            Role::Admin => actor.check_admin(),
            Role::Editor => actor.check_editor(),
            Role::Partner => Ok(()),
        };
        allowed.map_err(|denied| ApiError::Forbidden(denied.to_string()).extend())
    }
}

/// Whether a caller may see a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Shown,
    Hidden,
    /// A draft partnership asked for by a partner: shown when the partner's organisation is
    /// one of its parties, which the caller checks against the parties it loads.
    IfParty {
        partnership_id: domain::Id,
    },
    /// A record that belongs to another (`domain::ownership`): shown when its owner is.
    Owned(domain::ownership::Owner),
}

/// Everything is public but draft partnerships: editors and admins see them all, a partner
/// those its organisation is a party to (`Actor::check_party`), anonymous callers none.
pub trait Visible {
    fn visibility(&self, caller: &Caller) -> Visibility;

    /// What this record is, as an owner of other records (a partnership, a report, an
    /// initiative, an event): once it is shown, so are they.
    fn as_owner(&self) -> Option<domain::ownership::Owner> {
        None
    }
}

/// The visibility of a record that belongs to `owner`: shown at once to callers who see every
/// draft, or when it belongs to the directory; otherwise as its owner.
fn owned_by(owner: domain::ownership::Owner, caller: &Caller) -> Visibility {
    match (owner, drafts(caller)) {
        (domain::ownership::Owner::Directory, _) | (_, DraftScope::All) => Visibility::Shown,
        (owner, _) => Visibility::Owned(owner),
    }
}

/// Records that may belong to something (`domain::ownership::Owned`), by their record type:
/// once one is shown, so are the records that belong to it.
macro_rules! owned {
    ($($type:ty => $kind:ident),* $(,)?) => {
        $(impl Visible for $type {
            fn visibility(&self, caller: &Caller) -> Visibility {
                owned_by(domain::ownership::Owned::owner(self), caller)
            }

            fn as_owner(&self) -> Option<domain::ownership::Owner> {
                Some(domain::ownership::Owner::Record(
                    domain::source::RecordType::$kind,
                    self.id,
                ))
            }
        })*
    };
}

owned!(
    domain::partnership::Party => PartnershipParty,
    domain::partnership::Signatory => Signatory,
    domain::partnership::Domain => PartnershipDomain,
    domain::partnership::Commitment => Commitment,
    domain::partnership::FollowUp => FollowUp,
    domain::partnership::Report => Report,
    domain::partnership::Indicator => Indicator,
    domain::event::Event => Event,
    domain::event::EventParticipant => EventParticipant,
    domain::initiative::Initiative => Initiative,
    domain::initiative::InitiativeOrganisation => InitiativeOrganisation,
    domain::initiative::Outcome => Outcome,
    domain::initiative::Lesson => Lesson,
    domain::source::Citation => Citation,
    domain::person::Statement => Statement,
);

macro_rules! public {
    ($($type:ty),* $(,)?) => {
        $(impl Visible for $type {
            fn visibility(&self, _: &Caller) -> Visibility {
                Visibility::Shown
            }
        })*
    };
}

public!(
    domain::city::City,
    domain::person::Person,
    domain::person::ContactPoint,
    domain::mandate::Mandate,
    domain::organisation::Organisation,
    domain::organisation::OrganisationRelation,
    domain::organisation::StatedFigure,
    domain::membership::Membership,
    domain::group_purchase::GroupPurchase,
    domain::group_purchase::Participation,
    domain::programme::Programme,
    domain::programme::ProgrammeOrganiser,
    domain::programme::SupportComponent,
    domain::programme::Edition,
    domain::programme::Participant,
    domain::award::Award,
    domain::award::Recognition,
    domain::diagnostic::DiagnosticTool,
    domain::peers::Peer,
    domain::diagnostic::Questionnaire,
    domain::diagnostic::Assessment,
    persistence::joining::JoinVerdict,
    domain::theme::Theme,
    domain::source::Source,
    domain::election::Election,
    domain::access::ApiToken,
    domain::access::AuditEvent,
);

impl Visible for domain::partnership::Partnership {
    fn as_owner(&self) -> Option<domain::ownership::Owner> {
        Some(domain::ownership::Owner::Record(
            domain::source::RecordType::Partnership,
            self.id,
        ))
    }

    fn visibility(&self, caller: &Caller) -> Visibility {
        if self.status != domain::partnership::PartnershipStatus::Draft {
            return Visibility::Shown;
        }
        match drafts(caller) {
            DraftScope::None => Visibility::Hidden,
            DraftScope::All => Visibility::Shown,
            DraftScope::OfParty(_) => Visibility::IfParty {
                partnership_id: self.id,
            },
        }
    }
}

/// Which draft partnerships this caller sees (`Actor::draft_scope`).
pub fn drafts(caller: &Caller) -> DraftScope {
    match caller {
        Caller::Anonymous => DraftScope::None,
        Caller::Token(actor) => actor.draft_scope(),
    }
}
