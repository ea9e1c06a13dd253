#![no_main]
//! `ResponseCodec::decode` never panics; a response that parses re-encodes
//! and re-parses to the same value.

use imapkit_proto::codec::ResponseCodec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imapkit_proto_fuzz::round_trip(data, ResponseCodec::decode));
