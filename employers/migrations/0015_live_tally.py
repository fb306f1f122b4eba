"""Live posts counted as they change (employers.models.LiveTally; docs/performance.md "Pages").

Three statement-level triggers on employers_posting append to employers_livetally, per last day
of validity, +n for the rows a statement made live and -n for the rows it took out of "live"
(or whose last day it moved). A statement that changes neither status nor valid_through appends
nothing. Then the table's live posts are counted once, into the tally.

"Live" here is PostingQuerySet.live()'s status test; its date test (valid_through today or
later, or none) is applied when the tally is read. tests/test_live_tally.py checks the two agree.
"""

from django.db import migrations, models

FUNCTIONS = """
CREATE FUNCTION employers_live_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO employers_livetally (valid_through, delta)
    SELECT valid_through, count(*) FROM new_rows WHERE status = 'live' GROUP BY valid_through;
    RETURN NULL;
END $$;

CREATE FUNCTION employers_live_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO employers_livetally (valid_through, delta)
    SELECT valid_through, -count(*) FROM old_rows WHERE status = 'live' GROUP BY valid_through;
    RETURN NULL;
END $$;

CREATE FUNCTION employers_live_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO employers_livetally (valid_through, delta)
    SELECT valid_through, sum(delta) FROM (
        SELECT n.valid_through, 1 AS delta
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.status = 'live' AND (
            o.status <> 'live' OR o.valid_through IS DISTINCT FROM n.valid_through
        )
        UNION ALL
        SELECT o.valid_through, -1
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE o.status = 'live' AND (
            n.status <> 'live' OR o.valid_through IS DISTINCT FROM n.valid_through
        )
    ) AS changed
    GROUP BY valid_through HAVING sum(delta) <> 0;
    RETURN NULL;
END $$;

CREATE TRIGGER posting_live_tally_insert AFTER INSERT ON employers_posting
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION employers_live_tally_insert();
CREATE TRIGGER posting_live_tally_delete AFTER DELETE ON employers_posting
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION employers_live_tally_delete();
CREATE TRIGGER posting_live_tally_update AFTER UPDATE ON employers_posting
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION employers_live_tally_update();

INSERT INTO employers_livetally (valid_through, delta)
SELECT valid_through, count(*) FROM employers_posting WHERE status = 'live'
GROUP BY valid_through;
"""

DROP = """
DROP TRIGGER posting_live_tally_insert ON employers_posting;
DROP TRIGGER posting_live_tally_delete ON employers_posting;
DROP TRIGGER posting_live_tally_update ON employers_posting;
DROP FUNCTION employers_live_tally_insert();
DROP FUNCTION employers_live_tally_delete();
DROP FUNCTION employers_live_tally_update();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0014_posting_stats"),
    ]

    operations = [
        migrations.CreateModel(
            name="LiveTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("valid_through", models.DateField(null=True)),
                ("delta", models.IntegerField()),
            ],
            options={
                "indexes": [models.Index(fields=["valid_through"], name="livetally_day")],
            },
        ),
        migrations.RunSQL(FUNCTIONS, DROP),
    ]
