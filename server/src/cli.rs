//! The `mutual` command line: `serve`, `migrate`, `config check` and `admin …`. Admin
//! commands work on the configured database directly, without the server running.
//! Output is for people; errors say what to do next.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use clap::{Args, Parser, Subcommand};

use crate::accounts::{self, NewAccount, Role, Status};
use crate::config::Config;
use crate::organisations::{self, MemberRole, ProfileInput};
use crate::startup::{prepare_database, Application};

#[derive(Debug, Parser)]
#[command(
    name = "mutual",
    version,
    about = "Mutual: federated peer learning for personalised support"
)]
pub struct Cli {
    /// A TOML configuration file (settings there are overridden by MUTUAL_* variables).
    #[arg(long, global = true, env = "MUTUAL_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (applies pending migrations first).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Inspect the configuration.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Sample content for demonstrations.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Which instances this one federates with.
    Federation {
        #[command(subcommand)]
        command: FederationCommand,
    },
    /// Email digests: send what is due now, or look at what would be sent.
    Digest {
        #[command(subcommand)]
        command: DigestCommand,
    },
    /// The search index: rebuild it from the database, or check it is in step.
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
    /// Database tools.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Manage accounts and organisations without the server running.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Check the configuration and list every problem found.
    Check,
}

#[derive(Debug, Subcommand)]
pub enum FederationCommand {
    /// Federate with any instance not blocked (`open`), or only with allowed ones (`allowlist`).
    Mode {
        #[arg(value_parser = ["open", "allowlist"])]
        mode: String,
    },
    /// Allow an instance (needed in allowlist mode).
    Allow {
        domain: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Block an instance: its activities are refused and nothing is delivered to it.
    Block {
        domain: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Remove an instance's allow or block rule.
    Remove { domain: String },
    /// Show the mode and every rule.
    List,
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Load sample organisations, stories, ISF templates and guides (skips what is loaded).
    Load {
        /// A folder with organisations.json, case_stories.json, isf_templates.json and
        /// practice_guides.json. Default: ../shared/domain/corpus if it exists, else the
        /// samples built into Mutual.
        #[arg(long)]
        from: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DigestCommand {
    /// Send every digest that is due (and finish any an earlier run left unfinished).
    Run {
        /// Only list who would get a digest now, and send nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the digest a member would get now (the text part; --html for the HTML part).
    Preview {
        #[arg(long)]
        member: String,
        #[arg(long)]
        html: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Rebuild the search index from the database (stop the server first when using the
    /// embedded index; with Meilisearch it can run while the server does).
    Reindex,
    /// Compare the index with the database; exits with 1 when they differ. Works while the
    /// server runs.
    Check,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy everything from the configured database into another, empty one (for example
    /// from SQLite to PostgreSQL). Stop the server first.
    Copy {
        /// The target database URL, e.g. postgres://mutual@localhost/mutual
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an active account; the password is read from standard input.
    CreateUser(CreateUser),
    /// Create an organisation.
    CreateOrg(CreateOrg),
    /// Make a person an editor (or reviewer) of an organisation.
    AddEditor(AddEditor),
    /// Create a personal API token and print it (shown only once).
    CreateToken {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "Created with the command line")]
        name: String,
    },
    /// List every account.
    ListUsers,
    /// Approve an account that is waiting for approval.
    Approve {
        #[arg(long)]
        user: String,
    },
    /// Change someone's role on this instance.
    SetRole {
        #[arg(long)]
        user: String,
        #[arg(long, value_parser = ["admin", "moderator", "member"])]
        role: String,
    },
    /// Create an invitation code for sign-up by invitation.
    CreateInvite {
        #[arg(long, default_value_t = 14)]
        days: i64,
    },
}

#[derive(Debug, Args)]
pub struct CreateUser {
    #[arg(long)]
    pub username: String,
    #[arg(long)]
    pub email: String,
    /// Read the password from standard input (so it stays out of shell history).
    #[arg(long, required = true)]
    pub password_stdin: bool,
    #[arg(long, default_value = "member", value_parser = ["admin", "moderator", "member"])]
    pub role: String,
    #[arg(long, default_value = "")]
    pub display_name: String,
}

#[derive(Debug, Args)]
pub struct CreateOrg {
    #[arg(long)]
    pub handle: String,
    #[arg(long)]
    pub name: String,
    /// ISO 3166 code, e.g. FI, CA or GB-SCT.
    #[arg(long)]
    pub country: String,
    #[arg(long, default_value = "provider")]
    pub kind: String,
    /// Language codes, comma-separated.
    #[arg(long, default_value = "en", value_delimiter = ',')]
    pub languages: Vec<String>,
}

#[derive(Debug, Args)]
pub struct AddEditor {
    #[arg(long)]
    pub org: String,
    #[arg(long)]
    pub user: String,
    /// Also allow this person to approve content for publishing.
    #[arg(long)]
    pub reviewer: bool,
}

fn load_config(cli: &Cli) -> anyhow::Result<Config> {
    Config::load(cli.config.as_deref()).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| format!("  - {p}")).collect();
        anyhow!(
            "the configuration has {} problem(s):\n{}\nRun `mutual config check` after fixing them.",
            problems.len(),
            list.join("\n")
        )
    })
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Config {
            command: ConfigCommand::Check,
        } => Ok(config_check(&cli)),
        Command::Serve => serve(load_config(&cli)?),
        Command::Migrate => {
            let config = load_config(&cli)?;
            crate::telemetry::init(config.log_format);
            prepare_database(&config)?;
            println!(
                "The {} database is up to date.",
                config.database.backend().name()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Federation { command } => {
            let config = load_config(&cli)?;
            let db = prepare_database(&config)?;
            let mut conn = db.get()?;
            let conn = &mut *conn;
            use crate::federation::policy;
            let domain_arg = |d: &str| {
                policy::normalise(d)
                    .ok_or_else(|| anyhow!("'{d}' is not a domain (example: mutual.example.org)"))
            };
            match command {
                FederationCommand::Mode { mode } => {
                    let mode = if mode == "allowlist" {
                        crate::config::FederationMode::Allowlist
                    } else {
                        crate::config::FederationMode::Open
                    };
                    policy::set_mode(conn, mode)?;
                    println!(
                        "Federation mode is now {}.",
                        if mode == crate::config::FederationMode::Open {
                            "open"
                        } else {
                            "allowlist"
                        }
                    );
                }
                FederationCommand::Allow { domain, note } => {
                    let domain = domain_arg(domain)?;
                    policy::set(conn, &domain, "allow", note)?;
                    println!("Allowed {domain}.");
                }
                FederationCommand::Block { domain, note } => {
                    let domain = domain_arg(domain)?;
                    policy::set(conn, &domain, "block", note)?;
                    println!("Blocked {domain}.");
                }
                FederationCommand::Remove { domain } => {
                    let domain = domain_arg(domain)?;
                    let removed = policy::remove(conn, &domain)?;
                    println!(
                        "{}",
                        if removed > 0 {
                            format!("Removed the rule for {domain}.")
                        } else {
                            format!("There was no rule for {domain}.")
                        }
                    );
                }
                FederationCommand::List => {
                    let mode = policy::mode(conn, config.federation.mode)?;
                    println!(
                        "Mode: {}",
                        if mode == crate::config::FederationMode::Open {
                            "open (any instance except blocked ones)"
                        } else {
                            "allowlist (only allowed instances)"
                        }
                    );
                    for (domain, rule, note) in policy::list(conn)? {
                        println!(
                            "  {rule:<6} {domain}{}",
                            if note.is_empty() {
                                String::new()
                            } else {
                                format!("  ({note})")
                            }
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo {
            command: DemoCommand::Load { from },
        } => {
            let config = load_config(&cli)?;
            let folder = from.clone().or_else(|| {
                let shared = PathBuf::from("../shared/domain/corpus");
                shared.is_dir().then_some(shared)
            });
            let corpus = match &folder {
                Some(folder) => crate::demo::Corpus::from_folder(folder)?,
                None => crate::demo::Corpus::built_in(),
            };
            let db = prepare_database(&config)?;
            let mut conn = db.get()?;
            let report = crate::demo::load(&mut conn, &corpus)?;
            match &folder {
                Some(folder) => println!("Loaded sample content from {}:", folder.display()),
                None => println!("Loaded the built-in sample content:"),
            }
            println!("  {} organisations, {} case stories, {} ISF templates, {} practice guides ({} already there).",
                report.organisations, report.case_stories, report.isf_templates, report.practice_guides, report.skipped);
            Ok(ExitCode::SUCCESS)
        }
        Command::Db {
            command: DbCommand::Copy { to },
        } => {
            let config = load_config(&cli)?;
            let target = crate::db::DatabaseUrl::parse(to).map_err(|e| anyhow!("--to: {e}"))?;
            if target == config.database {
                bail!("the target is the configured database itself");
            }
            let source = prepare_database(&config)?;
            let mut from = source.get()?;
            let mut to_conn = crate::db::ConnectionManager::new(target.clone()).connect_now()?;
            let copied = crate::db::copy::copy_database(&mut from, &mut to_conn)?;
            println!(
                "Copied {} into {}:",
                config.database.redacted(),
                target.redacted()
            );
            for (table, rows) in copied {
                println!("  {table:<22} {rows} rows");
            }
            println!("Now set MUTUAL_DATABASE_URL (or database_url) to the new database and start the server.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin { command } => {
            let config = load_config(&cli)?;
            admin(&config, command)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search { command } => search(load_config(&cli)?, command),
        Command::Digest { command } => digest(load_config(&cli)?, command),
    }
}

fn digest(config: Config, command: &DigestCommand) -> anyhow::Result<ExitCode> {
    crate::telemetry::init(config.log_format);
    let runtime = runtime()?;
    runtime.block_on(async move {
        let db = prepare_database(&config)?;
        let engine = crate::search::open_engine(&config).await?;
        let search = crate::search::Search::new(engine, db.clone());
        // Changes made while no server ran are indexed first, so the digest sees them.
        search.sync_pending().await?;
        let mailer = std::sync::Arc::new(crate::mail::Mailer::from_config(&config)?);
        let service = crate::digests::run::DigestService::new(
            db.clone(),
            search,
            mailer,
            std::sync::Arc::new(config.clone()),
        )
        .await?;
        let now = chrono::Utc::now();
        match command {
            DigestCommand::Run { dry_run: true } => {
                let due = service.due(now).await?;
                for (user, _, period) in &due {
                    let last = crate::digests::schedule::first_window(
                        &crate::digests::settings::DigestSettings::default(),
                    );
                    let sections = service
                        .compose(user, (now - last).naive_utc(), now.naive_utc())
                        .await?;
                    let items: usize = sections.iter().map(|s| s.items.len()).sum();
                    println!(
                        "{:<20} {:<32} {:<20} about {items} new item(s)",
                        user.username, user.email, period.key
                    );
                }
                println!("{} member(s) due. Nothing was sent (dry run).", due.len());
            }
            DigestCommand::Run { dry_run: false } => {
                let report = service.run_now(now).await?;
                println!(
                    "Planned {}, sent {}, nothing new for {}, refused {}, to retry {}.",
                    report.planned, report.sent, report.empty, report.failed, report.retry
                );
            }
            DigestCommand::Preview { member, html } => {
                let name = member.clone();
                let user = db
                    .query(move |conn| accounts::find_by_username(conn, &name))
                    .await?
                    .ok_or_else(|| anyhow!("no account named {member}"))?;
                let settings = {
                    let id = user.id.clone();
                    db.query(move |conn| crate::digests::settings::get(conn, &id))
                        .await?
                };
                let start = now - crate::digests::schedule::first_window(&settings);
                let sections = service
                    .compose(&user, start.naive_utc(), now.naive_utc())
                    .await?;
                if sections.is_empty() {
                    println!(
                        "Nothing new for {member} since {}: no digest would be sent.",
                        start.format("%Y-%m-%d %H:%M UTC")
                    );
                } else {
                    let message = service.message(&user, &sections, None, now)?;
                    println!("Subject: {}\n", message.subject);
                    if *html {
                        println!("{}", message.html.unwrap_or_default());
                    } else {
                        println!("{}", message.text);
                    }
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn search(config: Config, command: &SearchCommand) -> anyhow::Result<ExitCode> {
    let runtime = runtime()?;
    runtime.block_on(async move {
        let db = prepare_database(&config)?;
        let engine = match command {
            SearchCommand::Check => crate::search::open_engine_read_only(&config).await?,
            SearchCommand::Reindex => crate::search::open_engine(&config).await?,
        };
        let search = crate::search::Search::new(engine, db);
        match command {
            SearchCommand::Reindex => {
                let bar = indicatif::ProgressBar::new(0);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{msg} [{bar:40}] {pos}/{len} documents ({per_sec}, {eta} left)",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                bar.set_message(format!("Indexing into the {} engine", search.engine().name()));
                let count = search
                    .reindex(|done, total| {
                        bar.set_length(total);
                        bar.set_position(done);
                    })
                    .await?;
                bar.finish_and_clear();
                let report = search.check().await?;
                println!(
                    "Indexed {count} documents with the {} engine. {}",
                    search.engine().name(),
                    report.describe()
                );
                Ok(ExitCode::SUCCESS)
            }
            SearchCommand::Check => {
                let report = search.check().await?;
                if report.in_step() {
                    println!("The search index is in step with the database: {}.", report.describe());
                    Ok(ExitCode::SUCCESS)
                } else {
                    println!("The search index is out of step with the database: {}.", report.describe());
                    println!("Fix it with `mutual search reindex` (stop the server first when using the embedded index).");
                    Ok(ExitCode::from(1))
                }
            }
        }
    })
}

fn config_check(cli: &Cli) -> ExitCode {
    match Config::load(cli.config.as_deref()) {
        Ok(config) => {
            println!("The configuration is valid.");
            println!("  data folder:  {}", config.data_dir.display());
            println!(
                "  database:     {} ({})",
                config.database.redacted(),
                config.database.backend().name()
            );
            println!("  listening on: {}", config.listen);
            println!("  public URL:   {}", config.public_url);
            println!("  sign-up:      {}", config.registration.as_str());
            ExitCode::SUCCESS
        }
        Err(problems) => {
            println!("The configuration has {} problem(s):", problems.len());
            for problem in &problems {
                println!("  - {problem}");
            }
            println!("Settings come from built-in defaults, then the --config TOML file, then MUTUAL_* environment variables.");
            ExitCode::from(2)
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")
}

fn serve(config: Config) -> anyhow::Result<ExitCode> {
    crate::telemetry::init(config.log_format);
    let runtime = runtime()?;
    runtime.block_on(async move {
        let app = Application::build(config.clone()).await?;
        let admins = {
            let db = app.db();
            db.run(|conn| accounts::count_admins(conn).map_err(crate::db::DbError::from))
                .await?
        };
        println!("Mutual is running at {}", config.public_url);
        println!("  listening on {} with {}", config.listen, config.database.backend().name());
        if admins == 0 {
            println!();
            println!("There is no administrator yet. Create one with:");
            println!("  echo 'a long password' | mutual admin create-user --username admin --email you@example.org --role admin --password-stdin");
            println!("(with cargo: cargo run --release -- admin create-user …)");
        }
        app.run_until_stopped().await?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn admin(config: &Config, command: &AdminCommand) -> anyhow::Result<()> {
    let db = prepare_database(config)?;
    let mut conn = db.get()?;
    let conn = &mut *conn;
    match command {
        AdminCommand::CreateUser(args) => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("could not read the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            let role =
                Role::parse(&args.role).ok_or_else(|| anyhow!("unknown role {}", args.role))?;
            let input = NewAccount {
                username: args.username.clone(),
                email: args.email.clone(),
                display_name: args.display_name.clone(),
                password,
                reason: None,
            };
            let user = accounts::create_account(conn, &input, role, Status::Active)?;
            println!(
                "Created {} ({}) with role {}.",
                user.username, user.email, user.role
            );
        }
        AdminCommand::CreateOrg(args) => {
            let input = ProfileInput {
                name: args.name.clone(),
                country: args.country.clone(),
                kind: args.kind.clone(),
                languages: args.languages.clone(),
                ..ProfileInput::default()
            };
            match organisations::create(conn, &args.handle, &input, None) {
                Ok(org) => println!(
                    "Created organisation {} ({}).",
                    org.profile.name, org.handle
                ),
                Err(organisations::OrganisationError::Invalid(errors)) => {
                    let list: Vec<String> = errors.iter().map(|e| format!("  - {e}")).collect();
                    bail!("the organisation was not created:\n{}", list.join("\n"));
                }
                Err(e) => return Err(e.into()),
            }
        }
        AdminCommand::AddEditor(args) => {
            let role = if args.reviewer {
                MemberRole::Reviewer
            } else {
                MemberRole::Editor
            };
            organisations::add_member_by_name(conn, &args.org, &args.user, role)?;
            println!("{} is now {} of {}.", args.user, role.as_str(), args.org);
        }
        AdminCommand::CreateToken { user, name } => {
            let found = accounts::find_by_username(conn, user)?
                .ok_or_else(|| anyhow!("no account named {user}"))?;
            let (_, plain) = accounts::tokens::create(conn, &found.id, name)?;
            println!("{plain}");
        }
        AdminCommand::ListUsers => {
            let users = accounts::list_users(conn)?;
            println!(
                "{:<24} {:<32} {:<10} {:<10} created",
                "username", "email", "role", "status"
            );
            for user in users {
                println!(
                    "{:<24} {:<32} {:<10} {:<10} {}",
                    user.username,
                    user.email,
                    user.role,
                    user.status,
                    user.created_at.format("%Y-%m-%d %H:%M")
                );
            }
        }
        AdminCommand::Approve { user } => {
            let found = accounts::find_by_username(conn, user)?
                .ok_or_else(|| anyhow!("no account named {user}"))?;
            let approved = accounts::approve(conn, &found.id)?;
            crate::web::pages::queue_approval(conn, config, &approved)
                .map_err(|e| anyhow!("approved, but the notice could not be queued: {e}"))?;
            println!("Approved {user}. They get an email saying so once the server runs.");
        }
        AdminCommand::SetRole { user, role } => {
            let found = accounts::find_by_username(conn, user)?
                .ok_or_else(|| anyhow!("no account named {user}"))?;
            let role = Role::parse(role).ok_or_else(|| anyhow!("unknown role {role}"))?;
            accounts::set_role(conn, &found.id, role)?;
            println!("{user} is now {}.", role.as_str());
        }
        AdminCommand::CreateInvite { days } => {
            let code = accounts::create_invitation(conn, None, (*days).clamp(1, 365))?;
            println!("{code}");
        }
    }
    Ok(())
}
