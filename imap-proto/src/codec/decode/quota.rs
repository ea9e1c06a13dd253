//! Parsers of QUOTA arguments and responses (RFC 9208).

use nom::bytes::complete::{tag, tag_no_case};
use nom::combinator::map;
use nom::multi::{many0, separated_list0, separated_list1};
use nom::sequence::{delimited, preceded, separated_pair, tuple};

use super::common::mailbox;
use super::core::{astring, atom, number64, sp};
use super::IResult;
use crate::core::{AString, Vec1};
use crate::quota::{
    GetQuota, GetQuotaRoot, QuotaData, QuotaLimit, QuotaResource, QuotaRootData, Resource, SetQuota,
};

/// `quota-root-name = astring`.
fn quota_root_name(input: &[u8]) -> IResult<'_, AString> {
    astring(input)
}

/// `resource-name = "STORAGE" / "MESSAGE" / "MAILBOX" / "ANNOTATION-STORAGE" /
/// resource-name-ext` (case-insensitive), `resource-name-ext = atom`.
pub(crate) fn resource_name(input: &[u8]) -> IResult<'_, Resource> {
    map(atom, Resource::from_atom)(input)
}

/// `getquota = "GETQUOTA" SP quota-root-name`, from after `GETQUOTA SP`.
pub(crate) fn getquota_args(input: &[u8]) -> IResult<'_, GetQuota> {
    map(quota_root_name, |root| GetQuota { root })(input)
}

/// `getquotaroot = "GETQUOTAROOT" SP mailbox`, from after `GETQUOTAROOT SP`.
pub(crate) fn getquotaroot_args(input: &[u8]) -> IResult<'_, GetQuotaRoot> {
    map(mailbox, |mailbox| GetQuotaRoot { mailbox })(input)
}

/// `setquota-resource = resource-name SP resource-limit`.
fn setquota_resource(input: &[u8]) -> IResult<'_, QuotaLimit> {
    map(
        separated_pair(resource_name, sp, number64),
        |(resource, limit)| QuotaLimit { resource, limit },
    )(input)
}

/// `setquota = "SETQUOTA" SP quota-root-name SP setquota-list`,
/// `setquota-list = "(" [setquota-resource *(SP setquota-resource)] ")"`,
/// from after `SETQUOTA SP`.
pub(crate) fn setquota_args(input: &[u8]) -> IResult<'_, SetQuota> {
    map(
        separated_pair(
            quota_root_name,
            sp,
            delimited(tag(b"("), separated_list0(sp, setquota_resource), tag(b")")),
        ),
        |(root, limits)| SetQuota { root, limits },
    )(input)
}

/// `quota-resource = resource-name SP resource-usage SP resource-limit`.
fn quota_resource(input: &[u8]) -> IResult<'_, QuotaResource> {
    map(
        tuple((resource_name, sp, number64, sp, number64)),
        |(resource, (), usage, (), limit)| QuotaResource {
            resource,
            usage,
            limit,
        },
    )(input)
}

/// `quota-response = "QUOTA" SP quota-root-name SP quota-list`,
/// `quota-list = "(" quota-resource *(SP quota-resource) ")"`.
pub(crate) fn quota_data(input: &[u8]) -> IResult<'_, QuotaData> {
    map(
        preceded(
            tag_no_case(b"QUOTA "),
            separated_pair(
                quota_root_name,
                sp,
                delimited(tag(b"("), separated_list1(sp, quota_resource), tag(b")")),
            ),
        ),
        |(root, resources)| QuotaData {
            root,
            resources: Vec1::try_from(resources).expect("separated_list1 is non-empty"),
        },
    )(input)
}

/// `quotaroot-response = "QUOTAROOT" SP mailbox *(SP quota-root-name)`.
pub(crate) fn quotaroot_data(input: &[u8]) -> IResult<'_, QuotaRootData> {
    map(
        preceded(
            tag_no_case(b"QUOTAROOT "),
            tuple((mailbox, many0(preceded(sp, quota_root_name)))),
        ),
        |(mailbox, roots)| QuotaRootData { mailbox, roots },
    )(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::decode::{ParseError, ParseErrorKind};
    use crate::mailbox::Mailbox;
    use crate::testing::status::{parse_all, refuses};

    #[test]
    fn resource_names() {
        assert_eq!(parse_all(resource_name, b"storage"), Resource::Storage);
        assert_eq!(parse_all(resource_name, b"Message"), Resource::Message);
        assert_eq!(parse_all(resource_name, b"MAILBOX"), Resource::Mailbox);
        assert_eq!(
            parse_all(resource_name, b"annotation-STORAGE"),
            Resource::AnnotationStorage
        );
        assert!(matches!(
            parse_all(resource_name, b"STORAGEX"),
            Resource::Other(a) if a.as_str() == "STORAGEX"
        ));
        assert!(refuses(resource_name, b"\"STORAGE\""));
    }

    #[test]
    fn rfc9208_commands() {
        assert_eq!(parse_all(getquota_args, b"\"\"").root.as_bytes(), b"");
        assert_eq!(
            parse_all(getquota_args, b"\"!partition/sda4\"")
                .root
                .as_bytes(),
            b"!partition/sda4"
        );
        assert_eq!(
            parse_all(getquotaroot_args, b"INBOX").mailbox,
            Mailbox::Inbox
        );
        let set = parse_all(setquota_args, b"\"\" (STORAGE 512)");
        assert_eq!(
            set.limits,
            vec![QuotaLimit {
                resource: Resource::Storage,
                limit: 512
            }]
        );
        let set = parse_all(setquota_args, b"\"#user/alice\" (STORAGE 512 MESSAGE 1000)");
        assert_eq!(set.limits.len(), 2);
        assert!(parse_all(setquota_args, b"INBOX ()").limits.is_empty());
    }

    #[test]
    fn rfc9208_responses() {
        let data = parse_all(quota_data, b"QUOTA \"\" (STORAGE 10 512)");
        assert_eq!(
            data.resources.as_slice(),
            &[QuotaResource {
                resource: Resource::Storage,
                usage: 10,
                limit: 512
            }]
        );
        let data = parse_all(
            quota_data,
            b"quota \"#user/alice\" (MESSAGE 42 1000 STORAGE 9223372036854775807 9223372036854775807)",
        );
        assert_eq!(data.resources.as_slice()[1].limit, i64::MAX as u64);
        let roots = parse_all(quotaroot_data, b"QUOTAROOT INBOX \"\"");
        assert_eq!(roots.mailbox, Mailbox::Inbox);
        assert_eq!(roots.roots.len(), 1);
        let roots = parse_all(quotaroot_data, b"QUOTAROOT comp.mail.mime");
        assert!(roots.roots.is_empty());
        let roots = parse_all(
            quotaroot_data,
            b"QUOTAROOT INBOX \"#user/alice\" \"!partition/sda4\"",
        );
        assert_eq!(roots.roots.len(), 2);
    }

    #[test]
    fn refuses_malformed_and_overflow() {
        for bad in [
            &b"\"\" (STORAGE)"[..],
            b"\"\" STORAGE 512",
            b"\"\" (STORAGE 512",
            b"\"\" (STORAGE -1)",
            b"\"\" (STORAGE 9223372036854775808)",
            b"\"\" (STORAGE  512)",
            b"\"\"",
        ] {
            assert!(
                refuses(setquota_args, bad),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        for bad in [
            &b"QUOTA \"\" ()"[..],
            b"QUOTA \"\" (STORAGE 10)",
            b"QUOTA \"\" (STORAGE 10 18446744073709551615)",
            b"QUOTA (STORAGE 10 512)",
        ] {
            assert!(
                refuses(quota_data, bad),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(refuses(quotaroot_data, b"QUOTAROOT"));
        assert!(refuses(quotaroot_data, b"QUOTAROOT INBOX  x"));
        assert!(matches!(
            quota_resource(b"STORAGE 1 9223372036854775808"),
            Err(nom::Err::Error(ParseError {
                kind: ParseErrorKind::NumberOverflow,
                ..
            }))
        ));
    }
}
