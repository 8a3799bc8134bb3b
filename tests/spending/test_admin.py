import pytest

from spending.models import DataVersion, Target, YearlyFigure

pytestmark = pytest.mark.django_db


def test_loading_the_data_set_a_data_version():
    version, changed_at = DataVersion.current()
    assert version >= 1
    assert changed_at is not None


def test_editing_a_target_in_the_admin_bumps_the_data_version(admin_client):
    target = Target.objects.get(slug="core-3.5pct")
    before, _ = DataVersion.current()
    response = admin_client.post(
        f"/admin/spending/target/{target.pk}/change/",
        {
            "slug": target.slug,
            "name": target.name,
            "threshold_pct": "3.6",
            "basis": target.basis,
            "measure": target.measure,
            "kind": target.kind,
            "adopted": target.adopted,
            "adopted_year": target.adopted_year,
            "deadline_year": target.deadline_year,
            "description": target.description,
            "source_url": target.source_url,
            "display_order": target.display_order,
        },
    )
    assert response.status_code == 302
    assert Target.objects.get(pk=target.pk).threshold_pct == 3.6
    assert DataVersion.current()[0] == before + 1


def test_figures_are_read_only_in_the_admin(admin_client):
    figure = YearlyFigure.objects.get(edition__slug="nato-2026", member__iso3="POL", year=2024)
    response = admin_client.post(
        f"/admin/spending/yearlyfigure/{figure.pk}/change/", {"nato_share_of_gdp_pct": "9"}
    )
    assert response.status_code == 403
    figure.refresh_from_db()
    assert figure.nato_share_of_gdp_pct == 3.75
