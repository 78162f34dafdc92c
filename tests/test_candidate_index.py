"""Only consenting workers are in the candidates index, with nothing sensitive, and withdrawal is prompt."""

import json

import pytest

from candidates.models import WorkerProfile
from search.documents import CandidateDocument
from search.indexes import alias_of
from tests.conftest import eventually
from tests.factories import ID_NUMBER, signed_up

pytestmark = [pytest.mark.search, pytest.mark.celery]


def candidates(es):
    es.indices.refresh(index=alias_of(CandidateDocument))
    return es.search(index=alias_of(CandidateDocument), query={"match_all": {}})["hits"]["hits"]


def test_consent_to_be_found_puts_the_worker_in_the_index_and_withdrawal_takes_them_out(
    celery_worker, search_index, api, reference
):
    client = signed_up(api, "0912 345 678", sensitive=True, jlpt="N4")
    assert eventually(lambda: not WorkerProfile.objects.unsynced().exists())  # the profile went through indexing
    assert candidates(search_index) == []  # but without consent it is not findable

    assert client.post("/api/v1/workers/me/consents", {"purpose": "be_found", "granted": True}).status_code == 200

    assert eventually(lambda: len(candidates(search_index)) == 1)
    document = candidates(search_index)[0]["_source"]
    assert document["occupations"] == ["7212"] and document["languages"] == ["jlpt:1"]
    stored = json.dumps(document, ensure_ascii=False)
    for private in (ID_NUMBER, "Kinh", "near_poor", "Nguyễn Văn Hùng", "+84912345678", "Đủ sức khỏe"):
        assert private not in stored

    assert client.post("/api/v1/workers/me/consents", {"purpose": "be_found", "granted": False}).status_code == 200

    assert eventually(lambda: candidates(search_index) == [])
