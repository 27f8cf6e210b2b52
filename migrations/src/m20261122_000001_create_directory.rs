//! The core directory: sources and citations, themes, places, people and mandates,
//! organisations and memberships, partnerships, group purchases.
//!
//! Conventions: every record table has `id`, `created_at`, `updated_at` and `version`
//! (optimistic concurrency); a fuzzy date is an EDTF text column (`1919`, `2023-05`, `2018~`)
//! beside the day bounds that filters use (`*_earliest`, `*_latest`); names that are searched
//! keep a folded copy in `search_name`; every foreign key and lookup has an index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::table::{foreign_key, index, link, optional_key, record, unique};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000001_create_directory"
    }
}

/// Tables in creation order (dropped in reverse).
const TABLES: &[&str] = &[
    "source",
    "theme",
    "city",
    "person",
    "organisation",
    "organisation_theme",
    "organisation_relation",
    "mandate",
    "mandate_attestation",
    "contact_point",
    "membership",
    "stated_figure",
    "partnership",
    "partnership_theme",
    "partnership_party",
    "signatory",
    "partnership_domain",
    "partnership_domain_theme",
    "commitment",
    "follow_up",
    "statement",
    "group_purchase",
    "group_purchase_theme",
    "participation",
    "citation",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Sources: where facts come from.
        let t = record("source")
            .col(string("slug"))
            .col(string("kind"))
            .col(text("title"))
            .col(boolean("title_is_descriptive").default(false))
            .col(text_null("publisher"))
            .col(text_null("distributor"))
            .col(text_null("place"))
            .col(string_null("published_on"))
            .col(date_null("published_earliest"))
            .col(string_null("language"))
            .col(text_null("url"))
            .col(text_null("note"))
            .to_owned();
        m.create_table(t).await?;
        unique(m, "ux_source_slug", "source", &["slug"]).await?;

        // Themes: a small taxonomy with a parent.
        let mut t = record("theme")
            .col(string("slug"))
            .col(text("label_fr"))
            .col(text("label_en"))
            .col(text("search_name"))
            .col(integer_null("parent_id"))
            .to_owned();
        optional_key(&mut t, "theme", "parent_id", "theme");
        m.create_table(t).await?;
        unique(m, "ux_theme_slug", "theme", &["slug"]).await?;
        index(m, "theme", &["parent_id"]).await?;

        // Places.
        let mut t = record("city")
            .col(string("slug"))
            .col(text("name"))
            .col(text("search_name"))
            .col(text("other_names").default("[]"))
            .col(string_len("country", 2))
            .col(string_null("subdivision_1"))
            .col(string_null("subdivision_2"))
            .col(string_null("official_code"))
            .col(big_integer_null("population"))
            .col(integer_null("population_year"))
            .col(double_null("latitude"))
            .col(double_null("longitude"))
            .col(text_null("website"))
            .col(integer_null("parent_id"))
            .to_owned();
        optional_key(&mut t, "city", "parent_id", "city");
        m.create_table(t).await?;
        unique(m, "ux_city_slug", "city", &["slug"]).await?;
        // One official code per country: the identifier users hold.
        unique(
            m,
            "ux_city_country_official_code",
            "city",
            &["country", "official_code"],
        )
        .await?;
        index(m, "city", &["search_name", "id"]).await?;
        index(m, "city", &["country", "search_name"]).await?;
        index(m, "city", &["subdivision_1"]).await?;
        index(m, "city", &["subdivision_2"]).await?;
        index(m, "city", &["parent_id"]).await?;
        index(m, "city", &["population", "id"]).await?;
        index(m, "city", &["updated_at", "id"]).await?;

        // People; email and phone are personal data.
        let t = record("person")
            .col(string("slug"))
            .col(text("full_name"))
            .col(text_null("given_name"))
            .col(text_null("family_name"))
            .col(text("search_name"))
            .col(text_null("website"))
            .col(text_null("email"))
            .col(text_null("phone"))
            .to_owned();
        m.create_table(t).await?;
        unique(m, "ux_person_slug", "person", &["slug"]).await?;
        index(m, "person", &["search_name", "id"]).await?;
        index(m, "person", &["updated_at", "id"]).await?;

        // Organisations.
        let mut t = record("organisation")
            .col(string("slug"))
            .col(text("name"))
            .col(boolean("name_is_descriptive").default(false))
            .col(text("search_name"))
            .col(string_null("acronym"))
            .col(text("other_names").default("[]"))
            .col(string("kind"))
            .col(text_null("kind_detail"))
            .col(text_null("description"))
            .col(text("missions").default("[]"))
            .col(string_null("founded"))
            .col(text_null("website"))
            .col(string_len_null("country", 2))
            .col(string_null("subdivision"))
            .col(integer_null("headquarters_city_id"))
            .col(integer_null("owning_city_id"))
            .col(integer_null("parent_id"))
            .to_owned();
        optional_key(&mut t, "organisation", "headquarters_city_id", "city");
        optional_key(&mut t, "organisation", "owning_city_id", "city");
        optional_key(&mut t, "organisation", "parent_id", "organisation");
        m.create_table(t).await?;
        unique(m, "ux_organisation_slug", "organisation", &["slug"]).await?;
        index(m, "organisation", &["search_name", "id"]).await?;
        index(m, "organisation", &["country"]).await?;
        index(m, "organisation", &["kind"]).await?;
        index(m, "organisation", &["headquarters_city_id"]).await?;
        index(m, "organisation", &["owning_city_id"]).await?;
        index(m, "organisation", &["parent_id"]).await?;
        index(m, "organisation", &["updated_at", "id"]).await?;

        m.create_table(link(
            "organisation_theme",
            ("organisation_id", "organisation"),
            ("theme_id", "theme"),
        ))
        .await?;
        index(m, "organisation_theme", &["theme_id"]).await?;

        // Relations between organisations outside any agreement (funds, supports, hosts).
        let mut t = record("organisation_relation")
            .col(integer("from_organisation_id"))
            .col(integer("to_organisation_id"))
            .col(string("kind"))
            .col(string_null("start_on"))
            .col(string_null("end_on"))
            .to_owned();
        foreign_key(
            &mut t,
            "organisation_relation",
            "from_organisation_id",
            "organisation",
        );
        foreign_key(
            &mut t,
            "organisation_relation",
            "to_organisation_id",
            "organisation",
        );
        m.create_table(t).await?;
        index(m, "organisation_relation", &["from_organisation_id"]).await?;
        index(m, "organisation_relation", &["to_organisation_id"]).await?;

        // Mandates: a post held by a person in a city or an organisation over time.
        let mut t = record("mandate")
            .col(integer("person_id"))
            .col(integer_null("city_id"))
            .col(integer_null("organisation_id"))
            .col(string("role"))
            .col(text("title"))
            .col(string_null("start_on"))
            .col(date_null("start_earliest"))
            .col(string_null("end_on"))
            .col(date_null("end_latest"))
            .check(Expr::cust("(city_id IS NULL) <> (organisation_id IS NULL)"))
            .to_owned();
        foreign_key(&mut t, "mandate", "person_id", "person");
        foreign_key(&mut t, "mandate", "city_id", "city");
        foreign_key(&mut t, "mandate", "organisation_id", "organisation");
        m.create_table(t).await?;
        index(m, "mandate", &["person_id"]).await?;
        // Time travel: the mayor of a city on a date.
        index(m, "mandate", &["city_id", "role", "start_earliest"]).await?;
        index(m, "mandate", &["organisation_id", "role", "start_earliest"]).await?;

        let mut t = record("mandate_attestation")
            .col(integer("mandate_id"))
            .col(date("attested_on"))
            .col(integer("source_id"))
            .to_owned();
        foreign_key(&mut t, "mandate_attestation", "mandate_id", "mandate");
        foreign_key(&mut t, "mandate_attestation", "source_id", "source");
        m.create_table(t).await?;
        index(m, "mandate_attestation", &["mandate_id", "attested_on"]).await?;
        index(m, "mandate_attestation", &["source_id"]).await?;

        // Contact points: personal data, never shown to anonymous callers.
        let mut t = record("contact_point")
            .col(integer("organisation_id"))
            .col(integer_null("person_id"))
            .col(string("role"))
            .col(text_null("phone"))
            .col(string_null("phone_kind"))
            .col(text_null("email"))
            .col(boolean("email_redacted").default(false))
            .col(integer_null("source_id"))
            .to_owned();
        foreign_key(&mut t, "contact_point", "organisation_id", "organisation");
        optional_key(&mut t, "contact_point", "person_id", "person");
        optional_key(&mut t, "contact_point", "source_id", "source");
        m.create_table(t).await?;
        index(m, "contact_point", &["organisation_id"]).await?;
        index(m, "contact_point", &["person_id"]).await?;
        index(m, "contact_point", &["source_id"]).await?;

        // Memberships: a city or an organisation is a member of an organisation.
        let mut t = record("membership")
            .col(integer("organisation_id"))
            .col(integer_null("member_city_id"))
            .col(integer_null("member_organisation_id"))
            .col(string("kind"))
            .col(string_null("start_on"))
            .col(date_null("start_earliest"))
            .col(string_null("end_on"))
            .col(date_null("end_latest"))
            .check(Expr::cust(
                "(member_city_id IS NULL) <> (member_organisation_id IS NULL)",
            ))
            .to_owned();
        foreign_key(&mut t, "membership", "organisation_id", "organisation");
        foreign_key(&mut t, "membership", "member_city_id", "city");
        foreign_key(
            &mut t,
            "membership",
            "member_organisation_id",
            "organisation",
        );
        m.create_table(t).await?;
        index(m, "membership", &["organisation_id", "member_city_id"]).await?;
        index(m, "membership", &["member_city_id"]).await?;
        index(m, "membership", &["member_organisation_id"]).await?;

        // Stated figures: a number a source gives without naming the items.
        let mut t = record("stated_figure")
            .col(integer_null("organisation_id"))
            .col(string("measure"))
            .col(double("value"))
            .col(string("unit"))
            .col(string("qualifier"))
            .col(date_null("as_of"))
            .col(integer_null("source_id"))
            .col(text_null("note"))
            .to_owned();
        foreign_key(&mut t, "stated_figure", "organisation_id", "organisation");
        optional_key(&mut t, "stated_figure", "source_id", "source");
        m.create_table(t).await?;
        index(m, "stated_figure", &["organisation_id"]).await?;
        index(m, "stated_figure", &["source_id"]).await?;

        // Partnerships.
        let mut t = record("partnership")
            .col(string("slug"))
            .col(text("title"))
            .col(boolean("title_is_descriptive").default(false))
            .col(text("search_name"))
            .col(string("kind"))
            .col(string("status"))
            .col(text_null("summary"))
            .col(text("provisions").default("[]"))
            .col(string_null("signed_on"))
            .col(integer_null("signing_place_city_id"))
            .col(string_null("start_on"))
            .col(date_null("start_earliest"))
            .col(string_null("end_on"))
            .col(date_null("end_latest"))
            .col(integer_null("continues_id"))
            .col(text_null("prior_relationship"))
            .to_owned();
        optional_key(&mut t, "partnership", "signing_place_city_id", "city");
        optional_key(&mut t, "partnership", "continues_id", "partnership");
        m.create_table(t).await?;
        unique(m, "ux_partnership_slug", "partnership", &["slug"]).await?;
        index(m, "partnership", &["search_name", "id"]).await?;
        index(m, "partnership", &["status"]).await?;
        index(m, "partnership", &["start_earliest"]).await?;
        index(m, "partnership", &["signing_place_city_id"]).await?;
        index(m, "partnership", &["continues_id"]).await?;
        index(m, "partnership", &["updated_at", "id"]).await?;

        m.create_table(link(
            "partnership_theme",
            ("partnership_id", "partnership"),
            ("theme_id", "theme"),
        ))
        .await?;
        index(m, "partnership_theme", &["theme_id"]).await?;

        let mut t = record("partnership_party")
            .col(integer("partnership_id"))
            .col(integer_null("city_id"))
            .col(integer_null("organisation_id"))
            .col(string("role"))
            .col(integer_null("side_of_party_id"))
            .col(integer("position").default(0))
            .check(Expr::cust("(city_id IS NULL) <> (organisation_id IS NULL)"))
            .to_owned();
        foreign_key(&mut t, "partnership_party", "partnership_id", "partnership");
        foreign_key(&mut t, "partnership_party", "city_id", "city");
        foreign_key(
            &mut t,
            "partnership_party",
            "organisation_id",
            "organisation",
        );
        optional_key(
            &mut t,
            "partnership_party",
            "side_of_party_id",
            "partnership_party",
        );
        m.create_table(t).await?;
        index(m, "partnership_party", &["partnership_id", "position"]).await?;
        index(m, "partnership_party", &["city_id"]).await?;
        index(m, "partnership_party", &["organisation_id"]).await?;
        index(m, "partnership_party", &["side_of_party_id"]).await?;

        let mut t = record("signatory")
            .col(integer("partnership_id"))
            .col(integer("person_id"))
            .col(integer("party_id"))
            .col(string("capacity"))
            .col(text("title_then"))
            .col(integer("position").default(0))
            .to_owned();
        foreign_key(&mut t, "signatory", "partnership_id", "partnership");
        foreign_key(&mut t, "signatory", "person_id", "person");
        foreign_key(&mut t, "signatory", "party_id", "partnership_party");
        m.create_table(t).await?;
        index(m, "signatory", &["partnership_id", "position"]).await?;
        index(m, "signatory", &["person_id"]).await?;
        index(m, "signatory", &["party_id"]).await?;

        let mut t = record("partnership_domain")
            .col(integer("partnership_id"))
            .col(integer("position"))
            .col(string_null("numeral"))
            .col(text("title"))
            .col(text_null("narrative"))
            .to_owned();
        foreign_key(
            &mut t,
            "partnership_domain",
            "partnership_id",
            "partnership",
        );
        m.create_table(t).await?;
        unique(
            m,
            "ux_partnership_domain_position",
            "partnership_domain",
            &["partnership_id", "position"],
        )
        .await?;

        m.create_table(link(
            "partnership_domain_theme",
            ("domain_id", "partnership_domain"),
            ("theme_id", "theme"),
        ))
        .await?;
        index(m, "partnership_domain_theme", &["theme_id"]).await?;

        let mut t = record("commitment")
            .col(integer("partnership_id"))
            .col(integer_null("domain_id"))
            .col(integer("position"))
            .col(string("kind"))
            .col(text("text"))
            .to_owned();
        foreign_key(&mut t, "commitment", "partnership_id", "partnership");
        foreign_key(&mut t, "commitment", "domain_id", "partnership_domain");
        m.create_table(t).await?;
        index(m, "commitment", &["partnership_id", "position"]).await?;
        index(m, "commitment", &["domain_id"]).await?;

        let mut t = record("follow_up")
            .col(integer("partnership_id"))
            .col(integer_null("party_id"))
            .col(integer_null("body_organisation_id"))
            .col(string("kind"))
            .col(string_null("frequency"))
            .col(text("description"))
            .col(integer("position").default(0))
            .to_owned();
        foreign_key(&mut t, "follow_up", "partnership_id", "partnership");
        optional_key(&mut t, "follow_up", "party_id", "partnership_party");
        optional_key(&mut t, "follow_up", "body_organisation_id", "organisation");
        m.create_table(t).await?;
        index(m, "follow_up", &["partnership_id", "position"]).await?;
        index(m, "follow_up", &["party_id"]).await?;
        index(m, "follow_up", &["body_organisation_id"]).await?;

        // Statements: what a person said, with their title then.
        let mut t = record("statement")
            .col(integer("person_id"))
            .col(text_null("title_then"))
            .col(text("text"))
            .col(integer_null("about_partnership_id"))
            .col(integer_null("source_id"))
            .to_owned();
        foreign_key(&mut t, "statement", "person_id", "person");
        optional_key(&mut t, "statement", "about_partnership_id", "partnership");
        optional_key(&mut t, "statement", "source_id", "source");
        m.create_table(t).await?;
        index(m, "statement", &["person_id"]).await?;
        index(m, "statement", &["about_partnership_id"]).await?;
        index(m, "statement", &["source_id"]).await?;

        // Group purchases, in Open Contracting's terms (tender window, award, contract).
        let mut t = record("group_purchase")
            .col(string("slug"))
            .col(text("title"))
            .col(boolean("title_is_descriptive").default(false))
            .col(text("search_name"))
            .col(text_null("description"))
            .col(text_null("category"))
            .col(integer("organiser_id"))
            .col(integer_null("origin_partnership_id"))
            .col(string_null("eligibility"))
            .col(string("status"))
            .col(date_null("tender_start"))
            .col(date_null("tender_end"))
            .col(double_null("estimated_value"))
            .col(string_len_null("currency", 3))
            .col(integer_null("supplier_id"))
            .col(date_null("contract_start"))
            .col(date_null("contract_end"))
            .to_owned();
        foreign_key(&mut t, "group_purchase", "organiser_id", "organisation");
        optional_key(
            &mut t,
            "group_purchase",
            "origin_partnership_id",
            "partnership",
        );
        optional_key(&mut t, "group_purchase", "supplier_id", "organisation");
        m.create_table(t).await?;
        unique(m, "ux_group_purchase_slug", "group_purchase", &["slug"]).await?;
        index(m, "group_purchase", &["search_name", "id"]).await?;
        index(m, "group_purchase", &["organiser_id"]).await?;
        index(m, "group_purchase", &["origin_partnership_id"]).await?;
        index(m, "group_purchase", &["supplier_id"]).await?;
        index(m, "group_purchase", &["status"]).await?;
        index(m, "group_purchase", &["updated_at", "id"]).await?;

        m.create_table(link(
            "group_purchase_theme",
            ("group_purchase_id", "group_purchase"),
            ("theme_id", "theme"),
        ))
        .await?;
        index(m, "group_purchase_theme", &["theme_id"]).await?;

        let mut t = record("participation")
            .col(integer("group_purchase_id"))
            .col(integer("city_id"))
            .col(date_null("joined_on"))
            .col(double_null("estimated_quantity"))
            .col(double_null("estimated_amount"))
            .col(string("status"))
            .to_owned();
        foreign_key(
            &mut t,
            "participation",
            "group_purchase_id",
            "group_purchase",
        );
        foreign_key(&mut t, "participation", "city_id", "city");
        m.create_table(t).await?;
        // One participation per city and purchase.
        unique(
            m,
            "ux_participation_purchase_city",
            "participation",
            &["group_purchase_id", "city_id"],
        )
        .await?;
        index(m, "participation", &["city_id"]).await?;

        // Citations: which source supports which fact of which record.
        let mut t = record("citation")
            .col(integer("source_id"))
            .col(string("record_type"))
            .col(integer("record_id"))
            .col(string_null("fact_id"))
            .col(string_null("field"))
            .col(boolean("derived").default(false))
            .col(text_null("note"))
            .to_owned();
        foreign_key(&mut t, "citation", "source_id", "source");
        m.create_table(t).await?;
        index(m, "citation", &["record_type", "record_id"]).await?;
        index(m, "citation", &["source_id", "fact_id"]).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(*table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
