"""Reading captured queries as a list of statements, for tests that pin what an operation does."""

import re

_TABLE = re.compile(r'(?:FROM|INTO|UPDATE) "(\w+)"')


def _key(sql: str) -> str:
    if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
        return sql.rsplit(" ", 1)[0]
    verb = sql.split(" ", 1)[0]
    table = _TABLE.search(sql)
    return f"{verb} {table.group(1)}" if table else verb


def statements(captured_queries) -> list[str]:
    """Each query as its verb and main table ("INSERT claims_strike"), with a run of one batched
    INSERT or UPDATE counted once: SQLite splits bulk writes into statements of at most 999
    parameters, so only their number, never the list, grows with the rows."""
    keys: list[str] = []
    for query in captured_queries:
        key = _key(query["sql"])
        if keys and keys[-1] == key and key.startswith(("INSERT", "UPDATE")):
            continue
        keys.append(key)
    return keys


def without_statistics(captured_queries) -> list[dict]:
    """The queries of an import but its statistics step (Writer.analyze on PostgreSQL: a read of
    pg_class, then ANALYZE of the tables written that need it, which depends on the rows each had
    when last analysed, if by an earlier test: an ANALYZE is not rolled back). The step has its
    own tests (tests/claims/test_import_writer.py)."""
    return [
        query
        for query in captured_queries
        if not query["sql"].startswith(("ANALYZE", "SELECT relname, reltuples FROM pg_class"))
    ]
