//! Encoders of SEARCH: search keys, the command's arguments, and the
//! `SEARCH` and `ESEARCH` responses.

use super::{join, paren_list, EncodeContext, EncodeInto};
use crate::core::Quoted;
use crate::search::{
    ContextUpdate, ESearchData, EntryType, ModSeqEntry, PartialRange, Search, SearchData,
    SearchKey, SearchReturnData, SearchReturnOption,
};

impl EncodeInto for SearchKey {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        let (name, arg): (&[u8], Option<&dyn EncodeInto>) = match self {
            Self::And(keys) => {
                paren_list(ctx, keys.iter());
                return;
            }
            Self::Or(a, b) => {
                ctx.put(b"OR ");
                a.encode_into(ctx);
                ctx.put_u8(b' ');
                b.encode_into(ctx);
                return;
            }
            Self::Header(name, value) => {
                ctx.put(b"HEADER ");
                name.encode_into(ctx);
                ctx.put_u8(b' ');
                value.encode_into(ctx);
                return;
            }
            Self::ModSeq { entry, modseq } => {
                ctx.put(b"MODSEQ ");
                if let Some(entry) = entry {
                    entry.encode_into(ctx);
                    ctx.put_u8(b' ');
                }
                ctx.put_num(*modseq);
                return;
            }
            Self::SequenceSet(set) => {
                set.encode_into(ctx);
                return;
            }
            Self::Not(key) => (b"NOT", Some(&**key)),
            Self::All => (b"ALL", None),
            Self::Answered => (b"ANSWERED", None),
            Self::Deleted => (b"DELETED", None),
            Self::Draft => (b"DRAFT", None),
            Self::Flagged => (b"FLAGGED", None),
            Self::Seen => (b"SEEN", None),
            Self::Unanswered => (b"UNANSWERED", None),
            Self::Undeleted => (b"UNDELETED", None),
            Self::Undraft => (b"UNDRAFT", None),
            Self::Unflagged => (b"UNFLAGGED", None),
            Self::Unseen => (b"UNSEEN", None),
            Self::New => (b"NEW", None),
            Self::Old => (b"OLD", None),
            Self::Recent => (b"RECENT", None),
            Self::Keyword(flag) => (b"KEYWORD", Some(flag)),
            Self::Unkeyword(flag) => (b"UNKEYWORD", Some(flag)),
            Self::Bcc(s) => (b"BCC", Some(s)),
            Self::Cc(s) => (b"CC", Some(s)),
            Self::From(s) => (b"FROM", Some(s)),
            Self::To(s) => (b"TO", Some(s)),
            Self::Subject(s) => (b"SUBJECT", Some(s)),
            Self::Body(s) => (b"BODY", Some(s)),
            Self::Text(s) => (b"TEXT", Some(s)),
            Self::Before(d) => (b"BEFORE", Some(d)),
            Self::On(d) => (b"ON", Some(d)),
            Self::Since(d) => (b"SINCE", Some(d)),
            Self::SentBefore(d) => (b"SENTBEFORE", Some(d)),
            Self::SentOn(d) => (b"SENTON", Some(d)),
            Self::SentSince(d) => (b"SENTSINCE", Some(d)),
            Self::Larger(n) => (b"LARGER", Some(n)),
            Self::Smaller(n) => (b"SMALLER", Some(n)),
            Self::Uid(set) => (b"UID", Some(set)),
            Self::Older(n) => {
                ctx.put(b"OLDER ");
                ctx.put_num(n.get());
                return;
            }
            Self::Younger(n) => {
                ctx.put(b"YOUNGER ");
                ctx.put_num(n.get());
                return;
            }
        };
        ctx.put(name);
        if let Some(arg) = arg {
            ctx.put_u8(b' ');
            arg.encode_into(ctx);
        }
    }
}

impl EncodeInto for ModSeqEntry {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        // The flag's backslash is escaped inside the quotes: "/flags/\\Seen".
        Quoted::unvalidated(format!("/flags/{}", self.flag)).encode_into(ctx);
        ctx.put(match self.kind {
            EntryType::Private => b" priv",
            EntryType::Shared => b" shared",
            EntryType::All => b" all",
        });
    }
}

/// Writes the keys of a search program: the keys of a top-level
/// [`SearchKey::And`] of two or more without parentheses, any other key
/// as it is (so that parsing gives back the same single key).
pub(crate) fn encode_search_keys(ctx: &mut EncodeContext, criteria: &SearchKey) {
    match criteria {
        SearchKey::And(keys) if keys.as_slice().len() >= 2 => join(ctx, keys.iter(), b" "),
        key => key.encode_into(ctx),
    }
}

impl EncodeInto for PartialRange {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        let (sign, a, b): (&[u8], _, _) = match self {
            Self::First(a, b) => (b"", a, b),
            Self::Last(a, b) => (b"-", a, b),
        };
        ctx.put(sign);
        ctx.put_num(a.get());
        ctx.put_u8(b':');
        ctx.put(sign);
        ctx.put_num(b.get());
    }
}

impl EncodeInto for SearchReturnOption {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(match self {
            Self::Min => b"MIN",
            Self::Max => b"MAX",
            Self::All => b"ALL",
            Self::Count => b"COUNT",
            Self::Save => b"SAVE",
            Self::Context => b"CONTEXT",
            Self::Update => b"UPDATE",
            Self::Partial(range) => {
                ctx.put(b"PARTIAL ");
                range.encode_into(ctx);
                return;
            }
        });
    }
}

/// Writes `RETURN (...) SP` when there are return options.
pub(crate) fn encode_return_options(
    ctx: &mut EncodeContext,
    options: Option<&Vec<SearchReturnOption>>,
) {
    if let Some(options) = options {
        ctx.put(b"RETURN ");
        paren_list(ctx, options);
        ctx.put_u8(b' ');
    }
}

impl EncodeInto for Search {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        encode_return_options(ctx, self.return_options.as_ref());
        if let Some(charset) = &self.charset {
            ctx.put(b"CHARSET ");
            charset.encode_into(ctx);
            ctx.put_u8(b' ');
        }
        encode_search_keys(ctx, &self.criteria);
    }
}

/// Writes `name *(SP nz-number) [SP "(" "MODSEQ" SP n ")"]`, the shape
/// of the `SEARCH` and `SORT` responses.
pub(crate) fn encode_search_data(ctx: &mut EncodeContext, name: &[u8], data: &SearchData) {
    ctx.put(name);
    for id in data.ids() {
        ctx.put_u8(b' ');
        ctx.put_num(id.get());
    }
    if let Some(modseq) = data.modseq() {
        ctx.put(b" (MODSEQ ");
        ctx.put_num(modseq.get());
        ctx.put_u8(b')');
    }
}

impl EncodeInto for ContextUpdate {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_num(self.position);
        ctx.put_u8(b' ');
        self.set.encode_into(ctx);
    }
}

impl EncodeInto for SearchReturnData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Min(n) => {
                ctx.put(b"MIN ");
                ctx.put_num(n.get());
            }
            Self::Max(n) => {
                ctx.put(b"MAX ");
                ctx.put_num(n.get());
            }
            Self::All(set) => {
                ctx.put(b"ALL ");
                set.encode_into(ctx);
            }
            Self::Count(n) => {
                ctx.put(b"COUNT ");
                ctx.put_num(*n);
            }
            Self::ModSeq(n) => {
                ctx.put(b"MODSEQ ");
                ctx.put_num(n.get());
            }
            Self::AddTo(updates) => {
                ctx.put(b"ADDTO ");
                paren_list(ctx, updates);
            }
            Self::RemoveFrom(updates) => {
                ctx.put(b"REMOVEFROM ");
                paren_list(ctx, updates);
            }
            Self::Partial { range, results } => {
                ctx.put(b"PARTIAL (");
                range.encode_into(ctx);
                ctx.put_u8(b' ');
                match results {
                    Some(set) => set.encode_into(ctx),
                    None => ctx.put(b"NIL"),
                }
                ctx.put_u8(b')');
            }
        }
    }
}

impl EncodeInto for ESearchData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"ESEARCH");
        if let Some(tag) = &self.tag {
            // A tag never holds `"` or `\`, so it is always a plain quoted string.
            ctx.put(b" (TAG ");
            Quoted::unvalidated(tag.as_str()).encode_into(ctx);
            ctx.put_u8(b')');
        }
        if self.uid {
            ctx.put(b" UID");
        }
        for data in &self.data {
            ctx.put_u8(b' ');
            data.encode_into(ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::num::{NonZeroU32, NonZeroU64};

    use bytes::Bytes;
    use proptest::prelude::*;

    use super::*;
    use crate::codec::decode::parse_frame;
    use crate::codec::decode::search::{esearch_data, search_args, search_data, search_key};
    use crate::codec::encode::{encode_client, encode_server, Fragment};
    use crate::core::{AString, Atom, Charset, IString, Literal, LiteralMode, Tag, Vec1};
    use crate::datetime::NaiveDate;
    use crate::flag::Flag;
    use crate::response::Data;
    use crate::sequence::SequenceSet;
    use crate::testing::search::{arb_esearch_data, arb_search, arb_search_data, arb_search_key};

    fn nz(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    fn s(text: &str) -> AString {
        AString::from_content(Bytes::copy_from_slice(text.as_bytes())).unwrap()
    }

    fn client(value: &impl EncodeInto) -> Vec<u8> {
        encode_client(value).dump()
    }

    fn server(value: &impl EncodeInto) -> Vec<u8> {
        encode_server(value).dump()
    }

    #[test]
    fn keys() {
        let date = NaiveDate::new(2019, 5, 13).unwrap();
        for (key, raw) in [
            (SearchKey::All, &b"ALL"[..]),
            (SearchKey::Unseen, b"UNSEEN"),
            (
                SearchKey::Keyword(Atom::unvalidated("$Junk")),
                b"KEYWORD $Junk",
            ),
            (SearchKey::From(s("a b")), b"FROM \"a b\""),
            (SearchKey::Header(s("X-A"), s("")), b"HEADER X-A \"\""),
            (SearchKey::Before(date), b"BEFORE 13-May-2019"),
            (
                SearchKey::SentOn(NaiveDate::new(2000, 1, 1).unwrap()),
                b"SENTON 1-Jan-2000",
            ),
            (SearchKey::Larger(0), b"LARGER 0"),
            (SearchKey::Uid(SequenceSet::all()), b"UID 1:*"),
            (SearchKey::SequenceSet(SequenceSet::Saved), b"$"),
            (SearchKey::Older(nz(60)), b"OLDER 60"),
            (SearchKey::Younger(nz(1)), b"YOUNGER 1"),
            (SearchKey::Not(Box::new(SearchKey::Seen)), b"NOT SEEN"),
            (
                SearchKey::Or(Box::new(SearchKey::Seen), Box::new(SearchKey::Draft)),
                b"OR SEEN DRAFT",
            ),
            (SearchKey::And(Vec1::one(SearchKey::New)), b"(NEW)"),
            (
                SearchKey::ModSeq {
                    entry: Some(ModSeqEntry {
                        flag: Flag::Draft,
                        kind: EntryType::All,
                    }),
                    modseq: 620_162_338,
                },
                b"MODSEQ \"/flags/\\\\Draft\" all 620162338",
            ),
            (
                SearchKey::ModSeq {
                    entry: Some(ModSeqEntry {
                        flag: Flag::from_text("$x").unwrap(),
                        kind: EntryType::Shared,
                    }),
                    modseq: 0,
                },
                b"MODSEQ \"/flags/$x\" shared 0",
            ),
        ] {
            assert_eq!(client(&key), raw, "{key:?}");
        }
    }

    #[test]
    fn args() {
        let criteria = SearchKey::And(
            Vec1::try_from(vec![
                SearchKey::Flagged,
                SearchKey::Not(Box::new(SearchKey::From(s("Smith")))),
            ])
            .unwrap(),
        );
        let search = Search {
            return_options: Some(vec![
                SearchReturnOption::Min,
                SearchReturnOption::Partial(PartialRange::Last(nz(1), nz(100))),
            ]),
            charset: Some(Charset::Atom(Atom::unvalidated("UTF-8"))),
            criteria: criteria.clone(),
        };
        assert_eq!(
            client(&search),
            b"RETURN (MIN PARTIAL -1:-100) CHARSET UTF-8 FLAGGED NOT FROM Smith"
        );
        let search = Search {
            return_options: Some(vec![]),
            charset: None,
            criteria: SearchKey::And(Vec1::one(criteria)),
        };
        assert_eq!(client(&search), b"RETURN () ((FLAGGED NOT FROM Smith))");
        assert_eq!(client(&Search::new(SearchKey::All)), b"ALL");
    }

    #[test]
    fn literal_argument_is_its_own_fragment() {
        let literal = Literal::unvalidated(Bytes::from("café"), LiteralMode::Sync);
        let search = Search {
            return_options: None,
            charset: Some(Charset::Atom(Atom::unvalidated("UTF-8"))),
            criteria: SearchKey::Subject(AString::String(IString::Literal(literal))),
        };
        assert_eq!(
            encode_client(&search).fragments(),
            &[
                Fragment::Line {
                    data: Bytes::from_static(b"CHARSET UTF-8 SUBJECT {5}\r\n")
                },
                Fragment::Literal {
                    data: Bytes::from("café"),
                    mode: LiteralMode::Sync
                },
            ]
        );
    }

    #[test]
    fn responses() {
        assert_eq!(
            server(&Data::Search(SearchData::new(vec![nz(2), nz(84), nz(882)]))),
            b"SEARCH 2 84 882"
        );
        assert_eq!(server(&Data::Search(SearchData::new(vec![]))), b"SEARCH");
        assert_eq!(
            server(&Data::Search(SearchData::with_modseq(
                Vec1::try_from(vec![nz(2), nz(5)]).unwrap(),
                NonZeroU64::new(917_162_500).unwrap()
            ))),
            b"SEARCH 2 5 (MODSEQ 917162500)"
        );
        let set = |raw: &[u8]| crate::codec::decode::common::sequence_set(raw).unwrap().1;
        let data = ESearchData {
            tag: Some(Tag::unvalidated("a567")),
            uid: true,
            data: vec![
                SearchReturnData::Min(nz(1)),
                SearchReturnData::Max(nz(5)),
                SearchReturnData::Count(3),
                SearchReturnData::All(set(b"1:3,5")),
                SearchReturnData::ModSeq(NonZeroU64::new(123).unwrap()),
            ],
        };
        assert_eq!(
            server(&data),
            b"ESEARCH (TAG \"a567\") UID MIN 1 MAX 5 COUNT 3 ALL 1:3,5 MODSEQ 123"
        );
        let data = ESearchData {
            tag: None,
            uid: false,
            data: vec![
                SearchReturnData::AddTo(Vec1::one(ContextUpdate {
                    position: 0,
                    set: set(b"32768:32769"),
                })),
                SearchReturnData::RemoveFrom(
                    Vec1::try_from(vec![
                        ContextUpdate {
                            position: 1,
                            set: set(b"7"),
                        },
                        ContextUpdate {
                            position: 2,
                            set: set(b"9"),
                        },
                    ])
                    .unwrap(),
                ),
                SearchReturnData::Partial {
                    range: PartialRange::First(nz(1), nz(5)),
                    results: None,
                },
            ],
        };
        assert_eq!(
            server(&data),
            b"ESEARCH ADDTO (0 32768:32769) REMOVEFROM (1 7 2 9) PARTIAL (1:5 NIL)"
        );
        let empty = ESearchData {
            tag: None,
            uid: false,
            data: vec![],
        };
        assert_eq!(server(&empty), b"ESEARCH");
    }

    proptest! {
        #[test]
        fn search_key_round_trips(key in arb_search_key()) {
            let raw = client(&key);
            prop_assert_eq!(parse_frame(&raw, None, |i| search_key(i, 0)).unwrap(), key);
        }

        #[test]
        fn search_args_round_trip(search in arb_search()) {
            let raw = client(&search);
            prop_assert_eq!(parse_frame(&raw, None, search_args).unwrap(), search);
        }

        #[test]
        fn search_data_round_trips(data in arb_search_data()) {
            let raw = server(&Data::Search(data.clone()));
            prop_assert_eq!(parse_frame(&raw, None, search_data).unwrap(), data);
        }

        #[test]
        fn esearch_data_round_trips(data in arb_esearch_data()) {
            let raw = server(&data);
            prop_assert_eq!(parse_frame(&raw, None, esearch_data).unwrap(), data);
        }
    }
}
