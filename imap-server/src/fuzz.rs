//! Entry points for the fuzz targets in `imap-server/fuzz` (feature
//! `fuzzing`): the MIME scanner and the SEARCH evaluator are private, and
//! these two functions reach them with the checks a target makes. Not a
//! stable API; nothing else should turn the feature on.

use imapkit_proto::codec::CommandCodec;
use imapkit_proto::command::CommandBody;

use crate::backend::{Flags, InternalDate};
use crate::mime::MessageInfo;
use crate::search::{self, Candidate, Context, SearchCharset, SearchText};

/// Parses `message` as FETCH does and checks what FETCH relies on: the
/// scan, ENVELOPE and both BODYSTRUCTURE forms never panic, every part's
/// byte ranges lie inside the message, and the metadata cache reads back
/// what it wrote. Also reads `message` itself as a cache entry, which must
/// never panic either (a backend may hand back any bytes).
///
/// # Panics
/// When one of these breaks: a bug.
pub fn mime(message: &[u8]) {
    let _ = MessageInfo::from_bytes(message);
    let info = MessageInfo::parse(message);
    let _ = (
        info.envelope(),
        info.body_structure(true),
        info.body_structure(false),
    );
    let mut paths: Vec<Vec<u32>> = vec![Vec::new()];
    for a in 1..=4 {
        paths.push(vec![a]);
        for b in 1..=4 {
            paths.push(vec![a, b]);
            paths.push(vec![a, b, 1]);
        }
    }
    for path in &paths {
        if let Some(part) = info.part(path) {
            for range in [&part.header, &part.body] {
                assert!(
                    range.start <= range.end && range.end <= message.len(),
                    "part {path:?}: {range:?} outside {} bytes",
                    message.len()
                );
            }
            assert!(part.header.end <= part.body.start, "part {path:?}");
        }
    }
    let cached = MessageInfo::from_bytes(&info.to_bytes());
    assert_eq!(
        cached.as_ref(),
        Some(&info),
        "the cache changed the metadata"
    );
}

/// Evaluates the SEARCH criteria on the first line of `data` against the
/// message in the rest (one message, every flag clear). The evaluator must
/// never panic, whatever the criteria and the message.
pub fn search(data: &[u8]) {
    let (criteria, message) = match data.iter().position(|&b| b == b'\n') {
        Some(end) => (&data[..end], &data[end + 1..]),
        None => (data, &[][..]),
    };
    let mut line = b"a SEARCH ".to_vec();
    line.extend_from_slice(criteria);
    line.extend_from_slice(b"\r\n");
    let Ok(command) = CommandCodec::decode(&line) else {
        return;
    };
    let CommandBody::Search { search, .. } = command.body else {
        return;
    };
    let flags = Flags::new();
    let text = SearchText::new(message);
    let candidate = Candidate {
        seq: 1,
        uid: 7,
        flags: &flags,
        recent: true,
        size: message.len() as u64,
        internal_date: InternalDate::new(1_700_000_000, 60).expect("a valid zone"),
        modseq: 3,
        text: Some(&text),
    };
    let ctx = Context {
        largest_seq: 1,
        largest_uid: 7,
        saved_uids: &[7],
        now: 1_700_000_000,
        charset: SearchCharset::default(),
    };
    let _ = search::run(&search, [candidate], &ctx);
}
