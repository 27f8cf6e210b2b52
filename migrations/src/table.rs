//! What every migration builds tables with: the record columns, link tables, foreign keys
//! and named indexes, so that each table follows the same conventions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// A record table: id, timestamps and version, then the given columns.
pub(crate) fn record(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(pk_auto("id"))
        .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
        .col(timestamp_with_time_zone("updated_at").default(Expr::current_timestamp()))
        .col(integer("version").default(1))
        .to_owned()
}

/// A link table of two foreign keys, whose pair is the primary key.
pub(crate) fn link(
    name: &'static str,
    left: (&'static str, &'static str),
    right: (&'static str, &'static str),
) -> TableCreateStatement {
    let mut table = Table::create().table(name).to_owned();
    table
        .col(integer(left.0))
        .col(integer(right.0))
        .primary_key(Index::create().col(left.0).col(right.0));
    foreign_key(&mut table, name, left.0, left.1);
    foreign_key(&mut table, name, right.0, right.1);
    table
}

pub(crate) fn foreign_key(
    table: &mut TableCreateStatement,
    from: &'static str,
    column: &'static str,
    to: &'static str,
) {
    table.foreign_key(
        ForeignKey::create()
            .name(format!("fk_{from}_{column}"))
            .from(from, column)
            .to(to, "id")
            .on_delete(ForeignKeyAction::Cascade),
    );
}

/// A nullable foreign key: deleting the target leaves the reference empty.
pub(crate) fn optional_key(
    table: &mut TableCreateStatement,
    from: &'static str,
    column: &'static str,
    to: &'static str,
) {
    table.foreign_key(
        ForeignKey::create()
            .name(format!("fk_{from}_{column}"))
            .from(from, column)
            .to(to, "id")
            .on_delete(ForeignKeyAction::SetNull),
    );
}

pub(crate) async fn index(
    m: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&'static str],
) -> Result<(), DbErr> {
    let mut statement = Index::create()
        .name(format!("ix_{table}_{}", columns.join("_")))
        .table(table)
        .to_owned();
    for column in columns {
        statement.col(*column);
    }
    m.create_index(statement).await
}

pub(crate) async fn unique(
    m: &SchemaManager<'_>,
    name: &str,
    table: &'static str,
    columns: &[&'static str],
) -> Result<(), DbErr> {
    let mut statement = Index::create().name(name).table(table).unique().to_owned();
    for column in columns {
        statement.col(*column);
    }
    m.create_index(statement).await
}
