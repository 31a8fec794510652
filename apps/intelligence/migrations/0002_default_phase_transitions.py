"""Default phase-transition probabilities for rNPV, from a cited public source.

BIO (Biotechnology Innovation Organization), Biomedtracker and Amplion, "Clinical Development Success Rates
2006-2015", June 2016: phase-transition success rates for all indications (n = 9,985 transitions) and for
oncology (figure 7). Staff may edit them (PATCH /api/v1/intelligence/phase-transitions/{id}/), and each valuation
may override them. No preclinical rate is given there, so an asset before phase 1 needs one from the caller.
"""

from decimal import Decimal

from django.db import migrations

SOURCE = "BIO, Biomedtracker, Amplion: Clinical Development Success Rates 2006-2015 (June 2016)"
DEFAULTS = {
    "": {"phase_1": "0.632", "phase_2": "0.307", "phase_3": "0.581", "filed": "0.853"},
    "oncology": {"phase_1": "0.628", "phase_2": "0.246", "phase_3": "0.401", "filed": "0.824"},
}


def seed(apps, schema_editor):
    PhaseTransition = apps.get_model("intelligence", "PhaseTransition")
    for area, rates in DEFAULTS.items():
        scope = "oncology" if area else "all indications"
        for phase, probability in rates.items():
            PhaseTransition.objects.get_or_create(
                phase=phase, therapeutic_area=area,
                defaults={"probability": Decimal(probability), "source": f"{SOURCE}, {scope}"})


def unseed(apps, schema_editor):
    apps.get_model("intelligence", "PhaseTransition").objects.filter(source__startswith=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("intelligence", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
