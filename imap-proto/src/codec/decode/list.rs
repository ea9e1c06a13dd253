//! Parsers of LIST, LSUB and XLIST arguments and responses, and of the
//! CREATE-SPECIAL-USE parameter (RFC 9051 §6.3.9, RFC 5258, RFC 5819,
//! RFC 6154, RFC 3348).

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case};
use nom::character::complete::one_of;
use nom::combinator::{cut, map, not, opt, value};
use nom::multi::{separated_list0, separated_list1};
use nom::sequence::{delimited, preceded, terminated, tuple};

use super::common::{list_mailbox, mailbox, sequence_set};
use super::core::{astring, atom, nil, number64, quoted, sp};
use super::status::status_att_list_names;
use super::{check_depth, IResult, ParseError, ParseErrorKind};
use crate::core::Vec1;
use crate::list::{
    ChildInfo, CreateParams, Delimiter, List, ListData, ListExtendedItem, ListKind,
    ListReturnOptions, ListSelectOptions, Lsub, MailboxAttribute, TaggedExtComp, TaggedExtVal,
};
use crate::mailbox::ListMailbox;

fn vec1<T>(items: Vec<T>) -> Vec1<T> {
    Vec1::try_from(items).expect("separated_list1 is non-empty")
}

/// `DQUOTE QUOTED-CHAR DQUOTE / nil`: a hierarchy delimiter (LIST, NAMESPACE).
pub(crate) fn delimiter(input: &[u8]) -> IResult<'_, Option<Delimiter>> {
    alt((map(nil, |()| None), |input| {
        let (rest, content) = quoted(input)?;
        let mut chars = content.as_str().chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok((
                rest,
                Some(Delimiter::try_from(c).expect("quoted holds no CR, LF or NUL")),
            )),
            _ => ParseError::fail(input, ParseErrorKind::Invalid("delimiter of not one char")),
        }
    }))(input)
}

/// A mailbox attribute: `"\" atom` (`mbx-list-oflag`, `mbx-list-sflag`,
/// `use-attr`), known names case-insensitively.
pub(crate) fn mbx_list_attribute(input: &[u8]) -> IResult<'_, MailboxAttribute> {
    map(preceded(tag(b"\\"), atom), MailboxAttribute::from_atom)(input)
}

/// `"(" [mbx-list-flags] ")"`, any combination of attributes.
fn mbx_list_flags(input: &[u8]) -> IResult<'_, Vec<MailboxAttribute>> {
    delimited(
        tag(b"("),
        separated_list0(sp, mbx_list_attribute),
        tag(b")"),
    )(input)
}

/// `list-select-opts = "(" [list-select-opt *(SP list-select-opt)] ")"`,
/// with RFC 5258's rule that `RECURSIVEMATCH` needs a base option
/// (`SUBSCRIBED`; `REMOTE` and `SPECIAL-USE` are independent options).
pub(crate) fn list_select_opts(input: &[u8]) -> IResult<'_, ListSelectOptions> {
    let (rest, names) = preceded(
        tag(b"("),
        cut(terminated(separated_list0(sp, atom), tag(b")"))),
    )(input)?;
    let mut options = ListSelectOptions::default();
    for name in names {
        let flag = match name.as_str().to_ascii_uppercase().as_str() {
            "SUBSCRIBED" => &mut options.subscribed,
            "REMOTE" => &mut options.remote,
            "SPECIAL-USE" => &mut options.special_use,
            "RECURSIVEMATCH" => &mut options.recursive_match,
            _ => {
                return ParseError::cut(
                    input,
                    ParseErrorKind::Invalid("unknown LIST selection option"),
                )
            }
        };
        *flag = true;
    }
    if options.recursive_match && !options.subscribed {
        return ParseError::cut(
            input,
            ParseErrorKind::Invalid("RECURSIVEMATCH without a base selection option"),
        );
    }
    Ok((rest, options))
}

/// `return-option = "SUBSCRIBED" / "CHILDREN" / "SPECIAL-USE" /
/// "STATUS" SP "(" status-att *(SP status-att) ")"`, applied to `options`.
fn return_option<'a>(input: &'a [u8], options: &mut ListReturnOptions) -> IResult<'a, ()> {
    let (rest, name) = atom(input)?;
    let flag = match name.as_str().to_ascii_uppercase().as_str() {
        "SUBSCRIBED" => &mut options.subscribed,
        "CHILDREN" => &mut options.children,
        "SPECIAL-USE" => &mut options.special_use,
        "STATUS" => {
            let (rest, items) = preceded(sp, status_att_list_names)(rest)?;
            if options.status.replace(items).is_some() {
                return ParseError::fail(
                    input,
                    ParseErrorKind::Invalid("STATUS return option twice"),
                );
            }
            return Ok((rest, ()));
        }
        _ => return ParseError::fail(input, ParseErrorKind::Invalid("unknown LIST return option")),
    };
    *flag = true;
    Ok((rest, ()))
}

/// `list-return-opts = "RETURN" SP "(" [return-option *(SP return-option)] ")"`.
pub(crate) fn list_return_opts(input: &[u8]) -> IResult<'_, ListReturnOptions> {
    let (mut rest, _) = tuple((tag_no_case(b"RETURN"), sp, tag(b"(")))(input)?;
    let mut options = ListReturnOptions::default();
    if let Ok((after, _)) = tag::<_, _, ParseError<'_>>(b")")(rest) {
        return Ok((after, options));
    }
    loop {
        // Past `RETURN (`, no alternative is left.
        (rest, ()) = cut(|i| return_option(i, &mut options))(rest)?;
        match rest.first() {
            Some(b' ') => rest = &rest[1..],
            Some(b')') => return Ok((&rest[1..], options)),
            _ => {
                return ParseError::cut(
                    rest,
                    ParseErrorKind::Invalid("unterminated RETURN options"),
                )
            }
        }
    }
}

/// `mbox-or-pat = list-mailbox / patterns`,
/// `patterns = "(" list-mailbox *(SP list-mailbox) ")"`.
fn mbox_or_pat(input: &[u8]) -> IResult<'_, Vec1<ListMailbox>> {
    alt((
        map(
            delimited(tag(b"("), separated_list1(sp, list_mailbox), tag(b")")),
            vec1,
        ),
        map(list_mailbox, Vec1::one),
    ))(input)
}

/// `list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat
/// [SP list-return-opts]`, from after `LIST SP`.
pub(crate) fn list_args(input: &[u8]) -> IResult<'_, List> {
    let (rest, (selection, reference, _, patterns, returns)) = tuple((
        map(
            opt(terminated(list_select_opts, sp)),
            Option::unwrap_or_default,
        ),
        mailbox,
        sp,
        mbox_or_pat,
        map(
            opt(preceded(sp, list_return_opts)),
            Option::unwrap_or_default,
        ),
    ))(input)?;
    Ok((
        rest,
        List {
            selection,
            reference,
            patterns,
            returns,
        },
    ))
}

/// `lsub = "LSUB" SP mailbox SP list-mailbox`, from after `LSUB SP`.
pub(crate) fn lsub_args(input: &[u8]) -> IResult<'_, Lsub> {
    map(
        tuple((mailbox, sp, list_mailbox)),
        |(reference, (), pattern)| Lsub { reference, pattern },
    )(input)
}

/// `xlist = "XLIST" SP mailbox SP list-mailbox` (Gmail; the arguments of a
/// basic LIST), from after `XLIST SP`.
pub(crate) fn xlist_args(input: &[u8]) -> IResult<'_, Lsub> {
    lsub_args(input)
}

/// `tagged-ext-comp` elements separated by SP (at least one).
fn tagged_ext_comps(input: &[u8], depth: usize) -> IResult<'_, Vec<TaggedExtComp>> {
    separated_list1(sp, |i| tagged_ext_comp(i, depth))(input)
}

/// One element of `tagged-ext-comp = astring / tagged-ext-comp
/// *(SP tagged-ext-comp) / "(" tagged-ext-comp ")"`.
fn tagged_ext_comp(input: &[u8], depth: usize) -> IResult<'_, TaggedExtComp> {
    alt((map(astring, TaggedExtComp::AString), |input| {
        let (rest, _) = tag(b"(")(input)?;
        check_depth(input, depth)?;
        map(
            terminated(|i| tagged_ext_comps(i, depth + 1), tag(b")")),
            |items| TaggedExtComp::List(vec1(items)),
        )(rest)
    }))(input)
}

/// `tagged-ext-val = tagged-ext-simple / "(" [tagged-ext-comp] ")"`, with
/// `tagged-ext-simple = sequence-set / number / number64`: a lone number
/// reads as [`TaggedExtVal::Number`].
pub(crate) fn tagged_ext_val(input: &[u8], depth: usize) -> IResult<'_, TaggedExtVal> {
    alt((
        map(
            terminated(number64, not(one_of(":,"))),
            TaggedExtVal::Number,
        ),
        map(sequence_set, TaggedExtVal::SequenceSet),
        |input| {
            let (rest, _) = tag(b"(")(input)?;
            check_depth(input, depth)?;
            map(
                terminated(
                    map(
                        opt(|i| tagged_ext_comps(i, depth + 1)),
                        Option::unwrap_or_default,
                    ),
                    tag(b")"),
                ),
                TaggedExtVal::Comp,
            )(rest)
        },
    ))(input)
}

/// `list-select-base-opt-quoted = DQUOTE list-select-base-opt DQUOTE`.
fn childinfo_option(input: &[u8]) -> IResult<'_, ChildInfo> {
    map(quoted, |q| {
        if q.as_str().eq_ignore_ascii_case("SUBSCRIBED") {
            ChildInfo::Subscribed
        } else {
            ChildInfo::Other(q)
        }
    })(input)
}

/// `mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val`,
/// with `CHILDINFO` (RFC 5258 §3.5) and `OLDNAME` (RFC 9051) read as such.
fn mbox_list_extended_item(input: &[u8]) -> IResult<'_, ListExtendedItem> {
    let (rest, (item_tag, ())) = tuple((astring, sp))(input)?;
    let name = item_tag.as_bytes();
    if name.eq_ignore_ascii_case(b"CHILDINFO") {
        cut(map(
            delimited(tag(b"("), separated_list1(sp, childinfo_option), tag(b")")),
            |options| ListExtendedItem::ChildInfo(vec1(options)),
        ))(rest)
    } else if name.eq_ignore_ascii_case(b"OLDNAME") {
        cut(map(
            delimited(tag(b"("), mailbox, tag(b")")),
            ListExtendedItem::OldName,
        ))(rest)
    } else {
        map(
            |i| tagged_ext_val(i, 0),
            |value| ListExtendedItem::Other {
                tag: item_tag.clone(),
                value,
            },
        )(rest)
    }
}

/// `mbox-list-extended = "(" [mbox-list-extended-item
/// *(SP mbox-list-extended-item)] ")"`.
fn mbox_list_extended(input: &[u8]) -> IResult<'_, Vec<ListExtendedItem>> {
    delimited(
        tag(b"("),
        separated_list0(sp, mbox_list_extended_item),
        tag(b")"),
    )(input)
}

/// `"LIST" SP mailbox-list / "LSUB" SP mailbox-list / "XLIST" SP mailbox-list`,
/// `mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil)
/// SP mailbox [SP mbox-list-extended]`.
pub(crate) fn list_data(input: &[u8]) -> IResult<'_, ListData> {
    let (rest, (kind, attributes, _, delimiter, _, mailbox, extended)) = tuple((
        alt((
            value(ListKind::List, tag_no_case(b"LIST ")),
            value(ListKind::Lsub, tag_no_case(b"LSUB ")),
            value(ListKind::Xlist, tag_no_case(b"XLIST ")),
        )),
        mbx_list_flags,
        sp,
        delimiter,
        sp,
        mailbox,
        map(
            opt(preceded(sp, mbox_list_extended)),
            Option::unwrap_or_default,
        ),
    ))(input)?;
    Ok((
        rest,
        ListData {
            kind,
            attributes,
            delimiter,
            mailbox,
            extended,
        },
    ))
}

/// The CREATE-SPECIAL-USE parameter (RFC 6154 §5), leading SP included:
/// `SP "(" "USE" SP "(" [use-attr *(SP use-attr)] ")" ")"`.
pub(crate) fn create_params(input: &[u8]) -> IResult<'_, CreateParams> {
    map(
        delimited(
            tuple((sp, tag(b"("), tag_no_case(b"USE"), sp, tag(b"("))),
            separated_list0(sp, mbx_list_attribute),
            tag(b"))"),
        ),
        |special_use| CreateParams { special_use },
    )(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::decode::NESTING_LIMIT;
    use crate::mailbox::Mailbox;
    use crate::sequence::SequenceSet;
    use crate::status::StatusItemName;

    fn all<'a, T>(parser: impl Fn(&'a [u8]) -> IResult<'a, T>, input: &'a [u8]) -> T {
        match parser(input) {
            Ok(([], value)) => value,
            other => panic!("{:?}: {:?}", String::from_utf8_lossy(input), other.err()),
        }
    }

    fn refused<T>(parser: impl Fn(&[u8]) -> IResult<'_, T>, input: &[u8]) -> bool {
        !matches!(parser(input), Ok(([], _)))
    }

    #[test]
    fn delimiters() {
        assert_eq!(all(delimiter, b"\"/\""), Some(Delimiter::SLASH));
        assert_eq!(all(delimiter, b"nil"), None);
        assert_eq!(
            all(delimiter, b"\"\\\\\""),
            Some(Delimiter::try_from('\\').unwrap())
        );
        assert_eq!(
            all(delimiter, b"\"\\\"\""),
            Some(Delimiter::try_from('"').unwrap())
        );
        assert_eq!(
            all(delimiter, "\"\u{e9}\"".as_bytes()),
            Some(Delimiter::try_from('\u{e9}').unwrap())
        );
        for bad in [&b"\"\""[..], b"\"ab\"", b"/", b"\"\\a\"", b"{1}\r\n/"] {
            assert!(
                refused(delimiter, bad),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn attributes_are_case_insensitive() {
        assert_eq!(
            all(mbx_list_attribute, b"\\noselect"),
            MailboxAttribute::Noselect
        );
        assert_eq!(
            all(mbx_list_attribute, b"\\HASNOCHILDREN"),
            MailboxAttribute::HasNoChildren
        );
        assert_eq!(
            all(mbx_list_attribute, b"\\allmail"),
            MailboxAttribute::AllMail
        );
        assert_eq!(
            all(mbx_list_attribute, b"\\X-Foo"),
            MailboxAttribute::from_text("\\X-Foo").unwrap()
        );
        assert!(refused(mbx_list_attribute, b"Noselect"));
        assert!(refused(mbx_list_attribute, b"\\"));
        assert!(refused(mbx_list_attribute, b"\\*"));
    }

    #[test]
    fn rfc9051_basic_list_args() {
        let list = all(list_args, b"\"\" \"\"");
        assert!(!list.is_extended());
        assert_eq!(list.reference.as_bytes(), b"");
        assert_eq!(list.patterns.as_slice()[0].as_bytes(), b"");
        let list = all(list_args, b"#news.comp.mail.misc \"\"");
        assert_eq!(list.reference.as_bytes(), b"#news.comp.mail.misc");
        let list = all(list_args, b"/usr/staff/jones \"\"");
        assert_eq!(list.reference.as_bytes(), b"/usr/staff/jones");
        let list = all(list_args, b"~/Mail/ %");
        assert_eq!(list.patterns.as_slice()[0], ListMailbox::Token("%".into()));
        let list = all(list_args, b"{4}\r\nabcd *");
        assert_eq!(list.reference.as_bytes(), b"abcd");
    }

    #[test]
    fn rfc5258_extended_list_args() {
        let list = all(list_args, b"(SUBSCRIBED) \"\" \"*\"");
        assert!(list.selection.subscribed && list.is_extended());
        let list = all(
            list_args,
            b"(SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)",
        );
        assert!(list.selection.recursive_match && list.returns.children);
        let list = all(list_args, b"(REMOTE) \"\" \"*\" RETURN (SUBSCRIBED)");
        assert!(list.selection.remote && list.returns.subscribed);
        let list = all(list_args, b"\"\" (\"INBOX\" \"Drafts\" \"Sent/%\")");
        assert_eq!(list.patterns.as_slice().len(), 3);
        let list = all(list_args, b"() \"\" % return ()");
        assert!(!list.is_extended());
        let list = all(list_args, b"\"\" % RETURN (SPECIAL-USE)");
        assert!(list.returns.special_use);
        let list = all(list_args, b"(special-use) \"\" *");
        assert!(list.selection.special_use);
    }

    #[test]
    fn rfc5819_list_status() {
        let list = all(list_args, b"\"\" % RETURN (STATUS (MESSAGES UNSEEN))");
        assert_eq!(
            list.returns.status.unwrap().as_slice(),
            &[StatusItemName::Messages, StatusItemName::Unseen]
        );
        let list = all(
            list_args,
            b"(SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (CHILDREN STATUS (MESSAGES))",
        );
        assert!(list.returns.children && list.returns.status.is_some());
    }

    #[test]
    fn list_args_refuses_bad_options() {
        for bad in [
            &b"(RECURSIVEMATCH) \"\" *"[..],
            b"(REMOTE RECURSIVEMATCH) \"\" *",
            b"(SPECIAL-USE RECURSIVEMATCH) \"\" *",
            b"(BOGUS) \"\" *",
            b"(SUBSCRIBED \"\" *",
            b"\"\" * RETURN (BOGUS)",
            b"\"\" * RETURN (STATUS ())",
            b"\"\" * RETURN (STATUS (MESSAGES) STATUS (UNSEEN))",
            b"\"\" * RETURN (CHILDREN",
            b"\"\" * RETURN CHILDREN",
            b"\"\" ()",
            b"\"\"",
            b"\"\" (a b",
            b"\"\"  *",
        ] {
            assert!(
                refused(list_args, bad),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(matches!(
            list_args(b"(RECURSIVEMATCH) \"\" *"),
            Err(nom::Err::Failure(ParseError {
                kind: ParseErrorKind::Invalid(_),
                ..
            }))
        ));
    }

    #[test]
    fn lsub_and_xlist_args() {
        let lsub = all(lsub_args, b"\"#news.\" \"comp.mail.*\"");
        assert_eq!(lsub.reference.as_bytes(), b"#news.");
        assert_eq!(lsub.pattern.as_bytes(), b"comp.mail.*");
        let xlist = all(xlist_args, b"\"\" *");
        assert_eq!(xlist.pattern, ListMailbox::Token("*".into()));
        assert!(refused(lsub_args, b"(SUBSCRIBED) \"\" *"));
        assert!(refused(lsub_args, b"\"\" (a b)"));
    }

    #[test]
    fn rfc_list_responses() {
        let data = all(list_data, b"LIST (\\HasNoChildren) \"/\" INBOX");
        assert_eq!(data.kind, ListKind::List);
        assert_eq!(data.attributes, vec![MailboxAttribute::HasNoChildren]);
        assert_eq!(data.delimiter, Some(Delimiter::SLASH));
        assert_eq!(data.mailbox, Mailbox::Inbox);
        let data = all(list_data, b"LIST () NIL foo");
        assert!(data.attributes.is_empty() && data.delimiter.is_none());
        let data = all(list_data, b"LSUB (\\Noselect) \".\" #news");
        assert_eq!(data.kind, ListKind::Lsub);
        assert_eq!(data.delimiter, Some(Delimiter::DOT));
        assert_eq!(data.mailbox.as_bytes(), b"#news");
        let data = all(list_data, b"XLIST (\\Inbox \\HasNoChildren) \"/\" INBOX");
        assert_eq!(data.kind, ListKind::Xlist);
        assert_eq!(
            data.attributes,
            vec![MailboxAttribute::Inbox, MailboxAttribute::HasNoChildren]
        );
        let data = all(
            list_data,
            b"LIST (\\Noselect \\HasChildren) \"/\" \"[Gmail]\"",
        );
        assert_eq!(data.mailbox.as_bytes(), b"[Gmail]");
        let data = all(
            list_data,
            b"list (\\Sent \\hasnochildren) \"/\" {4}\r\nSent",
        );
        assert_eq!(data.attributes[0], MailboxAttribute::Sent);
    }

    #[test]
    fn rfc5258_childinfo_and_rfc9051_oldname() {
        let data = all(
            list_data,
            b"LIST () \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
        );
        assert_eq!(
            data.extended,
            vec![ListExtendedItem::ChildInfo(Vec1::one(
                ChildInfo::Subscribed
            ))]
        );
        let data = all(
            list_data,
            b"LIST (\\Subscribed \\NonExistent) \"/\" \"Fruit/Peach\" (childinfo (\"subscribed\" \"X-Y\"))",
        );
        assert!(
            matches!(&data.extended[0], ListExtendedItem::ChildInfo(c) if c.as_slice().len() == 2)
        );
        let data = all(
            list_data,
            b"LIST () \"/\" \"NewName\" (\"OLDNAME\" (\"OldName\"))",
        );
        assert!(
            matches!(&data.extended[0], ListExtendedItem::OldName(m) if m.as_bytes() == b"OldName")
        );
        let data = all(list_data, b"LIST () \"/\" a ()");
        assert!(data.extended.is_empty());
        assert!(refused(list_data, b"LIST () \"/\" a (\"CHILDINFO\" ())"));
        assert!(refused(
            list_data,
            b"LIST () \"/\" a (\"CHILDINFO\" (SUBSCRIBED))"
        ));
        assert!(refused(list_data, b"LIST () \"/\" a (\"OLDNAME\" x)"));
    }

    #[test]
    fn other_extended_items() {
        let data = all(
            list_data,
            b"LIST () \"/\" a (\"X-N\" 42 \"X-SET\" 1:5,7 X-C (\"a\" (b (c)) {1}\r\nd) X-E ())",
        );
        let values: Vec<_> = data
            .extended
            .iter()
            .map(|item| match item {
                ListExtendedItem::Other { value, .. } => value.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(values[0], TaggedExtVal::Number(42));
        assert!(matches!(
            values[1],
            TaggedExtVal::SequenceSet(SequenceSet::Set(_))
        ));
        assert!(matches!(&values[2], TaggedExtVal::Comp(c) if c.len() == 3));
        assert_eq!(values[3], TaggedExtVal::Comp(vec![]));
        assert!(refused(list_data, b"LIST () \"/\" a (X (()))"));
        assert!(refused(list_data, b"LIST () \"/\" a (X)"));
        assert!(refused(
            list_data,
            b"LIST () \"/\" a (X 99999999999999999999)"
        ));
    }

    #[test]
    fn tagged_ext_val_refuses_deep_nesting() {
        let deep = |n: usize| {
            let mut raw = vec![b'('; n];
            raw.push(b'a');
            raw.extend(std::iter::repeat_n(b')', n));
            raw
        };
        assert!(tagged_ext_val(&deep(NESTING_LIMIT), 0).is_ok());
        assert!(matches!(
            tagged_ext_val(&deep(NESTING_LIMIT + 1), 0),
            Err(nom::Err::Failure(ParseError {
                kind: ParseErrorKind::TooDeep,
                ..
            }))
        ));
        assert!(tagged_ext_val(&deep(100_000), 0).is_err());
    }

    #[test]
    fn list_data_refuses_malformed() {
        for bad in [
            &b"LIST \\Noselect \"/\" a"[..],
            b"LIST (\\Noselect) / a",
            b"LIST (\\Noselect) \"/\"",
            b"LIST (\\Noselect)  \"/\" a",
            b"LIST (Noselect) \"/\" a",
            b"LIST (\\Noselect) \"//\" a",
            b"LISTX () NIL a",
            b"LIST () NIL a (",
        ] {
            assert!(
                refused(list_data, bad),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn rfc6154_create_params() {
        let params = all(create_params, b" (USE (\\Sent))");
        assert_eq!(params.special_use, vec![MailboxAttribute::Sent]);
        let params = all(create_params, b" (use (\\all \\Flagged \\X-Custom))");
        assert_eq!(params.special_use.len(), 3);
        assert!(params.special_use[0].is_special_use());
        assert!(all(create_params, b" (USE ())").special_use.is_empty());
        for bad in [
            &b"(USE (\\Sent))"[..],
            b" (USE \\Sent)",
            b" (USE (Sent))",
            b" (FOO (\\Sent))",
            b" (USE (\\Sent)",
        ] {
            assert!(
                refused(create_params, bad),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
