"""Pages of staff lists and admin changelists that never count the whole history.

A district's issues, a province's roster or the outbox run to hundreds of thousands of rows; counting them all
for every page view is the slowest query of the page and tells nobody anything. These paginators count at most
`cap` + 1 rows (a COUNT over a LIMIT, without the ORDER BY), so a page costs the same at any size: below the cap
the count is exact, above it the list says it holds more than `cap` rows and the filters narrow it.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

ROW_COUNT_CAP = 1000


class CappedCountPaginator(Paginator):
    """A Paginator over at most `cap` rows; `count_capped` says whether there were more."""

    cap = ROW_COUNT_CAP

    def __init__(
        self, object_list: Any, per_page: int | str, *args: Any, counted: int | None = None, **kwargs: Any
    ) -> None:
        """`counted`: the rows (up to cap + 1) when the page already counted them, e.g. for its tabs."""
        super().__init__(object_list, per_page, *args, **kwargs)
        if counted is not None:
            self.__dict__["counted"] = counted

    @cached_property
    def counted(self) -> int:
        """Rows found, up to cap + 1: the one beyond the cap only says there are more."""
        rows = self.object_list
        if isinstance(rows, QuerySet):
            # The order does not change how many rows there are, and sorting all of them would cost what the
            # count saves.
            # Nor do the columns a page shows: counted by id alone, the subqueries of annotations (sign-ups, live
            # deadlines) are not run for a thousand rows. A DISTINCT, a UNION or a GROUP BY counts the rows it made.
            whole_rows = rows.query.distinct or rows.query.combinator or rows.query.group_by is not None
            counted = rows.order_by() if whole_rows else rows.order_by().values("pk")
            return counted[: self.cap + 1].count()
        return min(len(rows), self.cap + 1)

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @cached_property
    def count_capped(self) -> bool:
        return self.counted > self.cap
