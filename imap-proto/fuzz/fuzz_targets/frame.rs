#![no_main]
//! The framer never panics, never holds more than its limits allow, and
//! every frame it yields ends with CRLF.

use imapkit_proto::codec::frame::{FrameEvent, Framer, FramerLimits, FramerMode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut framer = Framer::new(FramerMode::Command, FramerLimits::PRE_AUTH);
    for (i, chunk) in data.chunks(7).enumerate() {
        framer.push(chunk);
        while let Some(event) = framer.next_event() {
            match event {
                FrameEvent::Frame(frame) => assert!(frame.ends_with(b"\r\n")),
                FrameEvent::LiteralAnnounced { .. } if i % 2 == 0 => framer.accept_literal(),
                FrameEvent::LiteralAnnounced { .. } => framer.reject_literal(),
                FrameEvent::Rejected { .. } => {}
                FrameEvent::Unrecoverable { .. } => return,
            }
        }
    }
});
