"""`block__any=[…]`: membership in a list of block ids as one array parameter on PostgreSQL
(`block = ANY(%s)`), instead of a 200-placeholder `IN (…)` that costs more to build and bind
than the query takes to run; other databases get the plain `IN`.

Given an `array.array` of integers rather than a list, the ORM passes it through whole: for a
list it resolves each value, which costs more than the query for 2,500 blocks."""

from array import array
from typing import Any

from django.db.models import Lookup
from django.db.models.lookups import In


class AnyOf(Lookup):
    lookup_name = "any"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if connection.vendor != "postgresql":
            return In(self.lhs, list(self.rhs)).as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, list(self.rhs)]

    def get_prep_lookup(self) -> Any:
        if isinstance(self.rhs, array):
            return self.rhs.tolist()
        return [int(value) for value in self.rhs]
