//! The seed dataset: one TOML file per source document, loaded idempotently.
//!
//! Each file describes one source and the records its facts support; records refer to each
//! other by slug (and, inside a partnership, parties by `key`). Every record cites the file's
//! source, once per checklist item (`facts = [...]`) or once for the whole record. A file
//! whose source is already stored is skipped, so `seed` can run at every start; a file is
//! loaded in one transaction, so a bad file leaves nothing behind.

use std::collections::HashMap;
use std::path::Path;

use domain::Id;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{DatabaseTransaction, EntityTrait, QueryFilter};

use crate::entity::*;
use crate::{Db, Error};
use domain::access::Actor;

mod agreements;
mod collective_action;
mod directory;
mod file;
use crate::write::{Unit, WriteError};
use file::*;

/// What one run of the loader did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedSummary {
    /// Files whose records were loaded now.
    pub loaded: Vec<String>,
    /// Files whose source was already stored.
    pub skipped: Vec<String>,
}

/// Loads every `*.toml` file of `folder`, in name order.
pub async fn load_folder(db: &Db, folder: &Path) -> Result<SeedSummary, Error> {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .map_err(|error| seed_error(&folder.display().to_string(), error))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut summary = SeedSummary::default();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).map_err(|error| seed_error(&name, error))?;
        if load_file(db, &name, &text).await? {
            summary.loaded.push(name);
        } else {
            summary.skipped.push(name);
        }
    }
    load_questionnaires(db, &folder.join(QUESTIONNAIRES), &mut summary).await?;
    Ok(summary)
}

/// The folder of the seed folder that holds self-diagnostic questionnaires.
pub const QUESTIONNAIRES: &str = "questionnaires";

/// Loads every questionnaire file of `folder` (if it exists) not loaded yet.
async fn load_questionnaires(
    db: &Db,
    folder: &Path,
    summary: &mut SeedSummary,
) -> Result<(), Error> {
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
            Ok(true) => summary.loaded.push(name),
            Ok(false) => summary.skipped.push(name),
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
    // The file's records are as its source says: verified on its publication day (the first
    // day a date known only to the month or year can mean), or else now, when it is loaded.
    let verified_at = file
        .source
        .published_on
        .map(|published| crate::freshness::start_of(published.earliest()))
        .unwrap_or_else(|| unit.now());
    crate::freshness::verify_created(&unit, loader.source_id, verified_at).await?;
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
        for election in &file.election {
            self.load_election(election).await?;
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
            details: crate::source::SourceDetails {
                publisher: seed.publisher.clone(),
                distributor: seed.distributor.clone(),
                place: seed.place.clone(),
                published_on: seed.published_on,
                language: seed.language.clone(),
                url: seed.url.clone(),
                note: seed.note.clone(),
            },
        };
        let source = crate::source::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        self.source_id = source.id;
        self.ids.insert(format!("source:{}", seed.slug), source.id);
        self.cite("source", source.id, &seed.facts).await
    }

    async fn load_election(&mut self, seed: &ElectionSeed) -> Result<(), Error> {
        let new = crate::election::NewElection {
            country: seed.country.clone(),
            subdivision: seed.subdivision.clone(),
            kind: seed.kind,
            first_round: seed.first_round,
            second_round: seed.second_round,
        };
        let election = crate::election::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        self.cite("election", election.id, &seed.facts).await
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
}

#[cfg(test)]
mod tests;
