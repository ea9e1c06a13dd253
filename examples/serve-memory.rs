//! `serve-memory`: an IMAP server over the in-memory backend, for demos,
//! client testing and the acceptance harness. Mail lives only as long as
//! the process.
//!
//! ```sh
//! printf 'alice:{PLAIN}secret\nbob:{PLAIN}secret\n' > users
//! cargo run --example serve-memory -- --users users \
//!     --listen 127.0.0.1:1143 --tls-listen 127.0.0.1:1993
//! ```
//!
//! The command line (shared with the other example servers) is in
//! `support/cli.rs`; `--help` lists it.

mod support;

use std::process::ExitCode;
use std::sync::Arc;

use imapkit::memory::MemoryBackend;

const PROGRAM: &str = "serve-memory";

const USAGE: &str = "Serves the users of --users FILE from memory (nothing is kept on exit).
";

#[tokio::main]
async fn main() -> ExitCode {
    let options = support::parse_args(PROGRAM, USAGE, |_, _| Ok(false));
    support::init_logging(&options);
    let Some(users) = &options.users else {
        eprintln!("{PROGRAM}: --users FILE is required (lines `user:{{PLAIN}}secret`)");
        return ExitCode::from(2);
    };
    let backend = match std::fs::read_to_string(users)
        .map_err(|e| e.to_string())
        .and_then(|text| MemoryBackend::from_passwd_file_str(&text).map_err(|e| e.to_string()))
    {
        Ok(backend) => backend,
        Err(error) => {
            eprintln!("{PROGRAM}: {}: {error}", users.display());
            return ExitCode::FAILURE;
        }
    };
    match support::serve(Arc::new(backend), &options, support::Setup::default()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{PROGRAM}: {error}");
            ExitCode::FAILURE
        }
    }
}
