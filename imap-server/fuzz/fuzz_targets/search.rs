#![no_main]
//! The SEARCH evaluator never panics: criteria on the first line, the
//! message after it (`imapkit_server::fuzz::search`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imapkit_server::fuzz::search(data));
