//! The seed dataset: one TOML file per source document, loaded idempotently.
//!
//! Each file describes one source and the records its facts support; records refer to each
//! other by slug (and, inside a partnership, parties by `key`). Every record cites the file's
//! source, once per checklist item (`facts = [...]`) or once for the whole record. A file
//! whose source is already stored is skipped, so `seed` can run at every start; a file is
//! loaded in one transaction, so a bad file leaves nothing behind.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use domain::organisation::FigureSubject;
use domain::{FuzzyDate, Id};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{DatabaseTransaction, EntityTrait, QueryFilter};
use serde::Deserialize;

use crate::entity::*;
use crate::write::{Unit, WriteError};
use crate::{Db, Error};
use domain::access::Actor;

mod collective_action;
use collective_action::{AwardSeed, DiagnosticToolSeed, EventSeed, InitiativeSeed, ProgrammeSeed};

/// What one run of the loader did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Files whose records were loaded now.
    pub loaded: Vec<String>,
    /// Files whose source was already stored.
    pub skipped: Vec<String>,
}

/// Loads every `*.toml` file of `folder`, in name order.
pub async fn load_folder(db: &Db, folder: &Path) -> Result<Report, Error> {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .map_err(|error| seed_error(&folder.display().to_string(), error))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut report = Report::default();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).map_err(|error| seed_error(&name, error))?;
        if load_file(db, &name, &text).await? {
            report.loaded.push(name);
        } else {
            report.skipped.push(name);
        }
    }
    load_questionnaires(db, &folder.join(QUESTIONNAIRES), &mut report).await?;
    Ok(report)
}

/// The folder of the seed folder that holds self-diagnostic questionnaires.
pub const QUESTIONNAIRES: &str = "questionnaires";

/// Loads every questionnaire file of `folder` (if it exists) not loaded yet.
async fn load_questionnaires(db: &Db, folder: &Path, report: &mut Report) -> Result<(), Error> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Ok(());
    };
    let mut files: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    for path in files {
        let name = format!(
            "{QUESTIONNAIRES}/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        let text = std::fs::read_to_string(&path).map_err(|error| seed_error(&name, error))?;
        match crate::diagnostic::load_questionnaire_once(db, &text).await {
            Ok(true) => report.loaded.push(name),
            Ok(false) => report.skipped.push(name),
            Err(crate::write::WriteError::Store(error)) => return Err(error),
            Err(error) => return Err(seed_error(&name, error)),
        }
    }
    Ok(())
}

/// Loads one seed file unless its source is stored already; tells whether it loaded.
pub async fn load_file(db: &Db, name: &str, text: &str) -> Result<bool, Error> {
    let file: SeedFile = toml::from_str(text).map_err(|error| seed_error(name, error))?;
    let exists = source::Entity::find()
        .filter(Expr::col("slug").eq(file.source.slug.as_str()))
        .one(db.conn())
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    // The file's records are written by the operator, named after the file in the audit trail.
    let unit = Unit::begin(db, Actor::operator(format!("seed {name}"))).await?;
    let mut loader = Loader {
        unit: &unit,
        tx: unit.tx(),
        file: name,
        source_id: 0,
        ids: HashMap::new(),
    };
    loader.load(&file).await?;
    unit.commit().await?;
    Ok(true)
}

fn seed_error(file: &str, reason: impl std::fmt::Display) -> Error {
    Error::Seed {
        file: file.to_owned(),
        reason: reason.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The file format.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    source: SourceSeed,
    #[serde(default)]
    theme: Vec<ThemeSeed>,
    #[serde(default)]
    city: Vec<CitySeed>,
    #[serde(default)]
    person: Vec<PersonSeed>,
    #[serde(default)]
    organisation: Vec<OrganisationSeed>,
    #[serde(default)]
    relation: Vec<RelationSeed>,
    #[serde(default)]
    mandate: Vec<MandateSeed>,
    #[serde(default)]
    contact: Vec<ContactSeed>,
    #[serde(default)]
    membership: Vec<MembershipSeed>,
    #[serde(default)]
    figure: Vec<FigureSeed>,
    #[serde(default)]
    partnership: Vec<PartnershipSeed>,
    #[serde(default)]
    statement: Vec<StatementSeed>,
    #[serde(default)]
    group_purchase: Vec<GroupPurchaseSeed>,
    #[serde(default)]
    programme: Vec<ProgrammeSeed>,
    #[serde(default)]
    award: Vec<AwardSeed>,
    #[serde(default)]
    diagnostic_tool: Vec<DiagnosticToolSeed>,
    #[serde(default)]
    event: Vec<EventSeed>,
    #[serde(default)]
    initiative: Vec<InitiativeSeed>,
    /// Facts of this file about records another file defines: `record = "organisation:umq"`.
    #[serde(default)]
    cite: Vec<CiteSeed>,
}

/// A checklist item a record supports: `{ fact = "D004-013", field = "signedOn" }`.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Fact {
    fact: String,
    /// The API field holding the fact; none when the fact is that something is not given.
    field: Option<String>,
    #[serde(default)]
    derived: bool,
    note: Option<String>,
}

#[derive(Deserialize)]
struct CiteSeed {
    record: String,
    #[serde(flatten)]
    fact: Fact,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceSeed {
    slug: String,
    kind: domain::source::SourceKind,
    title: String,
    #[serde(default)]
    title_is_descriptive: bool,
    publisher: Option<String>,
    distributor: Option<String>,
    place: Option<String>,
    published_on: Option<FuzzyDate>,
    language: Option<String>,
    url: Option<String>,
    note: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeSeed {
    slug: String,
    label_fr: String,
    label_en: String,
    parent: Option<String>,
    description: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CitySeed {
    slug: String,
    name: String,
    #[serde(default)]
    other_names: Vec<domain::city::OtherName>,
    country: String,
    #[serde(default)]
    subdivisions: Vec<String>,
    official_code: Option<String>,
    population: Option<i64>,
    population_year: Option<i32>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    website: Option<String>,
    parent: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonSeed {
    slug: String,
    full_name: String,
    given_name: Option<String>,
    family_name: Option<String>,
    website: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationSeed {
    slug: String,
    name: String,
    #[serde(default)]
    name_is_descriptive: bool,
    acronym: Option<String>,
    #[serde(default)]
    other_names: Vec<domain::city::OtherName>,
    kind: domain::organisation::OrganisationKind,
    kind_detail: Option<String>,
    description: Option<String>,
    #[serde(default)]
    missions: Vec<domain::organisation::Mission>,
    founded: Option<FuzzyDate>,
    website: Option<String>,
    country: Option<String>,
    subdivision: Option<String>,
    official_code: Option<String>,
    headquarters: Option<String>,
    owning_city: Option<String>,
    parent: Option<String>,
    #[serde(default)]
    themes: Vec<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationSeed {
    from: String,
    to: String,
    kind: domain::organisation::RelationKind,
    start: Option<FuzzyDate>,
    end: Option<FuzzyDate>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MandateSeed {
    person: String,
    city: Option<String>,
    organisation: Option<String>,
    role: domain::mandate::MandateRole,
    title: String,
    start: Option<FuzzyDate>,
    end: Option<FuzzyDate>,
    #[serde(default)]
    attested_on: Vec<NaiveDate>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactSeed {
    organisation: String,
    person: Option<String>,
    role: domain::person::ContactRole,
    phone: Option<String>,
    phone_kind: Option<domain::person::PhoneKind>,
    email: Option<String>,
    #[serde(default)]
    email_redacted: bool,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MembershipSeed {
    organisation: String,
    member_city: Option<String>,
    member_organisation: Option<String>,
    kind: domain::membership::MembershipKind,
    start: Option<FuzzyDate>,
    end: Option<FuzzyDate>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FigureSeed {
    /// The organisation the figure is about; none for a figure nested in an edition or award.
    organisation: Option<String>,
    measure: String,
    value: f64,
    unit: String,
    qualifier: domain::organisation::Qualifier,
    as_of: Option<NaiveDate>,
    note: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartnershipSeed {
    slug: String,
    title: String,
    #[serde(default)]
    title_is_descriptive: bool,
    kind: domain::partnership::PartnershipKind,
    status: domain::partnership::PartnershipStatus,
    summary: Option<String>,
    #[serde(default)]
    provisions: Vec<domain::partnership::Provision>,
    signed_on: Option<FuzzyDate>,
    signing_place: Option<String>,
    start: Option<FuzzyDate>,
    end: Option<FuzzyDate>,
    continues: Option<String>,
    prior_relationship: Option<String>,
    accession: Option<domain::partnership::Accession>,
    #[serde(default)]
    themes: Vec<String>,
    #[serde(default)]
    facts: Vec<Fact>,
    #[serde(default)]
    party: Vec<PartySeed>,
    #[serde(default)]
    signatory: Vec<SignatorySeed>,
    #[serde(default)]
    domain: Vec<DomainSeed>,
    #[serde(default)]
    commitment: Vec<CommitmentSeed>,
    #[serde(default)]
    follow_up: Vec<FollowUpSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartySeed {
    key: String,
    city: Option<String>,
    organisation: Option<String>,
    role: domain::partnership::PartyRole,
    side_of: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignatorySeed {
    person: String,
    party: String,
    capacity: domain::partnership::SignatoryCapacity,
    title_then: String,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainSeed {
    numeral: Option<String>,
    title: String,
    narrative: Option<String>,
    #[serde(default)]
    themes: Vec<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommitmentSeed {
    /// The numeral of the domain it belongs to, if any.
    domain: Option<String>,
    kind: domain::partnership::CommitmentKind,
    text: String,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FollowUpSeed {
    party: Option<String>,
    body: Option<String>,
    kind: domain::partnership::FollowUpKind,
    frequency: Option<String>,
    description: String,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementSeed {
    person: String,
    title_then: Option<String>,
    text: String,
    about: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupPurchaseSeed {
    slug: String,
    title: String,
    #[serde(default)]
    title_is_descriptive: bool,
    description: Option<String>,
    category: Option<String>,
    organiser: String,
    origin: Option<String>,
    eligibility: Option<domain::group_purchase::Eligibility>,
    status: domain::group_purchase::Status,
    /// The enrolment window.
    tender_start: Option<NaiveDate>,
    tender_end: Option<NaiveDate>,
    #[serde(default)]
    themes: Vec<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

// ---------------------------------------------------------------------------------------------
// Loading.

struct Loader<'a> {
    /// The file's one write unit: records with a write function go through it.
    unit: &'a Unit,
    tx: &'a DatabaseTransaction,
    file: &'a str,
    source_id: Id,
    /// Ids of the records this file made or looked up, by `table:slug`.
    ids: HashMap<String, Id>,
}

impl Loader<'_> {
    fn error(&self, reason: impl std::fmt::Display) -> Error {
        seed_error(self.file, reason)
    }

    /// A write function's refusal, as this file's error; the store failing stays itself.
    fn refused(&self, error: WriteError) -> Error {
        match error {
            WriteError::Store(error) => error,
            refused => self.error(refused),
        }
    }

    /// The id of the record of `table` with this slug: made by this file or stored before.
    async fn id(&mut self, table: &'static str, slug: &str) -> Result<Id, Error> {
        let key = format!("{table}:{slug}");
        if let Some(id) = self.ids.get(&key) {
            return Ok(*id);
        }
        let select = sea_orm::sea_query::Query::select()
            .column("id")
            .from(table)
            .and_where(Expr::col("slug").eq(slug))
            .to_owned();
        let row = sea_orm::ConnectionTrait::query_one(self.tx, &select).await?;
        let id: i32 = match row {
            Some(row) => row.try_get("", "id")?,
            None => return Err(self.error(format!("no {table} has the slug {slug:?}"))),
        };
        self.ids.insert(key, id);
        Ok(id)
    }

    async fn optional_id(
        &mut self,
        table: &'static str,
        slug: Option<&str>,
    ) -> Result<Option<Id>, Error> {
        match slug {
            Some(slug) => Ok(Some(self.id(table, slug).await?)),
            None => Ok(None),
        }
    }

    async fn cite(
        &mut self,
        record_type: &str,
        record_id: Id,
        facts: &[Fact],
    ) -> Result<(), Error> {
        let record_type: domain::source::RecordType = record_type
            .parse()
            .map_err(|_| self.error(format!("records of {record_type:?} cannot be cited")))?;
        let whole_record = [Fact {
            fact: String::new(),
            field: None,
            derived: false,
            note: None,
        }];
        let facts = if facts.is_empty() {
            &whole_record[..]
        } else {
            facts
        };
        for fact in facts {
            let new = crate::citation::NewCitation {
                source_id: self.source_id,
                record_type,
                record_id,
                fact_id: Some(fact.fact.clone()),
                field: fact.field.clone(),
                derived: fact.derived,
                note: fact.note.clone(),
            };
            crate::citation::create(self.unit, new)
                .await
                .map_err(|e| self.refused(e))?;
        }
        Ok(())
    }

    async fn load(&mut self, file: &SeedFile) -> Result<(), Error> {
        self.load_source(&file.source).await?;
        for theme in &file.theme {
            self.load_theme(theme).await?;
        }
        for city in &file.city {
            self.load_city(city).await?;
        }
        for person in &file.person {
            self.load_person(person).await?;
        }
        for organisation in &file.organisation {
            self.load_organisation(organisation).await?;
        }
        for relation in &file.relation {
            self.load_relation(relation).await?;
        }
        for mandate in &file.mandate {
            self.load_mandate(mandate).await?;
        }
        for contact in &file.contact {
            self.load_contact(contact).await?;
        }
        for membership in &file.membership {
            self.load_membership(membership).await?;
        }
        for figure in &file.figure {
            self.load_figure(figure).await?;
        }
        for partnership in &file.partnership {
            self.load_partnership(partnership).await?;
        }
        for statement in &file.statement {
            self.load_statement(statement).await?;
        }
        for group_purchase in &file.group_purchase {
            self.load_group_purchase(group_purchase).await?;
        }
        for programme in &file.programme {
            self.load_programme(programme).await?;
        }
        for initiative in &file.initiative {
            self.load_initiative(initiative).await?;
        }
        for award in &file.award {
            self.load_award(award).await?;
        }
        for tool in &file.diagnostic_tool {
            self.load_diagnostic_tool(tool).await?;
        }
        for event in &file.event {
            self.load_event(event).await?;
        }
        for cite in &file.cite {
            let (table, slug) = cite.record.split_once(':').ok_or_else(|| {
                self.error(format!("cite record {:?} is not table:slug", cite.record))
            })?;
            let table: &'static str = match table {
                "city" => "city",
                "person" => "person",
                "organisation" => "organisation",
                "partnership" => "partnership",
                "theme" => "theme",
                "group_purchase" => "group_purchase",
                "programme" => "programme",
                "award" => "award",
                "diagnostic_tool" => "diagnostic_tool",
                "event" => "event",
                "initiative" => "initiative",
                other => {
                    return Err(self.error(format!("records of {other:?} cannot be cited by slug")));
                }
            };
            let id = self.id(table, slug).await?;
            self.cite(table, id, std::slice::from_ref(&cite.fact))
                .await?;
        }
        Ok(())
    }

    async fn load_source(&mut self, seed: &SourceSeed) -> Result<(), Error> {
        let new = crate::source::NewSource {
            slug: seed.slug.clone(),
            kind: seed.kind,
            title: seed.title.clone(),
            title_is_descriptive: seed.title_is_descriptive,
            publisher: seed.publisher.clone(),
            distributor: seed.distributor.clone(),
            place: seed.place.clone(),
            published_on: seed.published_on,
            language: seed.language.clone(),
            url: seed.url.clone(),
            note: seed.note.clone(),
        };
        let source = crate::source::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        self.source_id = source.id;
        self.ids.insert(format!("source:{}", seed.slug), source.id);
        self.cite("source", source.id, &seed.facts).await
    }

    async fn load_theme(&mut self, seed: &ThemeSeed) -> Result<(), Error> {
        let parent_id = self.optional_id("theme", seed.parent.as_deref()).await?;
        let new = crate::theme::NewTheme {
            slug: seed.slug.clone(),
            label_fr: seed.label_fr.clone(),
            label_en: seed.label_en.clone(),
            parent_id,
            description: seed.description.clone(),
        };
        let theme = crate::theme::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        self.ids.insert(format!("theme:{}", seed.slug), theme.id);
        self.cite("theme", theme.id, &seed.facts).await
    }

    async fn load_city(&mut self, seed: &CitySeed) -> Result<(), Error> {
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

    async fn load_person(&mut self, seed: &PersonSeed) -> Result<(), Error> {
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

    async fn load_organisation(&mut self, seed: &OrganisationSeed) -> Result<(), Error> {
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

    async fn load_relation(&mut self, seed: &RelationSeed) -> Result<(), Error> {
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

    async fn load_mandate(&mut self, seed: &MandateSeed) -> Result<(), Error> {
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

    async fn load_contact(&mut self, seed: &ContactSeed) -> Result<(), Error> {
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

    async fn load_membership(&mut self, seed: &MembershipSeed) -> Result<(), Error> {
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

    async fn load_figure(&mut self, seed: &FigureSeed) -> Result<(), Error> {
        let Some(organisation) = &seed.organisation else {
            return Err(self.error(format!("figure {:?} names no organisation", seed.measure)));
        };
        let organisation_id = self.id("organisation", organisation).await?;
        self.insert_figure(seed, FigureSubject::Organisation(organisation_id))
            .await
    }

    /// Stores a stated figure about `subject`, citing this file's source.
    async fn insert_figure(
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

    async fn load_partnership(&mut self, seed: &PartnershipSeed) -> Result<(), Error> {
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

    async fn load_statement(&mut self, seed: &StatementSeed) -> Result<(), Error> {
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
    async fn load_group_purchase(&mut self, seed: &GroupPurchaseSeed) -> Result<(), Error> {
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use migrations::MigratorTrait;

    use super::*;

    async fn fresh_db(name: &str) -> (Db, PathBuf) {
        let folder = std::env::temp_dir().join(format!(
            "partner-directory-seed-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let db = Db::connect(&format!(
            "sqlite://{}?mode=rwc",
            folder.join("db.sqlite").display()
        ))
        .await
        .unwrap();
        db.migrate().await.unwrap();
        (db, folder)
    }

    fn seed_folder() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../seed")
    }

    async fn count(db: &Db, table: &str) -> i64 {
        let row = sea_orm::ConnectionTrait::query_one_raw(
            db.conn(),
            sea_orm::Statement::from_string(
                db.conn().get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ),
        )
        .await
        .unwrap()
        .unwrap();
        row.try_get("", "n").unwrap()
    }

    /// Every row of `E`'s table decoded by position equals the row SeaORM decodes by name.
    async fn decodes_by_position<
        E: sea_orm::EntityTrait<Model: crate::entity::FromRowAt + PartialEq>,
    >(
        db: &Db,
        entity: E,
    ) -> usize {
        use crate::entity::FromRowAt;
        use sea_orm::{ConnectionTrait, QueryTrait};
        let by_name = E::find().all(db.conn()).await.unwrap();
        let statement = E::find().build(db.conn().get_database_backend());
        let rows = db.conn().query_all_raw(statement).await.unwrap();
        let by_position: Vec<E::Model> = rows
            .iter()
            .map(|row| E::Model::from_row_at(row, 0).unwrap())
            .collect();
        assert_eq!(by_position, by_name, "{}", entity.table_name());
        by_name.len()
    }

    #[tokio::test]
    async fn every_entity_decodes_by_column_position_as_by_name() {
        use crate::entity::*;
        let (db, folder) = fresh_db("positions").await;
        load_folder(&db, &seed_folder()).await.unwrap();
        let mut tables_with_rows = 0;
        macro_rules! compare {
            ($($entity:ident),* $(,)?) => {
                $(tables_with_rows += usize::from(decodes_by_position(&db, $entity::Entity).await > 0);)*
            };
        }
        compare!(
            source,
            theme,
            city,
            person,
            organisation,
            organisation_relation,
            mandate,
            mandate_attestation,
            contact_point,
            membership,
            stated_figure,
            partnership,
            partnership_party,
            signatory,
            partnership_domain,
            commitment,
            follow_up,
            statement,
            group_purchase,
            participation,
            programme,
            programme_organiser,
            programme_support,
            programme_edition,
            programme_participant,
            award,
            recognition,
            diagnostic_tool,
            event,
            initiative,
            initiative_organisation,
            outcome,
            lesson,
            questionnaire,
            assessment,
            partnership_report,
            report_indicator,
            event_participant,
            citation,
            api_token,
            audit_event,
        );
        // The seed fills most tables: the comparison is not over empty ones.
        assert!(
            tables_with_rows >= 30,
            "{tables_with_rows} tables with rows"
        );
        let _ = std::fs::remove_dir_all(folder);
    }

    #[tokio::test]
    async fn loading_the_seed_twice_loads_nothing_the_second_time() {
        let (db, folder) = fresh_db("twice").await;

        let first = load_folder(&db, &seed_folder()).await.unwrap();
        let cities = count(&db, "city").await;
        let citations = count(&db, "citation").await;
        let second = load_folder(&db, &seed_folder()).await.unwrap();

        // Six documents and the example questionnaire.
        assert_eq!(first.loaded.len(), 7);
        assert!(
            first
                .loaded
                .iter()
                .any(|f| f.starts_with("questionnaires/"))
        );
        assert!(first.skipped.is_empty());
        assert!(second.loaded.is_empty());
        assert_eq!(second.skipped, first.loaded);
        assert_eq!(count(&db, "city").await, cities);
        assert_eq!(count(&db, "citation").await, citations);
        assert_eq!(count(&db, "questionnaire").await, 1);
        let _ = std::fs::remove_dir_all(folder);
    }

    #[tokio::test]
    async fn a_file_that_names_an_unknown_record_leaves_nothing_behind() {
        let (db, folder) = fresh_db("broken").await;
        let broken = r#"
            [source]
            slug = "broken"
            kind = "other"
            title = "Broken"

            [[city]]
            slug = "somewhere"
            name = "Somewhere"
            country = "FR"

            [[mandate]]
            person = "nobody"
            city = "somewhere"
            role = "mayor"
            title = "maire"
        "#;

        let error = load_file(&db, "broken.toml", broken).await.unwrap_err();

        assert!(error.to_string().contains("nobody"), "{error}");
        assert_eq!(count(&db, "source").await, 0, "the source was rolled back");
        assert_eq!(count(&db, "city").await, 0, "the city was rolled back");
        let _ = std::fs::remove_dir_all(folder);
    }

    #[tokio::test]
    async fn a_malformed_value_is_refused_with_its_file_named() {
        let (db, folder) = fresh_db("malformed").await;
        let malformed = "[source]\nslug = \"x\"\nkind = \"rumour\"\ntitle = \"X\"\n";

        let error = load_file(&db, "malformed.toml", malformed)
            .await
            .unwrap_err();

        assert!(
            error.to_string().starts_with("seed file malformed.toml"),
            "{error}"
        );
        assert!(error.to_string().contains("rumour"), "{error}");
        let _ = std::fs::remove_dir_all(folder);
    }

    #[tokio::test]
    async fn migrations_go_down_and_up_again() {
        let (db, folder) = fresh_db("down").await;
        let schema = db.schema_connection().await.unwrap();
        migrations::Migrator::down(&schema, None).await.unwrap();
        migrations::Migrator::up(&schema, None).await.unwrap();
        schema.close().await.unwrap();
        assert_eq!(count(&db, "city").await, 0);
        let _ = std::fs::remove_dir_all(folder);
    }
}
