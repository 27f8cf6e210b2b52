//! The text of an event stream (Server-Sent Events, as the HTML standard defines it) in the
//! shapes the GraphQL over SSE protocol uses: `next` events that carry a GraphQL response,
//! one `complete` event with no data, and comments that keep the connection alive.

use axum::body::Bytes;
use axum::http::{HeaderMap, header};

/// The media type of an event stream.
pub const EVENT_STREAM: &str = "text/event-stream";

/// Whether the request accepts an event stream (`Accept: text/event-stream`, not refused with
/// `q=0`).
pub fn accepted(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|accept| accept.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| p.replace(' ', "") == "q=0");
            name.eq_ignore_ascii_case(EVENT_STREAM) && !refused
        })
}

/// A `next` event carrying `result` (a GraphQL response, compact JSON: one line), with the
/// event id `id` when it carries a change: a client that reconnects sends it back as
/// `Last-Event-ID`.
pub fn next(id: Option<&str>, result: &[u8]) -> Bytes {
    let mut event = Vec::with_capacity(result.len() + 64);
    event.extend_from_slice(b"event: next\n");
    if let Some(id) = id.filter(|id| is_field_value(id)) {
        event.extend_from_slice(b"id: ");
        event.extend_from_slice(id.as_bytes());
        event.push(b'\n');
    }
    event.extend_from_slice(b"data: ");
    event.extend_from_slice(result);
    event.extend_from_slice(b"\n\n");
    Bytes::from(event)
}

/// The `complete` event: the operation is done, and the stream ends after it. No data, as the
/// protocol's distinct connections mode has it.
pub fn complete() -> Bytes {
    Bytes::from_static(b"event: complete\ndata:\n\n")
}

/// A comment: clients ignore it, proxies see the connection alive.
pub fn ping() -> Bytes {
    Bytes::from_static(b": ping\n\n")
}

/// Whether `text` can stand as a field's value on one line (cursors are base64: always).
fn is_field_value(text: &str) -> bool {
    !text.contains(['\n', '\r', '\0'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_next_event_carries_its_id_and_its_result_on_one_data_line() {
        let event = next(Some("Q0hBTkdF"), br#"{"data":{"changes":null}}"#);
        assert_eq!(
            &event[..],
            b"event: next\nid: Q0hBTkdF\ndata: {\"data\":{\"changes\":null}}\n\n"
        );
        assert_eq!(
            &next(None, b"{}")[..],
            b"event: next\ndata: {}\n\n",
            "an error carries no id"
        );
    }

    #[test]
    fn only_an_event_stream_accepted_by_the_client_is_sent() {
        let with = |accept: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, accept.parse().unwrap());
            accepted(&headers)
        };
        assert!(with("text/event-stream"));
        assert!(with("application/json, text/event-stream;q=0.9"));
        assert!(!with("text/event-stream;q=0"));
        assert!(!with("application/json"));
        assert!(!accepted(&HeaderMap::new()));
    }
}
