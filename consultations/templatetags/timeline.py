from django import template

from consultations.models import Transition
from consultations.timeline_text import step_actor, step_comment

register = template.Library()


@register.filter
def comment_in_reader_language(step: Transition) -> str:
    return step_comment(step)


@register.filter
def actor_in_reader_language(step: Transition) -> str:
    return step_actor(step)
