//! The relations of programmes, awards, self-diagnostic tools and events.

use domain::Id;
use domain::award::{Award, Recognition};
use domain::diagnostic::DiagnosticTool;
use domain::event::Event;
use domain::initiative::{Initiative, InitiativeOrganisation, Lesson, Outcome};
use domain::organisation::{FigureSubject, StatedFigure};
use domain::programme::{Edition, Participant, Programme, ProgrammeOrganiser, SupportComponent};
use domain::theme::Theme;

use super::Groups;
use crate::Db;
use crate::relation::{many_to_many, one_to_many};

pub async fn figures_of_editions(db: &Db, ids: &[Id]) -> Groups<StatedFigure> {
    one_to_many(
        db,
        "edition_id",
        ids,
        &["as_of"],
        |f: &StatedFigure| match f.subject {
            FigureSubject::Edition(id) => Some(id),
            _ => None,
        },
    )
    .await
}

pub async fn figures_of_awards(db: &Db, ids: &[Id]) -> Groups<StatedFigure> {
    one_to_many(
        db,
        "award_id",
        ids,
        &["as_of"],
        |f: &StatedFigure| match f.subject {
            FigureSubject::Award(id) => Some(id),
            _ => None,
        },
    )
    .await
}

pub async fn organisers_of_programmes(db: &Db, ids: &[Id]) -> Groups<ProgrammeOrganiser> {
    one_to_many(db, "programme_id", ids, &[], |o: &ProgrammeOrganiser| {
        Some(o.programme_id)
    })
    .await
}

pub async fn programme_roles_of_organisations(db: &Db, ids: &[Id]) -> Groups<ProgrammeOrganiser> {
    one_to_many(db, "organisation_id", ids, &[], |o: &ProgrammeOrganiser| {
        Some(o.organisation_id)
    })
    .await
}

pub async fn support_of_programmes(db: &Db, ids: &[Id]) -> Groups<SupportComponent> {
    one_to_many(
        db,
        "programme_id",
        ids,
        &["position"],
        |c: &SupportComponent| Some(c.programme_id),
    )
    .await
}

pub async fn editions_of_programmes(db: &Db, ids: &[Id]) -> Groups<Edition> {
    one_to_many(db, "programme_id", ids, &["number"], |e: &Edition| {
        Some(e.programme_id)
    })
    .await
}

pub async fn participants_of_programmes(db: &Db, ids: &[Id]) -> Groups<Participant> {
    one_to_many(db, "programme_id", ids, &[], |p: &Participant| {
        Some(p.programme_id)
    })
    .await
}

pub async fn participants_of_editions(db: &Db, ids: &[Id]) -> Groups<Participant> {
    one_to_many(db, "edition_id", ids, &[], |p: &Participant| p.edition_id).await
}

pub async fn programme_participations_of_cities(db: &Db, ids: &[Id]) -> Groups<Participant> {
    one_to_many(db, "city_id", ids, &[], |p: &Participant| p.city_id).await
}

pub async fn programme_participations_of_organisations(db: &Db, ids: &[Id]) -> Groups<Participant> {
    one_to_many(db, "organisation_id", ids, &[], |p: &Participant| {
        p.organisation_id
    })
    .await
}

pub async fn themes_of_programmes(db: &Db, ids: &[Id]) -> Groups<Theme> {
    many_to_many(db, "programme_theme", "programme_id", "theme_id", ids).await
}

pub async fn programmes_of_themes(db: &Db, ids: &[Id]) -> Groups<Programme> {
    many_to_many(db, "programme_theme", "theme_id", "programme_id", ids).await
}

pub async fn themes_of_awards(db: &Db, ids: &[Id]) -> Groups<Theme> {
    many_to_many(db, "award_theme", "award_id", "theme_id", ids).await
}

pub async fn awards_of_themes(db: &Db, ids: &[Id]) -> Groups<Award> {
    many_to_many(db, "award_theme", "theme_id", "award_id", ids).await
}

pub async fn awards_organised_by(db: &Db, ids: &[Id]) -> Groups<Award> {
    one_to_many(db, "organiser_id", ids, &["search_name"], |a: &Award| {
        Some(a.organiser_id)
    })
    .await
}

pub async fn recognitions_of_awards(db: &Db, ids: &[Id]) -> Groups<Recognition> {
    one_to_many(db, "award_id", ids, &["year"], |r: &Recognition| {
        Some(r.award_id)
    })
    .await
}

pub async fn recognitions_of_cities(db: &Db, ids: &[Id]) -> Groups<Recognition> {
    one_to_many(db, "city_id", ids, &["year"], |r: &Recognition| r.city_id).await
}

pub async fn recognitions_of_organisations(db: &Db, ids: &[Id]) -> Groups<Recognition> {
    one_to_many(db, "organisation_id", ids, &["year"], |r: &Recognition| {
        r.organisation_id
    })
    .await
}

pub async fn diagnostic_tools_published_by(db: &Db, ids: &[Id]) -> Groups<DiagnosticTool> {
    one_to_many(
        db,
        "publisher_id",
        ids,
        &["search_name"],
        |t: &DiagnosticTool| Some(t.publisher_id),
    )
    .await
}

pub async fn events_of_programmes(db: &Db, ids: &[Id]) -> Groups<Event> {
    one_to_many(db, "programme_id", ids, &["date_earliest"], |e: &Event| {
        e.programme_id
    })
    .await
}

pub async fn events_of_partnerships(db: &Db, ids: &[Id]) -> Groups<Event> {
    one_to_many(
        db,
        "partnership_id",
        ids,
        &["date_earliest"],
        |e: &Event| e.partnership_id,
    )
    .await
}

pub async fn events_organised_by(db: &Db, ids: &[Id]) -> Groups<Event> {
    one_to_many(db, "organiser_id", ids, &["date_earliest"], |e: &Event| {
        e.organiser_id
    })
    .await
}

pub async fn organisations_of_initiatives(db: &Db, ids: &[Id]) -> Groups<InitiativeOrganisation> {
    one_to_many(
        db,
        "initiative_id",
        ids,
        &[],
        |o: &InitiativeOrganisation| Some(o.initiative_id),
    )
    .await
}

pub async fn initiative_roles_of_organisations(
    db: &Db,
    ids: &[Id],
) -> Groups<InitiativeOrganisation> {
    one_to_many(
        db,
        "organisation_id",
        ids,
        &[],
        |o: &InitiativeOrganisation| Some(o.organisation_id),
    )
    .await
}

pub async fn outcomes_of_initiatives(db: &Db, ids: &[Id]) -> Groups<Outcome> {
    one_to_many(db, "initiative_id", ids, &["position"], |o: &Outcome| {
        Some(o.initiative_id)
    })
    .await
}

pub async fn lessons_of_initiatives(db: &Db, ids: &[Id]) -> Groups<Lesson> {
    one_to_many(db, "initiative_id", ids, &["position"], |l: &Lesson| {
        Some(l.initiative_id)
    })
    .await
}

pub async fn replications_of_initiatives(db: &Db, ids: &[Id]) -> Groups<Initiative> {
    one_to_many(
        db,
        "adapted_from_id",
        ids,
        &["start_earliest"],
        |i: &Initiative| i.adapted_from_id,
    )
    .await
}

pub async fn initiatives_of_cities(db: &Db, ids: &[Id]) -> Groups<Initiative> {
    one_to_many(db, "city_id", ids, &["start_earliest"], |i: &Initiative| {
        i.city_id
    })
    .await
}

pub async fn initiatives_of_programmes(db: &Db, ids: &[Id]) -> Groups<Initiative> {
    one_to_many(
        db,
        "programme_id",
        ids,
        &["start_earliest"],
        |i: &Initiative| i.programme_id,
    )
    .await
}

pub async fn initiatives_of_editions(db: &Db, ids: &[Id]) -> Groups<Initiative> {
    one_to_many(
        db,
        "edition_id",
        ids,
        &["start_earliest"],
        |i: &Initiative| i.edition_id,
    )
    .await
}

pub async fn initiatives_of_partnerships(db: &Db, ids: &[Id]) -> Groups<Initiative> {
    one_to_many(
        db,
        "partnership_id",
        ids,
        &["start_earliest"],
        |i: &Initiative| i.partnership_id,
    )
    .await
}

pub async fn initiatives_provided_by(db: &Db, ids: &[Id]) -> Groups<Initiative> {
    one_to_many(
        db,
        "provider_id",
        ids,
        &["start_earliest"],
        |i: &Initiative| i.provider_id,
    )
    .await
}

pub async fn themes_of_initiatives(db: &Db, ids: &[Id]) -> Groups<Theme> {
    many_to_many(db, "initiative_theme", "initiative_id", "theme_id", ids).await
}

pub async fn initiatives_of_themes(db: &Db, ids: &[Id]) -> Groups<Initiative> {
    many_to_many(db, "initiative_theme", "theme_id", "initiative_id", ids).await
}

pub async fn recognitions_of_initiatives(db: &Db, ids: &[Id]) -> Groups<Recognition> {
    one_to_many(db, "initiative_id", ids, &["year"], |r: &Recognition| {
        r.initiative_id
    })
    .await
}

pub async fn questionnaires_of_tools(
    db: &Db,
    ids: &[Id],
) -> Groups<domain::diagnostic::Questionnaire> {
    one_to_many(
        db,
        "tool_id",
        ids,
        &["published_on"],
        |q: &domain::diagnostic::Questionnaire| q.tool_id,
    )
    .await
}

pub async fn assessments_of_questionnaires(
    db: &Db,
    ids: &[Id],
) -> Groups<domain::diagnostic::Assessment> {
    one_to_many(
        db,
        "questionnaire_id",
        ids,
        &["assessed_on"],
        |a: &domain::diagnostic::Assessment| Some(a.questionnaire_id),
    )
    .await
}

pub async fn assessments_of_cities(db: &Db, ids: &[Id]) -> Groups<domain::diagnostic::Assessment> {
    one_to_many(
        db,
        "city_id",
        ids,
        &["assessed_on"],
        |a: &domain::diagnostic::Assessment| Some(a.city_id),
    )
    .await
}

pub async fn reports_of_partnerships(db: &Db, ids: &[Id]) -> Groups<domain::partnership::Report> {
    one_to_many(
        db,
        "partnership_id",
        ids,
        &["start_earliest"],
        |r: &domain::partnership::Report| Some(r.partnership_id),
    )
    .await
}

pub async fn indicators_of_reports(db: &Db, ids: &[Id]) -> Groups<domain::partnership::Indicator> {
    one_to_many(
        db,
        "report_id",
        ids,
        &["position"],
        |i: &domain::partnership::Indicator| Some(i.report_id),
    )
    .await
}

pub async fn participants_of_events(
    db: &Db,
    ids: &[Id],
) -> Groups<domain::event::EventParticipant> {
    one_to_many(
        db,
        "event_id",
        ids,
        &[],
        |p: &domain::event::EventParticipant| Some(p.event_id),
    )
    .await
}
