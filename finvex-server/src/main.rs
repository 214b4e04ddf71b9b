use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use finvex_server::config::Config;

// Each request allocates many small, short-lived buffers (JSON, SQL
// parameters, headers); mimalloc serves them with less contention than the
// system allocator (see tests/bench/bench-orders.sh for the effect).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "finvex-server",
    version,
    about = "Finvex: self-hosted payment infrastructure for Indian startups"
)]
struct Cli {
    /// Optional TOML configuration file (see docs/CONFIGURATION.md).
    #[arg(long, global = true, env = "FINVEX_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, global = true)]
    listen: Option<std::net::SocketAddr>,
    /// sqlite://PATH or postgres://USER:PASS@HOST/DB [default: sqlite://finvex.db].
    #[arg(long, global = true)]
    database: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Re-seal every sealed secret under a new master key, in one transaction.
    RotateMasterKey {
        /// Where to write the new key (required when the key is in
        /// FINVEX_MASTER_KEY; otherwise the key file is replaced and the old
        /// one kept as <file>.old).
        #[arg(long)]
        new_key_file: Option<PathBuf>,
    },
    /// Operator actions on merchants.
    Merchants {
        #[command(subcommand)]
        action: MerchantAction,
    },
    /// The installation's admins (never created over HTTP).
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
}

#[derive(Subcommand)]
enum AdminAction {
    /// Create an admin, who then logs in at POST /v1/admin/login. The
    /// password is read from --password-file, else from the first line of
    /// standard input (so it is in no shell history or process list).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum MerchantAction {
    /// Allow a merchant live mode (live keys, live orders): the role
    /// verified_seller. Until KYC exists, this is the operator's decision.
    Verify {
        email: String,
        /// Also let the installation's own live provider accounts serve this
        /// merchant (otherwise it connects its own accounts).
        #[arg(long)]
        installation_accounts: bool,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let mut config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("finvex-server: configuration error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    if let Some(listen) = cli.listen {
        config.listen = listen;
    }
    if let Some(database) = cli.database {
        config.database_url = database;
    }
    init_tracing(&config);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("finvex-server: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Migrate => migrate(&config).await,
            Command::Serve => serve(config).await,
            Command::RotateMasterKey { new_key_file } => {
                rotate_master_key(&config, new_key_file.as_deref()).await
            }
            Command::Merchants {
                action:
                    MerchantAction::Verify {
                        email,
                        installation_accounts,
                    },
            } => verify_merchant(&config, &email, installation_accounts).await,
            Command::Admin {
                action:
                    AdminAction::Create {
                        email,
                        password_file,
                    },
            } => create_admin(&config, &email, password_file.as_deref()).await,
        }
    });
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("finvex-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FINVEX_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn migrate(config: &Config) -> Result<(), String> {
    let db = finvex_core::store::sql::Db::open(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let applied = db.migrate().await.map_err(|e| e.to_string())?;
    if applied.is_empty() {
        println!("database is up to date");
    } else {
        println!("applied migrations: {applied:?}");
    }
    Ok(())
}

async fn rotate_master_key(config: &Config, new_key_file: Option<&Path>) -> Result<(), String> {
    let rotated = finvex_server::master_key::rotate(config, new_key_file)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "re-sealed {} secrets under the new master key in {}",
        rotated.resealed,
        rotated.key_file.display()
    );
    match rotated.previous_key_file {
        Some(old) => println!(
            "the previous key is in {}: delete it once every instance runs with the new one",
            old.display()
        ),
        None => {
            println!("put the new key in FINVEX_MASTER_KEY on every instance, then restart them")
        }
    }
    Ok(())
}

async fn verify_merchant(
    config: &Config,
    email: &str,
    installation_accounts: bool,
) -> Result<(), String> {
    let config = Config {
        demo_on_empty: false,
        ..config.clone()
    };
    let (state, _) = finvex_server::build_state(&config)
        .await
        .map_err(|e| e.to_string())?;
    let merchant = state
        .auth
        .verify_merchant(email, installation_accounts)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "{} ({}) may now use live mode (role {}); installation accounts serve its live payments: {}",
        merchant.email,
        merchant.id,
        merchant.role.as_str(),
        merchant.installation_accounts_live
    );
    Ok(())
}

async fn create_admin(
    config: &Config,
    email: &str,
    password_file: Option<&Path>,
) -> Result<(), String> {
    let password = match password_file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        None => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
            line
        }
    };
    let password = password.trim_end_matches(['\r', '\n']);
    let config = Config {
        demo_on_empty: false,
        ..config.clone()
    };
    let (state, _) = finvex_server::build_state(&config)
        .await
        .map_err(|e| e.to_string())?;
    let admin = state
        .admin
        .create_admin(email, password)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "admin {} ({}) created; log in with POST /v1/admin/login",
        admin.email, admin.id
    );
    Ok(())
}

async fn serve(config: Config) -> Result<(), String> {
    let (state, demo) = finvex_server::build_state(&config)
        .await
        .map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    if let Some(demo) = demo {
        println!(
            "\nFirst start: created a demo merchant.\n  dashboard login: {} / {}\n  test API key:    {}\n\nTry it:\n  export FINVEX_KEY='{}'\n  curl -s http://{address}/v1/merchant -H \"X-Finvex-Key: $FINVEX_KEY\"\n",
            demo.merchant.email, demo.password, demo.test_key, demo.test_key
        );
    }
    tracing::info!(%address, store = state.store.engine(), "finvex-server listening");
    finvex_server::serve(config, listener, state, finvex_server::shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}
