"""Which database a URL names, whatever form the hosting gives it in."""

from store.db import normalized_url


def test_a_postgres_url_as_hosting_gives_it_is_served_by_psycopg() -> None:
    for given in ("postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"):
        assert normalized_url(given) == "postgresql+psycopg://u@h/db"
    assert normalized_url("sqlite:///crm.db") == "sqlite:///crm.db"
