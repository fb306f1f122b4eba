import pytest

from tests.factories import Personas


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Regions are reference data every test needs: load them once into the test database.
    from momjobs.regions.loader import load_regions

    with django_db_blocker.unblock():
        load_regions()


@pytest.fixture
def personas(db):
    return Personas()
