//! Black-box tests of the `tremplin` binary: each test runs the real executable
//! in a temp directory of its own (no `.env` there), with a temp-file SQLite
//! database, and sees none of the caller's `TREMPLIN_*`, `DATABASE_URL` or
//! `RUST_LOG` variables.
//!
//! With `TEST_DATABASE_URL=postgres://user@host/db`, the bootstrap test also runs
//! against a fresh PostgreSQL database created on that server (and dropped at
//! the end, even when the test fails). The other tests are SQLite-only: they
//! check the process itself (configuration, output, signals), not storage.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::Value;
use tempfile::TempDir;

const TREMPLIN: &str = env!("CARGO_BIN_EXE_tremplin");
/// No command of these tests should come anywhere near this.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------

/// `tremplin` in `dir`, isolated from the caller's configuration.
fn tremplin(dir: &Path) -> Command {
    let mut command = Command::new(TREMPLIN);
    command.current_dir(dir).stdin(Stdio::null());
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("TREMPLIN_") || name == "DATABASE_URL" || name == "RUST_LOG" {
            command.env_remove(name.as_ref());
        }
    }
    command
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("t.db").display())
}

/// Collects everything a pipe delivers until it closes.
fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buffer = Vec::new();
        let _ = pipe.read_to_end(&mut buffer);
        buffer
    })
}

fn wait_for_exit(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs a command to completion (killed and failed after `COMMAND_TIMEOUT`).
fn run(mut command: Command) -> Output {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("tremplin starts");
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let status = wait_for_exit(&mut child, COMMAND_TIMEOUT);
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let output = Output {
        status: status.unwrap_or_default(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    assert!(status.is_some(), "tremplin did not exit within {COMMAND_TIMEOUT:?}\n{}", describe(&output));
    output
}

fn describe(output: &Output) -> String {
    format!(
        "status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn stdout_of(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn assert_no_panic(output: &Output) {
    let all = format!("{}{}", stdout_of(output), stderr_of(output));
    assert!(
        !all.contains("panicked") && !all.contains("stack backtrace"),
        "the binary panicked\n{}",
        describe(output)
    );
}

/// A port nobody listens on right now (the binary binds it a moment later).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn sigterm(child: &Child) {
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("`kill` runs");
    assert!(status.success(), "kill -TERM failed");
}

fn http_client() -> reqwest::Client {
    api::webhooks::dispatcher::install_tls_provider();
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------
// A PostgreSQL database of one test
// ---------------------------------------------------------------------------

/// A database created for one test on the `TEST_DATABASE_URL` server, dropped
/// when this value is dropped (also while a failed assertion unwinds).
struct PostgresDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PostgresDatabase {
    async fn create() -> Option<Self> {
        let admin_url = std::env::var("TEST_DATABASE_URL").ok().filter(|url| !url.is_empty())?;
        let name = format!("tremplin_cli_{}", uuid::Uuid::now_v7().simple());
        let admin = Database::connect(&admin_url).await.expect("TEST_DATABASE_URL does not answer");
        admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.unwrap();
        admin.close().await.unwrap();
        let url = replace_database_name(&admin_url, &name);
        Some(PostgresDatabase { admin_url, name, url })
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop may run inside the test's runtime: use a thread and a runtime of our own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let admin = Database::connect(&admin_url).await?;
                admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await?;
                admin.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("warning: test database {} could not be dropped", self.name);
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

// ---------------------------------------------------------------------------
// A running `tremplin serve`
// ---------------------------------------------------------------------------

struct Server {
    child: Child,
    port: u16,
    stdout_lines: Arc<Mutex<Vec<String>>>,
    stdout_reader: Option<JoinHandle<()>>,
    stderr_reader: Option<JoinHandle<Vec<u8>>>,
    _dir: TempDir,
}

impl Server {
    /// Starts `tremplin serve` (SQLite, JSON logs, two workers) on a free port
    /// and waits until `/health/ready` answers 200.
    async fn start(extra_env: &[(&str, &str)]) -> Server {
        // Another process may take the free port before the binary binds it: retry then.
        for _ in 0..3 {
            let mut server = Server::spawn(extra_env);
            match server.wait_until_ready().await {
                Ok(()) => return server,
                Err(stderr) if stderr.contains("cannot bind") => continue,
                Err(stderr) => panic!("tremplin serve did not become ready:\n{stderr}"),
            }
        }
        panic!("tremplin serve could not bind a free port three times");
    }

    fn spawn(extra_env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut command = tremplin(dir.path());
        command
            .arg("serve")
            .env("DATABASE_URL", sqlite_url(dir.path()))
            .env("TREMPLIN_BIND", format!("127.0.0.1:{port}"))
            .env("TREMPLIN_LOG_FORMAT", "json")
            .env("TREMPLIN_WORKERS", "2")
            .envs(extra_env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("tremplin serve starts");
        let stdout = child.stdout.take().unwrap();
        let stdout_lines = Arc::new(Mutex::new(Vec::new()));
        let lines = Arc::clone(&stdout_lines);
        let stdout_reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                match line {
                    Ok(line) => lines.lock().unwrap().push(line),
                    Err(_) => break,
                }
            }
        });
        let stderr_reader = drain(child.stderr.take().unwrap());
        Server {
            child,
            port,
            stdout_lines,
            stdout_reader: Some(stdout_reader),
            stderr_reader: Some(stderr_reader),
            _dir: dir,
        }
    }

    /// `Err(stderr)` when the process exits or stays unready for 30 s.
    async fn wait_until_ready(&mut self) -> Result<(), String> {
        let client = http_client();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return Err(self.stderr());
            }
            let ready = client
                .get(self.url("/health/ready"))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|response| response.status() == reqwest::StatusCode::OK);
            if ready {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        Err(format!("not ready after 30 s\n{}", self.stderr()))
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn address(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// Everything the process wrote on stderr (waits for the pipe to close).
    fn stderr(&mut self) -> String {
        self.stderr_reader
            .take()
            .map(|reader| String::from_utf8_lossy(&reader.join().unwrap()).into_owned())
            .unwrap_or_default()
    }

    /// Waits for the process to exit after a signal, then for its output.
    fn wait_for_exit(&mut self, timeout: Duration) -> ExitStatus {
        let status = wait_for_exit(&mut self.child, timeout);
        assert!(status.is_some(), "tremplin serve did not exit within {timeout:?} of SIGTERM");
        if let Some(reader) = self.stdout_reader.take() {
            reader.join().unwrap();
        }
        status.unwrap()
    }

    fn stdout_lines(&self) -> Vec<String> {
        self.stdout_lines.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

/// SQLite-only: the configuration is rejected before any database is opened.
#[test]
fn invalid_configuration_stops_start_up_with_one_line() {
    // (variables set, variable the message must name)
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[("TREMPLIN_BIND", "nowhere")], "TREMPLIN_BIND"),
        (&[("TREMPLIN_LOG_FORMAT", "xml")], "TREMPLIN_LOG_FORMAT"),
        (&[("DATABASE_URL", "mysql://x")], "DATABASE_URL"),
        (&[("TREMPLIN_ENV", "production")], "TREMPLIN_JWT_SECRET"),
    ];
    for (vars, named) in cases {
        let dir = tempfile::tempdir().unwrap();
        let mut command = tremplin(dir.path());
        // Valid values, overridden by the case; port 0 so that a wrongly
        // accepted configuration cannot collide with anything (and `run`
        // fails it after the timeout instead of hanging).
        command
            .env("DATABASE_URL", sqlite_url(dir.path()))
            .env("TREMPLIN_BIND", "127.0.0.1:0")
            .envs(vars.iter().copied());
        let output = run(command);
        let context = format!("case {vars:?}\n{}", describe(&output));
        assert_eq!(output.status.code(), Some(2), "{context}");
        let stderr = stderr_of(&output);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "stderr is not one line: {context}");
        assert!(!lines[0].trim().is_empty(), "{context}");
        assert!(lines[0].contains(named), "{context}");
        assert!(lines[0].starts_with(&format!("invalid configuration: {named}=")), "{context}");
        assert_no_panic(&output);
        assert!(output.stdout.is_empty(), "{context}");
        assert!(
            !dir.path().join("t.db").exists() && !dir.path().join("tremplin.db").exists(),
            "a database was created before the configuration was checked: {context}"
        );
    }
}

/// SQLite-only (and no database should be touched at all).
#[test]
fn openapi_subcommand_prints_the_committed_document() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = tremplin(dir.path());
    command.arg("openapi");
    let output = run(command);
    assert!(output.status.success(), "{}", describe(&output));
    assert_no_panic(&output);
    let printed: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("stdout is not JSON ({error})\n{}", describe(&output)));
    let committed_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let committed: Value = serde_json::from_str(&std::fs::read_to_string(committed_path).unwrap()).unwrap();
    assert!(printed == committed, "`tremplin openapi` differs from openapi/openapi.json");
    let leftovers: Vec<_> =
        std::fs::read_dir(dir.path()).unwrap().map(|entry| entry.unwrap().file_name()).collect();
    assert!(leftovers.is_empty(), "`tremplin openapi` created files: {leftovers:?}");
}

/// Runs on SQLite, then on PostgreSQL too when `TEST_DATABASE_URL` is set.
#[tokio::test]
async fn migrate_then_create_user_bootstraps_an_admin() {
    let dir = tempfile::tempdir().unwrap();
    bootstrap_an_admin(dir.path(), &sqlite_url(dir.path())).await;

    if let Some(database) = PostgresDatabase::create().await {
        let dir = tempfile::tempdir().unwrap();
        bootstrap_an_admin(dir.path(), &database.url).await;
    }
}

async fn bootstrap_an_admin(dir: &Path, database_url: &str) {
    let command = |args: &[&str]| {
        let mut command = tremplin(dir);
        command.env("DATABASE_URL", database_url).args(args);
        command
    };
    let create_user = |email: &str, password: &str, role: &str| {
        run(command(&["create-user", "--email", email, "--password", password, "--role", role]))
    };

    let migrated = run(command(&["migrate"]));
    assert!(migrated.status.success(), "{}", describe(&migrated));

    let created = create_user("Admin@Example.org", "correct horse battery", "admin");
    assert!(created.status.success(), "{}", describe(&created));
    assert!(stdout_of(&created).contains("admin@example.org"), "{}", describe(&created));

    let db = Database::connect(database_url).await.unwrap();
    let users = accounts(&db).await;
    assert_eq!(users.len(), 1, "{users:?}");
    let (email, role, password_hash) = &users[0];
    assert_eq!(email.as_deref(), Some("admin@example.org"));
    assert_eq!(role, "admin");
    assert!(password_hash.starts_with("$argon2id$"), "{password_hash}");

    // The same email again: refused with a message, nothing added.
    let again = create_user("admin@example.org", "correct horse battery", "admin");
    assert!(!again.status.success(), "{}", describe(&again));
    assert_no_panic(&again);
    let message = stderr_of(&again);
    assert!(message.contains("already"), "unclear message: {}", describe(&again));
    assert_eq!(message.lines().count(), 1, "{}", describe(&again));
    assert_eq!(accounts(&db).await.len(), 1);

    // An unknown role and a 9-character password: refused, nothing created.
    let wizard = create_user("wizard@example.org", "correct horse battery", "wizard");
    assert!(!wizard.status.success(), "{}", describe(&wizard));
    assert_no_panic(&wizard);
    let message = stderr_of(&wizard);
    assert!(
        message.contains("--role") && message.contains("wizard"),
        "unclear message: {}",
        describe(&wizard)
    );

    let short = create_user("short@example.org", "123456789", "member");
    assert!(!short.status.success(), "{}", describe(&short));
    assert_no_panic(&short);
    let message = stderr_of(&short);
    assert!(
        message.contains("--password") && message.contains("10"),
        "unclear message: {}",
        describe(&short)
    );

    let users = accounts(&db).await;
    assert_eq!(users.len(), 1, "{users:?}");
    assert_eq!(users[0].0.as_deref(), Some("admin@example.org"));

    // Retention: nobody is inactive yet; once the admin has been away four
    // years, the dry run lists them and changes nothing, the real run erases.
    let nothing = run(command(&["purge", "--dry-run"]));
    assert!(stdout_of(&nothing).starts_with("would erase 0 account(s)"), "{}", describe(&nothing));
    let four_years_ago = chrono::Utc::now() - chrono::Duration::days(4 * 365);
    let age = sea_orm::sea_query::Query::update()
        .table(sea_orm::sea_query::Alias::new("users"))
        .value(sea_orm::sea_query::Alias::new("last_active_at"), four_years_ago)
        .to_owned();
    db.execute(&age).await.unwrap();
    let listed = run(command(&["purge", "--dry-run"]));
    assert!(stdout_of(&listed).starts_with("would erase 1 account(s)"), "{}", describe(&listed));
    assert_eq!(accounts(&db).await[0].0.as_deref(), Some("admin@example.org"));
    let purged = run(command(&["purge"]));
    assert!(stdout_of(&purged).starts_with("erased 1 account(s)"), "{}", describe(&purged));
    assert_eq!(accounts(&db).await[0].0, None, "the erased account keeps no address");
    db.close().await.unwrap();
}

/// (email, role, password_hash) of every account; an erased account has no email.
async fn accounts(db: &DatabaseConnection) -> Vec<(Option<String>, String, String)> {
    let statement = Statement::from_string(
        db.get_database_backend(),
        "SELECT email, role, password_hash FROM users ORDER BY email",
    );
    db.query_all_raw(statement)
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (
                row.try_get::<Option<String>>("", "email").unwrap(),
                row.try_get::<String>("", "role").unwrap(),
                row.try_get::<String>("", "password_hash").unwrap(),
            )
        })
        .collect()
}

/// SQLite-only: logging does not depend on the database.
#[tokio::test]
async fn serve_logs_one_json_line_per_request() {
    let mut server = Server::start(&[]).await;
    let client = http_client();
    let tag = uuid::Uuid::now_v7().simple().to_string();
    let requests = [
        (format!("cli-live-{tag}"), "/health/live", 200_u16),
        (format!("cli-ready-{tag}"), "/health/ready", 200),
        (format!("cli-nope-{tag}"), "/nope", 404),
    ];
    for (id, path, status) in &requests {
        let response = client.get(server.url(path)).header("X-Request-Id", id).send().await.unwrap();
        assert_eq!(response.status().as_u16(), *status, "{path}");
        assert_eq!(response.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some(id.as_str()));
    }

    sigterm(&server.child);
    let status = server.wait_for_exit(Duration::from_secs(15));
    assert!(status.success(), "exit status {status:?}: {}", server.stderr());

    let lines = server.stdout_lines();
    let events: Vec<Value> = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|error| panic!("not a JSON line ({error}): {line}"))
        })
        .collect();
    for (id, path, status) in &requests {
        let matching: Vec<&Value> = events
            .iter()
            .filter(|event| event["target"] == "tremplin::http" && event["request_id"] == *id)
            .collect();
        assert_eq!(
            matching.len(),
            1,
            "expected one log line for {id} ({path}), stdout:\n{}",
            lines.join("\n")
        );
        let event = matching[0];
        assert_eq!(event["status"], *status, "{event}");
        assert_eq!(event["method"], "GET", "{event}");
        assert!(event["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{event}");
        assert!(event["route"].is_string(), "{event}");
        if *status == 200 {
            assert_eq!(event["route"], *path, "{event}");
        }
    }
}

/// SQLite-only: shutdown does not depend on the database.
///
/// What is "in flight" for actix-web 4.18 / actix-http 3.20: on SIGTERM every
/// connection whose dispatcher has no request in its service or response stage
/// (idle keep-alive, *and* a request whose head is only partly received, e.g.
/// `GET /health/live HTTP/1.1\r\nHost: x\r\n` without the final CRLF) is closed
/// at once without an answer (`Flags::DRAINING`), so such a request never gets
/// one. A request with a complete head and an unfinished body does not help
/// either: none of the routes reads a body, so the answer is sent before
/// SIGTERM. What actix does finish is a response being written: here the
/// client pipelines several requests for the 1.5 MB Swagger UI bundle and does
/// not read, so the server is blocked writing one of them (≈ 12 MB asked, far
/// more than the socket buffers hold) when SIGTERM arrives. That response must
/// arrive complete; the pipelined requests not started yet may be dropped.
#[tokio::test]
async fn sigterm_lets_in_flight_requests_finish() {
    const ASSET: &str = "/docs/swagger-ui-bundle.js";
    const PIPELINED: usize = 8;
    let mut server = Server::start(&[("TREMPLIN_SHUTDOWN_TIMEOUT_SECS", "10")]).await;

    let reference = http_client().get(server.url(ASSET)).send().await.unwrap();
    assert_eq!(reference.status(), reqwest::StatusCode::OK);
    let asset = reference.bytes().await.unwrap();
    assert!(asset.len() > 1_000_000, "the asset is only {} bytes", asset.len());

    let mut stream = TcpStream::connect(server.address()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let request = format!("GET {ASSET} HTTP/1.1\r\nHost: x\r\n\r\n");
    stream.write_all(request.repeat(PIPELINED).as_bytes()).unwrap();
    // The first status line: the server has taken the requests and is answering.
    let mut received = vec![0; 12];
    stream.read_exact(&mut received).unwrap();
    assert_eq!(&received, b"HTTP/1.1 200");

    sigterm(&server.child);

    // The server stops accepting: a new connection is refused or gets no answer.
    let deadline = Instant::now() + Duration::from_secs(5);
    while new_connection_is_answered(server.address()) {
        assert!(Instant::now() < deadline, "new connections are still served 5 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server exited while a response was still being written"
    );

    // Now read: the response in progress (at least) arrives whole.
    stream.read_to_end(&mut received).unwrap();
    let responses = split_responses(&received);
    assert!(!responses.is_empty() && responses.len() <= PIPELINED);
    for (status_line, body) in &responses {
        assert!(status_line.starts_with("HTTP/1.1 200"), "{status_line}");
        assert!(body == &asset[..], "a response body differs from the asset");
    }

    let status = server.wait_for_exit(Duration::from_secs(5));
    assert!(status.success(), "exit status {status:?}: {}", server.stderr());
}

/// Connects and asks for `/health/live`; `false` when refused, reset, closed or
/// silent for a second.
fn new_connection_is_answered(address: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let request = b"GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if stream.write_all(request).is_err() {
        return false;
    }
    let mut answer = [0; 5];
    stream.read_exact(&mut answer).is_ok() && &answer == b"HTTP/"
}

/// Splits HTTP/1.1 responses with `Content-Length` bodies; panics on a
/// truncated or malformed one. Returns (status line, body) pairs.
fn split_responses(mut data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut responses = Vec::new();
    while !data.is_empty() {
        let head_end = data
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("truncated response head after {} responses", responses.len()));
        let head = std::str::from_utf8(&data[..head_end]).unwrap();
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap().to_owned();
        let length: usize = lines
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .map(|(_, value)| value.trim().parse().unwrap())
            .unwrap_or_else(|| panic!("no Content-Length in {head}"));
        let body_start = head_end + 4;
        assert!(
            data.len() >= body_start + length,
            "response {} is truncated: {} of {length} body bytes",
            responses.len() + 1,
            data.len() - body_start
        );
        responses.push((status_line, data[body_start..body_start + length].to_vec()));
        data = &data[body_start + length..];
    }
    responses
}

#[test]
fn database_names_are_replaced_in_urls() {
    assert_eq!(
        replace_database_name("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        replace_database_name("postgres://u@h/db?sslmode=disable", "t2"),
        "postgres://u@h/t2?sslmode=disable"
    );
}
