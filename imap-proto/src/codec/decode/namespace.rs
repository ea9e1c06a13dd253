//! Parsers of the NAMESPACE response (RFC 2342, RFC 9051 §6.3.10).

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case};
use nom::combinator::map;
use nom::multi::{many0, many1, separated_list1};
use nom::sequence::{delimited, preceded, tuple};

use super::core::{nil, sp, string};
use super::list::delimiter;
use super::IResult;
use crate::core::Vec1;
use crate::namespace::{Namespace, NamespaceData, NamespaceExtension};

/// `namespace-response-extension = SP string SP "(" string *(SP string) ")"`.
fn namespace_response_extension(input: &[u8]) -> IResult<'_, NamespaceExtension> {
    map(
        tuple((
            preceded(sp, string),
            preceded(
                sp,
                delimited(tag(b"("), separated_list1(sp, string), tag(b")")),
            ),
        )),
        |(name, values)| NamespaceExtension {
            name,
            values: Vec1::try_from(values).expect("separated_list1 is non-empty"),
        },
    )(input)
}

/// `namespace-descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil)
/// [namespace-response-extensions] ")"`.
fn namespace_descr(input: &[u8]) -> IResult<'_, Namespace> {
    map(
        delimited(
            tag(b"("),
            tuple((string, sp, delimiter, many0(namespace_response_extension))),
            tag(b")"),
        ),
        |(prefix, (), delimiter, extensions)| Namespace {
            prefix,
            delimiter,
            extensions,
        },
    )(input)
}

/// `namespace = nil / "(" 1*namespace-descr ")"` (`NIL` reads as empty).
fn namespace(input: &[u8]) -> IResult<'_, Vec<Namespace>> {
    alt((
        map(nil, |()| Vec::new()),
        delimited(tag(b"("), many1(namespace_descr), tag(b")")),
    ))(input)
}

/// `namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace`.
pub(crate) fn namespace_data(input: &[u8]) -> IResult<'_, NamespaceData> {
    map(
        tuple((
            preceded(tag_no_case(b"NAMESPACE "), namespace),
            preceded(sp, namespace),
            preceded(sp, namespace),
        )),
        |(personal, other_users, shared)| NamespaceData {
            personal,
            other_users,
            shared,
        },
    )(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::list::Delimiter;
    use crate::testing::status::{parse_all, refuses};

    #[test]
    fn rfc2342_examples() {
        let data = parse_all(namespace_data, b"NAMESPACE ((\"\" \"/\")) NIL NIL");
        assert_eq!(data.personal.len(), 1);
        assert_eq!(data.personal[0].prefix.as_bytes(), b"");
        assert_eq!(data.personal[0].delimiter, Some(Delimiter::SLASH));
        assert!(data.other_users.is_empty() && data.shared.is_empty());

        let data = parse_all(namespace_data, b"NAMESPACE NIL NIL ((\"\" \".\"))");
        assert_eq!(data.shared[0].delimiter, Some(Delimiter::DOT));

        let data = parse_all(
            namespace_data,
            b"NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\")\
              (\"#ftp/\" \"/\")(\"#news.\" \".\"))",
        );
        assert_eq!(data.other_users[0].prefix.as_bytes(), b"~");
        assert_eq!(data.shared.len(), 4);

        let data = parse_all(
            namespace_data,
            b"NAMESPACE ((\"INBOX.\" \".\")) NIL ((\"\" NIL))",
        );
        assert_eq!(data.shared[0].delimiter, None);
    }

    #[test]
    fn extensions() {
        let data = parse_all(
            namespace_data,
            b"NAMESPACE ((\"\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL \
              ((\"Other Users/\" \"/\" \"TRANSLATION\" (\"Andere Ben&APw-tzer/\") \"X\" ({1}\r\nz)))",
        );
        let ext = &data.personal[0].extensions[0];
        assert_eq!(ext.name.as_bytes(), b"X-PARAM");
        assert_eq!(ext.values.as_slice().len(), 2);
        assert_eq!(data.shared[0].extensions.len(), 2);
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            &b"NAMESPACE () NIL NIL"[..],
            b"NAMESPACE NIL NIL",
            b"NAMESPACE ((\"\" \"/\") NIL NIL",
            b"NAMESPACE ((\"\" \"/\") (\"a\" \"/\")) NIL NIL",
            b"NAMESPACE ((\"\" \"//\")) NIL NIL",
            b"NAMESPACE ((\"\" /)) NIL NIL",
            b"NAMESPACE ((INBOX \"/\")) NIL NIL",
            b"NAMESPACE ((\"\" \"/\" \"X\" ())) NIL NIL",
            b"NAMESPACE ((\"\" \"/\" \"X\")) NIL NIL",
            b"NAMESPACE NIL NIL NIL NIL",
        ] {
            assert!(
                refuses(namespace_data, bad),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
