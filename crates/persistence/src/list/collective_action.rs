//! Lists of collective action: programmes, awards, diagnostic tools, events, initiatives
//! and lessons.

use super::*;

#[derive(Debug, Clone, Default)]
pub struct ProgrammeFilter {
    pub common: Common,
    /// Only programmes this organisation organises, in any role.
    pub organiser: Option<Id>,
    /// Only programmes this city takes part in.
    pub participant_city: Option<Id>,
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AwardFilter {
    pub common: Common,
    pub kind: Option<domain::award::AwardKind>,
    pub organiser: Option<Id>,
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct DiagnosticToolFilter {
    pub common: Common,
    pub publisher: Option<Id>,
}

#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub common: Common,
    pub kind: Option<domain::event::EventKind>,
    pub organiser: Option<Id>,
    pub programme: Option<Id>,
    pub partnership: Option<Id>,
    /// Which draft partnerships' events are listed (`Actor::draft_scope`): an event linked to
    /// a draft belongs to it (`domain::ownership`).
    pub drafts: DraftScope,
}

#[derive(Debug, Clone, Default)]
pub struct InitiativeFilter {
    pub common: Common,
    pub themes: Vec<String>,
    /// Only initiatives with one of these statuses (any when empty).
    pub statuses: Vec<domain::initiative::InitiativeStatus>,
    /// Only initiatives in this country: their city's, or else a lead organisation's.
    pub country: Option<String>,
    /// Only initiatives whose city has at least this population.
    pub population_min: Option<i64>,
    /// Only initiatives whose city has at most this population.
    pub population_max: Option<i64>,
    /// Only initiatives with an outcome of at least this evidence level.
    pub evidence_at_least: Option<domain::initiative::EvidenceLevel>,
    /// Only initiatives with a pitfall on one of these topics.
    pub pitfalls: Vec<domain::initiative::LessonTopic>,
    pub city: Option<Id>,
    pub programme: Option<Id>,
    pub partnership: Option<Id>,
    pub provider: Option<Id>,
    /// Which draft partnerships' initiatives are listed (`Actor::draft_scope`).
    pub drafts: DraftScope,
}

#[derive(Debug, Clone, Default)]
pub struct LessonFilter {
    /// `search` looks into the lesson's text.
    pub common: Common,
    pub kind: Option<domain::initiative::LessonKind>,
    /// Only lessons on one of these topics (any when empty).
    pub topics: Vec<domain::initiative::LessonTopic>,
    /// Which draft partnerships' lessons (through their initiatives) are listed.
    pub drafts: DraftScope,
}

pub async fn programmes(
    db: &Db,
    filter: &ProgrammeFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::programme::Programme>, Error> {
    let mut select = common(programme::Entity::find(), &filter.common, db);
    if let Some(organiser) = filter.organiser {
        select = select.filter(through(
            "programme_organiser",
            "programme_id",
            "organisation_id",
            organiser,
        ));
    }
    if let Some(city) = filter.participant_city {
        select = select.filter(through(
            "programme_participant",
            "programme_id",
            "city_id",
            city,
        ));
    }
    if !filter.themes.is_empty() {
        select = select.filter(linked_to_themes(db, "programme", &filter.themes));
    }
    let key = key(order, |p: &domain::programme::Programme| {
        SortValue::Text(fold(&p.name))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn awards(
    db: &Db,
    filter: &AwardFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::award::Award>, Error> {
    let mut select = common(award::Entity::find(), &filter.common, db);
    if let Some(kind) = filter.kind {
        select = select.filter(Expr::col("kind").eq(kind.as_str()));
    }
    if let Some(organiser) = filter.organiser {
        select = select.filter(Expr::col("organiser_id").eq(organiser));
    }
    if !filter.themes.is_empty() {
        select = select.filter(linked_to_themes(db, "award", &filter.themes));
    }
    let key = key(order, |a: &domain::award::Award| {
        SortValue::Text(fold(&a.name))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn diagnostic_tools(
    db: &Db,
    filter: &DiagnosticToolFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::diagnostic::DiagnosticTool>, Error> {
    let mut select = common(diagnostic_tool::Entity::find(), &filter.common, db);
    if let Some(publisher) = filter.publisher {
        select = select.filter(Expr::col("publisher_id").eq(publisher));
    }
    let key = key(order, |t: &domain::diagnostic::DiagnosticTool| {
        SortValue::Text(fold(&t.name))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn events(
    db: &Db,
    filter: &EventFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::event::Event>, Error> {
    let mut select = common(event::Entity::find(), &filter.common, db);
    if let Some(kind) = filter.kind {
        select = select.filter(Expr::col("kind").eq(kind.as_str()));
    }
    for (column, value) in [
        ("organiser_id", filter.organiser),
        ("programme_id", filter.programme),
        ("partnership_id", filter.partnership),
    ] {
        if let Some(value) = value {
            select = select.filter(Expr::col(column).eq(value));
        }
    }
    if let Some(shown) = shown_partnerships("partnership_id", filter.drafts) {
        select = select.filter(shown);
    }
    let key = key(order, |e: &domain::event::Event| {
        SortValue::Text(fold(&e.title))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

/// Lessons tagged with one of `topics`: each is stored quoted in the `topics` JSON array, and
/// no topic's quoted name is part of another's.
fn tagged_with(topics: &[domain::initiative::LessonTopic]) -> Expr {
    topics
        .iter()
        .map(|topic| Expr::col("topics").like(format!("%\"{}\"%", topic.as_str())))
        .reduce(|any, next| any.or(next))
        .unwrap_or_else(|| Expr::cust("1 = 1"))
}

fn ids_of_cities(condition: Expr) -> SelectStatement {
    Query::select()
        .column("id")
        .from("city")
        .and_where(condition)
        .to_owned()
}

pub async fn initiatives(
    db: &Db,
    filter: &InitiativeFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::initiative::Initiative>, Error> {
    let mut select = common(initiative::Entity::find(), &filter.common, db);
    if let Some(shown) = shown_partnerships("partnership_id", filter.drafts) {
        select = select.filter(shown);
    }
    if !filter.themes.is_empty() {
        select = select.filter(linked_to_themes(db, "initiative", &filter.themes));
    }
    if !filter.statuses.is_empty() {
        select =
            select.filter(Expr::col("status").is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(country) = &filter.country {
        let led_from_country = Query::select()
            .column(("initiative_organisation", "initiative_id"))
            .from("initiative_organisation")
            .inner_join(
                "organisation",
                Expr::col(("organisation", "id"))
                    .equals(("initiative_organisation", "organisation_id")),
            )
            .and_where(Expr::col(("organisation", "country")).eq(country.as_str()))
            .to_owned();
        select = select.filter(
            Expr::col("city_id")
                .in_subquery(ids_of_cities(Expr::col("country").eq(country.as_str())))
                .or(Expr::col("city_id")
                    .is_null()
                    .and(Expr::col("id").in_subquery(led_from_country))),
        );
    }
    if filter.population_min.is_some() || filter.population_max.is_some() {
        let mut sized = Expr::col("population").is_not_null();
        if let Some(min) = filter.population_min {
            sized = sized.and(Expr::col("population").gte(min));
        }
        if let Some(max) = filter.population_max {
            sized = sized.and(Expr::col("population").lte(max));
        }
        select = select.filter(Expr::col("city_id").in_subquery(ids_of_cities(sized)));
    }
    if let Some(level) = filter.evidence_at_least {
        select = select.filter(
            Expr::col("id").in_subquery(
                Query::select()
                    .column("initiative_id")
                    .from("outcome")
                    .and_where(
                        Expr::col("evidence_level")
                            .is_in(level.at_least().iter().map(|l| l.as_str())),
                    )
                    .to_owned(),
            ),
        );
    }
    if !filter.pitfalls.is_empty() {
        select = select.filter(
            Expr::col("id").in_subquery(
                Query::select()
                    .column("initiative_id")
                    .from("lesson")
                    .and_where(
                        Expr::col("kind").eq(domain::initiative::LessonKind::Pitfall.as_str()),
                    )
                    .and_where(tagged_with(&filter.pitfalls))
                    .to_owned(),
            ),
        );
    }
    for (column, value) in [
        ("city_id", filter.city),
        ("programme_id", filter.programme),
        ("partnership_id", filter.partnership),
        ("provider_id", filter.provider),
    ] {
        if let Some(value) = value {
            select = select.filter(Expr::col(column).eq(value));
        }
    }
    let key = key(order, |i: &domain::initiative::Initiative| {
        SortValue::Text(fold(&i.title))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn lessons(
    db: &Db,
    filter: &LessonFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::initiative::Lesson>, Error> {
    let mut select = common(lesson::Entity::find(), &filter.common, db);
    if let Some(shown) = shown_partnerships("partnership_id", filter.drafts) {
        let shown_initiatives = Query::select()
            .column("id")
            .from("initiative")
            .and_where(shown)
            .to_owned();
        select = select.filter(Expr::col("initiative_id").in_subquery(shown_initiatives));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(Expr::col("kind").eq(kind.as_str()));
    }
    if !filter.topics.is_empty() {
        select = select.filter(tagged_with(&filter.topics));
    }
    let key = key(order, |l: &domain::initiative::Lesson| {
        SortValue::Text(fold(&l.text))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}
