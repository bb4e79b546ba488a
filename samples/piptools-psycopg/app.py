"""piptools-psycopg sample: import the compiled psycopg2 driver and SQLAlchemy (no DB needed)."""

import psycopg2
import sqlalchemy
from sqlalchemy.dialects import postgresql

if __name__ == "__main__":
    print(f"psycopg2 {psycopg2.__version__}")
    print(f"sqlalchemy {sqlalchemy.__version__} (dialect {postgresql.dialect.name}+{postgresql.psycopg2.dialect.driver})")
