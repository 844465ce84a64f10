"""Table versions: a number per table that every committed write changes (PostgreSQL only), and
row counts kept per process until a table they read changes (imports no app).

Counting is what a list page pays most for at national scale: `count(*)` over the 112,000 held
quarterly-report meetings takes 7 ms in an index-only scan, more than the page's rows, and the
admin counts all 150,000 meetings on every changelist. The count only changes when a table it
reads changes, so it is kept until then.

How a change is seen. After `migrate`, every table of a Django model gets a statement-level
trigger (`install`): each INSERT, UPDATE, DELETE or TRUNCATE statement inserts the row (table, 1)
into `servicepolice_table_write`. A table's version is the sum of its rows' numbers, read in one
query. Because the trigger writes in the writer's transaction, the sum moves exactly when the
change commits, for writes through the ORM, `QuerySet.update`, bulk inserts, raw SQL and `psql`
alike. Writers only insert, so they never wait for each other nor deadlock on this table (an
upsert into one row per table would have made every two writers of a table queue until
commit). About one write in FOLD_ONE_IN also folds its table's committed rows into one row
holding their sum, within its transaction: the sum, and so the version, does not change, and
the log stays at a few hundred rows per table. Committed sums only grow, so a sum names one
committed state of a table.

A count is read only in autocommit (`connection.in_atomic_block` is false): inside a
transaction that wrote, the sum would include its own uncommitted change, and a rollback could
later let another change reach the same sum. Then and on SpatiaLite (no triggers: counts of a
region-scale file are cheap) the count is simply run.

The versions are read first, then the count: a change that commits in between makes the count
newer than its key, never older, and every later request reads the newer version.
"""

from __future__ import annotations

import datetime
import decimal
import re
import uuid
from array import array
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import connection, connections
from django.db.models import QuerySet

from servicepolice.lru import LRU

WRITE_TABLE = "servicepolice_table_write"
TRIGGER = "servicepolice_table_write"
FOLD_ONE_IN = 256  # a write folds its table's rows once in this many statements, on average

# The fold takes only rows no other transaction is folding (SKIP LOCKED): it never waits, so
# two writers folding two tables in opposite orders cannot deadlock.
_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {WRITE_TABLE} (tbl, n) VALUES (TG_TABLE_NAME, 1);
    IF random() < 1.0 / {FOLD_ONE_IN} THEN
        WITH gone AS (
            DELETE FROM {WRITE_TABLE} WHERE ctid IN (
                SELECT ctid FROM {WRITE_TABLE} WHERE tbl = TG_TABLE_NAME
                FOR UPDATE SKIP LOCKED)
            RETURNING n)
        INSERT INTO {WRITE_TABLE} (tbl, n)
            SELECT TG_TABLE_NAME, sum(n) FROM gone HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END $$
"""


def install(using: str = "default", **kwargs) -> None:
    """Create the write log, its trigger function and a trigger on every model's table
    (a post_migrate receiver; idempotent, and tables added later get theirs on the next
    migrate). Nothing on other databases."""
    db = connections[using]
    if db.vendor != "postgresql":
        return
    tables = db.introspection.django_table_names(only_existing=True, include_views=False)
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {WRITE_TABLE} (tbl text NOT NULL, n bigint NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {WRITE_TABLE}_tbl ON {WRITE_TABLE} (tbl)")
        cursor.execute(_FUNCTION_SQL)
        for table in sorted(tables):  # (CREATE OR REPLACE TRIGGER needs PostgreSQL 14)
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}")
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
            )
    _tracked.pop(db.alias, None)


_tracked: dict[str, frozenset[str]] = {}


def tracked_tables() -> frozenset[str]:
    """The tables with the trigger, read from the catalog once per process (empty on SpatiaLite
    and before `install`)."""
    alias = connection.alias
    if alias not in _tracked:
        found: frozenset[str] = frozenset()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE t.tgname = %s",
                    [TRIGGER],
                )
                found = frozenset(row[0] for row in cursor.fetchall())
        _tracked[alias] = found
    return _tracked[alias]


def keeping() -> bool:
    """Whether versions can be trusted on this connection now: PostgreSQL with the triggers
    installed, outside a transaction. Checked before any work that only a kept value repays."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and bool(tracked_tables())
    )


def versions(tables) -> tuple | None:
    """((table, version), …) of `tables`, sorted; None when versions cannot be trusted here (no
    trigger on one of them, inside a transaction, SpatiaLite)."""
    tables = sorted(set(tables))
    if not tables or not keeping() or not tracked_tables().issuperset(tables):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tbl, sum(n) FROM {WRITE_TABLE} WHERE tbl = ANY(%s) GROUP BY tbl",
            [tables],
        )
        found = dict(cursor.fetchall())
    return tuple((table, int(found.get(table, 0))) for table in tables)


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_table_names: frozenset[str] | None = None


def tables_in(sql: str) -> set[str]:
    """Every model table a statement names, quoted or not (a column named like a table only
    adds a dependency, which costs nothing but a miss)."""
    global _table_names
    if _table_names is None:
        names = set()
        for model in apps.get_models(include_auto_created=True):
            names.add(model._meta.db_table)
        _table_names = frozenset(names)
    return set(_WORD.findall(sql)) & _table_names


_PLAIN = (
    str,
    int,
    float,
    bool,
    type(None),
    datetime.date,
    datetime.time,
    decimal.Decimal,
    uuid.UUID,
)


def _size(value: Any) -> int:
    """Bytes an entry holds, roughly: its key's statement (about 2 KB) and its value."""
    if isinstance(value, array):
        return 2048 + value.itemsize * len(value)
    if isinstance(value, list | tuple):
        return 2048 + 100 * len(value)
    return 2048


MAX_BYTES = 32 * 1024 * 1024  # per process
_kept = LRU(max_bytes=MAX_BYTES, max_entries=4096, size=_size)

# Lists up to this many rows keep their keys in order (8 bytes each: 160 KB at most).
KEEP_KEYS_UP_TO = 20_000


def cached_count(queryset: QuerySet) -> int:
    """`queryset.count()`, from this process's store while no table the query reads has changed
    (see the module's docstring); otherwise counted, and kept."""
    if not keeping():
        return queryset.count()
    # The rows it counts, not the joins it would read along (select_related).
    return cached_result(queryset.select_related(None).order_by(), "count", queryset.count)


def cached_page_keys(queryset: QuerySet, page: slice, count: int | None) -> list:
    """The primary keys of `queryset[page]`, in order. A list of at most KEEP_KEYS_UP_TO rows
    (`count`, when the caller knows it) keeps all its keys in order, like a count, so a deep
    page is a slice of them instead of a sort of every row (3,000 stations by district name:
    5 ms a page); a longer list, or where versions are not kept, reads the page's keys."""
    keys = queryset.values_list("pk", flat=True)
    if count is None or count > KEEP_KEYS_UP_TO or page.step is not None or not keeping():
        return list(keys[page])
    ordered = cached_result(keys, "keys", lambda: _compact(list(keys)))
    return list(ordered[page])


def _compact(keys: list) -> array | tuple:
    """Integer keys as 8-byte machine integers; any other keys as they are."""
    if all(type(key) is int for key in keys):
        try:
            return array("q", keys)
        except OverflowError:
            pass
    return tuple(keys)


def cached_result(queryset: QuerySet, purpose: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, a value derived from `queryset`'s rows alone (and from `purpose`, which
    names the derivation, language included where it matters), kept like a count: until a table
    the query reads changes. Computed every time where versions are not kept."""
    if not keeping():  # not even compiled: SpatiaLite, or inside a transaction
        return compute()
    try:
        sql, params = queryset.query.sql_with_params()
    except Exception:  # EmptyResultSet and friends: nothing worth keeping
        return compute()
    if not all(isinstance(p, _PLAIN) for p in params) or queryset.db != connection.alias:
        return compute()
    version = versions(tables_in(sql))
    if version is None:
        return compute()
    key = (purpose, sql, tuple(params), version)
    value = _kept.get(key)
    if value is None:
        value = compute()
        _kept.put(key, value)
    return value


def cached_counts_clear() -> None:
    """Forget every kept count and result of this process (tests)."""
    _kept.clear()
