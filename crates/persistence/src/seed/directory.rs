//! Seed records of the directory itself: cities, people, organisations and the relations
//! between them (memberships, mandates, contact points, stated figures).

use domain::organisation::FigureSubject;

use super::*;

impl Loader<'_> {
    pub(super) async fn load_city(&mut self, seed: &CitySeed) -> Result<(), Error> {
        let parent_id = self.optional_id("city", seed.parent.as_deref()).await?;
        let fields = crate::city::CityFields {
            slug: Some(seed.slug.clone()),
            name: Some(seed.name.clone()),
            country: Some(seed.country.clone()),
            subdivisions: Some(seed.subdivisions.clone()),
            official_code: seed.official_code.clone(),
            population: seed.population,
            population_year: seed.population_year,
            website: seed.website.clone(),
            parent_id,
            other_names: Some(seed.other_names.clone()),
            position: seed.latitude.zip(seed.longitude),
        };
        let city = crate::city::create(self.unit, fields)
            .await
            .map_err(|e| self.refused(e))?;
        self.ids.insert(format!("city:{}", seed.slug), city.id);
        self.cite("city", city.id, &seed.facts).await
    }

    pub(super) async fn load_person(&mut self, seed: &PersonSeed) -> Result<(), Error> {
        let fields = crate::person::PersonFields {
            slug: Some(seed.slug.clone()),
            full_name: Some(seed.full_name.clone()),
            given_name: seed.given_name.clone(),
            family_name: seed.family_name.clone(),
            website: seed.website.clone(),
            email: seed.email.clone(),
            phone: seed.phone.clone(),
        };
        let person = crate::person::create(self.unit, fields)
            .await
            .map_err(|e| self.refused(e))?;
        self.ids.insert(format!("person:{}", seed.slug), person.id);
        self.cite("person", person.id, &seed.facts).await
    }

    pub(super) async fn load_organisation(&mut self, seed: &OrganisationSeed) -> Result<(), Error> {
        let headquarters_city_id = self
            .optional_id("city", seed.headquarters.as_deref())
            .await?;
        let owning_city_id = self
            .optional_id("city", seed.owning_city.as_deref())
            .await?;
        let parent_id = self
            .optional_id("organisation", seed.parent.as_deref())
            .await?;
        let fields = crate::organisation::OrganisationFields {
            slug: Some(seed.slug.clone()),
            name: Some(seed.name.clone()),
            acronym: seed.acronym.clone(),
            kind: Some(seed.kind),
            kind_detail: seed.kind_detail.clone(),
            description: seed.description.clone(),
            founded: seed.founded,
            website: seed.website.clone(),
            country: seed.country.clone(),
            subdivision: seed.subdivision.clone(),
            official_code: seed.official_code.clone(),
            headquarters_city_id,
            owning_city_id,
            parent_id,
            name_is_descriptive: Some(seed.name_is_descriptive),
            other_names: Some(seed.other_names.clone()),
            missions: Some(seed.missions.clone()),
            themes: Some(seed.themes.clone()),
        };
        let row = crate::organisation::create(self.unit, fields)
            .await
            .map_err(|e| self.refused(e))?;
        self.ids
            .insert(format!("organisation:{}", seed.slug), row.id);
        self.cite("organisation", row.id, &seed.facts).await
    }

    pub(super) async fn load_relation(&mut self, seed: &RelationSeed) -> Result<(), Error> {
        let new = crate::organisation_relation::NewRelation {
            from_organisation_id: self.id("organisation", &seed.from).await?,
            to_organisation_id: self.id("organisation", &seed.to).await?,
            kind: seed.kind,
            start: seed.start,
            end: seed.end,
        };
        let relation = crate::organisation_relation::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        self.cite("organisation_relation", relation.id, &seed.facts)
            .await
    }

    pub(super) async fn load_mandate(&mut self, seed: &MandateSeed) -> Result<(), Error> {
        let person_id = self.id("person", &seed.person).await?;
        let city_id = self.optional_id("city", seed.city.as_deref()).await?;
        let organisation_id = self
            .optional_id("organisation", seed.organisation.as_deref())
            .await?;
        let post = match (city_id, organisation_id) {
            (Some(city), None) => domain::mandate::Post::City(city),
            (None, Some(organisation)) => domain::mandate::Post::Organisation(organisation),
            _ => {
                return Err(self.error(format!(
                    "a mandate of {} is held in a city or an organisation",
                    seed.person
                )));
            }
        };
        let new = crate::mandate::NewMandate {
            person_id,
            post,
            role: seed.role,
            title: seed.title.clone(),
            start: seed.start,
            end: seed.end,
            succeeds: None,
        };
        let row = crate::mandate::start(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        let post = seed
            .city
            .as_deref()
            .or(seed.organisation.as_deref())
            .unwrap_or_default();
        self.ids
            .insert(format!("mandate:{}@{post}", seed.person), row.id);
        for day in &seed.attested_on {
            crate::mandate::attest(self.unit, row.id, *day, self.source_id)
                .await
                .map_err(|e| self.refused(e))?;
        }
        self.cite("mandate", row.id, &seed.facts).await
    }

    pub(super) async fn load_contact(&mut self, seed: &ContactSeed) -> Result<(), Error> {
        let new = crate::contact_point::NewContactPoint {
            organisation_id: self.id("organisation", &seed.organisation).await?,
            person_id: self.optional_id("person", seed.person.as_deref()).await?,
            role: seed.role,
            phone: seed.phone.clone(),
            phone_kind: seed.phone_kind,
            email: seed.email.clone(),
            email_redacted: seed.email_redacted,
            source_id: Some(self.source_id),
        };
        let contact = crate::contact_point::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        self.cite("contact_point", contact.id, &seed.facts).await
    }

    pub(super) async fn load_membership(&mut self, seed: &MembershipSeed) -> Result<(), Error> {
        let organisation_id = self.id("organisation", &seed.organisation).await?;
        let member_city_id = self
            .optional_id("city", seed.member_city.as_deref())
            .await?;
        let member_organisation_id = self
            .optional_id("organisation", seed.member_organisation.as_deref())
            .await?;
        let member = match (member_city_id, member_organisation_id) {
            (Some(city), None) => domain::membership::Member::City(city),
            (None, Some(organisation)) => domain::membership::Member::Organisation(organisation),
            _ => {
                return Err(self.error(format!(
                    "a member of {} is a city or an organisation",
                    seed.organisation
                )));
            }
        };
        let new = crate::membership::NewMembership {
            organisation_id,
            member,
            kind: seed.kind,
            start: seed.start,
            end: seed.end,
        };
        let membership = crate::membership::add(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        self.cite("membership", membership.id, &seed.facts).await
    }

    pub(super) async fn load_figure(&mut self, seed: &FigureSeed) -> Result<(), Error> {
        let Some(organisation) = &seed.organisation else {
            return Err(self.error(format!("figure {:?} names no organisation", seed.measure)));
        };
        let organisation_id = self.id("organisation", organisation).await?;
        self.insert_figure(seed, FigureSubject::Organisation(organisation_id))
            .await
    }

    /// Stores a stated figure about `subject`, citing this file's source.
    pub(super) async fn insert_figure(
        &mut self,
        seed: &FigureSeed,
        subject: FigureSubject,
    ) -> Result<(), Error> {
        let new = crate::stated_figure::NewFigure {
            subject,
            measure: seed.measure.clone(),
            value: seed.value,
            unit: seed.unit.clone(),
            qualifier: seed.qualifier,
            as_of: seed.as_of,
            source_id: Some(self.source_id),
            note: seed.note.clone(),
        };
        let figure = crate::stated_figure::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        self.cite("stated_figure", figure.id, &seed.facts).await
    }
}
