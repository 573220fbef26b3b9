//! The way back to the message behind a row: where it lives (shown in the split view),
//! `p` to read it in `$PAGER`, `|` to pipe it to a command, `S` to save it as `.eml`,
//! `y`/`Y` to copy the recipient or the diagnostic. All of them read the message
//! through the worker that fetches raw messages; none writes to the mailbox.

use crate::source::Origin;

use super::app::{App, Effect, Job, PromptKind};
use super::update::{set_status, start_prompt};

/// Where a record's message lives, in words: a path, an mbox position, an IMAP UID.
pub fn location(origin: &Origin) -> String {
    let text = match origin {
        Origin::File { path, message } if *message > 1 || is_mbox_name(path) => {
            format!("{} (mbox message {message})", path.display())
        }
        Origin::File { path, .. } => path.display().to_string(),
        Origin::Imap { account, folder, uidvalidity, uid } => {
            format!("IMAP {account}/{folder} UID {uid} (UIDVALIDITY {uidvalidity})")
        }
        Origin::Demo { message } => format!("demo mailbox, message {message}"),
    };
    crate::text::clean_line(&text).into_owned()
}

fn is_mbox_name(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("mbox"))
}

/// Ask the worker for the selected message, then do `job` with it.
pub fn fetch(app: &mut App, job: Job) {
    let Some(record) = app.selected() else {
        set_status(app, "no message selected", true);
        return;
    };
    let origin = (*record.origin).clone();
    let what = match &job {
        Job::Pager => "opening the message in the pager...".to_string(),
        Job::Pipe(cmd) => format!("piping the message to {}...", crate::text::clean_line(cmd)),
        Job::Save(path) => format!("saving the message to {}...", path.display()),
    };
    set_status(app, &crate::text::clean_line(&what), false);
    app.effects.push(Effect::Fetch { origin, job });
}

/// Open the prompt for a pipe command or a file name.
pub fn start(app: &mut App, kind: PromptKind) {
    let Some(record) = app.selected() else {
        set_status(app, "no message selected", true);
        return;
    };
    let suggestion = match kind {
        PromptKind::Save => suggested_name(&record.origin),
        _ => String::new(),
    };
    start_prompt(app, kind, &suggestion);
}

/// `bounce-<uid>.eml`, `bounce-<file stem>.eml`: a name that says where it came from.
fn suggested_name(origin: &Origin) -> String {
    let stem = match origin {
        Origin::Imap { uid, .. } => format!("uid{uid}"),
        Origin::File { path, message } => {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            let stem: String = stem
                .unwrap_or_default()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
                .take(40)
                .collect();
            if *message > 1 { format!("{stem}-{message}") } else { stem }
        }
        Origin::Demo { message } => format!("demo{message}"),
    };
    format!("bounce-{stem}.eml")
}

/// `y` / `Y`: the recipient or the diagnostic to the terminal's clipboard (OSC 52),
/// when the config allows it: a terminal may keep the clipboard forever, and some
/// users do not want mail text there without asking for it.
pub fn copy(app: &mut App, diagnostic: bool) {
    let Some(record) = app.selected() else { return };
    let rcpt = record.recipient();
    let text = if diagnostic { rcpt.diagnostic.clone() } else { rcpt.recipient.clone() };
    let text = crate::text::clean_line(&text).into_owned();
    if !app.osc52 {
        set_status(
            app,
            "copying is off: set copy_osc52 = true under [ui] in the config to allow it",
            true,
        );
        return;
    }
    let what = if diagnostic { "diagnostic" } else { "recipient" };
    set_status(app, &format!("copied the {what} ({} characters)", text.chars().count()), false);
    app.effects.push(Effect::Copy(text));
}

/// The OSC 52 sequence that puts `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_the_rfc() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(osc52("a"), "\x1b]52;c;YQ==\x07");
    }

    #[test]
    fn locations_say_where_to_look() {
        let imap = Origin::Imap {
            account: "work".into(),
            folder: "INBOX".into(),
            uidvalidity: 7,
            uid: 42,
        };
        assert_eq!(location(&imap), "IMAP work/INBOX UID 42 (UIDVALIDITY 7)");
        let mbox = Origin::File { path: "/var/mail/bounces".into(), message: 3 };
        assert_eq!(location(&mbox), "/var/mail/bounces (mbox message 3)");
        assert_eq!(suggested_name(&imap), "bounce-uid42.eml");
        assert_eq!(suggested_name(&mbox), "bounce-bounces-3.eml");
    }
}
