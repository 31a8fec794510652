import pytest

from apps.catalog import demo as catalog_demo
from apps.companies import demo as companies_demo
from apps.financing import demo as financing_demo
from apps.financing.models import BookEntry, EntryStage, InvestorProfile, Round, RoundStatus


@pytest.mark.django_db
def test_financing_demo_is_idempotent_and_shows_a_published_round_with_one_commitment():
    counts = []
    for _ in range(2):
        ctx: dict = {}
        companies_demo.load(ctx)
        catalog_demo.load(ctx)
        financing_demo.load(ctx)
        counts.append((Round.objects.count(), BookEntry.objects.count(), InvestorProfile.objects.count()))
    assert counts == [(1, 1, 1), (1, 1, 1)]  # complete on the first run, nothing added by the second
    round_ = Round.objects.get()
    assert round_.status == RoundStatus.PUBLISHED and round_.company.name_en == "Shanghai Lumina Biotherapeutics"
    assert [asset.code_name for asset in round_.assets.all()] == ["LMN-2201"]
    entry = BookEntry.objects.get()
    assert entry.stage == EntryStage.COMMITTED and str(entry.committed_amount) == "20000000.00"
    assert round_.lead_investor == entry.investor and InvestorProfile.objects.count() == 1
    assert ("investor admin (Meridian Harbor)", "partner@meridianharbor.example") in ctx["logins"]
