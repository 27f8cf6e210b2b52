//! Webhooks: a subscriber's URL told of the changes of the directory it follows, as the
//! Standard Webhooks specification says (<https://www.standardwebhooks.com>).
//!
//! The rules that do not depend on the network live here: which URLs a subscription may name,
//! when a failed delivery is tried again, and when a subscription is given up.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use crate::Id;
use crate::access::{Actor, Role};
use crate::validate::{ValueError, check_url};

string_enum! {
    /// Whether a subscription is delivered to.
    pub enum Status {
        /// Changes are delivered.
        Active = "active",
        /// Delivery stopped, for the reason the subscription gives: too many failed attempts
        /// in a row, or the token that created it is no longer valid.
        Disabled = "disabled",
    }
}

/// Consecutive failed attempts after which a subscription is disabled: with the server's
/// default schedule (`retry_delay` from 30 s, capped at 6 h), about a day and a half.
pub const MAX_CONSECUTIVE_FAILURES: i32 = 15;

/// How long a rotated secret keeps signing deliveries beside the new one, so a subscriber can
/// switch over without losing one.
pub const PREVIOUS_SECRET_GRACE: Duration = Duration::from_secs(24 * 3600);

/// Why a subscription's URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error(transparent)]
    Malformed(#[from] ValueError),
    #[error(
        "a webhook URL uses https:// (http:// only to this machine, when the server allows it)"
    )]
    NotHttps,
    #[error("a webhook URL names a public host: {0} is a private, loopback or link-local address")]
    PrivateHost(String),
    #[error("a webhook URL carries no user name or password; the signature authenticates")]
    Credentials,
}

/// Which targets the server may deliver to beyond public HTTPS hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Targets {
    /// Public hosts over HTTPS only: what a server facing partners allows.
    #[default]
    PublicHttps,
    /// Also plain HTTP and private or loopback addresses: a development machine or a test.
    AnyHost,
}

/// Checks a subscription's URL: well formed, HTTPS, no credentials in it, and, unless
/// `targets` allows any host, not an address of the server's own network (a subscription must
/// not make the server call its neighbours). A host name is checked again once resolved,
/// when delivering (`is_public`).
pub fn check_target(url: &str, targets: Targets) -> Result<(), UrlError> {
    check_url(url)?;
    if targets == Targets::AnyHost {
        return Ok(());
    }
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(UrlError::NotHttps);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(UrlError::Credentials);
    }
    let host = host_of(authority);
    if let Ok(address) = host.parse::<IpAddr>()
        && !is_public(address)
    {
        return Err(UrlError::PrivateHost(host.to_owned()));
    }
    if host.eq_ignore_ascii_case("localhost") || host.ends_with(".localhost") {
        return Err(UrlError::PrivateHost(host.to_owned()));
    }
    Ok(())
}

/// The host of an authority (`host:port`, `[::1]:8443`), brackets removed.
fn host_of(authority: &str) -> &str {
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

/// Whether an address is one of the public internet: not loopback, private, link-local,
/// unspecified, shared (100.64/10), documentation or multicast.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, ..] = v4.octets();
    !(v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || v4.is_documentation()
        || v4.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)))
}

fn is_public_v6(v6: Ipv6Addr) -> bool {
    let first = v6.segments()[0];
    !(v6.is_loopback()
        || v6.is_unspecified()
        || v6.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80)
}

/// A subscription to the change feed, as the directory keeps it (its secret aside).
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub id: Id,
    /// The token that made it: deliveries show what that token may read, and stop when it is
    /// revoked or expires.
    pub token_id: Id,
    pub url: String,
    /// The change feed's filter, as the API wrote it (JSON).
    pub filter: String,
    pub status: Status,
    pub disabled_reason: Option<String>,
    /// Failed attempts in a row.
    pub failures: i32,
    /// The position in the change feed of the last change delivered.
    pub position: Id,
    /// When the next delivery is due.
    pub next_attempt_at: chrono::DateTime<chrono::Utc>,
    pub stamp: crate::Stamp,
}

/// Whether `actor` manages (reads, rotates the secret of, deletes) a subscription made by the
/// token `token_id` acting for `organisation_id`: an admin, any; a partner, those made by a
/// token of its organisation; anyone, those its own token made. Others' subscriptions are not
/// there for it.
pub fn manages(actor: &Actor, token_id: Id, organisation_id: Option<Id>) -> bool {
    actor.role == Role::Admin
        || actor.token_id == Some(token_id)
        || (actor.role == Role::Partner
            && actor.organisation_id.is_some()
            && actor.organisation_id == organisation_id)
}

/// How long to wait before attempt `failures + 1`, after `failures` failed attempts in a row:
/// `base` doubled each time (5 s, 10 s, 20 s… with the default base), capped at `cap`, then
/// spread by `jitter` (a number in [0, 1): the delay is scaled by 0.5 to 1) so that
/// subscribers that fail together are not all retried at once.
pub fn retry_delay(failures: i32, base: Duration, cap: Duration, jitter: f64) -> Duration {
    let doublings = failures.clamp(1, 31) as u32 - 1;
    let full = base.saturating_mul(1u32 << doublings.min(20)).min(cap);
    full.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// Whether a subscription is given up after `failures` failed attempts in a row.
pub fn gives_up(failures: i32) -> bool {
    failures >= MAX_CONSECUTIVE_FAILURES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_subscribes_a_public_https_url_and_nothing_of_the_servers_network() {
        assert!(check_target("https://hooks.example.org/directory", Targets::PublicHttps).is_ok());
        assert!(check_target("https://93.184.216.34:8443/x", Targets::PublicHttps).is_ok());
        for (url, expected) in [
            ("http://hooks.example.org/", UrlError::NotHttps),
            (
                "https://127.0.0.1/admin",
                UrlError::PrivateHost("127.0.0.1".into()),
            ),
            (
                "https://169.254.169.254/latest/meta-data",
                UrlError::PrivateHost("169.254.169.254".into()),
            ),
            (
                "https://10.0.0.7:5432/",
                UrlError::PrivateHost("10.0.0.7".into()),
            ),
            ("https://[::1]:8080/", UrlError::PrivateHost("::1".into())),
            (
                "https://[::ffff:192.168.1.1]/",
                UrlError::PrivateHost("::ffff:192.168.1.1".into()),
            ),
            (
                "https://localhost:8080/",
                UrlError::PrivateHost("localhost".into()),
            ),
            ("https://user:pw@example.org/", UrlError::Credentials),
        ] {
            assert_eq!(
                check_target(url, Targets::PublicHttps),
                Err(expected),
                "{url}"
            );
        }
        assert!(check_target("http://127.0.0.1:9000/hook", Targets::AnyHost).is_ok());
        assert!(matches!(
            check_target("ftp://example.org", Targets::AnyHost),
            Err(UrlError::Malformed(_))
        ));
    }

    #[test]
    fn a_subscription_is_managed_by_its_token_its_organisations_partners_and_admins() {
        let partner = |token, organisation| Actor {
            token_id: Some(token),
            name: "t".into(),
            role: Role::Partner,
            organisation_id: organisation,
        };
        assert!(manages(&partner(1, Some(7)), 1, Some(7)));
        assert!(manages(&partner(2, Some(7)), 1, Some(7)));
        assert!(!manages(&partner(2, Some(8)), 1, Some(7)));
        assert!(!manages(&partner(2, None), 1, None));
        let editor = Actor {
            role: Role::Editor,
            ..partner(3, None)
        };
        assert!(!manages(&editor, 1, None));
        assert!(manages(&editor, 3, None));
        assert!(manages(&Actor::operator("admin"), 1, Some(7)));
    }

    #[test]
    fn a_failed_delivery_waits_twice_as_long_each_time_up_to_the_cap_spread_by_jitter() {
        let (base, cap) = (Duration::from_secs(5), Duration::from_secs(3600));
        assert_eq!(retry_delay(1, base, cap, 1.0), Duration::from_secs(5));
        assert_eq!(retry_delay(2, base, cap, 1.0), Duration::from_secs(10));
        assert_eq!(retry_delay(4, base, cap, 1.0), Duration::from_secs(40));
        assert_eq!(retry_delay(2, base, cap, 0.0), Duration::from_secs(5));
        assert_eq!(retry_delay(30, base, cap, 1.0), cap);
        assert!(!gives_up(MAX_CONSECUTIVE_FAILURES - 1));
        assert!(gives_up(MAX_CONSECUTIVE_FAILURES));
    }
}
