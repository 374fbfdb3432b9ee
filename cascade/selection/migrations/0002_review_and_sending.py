from django.db import migrations, models


def decisions_already_sent(apps, schema_editor):
    """Before this migration every decision was e-mailed when it was made."""
    Application = apps.get_model("selection", "Application")
    Application.objects.filter(
        status__in=["accepted", "waitlisted", "declined", "confirmed", "withdrawn"], decided_at__isnull=False,
    ).update(decision_sent_at=models.F("decided_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('selection', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='decision_sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decision sent'),
        ),
        migrations.AddField(
            model_name='question',
            name='identifying',
            field=models.BooleanField(default=False, help_text='Hidden from reviewers when the review is blind (for example her organisation or a referee).', verbose_name='names the applicant'),
        ),
        migrations.AlterField(
            model_name='call',
            name='blind_review',
            field=models.BooleanField(default=True, help_text="Reviewers see no name, contact, organisation or identifying answer of an applicant, and the others' scores only after submitting their own.", verbose_name='blind review'),
        ),
        migrations.RunPython(decisions_already_sent, migrations.RunPython.noop),
    ]
