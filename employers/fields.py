from django.db import models
from django.db.models import Lookup

from .schedule import EMPTY_MASK, MASK_BITS


class WeekMaskField(models.Field):
    """A PostgreSQL bit(672): one bit per 15-minute slot of the week (employers.schedule)."""

    description = "weekly 15-minute slot mask"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", EMPTY_MASK)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return f"bit({MASK_BITS})"

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("default", None)
        kwargs.pop("editable", None)
        return name, path, args, kwargs


@WeekMaskField.register_lookup
class Inside(Lookup):
    """`schedule_mask__inside=free_bits`: no working slot outside the free slots."""

    lookup_name = "inside"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        zero = f"B'{EMPTY_MASK}'"
        return (
            f"({lhs} & ~({rhs})::bit({MASK_BITS})) = {zero}",
            (*lhs_params, *rhs_params),
        )
