"""makemessages that also reads `_lazy(...)`: consultations/forms_public.py imports gettext_lazy under that name
(its `_` is gettext), and xgettext knew only the standard names, so the phone form's labels never reached the
catalogue and stayed Chinese in English."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
