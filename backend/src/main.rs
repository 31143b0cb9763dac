//! `quartier`: reads configuration, starts logging, runs the chosen command.

use std::io::BufRead;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use quartier::config::Settings;
use quartier::db::Db;
use quartier::startup::Application;
use quartier::{admin, demo, telemetry};

#[derive(Parser)]
#[command(
    name = "quartier",
    version,
    about = "Quartier: age-friendly neighbourhood management"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web app (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an organisation's administrator. The password is read from
    /// QUARTIER_ADMIN_PASSWORD or, if unset, from the first line of standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
        /// Organisation to administer; created if it does not exist.
        #[arg(long)]
        organisation: String,
    },
    /// Load demo data (an organisation, three quarters, a user of every role).
    SeedDemo,
    /// Print the OpenAPI document the server serves at /api/v1/openapi.json.
    Openapi,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        let json = quartier::startup::api_doc()
            .to_pretty_json()
            .context("writing the OpenAPI document")?;
        println!("{json}");
        return Ok(());
    }
    telemetry::init();
    let settings = Settings::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(settings).await?;
            // The one line on stdout: scripts and the e2e harness read the URL from it.
            println!("Quartier is serving at {}", app.url());
            app.run_until_signalled().await?;
            tracing::info!("stopped");
        }
        Command::Migrate => {
            let db = Db::connect(&settings.database_url).await?;
            db.migrate().await?;
            let (newest, applied, _) = db.migration_level().await?;
            println!(
                "{applied} migrations applied; newest: {}",
                newest.unwrap_or_default()
            );
        }
        Command::CreateAdmin {
            email,
            name,
            organisation,
        } => {
            let password = match std::env::var("QUARTIER_ADMIN_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    eprintln!("Password for {email} (one line on standard input):");
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .context("reading the password")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            if password.is_empty() {
                bail!("no password given");
            }
            let db = Db::connect(&settings.database_url).await?;
            db.migrate().await?;
            admin::create_admin(&db, &email, &name, &organisation, &password).await?;
            println!("Administrator {email} of \"{organisation}\" created.");
        }
        Command::SeedDemo => {
            let db = Db::connect(&settings.database_url).await?;
            db.migrate().await?;
            if demo::seed_if_empty(&db).await? {
                println!(
                    "Demo data loaded. Accounts: admin@, manager@, erna@, volunteer@, \
                     resident@demo.quartier.example, password \"{}\".",
                    demo::DEMO_PASSWORD
                );
            } else {
                println!("The database already holds an organisation; nothing loaded.");
            }
        }
        Command::Openapi => unreachable!("answered before the settings are read"),
    }
    Ok(())
}
