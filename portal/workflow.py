"""The one shape of a state machine: a table of moves, checked in one place.

Vacancies (and courses, reviewed the same way), applications and cases each keep their table next to
their services (`jobs.services.VACANCY_FLOW`, `candidates.services.APPLICATION_FLOW`,
`desk.cases.CASE_FLOW`). Every status change goes through `move` (one record) or `bulk` (many, in one
UPDATE per target status): a move that is not in the table is refused with a ValidationError on
`status`, worded for its kind of record, and nothing is written. What a move also does (an event, an
audit entry, a message, indexing) stays with the service that makes it.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone


class Workflow:
    def __init__(self, rows, *, refused, words=None, fields=None):
        """`rows`: (the statuses an action may start from, the action, the status it leads to).
        `refused` words a move that is not in the table (or is a dict of such words per action), with
        %(status)s (the record's status, as shown) and %(action)s: `words[action]`, else the label of the
        status the action names (applications and cases name their moves by the status they lead to).
        `fields` names, per action, the field a refusal is shown next to, where it is not `status`."""
        self.table = {(source, action): target for sources, action, target in rows for source in sources}
        self.refused, self.words, self.fields = refused, words or {}, fields or {}

    def refusing(self, refused) -> "Workflow":
        """The same table, with another kind of record's wording (a course reviewed as a vacancy is)."""
        other = Workflow([], refused=refused, words=self.words, fields=self.fields)
        other.table = self.table
        return other

    def allows(self, status: str, action: str) -> bool:
        return (status, action) in self.table

    def actions(self, status: str) -> list[str]:
        """The actions open from `status`, in the table's order (the buttons and choices a page offers)."""
        return [action for source, action in self.table if source == status]

    def sources(self, action: str) -> set[str]:
        return {source for source, name in self.table if name == action}

    def check(self, record, action: str) -> str:
        """The status `action` leads `record` to, or a ValidationError saying why it may not move."""
        try:
            return self.table[record.status, action]
        except KeyError:
            labels = dict(type(record)._meta.get_field("status").flatchoices)
            word = self.words.get(action, labels.get(action, action))
            refused = self.refused[action] if isinstance(self.refused, dict) else self.refused
            message = refused % {"status": record.get_status_display(), "action": word}
            raise ValidationError({self.fields.get(action, "status"): [message]}) from None

    def move(self, record, action: str, **fields) -> str:
        """Move one record, which the caller has locked, and save it with `fields`. Returns the status
        it left."""
        target = self.check(record, action)
        source = record.status
        record.status = target
        for name, value in fields.items():
            setattr(record, name, value)
        record.save(update_fields=["status", *fields, *_auto_now(type(record))])
        return source

    def bulk(self, queryset, action: str, **fields) -> list[tuple[int, str]]:
        """Move, in one UPDATE per target status, the records of `queryset` that `action` may start from;
        the others stay as they are. Returns (pk, the status it left) for each record moved."""
        model = queryset.model
        rows = list(queryset.filter(status__in=self.sources(action)).select_for_update().values_list("pk", "status"))
        now = timezone.now()
        stamps = dict.fromkeys(_auto_now(model), now)
        for target in {self.table[status, action] for _pk, status in rows}:
            moved = [pk for pk, status in rows if self.table[status, action] == target]
            model.objects.filter(pk__in=moved).update(status=target, **stamps, **fields)
        return rows


def _auto_now(model) -> list[str]:
    """Fields that `save()` stamps itself and `update()` does not (portal.indexing.IndexedModel's `modified_at`)."""
    return [field.name for field in model._meta.concrete_fields if getattr(field, "auto_now", False)]
