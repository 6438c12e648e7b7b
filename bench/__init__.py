"""`make bench`: the instrument of issue 10 (bench/run.py); results in bench/results.json and bench/results.md."""
