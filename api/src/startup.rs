//! Builds the application: database, migrations, reference data, HTTP server.
//! `Application::build` binds the listener (port 0 works) before returning, so
//! tests know the port before the server runs. The routes come from
//! `http::routes`, the middleware stack from `http`.

use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::{Server, ServerHandle};
use actix_web::http::{Method, header};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use sea_orm::DatabaseConnection;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::accounts::throttle::LoginThrottle;
use crate::auth::token::TokenKeys;
use crate::config::Settings;
use crate::http::fallback::{self, RouteTable};
use crate::http::openapi::{self, ApiDocument};
use crate::http::routes::api_routes;
use crate::http::{etag, idempotency, middleware};
use crate::metrics::HttpMetrics;
use crate::request_id::REQUEST_ID_HEADER;
use crate::state::AppState;
use crate::{adaptive, auth, db, extract, lessons};

pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_routes(settings, |_| {}).await
    }

    /// Like `build`, with undocumented extra routes mounted beside the API; the
    /// integration tests use it to probe the shared extractors and errors.
    pub async fn build_with_routes<F>(settings: Settings, extra_routes: F) -> anyhow::Result<Self>
    where
        F: Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
    {
        let db = prepare_database(&settings).await?;
        crate::credentials::keys::publish_configured(&db, &settings.credentials)
            .await
            .context("cannot publish the configured credential key")?;
        let listener =
            TcpListener::bind(settings.bind).with_context(|| format!("cannot bind {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let document = openapi::document();
        // The fallback tells 404 from 405 with the methods the document lists.
        let routes = web::Data::new(RouteTable::from_document(&document));
        let document = web::Data::new(ApiDocument::new(&document)?);
        let metrics = web::Data::new(HttpMetrics::new()?);
        let state = web::Data::new(AppState::new(
            db.clone(),
            Arc::new(settings.clone()),
            TokenKeys::from_secret(&signing_secret(&settings))?,
            LoginThrottle {
                max_failures: settings.login_max_failures,
                window: chrono::Duration::from_std(settings.login_window)?,
            },
        ));
        // Other replicas' changes drop this one's cached copies (PostgreSQL only).
        crate::cache_listener::start(state.clone(), &settings.database)?;
        let body_limit = settings.max_body_bytes;
        let cors_origins = settings.cors_origins.clone();

        let mut server = HttpServer::new(move || {
            App::new()
                .into_utoipa_app()
                .configure(api_routes)
                .into_app()
                .configure(extra_routes.clone())
                .service(SwaggerUi::new("/docs/{_:.*}").config(SwaggerConfig::new(["/api/v1/openapi.json"])))
                .app_data(state.clone())
                .app_data(metrics.clone())
                .app_data(document.clone())
                .app_data(routes.clone())
                .app_data(extract::json_config(body_limit))
                .app_data(extract::payload_config(body_limit))
                .app_data(extract::query_config())
                .app_data(extract::path_config())
                .default_service(web::to(fallback::not_found_or_method_not_allowed))
                .wrap(from_fn(etag::etag))
                .wrap(from_fn(idempotency::idempotency))
                .wrap(from_fn(auth::extractor::authenticate))
                .wrap(cors(&cors_origins))
                .wrap(from_fn(middleware::request_context))
        })
        .listen(listener)?
        .shutdown_timeout(settings.shutdown_timeout.as_secs());
        if settings.workers > 0 {
            server = server.workers(settings.workers);
        }
        // Unanswered match requests expire on a schedule, in every replica (see `mentoring::expiry`).
        tokio::spawn(crate::mentoring::expiry::run_periodically(db.clone()));
        // Mails of the outbox are delivered by every replica (see `mail`).
        crate::mail::sender::start(db.clone(), &settings.mail)?;
        // Webhook deliveries are sent by every replica (see `webhooks`).
        crate::webhooks::dispatcher::start(db.clone(), &settings.webhooks)?;
        // Idempotency records older than a day go (see `idempotency`); the first sweep runs at start.
        tokio::spawn(idempotency::run_periodically(db.clone()));
        Ok(Application { port, server: server.run(), db })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server (gracefully or not) from elsewhere, e.g. a test.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until a signal, then closes the pool. SIGTERM is graceful (actix
    /// stops accepting; requests being handled or answered finish within the
    /// shutdown timeout, idle connections are closed); SIGINT stops at once.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        if let Err(error) = self.db.close().await {
            tracing::warn!(%error, "closing the database pool failed");
        }
        result
    }
}

/// The configured secret; without one (development only, the configuration
/// refuses it in production) a random one, so tokens do not survive a restart.
fn signing_secret(settings: &Settings) -> Vec<u8> {
    match &settings.jwt_secret {
        Some(secret) => secret.as_bytes().to_vec(),
        None => {
            use password_hash::rand_core::{OsRng, RngCore};
            tracing::warn!("TREMPLIN_JWT_SECRET is not set: using a random secret, sessions end at restart");
            let mut secret = vec![0u8; 32];
            OsRng.fill_bytes(&mut secret);
            secret
        }
    }
}

/// Connects and applies the pending migrations.
pub async fn migrated_database(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let shown = crate::config::mask_password(&settings.database.url);
    tracing::info!(database = %shown, "connecting to the database");
    let db = db::connect(&settings.database).await.with_context(|| format!("cannot connect to {shown}"))?;
    db::migrate(&db, &settings.database).await.context("cannot apply the database migrations")?;
    Ok(db)
}

/// Connects, migrates and adds missing reference data: a first start on an
/// empty SQLite file gives a working service.
pub async fn prepare_database(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let db = migrated_database(settings).await?;
    let (report, lessons_added, placement_items) =
        db::one_replica_at_a_time(&db, &settings.database, async {
            let report = migration::seed::run(&db).await.context("cannot load the reference data")?;
            let lessons_added = lessons::seed::run(&db).await.context("cannot load the starter lessons")?;
            let placement_items =
                adaptive::seed::run(&db).await.context("cannot load the placement item bank")?;
            Ok((report, lessons_added, placement_items))
        })
        .await?;
    tracing::info!(
        skills_added = report.skills_added,
        lessons_added,
        placement_items,
        "reference data loaded"
    );
    Ok(db)
}

/// Cross-origin access for the configured front-ends only. Mismatched origins
/// are not blocked server-side (curl and server-to-server clients send any
/// `Origin`); the browser enforces the missing headers.
fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("idempotency-key"),
            REQUEST_ID_HEADER,
        ])
        .expose_headers([header::ETAG, header::LOCATION, header::RETRY_AFTER, REQUEST_ID_HEADER])
        .max_age(3600)
        .block_on_origin_mismatch(false)
}
