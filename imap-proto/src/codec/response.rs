//! The public decoder of server responses.

use super::decode::core::imap_tag;
use super::decode::response::response;
use super::decode::{parse_frame, DecodeError};
use crate::response::Response;

/// Decodes server responses, one frame at a time.
///
/// A frame is what the [framer](super::frame) cuts in
/// [`FramerMode::Response`](super::frame::FramerMode::Response): one
/// response, its literals inline, its final CRLF included. Encoding goes the
/// other way through [`Encode`](super::Encode), which [`Response`] implements.
///
/// # Example
/// ```
/// use imapkit_proto::codec::{Encode, ResponseCodec};
/// use imapkit_proto::response::{Code, Response, Status};
///
/// let frame = b"a1 OK [READ-WRITE] SELECT completed\r\n";
/// let response = ResponseCodec::decode(frame).unwrap();
/// let Response::Status(status) = &response else { panic!() };
/// assert_eq!(status.code(), Some(&Code::ReadWrite));
/// assert_eq!(response.encode().dump(), frame);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResponseCodec;

impl ResponseCodec {
    /// Decodes one response frame.
    ///
    /// # Errors
    /// Returns [`DecodeError`] when the frame is not one well-formed
    /// response (with the tag, when a tagged response's tag could be read).
    pub fn decode(frame: &[u8]) -> Result<Response, DecodeError> {
        let tag = match frame.first() {
            Some(b'*' | b'+') | None => None,
            Some(_) => imap_tag(frame).ok().map(|(_, tag)| tag),
        };
        parse_frame(frame, tag, response)
    }
}

#[cfg(test)]
mod tests {
    use std::num::{NonZeroU32, NonZeroU64};

    use bytes::Bytes;
    use proptest::prelude::*;

    use super::*;
    use crate::capability::Capability;
    use crate::codec::Encode;
    use crate::core::{Atom, Charset, Quoted, Tag, Text, Vec1};
    use crate::flag::{Flag, FlagPerm};
    use crate::response::{Code, CodeText, ContinueRequest, Data, RespText, Status, StatusKind};
    use crate::sequence::{SeqOrUid, Sequence, SequenceSet};
    use crate::testing::response::arb_response;

    fn nz(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    fn text(s: &str) -> Text {
        Text::try_from(s).unwrap()
    }

    fn tag(s: &str) -> Tag {
        Tag::try_from(s).unwrap()
    }

    fn set(items: &[(u32, u32)]) -> SequenceSet {
        let items = items
            .iter()
            .map(|&(a, b)| {
                let value = |n| SeqOrUid::Value(nz(n));
                if a == b {
                    Sequence::Single(value(a))
                } else {
                    Sequence::Range(value(a), value(b))
                }
            })
            .collect::<Vec<_>>();
        SequenceSet::Set(Vec1::try_from(items).unwrap())
    }

    /// Decodes `raw` to `expected`, and encodes `expected` to `raw` exactly.
    #[track_caller]
    fn kat(raw: &[u8], expected: Response) {
        let decoded = ResponseCodec::decode(raw)
            .unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(raw)));
        assert_eq!(decoded, expected, "{:?}", String::from_utf8_lossy(raw));
        let encoded = expected.encode().dump();
        assert_eq!(
            String::from_utf8_lossy(&encoded),
            String::from_utf8_lossy(raw)
        );
    }

    /// Decodes `raw` to `expected`, which encodes canonically as `canonical`.
    #[track_caller]
    fn lenient(raw: &[u8], expected: Response, canonical: &[u8]) {
        assert_eq!(ResponseCodec::decode(raw).unwrap(), expected);
        assert_eq!(
            String::from_utf8_lossy(&expected.encode().dump()),
            String::from_utf8_lossy(canonical)
        );
        assert_eq!(ResponseCodec::decode(canonical).unwrap(), expected);
    }

    #[track_caller]
    fn code_kat(raw_code: &str, code: Code) {
        let raw = format!("a NO [{raw_code}] x\r\n");
        kat(
            raw.as_bytes(),
            Response::no(tag("a"), Some(code), text("x")),
        );
    }

    #[test]
    fn tagged_status() {
        kat(
            b"A001 OK LOGIN completed\r\n",
            Response::ok(tag("A001"), None, text("LOGIN completed")),
        );
        kat(
            b"A223 NO COPY failed: disk is full\r\n",
            Response::no(tag("A223"), None, text("COPY failed: disk is full")),
        );
        kat(
            b"A443 BAD Command unknown\r\n",
            Response::bad(tag("A443"), None, text("Command unknown")),
        );
        lenient(
            b"a ok done\r\n",
            Response::ok(tag("a"), None, text("done")),
            b"a OK done\r\n",
        );
    }

    #[test]
    fn untagged_status() {
        kat(
            b"* OK IMAP4rev2 server ready\r\n",
            Response::untagged_ok(None, text("IMAP4rev2 server ready")),
        );
        kat(
            b"* NO Disk is 98% full, please delete unnecessary data\r\n",
            Response::untagged_no(
                None,
                text("Disk is 98% full, please delete unnecessary data"),
            ),
        );
        kat(
            b"* BAD Command line too long\r\n",
            Response::untagged_bad(None, text("Command line too long")),
        );
        kat(
            b"* PREAUTH IMAP4rev2 server logged in as Smith\r\n",
            Response::preauth(None, text("IMAP4rev2 server logged in as Smith")),
        );
        kat(
            b"* BYE Autologout; idle for too long\r\n",
            Response::bye(text("Autologout; idle for too long")),
        );
        kat(
            b"* BYE [UNAVAILABLE] Shutting down\r\n",
            Response::bye_with_code(Some(Code::Unavailable), text("Shutting down")),
        );
    }

    #[test]
    fn resp_text_without_text() {
        let code_only = |code| {
            Response::Status(Status::Untagged {
                kind: StatusKind::Ok,
                body: RespText {
                    code: Some(code),
                    text: None,
                },
            })
        };
        // RFC 9051: `"[" resp-text-code "]" SP`, then no text.
        kat(b"* OK [UIDNEXT 5] \r\n", code_only(Code::UidNext(nz(5))));
        // Leniency: the SP missing too.
        lenient(
            b"* OK [UIDNEXT 5]\r\n",
            code_only(Code::UidNext(nz(5))),
            b"* OK [UIDNEXT 5] \r\n",
        );
        // RFC 9051: resp-text may be empty altogether.
        kat(
            b"a OK \r\n",
            Response::Status(Status::Tagged {
                tag: tag("a"),
                kind: StatusKind::Ok,
                body: RespText {
                    code: None,
                    text: None,
                },
            }),
        );
    }

    #[test]
    fn text_that_starts_with_a_bracket() {
        let plain = |s: &str| Response::untagged_ok(None, text(s));
        // Not a well-formed code: all of it is text.
        kat(
            b"* OK [no closing bracket\r\n",
            plain("[no closing bracket"),
        );
        kat(b"* OK [ALERT]glued\r\n", plain("[ALERT]glued"));
        kat(b"* OK []\r\n", plain("[]"));
        kat(b"* OK [FOO ] x\r\n", plain("[FOO ] x"));
    }

    #[test]
    fn codes_without_arguments() {
        for (name, code) in crate::response::SIMPLE_CODES {
            code_kat(name, code.clone());
            // Case-insensitive.
            let raw = format!("* OK [{}] x\r\n", name.to_ascii_lowercase());
            assert_eq!(
                ResponseCodec::decode(raw.as_bytes()).unwrap(),
                Response::untagged_ok(Some(code.clone()), text("x"))
            );
        }
        assert_eq!(crate::response::SIMPLE_CODES.len(), 31);
    }

    #[test]
    fn codes_with_arguments() {
        code_kat("BADCHARSET", Code::BadCharset(vec![]));
        code_kat(
            "BADCHARSET (UTF-8 \"ISO 8859-1\")",
            Code::BadCharset(vec![
                Charset::Atom(Atom::unvalidated("UTF-8")),
                Charset::Quoted(Quoted::unvalidated("ISO 8859-1")),
            ]),
        );
        code_kat(
            "CAPABILITY IMAP4rev2 STARTTLS",
            Code::Capability(
                Vec1::try_from(vec![Capability::Imap4Rev2, Capability::StartTls]).unwrap(),
            ),
        );
        code_kat(
            "PERMANENTFLAGS (\\Deleted \\Seen \\*)",
            Code::PermanentFlags(vec![
                FlagPerm::Flag(Flag::Deleted),
                FlagPerm::Flag(Flag::Seen),
                FlagPerm::Asterisk,
            ]),
        );
        code_kat("PERMANENTFLAGS ()", Code::PermanentFlags(vec![]));
        code_kat("UIDNEXT 4392", Code::UidNext(nz(4392)));
        code_kat(
            "UIDVALIDITY 3857529045",
            Code::UidValidity(nz(3_857_529_045)),
        );
        code_kat("UNSEEN 12", Code::Unseen(nz(12)));
        code_kat(
            "APPENDUID 38505 3955",
            Code::AppendUid {
                uid_validity: nz(38505),
                uids: set(&[(3955, 3955)]),
            },
        );
        code_kat(
            "APPENDUID 38505 3955:3957",
            Code::AppendUid {
                uid_validity: nz(38505),
                uids: set(&[(3955, 3957)]),
            },
        );
        code_kat(
            "COPYUID 38505 304,319:320 3956:3958",
            Code::CopyUid {
                uid_validity: nz(38505),
                source: set(&[(304, 304), (319, 320)]),
                destination: set(&[(3956, 3958)]),
            },
        );
        code_kat(
            "HIGHESTMODSEQ 715194045007",
            Code::HighestModSeq(NonZeroU64::new(715_194_045_007).unwrap()),
        );
        code_kat(
            "HIGHESTMODSEQ 9223372036854775807",
            Code::HighestModSeq(NonZeroU64::new(i64::MAX as u64).unwrap()),
        );
        code_kat("MODIFIED 7,9", Code::Modified(set(&[(7, 7), (9, 9)])));
        code_kat(
            "REFERRAL imap://user;AUTH=*@SERVER2/",
            Code::Other(
                Atom::unvalidated("REFERRAL"),
                Some(CodeText::unvalidated("imap://user;AUTH=*@SERVER2/")),
            ),
        );
        code_kat(
            "METADATA LONGENTRIES 2000",
            Code::Other(
                Atom::unvalidated("METADATA"),
                Some(CodeText::unvalidated("LONGENTRIES 2000")),
            ),
        );
        code_kat("XFOO", Code::Other(Atom::unvalidated("XFOO"), None));
    }

    #[test]
    fn malformed_known_codes_are_other() {
        let other = |name: &str, args: Option<&str>| {
            Code::Other(Atom::unvalidated(name), args.map(CodeText::unvalidated))
        };
        for (raw, code) in [
            ("UIDNEXT 0", other("UIDNEXT", Some("0"))),
            ("UIDNEXT 4294967296", other("UIDNEXT", Some("4294967296"))),
            ("UIDNEXT", other("UIDNEXT", None)),
            ("HIGHESTMODSEQ 0", other("HIGHESTMODSEQ", Some("0"))),
            (
                "HIGHESTMODSEQ 9223372036854775808",
                other("HIGHESTMODSEQ", Some("9223372036854775808")),
            ),
            ("APPENDUID 1 2:*", other("APPENDUID", Some("1 2:*"))),
            ("COPYUID 1 2", other("COPYUID", Some("1 2"))),
            ("CAPABILITY", other("CAPABILITY", None)),
            ("BADCHARSET ()", other("BADCHARSET", Some("()"))),
            ("ALERT now", other("ALERT", Some("now"))),
            ("PERMANENTFLAGS", other("PERMANENTFLAGS", None)),
        ] {
            code_kat(raw, code);
        }
    }

    #[test]
    fn data() {
        kat(
            b"* CAPABILITY IMAP4rev2 STARTTLS AUTH=GSSAPI XPIG-LATIN\r\n",
            Response::Data(Data::Capability(
                Vec1::try_from(vec![
                    Capability::Imap4Rev2,
                    Capability::StartTls,
                    Capability::auth("GSSAPI").unwrap(),
                    Capability::Other(Atom::unvalidated("XPIG-LATIN")),
                ])
                .unwrap(),
            )),
        );
        kat(
            b"* ENABLED CONDSTORE QRESYNC\r\n",
            Response::Data(Data::Enabled(vec![
                Capability::CondStore,
                Capability::QResync,
            ])),
        );
        kat(b"* ENABLED\r\n", Response::Data(Data::Enabled(vec![])));
        kat(
            b"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n",
            Response::Data(Data::Flags(vec![
                Flag::Answered,
                Flag::Flagged,
                Flag::Deleted,
                Flag::Seen,
                Flag::Draft,
            ])),
        );
        kat(b"* FLAGS ()\r\n", Response::Data(Data::Flags(vec![])));
        kat(b"* 23 EXISTS\r\n", Response::Data(Data::Exists(23)));
        kat(b"* 0 EXISTS\r\n", Response::Data(Data::Exists(0)));
        kat(b"* 5 RECENT\r\n", Response::Data(Data::Recent(5)));
        kat(b"* 44 EXPUNGE\r\n", Response::Data(Data::Expunge(nz(44))));
        kat(
            b"* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n",
            Response::Data(Data::Vanished {
                earlier: true,
                uids: set(&[(41, 41), (43, 116), (118, 118), (120, 211), (214, 540)]),
            }),
        );
        kat(
            b"* VANISHED 405,407,410,425\r\n",
            Response::Data(Data::Vanished {
                earlier: false,
                uids: set(&[(405, 405), (407, 407), (410, 410), (425, 425)]),
            }),
        );
        lenient(
            b"* 4294967295 exists\r\n",
            Response::Data(Data::Exists(u32::MAX)),
            b"* 4294967295 EXISTS\r\n",
        );
    }

    #[test]
    fn continuation_requests() {
        kat(
            b"+ Ready for additional command text\r\n",
            Response::continue_text(text("Ready for additional command text")),
        );
        kat(b"+ idling\r\n", Response::continue_text(text("idling")));
        kat(
            b"+ [ALERT] Send the literal\r\n",
            Response::ContinueRequest(ContinueRequest::Text(RespText::new(
                Some(Code::Alert),
                text("Send the literal"),
            ))),
        );
        // RFC 9051 §6.2.2: a GSSAPI challenge.
        let challenge = b"YDMGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=";
        let mut raw = b"+ ".to_vec();
        raw.extend_from_slice(challenge);
        raw.extend_from_slice(b"\r\n");
        let Response::ContinueRequest(ContinueRequest::Base64(data)) =
            ResponseCodec::decode(&raw).unwrap()
        else {
            panic!("not base64");
        };
        assert_eq!(data.len(), 53);
        kat(&raw, Response::continue_base64(data));
        // The empty challenge, and the documented ambiguity.
        kat(b"+ \r\n", Response::continue_base64(Bytes::new()));
        kat(b"+ T0tBWQ==\r\n", Response::continue_base64(&b"OKAY"[..]));
        assert_eq!(
            ResponseCodec::decode(b"+ OKAY\r\n").unwrap(),
            Response::continue_base64(Bytes::from_static(&[0x38, 0xa0, 0x18]))
        );
        // Not padded, so text.
        kat(b"+ abc\r\n", Response::continue_text(text("abc")));
        // Leniency: a bare `+`.
        lenient(b"+\r\n", Response::continue_base64(Bytes::new()), b"+ \r\n");
    }

    #[test]
    fn decode_errors() {
        for bad in [
            &b""[..],
            b"\r\n",
            b"* OK x",
            b"* OK x\n",
            b"* OK a\rb\r\n",
            b"* OK x\r\n\r\n",
            b"* OK\r\n",
            b"*OK x\r\n",
            b"* OKAY x\r\n",
            b"* 0 EXPUNGE\r\n",
            b"* 4294967296 EXISTS\r\n",
            b"* -1 EXISTS\r\n",
            b"* 3 EXIST\r\n",
            b"* FLAGS (\\Recent)\r\n",
            b"* FLAGS \\Seen\r\n",
            b"* CAPABILITY\r\n",
            b"* VANISHED 1:*\r\n",
            b"* VANISHED (EARLIER)\r\n",
            b"* FOO bar\r\n",
            b"a PREAUTH x\r\n",
            b"a BYE x\r\n",
            b"+a\r\n",
            b"a+ OK x\r\n",
            b"a OK \xff\r\n",
            b"a OK x\0y\r\n",
        ] {
            assert!(
                ResponseCodec::decode(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn error_carries_tag_and_offset() {
        let error = ResponseCodec::decode(b"A7 OK x\r\nmore").unwrap_err();
        assert_eq!(error.tag(), Some(&tag("A7")));
        assert_eq!(error.offset(), 9);
        let error = ResponseCodec::decode(b"* 4294967296 EXISTS\r\n").unwrap_err();
        assert_eq!(error.tag(), None);
    }

    #[test]
    fn fetch_body_literal_is_shared_not_copied() {
        use crate::fetch::{FetchData, MessageDataItem, Section};

        let body = Bytes::from(b"Subject: hi\r\n\r\nhello\r\n".to_vec());
        let item = MessageDataItem::body_section(Section::default(), None, body.clone()).unwrap();
        let response = Response::Data(Data::Fetch(FetchData {
            seq: nz(12),
            items: Vec1::try_from(vec![MessageDataItem::Uid(nz(7)), item]).unwrap(),
        }));
        let encoded = response.encode();
        let literals: Vec<_> = encoded
            .fragments()
            .iter()
            .filter_map(|f| match f {
                crate::codec::Fragment::Literal { data, .. } => Some(data),
                crate::codec::Fragment::Line { .. } | crate::codec::Fragment::Streamed { .. } => {
                    None
                }
            })
            .collect();
        assert_eq!(literals.len(), 1);
        assert_eq!(literals[0].as_ptr(), body.as_ptr());
        assert_eq!(literals[0].len(), body.len());
        assert_eq!(
            String::from_utf8_lossy(&encoded.dump()),
            "* 12 FETCH (UID 7 BODY[] {22}\r\nSubject: hi\r\n\r\nhello\r\n)\r\n"
        );
        assert_eq!(ResponseCodec::decode(&encoded.dump()).unwrap(), response);
    }

    #[test]
    fn rfc3501_fetch_lines() {
        for raw in [
            &b"* 12 FETCH (FLAGS (\\Seen \\Deleted))\r\n"[..],
            b"* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
              RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
              \"IMAP4rev1 WG mtg summary and minutes\" \
              ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
              ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
              ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
              ((NIL NIL \"imap\" \"cac.washington.edu\")) \
              ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")\
              (\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
              \"<B27397-0100000@cac.washington.edu>\") \
              BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n",
            b"* 12 FETCH (BODY[HEADER] {8}\r\nDate: x\n)\r\n",
        ] {
            let response = ResponseCodec::decode(raw)
                .unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(raw)));
            assert!(matches!(response, Response::Data(Data::Fetch(_))));
            assert_eq!(
                String::from_utf8_lossy(&response.encode().dump()),
                String::from_utf8_lossy(raw)
            );
        }
    }

    /// A body structure nested `levels` deep in a FETCH response.
    fn nested_body(levels: usize) -> Vec<u8> {
        let mut raw = b"* 1 FETCH (BODYSTRUCTURE ".to_vec();
        raw.extend(std::iter::repeat_n(b'(', levels));
        raw.extend_from_slice(b"\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)");
        for _ in 1..levels {
            raw.extend_from_slice(b" \"MIXED\")");
        }
        raw.extend_from_slice(b")\r\n");
        raw
    }

    #[test]
    fn nesting_is_bounded_on_a_small_stack() {
        // The default stack of a spawned thread (and of tokio's workers) is 2 MiB.
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| {
                assert!(ResponseCodec::decode(&nested_body(40)).is_ok());
                let error = ResponseCodec::decode(&nested_body(100)).unwrap_err();
                assert!(error.is_too_deep(), "{error}");
                let error = ResponseCodec::decode(&nested_body(100_000)).unwrap_err();
                assert!(error.is_too_deep(), "{error}");
            })
            .unwrap()
            .join()
            .unwrap();
    }

    proptest! {
        /// `decode(encode(x)) == x`, except that a server writes every
        /// literal as `{n}` (it never waits for a continuation): a response
        /// with literals reads back with synchronizing ones, so there the
        /// check is that the bytes are stable.
        #[test]
        fn round_trip(response in arb_response()) {
            let encoded = response.encode();
            let bytes = encoded.dump();
            let decoded = ResponseCodec::decode(&bytes);
            let has_literal = encoded
                .fragments()
                .iter()
                .any(|f| matches!(f, crate::codec::Fragment::Literal { .. }));
            if has_literal {
                let decoded = decoded.map_err(|e| e.to_string());
                prop_assert!(decoded.is_ok(), "{:?}: {:?}", String::from_utf8_lossy(&bytes), decoded);
                let again = decoded.expect("checked").encode().dump();
                prop_assert_eq!(String::from_utf8_lossy(&again), String::from_utf8_lossy(&bytes));
            } else {
                prop_assert_eq!(
                    decoded.as_ref(),
                    Ok(&response),
                    "{:?}",
                    String::from_utf8_lossy(&bytes)
                );
            }
        }
    }
}
