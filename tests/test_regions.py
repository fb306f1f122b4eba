import pytest

from momjobs.regions.loader import load_regions
from momjobs.regions.models import MinimumWage, Region, RegionKind

pytestmark = pytest.mark.django_db


def test_all_county_level_units_are_loaded():
    assert Region.objects.county_level().count() >= 2800
    assert Region.objects.filter(kind=RegionKind.PROVINCE).count() == 23
    assert Region.objects.filter(level=1).count() == 34


def test_current_divisions_not_abolished_ones():
    laiwu = Region.objects.get(code="370116")
    assert laiwu.name == "莱芜区"
    assert laiwu.parent.code == "370100"  # Jinan
    assert not Region.objects.filter(code="371200").exists()  # 莱芜市, abolished 2019


def test_municipalities_have_no_city_level():
    dongcheng = Region.objects.get(code="110101")
    assert dongcheng.parent.code == "110000"
    assert dongcheng.parent.kind == RegionKind.MUNICIPALITY
    assert dongcheng.full_name == "北京市东城区"


def test_functional_zone_under_its_city():
    zone = Region.objects.get(name="沂河新区")
    assert zone.kind == RegionKind.ZONE
    assert zone.parent.code == "371300"
    linyi = Region.objects.get(code="371300")
    assert Region.objects.within(linyi).filter(pk=zone.pk).exists()


def test_a_city_includes_everything_below_it():
    qingdao = Region.objects.get(code="370200")
    codes = set(Region.objects.within(qingdao).values_list("code", flat=True))
    assert {"370200", "370202", "370211", "370215"} <= codes
    assert "370102" not in codes


def test_loading_again_changes_nothing():
    before = Region.objects.count()
    assert load_regions() == (0, 0)
    assert Region.objects.count() == before


def test_minimum_wage_is_inherited_from_the_nearest_ancestor():
    from datetime import date

    province = Region.objects.get(code="370000")
    city = Region.objects.get(code="370200")
    MinimumWage.objects.create(region=province, hourly="18.00", effective_from=date(2023, 10, 1))
    MinimumWage.objects.create(region=city, hourly="22.00", effective_from=date(2023, 10, 1))
    assert str(MinimumWage.hourly_for(Region.objects.get(code="370202"))) == "22.00"
    assert str(MinimumWage.hourly_for(Region.objects.get(code="371302"))) == "18.00"


# -- the in-memory tree (momjobs/regions/lookup.py) -----------------------------------------------


def test_lookup_answers_as_the_database_does():
    from momjobs.regions import lookup

    for code in ("370000", "370200", "371300", "110000", "370202"):
        region = Region.objects.get(code=code)
        assert lookup.by_code(code).pk == region.pk
        expected = set(Region.objects.within(region).values_list("pk", flat=True))
        assert set(lookup.ids_within(region)) == expected
    assert lookup.by_code("999999") is None


def test_lookup_reads_nothing_once_it_has_the_tree(django_assert_num_queries):
    from momjobs.regions import lookup

    lookup.by_code("370200")
    with django_assert_num_queries(0):
        qingdao = lookup.by_code("370200")
        assert len(lookup.ids_within(qingdao)) > 10


def test_lookup_forgets_when_a_region_changes():
    from momjobs.regions import lookup

    assert lookup.by_code("370202").name == "市南区"
    region = Region.objects.get(code="370202")
    region.name = "市南新区"
    region.save()
    assert lookup.by_code("370202").name == "市南新区"
    # A new region under Qingdao is found under the city at once.
    Region.objects.create(
        code="370299", name="测试区", kind=RegionKind.DISTRICT, parent=region.parent
    )
    new = Region.objects.get(code="370299")
    assert new.pk in lookup.ids_within(lookup.by_code("370200"))
    new.delete()
    assert lookup.by_code("370299") is None


def test_lookup_is_read_again_after_its_time(monkeypatch):
    from momjobs.regions import lookup

    lookup.by_code("370200")
    Region.objects.filter(code="370202").update(name="改名区")  # no signal: another process
    assert lookup.by_code("370202").name == "市南区"
    monkeypatch.setattr(lookup, "MAX_AGE", -1)
    assert lookup.by_code("370202").name == "改名区"
