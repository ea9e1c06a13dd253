//! `serve-maildir`: serves an existing Maildir over IMAP (STARTTLS) and
//! IMAPS, in place, keeping the UIDs Dovecot gave it.
//!
//! ```sh
//! cargo run --release --example serve-maildir -- ~/Maildir
//! ```
//!
//! One user (`--user`, default `$USER`) with the password of `--password`,
//! of `IMAPKIT_PASSWORD`, or generated and printed once. Many users:
//! `--users FILE` (Dovecot's passwd-file, `mail=maildir:~/Maildir` fields
//! honoured) with `--mail-root DIR` for users without `mail=`
//! (`DIR/<user>`). Without a path or users it serves a small demo Maildir
//! it creates in `./imapkit-demo/Maildir`. A generated certificate is kept
//! in the Maildir (`imapkit-cert.pem`, `imapkit-key.pem`) and used again.
//!
//! The common options (listeners, TLS, logging) are in `support/cli.rs`;
//! `--help` lists them.

mod support;

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use imapkit::maildir::{Layout, MaildirBackend};
use imapkit::server::backend::{
    parse_passwd_file, AppendMessage, ConnectionInfo, Credentials, Flag, Flags, InternalDate,
    SpecialUse, StoredPassword,
};
use imapkit::server::config::Limits;
use imapkit::server::Backend;

use support::cli::{CliError, Transport};

const PROGRAM: &str = "serve-maildir";

const USAGE: &str = "Serves a Maildir over IMAP and IMAPS, in place.
  [MAILDIR]              the Maildir of the one user (default: a demo Maildir
                         created in ./imapkit-demo/Maildir)
  --user NAME            that user's login name (default: $USER)
  --password SECRET      that user's password (default: $IMAPKIT_PASSWORD, else
                         one is generated and printed)
  --mail-root DIR        with --users: a user's Maildir is DIR/<user> unless the
                         users file gives mail=maildir:PATH
  --layout LAYOUT        maildir++ (default: .Sent, .Work.Projects) or fs (nested)
";

/// What this example adds to the common options.
#[derive(Debug, Default)]
struct Extra {
    maildir: Option<PathBuf>,
    user: Option<String>,
    password: Option<String>,
    mail_root: Option<PathBuf>,
    layout: Layout,
}

/// How long an idling session waits before looking at its folder again:
/// other programs (an MTA, mutt) change a Maildir without ringing our
/// doorbell, and one second is what a user expects to wait.
const IDLE_RECHECK: Duration = Duration::from_secs(1);

#[tokio::main]
async fn main() -> ExitCode {
    let mut extra = Extra::default();
    let options = support::parse_args(PROGRAM, USAGE, |name, args| {
        match name {
            "--user" => extra.user = Some(args.value(name)?),
            "--password" => extra.password = Some(args.value(name)?),
            "--mail-root" => extra.mail_root = Some(args.value(name)?.into()),
            "--layout" => {
                extra.layout = args
                    .value(name)?
                    .parse()
                    .map_err(|e| CliError(format!("--layout: {e}")))?;
            }
            path if !path.starts_with('-') && extra.maildir.is_none() => {
                extra.maildir = Some(path.into());
            }
            _ => return Ok(false),
        }
        Ok(true)
    });
    support::init_logging(&options);
    match run(extra, &options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{PROGRAM}: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(extra: Extra, options: &support::cli::Options) -> Result<(), Box<dyn Error>> {
    let backend = MaildirBackend::new(extra.layout);
    let cert_dir = match &options.users {
        Some(users) => {
            let root = extra.mail_root.clone();
            add_users(&backend, users, root.as_deref())?;
            root
        }
        None => Some(add_single_user(&backend, &extra).await?),
    };
    print_how_to_connect(options, cert_dir.as_deref());
    let limits = Limits {
        idle_recheck: IDLE_RECHECK,
        ..Limits::default()
    };
    let setup = support::Setup { limits, cert_dir };
    support::serve(Arc::new(backend), options, setup).await
}

/// The users of a passwd-file, each with the Maildir its `mail=` names,
/// else `<mail root>/<user>`, else `<home>/Maildir`.
fn add_users(
    backend: &MaildirBackend,
    users: &Path,
    mail_root: Option<&Path>,
) -> Result<(), Box<dyn Error>> {
    let text = std::fs::read_to_string(users).map_err(|e| format!("{}: {e}", users.display()))?;
    let entries = parse_passwd_file(&text).map_err(|e| format!("{}: {e}", users.display()))?;
    for entry in entries {
        let maildir = match (&entry.mail, mail_root, &entry.home) {
            (Some(mail), _, _) if mail.format == "maildir" => {
                let layout = mail.option("LAYOUT").unwrap_or("maildir++");
                if layout.parse::<Layout>().ok() != Some(backend.layout()) {
                    return Err(format!(
                        "user {}: LAYOUT={layout} differs from --layout",
                        entry.username
                    )
                    .into());
                }
                mail.path.clone()
            }
            (Some(mail), _, _) => {
                return Err(format!(
                    "user {}: mail format {:?} is not maildir",
                    entry.username, mail.format
                )
                .into())
            }
            (None, Some(root), _) => root.join(&entry.username),
            (None, None, Some(home)) => home.join("Maildir"),
            (None, None, None) => {
                return Err(format!(
                    "user {}: no mail= or home, and no --mail-root",
                    entry.username
                )
                .into())
            }
        };
        backend
            .add_user(entry.username.clone(), entry.password, &maildir)
            .map_err(|e| format!("user {}: {}: {e}", entry.username, maildir.display()))?;
        eprintln!(
            "{PROGRAM}: user {} -> {}",
            entry.username,
            maildir.display()
        );
    }
    Ok(())
}

/// The one user of a Maildir given by path (or of the demo Maildir);
/// returns the Maildir.
async fn add_single_user(
    backend: &MaildirBackend,
    extra: &Extra,
) -> Result<PathBuf, Box<dyn Error>> {
    let (maildir, demo) = match &extra.maildir {
        Some(path) => (path.clone(), false),
        None => (PathBuf::from("imapkit-demo/Maildir"), true),
    };
    let fresh_demo = demo && !maildir.join("cur").exists();
    let user = extra
        .user
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "me".to_string());
    let (password, generated) = match extra
        .password
        .clone()
        .or_else(|| std::env::var("IMAPKIT_PASSWORD").ok())
    {
        Some(password) => (password, false),
        None => (generate_password()?, true),
    };
    backend
        .add_user(
            user.clone(),
            StoredPassword::plain(password.clone()),
            &maildir,
        )
        .map_err(|e| format!("{}: {e}", maildir.display()))?;
    if fresh_demo {
        fill_demo(backend, &user, &password).await?;
    }
    let what = if demo { "demo Maildir" } else { "Maildir" };
    eprintln!("{PROGRAM}: serving the {what} {}", maildir.display());
    if generated {
        eprintln!("{PROGRAM}: user {user}, generated password: {password}");
    } else {
        eprintln!("{PROGRAM}: user {user}");
    }
    Ok(maildir)
}

fn generate_password() -> Result<String, Box<dyn Error>> {
    use std::io::Read;
    let mut bytes = [0u8; 12];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect())
}

/// A few realistic messages in INBOX and Sent, through the backend itself.
async fn fill_demo(
    backend: &MaildirBackend,
    user: &str,
    password: &str,
) -> Result<(), Box<dyn Error>> {
    let session = backend
        .authenticate(
            &Credentials::password(user, password),
            &ConnectionInfo::default(),
        )
        .await
        .map_err(|e| format!("demo Maildir: {e}"))?;
    let inbox = session.lookup("INBOX").await?.id;
    let sent = session.create("Sent", &[SpecialUse::Sent]).await?;
    session.subscribe("Sent").await?;
    let day = 86_400;
    let now = InternalDate::now().unix_seconds();
    let message = |days_ago: i64, flags: &[Flag], text: String| {
        let date = InternalDate::new(now - days_ago * day, 0).unwrap_or_else(InternalDate::now);
        AppendMessage::new(
            flags.iter().cloned().collect::<Flags>(),
            date,
            text.replace('\n', "\r\n").into(),
        )
    };
    session
        .append(
            &inbox,
            vec![
                message(3, &[Flag::Seen], demo_text("Ada Lovelace <ada@example.org>", "Welcome to imapkit", "This Maildir is served by imapkit's serve-maildir example.\nPoint any IMAP client at it.")),
                message(1, &[Flag::Seen, Flag::Flagged], demo_alternative()),
                message(0, &[], demo_text("Grace Hopper <grace@example.org>", "Lunch on Friday?", "Shall we meet at noon?\n\nGrace")),
            ],
        )
        .await?;
    session
        .append(
            &sent,
            vec![message(
                0,
                &[Flag::Seen],
                demo_text(
                    "Grace Hopper <grace@example.org>",
                    "Re: Lunch on Friday?",
                    "Noon works.\n\n> Shall we meet at noon?",
                ),
            )],
        )
        .await?;
    Ok(())
}

fn demo_text(from: &str, subject: &str, body: &str) -> String {
    format!(
        "From: {from}\nTo: you@example.org\nSubject: {subject}\nDate: Mon, 30 Nov 2026 09:00:00 +0000\nMessage-ID: <demo-{}@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n",
        subject.len()
    )
}

fn demo_alternative() -> String {
    "From: Alan Turing <alan@example.org>\nTo: you@example.org\nSubject: Meeting notes\nDate: Tue, 01 Dec 2026 16:30:00 +0000\nMessage-ID: <notes@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\nNotes: the machine works.\n--b1\nContent-Type: text/html; charset=utf-8\n\n<p>Notes: the machine <b>works</b>.</p>\n--b1--\n".to_string()
}

/// Where to point a client, on stderr (stdout carries `listening on`).
fn print_how_to_connect(options: &support::cli::Options, cert_dir: Option<&Path>) {
    if let (Some(dir), support::cli::CertSource::SelfSigned { .. }) = (cert_dir, &options.cert) {
        eprintln!(
            "{PROGRAM}: self-signed certificate kept in {}",
            dir.join("imapkit-cert.pem").display()
        );
    }
    for listen in &options.listeners {
        let line = match listen.transport {
            Transport::Plain => format!(
                "openssl s_client -quiet -starttls imap -connect {}",
                listen.addr
            ),
            Transport::Tls => format!("openssl s_client -quiet -connect {}", listen.addr),
        };
        eprintln!("{PROGRAM}: try: {line}");
    }
}
