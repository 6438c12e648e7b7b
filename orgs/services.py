"""Writes to the region tree and organizations. The tree path is kept here and nowhere else."""

from django.db import transaction

from orgs.models import Region, RegionLevel


@transaction.atomic
def region_create(*, name: str, level: RegionLevel | str, parent: Region | None) -> Region:
    region = Region.objects.create(name=name, level=level, parent=parent)
    region.path = f"{parent.path if parent else '/'}{region.pk}/"
    region.save(update_fields=["path"])
    return region


@transaction.atomic
def region_get_or_create(*, name: str, level: RegionLevel | str, parent: Region | None) -> Region:
    existing = Region.objects.filter(name=name, parent=parent).first()
    if existing is not None:
        return existing
    return region_create(name=name, level=level, parent=parent)


@transaction.atomic
def region_move(*, region: Region, new_parent: Region | None) -> Region:
    """Re-roots a subtree: every descendant's path changes with it, in one transaction."""
    locked = Region.objects.select_for_update().get(pk=region.pk)
    if new_parent is not None and new_parent.path.startswith(locked.path):
        raise ValueError("A region cannot move under itself.")
    old_path = locked.path
    new_path = f"{new_parent.path if new_parent else '/'}{locked.pk}/"
    locked.parent = new_parent
    locked.save(update_fields=["parent"])
    for descendant in Region.objects.select_for_update().filter(path__startswith=old_path):
        descendant.path = new_path + descendant.path[len(old_path) :]
        descendant.save(update_fields=["path"])
    locked.refresh_from_db()
    return locked
