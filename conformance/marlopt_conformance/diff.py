"""Names the first field where two protobuf messages differ, for readable failure messages."""
from typing import Optional

from google.protobuf.descriptor import FieldDescriptor

from .harness import fail


def first_difference(actual, expected, path: str = "") -> Optional[str]:
    """None when equal, else "path: actual vs expected" for the first differing field."""
    if actual == expected:
        return None
    for field in actual.DESCRIPTOR.fields:
        where = f"{path}.{field.name}" if path else field.name
        a, e = getattr(actual, field.name), getattr(expected, field.name)
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            difference = _map_difference(a, e, where)
        elif field.label == FieldDescriptor.LABEL_REPEATED:
            difference = _list_difference(a, e, where, field.message_type is not None)
        elif field.message_type is not None:
            difference = first_difference(a, e, where)
        else:
            difference = None if a == e else f"{where}: {a!r} vs {e!r}"
        if difference:
            return difference
    return f"{path or 'message'}: differs"


def _list_difference(a, e, where: str, of_messages: bool) -> Optional[str]:
    if len(a) != len(e):
        return f"{where}: {len(a)} elements vs {len(e)}"
    for index, (x, y) in enumerate(zip(a, e)):
        difference = first_difference(x, y, f"{where}[{index}]") if of_messages else (
            None if x == y else f"{where}[{index}]: {x!r} vs {y!r}")
        if difference:
            return difference
    return None


def _map_difference(a, e, where: str) -> Optional[str]:
    if set(a.keys()) != set(e.keys()):
        return f"{where}: keys {sorted(a.keys())} vs {sorted(e.keys())}"
    for key in sorted(a.keys()):
        x, y = a[key], e[key]
        difference = first_difference(x, y, f"{where}[{key!r}]") if hasattr(x, "DESCRIPTOR") else (
            None if x == y else f"{where}[{key!r}]: {x!r} vs {y!r}")
        if difference:
            return difference
    return None


def expect_same(actual, expected, what: str) -> None:
    """Fails naming the first differing field unless the two messages are equal bit for bit."""
    difference = first_difference(actual, expected)
    if difference:
        fail(f"{what}: {type(actual).__name__} differs at {difference} (first value: this call)")
