//! Encoders of client commands, as a client writes them.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

use super::{encode_client, paren_list, Encode, EncodeContext, EncodeInto, Encoded};
use crate::command::{
    Append, AppendData, AppendMessage, AuthenticateData, Command, CommandBody,
    CompressionAlgorithm, IdleDone, QResync, SelectParams, SeqMatchData, Store,
};
use crate::flag::{StoreResponse, StoreType};

impl Encode for Command {
    /// Encodes the command as a client sends it: lines, and literals as
    /// fragments of their own (a client waits for `+` after a
    /// synchronizing one).
    fn encode(&self) -> Encoded {
        encode_client(self)
    }
}

impl Encode for AuthenticateData {
    /// Encodes the line as a client sends it: base64 (or `*`) and CRLF.
    fn encode(&self) -> Encoded {
        encode_client(self)
    }
}

impl Encode for IdleDone {
    /// Encodes `DONE` CRLF.
    fn encode(&self) -> Encoded {
        encode_client(self)
    }
}

impl EncodeInto for Command {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.tag.encode_into(ctx);
        ctx.put_u8(b' ');
        self.body.encode_into(ctx);
        ctx.put(b"\r\n");
    }
}

/// Writes SP and the arguments of a command.
fn put_args(ctx: &mut EncodeContext, args: &dyn EncodeInto) {
    ctx.put_u8(b' ');
    args.encode_into(ctx);
}

impl EncodeInto for CommandBody {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        // The name carries the `UID ` prefix where there is one; each
        // command with arguments writes the SP that follows it.
        ctx.put(self.name().as_bytes());
        match self {
            Self::Capability
            | Self::Noop
            | Self::Logout
            | Self::StartTls
            | Self::Namespace
            | Self::Idle
            | Self::Check
            | Self::Close
            | Self::Unselect
            | Self::Expunge => {}
            Self::Authenticate {
                mechanism,
                initial_response,
            } => {
                ctx.put_u8(b' ');
                mechanism.encode_into(ctx);
                if let Some(response) = initial_response {
                    ctx.put_u8(b' ');
                    let response = response.expose_secret();
                    if response.is_empty() {
                        // RFC 4959 §3: `=` is an empty initial response.
                        ctx.put_u8(b'=');
                    } else {
                        ctx.put(BASE64.encode(response).as_bytes());
                    }
                }
            }
            Self::Login { username, password } => {
                ctx.put_u8(b' ');
                username.encode_into(ctx);
                ctx.put_u8(b' ');
                password.expose_secret().encode_into(ctx);
            }
            Self::Id(id) => put_args(ctx, id),
            Self::Enable { capabilities } => put_args(ctx, capabilities),
            Self::Select { mailbox, params } | Self::Examine { mailbox, params } => {
                ctx.put_u8(b' ');
                mailbox.encode_into(ctx);
                params.encode_into(ctx);
            }
            Self::Delete { mailbox }
            | Self::Subscribe { mailbox }
            | Self::Unsubscribe { mailbox } => put_args(ctx, mailbox),
            Self::Create { mailbox, params } => {
                ctx.put_u8(b' ');
                mailbox.encode_into(ctx);
                if let Some(params) = params {
                    // Writes its own leading SP.
                    params.encode_into(ctx);
                }
            }
            Self::List(list) => put_args(ctx, list),
            Self::Lsub(lsub) | Self::Xlist(lsub) => put_args(ctx, lsub),
            Self::Status(status) => put_args(ctx, status),
            Self::GetQuota(args) => put_args(ctx, args),
            Self::GetQuotaRoot(args) => put_args(ctx, args),
            Self::SetQuota(args) => put_args(ctx, args),
            Self::SetAcl(args) => put_args(ctx, args),
            Self::DeleteAcl(args) => put_args(ctx, args),
            Self::GetAcl(args) => put_args(ctx, args),
            Self::ListRights(args) => put_args(ctx, args),
            Self::MyRights(args) => put_args(ctx, args),
            Self::Search { search, .. } => put_args(ctx, search),
            Self::Sort { sort, .. } => put_args(ctx, sort),
            Self::Thread { thread, .. } => put_args(ctx, thread),
            Self::Fetch { fetch, .. } => put_args(ctx, fetch),
            Self::Rename { from, to } => {
                ctx.put_u8(b' ');
                from.encode_into(ctx);
                ctx.put_u8(b' ');
                to.encode_into(ctx);
            }
            Self::Append(append) => put_args(ctx, append),
            Self::Compress { algorithm } => put_args(ctx, algorithm),
            Self::ExpungeUid { uids } => put_args(ctx, uids),
            Self::Store { store, .. } => put_args(ctx, store),
            Self::Copy {
                sequence_set,
                mailbox,
                ..
            }
            | Self::Move {
                sequence_set,
                mailbox,
                ..
            } => {
                ctx.put_u8(b' ');
                sequence_set.encode_into(ctx);
                ctx.put_u8(b' ');
                mailbox.encode_into(ctx);
            }
        }
    }
}

/// Writes ` (params)`, or nothing when there are none.
impl EncodeInto for SelectParams {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        if self.is_empty() {
            return;
        }
        ctx.put(b" (");
        if self.condstore {
            ctx.put(b"CONDSTORE");
        }
        if let Some(qresync) = &self.qresync {
            if self.condstore {
                ctx.put_u8(b' ');
            }
            qresync.encode_into(ctx);
        }
        ctx.put_u8(b')');
    }
}

impl EncodeInto for QResync {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"QRESYNC (");
        ctx.put_num(self.uid_validity.get());
        ctx.put_u8(b' ');
        ctx.put_num(self.mod_seq.get());
        if let Some(known_uids) = &self.known_uids {
            ctx.put_u8(b' ');
            known_uids.encode_into(ctx);
        }
        if let Some(seq_match) = &self.seq_match {
            ctx.put_u8(b' ');
            seq_match.encode_into(ctx);
        }
        ctx.put_u8(b')');
    }
}

impl EncodeInto for SeqMatchData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_u8(b'(');
        self.sequence_set.encode_into(ctx);
        ctx.put_u8(b' ');
        self.uid_set.encode_into(ctx);
        ctx.put_u8(b')');
    }
}

impl EncodeInto for Append {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.mailbox.encode_into(ctx);
        for message in &self.messages {
            message.encode_into(ctx);
        }
    }
}

/// Writes ` [(flags) ][date-time ]literal`, with its leading SP.
impl EncodeInto for AppendMessage {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        if !self.flags.is_empty() {
            ctx.put_u8(b' ');
            paren_list(ctx, &self.flags);
        }
        if let Some(date_time) = &self.date_time {
            ctx.put_u8(b' ');
            date_time.encode_into(ctx);
        }
        ctx.put_u8(b' ');
        match &self.data {
            AppendData::Literal(literal) => literal.encode_into(ctx),
            AppendData::Literal8(literal8) => literal8.encode_into(ctx),
        }
    }
}

impl EncodeInto for Store {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.sequence_set.encode_into(ctx);
        if let Some(n) = self.unchanged_since {
            ctx.put(b" (UNCHANGEDSINCE ");
            ctx.put_num(n);
            ctx.put_u8(b')');
        }
        ctx.put(match self.kind {
            StoreType::Replace => b" FLAGS".as_slice(),
            StoreType::Add => b" +FLAGS",
            StoreType::Remove => b" -FLAGS",
        });
        if self.response == StoreResponse::Silent {
            ctx.put(b".SILENT");
        }
        ctx.put_u8(b' ');
        paren_list(ctx, &self.flags);
    }
}

impl EncodeInto for CompressionAlgorithm {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(self.as_str().as_bytes());
    }
}

impl EncodeInto for AuthenticateData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Continue(data) => ctx.put(BASE64.encode(data.expose_secret()).as_bytes()),
            Self::Cancel => ctx.put_u8(b'*'),
        }
        ctx.put(b"\r\n");
    }
}

impl EncodeInto for IdleDone {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"DONE\r\n");
    }
}

#[cfg(test)]
mod tests {
    use std::num::{NonZeroU32, NonZeroU64};

    use bytes::Bytes;

    use super::*;
    use crate::codec::encode::Fragment;
    use crate::codec::CommandCodec;
    use crate::command::AppendMessage;
    use crate::core::{AString, Atom, Literal, Literal8, LiteralMode, Tag, Vec1};
    use crate::flag::Flag;
    use crate::mailbox::Mailbox;
    use crate::secret::Secret;
    use crate::sequence::SequenceSet;

    fn command(body: CommandBody) -> Command {
        Command::new(Tag::unvalidated("A1"), body)
    }

    fn set(raw: &str) -> SequenceSet {
        let frame = format!("A1 UID EXPUNGE {raw}\r\n");
        match CommandCodec::decode(frame.as_bytes()).unwrap().body {
            CommandBody::ExpungeUid { uids } => uids,
            other => panic!("{other:?}"),
        }
    }

    /// Encodes, compares with `expected`, and decodes back.
    fn kat(body: CommandBody, expected: &[u8]) {
        let command = command(body);
        let bytes = command.encode().dump();
        assert_eq!(
            String::from_utf8_lossy(&bytes),
            String::from_utf8_lossy(expected)
        );
        assert_eq!(CommandCodec::decode(&bytes).unwrap(), command);
    }

    #[test]
    fn bare_commands() {
        for (body, expected) in [
            (CommandBody::Capability, &b"A1 CAPABILITY\r\n"[..]),
            (CommandBody::Noop, b"A1 NOOP\r\n"),
            (CommandBody::Logout, b"A1 LOGOUT\r\n"),
            (CommandBody::StartTls, b"A1 STARTTLS\r\n"),
            (CommandBody::Namespace, b"A1 NAMESPACE\r\n"),
            (CommandBody::Idle, b"A1 IDLE\r\n"),
            (CommandBody::Check, b"A1 CHECK\r\n"),
            (CommandBody::Close, b"A1 CLOSE\r\n"),
            (CommandBody::Unselect, b"A1 UNSELECT\r\n"),
            (CommandBody::Expunge, b"A1 EXPUNGE\r\n"),
        ] {
            kat(body, expected);
        }
    }

    #[test]
    fn authenticate() {
        let body = |ir: Option<&'static [u8]>| CommandBody::Authenticate {
            mechanism: Atom::unvalidated("PLAIN"),
            initial_response: ir.map(|ir| Secret::new(Bytes::from_static(ir))),
        };
        kat(body(None), b"A1 AUTHENTICATE PLAIN\r\n");
        kat(body(Some(b"")), b"A1 AUTHENTICATE PLAIN =\r\n");
        kat(
            body(Some(b"\0alice\0pw")),
            b"A1 AUTHENTICATE PLAIN AGFsaWNlAHB3\r\n",
        );
        assert_eq!(
            AuthenticateData::Continue(Secret::new(Bytes::from_static(b"ab")))
                .encode()
                .dump(),
            b"YWI=\r\n"
        );
        assert_eq!(AuthenticateData::Cancel.encode().dump(), b"*\r\n");
    }

    #[test]
    fn login_with_literal_password() {
        let command = command(CommandBody::Login {
            username: AString::from_content("fred").unwrap(),
            password: Secret::new(AString::from_content("a\r\nb").unwrap()),
        });
        let encoded = command.encode();
        assert_eq!(
            encoded.fragments(),
            &[
                Fragment::Line {
                    data: Bytes::from_static(b"A1 LOGIN fred {4}\r\n")
                },
                Fragment::Literal {
                    data: Bytes::from_static(b"a\r\nb"),
                    mode: LiteralMode::Sync
                },
                Fragment::Line {
                    data: Bytes::from_static(b"\r\n")
                },
            ]
        );
        kat(command.body, b"A1 LOGIN fred {4}\r\na\r\nb\r\n");
    }

    #[test]
    fn select_params() {
        kat(
            CommandBody::Select {
                mailbox: Mailbox::Inbox,
                params: SelectParams::default(),
            },
            b"A1 SELECT INBOX\r\n",
        );
        kat(
            CommandBody::Examine {
                mailbox: Mailbox::Inbox,
                params: SelectParams {
                    condstore: true,
                    qresync: None,
                },
            },
            b"A1 EXAMINE INBOX (CONDSTORE)\r\n",
        );
        let qresync = QResync {
            uid_validity: NonZeroU32::new(67_890_007).unwrap(),
            mod_seq: NonZeroU64::new(90_060_115_194_045_000).unwrap(),
            known_uids: Some(set("1:29997")),
            seq_match: Some(SeqMatchData {
                sequence_set: set("5000,7500"),
                uid_set: set("15000,22500"),
            }),
        };
        kat(
            CommandBody::Select {
                mailbox: Mailbox::Inbox,
                params: SelectParams {
                    condstore: true,
                    qresync: Some(qresync.clone()),
                },
            },
            b"A1 SELECT INBOX (CONDSTORE QRESYNC (67890007 90060115194045000 1:29997 (5000,7500 15000,22500)))\r\n",
        );
        kat(
            CommandBody::Select {
                mailbox: Mailbox::Inbox,
                params: SelectParams {
                    condstore: false,
                    qresync: Some(QResync {
                        known_uids: None,
                        seq_match: None,
                        ..qresync
                    }),
                },
            },
            b"A1 SELECT INBOX (QRESYNC (67890007 90060115194045000))\r\n",
        );
    }

    #[test]
    fn mailbox_commands() {
        let name = |s: &str| Mailbox::from_astring(AString::from_content(s.to_owned()).unwrap());
        kat(
            CommandBody::Delete {
                mailbox: name("a b"),
            },
            b"A1 DELETE \"a b\"\r\n",
        );
        kat(
            CommandBody::Rename {
                from: name("blurdybloop"),
                to: name("sarasoop"),
            },
            b"A1 RENAME blurdybloop sarasoop\r\n",
        );
        kat(
            CommandBody::Subscribe {
                mailbox: name("#news.comp.mail.mime"),
            },
            b"A1 SUBSCRIBE #news.comp.mail.mime\r\n",
        );
        kat(
            CommandBody::Unsubscribe {
                mailbox: Mailbox::Inbox,
            },
            b"A1 UNSUBSCRIBE INBOX\r\n",
        );
    }

    #[test]
    fn append_fragments() {
        let message = |flags, data| AppendMessage {
            flags,
            date_time: None,
            data,
        };
        let command = command(CommandBody::Append(Append {
            mailbox: Mailbox::Inbox,
            messages: Vec1::try_from(vec![
                message(
                    vec![Flag::Seen],
                    AppendData::Literal(Literal::unvalidated(&b"hi"[..], LiteralMode::NonSync)),
                ),
                message(
                    vec![],
                    AppendData::Literal8(Literal8 {
                        data: Bytes::from_static(b"\0"),
                        mode: LiteralMode::Sync,
                    }),
                ),
            ])
            .unwrap(),
        }));
        let encoded = command.encode();
        let lines: Vec<_> = encoded
            .fragments()
            .iter()
            .map(|fragment| match fragment {
                Fragment::Line { data } | Fragment::Literal { data, .. } => data.clone(),
                Fragment::Streamed { .. } => unreachable!("a command streams no literal"),
            })
            .collect();
        assert_eq!(
            lines,
            [
                &b"A1 APPEND INBOX (\\Seen) {2+}\r\n"[..],
                b"hi",
                b" ~{1}\r\n",
                b"\0",
                b"\r\n"
            ]
        );
        kat(
            command.body,
            b"A1 APPEND INBOX (\\Seen) {2+}\r\nhi ~{1}\r\n\0\r\n",
        );
    }

    #[test]
    fn store_forms() {
        let store = |unchanged_since, kind, response, flags| Store {
            sequence_set: set("2:4"),
            unchanged_since,
            kind,
            response,
            flags,
        };
        kat(
            CommandBody::Store {
                uid: false,
                store: store(
                    None,
                    StoreType::Add,
                    StoreResponse::Answer,
                    vec![Flag::Deleted],
                ),
            },
            b"A1 STORE 2:4 +FLAGS (\\Deleted)\r\n",
        );
        kat(
            CommandBody::Store {
                uid: true,
                store: store(
                    Some(12_345),
                    StoreType::Remove,
                    StoreResponse::Silent,
                    vec![],
                ),
            },
            b"A1 UID STORE 2:4 (UNCHANGEDSINCE 12345) -FLAGS.SILENT ()\r\n",
        );
        kat(
            CommandBody::Store {
                uid: false,
                store: store(
                    Some(0),
                    StoreType::Replace,
                    StoreResponse::Answer,
                    vec![Flag::Seen, Flag::Draft],
                ),
            },
            b"A1 STORE 2:4 (UNCHANGEDSINCE 0) FLAGS (\\Seen \\Draft)\r\n",
        );
    }

    #[test]
    fn copy_move_expunge_compress() {
        kat(
            CommandBody::Copy {
                uid: false,
                sequence_set: set("2:4"),
                mailbox: Mailbox::Inbox,
            },
            b"A1 COPY 2:4 INBOX\r\n",
        );
        kat(
            CommandBody::Move {
                uid: true,
                sequence_set: set("42:69"),
                mailbox: Mailbox::Inbox,
            },
            b"A1 UID MOVE 42:69 INBOX\r\n",
        );
        kat(
            CommandBody::ExpungeUid {
                uids: set("3000:3002"),
            },
            b"A1 UID EXPUNGE 3000:3002\r\n",
        );
        kat(
            CommandBody::Compress {
                algorithm: CompressionAlgorithm::Deflate,
            },
            b"A1 COMPRESS DEFLATE\r\n",
        );
    }
}
