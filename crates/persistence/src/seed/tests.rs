//! The seed loader on a real SQLite file: idempotent, all or nothing per file, decoding every
//! entity by position.

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
        election,
        verification,
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

    // Five documents, the taxonomy, the election calendar and the example questionnaire.
    assert_eq!(first.loaded.len(), 8);
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

/// A seed file's records are verified by its source: on its publication day when it has one,
/// when they are loaded when it has none; citations are the evidence, not verified facts.
#[tokio::test]
async fn seeded_records_are_verified_by_their_source() {
    let (db, folder) = fresh_db("verified").await;
    let before = chrono::Utc::now().date_naive();
    load_folder(&db, &seed_folder()).await.unwrap();

    let terrebonne = crate::by_slug::<domain::city::City>(&db, "terrebonne")
        .await
        .unwrap()
        .unwrap();
    let found =
        crate::freshness::of_records(&db, domain::source::RecordType::City, &[terrebonne.id])
            .await
            .unwrap();
    let verification = found[&terrebonne.id].verification.clone().unwrap();
    assert_eq!(verification.verified_on.to_string(), "2023-11-28");
    assert_eq!(
        verification.verified_by,
        "seed 004-terrebonne-namur-protocole.toml"
    );
    assert!(verification.source_id.is_some());

    let argenteuil = crate::by_slug::<domain::city::City>(&db, "argenteuil")
        .await
        .unwrap()
        .unwrap();
    let found =
        crate::freshness::of_records(&db, domain::source::RecordType::City, &[argenteuil.id])
            .await
            .unwrap();
    let undated = found[&argenteuil.id].verification.clone().unwrap();
    assert!(
        undated.verified_on >= before,
        "an undated source verifies at load"
    );

    let citations = count(&db, "citation").await;
    let verified = count(&db, "verification").await;
    assert!(verified > 100, "{verified} verifications");
    let cited = sea_orm::ConnectionTrait::query_one_raw(
        db.conn(),
        sea_orm::Statement::from_string(
            db.conn().get_database_backend(),
            "SELECT COUNT(*) AS n FROM verification WHERE record_type = 'citation'".to_owned(),
        ),
    )
    .await
    .unwrap()
    .unwrap()
    .try_get::<i64>("", "n")
    .unwrap();
    assert!(citations > 0 && cited == 0);
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

/// The editors' queue (SQL) and the domain's rule agree on every seeded mandate: the queue
/// lists exactly those `domain::freshness::staleness` calls stale, oldest verification first.
#[tokio::test]
async fn the_stale_queue_lists_what_the_domain_rule_calls_stale() {
    use domain::source::RecordType;
    let (db, folder) = fresh_db("stale").await;
    load_folder(&db, &seed_folder()).await.unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    let request = crate::page::PageRequest {
        limit: 100,
        ..Default::default()
    };

    let page = crate::freshness::stale_page(&db, &Default::default(), today, &request)
        .await
        .unwrap();

    let listed: Vec<i32> = page.items.iter().map(|(_, m)| m.id).collect();
    let days: Vec<String> = page
        .items
        .iter()
        .map(|(cursor, _)| match &cursor.value {
            crate::page::SortValue::Text(day) => day.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    let elections = crate::election::all(&db).await.unwrap();
    assert_eq!(elections.len(), 2);
    let all: Vec<i32> = crate::entity::mandate::Entity::find()
        .all(db.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    let facts = crate::freshness::of_records(&db, RecordType::Mandate, &all)
        .await
        .unwrap();
    let mut stale_by_domain = Vec::new();
    for id in &all {
        let freshness = &facts[id];
        let verified_on = freshness.verification.as_ref().unwrap().verified_on;
        let office = freshness.office.as_ref().unwrap();
        if domain::freshness::staleness(office, verified_on, &elections, today).is_some() {
            stale_by_domain.push(*id);
        }
    }
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, stale_by_domain);
    // The Québec mayors of 2019 and 2023 (Shawinigan, Drummondville, Terrebonne).
    assert_eq!(listed.len(), 3, "{days:?}");

    let french = crate::freshness::StaleFilter {
        country: Some("FR".into()),
        ..Default::default()
    };
    let none = crate::freshness::stale_page(&db, &french, today, &request)
        .await
        .unwrap();
    assert!(
        none.items.is_empty(),
        "the French mayors were verified at load"
    );
    let _ = std::fs::remove_dir_all(folder);
}
