from django import template

from portal.phones import mask_phone

register = template.Library()


@register.filter
def masked(phone: str) -> str:
    return mask_phone(phone or "")
