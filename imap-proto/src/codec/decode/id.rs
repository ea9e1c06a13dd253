//! Parsers of ID arguments and responses (RFC 2971).

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case};
use nom::combinator::map;
use nom::multi::separated_list0;
use nom::sequence::{delimited, preceded, separated_pair};

use super::core::{nil, nstring, sp, string};
use super::{IResult, ParseError, ParseErrorKind};
use crate::id::{Id, IdData, IdParams};

/// `id-params-list = "(" [string SP nstring *(SP string SP nstring)] ")" / nil`,
/// bounded by RFC 2971 §3.3 (30 pairs, fields of 30 octets, values of 1024).
pub(crate) fn id_params_list(input: &[u8]) -> IResult<'_, IdParams> {
    let (rest, pairs) = alt((
        map(nil, |()| Vec::new()),
        delimited(
            tag(b"("),
            separated_list0(sp, separated_pair(string, sp, nstring)),
            tag(b")"),
        ),
    ))(input)?;
    match IdParams::new(pairs) {
        Ok(params) => Ok((rest, params)),
        Err(_) => ParseError::fail(
            input,
            ParseErrorKind::Invalid("ID parameters beyond the limits of RFC 2971"),
        ),
    }
}

/// `id = "ID" SP id-params-list`, from after `ID SP`.
pub(crate) fn id_args(input: &[u8]) -> IResult<'_, Id> {
    map(id_params_list, |params| Id { params })(input)
}

/// `id-response = "ID" SP id-params-list`.
pub(crate) fn id_data(input: &[u8]) -> IResult<'_, IdData> {
    map(preceded(tag_no_case(b"ID "), id_params_list), |params| {
        IdData { params }
    })(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::status::{parse_all, refuses};

    #[test]
    fn rfc2971_examples() {
        let id = parse_all(
            id_args,
            b"(\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd Music Limited\")",
        );
        assert_eq!(id.params.as_slice().len(), 3);
        assert_eq!(
            id.params.get("VERSION").and_then(|v| v.as_bytes()),
            Some(&b"19.34"[..])
        );
        assert!(id.params.get("os").is_none());
        let data = parse_all(
            id_data,
            b"ID (\"name\" \"Cyrus\" \"version\" \"1.5\" \"os\" \"sunos\" \
              \"os-version\" \"5.5\" \"support-url\" \"mailto:cyrus-bugs+@andrew.cmu.edu\")",
        );
        assert_eq!(data.params.as_slice().len(), 5);
        assert!(parse_all(id_data, b"ID NIL").params.is_empty());
        assert!(parse_all(id_args, b"nil").params.is_empty());
    }

    #[test]
    fn empty_list_and_nil_values() {
        assert!(parse_all(id_args, b"()").params.is_empty());
        let id = parse_all(id_args, b"(\"name\" NIL {3}\r\nos\n \"x\")");
        assert_eq!(id.params.get("name").map(|v| v.as_bytes()), Some(None));
        assert_eq!(id.params.as_slice()[1].0.as_bytes(), b"os\n");
    }

    #[test]
    fn limits() {
        let pairs = |n: usize| {
            let body: Vec<String> = (0..n).map(|i| format!("\"f{i}\" \"v\"")).collect();
            format!("({})", body.join(" "))
        };
        assert_eq!(
            parse_all(id_args, pairs(30).as_bytes())
                .params
                .as_slice()
                .len(),
            30
        );
        assert!(refuses(id_args, pairs(31).as_bytes()));
        let field = |len: usize| format!("(\"{}\" NIL)", "f".repeat(len));
        assert!(!refuses(id_args, field(30).as_bytes()));
        assert!(refuses(id_args, field(31).as_bytes()));
        let value = |len: usize| format!("(\"f\" {{{len}}}\r\n{})", "v".repeat(len));
        assert!(!refuses(id_args, value(1024).as_bytes()));
        assert!(refuses(id_args, value(1025).as_bytes()));
        assert!(matches!(
            id_args(pairs(31).as_bytes()),
            Err(nom::Err::Error(ParseError {
                kind: ParseErrorKind::Invalid(_),
                ..
            }))
        ));
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            &b"(\"name\")"[..],
            b"(name \"x\")",
            b"(\"name\" x)",
            b"(\"a\" \"b\" \"c\")",
            b"(\"a\"  \"b\")",
            b"(\"a\" \"b\"",
            b"NIL NIL",
            b"",
        ] {
            assert!(refuses(id_args, bad), "{:?}", String::from_utf8_lossy(bad));
        }
        assert!(refuses(id_data, b"ID"));
        assert!(refuses(id_data, b"ID ()x"));
    }
}
