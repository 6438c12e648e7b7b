"""A province at scale for benchmarks: generated reproducibly and bulk loaded by `manage.py bench_province`."""
