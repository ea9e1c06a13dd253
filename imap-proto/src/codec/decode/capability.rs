//! Parsers of capabilities (RFC 9051 §9 `capability`, `capability-data`,
//! RFC 5161 `enable-data`).

use nom::bytes::complete::tag_no_case;
use nom::combinator::map;
use nom::multi::{many0, many1};
use nom::sequence::preceded;

use super::core::{atom, sp};
use super::IResult;
use crate::capability::Capability;
use crate::core::Vec1;

/// `capability = ("AUTH=" auth-type) / atom`.
///
/// Every capability is an atom; [`Capability::from_atom`] tells them apart.
pub(crate) fn capability(input: &[u8]) -> IResult<'_, Capability> {
    map(atom, Capability::from_atom)(input)
}

/// `capability-data = "CAPABILITY" *(SP capability) SP "IMAP4rev2" *(SP capability)`.
///
/// Leniency: any non-empty list is taken, with or without `IMAP4rev1` /
/// `IMAP4rev2`; whether the server speaks a revision the client knows is
/// the client's question, not the grammar's.
pub(crate) fn capability_data(input: &[u8]) -> IResult<'_, Vec1<Capability>> {
    let (rest, capabilities) =
        preceded(tag_no_case(b"CAPABILITY"), many1(preceded(sp, capability)))(input)?;
    let capabilities = Vec1::try_from(capabilities).expect("many1 is non-empty");
    Ok((rest, capabilities))
}

/// `enable-data = "ENABLED" *(SP capability)`.
pub(crate) fn enable_data(input: &[u8]) -> IResult<'_, Vec<Capability>> {
    preceded(tag_no_case(b"ENABLED"), many0(preceded(sp, capability)))(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Atom;

    #[test]
    fn capability_list() {
        let (rest, caps) = capability_data(b"CAPABILITY IMAP4rev1 AUTH=PLAIN x]").unwrap();
        assert_eq!(rest, b"]");
        assert_eq!(
            caps.as_slice(),
            &[
                Capability::Imap4Rev1,
                Capability::Auth(Atom::unvalidated("PLAIN")),
                Capability::Other(Atom::unvalidated("x")),
            ]
        );
        assert!(capability_data(b"CAPABILITY").is_err());
        assert!(capability_data(b"CAPABILITY ").is_err());
    }

    #[test]
    fn enabled_may_be_empty() {
        assert_eq!(enable_data(b"ENABLED").unwrap().1, vec![]);
        assert_eq!(
            enable_data(b"enabled CONDSTORE QRESYNC").unwrap().1,
            vec![Capability::CondStore, Capability::QResync]
        );
    }
}
