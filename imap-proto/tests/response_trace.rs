//! Replays server sides of real and RFC sessions: each stream is cut by the
//! framer in response mode, each frame decoded, re-encoded and compared with
//! the original bytes.

use imapkit_proto::capability::Capability;
use imapkit_proto::codec::frame::{FrameEvent, Framer, FramerLimits, FramerMode};
use imapkit_proto::codec::{Encode, ResponseCodec};
use imapkit_proto::response::{Code, Data, Response, Status, StatusKind};

/// Frames `stream`, decodes every frame and checks that it re-encodes to the
/// same bytes; returns the responses.
#[track_caller]
fn replay(stream: &[u8]) -> Vec<Response> {
    let mut framer = Framer::new(FramerMode::Response, FramerLimits::POST_AUTH);
    framer.push(stream);
    let mut responses = Vec::new();
    while let Some(event) = framer.next_event() {
        let FrameEvent::Frame(frame) = event else {
            panic!("unexpected {event:?}");
        };
        let line = String::from_utf8_lossy(&frame).into_owned();
        let response = ResponseCodec::decode(&frame).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        let encoded = response.encode().dump();
        assert_eq!(String::from_utf8_lossy(&encoded), line);
        responses.push(response);
    }
    assert!(framer.is_idle(), "stream ends mid-response");
    responses
}

/// The server lines of RFC 3501 §8, the sample session.
#[test]
fn rfc3501_sample_session() {
    let header = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n\
                  From: Terry Gray <gray@cac.washington.edu>\r\n\
                  Subject: IMAP4rev1 WG mtg summary and minutes\r\n\
                  To: imap@cac.washington.edu\r\n\
                  cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n\
                  Message-Id: <B27397-0100000@cac.washington.edu>\r\n\
                  MIME-Version: 1.0\r\n\
                  Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\
                  \r\n";
    assert_eq!(header.len(), 342);
    let stream = format!(
        "* OK IMAP4rev1 Service Ready\r\n\
         a001 OK LOGIN completed\r\n\
         * 18 EXISTS\r\n\
         * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n\
         * 2 RECENT\r\n\
         * OK [UNSEEN 17] Message 17 is the first unseen message\r\n\
         * OK [UIDVALIDITY 3857529045] UIDs valid\r\n\
         a002 OK [READ-WRITE] SELECT completed\r\n\
         * 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
         RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
         \"IMAP4rev1 WG mtg summary and minutes\" \
         ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
         ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
         ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
         ((NIL NIL \"imap\" \"cac.washington.edu\")) \
         ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")\
         (\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
         \"<B27397-0100000@cac.washington.edu>\") \
         BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n\
         a003 OK FETCH completed\r\n\
         * 12 FETCH (BODY[HEADER] {{342}}\r\n{header})\r\n\
         a004 OK FETCH completed\r\n\
         * 12 FETCH (FLAGS (\\Seen \\Deleted))\r\n\
         a005 OK +FLAGS completed\r\n\
         * BYE IMAP4rev1 server terminating connection\r\n\
         a006 OK LOGOUT completed\r\n"
    );
    let responses = replay(stream.as_bytes());
    assert_eq!(responses.len(), 16);
    assert!(matches!(
        &responses[7],
        Response::Status(Status::Tagged { kind: StatusKind::Ok, body, .. })
            if body.code == Some(Code::ReadWrite)
    ));
    assert!(matches!(&responses[10], Response::Data(Data::Fetch(_))));
}

/// Untagged data of the extensions, as their RFCs show it.
#[test]
fn extension_data_examples() {
    replay(
        b"* LIST (\\Noselect) \"/\" ~/Mail/foo\r\n\
          * LIST () \".\" INBOX.Sent\r\n\
          * LSUB () \".\" #news.comp.mail.misc\r\n\
          * XLIST (\\HasNoChildren \\Inbox) \"/\" INBOX\r\n\
          * STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n\
          * NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\"))\r\n\
          * NAMESPACE NIL NIL NIL\r\n\
          * ID (\"name\" \"Cyrus\" \"version\" \"1.5\" \"os\" \"sunos\")\r\n\
          * ID NIL\r\n\
          * QUOTA \"\" (STORAGE 10 512)\r\n\
          * QUOTAROOT INBOX \"\"\r\n\
          * ACL INBOX Fred rwipslxetad\r\n\
          * LISTRIGHTS ~/Mail/saved smith la r swicdkxte\r\n\
          * MYRIGHTS INBOX rwiptsldaex\r\n\
          * 1 FETCH (UID 4 MODSEQ (12121231000))\r\n\
          * SEARCH 2 84 882\r\n\
          * SEARCH\r\n\
          * SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)\r\n\
          * ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n\
          * ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800\r\n\
          * ESEARCH (TAG \"A284\")\r\n\
          * SORT 2 3 6\r\n\
          * THREAD (2)(3 6 (4 23)(44 7 96))\r\n",
    );
}

/// Examples of RFC 9051 §7.
#[test]
fn rfc9051_examples() {
    replay(
        b"* OK IMAP4rev2 server ready\r\n\
          * OK [ALERT] System shutdown in 10 minutes\r\n\
          A001 OK LOGIN Completed\r\n\
          * NO Disk is 98% full, please delete unnecessary data\r\n\
          A222 OK COPY completed\r\n\
          A223 NO COPY failed: disk is full\r\n\
          * BAD Command line too long\r\n\
          * BAD Empty command line\r\n\
          * PREAUTH IMAP4rev2 server logged in as Smith\r\n\
          * BYE Autologout; idle for too long\r\n\
          * CAPABILITY IMAP4rev2 STARTTLS AUTH=GSSAPI XPIG-LATIN\r\n\
          * ENABLED CONDSTORE QRESYNC\r\n\
          * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n\
          * 23 EXISTS\r\n\
          * 44 EXPUNGE\r\n\
          + Ready for additional command text\r\n\
          * OK [UIDVALIDITY 3857529045] UIDs valid\r\n\
          * OK [UIDNEXT 4392] Predicted next UID\r\n\
          * OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n\
          * OK [CLOSED] Previous mailbox is now closed\r\n\
          A142 OK [READ-WRITE] SELECT completed\r\n\
          A932 OK [READ-ONLY] EXAMINE completed\r\n\
          * NO [HASCHILDREN] Mailbox has inferior hierarchical names\r\n\
          + YDMGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=\r\n\
          + \r\n",
    );
}

/// Examples of the extensions' RFCs.
#[test]
fn extension_examples() {
    replay(
        // RFC 4315 (UIDPLUS).
        b"A003 OK [APPENDUID 38505 3955] APPEND completed\r\n\
          A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n\
          A005 NO [UIDNOTSTICKY] Non-persistent UIDs\r\n\
          * OK [HIGHESTMODSEQ 715194045007] Highest\r\n\
          * OK [NOMODSEQ] Sorry, this mailbox format doesn't support modsequences\r\n\
          d105 OK [MODIFIED 7,9] Conditional STORE failed\r\n\
          * VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n\
          * VANISHED 405,407,410,425\r\n\
          a NO [COMPRESSIONACTIVE] DEFLATE active via TLS\r\n\
          t1 NO [USEATTR] \\All not supported\r\n\
          a NO [UNKNOWN-CTE] Can't decode x-uuencode\r\n\
          A003 NO [TOOBIG] Message too large\r\n\
          a NO [BADCHARSET (UTF-8)] Unsupported charset\r\n\
          a NO [UNAVAILABLE] User's backend down for maintenance\r\n\
          a NO [AUTHENTICATIONFAILED] Authentication failed\r\n\
          a NO [AUTHORIZATIONFAILED] No such authorization-ID\r\n\
          a NO [EXPIRED] That password isn't valid any more\r\n\
          a NO [PRIVACYREQUIRED] Connection offers no privacy\r\n\
          a NO [CONTACTADMIN] You need to contact the system administrator\r\n\
          a NO [NOPERM] Access denied\r\n\
          a NO [INUSE] Mailbox in use\r\n\
          a OK [EXPUNGEISSUED] Search completed\r\n\
          a NO [CORRUPTION] Cannot open mailbox\r\n\
          a NO [SERVERBUG] UID FETCH server error\r\n\
          a OK [CLIENTBUG] Done\r\n\
          a NO [CANNOT] Adjacent slashes are not supported\r\n\
          a NO [LIMIT] At most 32 flags in one mailbox supported\r\n\
          a NO [OVERQUOTA] Sorry\r\n\
          a NO [ALREADYEXISTS] Mailbox \"that\" already exists\r\n\
          a NO [NONEXISTENT] No such mailbox\r\n\
          a NO [NOTSAVED] Search result not saved\r\n\
          A1 NO [REFERRAL IMAP://user;AUTH=*@SERVER2/] Remote Server\r\n",
    );
}

/// Lines as Dovecot 2.3 sends them.
#[test]
fn dovecot_lines() {
    let responses = replay(
        b"* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.\r\n\
          a OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE] Logged in\r\n\
          * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n\
          * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\r\n\
          * 0 EXISTS\r\n\
          * 0 RECENT\r\n\
          * OK [UIDVALIDITY 1700000000] UIDs valid\r\n\
          * OK [UIDNEXT 1] Predicted next UID\r\n\
          * OK [HIGHESTMODSEQ 1] Highest\r\n\
          a OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n\
          + idling\r\n\
          a NO [AUTHENTICATIONFAILED] Authentication failed.\r\n\
          a NO [NONEXISTENT] Mailbox doesn't exist: foo (0.001 + 0.000 secs).\r\n\
          * OK [CLOSED] Previous mailbox closed.\r\n\
          a BAD Error in IMAP command received by server.\r\n\
          * BYE Logging out\r\n\
          a OK Logout completed (0.001 + 0.000 secs).\r\n",
    );
    let Response::Status(greeting) = &responses[0] else {
        panic!("greeting is a status");
    };
    let Some(Code::Capability(capabilities)) = greeting.code() else {
        panic!("greeting has capabilities");
    };
    assert_eq!(capabilities.as_slice().len(), 9);
    assert!(capabilities.iter().any(|c| *c == Capability::LiteralPlus));
    assert!(capabilities
        .iter()
        .any(|c| *c == Capability::auth("PLAIN").unwrap()));
}
