//! The command line the example servers share (`serve-memory`, and later
//! `serve-maildir`): listeners, users, TLS, logging.
//!
//! This module is plain `std` (no engine types), so its tests need nothing
//! but the parser. An example adds its own options through the `extra`
//! callback of [`Options::parse`].
//!
//! Hand-written rather than `clap`: eight options of one shape (`--name
//! VALUE` or a bare flag) do not need a parser framework, and clap (with
//! derive: syn, quote, proc-macro2) would add tens of seconds to every clean
//! build and clippy run on the 2-core CI machine, for the examples only.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The options every example server understands, for its `--help`.
pub const COMMON_USAGE: &str = "\
Listeners (repeatable; one `listening on ADDR` line each is printed to stdout,
in command-line order, once all are bound; default: --listen 127.0.0.1:1143
--tls-listen 127.0.0.1:1993):
  --listen ADDR          plain IMAP with STARTTLS, e.g. 127.0.0.1:143 (port 0 picks one)
  --tls-listen ADDR      implicit TLS (IMAPS), e.g. 127.0.0.1:993
Users and TLS:
  --users FILE           Dovecot passwd-file (`user:{PLAIN}secret`, SHA512-CRYPT, BLF-CRYPT, ARGON2ID)
  --cert PEM --key PEM   certificate chain and private key (PEM); without them a
                         self-signed certificate is generated at start
  --cert-out FILE        write the generated certificate (PEM) there, for clients to trust
  --allow-plaintext-auth allow LOGIN/AUTHENTICATE without TLS from any address
                         (default: only over TLS, or from a loopback address)
Other:
  --log LEVEL            off, error, warn, info (default), debug or trace; logs go to stderr
  -h, --help             this help";

/// Which kind of listener an address was given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// `--listen`: plain IMAP, STARTTLS offered.
    Plain,
    /// `--tls-listen`: implicit TLS.
    Tls,
}

/// One requested listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listen {
    /// Where to bind; port 0 lets the system pick.
    pub addr: SocketAddr,
    /// Plain (with STARTTLS) or implicit TLS.
    pub transport: Transport,
}

/// The verbosity of the logs on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// No logs.
    Off,
    /// Errors only.
    Error,
    /// Errors and warnings.
    Warn,
    /// Connections and commands (the default).
    Info,
    /// Details.
    Debug,
    /// Everything.
    Trace,
}

impl LogLevel {
    /// The level's name, as `--log` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Error => "error",
            Self::Warn => "warn",
            Self::Info => "info",
            Self::Debug => "debug",
            Self::Trace => "trace",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        let all = [
            Self::Off,
            Self::Error,
            Self::Warn,
            Self::Info,
            Self::Debug,
            Self::Trace,
        ];
        all.into_iter()
            .find(|level| level.name().eq_ignore_ascii_case(text))
    }
}

/// Where the server's certificate comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertSource {
    /// `--cert` and `--key`.
    Files {
        /// The certificate chain (PEM).
        cert: PathBuf,
        /// The private key (PEM).
        key: PathBuf,
    },
    /// Generated at start; its PEM is written to `out` when given (`--cert-out`).
    SelfSigned {
        /// Where to write the certificate.
        out: Option<PathBuf>,
    },
}

/// The parsed common options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The listeners, in command-line order (the order of the
    /// `listening on` lines).
    pub listeners: Vec<Listen>,
    /// `--users FILE`.
    pub users: Option<PathBuf>,
    /// The certificate.
    pub cert: CertSource,
    /// `--allow-plaintext-auth`.
    pub allow_plaintext_auth: bool,
    /// `--log LEVEL`.
    pub log: LogLevel,
}

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// Run with these options.
    Run(Options),
    /// `--help`: print the usage and exit successfully.
    Help,
}

/// A command line that cannot be run; the example prints it with a hint
/// to use `--help` and exits with status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError(pub String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CliError {}

/// The default listeners when none is given: unprivileged ports on loopback.
pub const DEFAULT_LISTENERS: [(&str, Transport); 2] = [
    ("127.0.0.1:1143", Transport::Plain),
    ("127.0.0.1:1993", Transport::Tls),
];

/// The arguments after the program name, with `--name=value` split into
/// name and value. Given to an example's `extra` callback so it can take
/// the value of its own options.
#[derive(Debug)]
pub struct Args {
    rest: VecDeque<String>,
    /// The value written as `--name=value` of the option being handled.
    inline: Option<String>,
}

impl Args {
    /// Takes the value of option `name`: the `=value` part, else the next
    /// argument.
    ///
    /// # Errors
    /// When there is none.
    pub fn value(&mut self, name: &str) -> Result<String, CliError> {
        if let Some(value) = self.inline.take() {
            return Ok(value);
        }
        self.rest
            .pop_front()
            .ok_or_else(|| CliError(format!("{name} needs a value")))
    }

    /// The next option's name, and its inline value kept for [`Args::value`].
    fn next_option(&mut self) -> Result<Option<String>, CliError> {
        if let Some(value) = self.inline.take() {
            return Err(CliError(format!("unexpected value {value:?}")));
        }
        let Some(arg) = self.rest.pop_front() else {
            return Ok(None);
        };
        if !arg.starts_with('-') {
            // A positional argument: the example's `extra` may take it.
            return Ok(Some(arg));
        }
        match arg.split_once('=') {
            Some((name, value)) if arg.starts_with("--") => {
                self.inline = Some(value.to_owned());
                Ok(Some(name.to_owned()))
            }
            _ => Ok(Some(arg)),
        }
    }

    /// Refuses an inline value for a flag that takes none.
    fn no_value(&mut self, name: &str) -> Result<(), CliError> {
        match self.inline.take() {
            Some(_) => Err(CliError(format!("{name} takes no value"))),
            None => Ok(()),
        }
    }
}

impl Options {
    /// Parses the arguments after the program name.
    ///
    /// `extra` sees every option this module does not know (and every
    /// positional argument, as its name), with the
    /// arguments, and answers `Ok(true)` when it took it (and its value),
    /// `Ok(false)` when it does not know it either.
    ///
    /// # Errors
    /// A [`CliError`] saying what is wrong.
    pub fn parse<I, F>(args: I, mut extra: F) -> Result<Parsed, CliError>
    where
        I: IntoIterator<Item = OsString>,
        F: FnMut(&str, &mut Args) -> Result<bool, CliError>,
    {
        let rest = args
            .into_iter()
            .map(|arg| {
                arg.into_string()
                    .map_err(|arg| CliError(format!("argument {arg:?} is not valid UTF-8")))
            })
            .collect::<Result<_, _>>()?;
        let mut args = Args { rest, inline: None };
        let mut listeners = Vec::new();
        let mut users = None;
        let mut cert = None;
        let mut key = None;
        let mut cert_out = None;
        let mut allow_plaintext_auth = false;
        let mut log = LogLevel::Info;
        while let Some(name) = args.next_option()? {
            match name.as_str() {
                "-h" | "--help" => return Ok(Parsed::Help),
                "--listen" | "--tls-listen" => {
                    let transport = if name == "--listen" {
                        Transport::Plain
                    } else {
                        Transport::Tls
                    };
                    let addr = parse_addr(&name, &args.value(&name)?)?;
                    listeners.push(Listen { addr, transport });
                }
                "--users" => set_once(&name, &mut users, args.value(&name)?.into())?,
                "--cert" => set_once(&name, &mut cert, args.value(&name)?.into())?,
                "--key" => set_once(&name, &mut key, args.value(&name)?.into())?,
                "--cert-out" => set_once(&name, &mut cert_out, args.value(&name)?.into())?,
                "--allow-plaintext-auth" => {
                    args.no_value(&name)?;
                    allow_plaintext_auth = true;
                }
                "--log" => {
                    let value = args.value(&name)?;
                    log = LogLevel::parse(&value).ok_or_else(|| {
                        CliError(format!(
                            "--log {value:?}: want off, error, warn, info, debug or trace"
                        ))
                    })?;
                }
                _ => {
                    if !extra(&name, &mut args)? {
                        return Err(CliError(if name.starts_with('-') {
                            format!("unknown option {name}")
                        } else {
                            format!("unexpected argument {name:?}")
                        }));
                    }
                }
            }
        }
        if listeners.is_empty() {
            listeners = DEFAULT_LISTENERS
                .iter()
                .map(|&(addr, transport)| Listen {
                    addr: addr.parse().expect("default listener addresses are valid"),
                    transport,
                })
                .collect();
        }
        let cert = match (cert, key, cert_out) {
            (Some(cert), Some(key), None) => CertSource::Files { cert, key },
            (None, None, out) => CertSource::SelfSigned { out },
            (Some(_), Some(_), Some(_)) => {
                return Err(CliError(
                    "--cert-out is for a generated certificate; not with --cert/--key".into(),
                ))
            }
            (Some(_), None, _) => return Err(CliError("--cert needs --key".into())),
            (None, Some(_), _) => return Err(CliError("--key needs --cert".into())),
        };
        Ok(Parsed::Run(Options {
            listeners,
            users,
            cert,
            allow_plaintext_auth,
            log,
        }))
    }
}

fn parse_addr(option: &str, text: &str) -> Result<SocketAddr, CliError> {
    text.parse().map_err(|_| {
        CliError(format!(
            "{option} {text:?}: want IP:PORT, such as 127.0.0.1:1143 or [::1]:1143"
        ))
    })
}

fn set_once<T>(option: &str, slot: &mut Option<T>, value: T) -> Result<(), CliError> {
    if slot.replace(value).is_some() {
        return Err(CliError(format!("{option} is given twice")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Parsed, CliError> {
        Options::parse(args.iter().map(OsString::from), |_, _| Ok(false))
    }

    fn run(args: &[&str]) -> Options {
        match parse(args) {
            Ok(Parsed::Run(options)) => options,
            other => panic!("{args:?} gave {other:?}"),
        }
    }

    fn error(args: &[&str]) -> String {
        match parse(args) {
            Err(CliError(message)) => message,
            other => panic!("{args:?} gave {other:?}"),
        }
    }

    fn listen(addr: &str, transport: Transport) -> Listen {
        Listen {
            addr: addr.parse().unwrap(),
            transport,
        }
    }

    #[test]
    fn defaults() {
        let options = run(&[]);
        assert_eq!(
            options.listeners,
            [
                listen("127.0.0.1:1143", Transport::Plain),
                listen("127.0.0.1:1993", Transport::Tls)
            ]
        );
        assert_eq!(options.users, None);
        assert_eq!(options.cert, CertSource::SelfSigned { out: None });
        assert!(!options.allow_plaintext_auth);
        assert_eq!(options.log, LogLevel::Info);
    }

    #[test]
    fn listeners_keep_command_line_order() {
        let options = run(&[
            "--tls-listen",
            "127.0.0.1:0",
            "--listen=[::1]:143",
            "--listen",
            "0.0.0.0:1143",
        ]);
        assert_eq!(
            options.listeners,
            [
                listen("127.0.0.1:0", Transport::Tls),
                listen("[::1]:143", Transport::Plain),
                listen("0.0.0.0:1143", Transport::Plain),
            ]
        );
    }

    #[test]
    fn every_option() {
        let options = run(&[
            "--listen",
            "127.0.0.1:0",
            "--users",
            "users.txt",
            "--cert=c.pem",
            "--key",
            "k.pem",
            "--allow-plaintext-auth",
            "--log",
            "DEBUG",
        ]);
        assert_eq!(options.users, Some(PathBuf::from("users.txt")));
        assert_eq!(
            options.cert,
            CertSource::Files {
                cert: "c.pem".into(),
                key: "k.pem".into()
            }
        );
        assert!(options.allow_plaintext_auth);
        assert_eq!(options.log, LogLevel::Debug);
        let options = run(&["--cert-out", "out.pem", "--log=off"]);
        assert_eq!(
            options.cert,
            CertSource::SelfSigned {
                out: Some("out.pem".into())
            }
        );
        assert_eq!(options.log, LogLevel::Off);
    }

    #[test]
    fn help_wins() {
        assert_eq!(parse(&["--listen", "127.0.0.1:1", "-h"]), Ok(Parsed::Help));
        assert_eq!(parse(&["--help"]), Ok(Parsed::Help));
    }

    #[test]
    fn bad_command_lines_say_why() {
        assert!(error(&["--listen"]).contains("needs a value"));
        assert!(error(&["--listen", "localhost:143"]).contains("IP:PORT"));
        assert!(error(&["--listen", "127.0.0.1"]).contains("IP:PORT"));
        assert!(error(&["--users", "a", "--users", "b"]).contains("twice"));
        assert!(error(&["--cert", "c.pem"]).contains("needs --key"));
        assert!(error(&["--key", "k.pem"]).contains("needs --cert"));
        assert!(error(&["--cert", "c", "--key", "k", "--cert-out", "o"]).contains("--cert-out"));
        assert!(error(&["--log", "loud"]).contains("want off"));
        assert!(error(&["--allow-plaintext-auth=yes"]).contains("takes no value"));
        assert!(error(&["--verbose"]).contains("unknown option --verbose"));
        assert!(error(&["serve"]).contains("unexpected argument"));
    }

    #[test]
    fn extra_options_reach_the_example() {
        let mut maildir = None;
        let parsed = Options::parse(
            ["--maildir", "/srv/mail", "--listen", "127.0.0.1:0"].map(OsString::from),
            |name, args| match name {
                "--maildir" => {
                    maildir = Some(args.value(name)?);
                    Ok(true)
                }
                _ => Ok(false),
            },
        );
        assert!(matches!(parsed, Ok(Parsed::Run(_))));
        assert_eq!(maildir.as_deref(), Some("/srv/mail"));
    }
}
