//! The limits that refuse an abusive query before it costs anything: a walk over the parsed
//! document (depth, aliases, directives, fragment spreads, fields, page sizes), then an
//! async-graphql extension that looks at the validated cost.
//!
//! The extension lives on a schema that only checks. async-graphql sends every field of every
//! record through the extension chain as soon as a schema has one extension (a boxed future
//! and type lookups per field): the schema that executes has none.
//!
//! A query's cost follows GitHub's and Shopify's points: every field costs 1, and a connection
//! costs its page size (`first`, `last`, or the default page) times what each record selects.
//! The rate limiter charges that same cost.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextValidation,
};
use async_graphql::parser::types::{
    Directive, ExecutableDocument, Field, FragmentDefinition, Selection, SelectionSet,
};
use async_graphql::{
    Name, Positioned, Response, ServerError, ServerResult, ValidationResult, Variables,
};

use crate::config::Limits;
use crate::schema::connection::MAX_PAGE_SIZE;

/// When the request being served must be done by.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    pub at: std::time::Instant,
    pub timeout_ms: u64,
}

impl Deadline {
    pub fn after(timeout_ms: u64) -> Deadline {
        Deadline {
            at: std::time::Instant::now() + std::time::Duration::from_millis(timeout_ms),
            timeout_ms,
        }
    }

    /// The `TIMEOUT` error of a request stopped at its deadline.
    pub fn error(&self) -> ServerError {
        let mut error = ServerError::new(
            format!(
                "the request took longer than {} ms and was stopped (REQUEST_TIMEOUT_MS)",
                self.timeout_ms
            ),
            None,
        );
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", TIMEOUT);
        error
    }
}

/// What the request being checked costs (`cost::CostModel::of`), given to the checking schema.
#[derive(Debug, Clone, Copy)]
pub struct QueryCost(pub usize);

/// The code of a request stopped at its deadline.
pub const TIMEOUT: &str = crate::error::code::TIMEOUT;

/// The extension factory the schema is built with.
pub struct QueryLimits(Arc<Limits>);

impl QueryLimits {
    pub fn new(limits: Limits) -> QueryLimits {
        QueryLimits(Arc::new(limits))
    }
}

impl ExtensionFactory for QueryLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(QueryLimitsExtension(self.0.clone()))
    }
}

struct QueryLimitsExtension(Arc<Limits>);

/// What a limit refused, as a request error with `extensions.code` and the limit's name.
fn too_complex(limit: &str, maximum: usize, message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", crate::error::code::QUERY_TOO_COMPLEX);
    extensions.set("limit", limit);
    extensions.set("maximum", maximum as u64);
    error
}

/// Refuses a count past its maximum: "the query has more than 100 aliases (…)".
fn within(count: usize, maximum: usize, limit: &str, what: &str) -> ServerResult<()> {
    if count > maximum {
        return Err(too_complex(
            limit,
            maximum,
            format!("the query has more than {maximum} {what}"),
        ));
    }
    Ok(())
}

/// A NUL character in a text: PostgreSQL stores no such text, and no name or code holds one.
fn nul_in(argument: &str) -> ServerError {
    let mut error = ServerError::new(
        format!("{argument} holds a NUL character (\\u0000), which no text here may contain"),
        None,
    );
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", crate::error::code::BAD_USER_INPUT);
    extensions.set("argument", argument);
    error
}

/// Whether a value holds a string with a NUL character. Values nest at most `MAX_NESTING`
/// levels (counted before parsing), so the recursion is bounded.
fn holds_nul_const(value: &async_graphql::Value) -> bool {
    use async_graphql::Value;
    match value {
        Value::String(text) => text.contains('\0'),
        Value::List(items) => items.iter().any(holds_nul_const),
        Value::Object(fields) => fields.values().any(holds_nul_const),
        _ => false,
    }
}

fn bad_page_size(argument: &str, value: i64) -> ServerError {
    let mut error = ServerError::new(
        format!(
            "{argument} must be between 0 and {MAX_PAGE_SIZE} (got {value}); page with `after` for more"
        ),
        None,
    );
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", crate::error::code::BAD_USER_INPUT);
    extensions.set("argument", argument);
    error
}

/// Parses a query once (or takes it from `documents`) and walks it against the limits, before
/// async-graphql's own checks (whose recursion would follow a fragment cycle 32 levels down
/// before saying anything). The walk runs for every request: its page sizes may come from the
/// variables. Returns the document and the variables it will run with, defaults included
/// (`effective_variables`), which the cost is priced with.
pub fn parse_within(
    limits: &Limits,
    documents: &crate::documents::Documents,
    query: &str,
    operation_name: Option<&str>,
    variables: &Variables,
) -> ServerResult<(std::sync::Arc<ExecutableDocument>, Variables)> {
    let document = documents.get_or_parse(query, |query| {
        async_graphql::parser::parse_query(query).map_err(|error| {
            let mut error = ServerError::from(error);
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", crate::error::code::GRAPHQL_PARSE_FAILED);
            error
        })
    })?;
    let variables = effective_variables(&document, operation_name, variables);
    Walk::new(limits, &document, &variables).document()?;
    Ok((document, variables))
}

/// The operation `operation_name` chooses in `document` (the first when none is named).
pub fn chosen_operation<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'a Positioned<async_graphql::parser::types::OperationDefinition>> {
    document
        .operations
        .iter()
        .find(|(name, _)| match operation_name {
            Some(wanted) => name.is_some_and(|name| name.as_str() == wanted),
            None => true,
        })
        .map(|(_, operation)| operation)
}

/// The variables the operation will run with: those sent, and the defaults its definitions
/// give the others (`query($n: Int = 100)`). The limits, the NUL check and the cost look at
/// these, or a default would slip past them.
pub fn effective_variables(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    sent: &Variables,
) -> Variables {
    let mut variables = sent.clone();
    if let Some(operation) = chosen_operation(document, operation_name) {
        for definition in &operation.node.variable_definitions {
            let name = &definition.node.name.node;
            if let Some(default) = &definition.node.default_value
                && !variables.contains_key(name)
            {
                variables.insert(name.clone(), default.node.clone());
            }
        }
    }
    variables
}

#[async_graphql::async_trait::async_trait]
impl Extension for QueryLimitsExtension {
    /// The checking schema stops once the request is validated and charged: the running
    /// schema, which has no extension, executes it (see `schema::Schemas`).
    async fn execute(
        &self,
        _ctx: &ExtensionContext<'_>,
        _operation_name: Option<&str>,
        _next: NextExecute<'_>,
    ) -> Response {
        Response::new(async_graphql::Value::Null)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let budget = ctx.data_opt::<Arc<crate::rate_limit::Budget>>();
        let result = match next.run(ctx).await {
            Ok(result) => result,
            Err(errors) => {
                // A query that does not validate still costs a point: errors are not free.
                if let Some(budget) = budget {
                    budget.charge(1).await.map_err(|e| vec![e])?;
                }
                return Err(errors);
            }
        };
        // The cost is ours (`cost::CostModel`), priced before validation; async-graphql's own
        // complexity only when a caller checks without it (tests of the extension alone).
        let cost = ctx
            .data_opt::<QueryCost>()
            .map_or(result.complexity, |cost| cost.0);
        if cost > self.0.max_cost {
            if let Some(budget) = budget {
                budget.charge(1).await.map_err(|e| vec![e])?;
            }
            return Err(vec![too_complex(
                "cost",
                self.0.max_cost,
                format!(
                    "the query costs {} points; the limit is {} (MAX_QUERY_COST): ask for smaller pages",
                    cost, self.0.max_cost
                ),
            )]);
        }
        if let Some(budget) = budget {
            budget.charge(cost).await.map_err(|e| vec![e])?;
        }
        Ok(result)
    }
}

/// One pass over a parsed document that stops at the first limit crossed, so a fragment bomb
/// costs no more than the limits allow.
struct Walk<'a> {
    limits: &'a Limits,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    aliases: usize,
    directives: usize,
    fragment_spreads: usize,
    fields: usize,
    /// The fragments being spread, to refuse a cycle before it recurses.
    spreading: HashSet<&'a str>,
}

impl<'a> Walk<'a> {
    fn new(
        limits: &'a Limits,
        document: &'a ExecutableDocument,
        variables: &'a Variables,
    ) -> Walk<'a> {
        Walk {
            limits,
            document,
            variables,
            aliases: 0,
            directives: 0,
            fragment_spreads: 0,
            fields: 0,
            spreading: HashSet::new(),
        }
    }

    fn document(&mut self) -> ServerResult<()> {
        for (name, value) in self.variables.iter() {
            if holds_nul_const(value) {
                return Err(nul_in(&format!("${name}")));
            }
        }
        let document = self.document;
        for (_, operation) in document.operations.iter() {
            self.directives(&operation.node.directives)?;
            self.selection_set(&operation.node.selection_set.node, 1)?;
        }
        for fragment in document.fragments.values() {
            let FragmentDefinition { directives, .. } = &fragment.node;
            self.directives(directives)?;
        }
        Ok(())
    }

    fn selection_set(&mut self, set: &'a SelectionSet, depth: usize) -> ServerResult<()> {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => self.field(&field.node, depth)?,
                Selection::InlineFragment(fragment) => {
                    self.directives(&fragment.node.directives)?;
                    self.selection_set(&fragment.node.selection_set.node, depth)?;
                }
                Selection::FragmentSpread(spread) => {
                    self.directives(&spread.node.directives)?;
                    self.fragment_spreads += 1;
                    within(
                        self.fragment_spreads,
                        self.limits.max_fragment_spreads,
                        "fragmentSpreads",
                        "fragment spreads (MAX_QUERY_FRAGMENT_SPREADS)",
                    )?;
                    let name = spread.node.fragment_name.node.as_str();
                    if self.spreading.contains(name) {
                        let mut error = ServerError::new(
                            format!(
                                "the fragment `{name}` spreads itself: fragments may not form a cycle"
                            ),
                            Some(spread.pos),
                        );
                        error
                            .extensions
                            .get_or_insert_with(Default::default)
                            .set("code", crate::error::code::GRAPHQL_VALIDATION_FAILED);
                        return Err(error);
                    }
                    if let Some(fragment) = self.document.fragments.get(&Name::new(name)) {
                        self.spreading.insert(name);
                        self.selection_set(&fragment.node.selection_set.node, depth)?;
                        self.spreading.remove(name);
                    }
                }
            }
        }
        Ok(())
    }

    fn field(&mut self, field: &'a Field, depth: usize) -> ServerResult<()> {
        within(
            depth,
            self.limits.max_depth,
            "depth",
            "levels of nesting (MAX_QUERY_DEPTH)",
        )?;
        self.fields += 1;
        within(
            self.fields,
            self.limits.max_fields,
            "fields",
            "fields (MAX_QUERY_FIELDS)",
        )?;
        if field.alias.is_some() {
            self.aliases += 1;
            within(
                self.aliases,
                self.limits.max_aliases,
                "aliases",
                "aliases (MAX_QUERY_ALIASES)",
            )?;
        }
        self.directives(&field.directives)?;
        for (name, value) in &field.arguments {
            let argument = name.node.as_str();
            // The argument as it will run: literals with the variables put in (an unknown
            // variable is validation's to report).
            let Ok(written) = value
                .node
                .clone()
                .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()))
            else {
                continue;
            };
            if holds_nul_const(&written) {
                return Err(nul_in(argument));
            }
            if (argument == "first" || argument == "last")
                && let async_graphql::Value::Number(number) = &written
                && let Some(size) = number.as_i64()
                && !(0..=i64::from(MAX_PAGE_SIZE)).contains(&size)
            {
                return Err(bad_page_size(argument, size));
            }
        }
        self.selection_set(&field.selection_set.node, depth + 1)
    }

    fn directives(&mut self, directives: &[Positioned<Directive>]) -> ServerResult<()> {
        self.directives += directives.len();
        within(
            self.directives,
            self.limits.max_directives,
            "directives",
            "directives (MAX_QUERY_DIRECTIVES)",
        )
    }
}
