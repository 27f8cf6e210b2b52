//! Seed records of agreements and what comes of them: partnerships with their parts,
//! statements about them, and group purchases.

use super::*;

impl Loader<'_> {
    pub(super) async fn load_partnership(&mut self, seed: &PartnershipSeed) -> Result<(), Error> {
        use crate::partnership::{NewPart, NewParty, NewSignatory, PartnershipFields};

        let fields = PartnershipFields {
            slug: Some(seed.slug.clone()),
            title: Some(seed.title.clone()),
            title_is_descriptive: Some(seed.title_is_descriptive),
            kind: Some(seed.kind),
            status: Some(seed.status),
            summary: seed.summary.clone(),
            signed_on: seed.signed_on,
            signing_place_city_id: self
                .optional_id("city", seed.signing_place.as_deref())
                .await?,
            start: seed.start,
            end: seed.end,
            prior_relationship: seed.prior_relationship.clone(),
            themes: Some(seed.themes.clone()),
            provisions: Some(seed.provisions.clone()),
            continues_id: self
                .optional_id("partnership", seed.continues.as_deref())
                .await?,
            accession: seed.accession,
        };
        let mut parties = Vec::new();
        for party in &seed.party {
            let city_id = self.optional_id("city", party.city.as_deref()).await?;
            let organisation_id = self
                .optional_id("organisation", party.organisation.as_deref())
                .await?;
            let actor = match (city_id, organisation_id) {
                (Some(city), None) => domain::membership::Member::City(city),
                (None, Some(organisation)) => {
                    domain::membership::Member::Organisation(organisation)
                }
                _ => {
                    return Err(
                        self.error(format!("party {} is a city or an organisation", party.key))
                    );
                }
            };
            parties.push(NewParty {
                key: party.key.clone(),
                actor,
                role: party.role,
                side_of: party.side_of.clone(),
            });
        }
        let mut signatories = Vec::new();
        for signatory in &seed.signatory {
            signatories.push(NewSignatory {
                person_id: self.id("person", &signatory.person).await?,
                party_key: signatory.party.clone(),
                capacity: signatory.capacity,
                title_then: signatory.title_then.clone(),
            });
        }
        let new = crate::partnership::NewPartnership {
            fields,
            parties,
            signatories,
            commitments: Vec::new(),
        };
        let created = crate::partnership::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        let partnership_id = created.partnership.id;
        self.ids
            .insert(format!("partnership:{}", seed.slug), partnership_id);
        self.cite("partnership", partnership_id, &seed.facts)
            .await?;
        let keys: HashMap<&str, Id> = seed
            .party
            .iter()
            .map(|party| party.key.as_str())
            .zip(created.party_ids.iter().copied())
            .collect();
        for (party, id) in seed.party.iter().zip(&created.party_ids) {
            self.cite("partnership_party", *id, &party.facts).await?;
        }
        for (signatory, id) in seed.signatory.iter().zip(&created.signatory_ids) {
            self.cite("signatory", *id, &signatory.facts).await?;
        }

        let mut domains: HashMap<&str, Id> = HashMap::new();
        for domain_seed in &seed.domain {
            let part = NewPart::Domain {
                numeral: domain_seed.numeral.clone(),
                title: domain_seed.title.clone(),
                narrative: domain_seed.narrative.clone(),
                themes: domain_seed.themes.clone(),
            };
            let id = self.add_part(partnership_id, part).await?;
            if let Some(numeral) = &domain_seed.numeral {
                domains.insert(numeral, id);
            }
            self.cite("partnership_domain", id, &domain_seed.facts)
                .await?;
        }
        for commitment in &seed.commitment {
            let domain_id = match &commitment.domain {
                Some(numeral) => Some(
                    *domains
                        .get(numeral.as_str())
                        .ok_or_else(|| self.error(format!("no domain {numeral}")))?,
                ),
                None => None,
            };
            let part = NewPart::Commitment {
                domain_id,
                kind: commitment.kind,
                text: commitment.text.clone(),
            };
            let id = self.add_part(partnership_id, part).await?;
            self.cite("commitment", id, &commitment.facts).await?;
        }
        for follow_up in &seed.follow_up {
            let party_id = match &follow_up.party {
                Some(key) => Some(
                    *keys
                        .get(key.as_str())
                        .ok_or_else(|| self.error(format!("no party {key}")))?,
                ),
                None => None,
            };
            let part = NewPart::FollowUp {
                party_id,
                body_organisation_id: self
                    .optional_id("organisation", follow_up.body.as_deref())
                    .await?,
                kind: follow_up.kind,
                frequency: follow_up.frequency.clone(),
                description: follow_up.description.clone(),
            };
            let id = self.add_part(partnership_id, part).await?;
            self.cite("follow_up", id, &follow_up.facts).await?;
        }
        Ok(())
    }

    /// Adds a part to a partnership this file created.
    async fn add_part(
        &self,
        partnership_id: Id,
        part: crate::partnership::NewPart,
    ) -> Result<Id, Error> {
        crate::partnership::insert_part(self.unit, partnership_id, part)
            .await
            .map_err(|e| self.refused(e))
    }

    pub(super) async fn load_statement(&mut self, seed: &StatementSeed) -> Result<(), Error> {
        let new = crate::statement::NewStatement {
            person_id: self.id("person", &seed.person).await?,
            title_then: seed.title_then.clone(),
            text: seed.text.clone(),
            about_partnership_id: self
                .optional_id("partnership", seed.about.as_deref())
                .await?,
            source_id: Some(self.source_id),
        };
        let statement = crate::statement::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        self.cite("statement", statement.id, &seed.facts).await
    }

    /// A purchase goes through its lifecycle as it would through the API: created proposed or
    /// planned, then opened (with its window), closed, awarded, completed or cancelled, one
    /// step at a time, each checked.
    pub(super) async fn load_group_purchase(
        &mut self,
        seed: &GroupPurchaseSeed,
    ) -> Result<(), Error> {
        use crate::group_purchase::Step;
        use domain::group_purchase::Status;

        let created_as = match seed.status {
            Status::Proposed => Status::Proposed,
            _ => Status::Planned,
        };
        let window = seed.tender_start.is_some() || seed.tender_end.is_some();
        if window && matches!(seed.status, Status::Proposed | Status::Planned) {
            return Err(self.error(format!(
                "group purchase {}: a window is set when the purchase opens",
                seed.slug
            )));
        }
        let new = crate::group_purchase::NewGroupPurchase {
            slug: seed.slug.clone(),
            title: seed.title.clone(),
            title_is_descriptive: seed.title_is_descriptive,
            description: seed.description.clone(),
            category: seed.category.clone(),
            organiser_id: self.id("organisation", &seed.organiser).await?,
            origin_partnership_id: self
                .optional_id("partnership", seed.origin.as_deref())
                .await?,
            eligibility: seed.eligibility,
            status: created_as,
            estimated_value: None,
            currency: None,
            themes: seed.themes.clone(),
        };
        let mut purchase = crate::group_purchase::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        let open = Step::Open {
            opens: seed.tender_start,
            deadline: seed.tender_end,
        };
        let steps = match seed.status {
            Status::Proposed | Status::Planned => vec![],
            Status::Open => vec![open],
            Status::Closed => vec![open, Step::Close],
            // Awarding names a supplier, which seed files do not record.
            Status::Awarded | Status::Completed => {
                return Err(self.error(format!(
                    "group purchase {}: {}",
                    seed.slug,
                    domain::group_purchase::StepError::SupplierNeeded
                )));
            }
            Status::Cancelled => vec![Step::Cancel],
        };
        for step in steps {
            purchase =
                crate::group_purchase::step(self.unit, purchase.id, purchase.stamp.version, step)
                    .await
                    .map_err(|e| self.refused(e))?;
        }
        self.ids
            .insert(format!("group_purchase:{}", seed.slug), purchase.id);
        self.cite("group_purchase", purchase.id, &seed.facts).await
    }
}
