//! A client of `/graphql/stream`: opens a subscription over Server-Sent Events and reads its
//! events as the HTML standard's event-stream parsing has them (fields `event`, `id`, `data`;
//! lines starting with a colon are comments; an empty line ends an event).

use std::time::Duration;

use serde_json::{Value, json};

use crate::TestApp;

/// One event of the stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// `next` or `complete`.
    pub event: String,
    pub id: Option<String>,
    /// The event's data, parsed as JSON (`Null` when it has none, as `complete`).
    pub data: Value,
}

/// What the stream sends, read as it comes.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    Event(Event),
    /// A comment (`: ping`).
    Comment(String),
}

/// An open answer of `/graphql/stream`.
pub struct EventStream {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    response: reqwest::Response,
    buffer: Vec<u8>,
    ended: bool,
}

/// How long a test waits for an event before it says so.
pub const PATIENCE: Duration = Duration::from_secs(15);

impl TestApp {
    /// Opens `query` (a subscription) on `/graphql/stream` as `token` (anonymous without one),
    /// resuming after `last_event_id` when given. Returns once the answer's headers are in.
    pub async fn subscribe(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
        last_event_id: Option<&str>,
    ) -> EventStream {
        let mut request = self
            .client
            .post(format!("{}/graphql/stream", self.address))
            .header("accept", "text/event-stream")
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.expect("the server answers");
        EventStream {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            response,
            buffer: Vec::new(),
            ended: false,
        }
    }
}

impl EventStream {
    /// The next event, comments skipped; None once the stream ended. Panics after `PATIENCE`.
    pub async fn next_event(&mut self) -> Option<Event> {
        loop {
            match self.next_frame().await? {
                Frame::Event(event) => return Some(event),
                Frame::Comment(_) => continue,
            }
        }
    }

    /// The next `next` event's data, asserting it is one.
    pub async fn next_result(&mut self) -> Event {
        let event = self.next_event().await.expect("an event before the end");
        assert_eq!(event.event, "next", "{event:#?}");
        event
    }

    /// The next frame, comments included; None once the stream ended.
    pub async fn next_frame(&mut self) -> Option<Frame> {
        tokio::time::timeout(PATIENCE, self.read_frame())
            .await
            .expect("the stream said something in time")
    }

    /// Whether the stream ends within `wait` (sending nothing but comments meanwhile).
    pub async fn ends_within(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, async {
            while let Some(frame) = self.read_frame().await {
                if let Frame::Event(event) = frame {
                    panic!("an event where none was expected: {event:#?}");
                }
            }
        })
        .await
        .is_ok()
    }

    /// Whether no event comes within `wait` (comments may).
    pub async fn silent_for(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, async {
            loop {
                match self.read_frame().await {
                    Some(Frame::Comment(_)) => continue,
                    other => return other,
                }
            }
        })
        .await
        .is_err()
    }

    async fn read_frame(&mut self) -> Option<Frame> {
        loop {
            if let Some(frame) = self.parse_frame() {
                return Some(frame);
            }
            if self.ended {
                return None;
            }
            match self.response.chunk().await.expect("the stream reads") {
                Some(chunk) => self.buffer.extend_from_slice(&chunk),
                None => self.ended = true,
            }
        }
    }

    /// Takes one whole frame (up to an empty line) off the buffer.
    fn parse_frame(&mut self) -> Option<Frame> {
        let text = std::str::from_utf8(&self.buffer).ok()?;
        let end = text.find("\n\n")?;
        let block = text[..end].to_owned();
        self.buffer.drain(..end + 2);
        let mut event = String::new();
        let mut id = None;
        let mut data: Option<String> = None;
        let mut comment = None;
        for line in block.lines() {
            if let Some(text) = line.strip_prefix(':') {
                comment = Some(text.trim().to_owned());
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => event = value.to_owned(),
                "id" => id = Some(value.to_owned()),
                "data" => {
                    data = Some(match data {
                        Some(before) => format!("{before}\n{value}"),
                        None => value.to_owned(),
                    })
                }
                _ => {}
            }
        }
        if event.is_empty() && data.is_none() && id.is_none() {
            return Some(Frame::Comment(comment.unwrap_or_default()));
        }
        let data = match data.as_deref() {
            None | Some("") => Value::Null,
            Some(text) => serde_json::from_str(text).expect("an event's data is JSON"),
        };
        Some(Frame::Event(Event { event, id, data }))
    }
}
