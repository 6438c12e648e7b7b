"""Demo data built from the five seed articles (/work/shared/seeds): places, organizations, people, logins.

The data modules (regions, organizations, people, accounts, names) say *what* exists; `loader` writes it,
idempotently, keyed on natural keys. `python manage.py seed_demo` runs the loader.
"""
