"""Chinese text uses full-width punctuation (：（）！，；？“”), as Chinese government pages do.

The check reads what a reader sees: the string literals of the Python code (docstrings and regular
expressions aside) and the templates, and the msgids of the English catalogue, which must match them.
"""

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CJK = "\u3400-\u9fff\u3000-\u303f\uff01-\uffef\u201c\u201d"
HALF_WIDTH_NEXT_TO_CHINESE = re.compile(f'[{CJK}][,:;!?()]|[,:;!?()] *[{CJK}]|[{CJK}]"[^"\\s<>={{}}%]{{1,20}}"')
SOURCES = ("activities", "consultations", "members", "orgs", "portal", "templates")


def _python_strings(path: Path) -> list[tuple[int, str]]:
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text()).readline))
    found = []
    previous = None
    for token in tokens:
        if token.type == tokenize.STRING:
            prefix = token.string[: len(token.string) - len(token.string.lstrip("rRbBuUfF"))].lower()
            is_docstring = previous is None or previous.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
            if "r" not in prefix and "b" not in prefix and not is_docstring:
                found.append((token.start[0], token.string[len(prefix) + 1 : -1]))
        if token.type not in (tokenize.NL, tokenize.COMMENT, tokenize.STRING):
            previous = token
    return found


def _template_text(path: Path) -> list[tuple[int, str]]:
    # Template tags are opaque: a mark next to {% translate %} follows the language of the tag.
    text = path.read_text()
    return [
        (number, re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", "\ue000", line))
        for number, line in enumerate(text.splitlines(), 1)
    ] + [(0, literal) for literal in re.findall(r"\{%\s*(?:trans|translate)\s+\"([^\"]*)\"", text)]


def _offences(pieces: list[tuple[int, str]], path: Path) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{n}: {m.group(0)!r}"
        for n, text in pieces
        for m in HALF_WIDTH_NEXT_TO_CHINESE.finditer(text)
    ]


def test_code_and_templates_use_full_width_punctuation_in_chinese_text():
    offences = []
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix == ".py":
                offences += _offences(_python_strings(path), path)
            elif path.suffix in {".html", ".txt"}:
                offences += _offences(_template_text(path), path)
    assert offences == [], "\n".join(offences[:50])


def test_the_english_catalogue_translates_the_full_width_msgids():
    catalogue = (ROOT / "locale/en/LC_MESSAGES/django.po").read_text()
    msgids = re.findall(r'^msgid "(.*)"$', catalogue, flags=re.M)
    offences = [m for m in msgids if HALF_WIDTH_NEXT_TO_CHINESE.search(m)]
    assert offences == []
