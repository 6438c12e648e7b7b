from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from portal.private_pages import account_changed

        # Not business logic: a kept signed-in page must not outlive a change of its account, however made.
        user_model = get_user_model()
        post_save.connect(account_changed, sender=user_model, dispatch_uid="private-pages-account-saved")
        post_delete.connect(account_changed, sender=user_model, dispatch_uid="private-pages-account-deleted")
        for through in (user_model.groups.through, user_model.user_permissions.through):
            m2m_changed.connect(account_changed, sender=through, dispatch_uid=f"private-pages-{through.__name__}")
