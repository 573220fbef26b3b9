//! The guidance pane: the verdict on the selected recipient (hard or soft, and the
//! advice on resending, first), then the catalog entry that explains it — what it
//! means, who must fix it, what to do — and the evidence: why that entry and verdict,
//! and the engine rule that read the reason.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::catalog::{Catalog, FixOwner, MatchKind, Retry};
use crate::tui::app::{App, Pane};

use super::pane::{block, field, wrap};
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
        Retry::NotNeeded => "nothing to resend: the message arrived",
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
        MatchKind::ReportKind => "the kind of report (no code)",
        MatchKind::Reason => "the reason found (no code)",
        MatchKind::Fallback => "nothing (no entry fits)",
    }
}

impl Widget for &GuidancePane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let t = &app.theme;
        let Some(record) = app.selected() else { return };
        let rcpt = record.recipient();
        let v = crate::verdict::decide(&record.report, rcpt, Catalog::active());
        let e = v.entry;
        let title = format!("guidance ({}: {})", safe(&e.key), safe(&e.title));
        let width = area.width.saturating_sub(2) as usize;
        let mut lines: Vec<Line> = Vec::new();
        if record.kind() == crate::bounce::Kind::Bounce
            && rcpt.reason != crate::bounce::Reason::Feedback
        {
            let verdict = if v.hard {
                "hard: the address is dead, do not send to it again"
            } else {
                "soft: the address can receive mail once the cause is gone"
            };
            lines.extend(field("Verdict", verdict, LABEL, width, t));
        }
        lines.extend(field("Retry", retry(v.retry), LABEL, width, t));
        lines.extend(wrap(&safe(&e.meaning), width).into_iter().map(Line::raw));
        if let Some(row) = v.provider_code {
            lines.extend(field("Provider", &safe(&row.meaning), LABEL, width, t));
        }
        let owners: Vec<&str> = e.fix_owner.iter().map(|o| owner(*o)).collect();
        lines.extend(field("Who fixes", &owners.join(", "), LABEL, width, t));
        let lists = [("Sender", &e.sender_steps), ("Admin", &e.admin_steps), ("Causes", &e.causes)];
        for (label, items) in lists {
            for (i, item) in items.iter().enumerate() {
                let label = if i == 0 { label } else { "" };
                lines.extend(field(label, &format!("• {}", safe(item)), LABEL, width, t));
            }
        }
        if let Some(r) = &e.reference {
            lines.extend(field("Reference", &safe(r), LABEL, width, t));
        }
        lines.extend(field("Chosen by", &safe(&v.because), LABEL, width, t));
        if !rcpt.why.is_empty() {
            let rule = if rcpt.rule.is_empty() {
                safe(&rcpt.why).into_owned()
            } else {
                format!("{} ({})", safe(&rcpt.why), safe(&rcpt.rule))
            };
            lines.extend(field("Reason", &rule, LABEL, width, t));
        }
        Paragraph::new(lines)
            .block(block(title, app.focus == Pane::Guidance, t, area.width))
            .wrap(Wrap { trim: false })
            .scroll((app.pane_scroll[Pane::Guidance.scroll_slot()], 0))
            .render(area, buf);
    }
}
