"""A timeline entry in the reader's language.

The services store each Transition's comment and actor label as text, in the language of the person who acted.
What a person typed (a reason, a reply, a meeting's title) stays as typed; what the portal wrote around it (the
sentences below, the tally, the rating's label, 系统) is recognised here and written again in the reader's
language at display time, so rows stored before this module existed read in English too.
"""

import re
from collections.abc import Callable
from functools import cache, partial

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from consultations.models import IssueAction, IssueChannel, Rating, Transition

# Each sentence a service writes as a whole comment; keep in step with consultations/services.py.
GENERATED_COMMENTS = (
    gettext_noop("由 %(staff)s 代为录入（%(channel)s）"),
    gettext_noop("与另一议题反映的是同一事项，合并办理。"),
    gettext_noop("另一位村民反映的同一事项已合并到本议题一并办理。"),
    gettext_noop("列入%(meeting)s（%(when)s）"),
    gettext_noop("%(meeting)s（%(when)s）取消：%(reason)s"),
    gettext_noop("%(meeting)s表决票数更正：%(before)s → %(after)s。理由：%(reason)s"),
    gettext_noop("交%(department)s办理，期限 %(deadline)s（%(days)d 个工作日）"),
    gettext_noop("%(department)s已签收"),
    gettext_noop("%(reply)s（承诺 %(date)s 前办结）"),
    gettext_noop("经核实，部门答复的事项已办理完成。"),
    gettext_noop("反映人确认已办理完成。"),
    gettext_noop("%(reason)s（退回%(department)s重办，期限 %(deadline)s）"),
    gettext_noop("反映人反馈：事情还没有办好。"),
    gettext_noop("公示 %(days)d 天"),
    gettext_noop("公示期满，自动归档"),
)
TALLY = gettext_noop("赞成 %(for)d，反对 %(against)d，弃权 %(abstain)d")
CONSENSUS_WITH_TALLY = gettext_noop("%(text)s（%(tally)s）")
GENERATED_ACTORS = (gettext_noop("系统"),)
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _in_language(code: str, render: Callable[[], str]) -> str:
    with translation.override(code):
        return render()


def _pattern(text: str, *, whole: bool = True) -> re.Pattern[str]:
    """The regular expression of a msgid or its translation: each %(name)s a lazy group, %(name)d digits."""
    parts, last = [], 0
    for found in PLACEHOLDER.finditer(text):
        parts.append(re.escape(text[last : found.start()]))
        name, kind = found.groups()
        parts.append(rf"(?P<{name}>\d+)" if kind == "d" else rf"(?P<{name}>.+?)")
        last = found.end()
    parts.append(re.escape(text[last:]))
    body = "".join(parts)
    # Older consensus steps were written with half-width brackets around the tally.
    return re.compile(rf"^{body}$" if whole else rf"^(?P<lead>.*?)[(（]?{body}[)）]?$", re.S)


def _in_every_language(render: Callable[[], str]) -> set[str]:
    return {_in_language(code, render) for code in _languages()}


@cache
def _patterns(msgid: str, *, whole: bool = True) -> tuple[re.Pattern[str], ...]:
    """One pattern per language the portal speaks; the comment may have been written in any of them."""
    return tuple({_pattern(text, whole=whole) for text in _in_every_language(lambda: gettext(msgid))})


def _params(found: re.Match[str], msgid: str) -> dict[str, str | int]:
    kinds = dict(PLACEHOLDER.findall(msgid))
    return {
        name: int(value) if kinds.get(name) == "d" else _label_again(value)
        for name, value in found.groupdict().items()
        if name in kinds
    }


def _label_again(value: str) -> str:
    """A channel's or a rating's label, written again in the reader's language; anything else as typed."""
    for choices in (IssueChannel, Rating):
        for choice in choices:
            if value in _in_every_language(partial(str, choice.label)):
                return str(choice.label)
    return value


def comment_text(comment: str, *, action: str = "") -> str:
    for msgid in GENERATED_COMMENTS:
        for pattern in _patterns(msgid):
            found = pattern.match(comment)
            if found:
                return gettext(msgid) % _params(found, msgid)
    # A consensus: the text agreed on, as typed, then the tally the portal added in brackets.
    for pattern in _patterns(TALLY, whole=False):
        found = pattern.match(comment)
        if found:
            return gettext(CONSENSUS_WITH_TALLY) % {
                "text": found["lead"],
                "tally": gettext(TALLY) % _params(found, TALLY),
            }
    # A rating: its label, then what the submitter typed.
    if action != IssueAction.RATE:
        return comment
    for rating in Rating:
        for code in _languages():
            label = _in_language(code, partial(str, rating.label))
            if comment == label or comment.startswith(f"{label} "):
                return f"{rating.label}{comment[len(label) :]}"
    return comment


def actor_text(actor_label: str) -> str:
    for msgid in GENERATED_ACTORS:
        if actor_label in _in_every_language(partial(gettext, msgid)):
            return gettext(msgid)
    return actor_label


def step_comment(step: Transition) -> str:
    return comment_text(step.comment, action=step.action)


def step_actor(step: Transition) -> str:
    return actor_text(step.actor_label)
