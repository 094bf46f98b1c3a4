from django.db import migrations


class Migration(migrations.Migration):
    """The load-test marker leaves the product's schema: the bench app, a development tool that
    production never installs, records the rows generate_examples created in its own tables
    (bench/models.py). Its first migration copies the marks into them where it runs first, as
    it does when both apps migrate together."""

    dependencies = [
        ("examples", "0010_example_title_key"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="example",
            name="is_generated",
        ),
        migrations.RemoveField(
            model_name="historicalexample",
            name="is_generated",
        ),
        migrations.RemoveField(
            model_name="partner",
            name="is_generated",
        ),
    ]
