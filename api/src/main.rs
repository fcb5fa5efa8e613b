//! The `tremplin` binary: parses the command line, loads the configuration and
//! calls the library. Nothing else lives here.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use api::accounts::domain::{DisplayName, Email, Password};
use api::accounts::service::{NewUser, create_user};
use api::config::Settings;
use api::http::openapi;
use api::privacy::erasure::purge_inactive;
use api::startup::{Application, migrated_database, prepare_database};
use api::telemetry;
use clap::{Parser, Subcommand};
use entity::Role;

#[derive(Parser)]
#[command(name = "tremplin", version, about = "Tremplin API: NumériZen, Enchanté, Impose-toi !")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default): migrate and seed first.
    Serve,
    /// Apply pending schema migrations, then exit.
    Migrate,
    /// Apply migrations and add any missing reference data (skills catalogue), then exit.
    Seed,
    /// Print the OpenAPI document on standard output.
    Openapi,
    /// Apply the retention policy: erase accounts inactive for longer than
    /// TREMPLIN_RETENTION_DAYS (default 3 years).
    Purge {
        /// Only list the accounts that would be erased.
        #[arg(long)]
        dry_run: bool,
    },
    /// Create an account with any role, e.g. the first admin.
    CreateUser {
        #[arg(long)]
        email: String,
        /// 10 to 128 characters; may also come from TREMPLIN_NEW_USER_PASSWORD.
        #[arg(long, env = "TREMPLIN_NEW_USER_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long, value_parser = clap::value_parser!(RoleArg))]
        role: RoleArg,
        /// Defaults to the part of the email before `@`.
        #[arg(long)]
        display_name: Option<String>,
    },
}

#[derive(Clone)]
struct RoleArg(Role);

impl std::str::FromStr for RoleArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(RoleArg)
    }
}

fn main() -> ExitCode {
    // `.env` first: it may hold values for the command line too (TREMPLIN_NEW_USER_PASSWORD).
    let _ = dotenvy::dotenv();
    let command = Cli::parse().command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        // The document depends on no configuration and no database.
        return write_openapi().map_or_else(fail, |()| ExitCode::SUCCESS);
    }
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    // The service logs on stdout (info by default); one-shot commands keep
    // stdout for their output and only log warnings unless told otherwise.
    let filter = settings.log_filter.as_deref();
    if let Command::Serve = command {
        let ansi = std::io::stdout().is_terminal();
        telemetry::init(settings.log_format, filter.unwrap_or("info"), ansi, std::io::stdout);
    } else {
        let ansi = std::io::stderr().is_terminal();
        telemetry::init(settings.log_format, filter.unwrap_or("warn"), ansi, std::io::stderr);
    }
    if let Command::Serve = command {
        few_malloc_arenas();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return fail(error.into()),
    };
    match runtime.block_on(run(command, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(error),
    }
}

/// How many malloc arenas the server uses: the main one and one that the
/// worker threads share.
const MALLOC_ARENAS: &str = "2";

/// glibc gives threads that allocate at once arenas of their own (up to 8
/// per core) and keeps what a thread freed in its arena. Each HTTP worker
/// builds its route table, with the OpenAPI fragments of every route, at
/// start and frees most of it: about 8 MB per worker stayed resident for
/// good (an idle server on 2 cores: 31 MB of heap, 23 MB with two arenas,
/// measured). glibc reads `MALLOC_ARENA_MAX` only when a process starts, and
/// setting it from inside needs `unsafe`, so the server runs itself again
/// with it, unless the environment already chose. If that fails the server
/// carries on with glibc's default.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn few_malloc_arenas() {
    use std::os::unix::process::CommandExt;
    const VARIABLE: &str = "MALLOC_ARENA_MAX";
    if std::env::var_os(VARIABLE).is_some() {
        return;
    }
    let Ok(binary) = std::env::current_exe() else {
        return;
    };
    let error = std::process::Command::new(binary)
        .args(std::env::args_os().skip(1))
        .env(VARIABLE, MALLOC_ARENAS)
        .exec();
    eprintln!("tremplin: could not restart with {VARIABLE}={MALLOC_ARENAS} ({error}); continuing");
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn few_malloc_arenas() {}

/// Prints the OpenAPI document; a closed pipe (`tremplin openapi | head`) is not an error.
fn write_openapi() -> anyhow::Result<()> {
    let json = openapi::document().to_pretty_json()?;
    match writeln!(std::io::stdout().lock(), "{json}") {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => Ok(result?),
    }
}

fn fail(error: anyhow::Error) -> ExitCode {
    eprintln!("tremplin: {error:#}");
    ExitCode::FAILURE
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            let bind = settings.bind;
            let app = Application::build(settings).await?;
            tracing::info!(%bind, port = app.port(), "Tremplin is listening");
            app.run_until_stopped().await?;
        }
        Command::Migrate => migrated_database(&settings).await?.close().await?,
        Command::Seed => prepare_database(&settings).await?.close().await?,
        Command::Openapi => write_openapi()?,
        Command::Purge { dry_run } => {
            let db = prepare_database(&settings).await?;
            let cutoff = chrono::Utc::now() - chrono::Duration::from_std(settings.retention)?;
            let accounts = purge_inactive(&db, cutoff, dry_run).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let verb = if dry_run { "would erase" } else { "erased" };
            println!("{verb} {} account(s) inactive since before {}", accounts.len(), cutoff.to_rfc3339());
            for id in accounts {
                println!("{id}");
            }
            db.close().await?;
        }
        Command::CreateUser { email, password, role, display_name } => {
            let email = Email::parse(&email).map_err(invalid).context("--email")?;
            let password = Password::parse(password).map_err(invalid).context("--password")?;
            let display_name = DisplayName::parse(display_name.as_deref().unwrap_or(email.local_part()))
                .map_err(invalid)
                .context("--display-name")?;
            let db = prepare_database(&settings).await?;
            let new = NewUser {
                email: Some(email),
                phone: None,
                password,
                display_name,
                role: role.0,
                locale: None,
                temporary: false,
            };
            let user = create_user(&db, &settings.mail, new).await?;
            println!(
                "created {} {} ({}, username {})",
                user.role.as_str(),
                user.email.unwrap_or_default(),
                user.id,
                user.username
            );
            db.close().await?;
        }
    }
    Ok(())
}

/// A value the command line refused, said in French like the service's
/// default (`id` is the catalogue's).
fn invalid(id: &str) -> anyhow::Error {
    anyhow::Error::msg(api::i18n::t(id))
}
