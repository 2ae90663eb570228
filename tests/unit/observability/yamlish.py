"""Just enough YAML to read tracenet's own Prometheus and Grafana files, without PyYAML.

PyYAML is not a test dependency yet; when it is, :func:`load` uses ``yaml.safe_load``.
Until then this reads the subset those files use: block mappings and sequences, plain and
quoted one-line scalars, ``|`` and ``>`` block scalars (``>`` folds every line break into a
space, which is all PromQL needs), and one-line flow lists and maps of scalars. Anything
else (anchors, tags, multi-line plain or quoted scalars) raises :class:`YamlSubsetError`
instead of being read wrongly.
"""

from __future__ import annotations

import json
import re
from typing import Any

try:
    import yaml
except ImportError:  # pragma: no cover - depends on the environment
    yaml = None

BLOCK_SCALAR = re.compile(r"^[|>][+-]?$")
NUMBER = re.compile(r"^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+)$")


class YamlSubsetError(ValueError):
    """The text uses YAML this reader does not understand."""


def load(text: str) -> Any:
    if yaml is not None:
        return yaml.safe_load(text)
    return _Reader(text).document()


def _strip_comment(line: str) -> str:
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (i == 0 or line[i - 1] in " [{,:-"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def _split_top(text: str, sep: str) -> list[str]:
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _key_split(content: str) -> tuple[str, str] | None:
    """("key", "rest") when the line is a mapping entry, else None."""
    quote = ""
    for i, ch in enumerate(content):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'" and i == 0:
            quote = ch
        elif ch in "{[" and i == 0:
            return None
        elif ch == ":" and (i + 1 == len(content) or content[i + 1] == " "):
            return content[:i].strip(), content[i + 1:].strip()
    return None


def scalar(text: str) -> Any:
    if text.startswith('"'):
        if not text.endswith('"') or len(text) < 2:
            raise YamlSubsetError(f"unterminated or multi-line string: {text!r}")
        return json.loads(text)
    if text.startswith("'"):
        if not text.endswith("'") or len(text) < 2:
            raise YamlSubsetError(f"unterminated or multi-line string: {text!r}")
        return text[1:-1].replace("''", "'")
    if text.startswith("["):
        inner = text[1:-1].strip()
        return [scalar(p) for p in _split_top(inner, ",")] if inner else []
    if text.startswith("{"):
        inner = text[1:-1].strip()
        out = {}
        for part in _split_top(inner, ",") if inner else []:
            kv = _key_split(part)
            if kv is None:
                raise YamlSubsetError(f"flow mapping entry without a key: {part!r}")
            out[scalar(kv[0])] = scalar(kv[1])
        return out
    if text[:1] in ("&", "*", "!"):
        raise YamlSubsetError(f"anchors, aliases and tags are not supported: {text!r}")
    if text in ("", "~", "null"):
        return None
    if text in ("true", "false"):
        return text == "true"
    if NUMBER.match(text):
        return float(text) if any(c in text for c in ".eE") else int(text)
    return text


class _Reader:
    def __init__(self, text: str) -> None:
        self.raw = text.splitlines()
        self.lines: list[tuple[int, str] | None] = []
        for line in self.raw:
            if "\t" in line[: len(line) - len(line.lstrip())]:
                raise YamlSubsetError("tabs in indentation")
            content = _strip_comment(line)
            stripped = content.lstrip()
            self.lines.append((len(content) - len(stripped), stripped) if stripped else None)

    def _next(self, i: int) -> int:
        while i < len(self.lines) and self.lines[i] is None:
            i += 1
        return i

    def document(self) -> Any:
        i = self._next(0)
        if i == len(self.lines):
            return None
        value, i = self.node(i, self.lines[i][0])  # type: ignore[index]
        if self._next(i) != len(self.lines):
            raise YamlSubsetError(f"unexpected text at line {self._next(i) + 1}")
        return value

    def node(self, i: int, indent: int) -> tuple[Any, int]:
        _, content = self.lines[i]  # type: ignore[misc]
        if content == "-" or content.startswith("- "):
            return self.sequence(i, indent)
        return self.mapping(i, indent)

    def sequence(self, i: int, indent: int) -> tuple[list[Any], int]:
        items: list[Any] = []
        while (i := self._next(i)) < len(self.lines):
            ind, content = self.lines[i]  # type: ignore[misc]
            if ind != indent or not (content == "-" or content.startswith("- ")):
                break
            rest = content[1:].strip()
            if not rest:
                j = self._next(i + 1)
                value, i = self.node(j, self.lines[j][0])  # type: ignore[index]
            elif _key_split(rest) is not None:
                # "- key: value" opens a mapping indented where "key" starts
                self.lines[i] = (indent + len(content) - len(rest), rest)
                value, i = self.mapping(i, indent + len(content) - len(rest))
            else:
                value, i = scalar(rest), self._checked_end(i, indent)
            items.append(value)
        return items, i

    def mapping(self, i: int, indent: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        while (i := self._next(i)) < len(self.lines):
            ind, content = self.lines[i]  # type: ignore[misc]
            if ind < indent or (ind == indent and content.startswith("- ")):
                break
            kv = _key_split(content) if ind == indent else None
            if kv is None:
                raise YamlSubsetError(f"line {i + 1}: expected 'key: value', got {content!r}")
            key, rest = scalar(kv[0]), kv[1]
            if BLOCK_SCALAR.match(rest):
                out[key], i = self.block_scalar(i + 1, indent, rest)
            elif rest:
                out[key], i = scalar(rest), self._checked_end(i, indent)
            else:
                j = self._next(i + 1)
                if j < len(self.lines) and (self.lines[j][0] > indent or (  # type: ignore[index]
                        self.lines[j][0] == indent and self.lines[j][1].startswith("- "))):  # type: ignore[index]
                    out[key], i = self.node(j, self.lines[j][0])  # type: ignore[index]
                else:
                    out[key], i = None, i + 1
        return out, i

    def _checked_end(self, i: int, indent: int) -> int:
        j = self._next(i + 1)
        if j < len(self.lines) and self.lines[j][0] > indent:  # type: ignore[index]
            raise YamlSubsetError(f"line {j + 1}: multi-line plain scalars are not supported")
        return i + 1

    def block_scalar(self, i: int, indent: int, style: str) -> tuple[str, int]:
        body: list[str] = []
        base = None
        while i < len(self.raw):
            line = self.raw[i]
            if line.strip():
                ind = len(line) - len(line.lstrip())
                if ind <= indent:
                    break
                base = ind if base is None else base
                body.append(line[base:])
            else:
                body.append("")
            i += 1
        while body and not body[-1]:
            body.pop()
        text = " ".join(b.strip() for b in body) if style[0] == ">" else "\n".join(body)
        return (text if style.endswith("-") else text + "\n"), i
