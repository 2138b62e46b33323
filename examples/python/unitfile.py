"""A member file of a relation directory: its name and its YAML.

Juju writes exactly "change-version: <v>\\n" plus "changed-pending: true\\n"
for the pending unit. Reading is Go's yaml into a struct: YAML 1.1 scalars
(0x10, 1_000, yes/on), unknown keys ignored, a value of the wrong type
leaves the field unset. The parser here is the small part of YAML such a
file can hold: a flat mapping of scalars, with comments and flow
collections. Anything else is refused as a parse error (its wording is
free: only the prefix is compared), even where a full YAML parser would
read it (nested blocks, multi-line scalars, anchors): no agent writes such
files, and the golden fixtures hold none.
"""

import re

from model import INT64_MAX, INT64_MIN

NULL = re.compile(r"~|[Nn]ull|NULL|")
TRUE = re.compile(r"Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON")
FALSE = re.compile(r"N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF")
INTS = (
    (re.compile(r"[-+]?0b[01_]+"), 2, 2),
    (re.compile(r"[-+]?0[0-7_]+"), 8, 1),
    (re.compile(r"[-+]?[0-9][0-9_]*"), 10, 0),
    (re.compile(r"[-+]?0x[0-9a-fA-F_]+"), 16, 2),
)
SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+")
FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN")


class YamlError(Exception):
    pass


class Other:
    """A value that is neither an integer nor a boolean (string, float, list, map)."""


def resolve(plain):
    """A plain scalar, typed as YAML 1.1 does."""
    if NULL.fullmatch(plain):
        return None
    if TRUE.fullmatch(plain):
        return True
    if FALSE.fullmatch(plain):
        return False
    for pattern, radix, skip in INTS:
        if pattern.fullmatch(plain):
            sign = -1 if plain[0] == "-" else 1
            digits = plain.lstrip("+-")[skip:].replace("_", "")
            return sign * int(digits or "0", radix)
    if SEXAGESIMAL.fullmatch(plain):
        sign = -1 if plain[0] == "-" else 1
        n = 0
        for part in plain.lstrip("+-").replace("_", "").split(":"):
            n = n * 60 + int(part)
        return sign * n
    return Other()


def strip_comment(line):
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'" and (i == 0 or line[i - 1] in " :[{,"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def value(text, line_no):
    text = text.strip()
    if text == "":
        return None
    if text[:1] in "[{":
        depth, quote = 0, None
        for ch in text:
            if quote:
                quote = None if ch == quote else quote
            elif ch in "\"'":
                quote = ch
            elif ch in "[{":
                depth += 1
            elif ch in "]}":
                depth -= 1
        if depth != 0 or quote:
            raise YamlError(f"unclosed flow collection at line {line_no}")
        return Other()
    if text[:1] in "\"'":
        if len(text) < 2 or text[-1] != text[0]:
            raise YamlError(f"missing closing quote at line {line_no}")
        return Other()
    if text[:1] in "*&!|>@`%":
        raise YamlError(f"unsupported YAML at line {line_no}")
    return resolve(text)


def split_entry(line):
    """'key: value' or 'key:' as (key, value); None when the line is not a mapping entry."""
    if ": " in line:
        key, _, rest = line.partition(": ")
        return key, rest
    if line.endswith(":"):
        return line[:-1], ""
    return None


def parse(text):
    """The document as {key: value} (or Other / None when it is not a mapping)."""
    lines = [(n, strip_comment(l).rstrip()) for n, l in enumerate(text.replace("\r\n", "\n").split("\n"), 1)]
    lines = [(n, l) for n, l in lines if l.strip() and l.strip() != "---"]
    if not lines:
        return None
    mapping = {}
    for n, line in lines:
        if line[0] in " \t":
            raise YamlError(f"unexpected indentation at line {n}")
        entry = split_entry(line)
        if entry is None:
            if len(lines) == 1:
                value(line, n)  # a lone scalar: not a mapping, unless it does not parse
                return Other()
            raise YamlError(f"implicit map keys need to be followed by map values at line {n}")
        key, rest = entry[0].strip(), entry[1]
        if key[:1] in "\"'" and len(key) >= 2 and key[-1] == key[0]:
            key = key[1:-1]
        if key in mapping:
            raise YamlError(f"map keys must be unique at line {n}")
        mapping[key] = value(rest, n)
    return mapping


def read_unit_file(text):
    """(version or None, changed pending) of a member file; YamlError or ValueError on bad files."""
    doc = parse(text)
    if not isinstance(doc, dict):
        return None, False
    v = doc.get("change-version")
    if type(v) is int and not INT64_MIN <= v <= INT64_MAX:
        raise ValueError(f"change-version {v} is outside the int64 range")
    return (v if type(v) is int else None), doc.get("changed-pending") is True


def encode_unit_file(version, pending):
    return f"change-version: {version}\n{'changed-pending: true' + chr(10) if pending else ''}".encode()
