//! What the example servers share: the command line ([`cli`]), logging,
//! TLS set-up, the `listening on` lines, and serving until a signal.
//!
//! An example builds its backend and calls [`serve`]; everything a test, CI
//! or a user relies on (the options, the stdout lines, the shutdown) is
//! here, so `serve-memory` and `serve-maildir` cannot drift apart.

pub mod cli;

use std::error::Error;
use std::ffi::OsString;
use std::io::{self, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use imapkit::server::config::{Limits, PlaintextAuth};
use imapkit::server::tls::Identity;
use imapkit::server::{Backend, ListenerKind, Server};
use tracing_subscriber::filter::LevelFilter;

use self::cli::{CertSource, Options, Parsed, Transport};

/// Parses the command line of example `program`, whose own options and
/// their help are `extra` and `extra_usage`. Prints the help, or the error
/// and exits with status 2, as a command-line tool does.
pub fn parse_args<F>(program: &str, extra_usage: &str, extra: F) -> Options
where
    F: FnMut(&str, &mut cli::Args) -> Result<bool, cli::CliError>,
{
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match Options::parse(args, extra) {
        Ok(Parsed::Run(options)) => options,
        Ok(Parsed::Help) => {
            println!(
                "usage: {program} [OPTIONS]\n{extra_usage}{}",
                cli::COMMON_USAGE
            );
            std::process::exit(0);
        }
        Err(error) => {
            eprintln!("{program}: {error}\nTry `{program} --help`.");
            std::process::exit(2);
        }
    }
}

/// Sends `tracing` output at `options.log` and above to stderr (stdout is
/// kept for the `listening on` lines).
pub fn init_logging(options: &Options) {
    let level = match options.log {
        cli::LogLevel::Off => LevelFilter::OFF,
        cli::LogLevel::Error => LevelFilter::ERROR,
        cli::LogLevel::Warn => LevelFilter::WARN,
        cli::LogLevel::Info => LevelFilter::INFO,
        cli::LogLevel::Debug => LevelFilter::DEBUG,
        cli::LogLevel::Trace => LevelFilter::TRACE,
    };
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(io::stderr)
        .init();
}

/// What an example sets beyond the command line.
#[derive(Debug, Default)]
pub struct Setup {
    /// The engine's limits.
    pub limits: Limits,
    /// Where a generated certificate is kept (`imapkit-cert.pem`,
    /// `imapkit-key.pem`) and found again at the next start, so clients
    /// that trusted it once keep trusting it. `None`: a new one each start.
    pub cert_dir: Option<PathBuf>,
}

/// Serves `backend` as `options` say until SIGINT or SIGTERM, then shuts
/// down gracefully (a second signal exits at once).
///
/// Prints one `listening on ADDR` line per listener to stdout, with the
/// bound address (so port 0 shows the port picked), in command-line order,
/// once every listener is bound and the signal handlers are installed: a
/// script that waits for the lines may send SIGTERM right after them.
///
/// # Errors
/// When the certificate cannot be read or made, a listener cannot be
/// bound, or serving fails.
pub async fn serve(
    backend: Arc<dyn Backend>,
    options: &Options,
    setup: Setup,
) -> Result<(), Box<dyn Error>> {
    let identity = load_identity(options, setup.cert_dir.as_deref())?;
    let mut builder = Server::builder(backend);
    for listen in &options.listeners {
        match listen.transport {
            Transport::Plain => builder.listen_plain(listen.addr),
            Transport::Tls => builder.listen_tls(listen.addr),
        };
    }
    builder.tls(identity.server_config()?).limits(setup.limits);
    builder.plaintext_auth(if options.allow_plaintext_auth {
        PlaintextAuth::Always
    } else {
        PlaintextAuth::Loopback
    });
    let shutdown = shutdown_signal()?;
    let server = builder.bind().await?;
    let mut stdout = io::stdout().lock();
    for (addr, kind) in server.local_addrs() {
        let kind = match kind {
            ListenerKind::Plain => "plain IMAP with STARTTLS",
            ListenerKind::Tls => "implicit TLS",
        };
        tracing::info!(%addr, "listening ({kind})");
        writeln!(stdout, "listening on {addr}")?;
    }
    stdout.flush()?;
    drop(stdout);
    server.serve(shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

/// The certificate from `--cert`/`--key`, the one kept in `cert_dir`, or
/// one generated now (kept in `cert_dir`, and written to `--cert-out`, if
/// given).
fn load_identity(options: &Options, cert_dir: Option<&Path>) -> Result<Identity, Box<dyn Error>> {
    let kept = cert_dir.map(|dir| (dir.join("imapkit-cert.pem"), dir.join("imapkit-key.pem")));
    let identity = match (&options.cert, kept) {
        (CertSource::Files { cert, key }, _) => Identity::from_pem_files(cert, key)?,
        (CertSource::SelfSigned { out }, Some((cert, key))) if cert.exists() && key.exists() => {
            tracing::info!("using the certificate kept in {}", cert.display());
            if let Some(out) = out {
                std::fs::copy(&cert, out).map_err(|e| {
                    format!("cannot write the certificate to {}: {e}", out.display())
                })?;
            }
            Identity::from_pem_files(&cert, &key)?
        }
        (CertSource::SelfSigned { out }, kept) => {
            let names = certificate_names(options);
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let identity = Identity::self_signed(&refs)?;
            tracing::warn!(
                "using a self-signed certificate generated for {}; pass --cert and --key for a real one",
                names.join(", ")
            );
            if let (Some(out), Some(pem)) = (out, identity.generated_cert_pem()) {
                std::fs::write(out, pem).map_err(|e| {
                    format!("cannot write the certificate to {}: {e}", out.display())
                })?;
            }
            if let (Some((cert, key)), Some(cert_pem), Some(key_pem)) = (
                kept,
                identity.generated_cert_pem(),
                identity.generated_key_pem(),
            ) {
                keep_certificate(&cert, cert_pem, &key, key_pem).map_err(|e| {
                    format!("cannot keep the certificate in {}: {e}", cert.display())
                })?;
                tracing::info!("kept the new certificate in {}", cert.display());
            }
            identity
        }
    };
    Ok(identity)
}

/// Writes a generated certificate and its key (readable by the owner
/// only) for the next start.
fn keep_certificate(cert: &Path, cert_pem: &str, key: &Path, key_pem: &str) -> io::Result<()> {
    use std::fs::OpenOptions;
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(key)?.write_all(key_pem.as_bytes())?;
    std::fs::write(cert, cert_pem)
}

/// The names a generated certificate is for: localhost and the loopback
/// addresses, and every specific address listened on.
fn certificate_names(options: &Options) -> Vec<String> {
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    for listen in &options.listeners {
        let ip: IpAddr = listen.addr.ip();
        let name = ip.to_string();
        if !ip.is_unspecified() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// A future that resolves at the first SIGINT or SIGTERM (Ctrl-C elsewhere
/// than Unix). The handlers are installed here, before the listeners are
/// announced, so an early signal is not lost to the default action. After
/// the first signal, a second one exits at once.
fn shutdown_signal() -> io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            let name = tokio::select! {
                _ = interrupt.recv() => "SIGINT",
                _ = terminate.recv() => "SIGTERM",
            };
            tracing::info!("{name}: shutting down (again to exit at once)");
            tokio::spawn(async move {
                tokio::select! {
                    _ = interrupt.recv() => {},
                    _ = terminate.recv() => {},
                }
                tracing::warn!("second signal: exiting without waiting for connections");
                std::process::exit(130);
            });
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            if tokio::signal::ctrl_c().await.is_ok() {
                tracing::info!("Ctrl-C: shutting down (again to exit at once)");
                tokio::spawn(async {
                    let _ = tokio::signal::ctrl_c().await;
                    std::process::exit(130);
                });
            } else {
                std::future::pending::<()>().await;
            }
        })
    }
}
