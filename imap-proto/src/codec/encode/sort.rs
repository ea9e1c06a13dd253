//! Encoders of SORT and THREAD: the commands' arguments and the `SORT` and
//! `THREAD` responses.

use super::search::{encode_return_options, encode_search_keys};
use super::{paren_list, EncodeContext, EncodeInto};
use crate::sort::{Sort, SortCriterion, SortKey, Thread, ThreadAlgorithm, ThreadData, ThreadNode};

impl EncodeInto for SortKey {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(match self {
            Self::Arrival => b"ARRIVAL",
            Self::Cc => b"CC",
            Self::Date => b"DATE",
            Self::From => b"FROM",
            Self::Size => b"SIZE",
            Self::Subject => b"SUBJECT",
            Self::To => b"TO",
            Self::DisplayFrom => b"DISPLAYFROM",
            Self::DisplayTo => b"DISPLAYTO",
        });
    }
}

impl EncodeInto for SortCriterion {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        if self.reverse {
            ctx.put(b"REVERSE ");
        }
        self.key.encode_into(ctx);
    }
}

impl EncodeInto for Sort {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        encode_return_options(ctx, self.return_options.as_ref());
        paren_list(ctx, &self.order);
        ctx.put_u8(b' ');
        self.charset.encode_into(ctx);
        ctx.put_u8(b' ');
        encode_search_keys(ctx, &self.criteria);
    }
}

impl EncodeInto for ThreadAlgorithm {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::OrderedSubject => ctx.put(b"ORDEREDSUBJECT"),
            Self::References => ctx.put(b"REFERENCES"),
            Self::Other(name) => name.encode_into(ctx),
        }
    }
}

impl EncodeInto for Thread {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.algorithm.encode_into(ctx);
        ctx.put_u8(b' ');
        self.charset.encode_into(ctx);
        ctx.put_u8(b' ');
        encode_search_keys(ctx, &self.criteria);
    }
}

impl EncodeInto for ThreadNode {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_u8(b'(');
        for (i, id) in self.messages().iter().enumerate() {
            if i > 0 {
                ctx.put_u8(b' ');
            }
            ctx.put_num(id.get());
        }
        if !self.messages().is_empty() && !self.children().is_empty() {
            ctx.put_u8(b' ');
        }
        // `thread-nested = 2*thread-list`: the branches follow one another
        // without spaces.
        for child in self.children() {
            child.encode_into(ctx);
        }
        ctx.put_u8(b')');
    }
}

impl EncodeInto for ThreadData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"THREAD");
        if !self.threads.is_empty() {
            ctx.put_u8(b' ');
            for thread in &self.threads {
                thread.encode_into(ctx);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::num::{NonZeroU32, NonZeroU64};

    use proptest::prelude::*;

    use super::*;
    use crate::codec::decode::parse_frame;
    use crate::codec::decode::sort::{sort_args, sort_data, thread_args, thread_data};
    use crate::codec::encode::{encode_client, encode_server};
    use crate::core::{Atom, Charset, Vec1};
    use crate::response::Data;
    use crate::search::{SearchKey, SearchReturnOption};
    use crate::sort::SortData;
    use crate::testing::search::arb_search_data;
    use crate::testing::sort::{arb_sort, arb_thread, arb_thread_data};

    fn nz(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    fn chain(ids: &[u32]) -> ThreadNode {
        ThreadNode::chain(Vec1::try_from(ids.iter().map(|&n| nz(n)).collect::<Vec<_>>()).unwrap())
    }

    fn utf8() -> Charset {
        Charset::Atom(Atom::unvalidated("UTF-8"))
    }

    #[test]
    fn args() {
        let sort = Sort {
            return_options: None,
            order: Vec1::try_from(vec![
                SortCriterion {
                    reverse: false,
                    key: SortKey::Subject,
                },
                SortCriterion {
                    reverse: true,
                    key: SortKey::DisplayFrom,
                },
            ])
            .unwrap(),
            charset: utf8(),
            criteria: SearchKey::And(
                Vec1::try_from(vec![SearchKey::All, SearchKey::Seen]).unwrap(),
            ),
        };
        assert_eq!(
            encode_client(&sort).dump(),
            b"(SUBJECT REVERSE DISPLAYFROM) UTF-8 ALL SEEN"
        );
        let sort = Sort {
            return_options: Some(vec![SearchReturnOption::Count]),
            order: Vec1::one(SortCriterion {
                reverse: false,
                key: SortKey::Arrival,
            }),
            charset: utf8(),
            criteria: SearchKey::Unseen,
        };
        assert_eq!(
            encode_client(&sort).dump(),
            b"RETURN (COUNT) (ARRIVAL) UTF-8 UNSEEN"
        );
        let thread = Thread {
            algorithm: ThreadAlgorithm::References,
            charset: utf8(),
            criteria: SearchKey::All,
        };
        assert_eq!(encode_client(&thread).dump(), b"REFERENCES UTF-8 ALL");
        let thread = Thread {
            algorithm: ThreadAlgorithm::Other(Atom::unvalidated("X-ALG")),
            ..thread
        };
        assert_eq!(encode_client(&thread).dump(), b"X-ALG UTF-8 ALL");
    }

    #[test]
    fn responses() {
        assert_eq!(
            encode_server(&Data::Sort(SortData::new(vec![nz(2), nz(3), nz(1)]))).dump(),
            b"SORT 2 3 1"
        );
        assert_eq!(
            encode_server(&Data::Sort(SortData::new(vec![]))).dump(),
            b"SORT"
        );
        assert_eq!(
            encode_server(&Data::Sort(SortData::with_modseq(
                Vec1::one(nz(7)),
                NonZeroU64::new(1236).unwrap()
            )))
            .dump(),
            b"SORT 7 (MODSEQ 1236)"
        );
        let data = ThreadData {
            threads: vec![
                chain(&[2]),
                ThreadNode::new(
                    vec![nz(3), nz(6)],
                    vec![chain(&[4, 23]), chain(&[44, 7, 96])],
                )
                .unwrap(),
                ThreadNode::new(vec![], vec![chain(&[1]), chain(&[5])]).unwrap(),
            ],
        };
        assert_eq!(
            encode_server(&data).dump(),
            b"THREAD (2)(3 6 (4 23)(44 7 96))((1)(5))"
        );
        assert_eq!(
            encode_server(&ThreadData { threads: vec![] }).dump(),
            b"THREAD"
        );
    }

    #[test]
    fn rfc5256_thread_examples_round_trip() {
        for raw in [
            &b"THREAD (166)(167)(168)(169)(172)(170)(171)(173)(174 (175)(176)(178)(181)(180))(179)(177 (183)(182)(188)(184)(185)(186)(187)(189))(190)(191)(192)(193)(194 195)(196 (197)(198))(199)(200 202)(201)(203)(204)(205)(206 207)(208)"[..],
            b"THREAD (166)(167)(168)(169)(172)((170)(179))(171)(173)((174)(175)(176)(178)(181)(180))((177)(183)(182)(188 (184)(189))(185 186)(187))(190)(191)(192)(193)((194)(195 196))(197 198)(199)(200 202)(201)(203)(204)(205 206 207)(208)",
        ] {
            let data = parse_frame(raw, None, thread_data).unwrap();
            assert_eq!(encode_server(&data).dump(), raw);
        }
    }

    proptest! {
        #[test]
        fn sort_args_round_trip(sort in arb_sort()) {
            let raw = encode_client(&sort).dump();
            prop_assert_eq!(parse_frame(&raw, None, sort_args).unwrap(), sort);
        }

        #[test]
        fn thread_args_round_trip(thread in arb_thread()) {
            let raw = encode_client(&thread).dump();
            prop_assert_eq!(parse_frame(&raw, None, thread_args).unwrap(), thread);
        }

        #[test]
        fn sort_data_round_trips(data in arb_search_data()) {
            let raw = encode_server(&Data::Sort(data.clone())).dump();
            prop_assert_eq!(parse_frame(&raw, None, sort_data).unwrap(), data);
        }

        #[test]
        fn thread_data_round_trips(data in arb_thread_data()) {
            let raw = encode_server(&data).dump();
            prop_assert_eq!(parse_frame(&raw, None, thread_data).unwrap(), data);
        }
    }
}
