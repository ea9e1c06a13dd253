//! Parsers of client commands (RFC 9051 §9 `command` and the extensions'
//! additions to it).
//!
//! [`command`] reads the tag, then the command name as an atom, and
//! dispatches on the name (case-insensitively, RFC 9051 §9: "all alphabetic
//! characters are case-insensitive"); each command's parser starts after
//! its keyword and the SP that follows it.

use std::num::NonZeroU64;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use bytes::Bytes;
use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while};
use nom::combinator::{map, opt, value};
use nom::multi::{many1, separated_list1};
use nom::sequence::{delimited, preceded, tuple};

use super::acl::{deleteacl_args, getacl_args, listrights_args, myrights_args, setacl_args};
use super::capability::capability;
use super::common::{date_time, flag_list, mailbox, sequence_set, store_flag, uid_set};
use super::core::{
    astring, atom, crlf, imap_tag, literal, literal8, number64, nz_number, nz_number64, sp,
};
use super::fetch::fetch_args;
use super::id::id_args;
use super::list::{create_params, list_args, lsub_args, xlist_args};
use super::quota::{getquota_args, getquotaroot_args, setquota_args};
use super::search::search_args;
use super::sort::{sort_args, thread_args};
use super::status::status_args;
use super::{IResult, ParseError, ParseErrorKind};
use crate::command::{
    Append, AppendData, AppendMessage, AuthenticateData, Command, CommandBody,
    CompressionAlgorithm, IdleDone, QResync, SelectParams, SeqMatchData, Store,
};
use crate::core::Vec1;
use crate::flag::{StoreResponse, StoreType};
use crate::secret::Secret;

/// `command = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF`,
/// without the CRLF: the codec checks the line end (and applies the
/// trailing-space leniency) and hands the parser the command before it.
pub(crate) fn command(input: &[u8]) -> IResult<'_, Command> {
    let (rest, (tag, (), body)) = tuple((imap_tag, sp, command_body))(input)?;
    Ok((rest, Command { tag, body }))
}

/// The command name, upper-cased for dispatch.
fn command_name(input: &[u8]) -> IResult<'_, String> {
    let (rest, name) = atom(input)?;
    Ok((rest, name.as_str().to_ascii_uppercase()))
}

/// `command-any / command-auth / command-nonauth / command-select`: one
/// command, from its name to the end of its arguments.
fn command_body(input: &[u8]) -> IResult<'_, CommandBody> {
    let (rest, name) = command_name(input)?;
    // Commands without arguments end at the name.
    let bare = match name.as_str() {
        "CAPABILITY" => Some(CommandBody::Capability),
        "NOOP" => Some(CommandBody::Noop),
        "LOGOUT" => Some(CommandBody::Logout),
        "STARTTLS" => Some(CommandBody::StartTls),
        "NAMESPACE" => Some(CommandBody::Namespace),
        "IDLE" => Some(CommandBody::Idle),
        "CHECK" => Some(CommandBody::Check),
        "CLOSE" => Some(CommandBody::Close),
        "UNSELECT" => Some(CommandBody::Unselect),
        "EXPUNGE" => Some(CommandBody::Expunge),
        _ => None,
    };
    if let Some(body) = bare {
        return Ok((rest, body));
    }
    let args = |rest| sp(rest).map(|(rest, ())| rest);
    match name.as_str() {
        "AUTHENTICATE" => authenticate(args(rest)?),
        "LOGIN" => login(args(rest)?),
        "ID" => map(id_args, CommandBody::Id)(args(rest)?),
        "ENABLE" => enable(rest),
        "SELECT" => map(select_args, |(mailbox, params)| CommandBody::Select {
            mailbox,
            params,
        })(args(rest)?),
        "EXAMINE" => map(select_args, |(mailbox, params)| CommandBody::Examine {
            mailbox,
            params,
        })(args(rest)?),
        "CREATE" => map(tuple((mailbox, opt(create_params))), |(mailbox, params)| {
            CommandBody::Create { mailbox, params }
        })(args(rest)?),
        "DELETE" => map(mailbox, |mailbox| CommandBody::Delete { mailbox })(args(rest)?),
        "RENAME" => map(tuple((mailbox, sp, mailbox)), |(from, (), to)| {
            CommandBody::Rename { from, to }
        })(args(rest)?),
        "SUBSCRIBE" => map(mailbox, |mailbox| CommandBody::Subscribe { mailbox })(args(rest)?),
        "UNSUBSCRIBE" => map(mailbox, |mailbox| CommandBody::Unsubscribe { mailbox })(args(rest)?),
        "LIST" => map(list_args, CommandBody::List)(args(rest)?),
        "LSUB" => map(lsub_args, CommandBody::Lsub)(args(rest)?),
        "XLIST" => map(xlist_args, CommandBody::Xlist)(args(rest)?),
        "STATUS" => map(status_args, CommandBody::Status)(args(rest)?),
        "APPEND" => map(append, CommandBody::Append)(args(rest)?),
        "COMPRESS" => compress(args(rest)?),
        "GETQUOTA" => map(getquota_args, CommandBody::GetQuota)(args(rest)?),
        "GETQUOTAROOT" => map(getquotaroot_args, CommandBody::GetQuotaRoot)(args(rest)?),
        "SETQUOTA" => map(setquota_args, CommandBody::SetQuota)(args(rest)?),
        "SETACL" => map(setacl_args, CommandBody::SetAcl)(args(rest)?),
        "DELETEACL" => map(deleteacl_args, CommandBody::DeleteAcl)(args(rest)?),
        "GETACL" => map(getacl_args, CommandBody::GetAcl)(args(rest)?),
        "LISTRIGHTS" => map(listrights_args, CommandBody::ListRights)(args(rest)?),
        "MYRIGHTS" => map(myrights_args, CommandBody::MyRights)(args(rest)?),
        name if NUMBERED.contains(&name) => numbered(name, false, args(rest)?),
        "UID" => uid(args(rest)?),
        _ => ParseError::fail(input, ParseErrorKind::Invalid("unknown command")),
    }
}

/// The commands that the `UID` prefix applies to, SORT and THREAD (RFC 5256
/// §5) included; UID EXPUNGE is apart, as EXPUNGE alone takes no set.
const NUMBERED: [&str; 7] = ["SEARCH", "SORT", "THREAD", "FETCH", "STORE", "COPY", "MOVE"];

/// `uid = "UID" SP (copy / move / fetch / search / store / uid-expunge)`.
fn uid(input: &[u8]) -> IResult<'_, CommandBody> {
    let (rest, name) = command_name(input)?;
    let (args, ()) = sp(rest)?;
    match name.as_str() {
        "EXPUNGE" => map(sequence_set, |uids| CommandBody::ExpungeUid { uids })(args),
        name if NUMBERED.contains(&name) => numbered(name, true, args),
        _ => ParseError::fail(input, ParseErrorKind::Invalid("unknown UID command")),
    }
}

/// The arguments of one of the [`NUMBERED`] commands, `name`, with `uid`
/// telling whether the `UID` prefix came before it.
fn numbered<'a>(name: &str, uid: bool, args: &'a [u8]) -> IResult<'a, CommandBody> {
    match name {
        "SEARCH" => map(search_args, |search| CommandBody::Search { uid, search })(args),
        "SORT" => map(sort_args, |sort| CommandBody::Sort { uid, sort })(args),
        "THREAD" => map(thread_args, |thread| CommandBody::Thread { uid, thread })(args),
        "FETCH" => map(fetch_args, |fetch| CommandBody::Fetch { uid, fetch })(args),
        "STORE" => map(store, |store| CommandBody::Store { uid, store })(args),
        "COPY" | "MOVE" => map(copy_args, |(sequence_set, mailbox)| {
            if name == "COPY" {
                CommandBody::Copy {
                    uid,
                    sequence_set,
                    mailbox,
                }
            } else {
                CommandBody::Move {
                    uid,
                    sequence_set,
                    mailbox,
                }
            }
        })(args),
        _ => ParseError::fail(args, ParseErrorKind::Invalid("unknown command")),
    }
}

/// Whether `b` is a `base64-char` (RFC 9051 §9): `ALPHA / DIGIT / "+" / "/"`.
fn is_base64_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// The base64 characters and padding of `base64`, unchecked.
fn base64_token(input: &[u8]) -> IResult<'_, &[u8]> {
    take_while(|b| is_base64_char(b) || b == b'=')(input)
}

/// Decodes `raw` as canonical, padded base64.
fn decode_base64<'a>(input: &'a [u8], raw: &[u8]) -> Result<Bytes, nom::Err<ParseError<'a>>> {
    BASE64.decode(raw).map(Bytes::from).map_err(|_| {
        nom::Err::Error(ParseError::new(
            input,
            ParseErrorKind::Invalid("malformed base64"),
        ))
    })
}

/// `base64 = *(4base64-char) [base64-terminal]`, decoded (may be empty).
fn base64(input: &[u8]) -> IResult<'_, Bytes> {
    let (rest, raw) = base64_token(input)?;
    Ok((rest, decode_base64(input, raw)?))
}

/// `initial-resp = (base64 / "=")` (RFC 4959): `=` is an empty response.
fn initial_resp(input: &[u8]) -> IResult<'_, Bytes> {
    let (rest, raw) = base64_token(input)?;
    match raw {
        [] => ParseError::fail(input, ParseErrorKind::Invalid("empty initial response")),
        b"=" => Ok((rest, Bytes::new())),
        raw => Ok((rest, decode_base64(input, raw)?)),
    }
}

/// `authenticate = "AUTHENTICATE" SP auth-type [SP initial-resp]`, with
/// `auth-type = atom`; the exchange that follows is [`authenticate_line`].
fn authenticate(input: &[u8]) -> IResult<'_, CommandBody> {
    let (rest, (mechanism, initial_response)) =
        tuple((atom, opt(preceded(sp, initial_resp))))(input)?;
    Ok((
        rest,
        CommandBody::Authenticate {
            mechanism,
            initial_response: initial_response.map(Secret::new),
        },
    ))
}

/// One client line of the AUTHENTICATE exchange: `base64 CRLF` or
/// `"*" CRLF` (RFC 9051 §6.2.2).
pub(crate) fn authenticate_line(input: &[u8]) -> IResult<'_, AuthenticateData> {
    alt((
        value(AuthenticateData::Cancel, tuple((tag(b"*"), crlf))),
        map(tuple((base64, crlf)), |(data, ())| {
            AuthenticateData::Continue(Secret::new(data))
        }),
    ))(input)
}

/// `idle = "IDLE" CRLF "DONE"`: the `"DONE" CRLF` line that ends IDLE.
pub(crate) fn idle_done(input: &[u8]) -> IResult<'_, IdleDone> {
    value(IdleDone, tuple((tag_no_case(b"DONE"), crlf)))(input)
}

/// `[SP "(" ...]`: an optional parenthesised argument. Once SP and `(`
/// follow, `parser` must match, so that its error (an overflow, an unknown
/// parameter) is reported rather than a vague one further on.
fn opt_parenthesised<'a, O>(
    input: &'a [u8],
    parser: impl FnMut(&'a [u8]) -> IResult<'a, O>,
) -> IResult<'a, Option<O>> {
    match input.strip_prefix(b" ") {
        Some(rest) if rest.starts_with(b"(") => map(parser, Some)(rest),
        _ => Ok((input, None)),
    }
}

/// `enable = "ENABLE" 1*(SP capability)` (RFC 5161 §4), after the keyword.
fn enable(input: &[u8]) -> IResult<'_, CommandBody> {
    let (rest, capabilities) = many1(preceded(sp, capability))(input)?;
    let capabilities = Vec1::try_from(capabilities).expect("many1 is non-empty");
    Ok((rest, CommandBody::Enable { capabilities }))
}

/// `login = "LOGIN" SP userid SP password`, both `astring`.
fn login(input: &[u8]) -> IResult<'_, CommandBody> {
    let (rest, (username, (), password)) = tuple((astring, sp, astring))(input)?;
    Ok((
        rest,
        CommandBody::Login {
            username,
            password: Secret::new(password),
        },
    ))
}

/// `select = "SELECT" SP mailbox [select-params]` (and `examine`, alike).
fn select_args(input: &[u8]) -> IResult<'_, (crate::mailbox::Mailbox, SelectParams)> {
    let (rest, mailbox) = mailbox(input)?;
    let (rest, params) = opt_parenthesised(rest, select_params)?;
    Ok((rest, (mailbox, params.unwrap_or_default())))
}

/// `select-params = SP "(" select-param *(SP select-param) ")"` (RFC 4466),
/// from the `(`; the parameters are `CONDSTORE` and `QRESYNC` (RFC 7162),
/// each at most once.
fn select_params(input: &[u8]) -> IResult<'_, SelectParams> {
    let (mut rest, _) = tag(b"(")(input)?;
    let mut params = SelectParams::default();
    loop {
        let (after, name) = command_name(rest)?;
        rest = match name.as_str() {
            "CONDSTORE" if !params.condstore => {
                params.condstore = true;
                after
            }
            "QRESYNC" if params.qresync.is_none() => {
                let (after, qresync) = preceded(sp, qresync)(after)?;
                params.qresync = Some(qresync);
                after
            }
            "CONDSTORE" | "QRESYNC" => {
                return ParseError::fail(rest, ParseErrorKind::Invalid("repeated select parameter"))
            }
            _ => {
                return ParseError::fail(rest, ParseErrorKind::Invalid("unknown select parameter"))
            }
        };
        if let Some(after) = rest.strip_prefix(b")") {
            return Ok((after, params));
        }
        (rest, ()) = sp(rest)?;
    }
}

/// The value of the QRESYNC select parameter (RFC 7162 §3.2.5):
/// `"(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")"`.
fn qresync(input: &[u8]) -> IResult<'_, QResync> {
    let (rest, (_, uid_validity, (), mod_seq, known_uids, seq_match, _)) = tuple((
        tag(b"("),
        nz_number,
        sp,
        mod_sequence_value,
        opt(preceded(sp, uid_set)),
        opt(preceded(sp, seq_match_data)),
        tag(b")"),
    ))(input)?;
    Ok((
        rest,
        QResync {
            uid_validity,
            mod_seq,
            known_uids,
            seq_match,
        },
    ))
}

/// `mod-sequence-value = 1*DIGIT` (1 to 2^63-1, RFC 7162 §7).
fn mod_sequence_value(input: &[u8]) -> IResult<'_, NonZeroU64> {
    let (rest, n) = nz_number64(input)?;
    let n = NonZeroU64::new(n).expect("nz_number64 is non-zero");
    Ok((rest, n))
}

/// `seq-match-data = "(" known-sequence-set SP known-uid-set ")"`; neither
/// set may hold `*` (RFC 7162 §3.2.5).
fn seq_match_data(input: &[u8]) -> IResult<'_, SeqMatchData> {
    map(
        delimited(tag(b"("), tuple((uid_set, sp, uid_set)), tag(b")")),
        |(sequence_set, (), uid_set)| SeqMatchData {
            sequence_set,
            uid_set,
        },
    )(input)
}

/// `append = "APPEND" SP mailbox 1*append-message` (RFC 3502, RFC 4466).
fn append(input: &[u8]) -> IResult<'_, Append> {
    let (rest, (mailbox, messages)) = tuple((mailbox, many1(append_message)))(input)?;
    let messages = Vec1::try_from(messages).expect("many1 is non-empty");
    Ok((rest, Append { mailbox, messages }))
}

/// `append-message = [SP flag-list] [SP date-time] SP append-data`, with
/// `append-data = literal / literal8` (RFC 3516).
fn append_message(input: &[u8]) -> IResult<'_, AppendMessage> {
    let (rest, flags) = opt_parenthesised(input, flag_list)?;
    let (rest, (date_time, (), data)) = tuple((
        opt(preceded(sp, date_time)),
        sp,
        alt((
            map(literal8, AppendData::Literal8),
            map(literal, AppendData::Literal),
        )),
    ))(rest)?;
    Ok((
        rest,
        AppendMessage {
            flags: flags.unwrap_or_default(),
            date_time,
            data,
        },
    ))
}

/// `compress = "COMPRESS" SP algorithm`, `algorithm = "DEFLATE"` (RFC 4978 §5).
fn compress(input: &[u8]) -> IResult<'_, CommandBody> {
    let (rest, name) = command_name(input)?;
    match name.as_str() {
        "DEFLATE" => Ok((
            rest,
            CommandBody::Compress {
                algorithm: CompressionAlgorithm::Deflate,
            },
        )),
        _ => ParseError::fail(
            input,
            ParseErrorKind::Invalid("unknown compression algorithm"),
        ),
    }
}

/// `copy = "COPY" SP sequence-set SP mailbox` (and `move`, alike).
fn copy_args(input: &[u8]) -> IResult<'_, (crate::sequence::SequenceSet, crate::mailbox::Mailbox)> {
    map(tuple((sequence_set, sp, mailbox)), |(set, (), mailbox)| {
        (set, mailbox)
    })(input)
}

/// `store = "STORE" SP sequence-set [store-modifiers] SP store-att-flags`.
fn store(input: &[u8]) -> IResult<'_, Store> {
    let (rest, sequence_set) = sequence_set(input)?;
    let (rest, unchanged_since) = opt_parenthesised(rest, store_modifiers)?;
    let (rest, ((), (kind, response, flags))) = tuple((sp, store_att_flags))(rest)?;
    Ok((
        rest,
        Store {
            sequence_set,
            unchanged_since,
            kind,
            response,
            flags,
        },
    ))
}

/// `store-modifiers = SP "(" store-modifier *(SP store-modifier) ")"`
/// (RFC 4466), from the `(`; the one modifier is
/// `"UNCHANGEDSINCE" SP mod-sequence-valzer` (RFC 7162 §3.1.3).
fn store_modifiers(input: &[u8]) -> IResult<'_, u64> {
    let (rest, _) = tag(b"(")(input)?;
    let (after, name) = command_name(rest)?;
    if name != "UNCHANGEDSINCE" {
        return ParseError::fail(rest, ParseErrorKind::Invalid("unknown store modifier"));
    }
    // `mod-sequence-valzer = "0" / mod-sequence-value`.
    let (after, n) = preceded(sp, number64)(after)?;
    if after.starts_with(b" ") {
        return ParseError::fail(after, ParseErrorKind::Invalid("repeated store modifier"));
    }
    let (after, _) = tag(b")")(after)?;
    Ok((after, n))
}

/// `store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))`.
fn store_att_flags(
    input: &[u8],
) -> IResult<'_, (StoreType, StoreResponse, Vec<crate::flag::Flag>)> {
    let (rest, (kind, _, silent, (), flags)) = tuple((
        alt((
            value(StoreType::Add, tag(b"+")),
            value(StoreType::Remove, tag(b"-")),
            value(StoreType::Replace, tag(b"")),
        )),
        tag_no_case(b"FLAGS"),
        opt(tag_no_case(b".SILENT")),
        sp,
        alt((flag_list, separated_list1(sp, store_flag))),
    ))(input)?;
    let response = if silent.is_some() {
        StoreResponse::Silent
    } else {
        StoreResponse::Answer
    };
    Ok((rest, (kind, response, flags)))
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use super::*;
    use crate::core::{AString, Atom, LiteralMode, Tag};
    use crate::flag::Flag;
    use crate::mailbox::Mailbox;
    use crate::sequence::SequenceSet;

    /// Parses a whole command line (without CRLF), as the codec hands it over.
    fn parse(line: &str) -> CommandBody {
        match command(line.as_bytes()) {
            Ok(([], command)) => command.body,
            other => panic!("{line:?}: {other:?}"),
        }
    }

    fn refuses(line: &str) {
        assert!(
            !matches!(command(line.as_bytes()), Ok(([], _))),
            "{line:?} parsed"
        );
    }

    fn mailbox_of(name: &str) -> Mailbox {
        Mailbox::from_astring(AString::from_content(name.to_owned()).unwrap())
    }

    fn set(raw: &str) -> SequenceSet {
        sequence_set(raw.as_bytes()).unwrap().1
    }

    #[test]
    fn command_reads_tag_and_name_in_any_case() {
        let (rest, command) = command(b"a.1 nOoP").unwrap();
        assert!(rest.is_empty());
        assert_eq!(command.tag, Tag::unvalidated("a.1"));
        assert_eq!(command.body, CommandBody::Noop);
        for (line, body) in [
            ("A CAPABILITY", CommandBody::Capability),
            ("A LOGOUT", CommandBody::Logout),
            ("A STARTTLS", CommandBody::StartTls),
            ("A NAMESPACE", CommandBody::Namespace),
            ("A IDLE", CommandBody::Idle),
            ("A CHECK", CommandBody::Check),
            ("A close", CommandBody::Close),
            ("A UNSELECT", CommandBody::Unselect),
            ("A EXPUNGE", CommandBody::Expunge),
        ] {
            assert_eq!(parse(line), body, "{line}");
        }
    }

    #[test]
    fn command_refuses_unknown_and_malformed() {
        for line in [
            "A FROBNICATE",
            "A UID NOOP",
            "A NOOP x",
            "A  NOOP",
            "A",
            "A ",
            "+ NOOP",
            "A NOOP\n",
            "A LOGIN alice",
            "A SELECT",
            "A RENAME a",
            "A COMPRESS GZIP",
        ] {
            refuses(line);
        }
        let error = command(b"A FROBNICATE").unwrap_err();
        let nom::Err::Error(error) = error else {
            panic!("{error:?}")
        };
        assert_eq!(error.kind, ParseErrorKind::Invalid("unknown command"));
    }

    #[test]
    fn login() {
        let CommandBody::Login { username, password } =
            parse("A LOGIN \"fred foobar\" {6}\r\nfoo\"ba")
        else {
            panic!()
        };
        assert_eq!(username.as_bytes(), b"fred foobar");
        assert_eq!(password.expose_secret().as_bytes(), b"foo\"ba");
        refuses("A LOGIN a b c");
    }

    #[test]
    fn authenticate_and_initial_response() {
        assert_eq!(
            parse("A AUTHENTICATE plain"),
            CommandBody::Authenticate {
                mechanism: Atom::unvalidated("plain"),
                initial_response: None
            }
        );
        let CommandBody::Authenticate {
            initial_response: Some(ir),
            ..
        } = parse("A AUTHENTICATE PLAIN AGFsaWNlAHB3")
        else {
            panic!()
        };
        assert_eq!(ir.expose_secret().as_ref(), b"\0alice\0pw");
        let CommandBody::Authenticate {
            initial_response: Some(ir),
            ..
        } = parse("A AUTHENTICATE EXTERNAL =")
        else {
            panic!()
        };
        assert!(ir.expose_secret().is_empty());
        // Unpadded, truncated, or not base64 at all.
        for line in [
            "A AUTHENTICATE PLAIN AGFsaWNlAHB",
            "A AUTHENTICATE PLAIN AGE",
            "A AUTHENTICATE PLAIN ==",
            "A AUTHENTICATE PLAIN a*b",
            "A AUTHENTICATE PLAIN ",
            "A AUTHENTICATE",
        ] {
            refuses(line);
        }
    }

    #[test]
    fn authenticate_lines() {
        assert_eq!(
            authenticate_line(b"*\r\n").unwrap().1,
            AuthenticateData::Cancel
        );
        let (rest, AuthenticateData::Continue(data)) = authenticate_line(b"\r\n").unwrap() else {
            panic!()
        };
        assert!(rest.is_empty() && data.expose_secret().is_empty());
        let (_, AuthenticateData::Continue(data)) = authenticate_line(b"YWI=\r\n").unwrap() else {
            panic!()
        };
        assert_eq!(data.expose_secret().as_ref(), b"ab");
        for bad in [
            &b"YWI\r\n"[..],
            b"=\r\n",
            b"* \r\n",
            b"YW I=\r\n",
            b"YWI=\n",
        ] {
            assert!(authenticate_line(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn idle_done_any_case() {
        assert!(idle_done(b"done\r\n").is_ok());
        assert!(idle_done(b"DONE\n").is_err());
        assert!(idle_done(b"DONEX\r\n").is_err());
    }

    #[test]
    fn select_and_examine() {
        assert_eq!(
            parse("A SELECT inbox"),
            CommandBody::Select {
                mailbox: Mailbox::Inbox,
                params: SelectParams::default()
            }
        );
        assert_eq!(
            parse("A EXAMINE blurdybloop (condstore)"),
            CommandBody::Examine {
                mailbox: mailbox_of("blurdybloop"),
                params: SelectParams {
                    condstore: true,
                    qresync: None
                }
            }
        );
    }

    #[test]
    fn select_params_qresync() {
        // RFC 7162 §3.2.5.2 examples.
        let (_, params) =
            select_params(b"(QRESYNC (67890007 20050715194045000 41,43:211,214:541))").unwrap();
        let qresync = params.qresync.unwrap();
        assert!(!params.condstore);
        assert_eq!(qresync.uid_validity.get(), 67_890_007);
        assert_eq!(qresync.mod_seq.get(), 20_050_715_194_045_000);
        assert_eq!(qresync.known_uids, Some(set("41,43:211,214:541")));
        assert_eq!(qresync.seq_match, None);

        let (_, params) = select_params(
            b"(QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)) CONDSTORE)",
        )
        .unwrap();
        assert!(params.condstore);
        let seq_match = params.qresync.unwrap().seq_match.unwrap();
        assert_eq!(seq_match.sequence_set, set("5000,7500,9000,9990:9999"));

        let (_, params) = select_params(b"(QRESYNC (1 2 (1:3 4:6)))").unwrap();
        let qresync = params.qresync.unwrap();
        assert_eq!(qresync.known_uids, None);
        assert!(qresync.seq_match.is_some());

        for bad in [
            &b"()"[..],
            b"(CONDSTORE CONDSTORE)",
            b"(QRESYNC (1 2) QRESYNC (1 2))",
            b"(UTF8)",
            b"(CONDSTORE",
            b"(QRESYNC (0 2))",
            b"(QRESYNC (1 0))",
            b"(QRESYNC (1 9223372036854775808))",
            b"(QRESYNC (1 2 1:*))",
            b"(QRESYNC (1 2 $))",
            b"(QRESYNC (1 2 1:5 (1:* 1:5)))",
            b"(QRESYNC (1))",
        ] {
            assert!(
                !matches!(select_params(bad), Ok(([], _))),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn mailbox_commands() {
        assert_eq!(
            parse("A DELETE foo/bar"),
            CommandBody::Delete {
                mailbox: mailbox_of("foo/bar")
            }
        );
        assert_eq!(
            parse("A RENAME \"a b\" {3}\r\nc d"),
            CommandBody::Rename {
                from: mailbox_of("a b"),
                to: Mailbox::Other(AString::String(crate::core::IString::Literal(
                    crate::core::Literal::unvalidated(&b"c d"[..], LiteralMode::Sync)
                )))
            }
        );
        assert_eq!(
            parse("A SUBSCRIBE #news.comp.mail.mime"),
            CommandBody::Subscribe {
                mailbox: mailbox_of("#news.comp.mail.mime")
            }
        );
        assert_eq!(
            parse("A UNSUBSCRIBE INBOX"),
            CommandBody::Unsubscribe {
                mailbox: Mailbox::Inbox
            }
        );
    }

    #[test]
    fn append_single_and_multi() {
        let CommandBody::Append(append) =
            parse("A APPEND saved (\\Seen $x) \" 7-Feb-1994 21:52:25 -0800\" {5}\r\nHello")
        else {
            panic!()
        };
        assert_eq!(append.mailbox, mailbox_of("saved"));
        let [message] = append.messages.as_slice() else {
            panic!()
        };
        assert_eq!(
            message.flags,
            vec![Flag::Seen, Flag::Keyword(Atom::unvalidated("$x"))]
        );
        assert_eq!(message.date_time.unwrap().date().day(), 7);
        assert_eq!(message.data.data().as_ref(), b"Hello");

        // MULTIAPPEND (RFC 3502 §6), non-synchronizing literals, literal8.
        let CommandBody::Append(append) =
            parse("A APPEND INBOX {2+}\r\nab () {1}\r\nc ~{3}\r\na\0b")
        else {
            panic!()
        };
        let messages = append.messages.as_slice();
        assert_eq!(messages.len(), 3);
        assert!(
            matches!(&messages[0].data, AppendData::Literal(l) if l.mode() == LiteralMode::NonSync)
        );
        assert!(messages[1].flags.is_empty());
        assert!(matches!(&messages[2].data, AppendData::Literal8(l) if l.data.as_ref() == b"a\0b"));

        for line in [
            "A APPEND INBOX",
            "A APPEND INBOX (\\Seen)",
            "A APPEND INBOX \"hello\"",
            "A APPEND INBOX {3}\r\na\0b",
            "A APPEND INBOX (\\Recent) {1}\r\na",
            "A APPEND INBOX \"7-Feb-1994 21:52:25 -0800\" (\\Seen) {1}\r\na",
            "A APPEND INBOX {1}\r\na{1}\r\nb",
        ] {
            refuses(line);
        }
    }

    #[test]
    fn store() {
        assert_eq!(
            parse("A STORE 2:4 +FLAGS (\\Deleted)"),
            CommandBody::Store {
                uid: false,
                store: Store {
                    sequence_set: set("2:4"),
                    unchanged_since: None,
                    kind: StoreType::Add,
                    response: StoreResponse::Answer,
                    flags: vec![Flag::Deleted],
                }
            }
        );
        // RFC 3501 §8: a flag without parentheses.
        let CommandBody::Store { store, .. } = parse("a005 store 12 +flags \\deleted") else {
            panic!()
        };
        assert_eq!(store.flags, vec![Flag::Deleted]);
        let CommandBody::Store { uid, store } =
            parse("A UID STORE 1:* (UNCHANGEDSINCE 0) -FLAGS.SILENT \\Seen $Junk")
        else {
            panic!()
        };
        assert!(uid);
        assert_eq!(store.unchanged_since, Some(0));
        assert_eq!(store.kind, StoreType::Remove);
        assert_eq!(store.response, StoreResponse::Silent);
        assert_eq!(store.flags.len(), 2);
        let CommandBody::Store { store, .. } = parse("A STORE $ FLAGS ()") else {
            panic!()
        };
        assert_eq!((store.kind, store.flags), (StoreType::Replace, vec![]));
        for line in [
            "A STORE 1 FLAGS",
            "A STORE 1 FLAGS \\Recent",
            "A STORE 1 *FLAGS \\Seen",
            "A STORE 1 +FLAGS.LOUD \\Seen",
            "A STORE 1 (UNCHANGEDSINCE 1 UNCHANGEDSINCE 2) FLAGS ()",
            "A STORE 1 (UNCHANGEDSINCE 9223372036854775808) FLAGS ()",
            "A STORE 1 (MAGIC 1) FLAGS ()",
            "A STORE 1 () FLAGS ()",
            "A STORE 0 FLAGS ()",
        ] {
            refuses(line);
        }
    }

    #[test]
    fn copy_move_expunge_uid() {
        assert_eq!(
            parse("A003 COPY 2:4 MEETING"),
            CommandBody::Copy {
                uid: false,
                sequence_set: set("2:4"),
                mailbox: mailbox_of("MEETING")
            }
        );
        assert_eq!(
            parse("a UID MOVE 42:69 foo"),
            CommandBody::Move {
                uid: true,
                sequence_set: set("42:69"),
                mailbox: mailbox_of("foo")
            }
        );
        assert_eq!(
            parse("A uid copy 1 INBOX"),
            CommandBody::Copy {
                uid: true,
                sequence_set: SequenceSet::single(NonZeroU32::MIN),
                mailbox: Mailbox::Inbox
            }
        );
        assert_eq!(
            parse("A003 UID EXPUNGE 3000:3002"),
            CommandBody::ExpungeUid {
                uids: set("3000:3002")
            }
        );
        refuses("A UID EXPUNGE");
        refuses("A COPY 1");
        refuses("A MOVE 1:x INBOX");
    }

    /// The error kind of the failure of `line`.
    fn error_kind(line: &str) -> ParseErrorKind {
        match command(line.as_bytes()) {
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => e.kind,
            other => panic!("{line:?}: {other:?}"),
        }
    }

    #[test]
    fn parenthesised_arguments_keep_their_error() {
        assert_eq!(
            error_kind("A SELECT INBOX (UTF8)"),
            ParseErrorKind::Invalid("unknown select parameter")
        );
        assert_eq!(
            error_kind("A EXAMINE INBOX (CONDSTORE CONDSTORE)"),
            ParseErrorKind::Invalid("repeated select parameter")
        );
        assert_eq!(
            error_kind("A SELECT INBOX (QRESYNC (0 1))"),
            ParseErrorKind::Invalid("zero where nz-number")
        );
        assert_eq!(
            error_kind("A STORE 1 (UNCHANGEDSINCE 99999999999999999999) FLAGS ()"),
            ParseErrorKind::NumberOverflow
        );
        assert_eq!(
            error_kind("A STORE 1 (UNCHANGEDSINCE 1 UNCHANGEDSINCE 2) FLAGS ()"),
            ParseErrorKind::Invalid("repeated store modifier")
        );
        assert_eq!(
            error_kind("A UID FROB 1"),
            ParseErrorKind::Invalid("unknown UID command")
        );
    }

    #[test]
    fn enable_and_create() {
        use crate::capability::Capability;

        assert_eq!(
            parse("A ENABLE CONDSTORE utf8=accept"),
            CommandBody::Enable {
                capabilities: Vec1::try_from(vec![Capability::CondStore, Capability::Utf8Accept])
                    .unwrap()
            }
        );
        refuses("A ENABLE");
        refuses("A ENABLE ");
        let CommandBody::Create { mailbox, params } = parse("A CREATE foo (USE ())") else {
            panic!()
        };
        assert_eq!(mailbox, mailbox_of("foo"));
        assert_eq!(params.unwrap().special_use, vec![]);
        assert!(matches!(
            parse("A CREATE owatagusiam/"),
            CommandBody::Create { params: None, .. }
        ));
        refuses("A CREATE foo (USE");
        refuses("A CREATE foo ()");
    }

    #[test]
    fn compress() {
        assert_eq!(
            parse("A COMPRESS deflate"),
            CommandBody::Compress {
                algorithm: CompressionAlgorithm::Deflate
            }
        );
    }
}
