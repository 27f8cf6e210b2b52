//! Where a delivery may connect: a resolver that drops the addresses of the server's own
//! networks when only public targets are allowed, so a host name that resolves to one (or is
//! made to, later) is refused when delivering, not only when subscribing.

use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Resolves host names, keeping only public addresses.
pub(super) struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = format!("{}:0", name.as_str());
            let public: Vec<SocketAddr> = tokio::net::lookup_host(host)
                .await?
                .filter(|address| domain::webhook::is_public(address.ip()))
                .collect();
            if public.is_empty() {
                return Err(format!(
                    "{} resolves to no public address: a webhook is not delivered to the server's own networks",
                    name.as_str()
                )
                .into());
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// The HTTP client deliveries are made with.
pub(super) fn client(
    targets: domain::webhook::Targets,
    timeout: std::time::Duration,
) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            "partner-directory-webhooks/",
            env!("CARGO_PKG_VERSION")
        ));
    match targets {
        domain::webhook::Targets::PublicHttps => builder
            .https_only(true)
            .dns_resolver(std::sync::Arc::new(PublicOnly))
            .build(),
        domain::webhook::Targets::AnyHost => builder.build(),
    }
}
