import pytest

from cascade.demo.network import build_demo_network
from cascade.trainings.models import Training


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo network, built once for the module (the tests of a module only read it, or change it
    inside a test's transaction); its Shymkent institute of January 2019."""
    with django_db_blocker.unblock():
        build_demo_network()
        yield Training.objects.get(key="shymkent-2019")
        from cascade.demo.services import wipe_network
        wipe_network()
