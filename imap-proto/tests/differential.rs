//! Differential test: our command parser against imap-codec's.
//!
//! Both parsers see the same ~40 000 frames (systematic combinations per
//! command plus mutations, see `support/corpus.rs`) and must agree on
//! whether each is a valid command. Every known disagreement is in
//! [`ALLOWED`], with the side that accepts and why: either imap-codec lacks
//! an extension we parse, or the RFC grammar refuses what imap-codec takes.
//! An input that differs and matches no entry fails the test, so a parser
//! change that moves the boundary shows up here with the inputs it moved.
//!
//! imap-codec is built strict (`default-features = false`, no `quirk_*`)
//! with the extensions we share enabled; see `Cargo.toml`.

mod support;

use imap_codec::decode::Decoder;
use imapkit_proto::codec::{CommandCodec, Encode};
use regex::bytes::{Regex, RegexBuilder};

/// The parser that accepts an input the other refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Accepts {
    /// Ours accepts, imap-codec refuses.
    Ours,
    /// imap-codec accepts, ours refuses.
    Theirs,
}

/// One explained difference: inputs matching `pattern` (a regex over the
/// whole frame, case-insensitive, `.` matching CR and LF) may be accepted by
/// `accepts` alone.
#[derive(Debug)]
struct Allowed {
    /// Which parser accepts.
    accepts: Accepts,
    /// The inputs it covers.
    pattern: &'static str,
    /// Why the difference is right (or which extension imap-codec lacks).
    why: &'static str,
}

/// The explained differences. Keep each pattern as narrow as the cause.
const ALLOWED: &[Allowed] = &[
    // --- Extensions imap-codec 2.0.0-alpha.10 does not parse. ---
    Allowed {
        accepts: Accepts::Ours,
        pattern: r"^\S+ (SETACL|DELETEACL|GETACL|LISTRIGHTS|MYRIGHTS) ",
        why: "ACL (RFC 4314 §3): imap-codec has no ACL commands",
    },
    Allowed {
        accepts: Accepts::Ours,
        pattern: r"^\S+ XLIST ",
        why: "XLIST (legacy Gmail, same arguments as LSUB): not in imap-codec",
    },
    Allowed {
        accepts: Accepts::Ours,
        pattern: r"^\S+ LIST (.* )?\(",
        why: "LIST-EXTENDED (RFC 5258 §3: selection options, pattern lists, RETURN), \
              LIST-STATUS (RFC 5819), SPECIAL-USE (RFC 6154): imap-codec's LIST command \
              is RFC 3501's only (its ext_list_extended covers responses)",
    },
    Allowed {
        accepts: Accepts::Ours,
        pattern: r"^\S+ CREATE .* \(USE ",
        why: "CREATE-SPECIAL-USE (RFC 6154 §3): not in imap-codec",
    },
    Allowed {
        accepts: Accepts::Ours,
        pattern: r"^\S+ APPEND .*\}\r\n.*\{\d+\+?\}\r\n",
        why: "MULTIAPPEND (RFC 3502 §6): more than one message; imap-codec appends one",
    },
    Allowed {
        accepts: Accepts::Ours,
        pattern: r"[ (,:]\$([ ),:]|\r\n)",
        why: "SEARCHRES (RFC 5182 §2.1): `$` as a sequence set; not in imap-codec",
    },
    Allowed {
        accepts: Accepts::Ours,
        pattern: r"^\S+ (UID )?SEARCH RETURN ",
        why: "ESEARCH (RFC 4731 §3.1) return options, incl. SAVE (RFC 5182) and \
              PARTIAL (RFC 9394): imap-codec has no RETURN",
    },
    Allowed {
        accepts: Accepts::Ours,
        pattern: r"^\S+ (UID )?SORT RETURN ",
        why: "ESORT (RFC 5267 §3): SORT return options; not in imap-codec",
    },
    Allowed {
        accepts: Accepts::Ours,
        pattern: r"^\S+ STATUS .*APPENDLIMIT",
        why: "APPENDLIMIT (RFC 7889 §3) status item: not in imap-codec",
    },
    Allowed {
        accepts: Accepts::Ours,
        pattern: r"\({9}|(NOT ){9}|(OR SEEN ){9}",
        why: "nesting: imap-codec caps search-key recursion at 9 levels, we at \
              NESTING_LIMIT (64); both refuse deeper input, never recurse unbounded",
    },
    // --- Inputs the RFC grammar refuses and imap-codec accepts. ---
    Allowed {
        accepts: Accepts::Theirs,
        pattern: r"(^|[^0-9])0[0-9]",
        why: "leading zeros: RFC 9051 §9 `nz-number = digit-nz *DIGIT` (sequence \
              numbers, section parts, partial lengths; RFC 5032 OLDER/YOUNGER); \
              imap-codec reads any digits (`number` such as LARGER 007 agrees)",
    },
    Allowed {
        accepts: Accepts::Theirs,
        pattern: r"9223372036854775808",
        why: "RFC 7162 §7: `mod-sequence-value` is at most 2^63-1; imap-codec \
              takes any u64",
    },
    Allowed {
        accepts: Accepts::Theirs,
        pattern: r"^\S+ (UID )?(STORE|APPEND) .*\\Recent",
        why: "RFC 3501 §9 `flag` (\"Does not include \\Recent\") and §6.4.6: a \
              client cannot set \\Recent; RFC 9051 §9 drops it; imap-codec reads it \
              as a flag-extension",
    },
    Allowed {
        accepts: Accepts::Theirs,
        pattern: r"^\S+ (UID )?FETCH \S+ \(\)",
        why: "RFC 9051 §9 `fetch`: a list holds at least one fetch-att; imap-codec \
              takes `()`",
    },
    Allowed {
        accepts: Accepts::Theirs,
        pattern: r"^\S+ STATUS .* \(\)\r\n$",
        why: "RFC 9051 §9 `status`: at least one status-att; imap-codec takes `()`",
    },
    Allowed {
        accepts: Accepts::Theirs,
        pattern: r"^\S+ AUTHENTICATE \S+ \r\n$",
        why: "RFC 4959 §3: an empty initial response is sent as `=`; imap-codec \
              takes SP followed by nothing",
    },
];

/// Whether imap-codec accepts `input` as exactly one command.
fn theirs_accepts(input: &[u8]) -> bool {
    // `Incomplete` and `LiteralFound` mean the frame ends early: refused,
    // as our frames are complete by construction.
    matches!(
        imap_codec::CommandCodec::default().decode(input),
        Ok((rest, _)) if rest.is_empty()
    )
}

/// The compiled patterns of [`ALLOWED`], in order.
fn patterns() -> Vec<Regex> {
    ALLOWED
        .iter()
        .map(|allowed| {
            RegexBuilder::new(allowed.pattern)
                .case_insensitive(true)
                .dot_matches_new_line(true)
                .build()
                .unwrap_or_else(|e| panic!("pattern {:?}: {e}", allowed.pattern))
        })
        .collect()
}

#[test]
fn both_parsers_accept_and_refuse_the_same_commands() {
    let corpus = support::corpus::corpus();
    let patterns = patterns();
    let mut used = vec![0usize; ALLOWED.len()];
    let mut unexplained = Vec::new();
    let mut accepted = 0;
    for input in &corpus {
        let ours = CommandCodec::decode(input).is_ok();
        let theirs = theirs_accepts(input);
        accepted += usize::from(ours);
        if ours == theirs {
            continue;
        }
        let side = if ours { Accepts::Ours } else { Accepts::Theirs };
        let entry = ALLOWED
            .iter()
            .zip(&patterns)
            .position(|(allowed, pattern)| allowed.accepts == side && pattern.is_match(input));
        match entry {
            Some(i) => used[i] += 1,
            None => unexplained.push((side, input.escape_ascii().to_string())),
        }
    }
    println!(
        "{} inputs, {accepted} accepted by us; explained differences:",
        corpus.len()
    );
    for (allowed, count) in ALLOWED.iter().zip(&used) {
        println!(
            "  {count:5} {:?} {}\n        {}",
            allowed.accepts, allowed.pattern, allowed.why
        );
    }
    assert!(
        corpus.len() > 10_000,
        "the corpus shrank to {}",
        corpus.len()
    );
    assert!(
        unexplained.is_empty(),
        "{} unexplained differences (add a fix or an ALLOWED entry), first ones:\n{}",
        unexplained.len(),
        unexplained
            .iter()
            .take(40)
            .map(|(side, input)| format!("  {side:?} accepts: {input}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_accepted_command_round_trips() {
    // What we accept, we encode canonically and parse back to the same value.
    for input in support::corpus::corpus() {
        let Ok(command) = CommandCodec::decode(&input) else {
            continue;
        };
        let encoded = command.encode().dump();
        let again = CommandCodec::decode(&encoded).unwrap_or_else(|e| {
            panic!(
                "{} re-encoded as {} does not parse: {e:?}",
                input.escape_ascii(),
                encoded.escape_ascii()
            )
        });
        assert_eq!(command, again, "{}", input.escape_ascii());
    }
}
