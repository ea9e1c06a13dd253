#![no_main]
//! `CommandCodec::decode` never panics; a command that parses re-encodes and
//! re-parses to the same value.

use imapkit_proto::codec::CommandCodec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imapkit_proto_fuzz::round_trip(data, CommandCodec::decode));
