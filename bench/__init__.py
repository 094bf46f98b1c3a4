"""Development tools, never installed in production (config/settings.py: DEV_TOOLS).

The benchmark (`make bench`, bench/run.py) and the settings it serves the app with
(bench/settings.py: the production settings plus the trivial view /_ceiling/ and this app); the
generator of fictitious examples for load tests (`manage.py generate_examples`,
bench/management/commands/generate_examples.py, bench/synthetic.py), with the tables that record
the rows it generated."""
