"""The benchmark (`make bench`, bench/run.py) and the settings it serves the app with
(bench/settings.py: the production settings plus the trivial view /_ceiling/)."""
