//! The relations of the directory's records: cities and their boroughs and mandates, people,
//! organisations and their members, themes, and the citations of sources and records.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use domain::Id;
use domain::city::City;
use domain::mandate::Mandate;
use domain::membership::Membership;
use domain::organisation::{Organisation, OrganisationRelation, StatedFigure};
use domain::person::{ContactPoint, Statement};
use domain::source::Citation;
use domain::theme::Theme;
use persistence::by_parent;

use crate::loader::relation::relation;
use crate::loader::with_actors::relation_with_actors;
use crate::loader::{LoadError, Loaders};

/// A mandate by id, with the attestations that date it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MandateById(pub Id);

impl Loader<MandateById> for Loaders {
    type Value = domain::mandate::Mandate;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[MandateById],
    ) -> Result<HashMap<MandateById, Self::Value>, LoadError> {
        let ids: Vec<Id> = keys.iter().map(|key| key.0).collect();
        let mandates = persistence::mandate::by_ids(&self.db, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(mandates
            .into_iter()
            .map(|(id, mandate)| (MandateById(id), mandate))
            .collect())
    }
}

relation!(/// Boroughs of a city.
    BoroughsOfCity => City, by_parent::boroughs_of_cities);
relation!(/// Mandates held in a city.
    MandatesOfCity => Mandate, persistence::mandate::of_cities);
relation!(/// Mandates held in an organisation.
    MandatesOfOrganisation => Mandate, persistence::mandate::of_organisations);
relation!(/// Mandates a person held.
    MandatesOfPerson => Mandate, persistence::mandate::of_people);
relation!(/// Memberships of a city in organisations.
    MembershipsOfCity => Membership, by_parent::memberships_of_cities_with_organisations);
relation!(/// Memberships of an organisation in other organisations.
    MembershipsOfOrganisation => Membership, by_parent::memberships_of_organisations);
relation!(/// Members of an organisation.
    MembersOfOrganisation => Membership, by_parent::members_of_organisations);
relation!(/// Statements of a person.
    StatementsOfPerson => Statement, by_parent::statements_of_people);
relation!(/// Contact points of an organisation.
    ContactPointsOfOrganisation => ContactPoint, by_parent::contact_points_of_organisations);
relation!(/// Contact points of a person.
    ContactPointsOfPerson => ContactPoint, by_parent::contact_points_of_people);
relation!(/// Stated figures of an organisation.
    FiguresOfOrganisation => StatedFigure, by_parent::figures_of_organisations);
relation!(/// Relations of an organisation with others.
    RelationsOfOrganisation => OrganisationRelation, by_parent::relations_of_organisations);
relation!(/// Organisations whose parent is an organisation.
    SubOrganisations => Organisation, by_parent::sub_organisations);
relation!(/// Departments a city owns.
    DepartmentsOfCity => Organisation, by_parent::departments_of_cities);
relation!(/// Children of a theme.
    ChildrenOfTheme => Theme, by_parent::children_of_themes);
relation!(/// Themes of an organisation.
    ThemesOfOrganisation => Theme, by_parent::themes_of_organisations);
relation!(/// Organisations of a theme.
    OrganisationsOfTheme => Organisation, by_parent::organisations_of_themes);
relation!(/// Citations of a source.
    CitationsOfSource => Citation, by_parent::citations_of_sources);

relation_with_actors!(/// Members of an organisation, with the cities and organisations they are.
    MembersWithActorsOfOrganisation => Membership, by_parent::members_of_organisations, |m| m.member);

/// Citations of one record, by its type and id.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CitationsOfRecord(pub domain::source::RecordType, pub Id);

impl Loader<CitationsOfRecord> for Loaders {
    type Value = Vec<Citation>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[CitationsOfRecord],
    ) -> Result<HashMap<CitationsOfRecord, Vec<Citation>>, LoadError> {
        let mut by_type: HashMap<domain::source::RecordType, Vec<Id>> = HashMap::new();
        for key in keys {
            by_type.entry(key.0).or_default().push(key.1);
        }
        let mut loaded = HashMap::new();
        for (record_type, ids) in by_type {
            let groups = by_parent::citations_of_records(&self.db, record_type, &ids)
                .await
                .map_err(Arc::new)?;
            for id in ids {
                let citations = groups.get(&id).cloned().unwrap_or_default();
                loaded.insert(CitationsOfRecord(record_type, id), citations);
            }
        }
        Ok(loaded)
    }
}
