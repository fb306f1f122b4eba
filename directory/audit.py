"""The audit log of staff actions. `record` is called inside the action's own transaction by the
service that performs it, so an action and its log line are saved together or not at all."""

from .models import AuditAction, AuditEntry, Bureau


def _bureau_for(actor, region):
    """The actor's bureau whose jurisdiction covers `region` (the narrowest), else her first."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    bureaus = list(Bureau.objects.for_user(actor).select_related("jurisdiction"))
    covering = [b for b in bureaus if b.covers(region)] if region is not None else []
    if covering:
        return max(covering, key=lambda b: len(b.jurisdiction.path))
    return bureaus[0] if bureaus else None


def record(*, actor, action, obj, region=None, bureau=None, detail=""):
    """Write one line: `actor` did `action` (an AuditAction) to `obj`.

    The bureau the line belongs to is `bureau` if given, else the actor's bureau covering
    `region` (where the object lies). Lines of admins acting outside any bureau have no bureau
    and are seen in the admin only.
    """
    if bureau is None:
        bureau = _bureau_for(actor, region)
    line = _line(actor=actor, action=action, obj=obj, bureau=bureau, detail=detail)
    line.save()
    return line


def record_many(*, actor, lines, bureau):
    """Write many lines of one actor for one bureau in one INSERT: `lines`, (action, obj,
    detail) each (a provincial phase carrying 10,000 posts over writes 10,000 lines)."""
    return AuditEntry.objects.bulk_create(
        [
            _line(actor=actor, action=action, obj=obj, bureau=bureau, detail=detail)
            for action, obj, detail in lines
        ],
        batch_size=2000,
    )


def _line(*, actor, action, obj, bureau, detail):
    AuditAction(action)  # unknown actions fail loudly
    label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        label = f"{actor.get_full_name()} <{actor.email or actor.contact_label}>"
    return AuditEntry(
        bureau=bureau,
        actor=actor if label else None,
        actor_label=label,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk or ""),
        object_label=str(obj)[:200],
        detail=(detail or "")[:500],
    )
