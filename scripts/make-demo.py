#!/usr/bin/env python3
"""Build assets/demo/demo.mbox: rebound's embedded demo mailbox.

Every message is made up here (example.com/.org/.net people, invented texts). Each
format follows the *structure* real MTAs use (where the DSN part sits, which marker
line starts the quoted original, which headers they add) so the engine meets the
same shapes it meets in the wild; the prose is ours.

The story: Lantern Books (example.com) sends order mail and a newsletter from
app servers through its own relay, and staff mail through Microsoft 365. Between
October and November 2026 its postmaster mailbox collected these reports.

Run:  python3 scripts/make-demo.py        (writes assets/demo/demo.mbox)
The output is deterministic: same script, same bytes.
"""

import base64
import datetime as dt
import email.utils
import os
import sys

OUT = os.path.join(os.path.dirname(__file__), "..", "assets", "demo", "demo.mbox")

UTC = dt.timezone.utc


def tz(hours, minutes=0):
    return dt.timezone(dt.timedelta(hours=hours, minutes=minutes))


def at(day, hh, mm, ss=0, zone=UTC, month=10):
    """A time in 2026; `day` may run past the month end (Oct 35 = Nov 4)."""
    base = dt.datetime(2026, month, 1, hh, mm, ss, tzinfo=zone)
    return base + dt.timedelta(days=day - 1)


def rfc(t):
    """RFC 5322 date."""
    return t.strftime("%a, %d %b %Y %H:%M:%S %z")


def b64word(text):
    return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="


# --------------------------------------------------------------------------------
# The original message: Received hops (oldest first) and headers


class Hop:
    def __init__(self, frm, by, with_, ident, when, tls=True, for_=None, extra=""):
        self.frm, self.by, self.with_, self.ident = frm, by, with_, ident
        self.when, self.tls, self.for_, self.extra = when, tls, for_, extra

    def header(self):
        parts = []
        if self.frm:
            parts.append(f"from {self.frm}")
        if self.extra:
            parts.append(self.extra)
        parts.append(f"by {self.by}")
        parts.append(f"with {self.with_}")
        parts.append(f"id {self.ident}")
        if self.for_:
            parts.append(f"for <{self.for_}>")
        text = "\n\t".join(parts)
        return f"Received: {text}; {rfc(self.when)}"


def relay_chain(sent, rcpt, rcpt_mx, skew=0, plain_hop=False, app="app02", qid="4Q8"):
    """The usual path of Lantern Books' mail: app server -> relay -> recipient MX.
    `skew` seconds shifts the recipient MX's clock (negative = behind)."""
    t1 = sent + dt.timedelta(seconds=1)
    t2 = sent + dt.timedelta(seconds=3)
    t3 = sent + dt.timedelta(seconds=5 + skew)
    hops = [
        Hop(f"{app}.internal.example.com ({app}.internal.example.com [10.20.0.12])",
            "relay1.example.com (Postfix)", "ESMTPS", f"{qid}Kx1Lm2z", t1,
            extra="(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))"),
        Hop("relay1.example.com (relay1.example.com [198.51.100.25])", "relay2.example.com (Postfix)",
            "SMTP" if plain_hop else "ESMTPS", f"{qid}Lp7Qr9", t2, tls=not plain_hop),
    ]
    if rcpt_mx:
        hops.append(Hop("relay2.example.com (relay2.example.com [198.51.100.26])", rcpt_mx,
                        "ESMTPS", "r9X2aB7Tz", t3, for_=rcpt))
    return hops


def original(sender, to, subject, sent, hops, msgid, body="", extra_headers=()):
    lines = [h.header() for h in reversed(hops)]
    lines += [
        "Authentication-Results: relay2.example.com; spf=pass smtp.mailfrom=example.com;",
        "\tdkim=pass header.d=example.com; dmarc=pass header.from=example.com",
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Date: {rfc(sent)}",
        f"Message-ID: <{msgid}>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        *extra_headers,
    ]
    text = "\n".join(lines) + "\n"
    if body:
        text += "\n" + body.rstrip("\n") + "\n"
    return text


# --------------------------------------------------------------------------------
# Building blocks of reports


def dsn(reporting_mta, recipients, arrival=None, extra=()):
    """A message/delivery-status body (RFC 3464)."""
    out = [f"Reporting-MTA: dns; {reporting_mta}", *extra]
    if arrival:
        out.append(f"Arrival-Date: {rfc(arrival)}")
    for r in recipients:
        out.append("")
        if r.get("original"):
            out.append(f"Original-Recipient: rfc822;{r['original']}")
        out.append(f"Final-Recipient: rfc822; {r['to']}")
        out.append(f"Action: {r.get('action', 'failed')}")
        out.append(f"Status: {r['status']}")
        if r.get("remote"):
            out.append(f"Remote-MTA: dns; {r['remote']}")
        if r.get("diag"):
            out.append(f"Diagnostic-Code: {r.get('dtype', 'smtp')}; {r['diag']}")
        if r.get("last"):
            out.append(f"Last-Attempt-Date: {rfc(r['last'])}")
        if r.get("until"):
            out.append(f"Will-Retry-Until: {rfc(r['until'])}")
    return "\n".join(out) + "\n"


def multipart(boundary, parts, report_type="delivery-status"):
    out = ["This is a MIME-encapsulated message.", ""]
    for ctype, body in parts:
        out.append(f"--{boundary}")
        out.append(ctype)
        out.append("")
        out.append(body.rstrip("\n"))
        out.append("")
    out.append(f"--{boundary}--")
    return "\n".join(out) + "\n"


def message(headers, body, ctype=None):
    lines = list(headers)
    if ctype:
        lines.append("MIME-Version: 1.0")
        lines.append(ctype)
    return "\n".join(lines) + "\n\n" + body


def bounce_received(by, frm, when, ident):
    return (f"Received: from {frm}\n\tby {by} with ESMTPS id {ident}\n"
            f"\tfor <postmaster@example.com>; {rfc(when)}")


# --------------------------------------------------------------------------------
# Formats. Each returns the raw message text.

NEWS = "Lantern Books <news@example.com>"
ORDERS = "Lantern Books Orders <orders@example.com>"
STAFF = {
    "mira": "Mira Okafor <mira.okafor@example.com>",
    "tomas": "Tomas Lindqvist <tomas.lindqvist@example.com>",
    "ines": "Ines Duarte <ines.duarte@example.com>",
}


def postfix(n, when, rcpts, orig, subject="Undelivered Mail Returned to Sender",
            host="relay2.example.com", delayed=False, headers_only=False):
    boundary = f"B{n:03}.1761{n:04}/{host}"
    if delayed:
        intro = (f"This is the mail system at host {host}.\n\n"
                 "####################################################################\n"
                 "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
                 "####################################################################\n\n"
                 "Your message could not be handed over yet. The relay keeps trying and\n"
                 "will tell you again if it finally gives up.\n\n"
                 "                   The mail system\n")
    else:
        intro = (f"This is the mail system at host {host}.\n\n"
                 "Your message could not be delivered to one or more recipients and\n"
                 "has been returned. The details are below; the delivery report part\n"
                 "carries the same facts in machine-readable form.\n\n"
                 "For help, write to postmaster@example.com and attach this message.\n\n"
                 "                   The mail system\n")
    for r in rcpts:
        intro += f"\n<{r['to']}>: {r.get('human', r.get('diag', ''))}\n"
    parts = [
        ("Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii", intro),
        ("Content-Description: Delivery report\nContent-Type: message/delivery-status",
         dsn(host, rcpts, arrival=when - dt.timedelta(minutes=3),
             extra=[f"X-Postfix-Queue-ID: 4Q{n:02}Zb3kLw", "X-Postfix-Sender: rfc822; news@example.com"])),
        ("Content-Description: " + ("Undelivered Message Headers\nContent-Type: text/rfc822-headers"
                                    if headers_only else "Undelivered Message\nContent-Type: message/rfc822"),
         orig),
    ]
    hdrs = [
        bounce_received("mail.example.com (Postfix)", f"{host} ({host} [198.51.100.26])", when, f"4Q{n:02}Mb"),
        f"Date: {rfc(when)}",
        f"From: MAILER-DAEMON@{host} (Mail Delivery System)",
        f"Subject: {subject}",
        "To: postmaster@example.com",
        "Auto-Submitted: auto-replied",
        f"Message-Id: <20261{n:03}.4Q{n:02}Zb3kLw@{host}>",
    ]
    ctype = f'Content-Type: multipart/report; report-type=delivery-status;\n\tboundary="{boundary}"'
    return message(hdrs, multipart(boundary, parts), ctype)


def exim(n, when, failures, orig, host="mx.example.net", temporary=False):
    """failures: list of (address, explanation lines)."""
    if temporary:
        body = ("This message was created automatically by mail delivery software.\n\n"
                "A message that you sent has not yet been delivered to one or more of its\n"
                "recipients after more than 24 hours on the queue on " + host + ".\n\n"
                "The message identifier is:     1vQ" + f"{n:03}" + "-00Ab7K-3F\n"
                "The subject of the message is: " + orig_subject(orig) + "\n\n"
                "The address to which the message has not yet been delivered is:\n\n")
    else:
        body = ("This message was created automatically by mail delivery software.\n\n"
                "A message that you sent could not be delivered to one or more of its\n"
                "recipients. This is a permanent error. The following address(es) failed:\n\n")
    for addr, lines in failures:
        body += f"  {addr}\n" + "".join(f"    {ln}\n" for ln in lines) + "\n"
    if temporary:
        body += "No action is required on your part. Delivery attempts will continue.\n\n"
    body += "------ This is a copy of the message, including all the headers. ------\n\n" + orig
    hdrs = [
        bounce_received("mail.example.com (Postfix)", f"{host} ({host} [203.0.113.40])", when, f"E{n:03}x"),
        f"Received: from mail by {host} with local (Exim 4.98)\n\tid 1vQ{n:03}-00Ab7K-3F; {rfc(when)}",
        f"X-Failed-Recipients: {', '.join(a for a, _ in failures)}",
        "Auto-Submitted: auto-replied",
        f"From: Mail Delivery System <Mailer-Daemon@{host}>",
        "To: news@example.com",
        "Content-Type: text/plain; charset=us-ascii",
        "Subject: " + ("Warning: message 1vQ%03d-00Ab7K-3F delayed 24 hours" % n
                       if temporary else "Mail delivery failed: returning message to sender"),
        f"Message-Id: <E1vQ{n:03}-00Ab7K-3F@{host}>",
        f"Date: {rfc(when)}",
    ]
    return message(hdrs, body)


def orig_subject(orig):
    for line in orig.splitlines():
        if line.startswith("Subject: "):
            return line[9:]
    return ""


def qmail(n, when, failures, orig, host="mail.example.org"):
    body = (f"Hi. This is the qmail-send program at {host}.\n"
            "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
            "This is a permanent error; I've given up. Sorry it didn't work out.\n\n")
    for addr, text in failures:
        body += f"<{addr}>:\n{text}\n\n"
    body += "--- Below this line is a copy of the message.\n\n" + orig
    hdrs = [
        bounce_received("mail.example.com (Postfix)", f"{host} ({host} [192.0.2.77])", when, f"Q{n:03}q"),
        f"Date: {when.strftime('%d %b %Y %H:%M:%S')} -0000",
        f"From: MAILER-DAEMON@{host}",
        "To: news@example.com",
        "Subject: failure notice",
        f"Message-ID: <{n}.qmail.1761{n:04}@{host}>",
    ]
    return message(hdrs, body)


def gmail(n, when, r, orig, headline, explanation):
    boundary = f"000000000000{n:04}b1f0c2d3e4"
    text = (f"** {headline} **\n\n{explanation}\n\n"
            f"The response from the remote server was:\n{r['diag']}\n")
    parts = [
        ("Content-Type: text/plain; charset=\"UTF-8\"", text),
        ("Content-Type: message/delivery-status",
         dsn("googlemail.com", [r], extra=[f"Received-From-MTA: dns; mail-sor-f41.google.com"],
             arrival=when - dt.timedelta(seconds=2))),
        ("Content-Type: text/rfc822-headers", orig),
    ]
    hdrs = [
        "Received: by 2002:a05:6a10:8c4e:b0:5c1:2a7:9d1e with SMTP id x14csp88{0:03}pxb;\n\t{1}".format(n, rfc(when)),
        "Return-Path: <>",
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
        "To: mira.okafor@example.com",
        f"X-Failed-Recipients: {r['to']}",
        "Subject: Delivery Status Notification (Failure)",
        f"Message-ID: <65f1{n:04}.050a0220.3b7c.9{n:03}.GMR@mx.google.com>",
        f"Date: {rfc(when)}",
        "Auto-Submitted: auto-replied",
    ]
    ctype = f'Content-Type: multipart/report; boundary="{boundary}"; report-type=delivery-status'
    return message(hdrs, multipart(boundary, parts), ctype)


def exchange(n, when, r, orig, user_text, server, provider="office365", subject_prefix="Undeliverable"):
    """Microsoft 365 / Exchange NDR: a friendly part, 'Diagnostic information for
    administrators', the DSN, then the original headers."""
    boundary = f"_{n:03}_DM6PR04MB{n:04}namprd04prod_"
    text = (f"{user_text}\n\n"
            f"Diagnostic information for administrators:\n\n"
            f"Generating server: {server}\n\n"
            f"{r['to']}\n"
            f"Remote server returned '{r['diag']}'\n\n"
            f"Original message headers:\n\n{orig}")
    parts = [
        ("Content-Type: text/plain; charset=\"us-ascii\"", text),
        ("Content-Type: message/delivery-status", dsn(server, [r], arrival=when - dt.timedelta(seconds=4))),
        ("Content-Type: message/rfc822", orig),
    ]
    hdrs = [
        bounce_received("mail.example.com (Postfix)",
                        f"NAM12-DM6-obe.outbound.protection.outlook.com (mail-dm6nam12on2100.outbound.protection.outlook.com [40.107.243.100])",
                        when + dt.timedelta(seconds=2), f"X{n:03}e"),
        "From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com>" if provider == "office365"
        else "From: postmaster@outlook.com",
        f"To: {STAFF['tomas']}",
        f"Date: {rfc(when)}",
        f"Subject: {subject_prefix}: {orig_subject(orig)}",
        "Content-Language: en-US",
        f"Message-ID: <{n:08x}-7a1c-4f0e-9b2d-{n:012x}@{server}>",
        "X-MS-Exchange-Message-Is-Ndr:",
        "Auto-Submitted: auto-replied",
    ]
    ctype = f'Content-Type: multipart/report; report-type=delivery-status;\n\tboundary="{boundary}"'
    return message(hdrs, multipart(boundary, parts), ctype)


def yahoo(n, when, addr, said, orig):
    body = ("Sorry, we were unable to deliver your message to the following address.\n\n"
            f"<{addr}>:\nRemote host said: {said}\n\n"
            "--- Below this line is a copy of the message.\n\n" + orig)
    hdrs = [
        bounce_received("mail.example.com (Postfix)", "sonic301-21.consmr.mail.ne1.yahoo.com (sonic301-21.consmr.mail.ne1.yahoo.com [66.163.184.190])",
                        when, f"Y{n:03}y"),
        "From: MAILER-DAEMON@yahoo.com",
        "To: ines.duarte@example.com",
        "Subject: Failure Notice",
        f"Date: {rfc(when)}",
        f"Message-ID: <{n}.yahoo.bounce.1761{n:04}@sonic301-21.consmr.mail.ne1.yahoo.com>",
    ]
    return message(hdrs, body)


def ses(n, when, r, orig):
    boundary = f"SES{n:04}.a7c2e9b1"
    text = (f"An error occurred while trying to deliver the mail to the following recipients:\n"
            f"{r['to']}\n")
    parts = [
        ("Content-Type: text/plain; charset=UTF-8", text),
        ("Content-Type: message/delivery-status",
         dsn("a9-35.smtp-out.eu-west-1.amazonses.com", [r], arrival=when - dt.timedelta(seconds=1),
             extra=["X-Amazon-Message-Id: 0102019a" + f"{n:04}" + "c7e1d2a4-0000"])),
        ("Content-Type: text/rfc822-headers", orig),
    ]
    hdrs = [
        bounce_received("mail.example.com (Postfix)", "a9-35.smtp-out.eu-west-1.amazonses.com (a9-35.smtp-out.eu-west-1.amazonses.com [54.240.9.35])",
                        when, f"S{n:03}s"),
        "From: MAILER-DAEMON@eu-west-1.amazonses.com",
        "To: orders@example.com",
        "Subject: Delivery Status Notification (Failure)",
        f"Date: {rfc(when)}",
        f"Message-ID: <0102019a{n:04}-ses-bounce@eu-west-1.amazonses.com>",
        "X-SES-Outgoing: 2026.10.01-54.240.9.35",
    ]
    ctype = f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"'
    return message(hdrs, multipart(boundary, parts), ctype)


def autoreply(n, when, who, subject, text, orig_subject_):
    hdrs = [
        bounce_received("mail.example.com (Postfix)", "mx1.example.org (mx1.example.org [192.0.2.10])", when, f"A{n:03}a"),
        f"From: {who}",
        "To: news@example.com",
        f"Subject: {subject}: {orig_subject_}",
        f"Date: {rfc(when)}",
        f"Message-ID: <auto.{n}@example.org>",
        "Auto-Submitted: auto-replied",
        "X-Autoreply: yes",
        "Precedence: auto_reply",
        "Content-Type: text/plain; charset=utf-8",
    ]
    return message(hdrs, text)


def arf(n, when, orig, source_ip):
    boundary = f"ARF{n:04}_fbl"
    human = ("This is an email abuse report for an email message received from IP\n"
             f"{source_ip} on {rfc(when - dt.timedelta(hours=5))}.\n"
             "A user of our service marked the attached message as spam.\n")
    fb = ("Feedback-Type: abuse\n"
          "User-Agent: ExampleFBL/2.1\n"
          "Version: 1\n"
          "Original-Mail-From: <bounces+2211@example.com>\n"
          "Original-Rcpt-To: <paul.moreau@example.net>\n"
          f"Arrival-Date: {rfc(when - dt.timedelta(hours=5))}\n"
          "Reporting-MTA: dns; fbl.example.net\n"
          f"Source-IP: {source_ip}\n"
          "Authentication-Results: fbl.example.net; spf=pass smtp.mailfrom=example.com; dkim=pass header.d=example.com\n"
          "Reported-Domain: example.com\n")
    parts = [
        ("Content-Type: text/plain; charset=us-ascii", human),
        ("Content-Type: message/feedback-report", fb),
        ("Content-Type: message/rfc822", orig),
    ]
    hdrs = [
        bounce_received("mail.example.com (Postfix)", "fbl.example.net (fbl.example.net [203.0.113.9])", when, f"F{n:03}f"),
        "From: Feedback Loop <fbl@example.net>",
        "To: abuse@example.com",
        "Subject: Abuse report for a message from example.com",
        f"Date: {rfc(when)}",
        f"Message-ID: <fbl.{n}@fbl.example.net>",
    ]
    ctype = f'Content-Type: multipart/report; report-type=feedback-report;\n\tboundary="{boundary}"'
    return message(hdrs, multipart(boundary, parts), ctype)


def ordinary(n, when, frm, to, subject, body):
    hdrs = [
        bounce_received("mail.example.com (Postfix)", "mx1.example.org (mx1.example.org [192.0.2.10])", when, f"O{n:03}o"),
        f"From: {frm}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Date: {rfc(when)}",
        f"Message-ID: <note.{n}@example.org>",
        "Content-Type: text/plain; charset=utf-8",
    ]
    return message(hdrs, body)


# --------------------------------------------------------------------------------
# The mailbox


def news(day, to, mx=None, issue="October", skew=0, plain_hop=False, full=True):
    sent = at(day, 7, 30, zone=tz(2) if day < 26 else tz(1))
    subj = f"Lantern Books {issue} picks: five novels for long evenings"
    body = ("Hello,\n\nThis month our booksellers chose five novels for long evenings.\n"
            "From Autumn onwards, members get free shipping.\n\nLantern Books\n") if full else ""
    return sent, original(NEWS, to, subj, sent, relay_chain(sent, to, mx, skew, plain_hop),
                          f"news-{day}-{abs(hash_str(to))}@example.com", body,
                          extra_headers=["List-Unsubscribe: <mailto:unsubscribe@example.com>"])


def order(day, to, mx=None, number=0, hh=14):
    sent = at(day, hh, 12, zone=tz(2) if day < 26 else tz(1))
    subj = f"Your order LB-{number} has shipped"
    return sent, original(ORDERS, to, subj, sent, relay_chain(sent, to, mx, app="app01", qid="4R1"),
                          f"order-{number}@example.com",
                          f"Your order LB-{number} left our warehouse today.\n")


def staff(day, who, to, subject, hh=10):
    sent = at(day, hh, 5, zone=tz(2) if day < 26 else tz(1))
    hops = [
        Hop("PH0PR04MB7{0:03}.namprd04.prod.outlook.com (2603:10b6:510:1b::{0})".format(day),
            "SA1PR04MB8{0:03}.namprd04.prod.outlook.com (2603:10b6:806:1c2::{0})".format(day),
            "Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)",
            f"15.20.8901.{day}", sent + dt.timedelta(seconds=1)),
    ]
    return sent, original(STAFF[who], to, subject, sent, hops, f"{who}.{day}.{hh}@example.com",
                          "Hi,\n\nplease see below.\n\nBest regards\n")


def hash_str(s):
    h = 0
    for c in s.encode():
        h = (h * 131 + c) % 1_000_003
    return h


def build():
    m = []  # list of (envelope sender, date, text)

    def add(sender, when, text):
        m.append((sender, when, text))

    # --- Postfix relay: standard DSNs -----------------------------------------
    s, o = news(5, "amelia.hart@example.org", "mx1.example.org (Postfix)")
    add("MAILER-DAEMON", s, postfix(1, s + dt.timedelta(seconds=9), [
        dict(to="amelia.hart@example.org", status="5.1.1", remote="mx1.example.org",
             diag="550 5.1.1 <amelia.hart@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
             human="host mx1.example.org[192.0.2.10] said: 550 5.1.1 <amelia.hart@example.org>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)")],
        o))

    s, o = news(5, "k.brandt@example.net", None)
    add("MAILER-DAEMON", s, postfix(2, s + dt.timedelta(seconds=4), [
        dict(to="k.brandt@example.net", status="5.4.4", dtype="X-Postfix",
             diag="Host or domain name not found. Name service error for name=mail.example.net type=AAAA: Host not found",
             human="Host or domain name not found. Name service error for name=mail.example.net type=AAAA: Host not found")],
        o, headers_only=True))

    # two recipients in one report: one full mailbox (soft), one unknown (hard)
    s, o = order(7, "lena.fischer@example.org", "mx2.example.org (Postfix)", number=40112)
    add("MAILER-DAEMON", s, postfix(3, s + dt.timedelta(seconds=7), [
        dict(to="lena.fischer@example.org", status="5.2.2", remote="mx2.example.org",
             diag="552 5.2.2 <lena.fischer@example.org>: Mailbox full: quota of 2048 MB exceeded",
             human="host mx2.example.org[192.0.2.11] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command)"),
        dict(to="lena.f@example.org", status="5.1.1", remote="mx2.example.org",
             diag="550 5.1.1 <lena.f@example.org>: Recipient address rejected: No such user here",
             original="lena.f@example.org")],
        o))

    # delay notice (Postfix warns after 4 hours)
    s, o = news(8, "sam.ito@example.net", None, issue="October")
    add("MAILER-DAEMON", s, postfix(4, s + dt.timedelta(hours=4, minutes=2), [
        dict(to="sam.ito@example.net", action="delayed", status="4.4.1", remote="mx.example.net",
             diag="connect to mx.example.net[203.0.113.25]:25: Connection timed out", dtype="X-Postfix",
             until=s + dt.timedelta(days=5),
             human="connect to mx.example.net[203.0.113.25]:25: Connection timed out")],
        o, subject="Delayed Mail (still being retried)", delayed=True, headers_only=True))

    # gives up after five days
    add("MAILER-DAEMON", s, postfix(5, s + dt.timedelta(days=5, minutes=1), [
        dict(to="sam.ito@example.net", status="4.4.7", remote="mx.example.net",
             diag="connect to mx.example.net[203.0.113.25]:25: Connection timed out", dtype="X-Postfix",
             human="message delayed for 5 days: connect to mx.example.net[203.0.113.25]:25: Connection timed out")],
        o, headers_only=True))

    s, o = news(12, "greylist@example.org", "mx3.example.org")
    add("MAILER-DAEMON", s, postfix(6, s + dt.timedelta(hours=5), [
        dict(to="greylist@example.org", action="delayed", status="4.7.1", remote="mx3.example.org",
             diag="450 4.7.1 <greylist@example.org>: Recipient address rejected: Greylisted, try again in 5 minutes",
             human="host mx3.example.org[192.0.2.12] said: 450 4.7.1 Greylisted (in reply to RCPT TO command)")],
        o, subject="Delayed Mail (still being retried)", delayed=True))

    s, o = news(14, "oskar@example.org", "mx1.example.org (Postfix)", plain_hop=True)
    add("MAILER-DAEMON", s, postfix(7, s + dt.timedelta(seconds=6), [
        dict(to="oskar@example.org", status="5.7.1", remote="mx1.example.org",
             diag="554 5.7.1 Service unavailable; Client host [198.51.100.26] blocked using zen.example.org; listed since 2026-10-13",
             human="host mx1.example.org[192.0.2.10] said: 554 5.7.1 Service unavailable; Client host blocked (in reply to RCPT TO command)")],
        o))

    s, o = news(15, "rsvp@example.org", "mx1.example.org (Postfix)")
    add("MAILER-DAEMON", s, postfix(8, s + dt.timedelta(seconds=3), [
        dict(to="rsvp@example.org", status="5.3.4", remote="mx1.example.org",
             diag="552 5.3.4 Message size exceeds fixed limit",
             human="host mx1.example.org[192.0.2.10] said: 552 5.3.4 Message size exceeds fixed limit (in reply to end of DATA command)")],
        o))

    s, o = order(19, "pia@example.net", "mx.example.net", number=40377)
    add("MAILER-DAEMON", s, postfix(9, s + dt.timedelta(seconds=5), [
        dict(to="pia@example.net", status="5.7.25", remote="mx.example.net",
             diag="550 5.7.25 Client host rejected: cannot find your hostname, [198.51.100.26]",
             human="host mx.example.net[203.0.113.25] said: 550 5.7.25 Client host rejected: cannot find your hostname (in reply to RCPT TO command)")],
        o))

    # --- Exim --------------------------------------------------------------------
    s, o = news(6, "nora.quinn@example.net", "mx.example.net (Exim 4.98)")
    add("Mailer-Daemon", s, exim(10, s + dt.timedelta(seconds=8), [
        ("nora.quinn@example.net", ["host mx.example.net [203.0.113.25]",
                                    "SMTP error from remote mail server after RCPT TO:<nora.quinn@example.net>:",
                                    "550 5.1.1 <nora.quinn@example.net>: no mailbox by that name is currently available"]),
        ("n.quinn@example.net", ["host mx.example.net [203.0.113.25]",
                                 "SMTP error from remote mail server after RCPT TO:<n.quinn@example.net>:",
                                 "550 5.1.1 <n.quinn@example.net>: no mailbox by that name is currently available"]),
    ], o))

    s, o = news(16, "desk@example.net", "mx.example.net (Exim 4.98)")
    add("Mailer-Daemon", s, exim(11, s + dt.timedelta(seconds=8), [
        ("desk@example.net", ["host mx.example.net [203.0.113.25]",
                              "SMTP error from remote mail server after end of data:",
                              "550-5.7.1 This message was classified as SPAM and may not be delivered.",
                              "550 5.7.1 Score 14.2 exceeds the limit of 8.0"]),
    ], o))

    s, o = order(21, "olga@example.net", "mx.example.net (Exim 4.98)", number=40498)
    add("Mailer-Daemon", s, exim(12, s + dt.timedelta(days=1, minutes=2), [
        ("olga@example.net", ["host mx.example.net [203.0.113.25]",
                              "SMTP error from remote mail server after RCPT TO:<olga@example.net>:",
                              "452 4.2.2 <olga@example.net>: mailbox is over quota, try again later"]),
    ], o, temporary=True))

    s, o = news(30, "hugo@example.net", "mx.example.net (Exim 4.98)", issue="November")
    add("Mailer-Daemon", s, exim(13, s + dt.timedelta(seconds=11), [
        ("hugo@example.net", ["host mx.example.net [203.0.113.25]",
                              "SMTP error from remote mail server after MAIL FROM:<news@example.com> SIZE=4211:",
                              "550 5.7.1 Sender rejected: your domain sends too much unsolicited mail"]),
    ], o))

    # --- qmail -------------------------------------------------------------------
    s, o = news(9, "wim@example.org", "mail.example.org with SMTP")
    add("MAILER-DAEMON", s, qmail(14, s + dt.timedelta(seconds=6), [
        ("wim@example.org", "Sorry, no mailbox here by that name. (#5.1.1)"),
    ], o))

    s, o = news(22, "jo.bauer@example.org", None)
    add("MAILER-DAEMON", s, qmail(15, s + dt.timedelta(seconds=6), [
        ("jo.bauer@example.org",
         "Sorry, no SMTP connection got far enough; most progress was RCPT TO response; remote host "
         "192.0.2.55 said: 552 5.2.2 Mailbox quota exceeded for jo.bauer@example.org\n(#5.2.2)"),
    ], o))

    s, o = news(37, "old-team@example.org", None, issue="November")
    add("MAILER-DAEMON", s, qmail(16, s + dt.timedelta(seconds=6), [
        ("old-team@example.org", "This address no longer accepts mail. (#5.1.6)"),
    ], o))

    # --- Microsoft 365 / Exchange Online -------------------------------------------
    s, o = staff(6, "tomas", "Priya Natarajan <priya@example.org>", "Contract draft for the spring catalogue")
    add("MAILER-DAEMON", s, exchange(17, s + dt.timedelta(seconds=5), dict(
        to="priya@example.org", status="5.1.10", remote="mx.example.org",
        diag="550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient priya@example.org not found by SMTP address lookup"),
        o, "Your message to priya@example.org couldn't be delivered.\n\n"
           "priya wasn't found at example.org. Check the address for typing mistakes,\n"
           "then send the message again.",
        "SA1PR04MB8006.namprd04.prod.outlook.com"))

    s, o = staff(13, "mira", "events@example.org", "Author reading on 12 November")
    add("MAILER-DAEMON", s, exchange(18, s + dt.timedelta(seconds=5), dict(
        to="events@example.org", status="5.7.509", remote="mx.example.org",
        diag="550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification and has a DMARC policy of reject"),
        o, "Your message to events@example.org couldn't be delivered.\n\n"
           "The receiving organisation refused it because our domain's DMARC check\n"
           "did not pass there. Your email admin needs to look at this.",
        "SA1PR04MB8013.namprd04.prod.outlook.com"))

    s, o = staff(20, "ines", "board@example.org", "Minutes of the October meeting")
    add("MAILER-DAEMON", s, exchange(19, s + dt.timedelta(seconds=5), dict(
        to="board@example.org", status="5.7.1", remote="SA1PR04MB8020.namprd04.prod.outlook.com",
        diag="550 5.7.1 RESOLVER.RST.AuthRequired; authentication required [Stage: CreateMessage]"),
        o, "Your message to board@example.org couldn't be delivered.\n\n"
           "The group board only accepts messages from people in its own organisation\n"
           "or on its allowed senders list.",
        "SA1PR04MB8020.namprd04.prod.outlook.com"))

    s, o = staff(27, "tomas", "rights@example.net", "Translation rights: Dutch edition")
    add("MAILER-DAEMON", s, exchange(20, s + dt.timedelta(seconds=5), dict(
        to="rights@example.net", status="5.4.1", remote="mx.example.net",
        diag="550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DM6NAM12FT044.eop-nam12.prod.protection.outlook.com 2026-10-27T09:05:07.331Z 08DDF2A1C3B4E5F6]"),
        o, "Your message to rights@example.net couldn't be delivered.\n\n"
           "The domain example.net refused the address. It may not exist there.",
        "SA1PR04MB8027.namprd04.prod.outlook.com"))

    s, o = staff(34, "mira", "ceo@example.net", "Quarterly figures")
    add("MAILER-DAEMON", s, exchange(21, s + dt.timedelta(seconds=5), dict(
        to="ceo@example.net", status="5.2.2", remote="mx.example.net",
        diag="554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded"),
        o, "Your message to ceo@example.net couldn't be delivered.\n\n"
           "The recipient's mailbox is full and can't accept messages now.\n"
           "Try again later, or contact the recipient another way.",
        "SA1PR04MB8034.namprd04.prod.outlook.com"))

    s, o = staff(41, "ines", "festival@example.org", "Stand booking for the book fair", hh=16)
    add("MAILER-DAEMON", s, exchange(22, s + dt.timedelta(hours=6), dict(
        to="festival@example.org", action="delayed", status="4.4.7", remote="mx.example.org",
        diag="451 4.4.0 Primary target IP address responded with: \"421 4.4.2 Connection dropped due to SocketError.\" Attempted failover to alternate host, but that did not succeed."),
        o, "Delivery of your message to festival@example.org has been delayed.\n\n"
           "Microsoft 365 keeps trying for up to 24 hours. No action is needed yet.",
        "SA1PR04MB8041.namprd04.prod.outlook.com", subject_prefix="Delivery delayed"))

    # --- Outlook.com -------------------------------------------------------------
    s, o = news(18, "zoe.martin@example.com", "DM6PR04MB6{0:03}.namprd04.prod.outlook.com".format(18))
    add("postmaster", s, exchange(23, s + dt.timedelta(seconds=4), dict(
        to="zoe.martin@example.com", status="5.5.0", remote="DM6PR04MB6018.namprd04.prod.outlook.com",
        diag="550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [DM6NAM12FT011.eop-nam12.prod.protection.outlook.com]"),
        o, "Your message to zoe.martin@example.com couldn't be delivered.\n\n"
           "The mailbox is not available at the destination.",
        "DM6PR04MB6018.namprd04.prod.outlook.com", provider="outlook"))

    s, o = news(25, "max.weber@example.com", None)
    add("postmaster", s, exchange(24, s + dt.timedelta(seconds=4), dict(
        to="max.weber@example.com", status="5.7.1", remote="DM6PR04MB6025.namprd04.prod.outlook.com",
        diag="550 5.7.1 Unfortunately, messages from [198.51.100.26] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). [DM6NAM12FT025.eop-nam12.prod.protection.outlook.com]"),
        o, "Your message to max.weber@example.com couldn't be delivered.\n\n"
           "The sending server's address is on the receiver's block list.",
        "DM6PR04MB6025.namprd04.prod.outlook.com", provider="outlook"))

    # --- Gmail -------------------------------------------------------------------
    s, o = staff(8, "mira", "rosa.lind@example.net", "Your signed copy", hh=9)
    add("mailer-daemon", s, gmail(25, s + dt.timedelta(seconds=3), dict(
        to="rosa.lind@example.net", status="5.1.1", remote="mx.example.net",
        diag="550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-b6c1a2d3e4si{0}.25 - gsmtp".format(25)),
        o, "Address not found",
        "Your message wasn't delivered to rosa.lind@example.net because the address couldn't be found, or is unable to receive mail."))

    s, o = staff(11, "mira", "aiko@example.net", "Illustrations for the cover", hh=11)
    add("mailer-daemon", s, gmail(26, s + dt.timedelta(seconds=3), dict(
        to="aiko@example.net", status="4.2.2", action="delayed", remote="mx.example.net",
        diag="452 4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp 41be03b00d2f7-b6c1a2d3e4si26.26 - gsmtp"),
        o, "Message not delivered yet",
        "There was a temporary problem delivering your message to aiko@example.net. Gmail will retry for 47 more hours."))

    s, o = news(17, "felix@example.org", "mx.example.org")
    add("mailer-daemon", s, gmail(27, s + dt.timedelta(seconds=3), dict(
        to="felix@example.org", status="5.7.26", remote="mx.example.org",
        diag="550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. Please contact the administrator of example.com domain if this was a legitimate mail. To learn about the DMARC initiative, go to https://support.google.com/mail/?p=DmarcRejection 41be03b00d2f7-b6c1a2d3e4si27.27 - gsmtp"),
        o, "Message blocked",
        "Your message to felix@example.org has been blocked. See technical details below for more information."))

    s, o = news(29, "bulk-test@example.org", "mx.example.org", issue="November")
    add("mailer-daemon", s, gmail(28, s + dt.timedelta(seconds=3), dict(
        to="bulk-test@example.org", status="4.7.28", action="delayed", remote="mx.example.org",
        diag="421 4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. 41be03b00d2f7-b6c1a2d3e4si28.28 - gsmtp"),
        o, "Message not delivered yet",
        "There was a temporary problem delivering your message to bulk-test@example.org."))

    s, o = news(33, "lukas@example.org", "mx.example.org", issue="November")
    add("mailer-daemon", s, gmail(29, s + dt.timedelta(seconds=3), dict(
        to="lukas@example.org", status="5.7.1", remote="mx.example.org",
        diag="550 5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. 41be03b00d2f7-b6c1a2d3e4si29.29 - gsmtp"),
        o, "Message blocked",
        "Your message to lukas@example.org has been blocked. See technical details below for more information."))

    # --- Yahoo -------------------------------------------------------------------
    s, o = staff(15, "ines", "marta.silva@example.com", "Reading group: next title", hh=18)
    add("MAILER-DAEMON", s, yahoo(30, s + dt.timedelta(seconds=2), "marta.silva@example.com",
                                  "554 delivery error: dd Sorry your message to marta.silva@example.com cannot be delivered. This mailbox is disabled (554.30). - mta4127.mail.gq1.yahoo.com", o))

    s, o = news(24, "tariq@example.com", None)
    add("MAILER-DAEMON", s, yahoo(31, s + dt.timedelta(seconds=2), "tariq@example.com",
                                  "550 5.1.1 <tariq@example.com>... User Unknown [RCPT_TO]", o))

    s, o = news(39, "n.ahmed@example.com", None, issue="November")
    add("MAILER-DAEMON", s, yahoo(32, s + dt.timedelta(seconds=2), "n.ahmed@example.com",
                                  "421 4.7.0 [TSS04] Messages from 198.51.100.26 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes [RCPT_TO]", o))

    # --- Amazon SES --------------------------------------------------------------
    s, o = order(10, "ben.carter@example.net", "mx.example.net", number=40190)
    add("MAILER-DAEMON", s, ses(33, s + dt.timedelta(seconds=2), dict(
        to="ben.carter@example.net", status="5.1.1", remote="mx.example.net",
        diag="550 5.1.1 <ben.carter@example.net>... User unknown"), o))

    s, o = order(23, "clara@example.org", "mx1.example.org", number=40551)
    add("MAILER-DAEMON", s, ses(34, s + dt.timedelta(seconds=2), dict(
        to="clara@example.org", status="5.7.1", remote="mx1.example.org",
        diag="554 5.7.1 Message rejected: content matched a malware signature (Eicar-Test-Signature)"), o))

    s, o = order(36, "dev-null@example.net", None, number=40733)
    add("MAILER-DAEMON", s, ses(35, s + dt.timedelta(seconds=2), dict(
        to="dev-null@example.net", status="5.1.10", remote="example.net",
        diag="556 5.1.10 Recipient address has null MX"), o))

    s, o = order(43, "ivan@example.org", "mx1.example.org", number=40918)
    add("MAILER-DAEMON", s, ses(36, s + dt.timedelta(minutes=1), dict(
        to="ivan@example.org", status="4.4.7", remote="mx1.example.org",
        diag="421 4.4.7 Amazon SES did not receive a response before the delivery timeout; the message expired"), o))

    # --- more standard DSNs late in November (clock skew, plain hop, 5.6, 5.5) ----
    s, o = news(31, "julia.ross@example.org", "mx1.example.org (Postfix)", issue="November", skew=-185)
    add("MAILER-DAEMON", s, postfix(37, s + dt.timedelta(seconds=9), [
        dict(to="julia.ross@example.org", status="5.1.1", remote="mx1.example.org",
             diag="550 5.1.1 <julia.ross@example.org>: Recipient address rejected: User unknown in local recipient table",
             human="host mx1.example.org[192.0.2.10] said: 550 5.1.1 User unknown in local recipient table (in reply to RCPT TO command)")],
        o))

    s, o = news(35, "archive@example.org", "mx1.example.org (Postfix)", issue="November")
    add("MAILER-DAEMON", s, postfix(38, s + dt.timedelta(seconds=9), [
        dict(to="archive@example.org", status="5.6.0", remote="mx1.example.org",
             diag="554 5.6.0 Message contains invalid header lines; refusing it",
             human="host mx1.example.org[192.0.2.10] said: 554 5.6.0 Message contains invalid header lines (in reply to end of DATA command)")],
        o))

    s, o = news(38, "sales@example.net", "mx.example.net", issue="November")
    add("MAILER-DAEMON", s, postfix(39, s + dt.timedelta(seconds=9), [
        dict(to="sales@example.net", status="5.5.2", remote="mx.example.net",
             diag="500 5.5.2 Error: bad syntax in MAIL FROM parameters",
             human="host mx.example.net[203.0.113.25] said: 500 5.5.2 Error: bad syntax (in reply to MAIL FROM command)")],
        o))

    s, o = news(42, "t.nguyen@example.org", "mx1.example.org (Postfix)", issue="November")
    add("MAILER-DAEMON", s, postfix(40, s + dt.timedelta(seconds=9), [
        dict(to="t.nguyen@example.org", status="5.1.1", remote="mx1.example.org",
             diag="550 5.1.1 <t.nguyen@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
             human="host mx1.example.org[192.0.2.10] said: 550 5.1.1 User unknown (in reply to RCPT TO command)"),
        dict(to="t.nguyen@example.net", status="5.1.2", remote="example.net",
             diag="550 5.1.2 Bad destination system address", dtype="X-Postfix")],
        o))

    s, o = order(44, "yusuf@example.com", "mx.example.com", number=41002)
    add("MAILER-DAEMON", s, postfix(41, s + dt.timedelta(seconds=9), [
        dict(to="yusuf@example.com", status="4.3.0", action="delayed", remote="mx.example.com",
             diag="451 4.3.0 Temporary system failure, please try again later",
             human="host mx.example.com[192.0.2.90] said: 451 4.3.0 Temporary system failure (in reply to end of DATA command)")],
        o, subject="Delayed Mail (still being retried)", delayed=True))

    s, o = news(46, "ella@example.org", "mx1.example.org (Postfix)", issue="November")
    add("MAILER-DAEMON", s, postfix(42, s + dt.timedelta(seconds=9), [
        dict(to="ella@example.org", status="5.7.1", remote="mx1.example.org",
             diag="550 5.7.1 <ella@example.org>: Relay access denied",
             human="host mx1.example.org[192.0.2.10] said: 550 5.7.1 Relay access denied (in reply to RCPT TO command)")],
        o))

    s, o = news(48, "gone@example.net", "mx.example.net", issue="November")
    add("MAILER-DAEMON", s, postfix(43, s + dt.timedelta(seconds=9), [
        dict(to="gone@example.net", status="5.1.6", remote="mx.example.net",
             diag="551 5.1.6 User has moved; no forwarding address known",
             human="host mx.example.net[203.0.113.25] said: 551 5.1.6 User has moved (in reply to RCPT TO command)")],
        o))

    # --- the hostile one: control sequences and markup in subject and diagnostic --
    evil_subject = "Invoice \x1b]52;c;Y3VybCBleGFtcGxlLm5ldC94fHNo\x07overdue <script>alert(1)</script> \u202egnp.exe"
    sent = at(28, 6, 45, zone=tz(2))
    o = original(NEWS, "victor@example.net", b64word(evil_subject), sent,
                 relay_chain(sent, "victor@example.net", "mx.example.net"), "hostile-28@example.com")
    add("MAILER-DAEMON", sent, postfix(44, sent + dt.timedelta(seconds=9), [
        dict(to="victor@example.net", status="5.7.1", remote="mx.example.net",
             diag="550 5.7.1 \x1b[2J\x1b[31mYOUR ACCOUNT IS SUSPENDED\x1b[0m | =HYPERLINK(\"http://example.net/x\") <b>rejected</b> \u202eroot\u202c",
             human="host mx.example.net[203.0.113.25] said: 550 5.7.1 rejected (in reply to end of DATA command)")],
        o, subject=b64word("Undelivered: " + evil_subject)))

    # --- an auto-reply, an abuse report, ordinary mail ----------------------------
    s, o = news(13, "harriet@example.org", "mx1.example.org")
    add("harriet@example.org", s, autoreply(45, s + dt.timedelta(minutes=1), "Harriet Vale <harriet@example.org>",
                                            "Out of office", "Hello,\n\nI am away until 3 November with no access to mail.\n"
                                            "For urgent matters please write to office@example.org.\n\nHarriet\n",
                                            orig_subject(o)))

    s, o = news(20, "paul.moreau@example.net", "mx.example.net")
    add("fbl", s, arf(46, s + dt.timedelta(hours=6), o, "198.51.100.26"))

    add("ola@example.org", at(9, 12, 0), ordinary(47, at(9, 12, 0), "Ola Berg <ola@example.org>", "postmaster@example.com",
                                                  "Question about your newsletter",
                                                  "Hello,\n\nhow do I change the address your newsletter goes to?\n\nOla\n"))
    add("noreply@example.net", at(26, 8, 0, zone=tz(1)), ordinary(48, at(26, 8, 0, zone=tz(1)),
                                                                    "Hosting Status <noreply@example.net>", "postmaster@example.com",
                                                                    "Scheduled maintenance on 30 October",
                                                                    "Our mail relays will be restarted on 30 October between 02:00 and 03:00 UTC.\n"
                                                                    "From the queue's point of view nothing changes.\n"))
    add("tomas.lindqvist@example.com", at(40, 15, 30, zone=tz(1)), ordinary(49, at(40, 15, 30, zone=tz(1)),
                                                                             STAFF["tomas"], "postmaster@example.com",
                                                                             "Re: bounces from example.net",
                                                                             "Thanks, I removed the two dead addresses from the list.\n"))
    # The mailbox holds the reports in the order they arrived: by their own Date.
    m = [(sender, header_date(text), text) for sender, _, text in m]
    m.sort(key=lambda x: x[1])
    return m


def header_date(text):
    for line in text.split("\n"):
        if line.startswith("Date: "):
            d = email.utils.parsedate_to_datetime(line[6:])
            # qmail writes "-0000" (UTC, offset unknown), which Python reads as naive.
            return d if d.tzinfo else d.replace(tzinfo=UTC)
        if not line:
            break
    raise ValueError("message without a Date header")


def mbox(messages):
    out = []
    for sender, when, text in messages:
        when_utc = when.astimezone(UTC)
        out.append(f"From {sender} {when_utc.strftime('%a %b %e %H:%M:%S %Y')}\n")
        for line in text.split("\n"):
            # mboxrd quoting: a body line that looks like a separator gains a '>'.
            stripped = line.lstrip(">")
            out.append((">" + line if stripped.startswith("From ") else line) + "\n")
    return "".join(out)


def main():
    data = mbox(build()).encode("utf-8")
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(data)
    count = data.count(b"\nFrom ") + 1
    print(f"wrote {os.path.relpath(OUT)}: {count} messages, {len(data)} bytes",
          file=sys.stderr)


if __name__ == "__main__":
    main()
