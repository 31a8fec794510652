import pytest

from apps.catalog.models import AssetStatus
from tests.catalog.helpers import make_asset


@pytest.fixture
def published(world):
    return make_asset(world.licensor, status=AssetStatus.PUBLISHED, code_name="LMN-2201")


@pytest.fixture
def draft(world):
    return make_asset(world.licensor, status=AssetStatus.DRAFT, code_name="LMN-4010", summary_en="Draft asset")
