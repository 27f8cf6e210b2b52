//! How deep a request nests, measured on its text before any recursive parser sees it.
//!
//! async-graphql's parser and serde's value types recurse once per level of a list or an
//! object: a value nested a few thousand levels deep, a few kilobytes of `[[[[…`, overflows
//! the stack and aborts the process. These scans are loops, not recursions, so no input of
//! any shape can overflow a stack here; past `MAX_NESTING` the request is refused before it is
//! parsed.

/// How deep brackets may nest in a query (`{`, `[`, `(`) or in a JSON body (`{`, `[`).
///
/// A query's selections nest at most `MAX_QUERY_DEPTH` (16) levels, each with its arguments'
/// values: 64 leaves room for every real query, and is far below what overflows a stack.
pub const MAX_NESTING: usize = 64;

/// Where a request nests too deep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The GraphQL query text.
    Query,
    /// A JSON text: the POST body, or GET's `variables` or `extensions`.
    Json,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Query => "query",
            Part::Json => "variables",
        }
    }
}

/// Whether `json` nests its arrays and objects no deeper than `maximum`. Strings are skipped
/// with their escapes, so brackets inside them do not count.
pub fn json_within(json: &[u8], maximum: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in json {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > maximum {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// Whether a GraphQL document nests its selection sets, argument lists, lists and input
/// objects no deeper than `maximum`. Strings, block strings and comments are skipped.
pub fn query_within(query: &str, maximum: usize) -> bool {
    let bytes = query.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'#' => {
                while at < bytes.len() && bytes[at] != b'\n' && bytes[at] != b'\r' {
                    at += 1;
                }
            }
            b'"' if bytes[at..].starts_with(b"\"\"\"") => {
                at += 3;
                while at < bytes.len() && !bytes[at..].starts_with(b"\"\"\"") {
                    // `\"""` escapes the closing quotes inside a block string.
                    at += if bytes[at..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                at += 2;
            }
            b'"' => {
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' && bytes[at] != b'\n' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > maximum {
                    return false;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        at += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_counts_arrays_and_objects_but_not_brackets_in_strings() {
        assert!(json_within(br#"{"a":[[1]]}"#, 3));
        assert!(!json_within(br#"{"a":[[1]]}"#, 2));
        assert!(json_within(br#"{"a":"[[[[\"[[["}"#, 1));
        assert!(!json_within("[".repeat(100_000).as_bytes(), MAX_NESTING));
    }

    #[test]
    fn queries_count_selections_arguments_lists_and_objects() {
        assert!(query_within("{ a(x: [{ y: 1 }]) { b } }", 4));
        assert!(!query_within("{ a(x: [{ y: 1 }]) { b } }", 3));
        assert!(!query_within(
            &format!("{{ a(x: {}) }}", "[".repeat(10_000)),
            MAX_NESTING
        ));
    }

    #[test]
    fn queries_skip_strings_block_strings_and_comments() {
        assert!(query_within(r#"{ a(x: "[[[[\"[[") }"#, 2));
        assert!(query_within("{ a(x: \"\"\"[[[[ \\\"\"\" [[[\"\"\") }", 2));
        assert!(query_within("{ a # [[[[[[\n }", 1));
        // An unterminated string or comment ends the scan without reading past the text.
        assert!(query_within("{ a(x: \"[[[", 2));
        assert!(query_within("{ a(x: \"\"\"[[[", 2));
    }
}
