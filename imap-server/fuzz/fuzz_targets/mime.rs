#![no_main]
//! The MIME scanner never panics, keeps every part inside the message, and
//! its cache form reads back the same (`imapkit_server::fuzz::mime`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imapkit_server::fuzz::mime(data));
