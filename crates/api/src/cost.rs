//! What a query costs, read from the schema itself, so that a field added later is charged by
//! the same rules without anyone remembering to annotate it.
//!
//! Every field costs 1, plus what it returns times how many it may return:
//! - a connection (`…Connection`): its page size (`first`, `last`, or 20), as GitHub and
//!   Shopify count; its `edges` and `nodes` are that page, not a further multiple;
//! - a list with an `ids` argument: one per id given;
//! - a list with a `first` argument: that many (or the argument's default);
//! - any other list of records: `UNPAGED_LIST`, as if it were a default page;
//! - a field whose description says `Costs N points` (work beyond reading: scoring every
//!   candidate city, computing percentiles) costs N rather than 1, so the charge is stated
//!   where a client reads about the field, and cannot drift from it.
//!
//! The model is built once from the served SDL (`CostModel::from_sdl`); `CostModel::of`
//! prices a parsed operation with its variables.

use std::collections::HashMap;

use async_graphql::Variables;
use async_graphql::parser::types::{
    BaseType, ExecutableDocument, Selection, SelectionSet, Type, TypeKind, TypeSystemDefinition,
};

use crate::schema::connection::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// What a list without paging arguments is charged for: a default page of records.
pub const UNPAGED_LIST: usize = DEFAULT_PAGE_SIZE as usize;

/// How a field multiplies what it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Multiplier {
    One,
    /// A connection's page: `first`, `last`, or the default page.
    Page,
    /// A list, as long as its `ids` argument.
    Ids,
    /// A list, as long as its `first` argument, whose default is given.
    First(usize),
    /// A list with no paging argument.
    Unpaged,
    /// A connection's own `edges` or `nodes`: the page was counted at the connection.
    OfConnection,
}

#[derive(Debug, Clone)]
struct FieldCost {
    /// The named type the field returns, lists and non-null stripped.
    returns: String,
    multiplier: Multiplier,
    /// What the field costs itself: 1, or the `Costs N points` of its description.
    own: usize,
}

/// The cost of every field of the schema, by (type, field).
#[derive(Debug, Default)]
pub struct CostModel {
    fields: HashMap<(String, String), FieldCost>,
    query: String,
    mutation: String,
    subscription: String,
}

impl CostModel {
    /// Reads the schema's SDL (`Schema::sdl`). Panics if it does not parse: it is ours.
    pub fn from_sdl(sdl: &str) -> CostModel {
        let document = async_graphql::parser::parse_schema(sdl).expect("the served SDL parses");
        let mut model = CostModel {
            query: "Query".to_owned(),
            mutation: "Mutation".to_owned(),
            subscription: "Subscription".to_owned(),
            ..CostModel::default()
        };
        for definition in document.definitions {
            match definition {
                TypeSystemDefinition::Schema(schema) => {
                    if let Some(query) = schema.node.query {
                        model.query = query.node.to_string();
                    }
                    if let Some(mutation) = schema.node.mutation {
                        model.mutation = mutation.node.to_string();
                    }
                    if let Some(subscription) = schema.node.subscription {
                        model.subscription = subscription.node.to_string();
                    }
                }
                TypeSystemDefinition::Type(definition) => {
                    let parent = definition.node.name.node.to_string();
                    let fields = match definition.node.kind {
                        TypeKind::Object(object) => object.fields,
                        TypeKind::Interface(interface) => interface.fields,
                        _ => continue,
                    };
                    let in_connection = parent.ends_with("Connection");
                    for field in fields {
                        let field = field.node;
                        let (returns, list) = named(&field.ty.node);
                        let argument = |name: &str| {
                            field
                                .arguments
                                .iter()
                                .find(|argument| argument.node.name.node == name)
                        };
                        let multiplier = if returns.ends_with("Connection") {
                            Multiplier::Page
                        } else if !list {
                            Multiplier::One
                        } else if in_connection {
                            Multiplier::OfConnection
                        } else if argument("ids").is_some() {
                            Multiplier::Ids
                        } else if let Some(first) = argument("first") {
                            let default = first
                                .node
                                .default_value
                                .as_ref()
                                .and_then(|value| match &value.node {
                                    async_graphql::Value::Number(number) => number.as_u64(),
                                    _ => None,
                                })
                                .map_or(UNPAGED_LIST, |n| n as usize);
                            Multiplier::First(default)
                        } else {
                            Multiplier::Unpaged
                        };
                        let own = field
                            .description
                            .as_ref()
                            .and_then(|description| stated_cost(&description.node))
                            .unwrap_or(1);
                        model.fields.insert(
                            (parent.clone(), field.name.node.to_string()),
                            FieldCost {
                                returns,
                                multiplier,
                                own,
                            },
                        );
                    }
                }
                _ => {}
            }
        }
        model
    }

    /// The cost of the operation `operation_name` chooses in `document` (the first when none
    /// is named). The document has passed the limits walk: no fragment cycle, bounded size.
    pub fn of(
        &self,
        document: &ExecutableDocument,
        operation_name: Option<&str>,
        variables: &Variables,
    ) -> usize {
        let pricing = Pricing {
            model: self,
            document,
            variables,
        };
        let Some(operation) = crate::limits::chosen_operation(document, operation_name) else {
            return 0;
        };
        let root = match operation.node.ty {
            async_graphql::parser::types::OperationType::Mutation => &self.mutation,
            async_graphql::parser::types::OperationType::Subscription => &self.subscription,
            async_graphql::parser::types::OperationType::Query => &self.query,
        };
        pricing.selection_set(&operation.node.selection_set.node, root)
    }

    /// The cost a field's description states, if any (`Costs 50 points…`).
    #[cfg(test)]
    fn own(&self, parent: &str, field: &str) -> Option<usize> {
        self.fields
            .get(&(parent.to_owned(), field.to_owned()))
            .map(|f| f.own)
    }
}

/// The named type under lists and non-null markers, and whether there was a list.
fn named(ty: &Type) -> (String, bool) {
    match &ty.base {
        BaseType::Named(name) => (name.to_string(), false),
        BaseType::List(inner) => (named(inner).0, true),
    }
}

/// `N` in a description's "Costs N points".
fn stated_cost(description: &str) -> Option<usize> {
    let (_, after) = description.split_once("Costs ")?;
    let number: String = after.chars().take_while(char::is_ascii_digit).collect();
    after[number.len()..]
        .starts_with(" points")
        .then(|| number.parse().ok())
        .flatten()
}

struct Pricing<'a> {
    model: &'a CostModel,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
}

impl Pricing<'_> {
    fn selection_set(&self, set: &SelectionSet, parent: &str) -> usize {
        set.items
            .iter()
            .map(|selection| match &selection.node {
                Selection::Field(field) => self.field(&field.node, parent),
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(parent.to_owned(), |c| c.node.on.node.to_string());
                    self.selection_set(&fragment.node.selection_set.node, &on)
                }
                Selection::FragmentSpread(spread) => self
                    .document
                    .fragments
                    .get(&spread.node.fragment_name.node)
                    .map_or(0, |fragment| {
                        self.selection_set(
                            &fragment.node.selection_set.node,
                            fragment.node.type_condition.node.on.node.as_str(),
                        )
                    }),
            })
            .fold(0usize, usize::saturating_add)
    }

    fn field(&self, field: &async_graphql::parser::types::Field, parent: &str) -> usize {
        let name = field.name.node.as_str();
        let Some(cost) = self.model.fields.get(&(parent.to_owned(), name.to_owned())) else {
            // Introspection (`__schema`, `__type`, `__typename`): a point per field.
            return 1usize.saturating_add(self.selection_set(&field.selection_set.node, ""));
        };
        let children = self.selection_set(&field.selection_set.node, &cost.returns);
        let argument = |wanted: &str| {
            field
                .arguments
                .iter()
                .find(|(name, _)| name.node == wanted)
                .and_then(|(_, value)| {
                    value
                        .node
                        .clone()
                        .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()))
                        .ok()
                })
        };
        let number = |wanted: &str| match argument(wanted) {
            Some(async_graphql::Value::Number(number)) => number.as_u64().map(|n| n as usize),
            _ => None,
        };
        let times = match cost.multiplier {
            Multiplier::One | Multiplier::OfConnection => 1,
            Multiplier::Page => number("first")
                .or_else(|| number("last"))
                .unwrap_or(DEFAULT_PAGE_SIZE as usize)
                .min(MAX_PAGE_SIZE as usize)
                .max(1),
            Multiplier::Ids => match argument("ids") {
                Some(async_graphql::Value::List(ids)) => ids.len().max(1),
                _ => 1,
            },
            Multiplier::First(default) => number("first").unwrap_or(default).max(1),
            Multiplier::Unpaged => UNPAGED_LIST,
        };
        cost.own.saturating_add(times.saturating_mul(children))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = r#"
        type Query {
            city(slug: String): City
            cities(first: Int, last: Int): CityConnection!
            nodes(ids: [ID!]!): [Node]!
        }
        interface Node { id: ID! }
        type City implements Node {
            id: ID!
            name: String!
            "Cities like this one. Costs 40 points: it scores every candidate."
            peers(first: Int! = 10): [Peer!]!
            sources: [Source!]!
            subdivisions: [String!]!
        }
        type Peer { city: City! score: Float! }
        type Source { title: String! }
        type CityConnection { nodes: [City!]! totalCount: Int! }
        schema { query: Query }
    "#;

    fn cost(query: &str) -> usize {
        let model = CostModel::from_sdl(SDL);
        let document = async_graphql::parser::parse_query(query).unwrap();
        model.of(&document, None, &Variables::default())
    }

    #[test]
    fn fields_cost_one_and_connections_their_page() {
        assert_eq!(cost("{ city(slug: \"a\") { name } }"), 2);
        assert_eq!(cost("{ cities(first: 5) { nodes { name } } }"), 1 + 5 * 2);
        assert_eq!(cost("{ cities { totalCount } }"), 1 + 20);
        assert_eq!(cost("{ cities(last: 1000) { totalCount } }"), 1 + 100);
    }

    #[test]
    fn lists_cost_their_length_or_cap() {
        assert_eq!(cost("{ nodes(ids: [\"a\", \"b\", \"c\"]) { id } }"), 1 + 3);
        assert_eq!(
            cost("{ nodes(ids: [\"a\", \"b\"]) { ... on City { sources { title } } } }"),
            1 + 2 * (1 + UNPAGED_LIST)
        );
        assert_eq!(cost("{ city(slug: \"a\") { subdivisions } }"), 2);
    }

    /// Over the served schema: every field that returns a list of records is multiplied by
    /// its length or cap, whoever adds it; the fields that scan state their cost.
    #[test]
    fn every_list_of_records_in_the_served_schema_is_multiplied() {
        let sdl = crate::schema::Schemas::build(
            &crate::config::Limits::default(),
            domain::webhook::Targets::default(),
        )
        .run
        .sdl();
        let model = CostModel::from_sdl(&sdl);
        let document = async_graphql::parser::parse_schema(&sdl).unwrap();
        let mut objects = std::collections::HashSet::new();
        for definition in &document.definitions {
            if let TypeSystemDefinition::Type(t) = definition
                && matches!(
                    t.node.kind,
                    TypeKind::Object(_) | TypeKind::Interface(_) | TypeKind::Union(_)
                )
            {
                objects.insert(t.node.name.node.to_string());
            }
        }
        let mut lists = 0;
        for ((parent, field), cost) in &model.fields {
            if objects.contains(&cost.returns) && cost.multiplier == Multiplier::One {
                assert!(
                    !sdl.contains(&format!("{field}: [{}", cost.returns)),
                    "{parent}.{field} returns a list but is charged as one record"
                );
            }
            if cost.multiplier != Multiplier::One {
                lists += 1;
            }
        }
        assert!(lists > 100, "{lists}");
        for (parent, field) in [
            ("City", "peers"),
            ("City", "joinable"),
            ("Assessment", "percentile"),
        ] {
            assert!(
                model.own(parent, field).unwrap_or(1) > 1,
                "{parent}.{field} states no cost"
            );
        }
    }

    #[test]
    fn a_stated_cost_is_charged_and_multiplies_with_the_list() {
        assert_eq!(CostModel::from_sdl(SDL).own("City", "peers"), Some(40));
        assert_eq!(
            cost("{ city(slug: \"a\") { peers { score } } }"),
            1 + 40 + 10
        );
        assert_eq!(
            cost(
                "{ city(slug: \"a\") { peers(first: 2) { city { peers(first: 3) { score } } } } }"
            ),
            1 + 40 + 2 * (1 + 40 + 3)
        );
    }
}
