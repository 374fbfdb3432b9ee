import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cascade.access import operator
from cascade.audit.models import AuditEntry
from cascade.photos import services
from cascade.photos.models import Photo

GPS_IFD = 0x8825


def jpeg_with_gps(name="aigul_at_the_meeting.jpg"):
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel"  # Model
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (42.0, 19.0, 0.0), 3: "E", 4: (69.0, 35.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_test_photo_really_carries_gps_tags():
    with Image.open(jpeg_with_gps()) as image:
        assert image.getexif().get_ifd(GPS_IFD)


def test_an_uploaded_photo_keeps_no_gps_or_camera_tags(create_training):
    photo = services.upload_photo(actor=operator(), training=create_training(), upload=jpeg_with_gps())
    for stored in (photo.image, photo.thumbnail):
        with Image.open(stored.path) as image:
            assert not image.getexif(), "EXIF survived"
            assert "exif" not in image.info
            assert not image.getexif().get_ifd(GPS_IFD)
    with open(photo.image.path, "rb") as raw:
        data = raw.read()
    assert b"PhoneMaker" not in data and b"Exif" not in data


def test_an_uploaded_photo_gets_a_random_file_name(create_training):
    photo = services.upload_photo(actor=operator(), training=create_training(), upload=jpeg_with_gps())
    assert "aigul" not in photo.image.name and "aigul" not in photo.thumbnail.name


def test_the_thumbnail_is_small(create_training):
    upload = io.BytesIO()
    Image.new("RGB", (2000, 1000)).save(upload, "PNG")
    photo = services.upload_photo(
        actor=operator(),
        training=create_training(), upload=SimpleUploadedFile("big.png", upload.getvalue()))
    assert max(photo.thumbnail.width, photo.thumbnail.height) <= 480
    assert photo.image.width == 2000


def test_an_upload_is_logged(create_training):
    photo = services.upload_photo(actor=operator(), training=create_training(), upload=jpeg_with_gps())
    assert AuditEntry.objects.filter(action="cascade.photo.uploaded", object_id=str(photo.pk)).exists()


@pytest.mark.parametrize("name, content", [
    ("drawing.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("innocent.jpg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
])
def test_svg_is_refused_with_a_clear_message(create_training, name, content):
    with pytest.raises(ValidationError) as error:
        services.upload_photo(actor=operator(), training=create_training(), upload=SimpleUploadedFile(name, content))
    assert "SVG" in str(error.value.message_dict["image"])
    assert not Photo.objects.exists()


def test_an_oversized_file_is_refused_naming_the_limit(create_training, monkeypatch):
    monkeypatch.setattr(services, "MAX_BYTES", 100)
    with pytest.raises(ValidationError) as error:
        services.upload_photo(actor=operator(), training=create_training(), upload=jpeg_with_gps())
    assert "at most 100" in error.value.message_dict["image"][0]
    assert not Photo.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(create_training):
    with pytest.raises(ValidationError) as error:
        services.upload_photo(actor=operator(), training=create_training(),
                              upload=SimpleUploadedFile("list.jpg", b"name,phone\nAigul,+7700"))
    assert "image" in error.value.message_dict


def test_a_photo_showing_people_is_publishable_only_with_everyones_consent(create_training, create_person):
    agreed, refused = create_person(photo_consent=True), create_person(photo_consent=False)
    photo = services.upload_photo(actor=operator(), training=create_training(), upload=jpeg_with_gps(),
                                  shows_people=True, consent_recorded=True, people=[agreed])
    assert photo.publishable
    photo.people.add(refused)
    assert not photo.publishable
    photo.consent_recorded = False
    photo.people.remove(refused)
    assert not photo.publishable
