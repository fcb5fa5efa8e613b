//! The dispatcher task, in every replica: claims due deliveries, POSTs each
//! event to its endpoint with the Standard Webhooks headers, and records the
//! try. At least once: a replica that dies between sending and recording
//! leaves the lease to expire and the delivery is sent again, with the same
//! `webhook-id`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use entity::{webhook_delivery, webhook_endpoint, webhook_event};
use reqwest::{Client, Url};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::address::resolve;
use super::deliveries::{self, Try};
use super::dto::webhook_id;
use super::signature;
use crate::config::WebhookSettings;

/// One try (connect, TLS, send, answer headers) gives up after this long.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Deliveries claimed and sent at once by one dispatcher.
const BATCH: u64 = 32;

pub struct Dispatcher {
    db: DatabaseConnection,
    settings: WebhookSettings,
    /// The TLS set-up of every try's client (each try pins its own addresses).
    tls: Arc<rustls::ClientConfig>,
}

/// reqwest's TLS is rustls without a provider of its own (ring is already
/// built for mail): this makes ring the provider of the process, which any
/// reqwest client needs before it is built (the dispatcher's, a test's, a
/// tool's). Calling it again does nothing.
pub fn install_tls_provider() {
    // An error only says a provider is already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// TLS with the Mozilla roots (webpki-roots) and rustls' ring provider, the
/// one already built for mail.
fn tls_config() -> anyhow::Result<rustls::ClientConfig> {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    Ok(rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

impl Dispatcher {
    pub fn new(db: DatabaseConnection, settings: WebhookSettings) -> anyhow::Result<Self> {
        install_tls_provider();
        Ok(Dispatcher { db, settings, tls: Arc::new(tls_config()?) })
    }

    /// A client bound to the checked addresses of the URL's host: no
    /// redirects, no proxy, short timeouts.
    fn client(&self, url: &Url, addresses: &[std::net::SocketAddr]) -> reqwest::Result<Client> {
        let mut builder = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .tls_backend_preconfigured((*self.tls).clone());
        if let Some(host) = url.host_str() {
            builder = builder.resolve_to_addrs(host, addresses);
        }
        builder.build()
    }

    /// One try: the event's payload as it was written, signed by the current
    /// secret and, during a rotation, the previous one. The answer's body is
    /// never read.
    async fn send(&self, endpoint: &webhook_endpoint::Model, event: &webhook_event::Model) -> Try {
        let attempted_at = Utc::now();
        let started = Instant::now();
        let failed = |error: String| Try {
            attempted_at,
            latency: started.elapsed(),
            response_code: None,
            error: Some(error),
        };
        let url = match Url::parse(&endpoint.url) {
            Ok(url) => url,
            Err(error) => return failed(error.to_string()),
        };
        let addresses = match resolve(&url, self.settings.allow_private).await {
            Ok(addresses) => addresses,
            Err(error) => return failed(error),
        };
        let client = match self.client(&url, &addresses) {
            Ok(client) => client,
            Err(error) => return failed(error.to_string()),
        };
        let id = webhook_id(event.id);
        let timestamp = attempted_at.timestamp();
        let previous = endpoint
            .previous_secret
            .as_deref()
            .filter(|_| endpoint.previous_secret_expires_at.is_some_and(|until| until > attempted_at));
        let secrets = std::iter::once(endpoint.secret.as_str()).chain(previous);
        let body = event.payload.clone().into_bytes();
        let signatures = signature::header(secrets, &id, timestamp, &body);
        let answer = client
            .post(url)
            .header("content-type", "application/json")
            .header("user-agent", "Tremplin-Webhooks/1")
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signatures)
            .body(body)
            .send()
            .await;
        match answer {
            Ok(response) => Try {
                attempted_at,
                latency: started.elapsed(),
                response_code: Some(response.status().as_u16()),
                error: None,
            },
            Err(error) => failed(without_url(&error)),
        }
    }

    /// Delivers what is due now; returns how many deliveries were tried.
    pub async fn deliver_due(&self) -> Result<usize, DbErr> {
        let claimed = deliveries::claim(&self.db, BATCH).await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let events: HashMap<Uuid, webhook_event::Model> = webhook_event::Entity::find()
            .filter(webhook_event::Column::Id.is_in(claimed.iter().map(|d| d.event_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|event| (event.id, event))
            .collect();
        let endpoints: HashMap<Uuid, webhook_endpoint::Model> = webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::Id.is_in(claimed.iter().map(|d| d.endpoint_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|endpoint| (endpoint.id, endpoint))
            .collect();
        let tries = claimed.iter().map(|delivery| self.try_one(delivery, &events, &endpoints));
        for result in futures_util::future::join_all(tries).await {
            result?;
        }
        Ok(claimed.len())
    }

    async fn try_one(
        &self,
        delivery: &webhook_delivery::Model,
        events: &HashMap<Uuid, webhook_event::Model>,
        endpoints: &HashMap<Uuid, webhook_endpoint::Model>,
    ) -> Result<(), DbErr> {
        // Erased or deleted since the claim: nothing to send, nothing to record.
        let (Some(event), Some(endpoint)) =
            (events.get(&delivery.event_id), endpoints.get(&delivery.endpoint_id))
        else {
            return Ok(());
        };
        let outcome = self.send(endpoint, event).await;
        if outcome.error.is_some() || outcome.response_code.is_some_and(|code| !(200..300).contains(&code)) {
            tracing::warn!(delivery_id = %delivery.id, attempts = delivery.attempts, code = ?outcome.response_code,
                error = ?outcome.error, "webhook delivery failed");
        }
        deliveries::record(
            &self.db,
            delivery,
            &outcome,
            self.settings.first_retry,
            self.settings.max_attempts,
        )
        .await
    }
}

/// A transport error without the URL (it may hold a partner's path token).
fn without_url(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "connection failed"
    } else if error.is_redirect() {
        "redirect not followed"
    } else {
        "request failed"
    };
    match std::error::Error::source(error) {
        Some(source) => format!("{kind}: {source}"),
        None => kind.to_owned(),
    }
}

/// Starts the dispatcher task of this replica.
pub fn start(db: DatabaseConnection, settings: &WebhookSettings) -> anyhow::Result<()> {
    let dispatcher = Dispatcher::new(db, settings.clone())?;
    let every = settings.poll_interval;
    tokio::spawn(async move {
        crate::periodic::every("webhook dispatcher", Duration::ZERO, every, || async {
            // A full batch means more may be due: go on at once.
            let mut tried = 0;
            loop {
                let batch = dispatcher.deliver_due().await?;
                tried += batch;
                if batch as u64 != BATCH {
                    return Ok::<usize, DbErr>(tried);
                }
            }
        })
        .await
    });
    Ok(())
}
