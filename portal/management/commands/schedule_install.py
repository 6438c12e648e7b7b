"""Creates the missing entries of the default beat schedule; entries that exist, edited or not, are kept."""

from django.core.management.base import BaseCommand

from portal.notifications.schedule import DEFAULT_SCHEDULE, schedule_install


class Command(BaseCommand):
    help = "Install the default Celery beat schedule (missing entries only; admins' edits are kept)."

    def handle(self, *args, **options) -> None:
        created = schedule_install()
        for entry in created:
            self.stdout.write(f"created {entry.name} ({entry.task})")
        kept = len(DEFAULT_SCHEDULE) - len(created)
        self.stdout.write(f"schedule: {len(created)} created, {kept} already present and kept as they are")
