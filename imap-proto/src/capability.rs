//! Capabilities: what a server announces in `CAPABILITY` and what a client
//! names in `ENABLE` (RFC 9051 §7.2.2, RFC 3501 §7.2.1, RFC 5161 and the
//! extensions that define each name).
//!
//! ```abnf
//! capability-data = "CAPABILITY" *(SP capability) SP "IMAP4rev2" *(SP capability)
//! capability      = ("AUTH=" auth-type) / atom
//! enable-data     = "ENABLED" *(SP capability)
//! ```
//!
//! Every capability is an atom on the wire, so [`Capability`] converts from
//! and to an [`Atom`]: names are matched case-insensitively, known ones are
//! written in their canonical (upper-case) spelling, unknown ones are kept
//! as sent in [`Capability::Other`].
//!
//! # Case of parameters
//! The parameters of `AUTH=`, `THREAD=` and `QUOTA=RES-` are upper-cased when
//! read: SASL mechanism names are upper-case by definition (RFC 4422 §3.1),
//! and so are the registered threading algorithms and quota resources. The
//! rights of `RIGHTS=` (RFC 4314) are lower-case letters and digits and are
//! kept as sent. The encoder writes every parameter as held, so build these
//! variants with the constructors ([`Capability::auth`], ...) or with
//! upper-case atoms.

use std::fmt;

use crate::core::Atom;
use crate::error::ValidationError;

/// One capability name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Capability {
    /// `IMAP4rev1` (RFC 3501).
    Imap4Rev1,
    /// `IMAP4rev2` (RFC 9051).
    Imap4Rev2,
    /// `STARTTLS` (RFC 9051 §6.2.1).
    StartTls,
    /// `LOGINDISABLED`: LOGIN is refused (RFC 9051 §6.2.3).
    LoginDisabled,
    /// `AUTH=mech`: a SASL mechanism (upper case), e.g. `PLAIN`.
    Auth(Atom),
    /// `SASL-IR`: initial response in AUTHENTICATE (RFC 4959).
    SaslIr,
    /// `IDLE` (RFC 2177).
    Idle,
    /// `NAMESPACE` (RFC 2342).
    Namespace,
    /// `UIDPLUS` (RFC 4315).
    UidPlus,
    /// `MOVE` (RFC 6851).
    Move,
    /// `UNSELECT` (RFC 3691).
    Unselect,
    /// `ID` (RFC 2971).
    Id,
    /// `ENABLE` (RFC 5161).
    Enable,
    /// `LITERAL+`: non-synchronizing literals of any size (RFC 7888).
    LiteralPlus,
    /// `LITERAL-`: non-synchronizing literals up to 4096 bytes (RFC 7888).
    LiteralMinus,
    /// `MULTIAPPEND` (RFC 3502).
    MultiAppend,
    /// `BINARY` (RFC 3516).
    Binary,
    /// `CONDSTORE` (RFC 7162).
    CondStore,
    /// `QRESYNC` (RFC 7162).
    QResync,
    /// `ESEARCH` (RFC 4731).
    ESearch,
    /// `SEARCHRES` (RFC 5182).
    SearchRes,
    /// `WITHIN` (RFC 5032).
    Within,
    /// `SORT` (RFC 5256).
    Sort,
    /// `SORT=DISPLAY` (RFC 5957).
    SortDisplay,
    /// `THREAD=alg`: a threading algorithm (upper case), e.g. `REFERENCES` (RFC 5256).
    Thread(Atom),
    /// `ESORT` (RFC 5267).
    ESort,
    /// `CONTEXT=SEARCH` (RFC 5267).
    ContextSearch,
    /// `CONTEXT=SORT` (RFC 5267).
    ContextSort,
    /// `LIST-EXTENDED` (RFC 5258).
    ListExtended,
    /// `LIST-STATUS` (RFC 5819).
    ListStatus,
    /// `SPECIAL-USE` (RFC 6154).
    SpecialUse,
    /// `CREATE-SPECIAL-USE` (RFC 6154).
    CreateSpecialUse,
    /// `CHILDREN` (RFC 3348).
    Children,
    /// `QUOTA` (RFC 2087, RFC 9208).
    Quota,
    /// `QUOTA=RES-x`: a supported quota resource (upper case), e.g. `STORAGE` (RFC 9208).
    QuotaRes(Atom),
    /// `ACL` (RFC 4314).
    Acl,
    /// `RIGHTS=x`: the extra rights a server implements, e.g. `texk` (RFC 4314).
    Rights(Atom),
    /// `COMPRESS=DEFLATE` (RFC 4978).
    CompressDeflate,
    /// `APPENDLIMIT` or `APPENDLIMIT=n`: the largest message APPEND takes,
    /// when it is the same for every mailbox (RFC 7889).
    AppendLimit(Option<u32>),
    /// `STATUS=SIZE` (RFC 8438).
    StatusSize,
    /// `UTF8=ACCEPT` (RFC 6855).
    Utf8Accept,
    /// `UTF8=ONLY` (RFC 6855).
    Utf8Only,
    /// `XLIST` (Gmail's pre-standard SPECIAL-USE).
    XList,
    /// Any other capability, kept as sent.
    ///
    /// Build known capabilities with their own variant: an `Other` holding a
    /// known name (`Other("IDLE")`) is written the same but reads back as
    /// the known variant.
    Other(Atom),
}

/// The capabilities without parameters, with their canonical names.
const SIMPLE: &[(&str, Capability)] = &[
    ("IMAP4rev1", Capability::Imap4Rev1),
    ("IMAP4rev2", Capability::Imap4Rev2),
    ("STARTTLS", Capability::StartTls),
    ("LOGINDISABLED", Capability::LoginDisabled),
    ("SASL-IR", Capability::SaslIr),
    ("IDLE", Capability::Idle),
    ("NAMESPACE", Capability::Namespace),
    ("UIDPLUS", Capability::UidPlus),
    ("MOVE", Capability::Move),
    ("UNSELECT", Capability::Unselect),
    ("ID", Capability::Id),
    ("ENABLE", Capability::Enable),
    ("LITERAL+", Capability::LiteralPlus),
    ("LITERAL-", Capability::LiteralMinus),
    ("MULTIAPPEND", Capability::MultiAppend),
    ("BINARY", Capability::Binary),
    ("CONDSTORE", Capability::CondStore),
    ("QRESYNC", Capability::QResync),
    ("ESEARCH", Capability::ESearch),
    ("SEARCHRES", Capability::SearchRes),
    ("WITHIN", Capability::Within),
    ("SORT", Capability::Sort),
    ("SORT=DISPLAY", Capability::SortDisplay),
    ("ESORT", Capability::ESort),
    ("CONTEXT=SEARCH", Capability::ContextSearch),
    ("CONTEXT=SORT", Capability::ContextSort),
    ("LIST-EXTENDED", Capability::ListExtended),
    ("LIST-STATUS", Capability::ListStatus),
    ("SPECIAL-USE", Capability::SpecialUse),
    ("CREATE-SPECIAL-USE", Capability::CreateSpecialUse),
    ("CHILDREN", Capability::Children),
    ("QUOTA", Capability::Quota),
    ("ACL", Capability::Acl),
    ("COMPRESS=DEFLATE", Capability::CompressDeflate),
    ("APPENDLIMIT", Capability::AppendLimit(None)),
    ("STATUS=SIZE", Capability::StatusSize),
    ("UTF8=ACCEPT", Capability::Utf8Accept),
    ("UTF8=ONLY", Capability::Utf8Only),
    ("XLIST", Capability::XList),
];

/// The prefixes of the capabilities with a parameter.
const AUTH: &str = "AUTH=";
const THREAD: &str = "THREAD=";
const QUOTA_RES: &str = "QUOTA=RES-";
const RIGHTS: &str = "RIGHTS=";
const APPENDLIMIT: &str = "APPENDLIMIT=";

/// `name` without `prefix` (matched case-insensitively), when the rest is
/// not empty.
fn strip_prefix_no_case<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let head = name.get(..prefix.len())?;
    let rest = &name[prefix.len()..];
    (head.eq_ignore_ascii_case(prefix) && !rest.is_empty()).then_some(rest)
}

/// The atom `rest` of an atom, upper-cased.
fn upper_atom(rest: &str) -> Atom {
    Atom::unvalidated(rest.to_ascii_uppercase())
}

impl Capability {
    /// `AUTH=mech`, the mechanism upper-cased.
    ///
    /// # Errors
    /// Returns [`ValidationError`] when `mechanism` is not an atom.
    pub fn auth(mechanism: &str) -> Result<Self, ValidationError> {
        Atom::try_from(mechanism.to_ascii_uppercase()).map(Self::Auth)
    }

    /// `THREAD=alg`, the algorithm upper-cased.
    ///
    /// # Errors
    /// Returns [`ValidationError`] when `algorithm` is not an atom.
    pub fn thread(algorithm: &str) -> Result<Self, ValidationError> {
        Atom::try_from(algorithm.to_ascii_uppercase()).map(Self::Thread)
    }

    /// `QUOTA=RES-x`, the resource upper-cased.
    ///
    /// # Errors
    /// Returns [`ValidationError`] when `resource` is not an atom.
    pub fn quota_res(resource: &str) -> Result<Self, ValidationError> {
        Atom::try_from(resource.to_ascii_uppercase()).map(Self::QuotaRes)
    }

    /// Reads a capability from its atom, case-insensitively.
    ///
    /// A name that is known but malformed (`AUTH=` with nothing after it,
    /// `APPENDLIMIT=x`) is kept as [`Capability::Other`].
    pub fn from_atom(atom: Atom) -> Self {
        let name = atom.as_str();
        if let Some((_, simple)) = SIMPLE.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            return simple.clone();
        }
        if let Some(mechanism) = strip_prefix_no_case(name, AUTH) {
            return Self::Auth(upper_atom(mechanism));
        }
        if let Some(algorithm) = strip_prefix_no_case(name, THREAD) {
            return Self::Thread(upper_atom(algorithm));
        }
        if let Some(resource) = strip_prefix_no_case(name, QUOTA_RES) {
            return Self::QuotaRes(upper_atom(resource));
        }
        if let Some(rights) = strip_prefix_no_case(name, RIGHTS) {
            return Self::Rights(Atom::unvalidated(rights));
        }
        if let Some(limit) = strip_prefix_no_case(name, APPENDLIMIT) {
            // `number` only: `str::parse` would also take a leading `+`.
            if limit.bytes().all(|b| b.is_ascii_digit()) {
                if let Ok(limit) = limit.parse() {
                    return Self::AppendLimit(Some(limit));
                }
            }
        }
        Self::Other(atom)
    }

    /// The canonical name, for capabilities without a parameter.
    fn simple_name(&self) -> Option<&'static str> {
        SIMPLE.iter().find(|(_, c)| c == self).map(|(n, _)| *n)
    }
}

impl From<Atom> for Capability {
    fn from(atom: Atom) -> Self {
        Self::from_atom(atom)
    }
}

impl fmt::Display for Capability {
    /// Writes the capability as it goes on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Auth(mechanism) => write!(f, "{AUTH}{mechanism}"),
            Self::Thread(algorithm) => write!(f, "{THREAD}{algorithm}"),
            Self::QuotaRes(resource) => write!(f, "{QUOTA_RES}{resource}"),
            Self::Rights(rights) => write!(f, "{RIGHTS}{rights}"),
            Self::AppendLimit(Some(limit)) => write!(f, "{APPENDLIMIT}{limit}"),
            Self::Other(atom) => f.write_str(atom.as_str()),
            simple => f.write_str(simple.simple_name().expect("every other variant is simple")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap(name: &str) -> Capability {
        Capability::from_atom(Atom::try_from(name).unwrap())
    }

    #[test]
    fn simple_names_case_insensitive() {
        assert_eq!(cap("imap4REV1"), Capability::Imap4Rev1);
        assert_eq!(cap("literal+"), Capability::LiteralPlus);
        assert_eq!(cap("Sort=Display"), Capability::SortDisplay);
        assert_eq!(cap("utf8=accept"), Capability::Utf8Accept);
        assert_eq!(cap("APPENDLIMIT"), Capability::AppendLimit(None));
        for (name, capability) in SIMPLE {
            assert_eq!(&cap(name), capability);
            assert_eq!(capability.to_string(), *name);
        }
    }

    #[test]
    fn parameters() {
        assert_eq!(cap("auth=plain"), Capability::auth("PLAIN").unwrap());
        assert_eq!(cap("AUTH=PLAIN").to_string(), "AUTH=PLAIN");
        assert_eq!(cap("thread=references").to_string(), "THREAD=REFERENCES");
        assert_eq!(cap("QUOTA=RES-storage").to_string(), "QUOTA=RES-STORAGE");
        assert_eq!(cap("rights=TEKX").to_string(), "RIGHTS=TEKX");
        assert_eq!(cap("rights=texk").to_string(), "RIGHTS=texk");
        assert_eq!(
            cap("APPENDLIMIT=35651584"),
            Capability::AppendLimit(Some(35_651_584))
        );
        assert_eq!(cap("appendlimit=0").to_string(), "APPENDLIMIT=0");
    }

    #[test]
    fn malformed_known_names_are_other() {
        for name in [
            "AUTH=",
            "THREAD=",
            "QUOTA=RES-",
            "RIGHTS=",
            "APPENDLIMIT=",
            "APPENDLIMIT=+5",
            "APPENDLIMIT=4294967296",
            "APPENDLIMIT=x",
        ] {
            assert_eq!(
                cap(name),
                Capability::Other(Atom::try_from(name).unwrap()),
                "{name}"
            );
            assert_eq!(cap(name).to_string(), name);
        }
    }

    #[test]
    fn unknown_kept_as_sent() {
        assert_eq!(cap("XPIG-LATIN").to_string(), "XPIG-LATIN");
        assert_eq!(cap("Login-Referrals").to_string(), "Login-Referrals");
        assert_eq!(
            cap("COMPRESS=LZ"),
            Capability::Other(Atom::unvalidated("COMPRESS=LZ"))
        );
    }

    #[test]
    fn constructors_refuse_non_atoms() {
        assert!(Capability::auth("SCRAM SHA").is_err());
        assert!(Capability::thread("").is_err());
        assert!(Capability::quota_res("a]").is_err());
    }
}
