"""A client team's first day, written against the Python client generated from /api/schema/ (openapi-python-client).

Run by tests/contract/test_generated_clients.py in the contract tools' virtualenv, against a live test server:
    python journey.py <base url> <partner e-mail> <password>
Every answer is parsed into the generated models: a field the schema types wrongly (a null where it promises an
object, a string where it promises a number) fails here, as it would fail the client team.
"""

from __future__ import annotations

import sys

from gpc_client import AuthenticatedClient, Client
from gpc_client.api.accounts import auth_register_create, auth_token_create
from gpc_client.api.agreements import agreements_list, agreements_retrieve
from gpc_client.api.catalog import assets_list
from gpc_client.api.data_rooms import dataroom_documents_list, datarooms_list, datarooms_retrieve
from gpc_client.models import (
    AgreementDetail,
    DataRoom,
    LoginRequest,
    PaginatedAgreementList,
    PaginatedDataRoomList,
    PaginatedRoomDocumentList,
    Registration,
    RegistrationRequest,
    TermsDocument,
    TokenPair,
)


def main(base_url: str, email: str, password: str) -> None:
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)

    # 1. Register an account.
    registered = auth_register_create.sync(client=anonymous, body=RegistrationRequest(
        email="new.client@example.test", full_name="Casey Client", password="Correct-Horse-42-Battery"))
    assert isinstance(registered, Registration), registered
    assert registered.email == "new.client@example.test"

    # 2. Sign in (a partner with a data-room grant) and use the token.
    pair = auth_token_create.sync(client=anonymous, body=LoginRequest(email=email, password=password))
    assert isinstance(pair, TokenPair), pair
    client = AuthenticatedClient(base_url=base_url, token=pair.access, raise_on_unexpected_status=True)

    # 3. List assets (a cursor page of teasers).
    assets = assets_list.sync(client=client)
    assert assets is not None and assets.results, assets
    print("assets:", [asset.code_name for asset in assets.results])

    # 4. Open a data room: the list, then the room (no CDA here: current_cda is null, and the client accepts it).
    rooms = datarooms_list.sync(client=client)
    assert isinstance(rooms, PaginatedDataRoomList) and rooms.results, rooms
    room = datarooms_retrieve.sync(client=client, id=rooms.results[0].id)
    assert isinstance(room, DataRoom), room
    assert room.current_cda is None
    print("room:", room.name)

    # 5. List its documents.
    documents = dataroom_documents_list.sync(client=client, room=room.id)
    assert isinstance(documents, PaginatedRoomDocumentList) and documents.results, documents
    print("documents:", [document.name for document in documents.results])

    # 6. Read an agreement with its typed terms.
    agreements = agreements_list.sync(client=client)
    assert isinstance(agreements, PaginatedAgreementList) and agreements.results, agreements
    detail = agreements_retrieve.sync(client=client, id=agreements.results[0].id)
    assert isinstance(detail, AgreementDetail), detail
    assert isinstance(detail.terms, TermsDocument), detail.terms
    rates = [tier.rate for tier in detail.terms.royalty_tiers]
    assert rates == ["10", "12.5", "15"], rates
    assert detail.figures is not None and detail.figures.figures.total_deal_value.amount
    print("agreement:", detail.title, "exclusivity:", detail.terms.exclusivity, "rates:", rates)
    print("JOURNEY OK")


if __name__ == "__main__":
    main(*sys.argv[1:4])
