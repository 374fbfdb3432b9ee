"""Stories of small networks: what a story leaves out when the data has nothing to say."""

import datetime

from cascade.stories import services


def story(training, lang):
    return services.write(training, lang)[0]


def test_a_story_without_an_indicator_or_photos_still_reads(create_training, create_organization):
    host = create_organization(name="Bir Duino", short_name="BD", country_id="KG")
    training = create_training(country_id="KG", city="Osh", host=host, start_date=datetime.date(2015, 6, 9),
                               end_date=datetime.date(2015, 6, 10))
    text = story(training, "en")
    assert "a two-day training in Osh, Kyrgyzstan" in text
    assert "the first such event in Central Asia since 2015" in text
    assert "women held" not in text and "[photo" not in text


def test_only_publishable_photos_appear_with_their_captions(create_training, create_person):
    from cascade.photos.models import Photo

    training = create_training()
    shown = create_person(photo_consent=True)
    fine = Photo.objects.create(training=training, image="photos/a.jpg", caption={"en": "Working on a plan"},
                                shows_people=True, consent_recorded=True)
    fine.people.add(shown)
    Photo.objects.create(training=training, image="photos/b.jpg", caption={"en": "Faces, no consent"})
    text = story(training, "en")
    assert f"[photo {fine.pk}] Working on a plan" in text
    assert "no consent" not in text


def test_a_caption_written_only_in_another_language_says_which(create_training, create_person):
    from cascade.photos.models import Photo

    training = create_training()
    shown = create_person(photo_consent=True)
    russian_only = Photo.objects.create(training=training, image="photos/a.jpg", shows_people=True,
                                        consent_recorded=True, caption={"ru": "Флипчарт сессии о коалициях"})
    russian_only.people.add(shown)
    assert f"[photo {russian_only.pk}] Флипчарт сессии о коалициях (орыс тілі)" in story(training, "kk")
    assert f"[photo {russian_only.pk}] Флипчарт сессии о коалициях (орусча)" in story(training, "ky")
    # in its own language it carries no note
    assert f"[photo {russian_only.pk}] Флипчарт сессии о коалициях\n" in story(training, "ru") + "\n"
