//! Parsers of ACL arguments and responses (RFC 4314).

use nom::bytes::complete::tag_no_case;
use nom::combinator::map;
use nom::multi::many0;
use nom::sequence::{preceded, separated_pair, tuple};

use super::common::mailbox;
use super::core::{astring, sp};
use super::{IResult, ParseError, ParseErrorKind};
use crate::acl::{
    AclData, AclEntry, DeleteAcl, GetAcl, ListRights, ListRightsData, ModRights, ModRightsMode,
    MyRights, MyRightsData, Rights, SetAcl,
};
use crate::core::AString;

/// `identifier = astring`.
fn identifier(input: &[u8]) -> IResult<'_, AString> {
    astring(input)
}

/// Rights from the content of an astring.
fn to_rights(raw: &[u8]) -> Option<Rights> {
    Rights::try_from(std::str::from_utf8(raw).ok()?).ok()
}

/// `rights = astring`, holding only lowercase ASCII letters and digits.
pub(crate) fn rights(input: &[u8]) -> IResult<'_, Rights> {
    let (rest, raw) = astring(input)?;
    match to_rights(raw.as_bytes()) {
        Some(rights) => Ok((rest, rights)),
        None => ParseError::fail(
            input,
            ParseErrorKind::Invalid("rights other than a-z and 0-9"),
        ),
    }
}

/// `mod-rights = astring`: `+rights` to add, `-rights` to remove, else replace.
pub(crate) fn mod_rights(input: &[u8]) -> IResult<'_, ModRights> {
    let (rest, raw) = astring(input)?;
    let raw = raw.as_bytes();
    let (mode, letters) = match raw.first() {
        Some(b'+') => (ModRightsMode::Add, &raw[1..]),
        Some(b'-') => (ModRightsMode::Remove, &raw[1..]),
        _ => (ModRightsMode::Replace, raw),
    };
    match to_rights(letters) {
        Some(rights) => Ok((rest, ModRights { mode, rights })),
        None => ParseError::fail(
            input,
            ParseErrorKind::Invalid("rights other than a-z and 0-9"),
        ),
    }
}

/// `setacl = "SETACL" SP mailbox SP identifier SP mod-rights`, from after `SETACL SP`.
pub(crate) fn setacl_args(input: &[u8]) -> IResult<'_, SetAcl> {
    map(
        tuple((mailbox, sp, identifier, sp, mod_rights)),
        |(mailbox, (), identifier, (), rights)| SetAcl {
            mailbox,
            identifier,
            rights,
        },
    )(input)
}

/// `deleteacl = "DELETEACL" SP mailbox SP identifier`, from after `DELETEACL SP`.
pub(crate) fn deleteacl_args(input: &[u8]) -> IResult<'_, DeleteAcl> {
    map(
        separated_pair(mailbox, sp, identifier),
        |(mailbox, identifier)| DeleteAcl {
            mailbox,
            identifier,
        },
    )(input)
}

/// `getacl = "GETACL" SP mailbox`, from after `GETACL SP`.
pub(crate) fn getacl_args(input: &[u8]) -> IResult<'_, GetAcl> {
    map(mailbox, |mailbox| GetAcl { mailbox })(input)
}

/// `listrights = "LISTRIGHTS" SP mailbox SP identifier`, from after `LISTRIGHTS SP`.
pub(crate) fn listrights_args(input: &[u8]) -> IResult<'_, ListRights> {
    map(
        separated_pair(mailbox, sp, identifier),
        |(mailbox, identifier)| ListRights {
            mailbox,
            identifier,
        },
    )(input)
}

/// `myrights = "MYRIGHTS" SP mailbox`, from after `MYRIGHTS SP`.
pub(crate) fn myrights_args(input: &[u8]) -> IResult<'_, MyRights> {
    map(mailbox, |mailbox| MyRights { mailbox })(input)
}

/// `acl-data = "ACL" SP mailbox *(SP identifier SP rights)`.
pub(crate) fn acl_data(input: &[u8]) -> IResult<'_, AclData> {
    map(
        preceded(
            tag_no_case(b"ACL "),
            tuple((
                mailbox,
                many0(map(
                    tuple((sp, identifier, sp, rights)),
                    |((), identifier, (), rights)| AclEntry { identifier, rights },
                )),
            )),
        ),
        |(mailbox, entries)| AclData { mailbox, entries },
    )(input)
}

/// `listrights-data = "LISTRIGHTS" SP mailbox SP identifier SP rights *(SP rights)`.
pub(crate) fn listrights_data(input: &[u8]) -> IResult<'_, ListRightsData> {
    map(
        preceded(
            tag_no_case(b"LISTRIGHTS "),
            tuple((
                mailbox,
                preceded(sp, identifier),
                preceded(sp, rights),
                many0(preceded(sp, rights)),
            )),
        ),
        |(mailbox, identifier, required, optional)| ListRightsData {
            mailbox,
            identifier,
            required,
            optional,
        },
    )(input)
}

/// `myrights-data = "MYRIGHTS" SP mailbox SP rights`.
pub(crate) fn myrights_data(input: &[u8]) -> IResult<'_, MyRightsData> {
    map(
        preceded(
            tag_no_case(b"MYRIGHTS "),
            separated_pair(mailbox, sp, rights),
        ),
        |(mailbox, rights)| MyRightsData { mailbox, rights },
    )(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mailbox::Mailbox;
    use crate::testing::status::{parse_all, refuses};

    #[test]
    fn rights_forms() {
        assert_eq!(
            parse_all(rights, b"lrswipkxtecda").as_str(),
            "lrswipkxtecda"
        );
        assert_eq!(parse_all(rights, b"\"\"").as_str(), "");
        assert_eq!(parse_all(rights, b"\"lr\"").as_str(), "lr");
        assert_eq!(parse_all(rights, b"{2}\r\n01").as_str(), "01");
        for bad in [&b"LR"[..], b"l-r", b"\"l r\"", b"+l", b"\"\xc3\xa9\""] {
            assert!(refuses(rights, bad), "{:?}", String::from_utf8_lossy(bad));
        }
        let m = parse_all(mod_rights, b"+lr");
        assert_eq!((m.mode, m.rights.as_str()), (ModRightsMode::Add, "lr"));
        let m = parse_all(mod_rights, b"\"-w\"");
        assert_eq!((m.mode, m.rights.as_str()), (ModRightsMode::Remove, "w"));
        let m = parse_all(mod_rights, b"\"\"");
        assert_eq!((m.mode, m.rights.as_str()), (ModRightsMode::Replace, ""));
        assert_eq!(parse_all(mod_rights, b"-").mode, ModRightsMode::Remove);
        assert!(refuses(mod_rights, b"+-l"));
        assert!(refuses(mod_rights, b"l+"));
    }

    #[test]
    fn rfc4314_commands() {
        let set = parse_all(setacl_args, b"INBOX/Drafts Chris +cda");
        assert_eq!(set.mailbox.as_bytes(), b"INBOX/Drafts");
        assert_eq!(set.identifier.as_bytes(), b"Chris");
        assert_eq!(set.rights.mode, ModRightsMode::Add);
        assert_eq!(set.rights.rights.as_str(), "cda");
        let set = parse_all(setacl_args, b"INBOX/Drafts John lrswicda");
        assert_eq!(set.rights.mode, ModRightsMode::Replace);
        let set = parse_all(setacl_args, b"INBOX -Fred \"\"");
        assert_eq!(set.identifier.as_bytes(), b"-Fred");
        // RFC 4314 §3.1: "A035 BAD Uppercase rights are not allowed".
        assert!(refuses(setacl_args, b"INBOX/Drafts John lrQswicda"));
        let delete = parse_all(deleteacl_args, b"INBOX/Drafts Chris");
        assert_eq!(delete.identifier.as_bytes(), b"Chris");
        assert_eq!(parse_all(getacl_args, b"inbox").mailbox, Mailbox::Inbox);
        let list = parse_all(listrights_args, b"~/Mail/saved smith");
        assert_eq!(list.mailbox.as_bytes(), b"~/Mail/saved");
        assert_eq!(parse_all(myrights_args, b"INBOX").mailbox, Mailbox::Inbox);
    }

    #[test]
    fn rfc4314_responses() {
        let acl = parse_all(acl_data, b"ACL INBOX Fred rwipsldexta");
        assert_eq!(acl.entries.len(), 1);
        assert_eq!(acl.entries[0].rights.as_str(), "rwipsldexta");
        let acl = parse_all(
            acl_data,
            b"ACL INBOX/Drafts Fred rwipslxcetda -Chris \"\" anyone lr",
        );
        assert_eq!(acl.entries.len(), 3);
        assert!(parse_all(acl_data, b"ACL foo").entries.is_empty());
        let list = parse_all(
            listrights_data,
            b"LISTRIGHTS ~/Mail/saved smith la r swicdkxte",
        );
        assert_eq!(list.required.as_str(), "la");
        assert_eq!(list.optional.len(), 2);
        let list = parse_all(
            listrights_data,
            b"LISTRIGHTS archive/imap anyone \"\" l r s w i p k x t e c d a 0 1 2 3 4 5 6 7 8 9",
        );
        assert!(list.required.is_empty());
        assert_eq!(list.optional.len(), 23);
        let mine = parse_all(myrights_data, b"MYRIGHTS INBOX rwiptsldaex");
        assert!(mine.rights.contains('x') && !mine.rights.contains('c'));
    }

    #[test]
    fn refuses_malformed() {
        assert!(refuses(setacl_args, b"INBOX Fred"));
        assert!(refuses(setacl_args, b"INBOX Fred l r"));
        assert!(refuses(deleteacl_args, b"INBOX"));
        assert!(refuses(getacl_args, b"INBOX Fred"));
        assert!(refuses(acl_data, b"ACL INBOX Fred"));
        assert!(refuses(acl_data, b"ACL INBOX Fred RW"));
        assert!(refuses(listrights_data, b"LISTRIGHTS INBOX Fred"));
        assert!(refuses(listrights_data, b"LISTRIGHTS INBOX Fred l R"));
        assert!(refuses(myrights_data, b"MYRIGHTS INBOX"));
        assert!(refuses(myrights_data, b"MYRIGHTS INBOX l r"));
    }
}
