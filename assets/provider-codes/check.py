#!/usr/bin/env python3
"""Validate the provider reply-code tables in this folder.

Usage: python3 check.py [DIR]      (DIR defaults to the folder of this script)

Checks every *.toml file:
  * the file starts with a one-line '#' description and parses as TOML;
  * only the documented keys are present, required ones are there and have the right type;
  * scheme ids are unique across all files, provider ids are known;
  * each pattern compiles (Python `re`, case-insensitive), has a capture group and avoids
    syntax the Rust `regex` crate lacks (look-around, backreferences, atomic groups,
    possessive quantifiers, {,n}, \\Z, \\z);
  * every row: reason is known, retry is known, hard == (retry == "do-not-retry"),
    meaning is one sentence, code is unique within its scheme, and a sample reply built
    from the code is matched by the scheme's pattern with group 1 equal to the code
    (for a prefix row "ABC*", group 1 must start with "ABC");
  * no sample is also captured by another scheme (two schemes would claim the same token).

Exit status 0 when everything passes, 1 otherwise.  Standard library only (Python 3.11+).
"""

from __future__ import annotations

import pathlib
import re
import sys
import tomllib

REASONS = {
    "userunknown", "hostunknown", "mailboxfull", "hasmoved", "suspend", "blocked",
    "requireptr", "badreputation", "spamdetected", "virusdetected", "policyviolation",
    "filtered", "authfailure", "norelaying", "rejected", "securityerror", "contenterror",
    "mesgtoobig", "exceedlimit", "speeding", "toomanyconn", "systemerror", "systemfull",
    "networkerror", "expired", "notaccept", "notcompliantrfc", "failedstarttls",
    "syntaxerror", "mailererror", "onhold",
}
RETRIES = {"retry-later", "fix-then-resend", "do-not-retry"}
PROVIDERS = {
    # ids already used by rebound
    "exchange-online", "outlook-com", "gmail", "yahoo", "icloud", "amazon-ses", "mail-ru",
    "yandex", "zoho", "gmx", "tencent", "sendgrid",
    # ids introduced by this table (see README.md)
    "cox", "spectrum", "orange", "laposte", "godaddy", "comcast", "netease",
}

SCHEME_KEYS = {"id": str, "provider": str, "pattern": str, "source": str}
SCHEME_OPTIONAL = {"needs_provider": bool, "code": list}
ROW_KEYS = {"code": str, "meaning": str, "reason": str, "hard": bool, "retry": str}
ROW_OPTIONAL = {"source": str}

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_RE = re.compile(r"^https?://\S+$")

# Regex features Python accepts but the Rust `regex` crate does not.
RUST_UNSUPPORTED = [
    (re.compile(r"\(\?<?[=!]"), "look-around"),
    (re.compile(r"\(\?>"), "atomic group"),
    (re.compile(r"\(\?P=|\\[1-9]|\\g<"), "backreference"),
    (re.compile(r"[*+?}]\+"), "possessive quantifier"),
    (re.compile(r"\{,\d"), "{,n} quantifier"),
    (re.compile(r"\\[Zz]"), "\\Z / \\z anchor"),
]

# How a token is embedded in a sample reply.  The schemes print their tokens bare, in
# [brackets] or (parentheses), after "AUP#", "AUP#In-", or after an OFR/LPN prefix.
WRAPPERS = ["{}", "[{}]", "({})", "AUP#{}", "AUP#In-{}", "OFR004_{}", "LPN007_{}"]
# What is appended to a prefix row ("TSS*") to make a concrete token.
FILLERS = ["", "0", "00", "000", "0000", "000000", "1", "01", "A", "AA", "AAA"]


def sample(token: str, wrapper: str) -> str:
    return f"550 5.7.1 {wrapper.format(token)} sample reply text"


def first_group(rx: re.Pattern, text: str) -> str | None:
    m = rx.search(text)
    return m.group(1) if m and m.group(1) is not None else None


def main() -> int:
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).parent
    files = sorted(root.glob("*.toml"))
    errors: list[str] = []
    schemes: list[dict] = []  # {"id", "file", "rx", "samples": [(text, token)]}
    seen_ids: dict[str, str] = {}
    counts: dict[str, list[int]] = {}

    if not files:
        errors.append(f"{root}: no *.toml files")

    for path in files:
        where = path.name
        raw = path.read_text(encoding="utf-8")
        first = raw.splitlines()[0] if raw else ""
        if not first.startswith("# ") or len(first) < 10:
            errors.append(f"{where}: first line must be a '# ' one-line description")
        try:
            doc = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as e:
            errors.append(f"{where}: TOML error: {e}")
            continue
        extra = set(doc) - {"scheme"}
        if extra:
            errors.append(f"{where}: unknown top-level keys {sorted(extra)}")
        file_schemes = doc.get("scheme")
        if not isinstance(file_schemes, list) or not file_schemes:
            errors.append(f"{where}: no [[scheme]] tables")
            continue

        for si, sc in enumerate(file_schemes):
            sw = f"{where}: scheme #{si + 1}"
            for k, t in SCHEME_KEYS.items():
                if not isinstance(sc.get(k), t):
                    errors.append(f"{sw}: missing or non-{t.__name__} '{k}'")
            for k, t in SCHEME_OPTIONAL.items():
                if k in sc and not isinstance(sc[k], t):
                    errors.append(f"{sw}: '{k}' must be {t.__name__}")
            unknown = set(sc) - set(SCHEME_KEYS) - set(SCHEME_OPTIONAL)
            if unknown:
                errors.append(f"{sw}: unknown keys {sorted(unknown)}")
            sid = sc.get("id", "")
            if isinstance(sid, str):
                sw = f"{where}: scheme '{sid}'"
                if not ID_RE.match(sid):
                    errors.append(f"{sw}: id must be lowercase and hyphenated")
                if sid in seen_ids:
                    errors.append(f"{sw}: id already used in {seen_ids[sid]}")
                seen_ids[sid] = where
            prov = sc.get("provider")
            if isinstance(prov, str) and prov not in PROVIDERS:
                errors.append(f"{sw}: unknown provider id '{prov}'")
            if isinstance(sc.get("source"), str) and not URL_RE.match(sc["source"]):
                errors.append(f"{sw}: source is not a URL")

            pat = sc.get("pattern")
            rx = None
            if isinstance(pat, str):
                for bad, what in RUST_UNSUPPORTED:
                    if bad.search(pat):
                        errors.append(f"{sw}: pattern uses {what}, which Rust regex lacks")
                try:
                    rx = re.compile(pat, re.IGNORECASE)
                except re.error as e:
                    errors.append(f"{sw}: pattern does not compile: {e}")
                if rx is not None and rx.groups < 1:
                    errors.append(f"{sw}: pattern has no capture group 1")
                    rx = None

            rows = sc.get("code", [])
            if not rows:
                errors.append(f"{sw}: no [[scheme.code]] rows")
            entry = {"id": sid, "file": where, "rx": rx, "samples": []}
            schemes.append(entry)
            seen_codes: set[str] = set()
            hard_rows = 0
            for ri, row in enumerate(rows if isinstance(rows, list) else []):
                code = row.get("code")
                rw = f"{sw}: row {code!r}" if isinstance(code, str) else f"{sw}: row #{ri + 1}"
                for k, t in ROW_KEYS.items():
                    if not isinstance(row.get(k), t):
                        errors.append(f"{rw}: missing or non-{t.__name__} '{k}'")
                for k, t in ROW_OPTIONAL.items():
                    if k in row and not isinstance(row[k], t):
                        errors.append(f"{rw}: '{k}' must be {t.__name__}")
                unknown = set(row) - set(ROW_KEYS) - set(ROW_OPTIONAL)
                if unknown:
                    errors.append(f"{rw}: unknown keys {sorted(unknown)}")
                if "source" in row and isinstance(row["source"], str) and not URL_RE.match(row["source"]):
                    errors.append(f"{rw}: source is not a URL")
                reason, retry, hard = row.get("reason"), row.get("retry"), row.get("hard")
                if isinstance(reason, str) and reason not in REASONS:
                    errors.append(f"{rw}: unknown reason '{reason}'")
                if isinstance(retry, str) and retry not in RETRIES:
                    errors.append(f"{rw}: unknown retry '{retry}'")
                if isinstance(hard, bool) and isinstance(retry, str) and hard != (retry == "do-not-retry"):
                    errors.append(f"{rw}: hard must be true exactly when retry is do-not-retry")
                if hard is True:
                    hard_rows += 1
                meaning = row.get("meaning")
                if isinstance(meaning, str):
                    m = meaning.strip()
                    if "\n" in m or not m.endswith(".") or len(m) > 300 or len(m) < 15:
                        errors.append(f"{rw}: meaning must be one sentence ending in '.' (15-300 chars)")
                    if re.search(r"\.\s+[A-Z]", m):
                        errors.append(f"{rw}: meaning looks like more than one sentence")
                if not isinstance(code, str) or not code:
                    continue
                if code.count("*") > 1 or ("*" in code and not code.endswith("*")) or code == "*":
                    errors.append(f"{rw}: '*' may only end a non-empty prefix")
                    continue
                if code.lower() in seen_codes:
                    errors.append(f"{rw}: duplicate code in scheme")
                seen_codes.add(code.lower())
                if rx is None:
                    continue
                prefix = code.endswith("*")
                stem = code[:-1] if prefix else code
                found = None
                for filler in (FILLERS if prefix else [""]):
                    token = stem + filler
                    for w in WRAPPERS:
                        text = sample(token, w)
                        got = first_group(rx, text)
                        if got is None:
                            continue
                        ok = got.lower().startswith(stem.lower()) if prefix else got.lower() == code.lower()
                        if ok:
                            found = (text, got)
                            break
                    if found:
                        break
                if found is None:
                    errors.append(f"{rw}: no sample reply built from the code is captured by the pattern")
                else:
                    entry["samples"].append(found)
            counts.setdefault(str(prov), [0, 0, 0])
            counts[str(prov)][0] += 1
            counts[str(prov)][1] += len(rows) if isinstance(rows, list) else 0
            counts[str(prov)][2] += hard_rows

    # A token must belong to exactly one scheme.
    for a in schemes:
        for text, token in a["samples"]:
            for b in schemes:
                if b is a or b["rx"] is None:
                    continue
                got = first_group(b["rx"], text)
                if got is not None and got.lower() == token.lower():
                    errors.append(
                        f"{a['file']}: scheme '{a['id']}' token {token!r} is also captured by "
                        f"scheme '{b['id']}' ({b['file']})"
                    )

    total_rows = sum(c[1] for c in counts.values())
    print(f"{len(files)} files, {len(schemes)} schemes, {total_rows} rows")
    for prov in sorted(counts):
        s, r, h = counts[prov]
        print(f"  {prov:16} {s} scheme(s), {r:3} rows ({h} hard)")
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print(f"  - {e}")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
