//! The relations of collective action: programmes, awards and recognitions, self-diagnostic
//! tools and assessments (and where an assessment stands), events, initiatives, and a
//! partnership's reports.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use domain::Id;
use domain::award::{Award, Recognition};
use domain::diagnostic::DiagnosticTool;
use domain::event::Event;
use domain::initiative::{Initiative, InitiativeOrganisation, Lesson, Outcome};
use domain::organisation::StatedFigure;
use domain::programme::{Edition, Participant, Programme, ProgrammeOrganiser, SupportComponent};
use domain::theme::Theme;
use persistence::by_parent;

use crate::loader::relation::relation;
use crate::loader::{LoadError, Loaders};

relation!(/// Figures stated about an edition of a programme.
    FiguresOfEdition => StatedFigure, by_parent::figures_of_editions);
relation!(/// Figures stated about an award or challenge.
    FiguresOfAward => StatedFigure, by_parent::figures_of_awards);
relation!(/// Organisers of a programme.
    OrganisersOfProgramme => ProgrammeOrganiser, by_parent::organisers_of_programmes);
relation!(/// Roles of an organisation in programmes.
    ProgrammeRolesOfOrganisation => ProgrammeOrganiser, by_parent::programme_roles_of_organisations);
relation!(/// Support components of a programme.
    SupportOfProgramme => SupportComponent, by_parent::support_of_programmes);
relation!(/// Editions of a programme.
    EditionsOfProgramme => Edition, by_parent::editions_of_programmes);
relation!(/// Participants of a programme.
    ParticipantsOfProgramme => Participant, by_parent::participants_of_programmes);
relation!(/// Participants of an edition.
    ParticipantsOfEdition => Participant, by_parent::participants_of_editions);
relation!(/// Programmes a city takes part in.
    ProgrammeParticipationsOfCity => Participant, by_parent::programme_participations_of_cities);
relation!(/// Programmes an organisation carries.
    ProgrammeParticipationsOfOrganisation => Participant, by_parent::programme_participations_of_organisations);
relation!(/// Themes of a programme.
    ThemesOfProgramme => Theme, by_parent::themes_of_programmes);
relation!(/// Programmes of a theme.
    ProgrammesOfTheme => Programme, by_parent::programmes_of_themes);
relation!(/// Themes of an award.
    ThemesOfAward => Theme, by_parent::themes_of_awards);
relation!(/// Awards of a theme.
    AwardsOfTheme => Award, by_parent::awards_of_themes);
relation!(/// Awards an organisation gives.
    AwardsOrganisedBy => Award, by_parent::awards_organised_by);
relation!(/// Recognitions an award gave.
    RecognitionsOfAward => Recognition, by_parent::recognitions_of_awards);
relation!(/// Recognitions of a city.
    RecognitionsOfCity => Recognition, by_parent::recognitions_of_cities);
relation!(/// Recognitions of an organisation.
    RecognitionsOfOrganisation => Recognition, by_parent::recognitions_of_organisations);
relation!(/// Self-diagnostic tools an organisation publishes.
    DiagnosticToolsPublishedBy => DiagnosticTool, by_parent::diagnostic_tools_published_by);
relation!(/// Events of a programme.
    EventsOfProgramme => Event, by_parent::events_of_programmes);
relation!(/// Events of a partnership.
    EventsOfPartnership => Event, by_parent::events_of_partnerships);
relation!(/// Events an organisation organises.
    EventsOrganisedBy => Event, by_parent::events_organised_by);
relation!(/// Organisations of an initiative.
    OrganisationsOfInitiative => InitiativeOrganisation, by_parent::organisations_of_initiatives);
relation!(/// Roles of an organisation in initiatives.
    InitiativeRolesOfOrganisation => InitiativeOrganisation, by_parent::initiative_roles_of_organisations);
relation!(/// Outcomes of an initiative.
    OutcomesOfInitiative => Outcome, by_parent::outcomes_of_initiatives);
relation!(/// Lessons of an initiative.
    LessonsOfInitiative => Lesson, by_parent::lessons_of_initiatives);
relation!(/// Initiatives adapted from an initiative.
    ReplicationsOfInitiative => Initiative, by_parent::replications_of_initiatives);
relation!(/// Initiatives of a city.
    InitiativesOfCity => Initiative, by_parent::initiatives_of_cities);
relation!(/// Initiatives of a programme.
    InitiativesOfProgramme => Initiative, by_parent::initiatives_of_programmes);
relation!(/// Initiatives of an edition.
    InitiativesOfEdition => Initiative, by_parent::initiatives_of_editions);
relation!(/// Initiatives of a partnership.
    InitiativesOfPartnership => Initiative, by_parent::initiatives_of_partnerships);
relation!(/// Initiatives an organisation provides the solution of.
    InitiativesProvidedBy => Initiative, by_parent::initiatives_provided_by);
relation!(/// Themes of an initiative.
    ThemesOfInitiative => Theme, by_parent::themes_of_initiatives);
relation!(/// Initiatives of a theme.
    InitiativesOfTheme => Initiative, by_parent::initiatives_of_themes);
relation!(/// Recognitions of an initiative.
    RecognitionsOfInitiative => Recognition, by_parent::recognitions_of_initiatives);
relation!(/// Questionnaires of a self-diagnostic tool.
    QuestionnairesOfTool => domain::diagnostic::Questionnaire, by_parent::questionnaires_of_tools);
relation!(/// Assessments made with a questionnaire.
    AssessmentsOfQuestionnaire => domain::diagnostic::Assessment, by_parent::assessments_of_questionnaires);
relation!(/// Assessments of a city.
    AssessmentsOfCity => domain::diagnostic::Assessment, by_parent::assessments_of_cities);
relation!(/// Reports on a partnership.
    ReportsOfPartnership => domain::partnership::Report, by_parent::reports_of_partnerships);
relation!(/// Indicators of a report.
    IndicatorsOfReport => domain::partnership::Indicator, by_parent::indicators_of_reports);
relation!(/// Participants of an event.
    ParticipantsOfEvent => domain::event::EventParticipant, by_parent::participants_of_events);

/// Where an assessment stands among cities of similar size: (percentile, how many).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct StandingOfAssessment(pub Id);

impl Loader<StandingOfAssessment> for Loaders {
    type Value = (Option<f64>, usize);
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[StandingOfAssessment],
    ) -> Result<HashMap<StandingOfAssessment, Self::Value>, LoadError> {
        let ids: Vec<Id> = keys.iter().map(|key| key.0).collect();
        let assessments: Vec<domain::diagnostic::Assessment> =
            persistence::by_ids::<domain::diagnostic::Assessment>(&self.db, &ids)
                .await
                .map_err(Arc::new)?
                .into_values()
                .collect();
        let standings = persistence::diagnostic::standings(&self.db, &assessments)
            .await
            .map_err(Arc::new)?;
        Ok(standings
            .into_iter()
            .map(|(id, standing)| (StandingOfAssessment(id), standing))
            .collect())
    }
}
