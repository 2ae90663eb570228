"""Canonical text of a trader's name: the same company, however each border wrote it.

Steps, in order: Unicode NFC (not NFKC, which splits the Thai and Lao vowel SARA AM),
transliteration to ASCII with anyascii (Vietnamese, Thai, Khmer, Lao, Sinhala, Chinese,
full-width forms), case folding, punctuation to spaces, a few abbreviations spelled out, then
removal of the region's legal forms. Business words such as
"Trading", "Recycling" or "Plastic" are kept: they are what tells two companies apart.

The key is order-insensitive ("Sinar Plastik Abadi, PT" and "PT Sinar Plastik Abadi" give the
same key) because it is the sorted tokens; :func:`name_tokens` keeps the written order.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Legal forms removed wherever they occur: unambiguous in a company name. Token sequences,
# matched longest first. Thai, Lao, Khmer and Sinhala forms are given as anyascii writes them.
LEGAL_FORMS_ANYWHERE: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.split()) for form in sorted({
        # Viet Nam: Cong ty TNHH (MTV), Cong ty Co phan / CP, doanh nghiep tu nhan
        "cong ty tnhh mtv", "cong ty tnhh", "cong ty co phan", "cong ty cp", "tnhh mtv", "tnhh",
        "co phan", "dntn", "doanh nghiep tu nhan",
        # Malaysia, Singapore, Sri Lanka, India, Hong Kong, Philippines, everywhere
        "sendirian berhad", "sdn bhd", "sdn", "bhd", "berhad", "pte ltd", "pte", "pvt ltd", "pvt",
        "private limited", "public company limited", "company limited", "co ltd", "sole co ltd",
        "ltd", "limited", "llc", "inc", "incorporated", "corp", "corporation", "jsc",
        "joint stock company", "plc", "pcl",
        # Indonesia
        "tbk", "persero",
        # Thai (brisath ... chamkad (mhachn)), Lao (bolisad ... chamkad phoudyv), Khmer, Sinhala
        "brisath", "chamkad", "mhachn", "bmch", "hchk", "hanghunswnchamkad", "hanghunswnsamay",
        "bolisad", "phoudyv", "mahaxon", "chamkadphoudyv", "kromhon", "aekchn", "ae k",
        "ttuolkhostrouvmankmret", "smagm", "pudglik", "paudglik", "simashit", "pielsi",
        # Chinese, after the ideographs are spaced: you xian gong si and its variants
        "gu fen you xian gong si", "you xian ze ren gong si", "you xian gong si", "gong si",
        "youxian gongsi", "youxiangongsi", "gongsi",
    }, key=lambda f: (-len(f.split()), f))
)
# Ambiguous words removed only at the start or the end of the name ("PT X", "X, PT", "X Co").
LEGAL_FORMS_AT_EDGES: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.split()) for form in ("cong ty", "company", "co", "pt", "cv", "ud", "sole", "the")
)
# Thai and Lao write words without spaces: a legal form may be glued to the name.
GLUED_PREFIXES = ("brisath", "bolisad", "kromhon", "hanghunswnchamkad", "hanghunswnsamay")
GLUED_SUFFIXES = ("chamkadphoudyv", "mhachnchamkad", "chamkad", "mhachn", "mahaxon", "phoudyv")
ABBREVIATIONS = {"intl": "international", "mfg": "manufacturing", "ind": "industries",
                 "tm": "thuong mai", "xnk": "xuat nhap khau", "sx": "san xuat"}

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def transliterate(text: str) -> str:
    """ASCII form of any script; Chinese ideographs become separate pinyin syllables."""
    text = unicodedata.normalize("NFC", text)
    return "".join(f" {anyascii(ch)} " if _CJK.match(ch) else anyascii(ch) for ch in text)


@lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[str, ...]:
    """Tokens of the name in written order, legal forms removed (all of them if nothing else)."""
    text = transliterate(name).casefold().replace("&", " and ").replace("'", "")
    raw = [t for t in _NOT_WORD.sub(" ", text).split() if t]
    tokens: list[str] = []
    for token in raw:
        tokens.extend(ABBREVIATIONS.get(token, token).split())
    stripped = _strip_edges(_strip_anywhere(_unglue(tokens)))
    return tuple(stripped) if stripped else tuple(tokens)


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Canonical key text: sorted tokens without legal forms, so word order does not matter."""
    return " ".join(sorted(name_tokens(name)))


def _unglue(tokens: list[str]) -> list[str]:
    out = []
    for token in tokens:
        for prefix in GLUED_PREFIXES:
            if token.startswith(prefix) and len(token) > len(prefix) + 2:
                out.append(prefix)
                token = token[len(prefix):]
                break
        suffixes = []
        changed = True
        while changed:
            changed = False
            for suffix in GLUED_SUFFIXES:
                if token.endswith(suffix) and len(token) > len(suffix) + 2:
                    suffixes.insert(0, suffix)
                    token = token[: -len(suffix)]
                    changed = True
                    break
        out.append(token)
        out.extend(suffixes)
    return out


def _strip_anywhere(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for form in LEGAL_FORMS_ANYWHERE:
            if tuple(tokens[i:i + len(form)]) == form:
                i += len(form)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _strip_edges(tokens: list[str]) -> list[str]:
    changed = True
    while changed and tokens:
        changed = False
        for form in LEGAL_FORMS_AT_EDGES:
            n = len(form)
            if len(tokens) > n and tuple(tokens[:n]) == form:
                tokens, changed = tokens[n:], True
            if len(tokens) > n and tuple(tokens[-n:]) == form:
                tokens, changed = tokens[:-n], True
    return tokens
