//! # imapkit-proto
//!
//! IMAP protocol types, framer, parser and encoder, with no I/O.
//!
//! # Layout
//! - Types, by topic: [`core`] (the string kinds), [`mailbox`], [`sequence`],
//!   [`flag`], [`datetime`], [`secret`]; per command family [`fetch`] and
//!   [`body`] (envelope, body structure), [`status`], [`list`],
//!   [`namespace`], [`id`], [`quota`], [`acl`], [`search`], [`sort`] (SORT
//!   and THREAD); commands and responses
//!   build on them.
//! - [`codec`]: the wire format. [`codec::frame`] cuts a byte stream into
//!   frames; the codecs decode frames into values; [`codec::Encode`] writes
//!   values as lines and literals.
//!
//! # Coverage
//! Every command and response of RFC 3501 and RFC 9051 (§6, §7, the formal
//! syntax of §9), and of these extensions, is typed, parsed and encoded:
//!
//! | extension | RFC | in |
//! |---|---|---|
//! | IDLE | 2177 | [`command::CommandBody::Idle`], [`codec::IdleDoneCodec`] |
//! | NAMESPACE | 2342 | [`namespace`] |
//! | UIDPLUS | 4315 | `UID EXPUNGE`, `APPENDUID`/`COPYUID`/`UIDNOTSTICKY` codes |
//! | MOVE | 6851 | [`command::CommandBody::Move`] |
//! | UNSELECT | 3691 | [`command::CommandBody::Unselect`] |
//! | ID | 2971 | [`id`] |
//! | ENABLE | 5161 | `ENABLE`, `ENABLED` |
//! | LITERAL+ / LITERAL- | 7888 | [`core::LiteralMode`], [`codec::frame`] |
//! | MULTIAPPEND | 3502 | [`command::Append`] |
//! | BINARY | 3516 | `literal8`, `BINARY[]`, `BINARY.SIZE`, `UNKNOWN-CTE` |
//! | CONDSTORE, QRESYNC | 7162 | `MODSEQ`, `CHANGEDSINCE`, `UNCHANGEDSINCE`, `VANISHED`, select parameters, codes |
//! | ESEARCH | 4731 | [`search::ESearchData`], `RETURN` options |
//! | SEARCHRES | 5182 | `$` in [`sequence::SequenceSet`], `SAVE` |
//! | WITHIN | 5032 | `YOUNGER`/`OLDER` keys |
//! | SORT, THREAD | 5256 | [`sort`] |
//! | ESORT, CONTEXT=SEARCH/SORT | 5267 | `RETURN` of SORT, `CONTEXT`/`UPDATE`/`PARTIAL`, `ADDTO`/`REMOVEFROM` |
//! | LIST-EXTENDED | 5258 | [`list::List`], `CHILDINFO`, `OLDNAME` |
//! | LIST-STATUS | 5819 | `RETURN (STATUS ...)` |
//! | SPECIAL-USE, CREATE-SPECIAL-USE | 6154 | [`list::MailboxAttribute`], [`list::CreateParams`] |
//! | CHILDREN | 3348 | `\HasChildren`, `\HasNoChildren` |
//! | QUOTA | 9208 | [`quota`] |
//! | ACL | 4314 | [`acl`] |
//! | COMPRESS=DEFLATE | 4978 | [`command::CommandBody::Compress`], `COMPRESSIONACTIVE` |
//! | SASL-IR | 4959 | `AUTHENTICATE` initial response |
//! | APPENDLIMIT | 7889 | capability, STATUS item |
//! | STATUS=SIZE | 8438 | STATUS item |
//! | UTF8=ACCEPT | 6855 | capability; names in [`mailbox::Mailbox::to_utf8`] |
//! | response codes | 5530 | [`response::Code`] |
//! | XLIST (legacy) | Gmail | [`command::CommandBody::Xlist`], [`list::ListKind::Xlist`] |
//!
//! Nothing of these is missing. Not covered (not asked for): METADATA,
//! NOTIFY, MULTISEARCH, OBJECTID, PREVIEW.
//!
//! The nom parsers are private: users reach them only through the codecs, so
//! the grammar can change without breaking anyone.

#![forbid(unsafe_code)]

pub mod acl;
pub mod body;
pub mod capability;
pub mod codec;
pub mod command;
pub mod core;
pub mod datetime;
pub mod error;
pub mod fetch;
pub mod flag;
pub mod id;
pub mod list;
pub mod mailbox;
pub mod namespace;
pub mod quota;
pub mod response;
pub mod search;
pub mod secret;
pub mod sequence;
pub mod sort;
pub mod status;
pub mod utf7;

pub use error::ValidationError;
pub use secret::Secret;

#[cfg(test)]
mod testing;
