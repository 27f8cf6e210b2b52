//! Self-diagnostic tools that organisations offer cities.

use async_graphql::{Context, Result};

use crate::loader::ById;
use crate::schema::connection::connection;
use crate::schema::organisation::Organisation;
use crate::schema::scalars::Date;
use crate::schema::{load_one, record_object};

connection!(
    DiagnosticToolConnection,
    DiagnosticToolEdge,
    DiagnosticTool,
    "A page of self-diagnostic tools.",
    "A self-diagnostic tool in a page, with its cursor."
);

record_object! {
    /// A self-diagnostic tool an organisation publishes, such as a smart-city maturity
    /// questionnaire.
    DiagnosticTool(domain::diagnostic::DiagnosticTool) as DiagnosticTool;
    fields {
        /// The human key: `diagnosticTool(slug: "umq-autodiagnostic-villes-intelligentes")`.
        async fn slug(&self) -> &str {
            &self.0.slug
        }

        /// Its name.
        async fn name(&self) -> &str {
            &self.0.name
        }

        /// The organisation that publishes it.
        async fn publisher(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
            Ok(load_one(ctx, Some(ById::new(self.0.publisher_id))).await?.map(Organisation))
        }

        /// Where it is, when known.
        async fn url(&self) -> Option<&str> {
            self.0.url.as_deref()
        }

        /// Who it is for, as each source names them.
        async fn audiences(&self) -> &[String] {
            &self.0.audiences
        }

        /// How it is offered ("on the internet, open to all").
        async fn availability(&self) -> Option<&str> {
            self.0.availability.as_deref()
        }

        /// A day by which it was available: the source's date when no launch date is given.
        async fn available_by(&self) -> Option<Date> {
            self.0.available_by.map(Date)
        }

        /// What it is for.
        async fn purpose(&self) -> Option<&str> {
            self.0.purpose.as_deref()
        }

        /// Where it aims to lead the cities that use it.
        async fn goal(&self) -> Option<&str> {
            self.0.goal.as_deref()
        }

        /// The organisation whose idea it was.
        async fn origin_organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
            Ok(load_one(ctx, self.0.origin_organisation_id.map(ById::new)).await?.map(Organisation))
        }

        /// How it came about.
        async fn origin(&self) -> Option<&str> {
            self.0.origin.as_deref()
        }
    }
    related {}
}
