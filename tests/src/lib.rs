//! The test harness: `spawn_app()` starts the real server on port 0 against a
//! fresh database and returns a typed HTTP client for it.
//!
//! - By default each test gets its own temp-file SQLite database.
//! - With `TEST_DATABASE_URL=postgres://user@host/db` each test creates its own
//!   PostgreSQL database on that server, dropped when the test ends.
//! - `TEST_LOG=1` shows the service's logs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod smtp;
pub mod webhooks;

use std::sync::LazyLock;

use actix_web::dev::ServerHandle;
use api::config::{LogFormat, Settings};
use api::startup::Application;
use reqwest::{Method, RequestBuilder, Response, StatusCode, header};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::Value;

static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var_os("TEST_LOG").is_some() {
        api::telemetry::init(LogFormat::Pretty, "info", true, std::io::stdout);
    } else {
        api::telemetry::init(LogFormat::Pretty, "off", false, std::io::sink);
    }
});

/// A running service and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    /// A direct connection to the service's database, to check what it stores.
    pub db: DatabaseConnection,
    pub client: reqwest::Client,
    handle: ServerHandle,
    database: TestDatabase,
    database_url: String,
    /// The instance's mail settings, for accounts the harness creates itself.
    mail: api::config::MailSettings,
}

/// The database of one test, removed when the test ends.
enum TestDatabase {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        admin_url: String,
        name: String,
    },
    /// A replica's: another `TestApp` owns the database.
    Shared {
        postgres: bool,
    },
}

/// The PostgreSQL server the tests run on, if any (`TEST_DATABASE_URL`).
fn postgres_admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|url| !url.is_empty())
}

/// Whether this run tests PostgreSQL rather than SQLite.
pub fn testing_postgres() -> bool {
    postgres_admin_url().is_some()
}

impl TestDatabase {
    async fn create() -> (Self, String) {
        match postgres_admin_url() {
            Some(admin_url) => {
                let name = format!("tremplin_test_{}", uuid::Uuid::now_v7().simple());
                let admin = Database::connect(&admin_url).await.expect("TEST_DATABASE_URL does not answer");
                admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.unwrap();
                admin.close().await.unwrap();
                let url = replace_database_name(&admin_url, &name);
                (TestDatabase::Postgres { admin_url, name }, url)
            }
            None => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                (TestDatabase::Sqlite(dir), url)
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDatabase::Postgres { .. } | TestDatabase::Shared { postgres: true })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self {
            let (admin_url, db_name) = (admin_url.clone(), name.clone());
            // Drop runs outside any async context: use a runtime of our own.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                runtime.block_on(async {
                    let admin = Database::connect(&admin_url).await?;
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{db_name}\" WITH (FORCE)"))
                        .await?;
                    admin.close().await
                })
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("warning: test database {name} could not be dropped");
            }
        }
    }
}

/// `postgres://u@h:5432/postgres?x=y` → `postgres://u@h:5432/<name>?x=y`.
fn replace_database_name(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// The signing secret of test instances, so tests can forge tokens.
pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret!";
/// The password of every account the harness creates.
pub const TEST_PASSWORD: &str = "correct horse battery";

/// An account with a session, as the harness creates it.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: uuid::Uuid,
    pub email: String,
    pub access_token: String,
    pub refresh_token: String,
}

/// Settings of a test instance: port 0, the test's database, defaults otherwise.
pub fn test_settings(database_url: &str) -> Settings {
    let mut settings = Settings::from_lookup(|_| None).unwrap();
    settings.bind = "127.0.0.1:0".parse().unwrap();
    settings.database.url = database_url.to_owned();
    settings.workers = 2;
    settings.shutdown_timeout = std::time::Duration::from_secs(1);
    settings.jwt_secret = Some(TEST_JWT_SECRET.into());
    // Tests register many people from 127.0.0.1; the limit has its own test.
    settings.register_per_hour = 10_000;
    settings
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}, |_| {}).await
}

/// Starts the service with adjusted settings and undocumented extra routes.
pub async fn spawn_app_with<R>(configure: impl FnOnce(&mut Settings), extra_routes: R) -> TestApp
where
    R: Fn(&mut actix_web::web::ServiceConfig) + Clone + Send + 'static,
{
    LazyLock::force(&TRACING);
    let (database, url) = TestDatabase::create().await;
    start(database, url, configure, extra_routes).await
}

async fn start<R>(
    database: TestDatabase,
    url: String,
    configure: impl FnOnce(&mut Settings),
    extra_routes: R,
) -> TestApp
where
    R: Fn(&mut actix_web::web::ServiceConfig) + Clone + Send + 'static,
{
    let mut settings = test_settings(&url);
    configure(&mut settings);
    let mail = settings.mail.clone();
    let app = Application::build_with_routes(settings, extra_routes).await.expect("the application builds");
    running(app, database, url, mail).await
}

async fn running(
    app: Application,
    database: TestDatabase,
    url: String,
    mail: api::config::MailSettings,
) -> TestApp {
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    let db = Database::connect(&url).await.unwrap();
    api::webhooks::dispatcher::install_tls_provider();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    TestApp { address, db, client, handle, database, database_url: url, mail }
}

/// `count` replicas started at the same moment on one new, empty database,
/// as `docker compose up` with several API replicas does: each migrates and
/// loads the reference data itself. Every replica that fails to start is
/// reported. The first one owns the database: drop it last.
pub async fn spawn_replicas_together(count: usize) -> Vec<anyhow::Result<TestApp>> {
    LazyLock::force(&TRACING);
    let (database, url) = TestDatabase::create().await;
    let postgres = database.is_postgres();
    let mut databases = vec![database];
    databases.extend((1..count).map(|_| TestDatabase::Shared { postgres }));
    let starts = databases.into_iter().map(|database| try_start(database, url.clone()));
    futures_util::future::join_all(starts).await
}

async fn try_start(database: TestDatabase, url: String) -> anyhow::Result<TestApp> {
    let settings = test_settings(&url);
    let mail = settings.mail.clone();
    let app = Application::build(settings).await?;
    Ok(running(app, database, url, mail).await)
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command at once; the server finishes in the background.
        drop(self.handle.stop(false));
    }
}

impl TestApp {
    pub fn is_postgres(&self) -> bool {
        self.database.is_postgres()
    }

    /// Another replica of the service on this app's database, as a second
    /// instance behind a load balancer would be. Drop it before this app.
    pub async fn replica(&self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let shared = TestDatabase::Shared { postgres: self.is_postgres() };
        start(shared, self.database_url.clone(), configure, |_| {}).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path).send().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path).json(body).send().await.unwrap()
    }

    pub async fn get_as(&self, user: &TestUser, path: &str) -> Response {
        self.request(Method::GET, path).bearer_auth(&user.access_token).send().await.unwrap()
    }

    pub async fn send_as(
        &self,
        user: &TestUser,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Response {
        let request = self.request(method, path).bearer_auth(&user.access_token);
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        request.send().await.unwrap()
    }

    pub async fn register(&self, body: &Value) -> Response {
        self.post_json("/api/v1/auth/register", body).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post_json("/api/v1/auth/login", &serde_json::json!({"email": email, "password": password})).await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Response {
        self.post_json("/api/v1/auth/refresh", &serde_json::json!({"refresh_token": refresh_token})).await
    }

    /// Registers a member through the API and returns its session.
    pub async fn member(&self, name: &str) -> TestUser {
        let email = format!("{}-{}@example.org", name.to_lowercase(), uuid::Uuid::now_v7().simple());
        let response = self
            .register(&serde_json::json!({"email": email, "password": TEST_PASSWORD, "display_name": name}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "registration of {name}");
        session_of(response.json().await.unwrap())
    }

    /// Creates an account with `role` (as `tremplin create-user` does) and signs it in.
    pub async fn user_with_role(&self, name: &str, role: entity::Role) -> TestUser {
        use api::accounts::domain::{DisplayName, Email, Password};
        let email = format!("{}-{}@example.org", name.to_lowercase(), uuid::Uuid::now_v7().simple());
        let new = api::accounts::service::NewUser {
            email: Some(Email::parse(&email).unwrap()),
            phone: None,
            temporary: false,
            password: Password::parse(TEST_PASSWORD.into()).unwrap(),
            display_name: DisplayName::parse(name).unwrap(),
            role,
            locale: None,
        };
        api::accounts::service::create_user(&self.db, &self.mail, new).await.unwrap();
        let response = self.login(&email, TEST_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {name}");
        session_of(response.json().await.unwrap())
    }

    /// `DELETE /me`, confirmed with the harness password.
    pub async fn delete_me(&self, user: &TestUser) -> Response {
        let body = serde_json::json!({"password": TEST_PASSWORD});
        self.send_as(user, Method::DELETE, "/api/v1/me", Some(&body)).await
    }

    pub async fn health_live(&self) -> Response {
        self.get("/health/live").await
    }

    pub async fn health_ready(&self) -> Response {
        self.get("/health/ready").await
    }

    pub async fn metrics(&self) -> Response {
        self.get("/metrics").await
    }

    pub async fn openapi(&self) -> Response {
        self.get("/api/v1/openapi.json").await
    }
}

fn session_of(body: Value) -> TestUser {
    TestUser {
        id: body["user"]["id"].as_str().unwrap().parse().unwrap(),
        email: body["user"]["email"].as_str().unwrap().to_owned(),
        access_token: body["access_token"].as_str().unwrap().to_owned(),
        refresh_token: body["refresh_token"].as_str().unwrap().to_owned(),
    }
}

/// The codes the OpenAPI document promises (`Problem.code`'s enum).
static DOCUMENTED_CODES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let document: Value = serde_json::from_str(&api::http::openapi::document().to_json().unwrap()).unwrap();
    let codes =
        document["components"]["schemas"]["ErrorCode"]["enum"].as_array().cloned().unwrap_or_default();
    codes.iter().map(|code| code.as_str().unwrap().to_owned()).collect()
});

/// Asserts that `response` is a problem+json with `status` and `code`, that
/// the code is one the OpenAPI document lists, and that its `request_id` is the
/// echoed `X-Request-Id`; returns the body.
pub async fn assert_problem(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status, "unexpected status");
    let content_type = response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    let request_id = response.headers().get("x-request-id").map(|v| v.to_str().unwrap().to_owned());
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "unexpected code in {body}");
    assert!(
        DOCUMENTED_CODES.iter().any(|documented| documented == code),
        "the code {code:?} is not in the document's ErrorCode enum (api/src/error.rs)"
    );
    assert_eq!(body["status"], status.as_u16());
    assert_eq!(body["type"], format!("urn:tremplin:problem:{code}"));
    assert!(body["title"].is_string() && body["detail"].is_string(), "{body}");
    assert!(request_id.is_some(), "X-Request-Id missing");
    assert_eq!(body["request_id"].as_str(), request_id.as_deref());
    body
}

#[cfg(test)]
mod tests {
    use super::replace_database_name;

    #[test]
    fn database_name_is_replaced_in_urls() {
        assert_eq!(
            replace_database_name("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            replace_database_name("postgres://u@h/db?sslmode=disable", "t2"),
            "postgres://u@h/t2?sslmode=disable"
        );
        assert_eq!(replace_database_name("postgres://u@h:1", "t3"), "postgres://u@h:1/t3");
    }
}
