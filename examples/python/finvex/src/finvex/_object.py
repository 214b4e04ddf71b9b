"""Responses: plain dicts that also answer attribute access (``order.id``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Mapping, Optional

if TYPE_CHECKING:  # pragma: no cover
    from ._client import ResponseInfo

__all__ = ["FinvexObject", "ListObject", "convert"]

# Stop a runaway walk: the API refuses skip > 100000 anyway.
MAX_SKIP = 100_000
# The server's page size when a list names no ``count``.
DEFAULT_PAGE_SIZE = 10


class FinvexObject(Dict[str, Any]):
    """A JSON object from the API: a ``dict`` whose keys are also attributes.

    ``order['id']`` and ``order.id`` are the same. Keys that collide with a
    ``dict`` method (``items``, ``keys``, ``values``, ``get``, ``copy``, ...)
    are reachable by subscript only, so the object stays a faithful ``dict``
    (``json.dumps(order)`` works). A missing key raises ``AttributeError`` for
    attribute access and ``KeyError`` for subscripts.
    """

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__} has no attribute or key {name!r}"
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self[name] = value

    def __delattr__(self, name: str) -> None:
        if name.startswith("_"):
            object.__delattr__(self, name)
            return
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | {k for k in self.keys() if isinstance(k, str)})

    def __repr__(self) -> str:
        ident = self.get("id")
        entity = self.get("entity")
        label = " ".join(str(x) for x in (entity, ident) if isinstance(x, str))
        head = f"<{type(self).__name__}{' ' + label if label else ''}>"
        return head + " " + json.dumps(self, indent=2, sort_keys=True, default=str)

    @property
    def last_response(self) -> Optional["ResponseInfo"]:
        """Status, headers and request id of the answer this object came from."""
        return self.__dict__.get("_last_response")

    def to_dict(self) -> Dict[str, Any]:
        """A deep copy made of plain ``dict``/``list`` values."""
        plain: Dict[str, Any] = json.loads(json.dumps(self))
        return plain


class ListObject(FinvexObject):
    """A collection ``{"entity": "collection", "count": n, "items": [...]}``.

    ``collection['items']`` holds the page (``collection.items`` is the
    ``dict`` method); :meth:`auto_paging_iter` walks every page from here.
    """

    @property
    def data(self) -> List[Any]:
        """The page's items (``self['items']``)."""
        items = self.get("items")
        return items if isinstance(items, list) else []

    def auto_paging_iter(self, *, limit: Optional[int] = None) -> Iterator[Any]:
        """Every item from this page on, fetching the following pages by ``skip``."""
        fetch: Optional[Callable[..., "ListObject"]] = self.__dict__.get("_fetch")
        params: Dict[str, Any] = dict(self.__dict__.get("_params") or {})
        if fetch is None:
            yield from self.data[:limit] if limit is not None else self.data
            return
        yield from walk(fetch, params, first=self, limit=limit)


def walk(
    fetch: Callable[..., ListObject],
    params: Mapping[str, Any],
    *,
    first: Optional[ListObject] = None,
    limit: Optional[int] = None,
    page_size: int = 100,
) -> Iterator[Any]:
    """Pages by ``skip`` until a short page, ``limit`` items, or ``skip`` > 100000.

    Lists are newest first, so an item created during the walk shifts later
    pages by one; items already yielded (by ``id``) are not yielded twice.
    """
    params = dict(params)
    count = int(params.pop("count", None) or (DEFAULT_PAGE_SIZE if first is not None else page_size))
    skip = int(params.pop("skip", None) or 0)
    seen = set()
    yielded = 0
    page = first
    while True:
        if limit is not None and yielded >= limit:
            return
        if page is None:
            page = fetch(count=count, skip=skip, **params)
        items = page.data
        for item in items:
            ident = item.get("id") if isinstance(item, dict) else None
            if ident is not None:
                if ident in seen:
                    continue
                seen.add(ident)
            yield item
            yielded += 1
            if limit is not None and yielded >= limit:
                return
        if len(items) < count or not items:
            return
        skip += len(items)
        if skip > MAX_SKIP:
            return
        page = None


def convert(value: Any) -> Any:
    """JSON values with every object as a :class:`FinvexObject` (collections: :class:`ListObject`)."""
    if isinstance(value, dict):
        cls = ListObject if value.get("entity") == "collection" else FinvexObject
        return cls((k, convert(v)) for k, v in value.items())
    if isinstance(value, list):
        return [convert(v) for v in value]
    return value
