from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalSiteConfig(AppConfig):
    # An app of its own (no models) so that the demo's management command lives beside the demo it loads.
    name = "portal.site"
    label = "portal_site"
    verbose_name = _("门户站点")

    def ready(self) -> None:
        # The base's phone login asks the roster about numbers without an account: only the composition may
        # import both (see portal/accounts/login_code_sending.py).
        from django.utils import timezone

        from members.selectors import roster_person_with_phone
        from members.services import member_account_create
        from portal.accounts.login_code_sending import RosterAccounts, roster_accounts_connect

        roster_accounts_connect(
            RosterAccounts(
                is_member=lambda phone: roster_person_with_phone(phone, on_date=timezone.localdate()) is not None,
                account_create=lambda phone: member_account_create(phone=phone),
            )
        )
