//! The guidance pane: the catalog's entry for the selected recipient: what it means,
//! who must fix it, what to do, whether to retry, and how the entry was chosen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::catalog::{Catalog, FixOwner, MatchKind, Query, Retry};
use crate::tui::app::{App, Pane};

use super::pane::{block, field};
use super::text::safe;

pub struct GuidancePane<'a> {
    pub app: &'a App,
}

const LABEL: usize = 12;

pub fn owner(o: FixOwner) -> &'static str {
    match o {
        FixOwner::Sender => "the sender",
        FixOwner::SenderAdmin => "the sender's mail admin",
        FixOwner::Recipient => "the recipient",
        FixOwner::RecipientAdmin => "the recipient's mail admin",
        FixOwner::Provider => "the mail provider",
    }
}

pub fn retry(r: Retry) -> &'static str {
    match r {
        Retry::RetryLater => "temporary: the same message may go through later",
        Retry::FixThenResend => "fix the cause first, then resend",
        Retry::DoNotRetry => "do not retry: remove or correct the address",
    }
}

pub fn matched(m: MatchKind) -> &'static str {
    match m {
        MatchKind::ProviderText => "the provider's wording",
        MatchKind::ProviderCode => "the provider's own code",
        MatchKind::ExactCode => "the exact code",
        MatchKind::Range => "a code range",
        MatchKind::SubjectClass => "the code's subject (x.y.*)",
        MatchKind::Class => "the code's class only",
        MatchKind::ReplyCode => "the SMTP reply code",
        MatchKind::Fallback => "nothing (no entry fits)",
    }
}

impl Widget for &GuidancePane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = &app.theme;
        let Some(record) = app.selected() else { return };
        let rcpt = record.recipient();
        let g = Catalog::builtin().guidance(&Query::for_recipient(&record.report, rcpt));
        let e = g.entry;
        let title = format!("guidance ({}: {})", safe(&e.key), safe(&e.title));
        let mut lines = vec![Line::raw(safe(&e.meaning).into_owned())];
        let owners: Vec<&str> = e.fix_owner.iter().map(|o| owner(*o)).collect();
        lines.push(field("Who fixes", owners.join(", "), LABEL, t));
        lines.push(field("Retry", retry(e.retry).to_string(), LABEL, t));
        for (label, steps) in [("Sender", &e.sender_steps), ("Admin", &e.admin_steps)] {
            for (i, step) in steps.iter().enumerate() {
                let label = if i == 0 { label } else { "" };
                lines.push(field(label, format!("• {}", safe(step)), LABEL, t));
            }
        }
        if !e.causes.is_empty() {
            let causes: Vec<String> = e.causes.iter().map(|c| safe(c).into_owned()).collect();
            lines.push(field("Causes", causes.join("; "), LABEL, t));
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{:<LABEL$} ", "Matched"), t.label),
            Span::styled(format!("entry {} by {}", safe(&e.key), matched(g.matched_by)), t.dim),
        ]));
        if let Some(r) = &e.reference {
            lines.push(field("Reference", safe(r).into_owned(), LABEL, t));
        }
        if !rcpt.why.is_empty() {
            lines.push(field("Verdict why", safe(&rcpt.why).into_owned(), LABEL, t));
        }
        Paragraph::new(lines)
            .block(block(title, app.focus == Pane::Guidance, t))
            .wrap(Wrap { trim: false })
            .scroll((app.pane_scroll[Pane::Guidance.scroll_slot()], 0))
            .render(area, buf);
    }
}
