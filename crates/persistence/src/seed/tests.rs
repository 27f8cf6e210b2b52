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
