"""Every page of the staff app opens for the network admin and shows what it is about."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_the_headline_figures_as_links(admin_client, network):
    page = admin_client.get(reverse("web:dashboard")).content.decode()
    assert 'data-figure="institutes"' in page
    assert "/trainings/?figure=institutes" in page
    assert "/people/?figure=trainers" in page


def test_the_dashboard_filters_by_partner(admin_client, network, create_training, create_organization):
    other = create_organization(key="bir-duino", name="Bir Duino", country_id="KG")
    create_training(host=other, country_id="KG", title={"en": "Osh institute"})
    everything = admin_client.get(reverse("web:dashboard"))
    only_swrc = admin_client.get(reverse("web:dashboard"), {"partner": "swrc"})
    assert everything.context["figures"].headline["institutes"].value == 2
    assert only_swrc.context["figures"].headline["institutes"].value == 1


def test_a_bad_filter_value_is_named_on_the_dashboard(admin_client, network):
    page = admin_client.get(reverse("web:dashboard"), {"since": "2020-01-01", "until": "2019-01-01"})
    assert "The end of the period is before its start." in page.content.decode()


@pytest.mark.parametrize("name", ["trainings", "people", "partners", "library", "search", "help", "report"])
def test_each_list_page_opens(admin_client, network, name):
    response = admin_client.get(reverse(f"web:{name}"), follow=True)
    assert response.status_code == 200


def test_the_training_page_shows_agenda_people_manuals_ordinal_and_step_downs(admin_client, network):
    page = admin_client.get(reverse("web:training", args=[network["institute"].pk])).content.decode()
    assert "Aigul Nurova" in page and "Dana Seitova" in page
    assert "Leading to Choices" in page
    assert "Institute no. 1 of 1" in page
    assert "Step-down in Sayram" in page


def test_the_person_page_shows_the_cascade_tree(admin_client, network):
    page = admin_client.get(reverse("web:person", args=[network["aigul"].pk])).content.decode()
    assert "Step-down in Sayram" in page
    assert "15 people not named" in page


def test_the_partner_page_lists_its_trainings_and_figures(admin_client, network):
    page = admin_client.get(reverse("web:partner", args=[network["swrc"].pk])).content.decode()
    assert "Shymkent institute 2019" in page


def test_a_partners_figures_count_the_step_downs_its_institutes_grew(admin_client, network):
    only_swrc = admin_client.get(reverse("web:dashboard"), {"partner": "swrc"})
    headline = only_swrc.context["figures"].headline
    assert (headline["institutes"].value, headline["step_downs"].value) == (1, 1)
    assert headline["reach"].value == 2 + 15  # two named at the institute, 15 not named at the step-down
    assert 'data-note="partner-cascade"' in only_swrc.content.decode()
    assert 'data-note="partner-cascade"' not in admin_client.get(reverse("web:dashboard")).content.decode()
    behind = admin_client.get(reverse("web:trainings"), {"partner": "swrc", "figure": "step-downs"})
    assert "Step-down in Sayram" in behind.content.decode()


def test_the_partner_page_shows_its_cascade_and_apart_what_it_hosted_directly(
    admin_client, network, create_organization
):
    osce = create_organization(key="osce", name="OSCE", kind="co-organiser")
    network["institute"].co_organisers.add(osce)
    swrc = admin_client.get(reverse("web:partner", args=[network["swrc"].pk]))
    assert swrc.context["figures"].headline["step_downs"].value == 1
    assert swrc.context["hosted"] == {"institutes_hosted": 1, "institutes_co_organised": 0,
                                      "step_downs_hosted": 0, "step_downs_co_organised": 0}
    page = swrc.content.decode()
    assert "1 institute hosted" in page and "0 step-downs hosted" in page
    assert 'data-note="partner-cascade"' in page
    assert admin_client.get(reverse("web:partner", args=[osce.pk])).context["hosted"]["institutes_co_organised"] == 1


def test_the_library_filters_manuals_by_edition_language(admin_client, network, create_manual):
    from cascade.curriculum.models import Edition

    Edition.objects.create(manual=network["manual"], language="ky", url="https://example.org/ky.pdf")
    create_manual(key="victories", title={"en": "Victories Over Violence"})
    page = admin_client.get(reverse("web:library"), {"language": "ky"}).content.decode()
    assert "Leading to Choices" in page and "Victories Over Violence" not in page


def test_an_edition_file_is_downloaded(admin_client, network, settings, tmp_path):
    from django.core.files.base import ContentFile

    from cascade.curriculum.models import Edition

    settings.MEDIA_ROOT = tmp_path
    edition = Edition(manual=network["manual"], language="ru")
    edition.file.save("ltc-ru.pdf", ContentFile(b"%PDF-1.4 manual"), save=True)
    response = admin_client.get(reverse("web:edition_download", args=[edition.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 manual"
    assert "attachment" in response["Content-Disposition"]


def test_search_finds_people_trainings_and_partners(admin_client, network):
    page = admin_client.get(reverse("web:search"), {"q": "shymkent"}).content.decode()
    assert "Aigul Nurova" in page
    assert "Shymkent institute 2019" in page
    assert "Shymkent Women&#x27;s Resource Center" in page


def test_a_figure_links_to_the_list_behind_it(admin_client, network):
    response = admin_client.get(reverse("web:trainings"), {"figure": "step-downs"})
    titles = [str(t) for t in response.context["page"]]
    assert titles == ["Step-down in Sayram"]
    people = admin_client.get(reverse("web:people"), {"figure": "trainers"})
    assert [p.full_name for p in people.context["page"]] == ["Aigul Nurova"]


def test_the_story_link_falls_back_to_english_where_no_writer_speaks_the_language(admin_client, network):
    from django.urls import reverse

    training = network["institute"]
    for language, expected in (("ru", "ru"), ("uz", "en")):
        admin_client.post(reverse("web:set_language"), {"language": language, "next": "/"})
        page = admin_client.get(reverse("web:training", args=[training.pk]))
        assert reverse("stories:edit", args=[training.key, expected]) in page.content.decode()


def test_partners_are_named_as_they_write_their_name_in_the_readers_language(admin_client, create_organization):
    from django.urls import reverse

    osce = create_organization(key="osce", name="Organization for Security and Co-operation in Europe",
                               short_name="OSCE", kind="partner", names={"ru": "Организация по безопасности и "
                                                                          "сотрудничеству в Европе"},
                               short_names={"ru": "ОБСЕ"})
    admin_client.post(reverse("web:set_language"), {"language": "ru", "next": "/"})
    page = admin_client.get(reverse("web:partner", args=[osce.pk])).content.decode()
    assert "<h1>Организация по безопасности и сотрудничеству в Европе</h1>" in page
    assert "(ОБСЕ)" in admin_client.get(reverse("web:partners")).content.decode()
    admin_client.post(reverse("web:set_language"), {"language": "kk", "next": "/"})
    assert "<h1>Organization for Security and Co-operation in Europe</h1>" in admin_client.get(
        reverse("web:partner", args=[osce.pk])).content.decode(), "no Kazakh name: the organisation's own"


def test_the_table_by_country_counts_the_people_its_links_list(admin_client, network, create_person,
                                                              create_training):
    """A Kazakh participant of a training in Kyrgyzstan counts for Kyrgyzstan, on the table and its list;
    Dana, first trained in Kazakhstan, counts there only, so the countries add up to the people."""
    import datetime

    from django.urls import reverse

    guests = [create_person(full_name=f"Guest {n}", country_id="KZ") for n in range(3)]
    create_training(title={"en": "Bishkek institute"}, country_id="KG", start_date=datetime.date(2019, 5, 1),
                    participants=[network["dana"], *guests])
    rows = {row["code"]: row for row in admin_client.get(reverse("web:dashboard")).context["figures"].countries}
    assert rows["KG"]["people"].value == 3 and rows["KZ"]["people"].value == 2
    kg = admin_client.get(rows["KG"]["people"].url).context["page"]
    assert sorted(p.full_name for p in kg) == ["Guest 0", "Guest 1", "Guest 2"]
    kz = admin_client.get(rows["KZ"]["people"].url).context["page"]
    assert sorted(p.full_name for p in kz) == ["Aigul Nurova", "Dana Seitova"]


def test_every_number_on_the_dashboard_links_to_the_list_behind_it(admin_client, network):
    import re

    from django.urls import reverse

    page = admin_client.get(reverse("web:dashboard")).content.decode()
    main = page[page.index("<main"):page.index("</main>")]
    cells = re.findall(r'<td class="n">(.*?)</td>', main, flags=re.S)
    stats = re.findall(r'<div class="value">(.*?)</div>', main, flags=re.S)
    numbers = [cell for cell in cells + stats if re.search(r"\d", cell)]
    assert numbers and all("<a " in cell for cell in numbers), [c for c in numbers if "<a " not in c]
    assert 'href="/people/?figure=trainers"' in main, "utilisation and the median lead to the trainers"


def test_a_country_page_shows_the_networks_figures_and_women_in_parliament(admin_client, network):
    from django.urls import reverse

    from cascade.indicators import services as indicators

    indicators.load_snapshot()
    page = admin_client.get(reverse("web:country", args=["kz"]))
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>Kazakhstan</h1>" in html
    assert reverse("stories:indicator-chart", args=["KZ"]) in html
    assert "IPU Parline" in html and ">6%<" in html and "upper chamber" in html
    assert page.context["figures"].headline["institutes"].value == 1
    assert reverse("web:country", args=["KZ"]) in admin_client.get(reverse("web:dashboard")).content.decode()
    assert admin_client.get(reverse("web:country", args=["XX"])).status_code == 404
