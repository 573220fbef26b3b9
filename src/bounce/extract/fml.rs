//! fml, the mailing-list manager (`X-MLServer: fml ...`): it answers a post it will not
//! distribute with a short notice whose first paragraph names the list in angle brackets
//! ("You are not a member of this mailing list <list@example.org>.", "Duplicated
//! Message-ID in <list@example.org>."). The list is the recipient that refused the
//! message, and that paragraph says why; the rest is help text and a quoted copy.

use super::addr::find_all;
use super::{Found, Notice};
use crate::bounce::model::RecipientStatus;

pub fn read(n: &Notice<'_>) -> Option<Found> {
    let from_fml = n
        .headers
        .get("x-mlserver")
        .is_some_and(|v| v.trim_start().get(..3).is_some_and(|w| w.eq_ignore_ascii_case("fml")));
    if !from_fml {
        return None;
    }
    // Line endings are already `\n` here (the MIME walk normalises them).
    for paragraph in n.text.split("\n\n") {
        let sentence = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some((start, _, list)) = find_all(&sentence).into_iter().next() else { continue };
        if !sentence[..start].ends_with('<') {
            continue;
        }
        let mut r = RecipientStatus::new(list);
        r.diagnostic = sentence.clone();
        return Some(Found { format: "fml", recipients: vec![r], ..Found::default() });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::testing::first_reader_of;

    #[test]
    fn the_list_that_refused_the_post_is_the_recipient() {
        let found = first_reader_of("bsd", "lhost-fml-02.eml", "fml");
        let r = &found.recipients[0];
        assert_eq!(r.recipient, "neko-nyaan@example.org");
        assert_eq!(
            r.diagnostic,
            "You are not a member of this mailing list <neko-nyaan@example.org>."
        );

        let found = first_reader_of("bsd", "lhost-fml-03.eml", "fml");
        assert_eq!(found.recipients.len(), 1);
        assert_eq!(found.recipients[0].recipient, "neko@example.co.jp");
        assert!(found.recipients[0].diagnostic.starts_with("Duplicated Message-ID"));
    }
}
