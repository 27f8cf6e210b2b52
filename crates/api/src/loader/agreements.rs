//! The relations of agreements: partnerships and their parties, signatories, domains,
//! commitments and follow-ups, and group purchases and their participations.

use domain::group_purchase::{GroupPurchase, Participation};
use domain::partnership::{Commitment, Domain, FollowUp, Partnership, Party, Signatory};
use domain::person::Statement;
use domain::theme::Theme;
use persistence::by_parent;

use crate::loader::relation::relation;
use crate::loader::with_actors::relation_with_actors;

relation!(/// Partnerships a city takes part in.
    PartnershipsOfCity => Partnership, by_parent::partnerships_of_cities);
relation!(/// Partnerships an organisation takes part in.
    PartnershipsOfOrganisation => Partnership, by_parent::partnerships_of_organisations);
// Not joined to their cities and organisations (see `relation_with_actors!`).
relation!(/// Parties of a partnership.
    PartiesOfPartnership => Party, by_parent::parties_of_partnerships);
relation!(/// Signatories of a partnership.
    SignatoriesOfPartnership => Signatory, by_parent::signatories_of_partnerships);
relation!(/// Signatures of a person.
    SignaturesOfPerson => Signatory, by_parent::signatures_of_people);
relation!(/// Priority domains of a partnership.
    DomainsOfPartnership => Domain, by_parent::domains_of_partnerships);
relation!(/// Commitments of a partnership.
    CommitmentsOfPartnership => Commitment, by_parent::commitments_of_partnerships);
relation!(/// Commitments of a priority domain.
    CommitmentsOfDomain => Commitment, by_parent::commitments_of_domains);
relation!(/// Follow-up of a partnership.
    FollowUpsOfPartnership => FollowUp, by_parent::follow_ups_of_partnerships);
relation!(/// Statements about a partnership.
    StatementsAboutPartnership => Statement, by_parent::statements_about_partnerships);
relation!(/// Themes of a partnership.
    ThemesOfPartnership => Theme, by_parent::themes_of_partnerships);
relation!(/// Themes of a priority domain.
    ThemesOfDomain => Theme, by_parent::themes_of_domains);
relation!(/// Partnerships of a theme.
    PartnershipsOfTheme => Partnership, by_parent::partnerships_of_themes);
relation!(/// Group purchases an organisation organises.
    GroupPurchasesOrganisedBy => GroupPurchase, by_parent::group_purchases_organised_by);
relation!(/// Group purchases that came out of a partnership.
    GroupPurchasesFromPartnership => GroupPurchase, by_parent::group_purchases_from_partnerships);
relation!(/// Participations in a group purchase.
    ParticipationsInGroupPurchase => Participation, by_parent::participations_in_group_purchases);
relation!(/// Participations of a city.
    ParticipationsOfCity => Participation, by_parent::participations_of_cities);
relation!(/// Themes of a group purchase.
    ThemesOfGroupPurchase => Theme, by_parent::themes_of_group_purchases);
relation!(/// Group purchases of a theme.
    GroupPurchasesOfTheme => GroupPurchase, by_parent::group_purchases_of_themes);

relation_with_actors!(/// Parties of a partnership, with their cities and organisations.
    PartiesWithActorsOfPartnership => Party, by_parent::parties_of_partnerships, |party| party.actor);
