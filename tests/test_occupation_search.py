"""What a visitor sees when looking up an occupation: the API and the home page."""

import pytest

from jobs.services import occupation_save
from search.documents import OccupationDocument
from search.indexes import alias_of
from search.services import sync

pytestmark = pytest.mark.search


@pytest.fixture
def welder(db, search_index):
    occupation = occupation_save(
        code="7212", name_vi="Thợ hàn và thợ cắt kim loại", name_en="Welders and flamecutters", aliases=["hàn điện"]
    )
    sync(OccupationDocument, [occupation.pk])  # what the task does; the pipeline itself is tested elsewhere
    search_index.indices.refresh(index=alias_of(OccupationDocument))
    return occupation


@pytest.mark.parametrize("typed", ["tho h", "thợ h", "THỢ HÀN", "han d"])
def test_suggest_finds_the_occupation_from_a_prefix_with_or_without_diacritics(client, welder, typed):
    response = client.get("/api/v1/occupations/suggest", {"q": typed})

    assert response.status_code == 200
    assert response.json() == [{"code": "7212", "name": "Thợ hàn và thợ cắt kim loại"}]


def test_suggest_without_text_is_a_400_naming_the_field_in_vietnamese(client, db):
    response = client.get("/api/v1/occupations/suggest")

    assert response.status_code == 400
    assert response.json() == {"q": ["Trường này là bắt buộc."]}


def test_suggest_answers_in_english_when_asked(client, db):
    response = client.get("/api/v1/occupations/suggest", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json() == {"q": ["This field is required."]}


def test_suggest_with_elasticsearch_down_is_a_503_with_a_message(client, db, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"

    response = client.get("/api/v1/occupations/suggest", {"q": "tho han"})

    assert response.status_code == 503
    assert response.json()["detail"] == "Chức năng tìm kiếm tạm thời gián đoạn; vui lòng thử lại sau ít phút."


def test_the_home_page_finds_an_occupation_typed_without_diacritics(client, welder):
    response = client.get("/", {"q": "tho han"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Thợ hàn và thợ cắt kim loại" in page
    assert '<html lang="vi">' in page


def test_the_openapi_schema_documents_the_suggest_endpoint(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert "/api/v1/occupations/suggest" in response.json()["paths"]
