"""A place typed as its name (momjobs/regions/names.py), the name index of the in-memory tree
(lookup.py) and the suggestions view (regions/views.py)."""

import json

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from momjobs.regions import lookup, names, views
from momjobs.regions.lookup import short_name
from momjobs.regions.models import Region
from tests import strategies as s

pytestmark = pytest.mark.django_db


def codes(regions):
    return [r.code for r in regions]


# -- short names (no database) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "short"),
    [
        ("青岛市", "prefecture", "青岛"),
        ("市南区", "district", "市南"),
        ("崂山区", "district", "崂山"),
        ("沂河新区", "zone", "沂河"),
        ("青岛西海岸新区", "zone", "青岛西海岸"),
        ("山东省", "province", "山东"),
        ("内蒙古自治区", "autonomous_region", "内蒙古"),
        ("新疆维吾尔自治区", "autonomous_region", "新疆"),
        ("广西壮族自治区", "autonomous_region", "广西"),
        ("宁夏回族自治区", "autonomous_region", "宁夏"),
        ("西藏自治区", "autonomous_region", "西藏"),
        ("延边朝鲜族自治州", "prefecture_other", "延边"),
        ("伊犁哈萨克自治州", "prefecture_other", "伊犁"),
        ("双江拉祜族佤族布朗族傣族自治县", "county_other", "双江"),
        ("龙胜各族自治县", "county_other", "龙胜"),
        ("东乡族自治县", "county_other", "东乡"),
        ("鄂伦春自治旗", "county_other", "鄂伦春"),
        ("锡林郭勒盟", "prefecture_other", "锡林郭勒"),
        ("阿里地区", "prefecture_other", "阿里"),
        ("香港特别行政区", "sar", "香港"),
        ("神农架林区", "county_other", "神农架"),
        ("六枝特区", "county_other", "六枝"),
        # A district named 碑林, not a 林区; 清新区 is 清新 (清 alone is too short).
        ("碑林区", "district", "碑林"),
        ("清新区", "district", "清新"),
        ("津市市", "county_city", "津市"),
        # Nothing of two characters is left.
        ("青县", "county", ""),
        ("城区", "district", ""),
        ("矿区", "district", ""),
    ],
)
def test_short_name(name, kind, short):
    assert short_name(name, kind) == short


def test_the_index_knows_full_and_short_names():
    assert [(r.code, exact) for r, exact in lookup.named("青岛")] == [("370200", False)]
    assert [(r.code, exact) for r, exact in lookup.named("青岛市")] == [("370200", True)]
    assert lookup.named("火星") == ()
    assert lookup.longest_name() >= len("双江拉祜族佤族布朗族傣族自治县")


def test_the_index_answers_without_a_query(django_assert_num_queries):
    lookup.named("青岛")
    with django_assert_num_queries(0):
        assert names.resolve("青岛市南").region.code == "370202"
        assert names.label(lookup.by_code("370202")) == "市南区（山东省青岛市）"
        assert names.suggest("崂")[0].code == "370212"


# -- resolve ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("青岛", "370200"),
        ("青岛市", "370200"),
        ("市南区", "370202"),
        ("市南", "370202"),
        ("崂山", "370212"),
        ("崂山区", "370212"),
        ("城阳", "370214"),
        ("黄岛区", "370211"),
        ("沂河新区", "371300Z01"),
        ("沂河", "371300Z01"),
        ("青岛西海岸新区", "370200Z01"),
        ("北京", "110000"),
        ("北京市", "110000"),
        ("内蒙古", "150000"),
        ("新疆", "650000"),
        ("延边", "222400"),
        # City and district, written together, apart, in either order, with the province.
        ("青岛市市南区", "370202"),
        ("青岛市南", "370202"),
        ("青岛 市南区", "370202"),
        ("市南区，青岛", "370202"),
        ("山东省青岛市市南区", "370202"),
        ("山东青岛", "370200"),
        ("山东省 青岛市", "370200"),
        ("山东", "370000"),
        ("山东临沂沂河新区", "371300Z01"),
        # Spaces, full-width spaces and letters, words around a place.
        ("  崂山  ", "370212"),
        ("\u3000崂山区\u3000", "370212"),
        ("崂山附近", "370212"),
        ("青岛市南区一带", "370202"),
        ("周边 城阳", "370214"),
        ("在青岛", "370200"),
        # A city's urban area; a district named 城区 when its city is written.
        ("青岛城区", "370200"),
        ("青岛郊区", "370200"),
        ("晋城城区", "140502"),
        ("晋城市城区", "140502"),
        # A name shared by a city and smaller places: the city (candidates list all).
        ("西安", "610100"),
        ("吉林", "220000"),
        ("吉林市", "220200"),
        ("海南", "460000"),
        ("和田", "653200"),
        # A shared name made one by its city or province.
        ("北京朝阳", "110105"),
        ("北京市朝阳区", "110105"),
        ("长春朝阳区", "220104"),
        ("南京鼓楼", "320106"),
        ("福建鼓楼区", "350102"),
        ("东城区", "110101"),
    ],
)
def test_resolve_a_name(text, code):
    found = names.resolve(text)
    assert found.region is not None, text
    assert found.region.code == code
    assert not found.code_typed


def test_a_name_shared_by_a_province_and_its_city_offers_both():
    found = names.resolve("吉林")
    assert found.region.code == "220000"
    assert codes(found.candidates) == ["220000", "220200"]
    assert not found.ambiguous
    assert names.resolve("吉林市").candidates == []


def test_a_city_before_districts_of_the_same_name():
    found = names.resolve("西安")
    assert found.region.code == "610100"
    assert codes(found.candidates) == ["610100", "220403", "231005"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("朝阳区", ["110105", "220104"]),
        ("鼓楼区", ["320106", "320302", "350102", "410204"]),
        ("鼓楼", ["320106", "320302", "350102", "410204"]),
        ("新华区", ["130105", "130902", "410402"]),
        ("和平区", ["120101", "210102"]),
    ],
)
def test_a_shared_name_offers_candidates(text, expected):
    found = names.resolve(text)
    assert found.region is None
    assert found.ambiguous
    assert codes(found.candidates) == expected


def test_candidates_are_labelled_with_their_city():
    labels = [names.label(r) for r in names.resolve("朝阳区").candidates]
    assert labels == ["朝阳区（北京市）", "朝阳区（吉林省长春市）"]
    labels = [names.label(r) for r in names.resolve("鼓楼区").candidates]
    assert labels == [
        "鼓楼区（江苏省南京市）",
        "鼓楼区（江苏省徐州市）",
        "鼓楼区（福建省福州市）",
        "鼓楼区（河南省开封市）",
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("370200", "370200"),
        ("３７０２００", "370200"),
        (" 370202 ", "370202"),
        ("371300Z01", "371300Z01"),
        ("371300z01", "371300Z01"),
        ("３７１３００Ｚ０１", "371300Z01"),
    ],
)
def test_resolve_a_code(text, code):
    found = names.resolve(text)
    assert found.code_typed
    assert found.region.code == code


@pytest.mark.parametrize("text", ["999999", "37020", "3702001", "370200Z99"])
def test_an_unknown_code_is_a_code_not_found(text):
    found = names.resolve(text)
    assert found.code_typed
    assert not found
    assert found.region is None and found.candidates == []


@pytest.mark.parametrize(
    "text",
    [
        "火星",
        "",
        "   ",
        None,
        370200,
        b"\xe9\x9d\x92\xe5\xb2\x9b",
        "青" * 10_000,
        "x" * 10_000,
        "\x00",
        "青岛\x00",
        "\ud800",
        "崂山\udfff",
        "附近",
        "区",
        "市南区" * 17,  # 51 characters
        # Not at least half place names: a sentence with a place-like word in it.
        "平安的工作找一个",
        "<script>alert(1)</script>",
        "'; DROP TABLE regions_region; --",
    ],
)
def test_nothing_found_and_nothing_raised(text):
    found = names.resolve(text)
    assert not found
    assert found.region is None and found.candidates == []


@settings(
    derandomize=True,
    database=None,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.one_of(s.text, st.text(st.sampled_from("青岛市南区崂山山东省北京朝阳鼓楼新华 ３7０Z"))))
def test_resolve_and_suggest_never_raise(text):
    found = names.resolve(text)
    assert found.region is None or isinstance(found.region, Region)
    assert len(names.suggest(text)) <= 8


# -- label ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("370202", "市南区（山东省青岛市）"),
        ("370200", "青岛市（山东省）"),
        ("370000", "山东省"),
        ("110101", "东城区（北京市）"),
        ("371300Z01", "沂河新区（山东省临沂市）"),
    ],
)
def test_label(code, label):
    assert names.label(lookup.by_code(code)) == label


# -- suggest ----------------------------------------------------------------------------------------


def test_suggest_by_the_first_character():
    found = codes(names.suggest("青"))
    assert len(found) == 8
    # The province 青海省 comes first (province, city, district); Qingdao right after it.
    assert found[:2] == ["630000", "370200"]


def test_suggest():
    assert codes(names.suggest("崂"))[0] == "370212"
    assert codes(names.suggest("青岛"))[:2] == ["370200", "370200Z01"]
    # The name spelled in full or in short first: 吉林 (province and city), then 吉林省's others.
    assert codes(names.suggest("吉林"))[:2] == ["220000", "220200"]
    assert codes(names.suggest("沂河")) == ["371300Z01"]
    assert codes(names.suggest("370202")) == ["370202"]
    assert codes(names.suggest("３７０２")) == []
    assert names.suggest("崂", limit=0) == []


def test_suggest_names_containing_the_text_after_those_starting_with_it():
    found = codes(names.suggest("西海岸"))
    assert found == ["370200Z01"]


def test_suggest_under_a_place_already_typed():
    assert "370200" in codes(names.suggest("山东青"))[:2]
    assert codes(names.suggest("青岛市市"))[:2] == ["370202", "370203"]
    assert codes(names.suggest("青岛市南"))[0] == "370202"
    assert codes(names.suggest("青岛市市南区")) == ["370202"]


@pytest.mark.parametrize("text", ["", "火星", "\x00", "\ud800", "青" * 10_000, None])
def test_suggest_nothing(text):
    assert names.suggest(text) == []


# -- the view ---------------------------------------------------------------------------------------


def get(query_string=None, **params):
    # A raw query string carries what a dict cannot: bad UTF-8, repeated or odd parameters.
    if query_string is not None:
        request = RequestFactory().get("/regions/suggest/?" + query_string)
    else:
        request = RequestFactory().get("/regions/suggest/", params)
    response = views.region_suggest(request)
    return response, json.loads(response.content)


def test_view_answers_json():
    response, data = get(q="崂")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert data == {
        "q": "崂",
        "results": [{"code": "370212", "name": "崂山区", "label": "崂山区（山东省青岛市）"}],
    }
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]


def test_view_at_most_eight():
    _, data = get(q="青")
    assert len(data["results"]) == 8
    assert data["results"][1]["code"] == "370200"


def test_view_reads_no_database_once_the_tree_is_loaded(django_assert_num_queries):
    get(q="青")
    with django_assert_num_queries(0):
        _, first = get(q="市南")  # not in the cache yet: from the tree
        _, again = get(q="青")  # from the cache
    assert first["results"][0]["code"] == "370202"
    assert len(again["results"]) == 8


def test_view_answers_from_the_cache(monkeypatch):
    _, first = get(q="崂山")

    def not_again(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(names, "suggest", not_again)
    # Another spelling of the same prefix: the same cache entry.
    _, second = get(q=" 崂山 ")
    assert second["results"] == first["results"]
    assert second["q"] == " 崂山 "


@pytest.mark.parametrize(
    "query_string",
    [
        "",
        "q=",
        "q=%00",
        "q=%ED%A0%80",  # a lone surrogate, UTF-8 encoded
        "q=%FF%FE",
        "q=" + "%E9%9D%92" * 3000,
        "q=" + "a" * 10_000,
        "q=%3Cscript%3Ealert(1)%3C/script%3E",
        "q=1&q=2",
        "q[]=x",
        "q=370200%20OR%201%3D1",
    ],
)
def test_view_with_hostile_input(query_string):
    response, data = get(query_string)
    assert response.status_code == 200
    assert data["results"] == []
    assert len(data["q"]) <= 100


def test_view_with_characters_no_request_can_carry():
    request = RequestFactory().get("/regions/suggest/")
    request.GET = QueryDict(mutable=True)
    request.GET["q"] = "\ud800崂"
    response = views.region_suggest(request)
    assert response.status_code == 200
    assert json.loads(response.content)["results"] == []


def test_view_only_reads():
    response = views.region_suggest(RequestFactory().post("/regions/suggest/", {"q": "崂"}))
    assert response.status_code == 405
