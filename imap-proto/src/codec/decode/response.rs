//! Parsers of server responses (RFC 9051 §7 and §9, RFC 3501 §9, and the
//! extensions).
//!
//! Leniencies, each named where it is applied:
//! - a response code without text, with or without the SP after `]`
//!   (`* OK [UIDNEXT 5]`): RFC 3501 requires text, RFC 9051 the SP; servers
//!   that send a code alone omit both ([`resp_text`]);
//! - a continuation request without the SP (`+` CRLF), read as the empty
//!   one ([`continue_req`]);
//! - a `CAPABILITY` list without `IMAP4rev1`/`IMAP4rev2`
//!   ([`capability_data`](super::capability::capability_data)).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use bytes::Bytes;
use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while, take_while1};
use nom::combinator::{map, opt, peek, value};
use nom::multi::{separated_list0, separated_list1};
use nom::sequence::{delimited, pair, preceded, terminated, tuple};

use super::acl::{acl_data, listrights_data, myrights_data};
use super::capability::{capability_data, enable_data};
use super::common::{flag_list, flag_perm, sequence_set, uid_set};
use super::core::{atom, charset, crlf, imap_tag, number, nz_number, nz_number64, sp, text};
use super::fetch::fetch_data;
use super::id::id_data;
use super::list::list_data;
use super::namespace::namespace_data;
use super::quota::{quota_data, quotaroot_data};
use super::search::{esearch_data, search_data};
use super::sort::{sort_data, thread_data};
use super::status::status_data;
use super::{IResult, ParseError, ParseErrorKind};
use crate::core::is_text_byte;
use crate::response::{
    is_code_text_byte, Code, CodeText, ContinueRequest, Data, RespText, Response, Status,
    StatusKind, SIMPLE_CODES,
};

/// `response = continue-req / response-data / response-tagged`: one
/// response, CRLF included.
///
/// Dispatches on the first byte: `+` is a continuation request, `*` untagged,
/// anything else a tag.
pub(crate) fn response(input: &[u8]) -> IResult<'_, Response> {
    match input.first() {
        Some(b'+') => map(continue_req, Response::ContinueRequest)(input),
        Some(b'*') => response_data(input),
        _ => map(response_tagged, Response::Status)(input),
    }
}

/// `continue-req = "+" SP (resp-text / base64) CRLF`.
///
/// The rest of the line is [`ContinueRequest::Base64`] when it is valid,
/// padded base64 (the empty string included), else `resp-text` (see the
/// [`response`](crate::response) module docs). Leniency: a bare `+` CRLF is
/// taken as `+ ` CRLF.
pub(crate) fn continue_req(input: &[u8]) -> IResult<'_, ContinueRequest> {
    let (rest, _) = tag(b"+")(input)?;
    if let Ok((rest, ())) = crlf(rest) {
        return Ok((rest, ContinueRequest::Base64(Bytes::new())));
    }
    let (rest, ()) = sp(rest)?;
    let (_, line) = take_while(is_text_byte)(rest)?;
    if let Ok(data) = BASE64.decode(line) {
        let (rest, _) = terminated(take_while(is_text_byte), crlf)(rest)?;
        return Ok((rest, ContinueRequest::Base64(Bytes::from(data))));
    }
    map(terminated(resp_text, crlf), ContinueRequest::Text)(rest)
}

/// `response-tagged = tag SP resp-cond-state CRLF`.
pub(crate) fn response_tagged(input: &[u8]) -> IResult<'_, Status> {
    let (rest, (tag, _, (kind, body), _)) = tuple((imap_tag, sp, resp_cond_state, crlf))(input)?;
    Ok((rest, Status::Tagged { tag, kind, body }))
}

/// `response-data = "*" SP (resp-cond-state / resp-cond-bye / resp-cond-auth /
/// mailbox-data / message-data / capability-data / enable-data) CRLF`.
///
/// `resp-cond-auth` (`PREAUTH`) belongs to the greeting; it is taken here,
/// since a frame does not know whether it is the first.
pub(crate) fn response_data(input: &[u8]) -> IResult<'_, Response> {
    delimited(
        tag(b"* "),
        alt((
            map(status_untagged, Response::Status),
            map(data, Response::Data),
        )),
        crlf,
    )(input)
}

/// `("OK" / "NO" / "BAD")`.
fn status_kind(input: &[u8]) -> IResult<'_, StatusKind> {
    alt((
        value(StatusKind::Ok, tag_no_case(b"OK")),
        value(StatusKind::No, tag_no_case(b"NO")),
        value(StatusKind::Bad, tag_no_case(b"BAD")),
    ))(input)
}

/// `resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text`.
fn resp_cond_state(input: &[u8]) -> IResult<'_, (StatusKind, RespText)> {
    pair(status_kind, preceded(sp, resp_text))(input)
}

/// `resp-cond-state / resp-cond-bye / "PREAUTH" SP resp-text`, untagged.
fn status_untagged(input: &[u8]) -> IResult<'_, Status> {
    alt((
        map(resp_cond_state, |(kind, body)| Status::Untagged {
            kind,
            body,
        }),
        map(
            preceded(pair(tag_no_case(b"PREAUTH"), sp), resp_text),
            Status::PreAuth,
        ),
        map(
            preceded(pair(tag_no_case(b"BYE"), sp), resp_text),
            Status::Bye,
        ),
    ))(input)
}

/// `resp-text = ["[" resp-text-code "]" SP] [text]` (RFC 9051).
///
/// Leniency: after `]`, the SP may be missing when no text follows (some
/// servers send `* OK [UIDNEXT 5]`). A `[` that does not start a
/// well-formed code followed by SP or the line end is text.
pub(crate) fn resp_text(input: &[u8]) -> IResult<'_, RespText> {
    if let Ok((rest, code)) = delimited(tag(b"["), resp_text_code, tag(b"]"))(input) {
        let code = Some(code);
        if let Ok((rest, text)) = preceded(sp, text)(rest) {
            return Ok((
                rest,
                RespText {
                    code,
                    text: Some(text),
                },
            ));
        }
        let after = rest.strip_prefix(b" ").unwrap_or(rest);
        if after.is_empty() || after.starts_with(b"\r\n") {
            return Ok((after, RespText { code, text: None }));
        }
    }
    let (rest, text) = opt(text)(input)?;
    Ok((rest, RespText { code: None, text }))
}

/// `resp-text-code`: a known code followed by `]`, else the generic
/// `atom [SP 1*<any TEXT-CHAR except "]">]`.
pub(crate) fn resp_text_code(input: &[u8]) -> IResult<'_, Code> {
    alt((terminated(known_code, peek(tag(b"]"))), other_code))(input)
}

/// The codes this crate knows, by name (case-insensitive).
fn known_code(input: &[u8]) -> IResult<'_, Code> {
    let (rest, name) = atom(input)?;
    let name = name.as_str();
    if let Some((_, code)) = SIMPLE_CODES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
    {
        return Ok((rest, code.clone()));
    }
    match name.to_ascii_uppercase().as_str() {
        // "BADCHARSET" [SP "(" charset *(SP charset) ")" ]
        "BADCHARSET" => map(
            opt(preceded(
                sp,
                delimited(tag(b"("), separated_list1(sp, charset), tag(b")")),
            )),
            |charsets| Code::BadCharset(charsets.unwrap_or_default()),
        )(rest),
        // capability-data
        "CAPABILITY" => map(capability_data, Code::Capability)(input),
        // "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")"
        "PERMANENTFLAGS" => map(
            preceded(
                sp,
                delimited(tag(b"("), separated_list0(sp, flag_perm), tag(b")")),
            ),
            Code::PermanentFlags,
        )(rest),
        "UIDNEXT" => map(preceded(sp, nz_number), Code::UidNext)(rest),
        "UIDVALIDITY" => map(preceded(sp, nz_number), Code::UidValidity)(rest),
        "UNSEEN" => map(preceded(sp, nz_number), Code::Unseen)(rest),
        // resp-code-apnd = "APPENDUID" SP nz-number SP append-uid
        "APPENDUID" => map(
            pair(preceded(sp, nz_number), preceded(sp, uid_set)),
            |(uid_validity, uids)| Code::AppendUid { uid_validity, uids },
        )(rest),
        // resp-code-copy = "COPYUID" SP nz-number SP uid-set SP uid-set
        "COPYUID" => map(
            tuple((
                preceded(sp, nz_number),
                preceded(sp, uid_set),
                preceded(sp, uid_set),
            )),
            |(uid_validity, source, destination)| Code::CopyUid {
                uid_validity,
                source,
                destination,
            },
        )(rest),
        // "HIGHESTMODSEQ" SP mod-sequence-value (RFC 7162)
        "HIGHESTMODSEQ" => {
            let (rest, modseq) = preceded(sp, nz_number64)(rest)?;
            let modseq = std::num::NonZeroU64::new(modseq).expect("nz-number64 is non-zero");
            Ok((rest, Code::HighestModSeq(modseq)))
        }
        // "MODIFIED" SP sequence-set (RFC 7162)
        "MODIFIED" => map(preceded(sp, sequence_set), Code::Modified)(rest),
        _ => ParseError::fail(input, ParseErrorKind::Invalid("unknown response code")),
    }
}

/// `atom [SP 1*<any TEXT-CHAR except "]">]`.
fn other_code(input: &[u8]) -> IResult<'_, Code> {
    let (rest, name) = atom(input)?;
    let (rest, text) = opt(preceded(sp, code_text))(rest)?;
    Ok((rest, Code::Other(name, text)))
}

/// `1*<any TEXT-CHAR except "]">` (UTF-8 taken as in `text`).
fn code_text(input: &[u8]) -> IResult<'_, CodeText> {
    let (rest, raw) = take_while1(is_code_text_byte)(input)?;
    match std::str::from_utf8(raw) {
        Ok(raw) => Ok((rest, CodeText::unvalidated(raw))),
        Err(_) => ParseError::fail(input, ParseErrorKind::NotUtf8),
    }
}

/// The untagged data after `* `, without CRLF.
pub(crate) fn data(input: &[u8]) -> IResult<'_, Data> {
    alt((
        message_number_data,
        map(capability_data, Data::Capability),
        map(enable_data, Data::Enabled),
        map(
            preceded(pair(tag_no_case(b"FLAGS"), sp), flag_list),
            Data::Flags,
        ),
        expunged_resp,
        map(fetch_data, Data::Fetch),
        map(esearch_data, Data::ESearch),
        map(search_data, Data::Search),
        map(sort_data, Data::Sort),
        map(thread_data, Data::Thread),
        map(status_data, Data::Status),
        map(list_data, Data::List),
        map(namespace_data, Data::Namespace),
        map(id_data, Data::Id),
        map(quota_data, Data::Quota),
        map(quotaroot_data, Data::QuotaRoot),
        map(acl_data, Data::Acl),
        map(listrights_data, Data::ListRights),
        map(myrights_data, Data::MyRights),
    ))(input)
}

/// `number SP "EXISTS"`, `number SP "RECENT"` (RFC 3501) and
/// `nz-number SP "EXPUNGE"`.
fn message_number_data(input: &[u8]) -> IResult<'_, Data> {
    let (rest, (n, _)) = pair(number, sp)(input)?;
    if let Ok((rest, _)) = tag_no_case::<_, _, ParseError<'_>>(b"EXISTS")(rest) {
        return Ok((rest, Data::Exists(n)));
    }
    if let Ok((rest, _)) = tag_no_case::<_, _, ParseError<'_>>(b"RECENT")(rest) {
        return Ok((rest, Data::Recent(n)));
    }
    let (rest, _) = tag_no_case(b"EXPUNGE")(rest)?;
    match std::num::NonZeroU32::new(n) {
        Some(n) => Ok((rest, Data::Expunge(n))),
        None => ParseError::fail(input, ParseErrorKind::Invalid("EXPUNGE of message 0")),
    }
}

/// `expunged-resp = "VANISHED" [SP "(EARLIER)"] SP known-uids` (RFC 7162).
fn expunged_resp(input: &[u8]) -> IResult<'_, Data> {
    let (rest, (_, earlier, _, uids)) = tuple((
        tag_no_case(b"VANISHED"),
        opt(preceded(sp, tag_no_case(b"(EARLIER)"))),
        sp,
        uid_set,
    ))(input)?;
    Ok((
        rest,
        Data::Vanished {
            earlier: earlier.is_some(),
            uids,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{Atom, Text};

    #[test]
    fn resp_text_forms() {
        let (rest, body) = resp_text(b"[ALERT] Hi there\r\n").unwrap();
        assert_eq!(rest, b"\r\n");
        assert_eq!(body.code, Some(Code::Alert));
        assert_eq!(body.text, Some(Text::unvalidated("Hi there")));
        let (rest, body) = resp_text(b"[ALERT]\r\n").unwrap();
        assert_eq!(
            (rest, body.code, body.text),
            (&b"\r\n"[..], Some(Code::Alert), None)
        );
        let (rest, body) = resp_text(b"[ALERT] \r\n").unwrap();
        assert_eq!(
            (rest, body.code, body.text),
            (&b"\r\n"[..], Some(Code::Alert), None)
        );
        let (rest, body) = resp_text(b"\r\n").unwrap();
        assert_eq!((rest, body.code, body.text), (&b"\r\n"[..], None, None));
        let (_, body) = resp_text(b"[ALERT]x\r\n").unwrap();
        assert_eq!(
            (body.code, body.text),
            (None, Some(Text::unvalidated("[ALERT]x")))
        );
    }

    #[test]
    fn codes_stop_at_bracket() {
        let (rest, code) = resp_text_code(b"UIDNEXT 5] x").unwrap();
        assert_eq!(
            (rest, code),
            (
                &b"] x"[..],
                Code::UidNext(std::num::NonZeroU32::new(5).unwrap())
            )
        );
        let (rest, code) = resp_text_code(b"X-FOO a b c] x").unwrap();
        assert_eq!(rest, b"] x");
        assert_eq!(
            code,
            Code::Other(
                Atom::unvalidated("X-FOO"),
                Some(CodeText::unvalidated("a b c"))
            )
        );
        assert!(resp_text_code(b"] x").is_err());
        assert!(resp_text_code(b"(ALERT)]").is_err());
    }

    #[test]
    fn continuation_forms() {
        let (rest, request) = continue_req(b"+ dGVzdA==\r\nx").unwrap();
        assert_eq!(rest, b"x");
        assert_eq!(
            request,
            ContinueRequest::Base64(Bytes::from_static(b"test"))
        );
        // Unpadded base64 is not base64 here: it is text.
        let (_, request) = continue_req(b"+ dGVzdA\r\n").unwrap();
        assert!(matches!(request, ContinueRequest::Text(_)));
        assert!(continue_req(b"+ dGVzdA==").is_err());
        assert!(continue_req(b"+x\r\n").is_err());
    }
}
