"""Photo upload: check the file, then re-encode it so no EXIF or GPS tag survives.

Re-encoding from the decoded pixels (rather than deleting known tags) is what
guarantees that no metadata block we did not think of (XMP, IPTC, MakerNote,
embedded thumbnails that keep the original picture) reaches the disk.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cascade.access import require
from cascade.lib.translated import as_translations

from .models import Photo

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMBNAIL_SIZE = (480, 480)
# Pillow format name -> (format to save, file extension)
ACCEPTED = {"JPEG": ("JPEG", "jpg"), "PNG": ("PNG", "png"), "WEBP": ("WEBP", "webp"),
            "GIF": ("PNG", "png"), "MPO": ("JPEG", "jpg")}


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError({"image": _("The file is %(size)s; photos may be at most %(max)s.")
                               % {"size": filesizeformat(size), "max": filesizeformat(MAX_BYTES)}})
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError({"image": _("The file is larger than %(max)s; photos may be at most %(max)s.")
                               % {"max": filesizeformat(MAX_BYTES)}})
    return data


def _looks_like_svg(data: bytes, name: str) -> bool:
    head = data[:1024].lstrip().lower()
    return name.lower().endswith((".svg", ".svgz")) or head.startswith((b"<?xml", b"<svg")) or b"<svg" in head


def clean_image(upload) -> tuple[bytes, bytes, str]:
    """Return (image bytes, thumbnail bytes, extension), or raise ValidationError on ``image``."""
    name = getattr(upload, "name", "") or ""
    data = _read(upload)
    if _looks_like_svg(data, name):
        raise ValidationError({"image": _("SVG drawings are not accepted: they can carry scripts. "
                                          "Upload a JPEG, PNG or WebP photo.")})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError({"image": _("This file is not a photo we can read. "
                                          "Upload a JPEG, PNG or WebP image.")}) from None
    if kind not in ACCEPTED:
        raise ValidationError({"image": _("%(kind)s images are not accepted. Upload a JPEG, PNG or WebP photo.")
                               % {"kind": kind}})
    if width * height > MAX_PIXELS:
        raise ValidationError({"image": _("The photo is %(w)s×%(h)s pixels; at most %(max)s megapixels are accepted.")
                               % {"w": width, "h": height, "max": MAX_PIXELS // 1_000_000}})
    save_as, extension = ACCEPTED[kind]
    with Image.open(io.BytesIO(data)) as original:
        # Turn the picture upright first: the orientation tag is about to be dropped.
        upright = ImageOps.exif_transpose(original)
        mode = "RGB" if save_as == "JPEG" else ("RGBA" if "A" in upright.getbands() else "RGB")
        # A new image from the pixels alone: nothing of the original's metadata follows.
        clean = Image.new(mode, upright.size)
        clean.paste(upright.convert(mode))
    image_bytes = _encode(clean, save_as)
    clean.thumbnail(THUMBNAIL_SIZE)
    return image_bytes, _encode(clean, save_as), extension


def _encode(image: Image.Image, save_as: str) -> bytes:
    out = io.BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True}, "WEBP": {"quality": 85}}.get(save_as, {})
    image.save(out, save_as, **options)
    return out.getvalue()


@transaction.atomic
def upload_photo(*, training, upload, actor, caption=None, shows_people=True,
                 consent_recorded=False, people=()) -> Photo:
    """Store a cleaned copy of ``upload`` as a photo of ``training`` (one ``actor`` may edit).

    File names are random so that a name ("aigul_at_protest.jpg") does not leak either.
    """
    require("photos.upload", actor, training)
    return store_photo(training=training, cleaned=clean_image(upload), actor=actor, caption=caption,
                       shows_people=shows_people, consent_recorded=consent_recorded, people=people)


def store_photo(*, training, cleaned: tuple[bytes, bytes, str], actor, caption=None,
                shows_people=True, consent_recorded=False, people=()) -> Photo:
    """Save what :func:`clean_image` returned; a form with several photos cleans them all
    first, so that one bad file stops the whole report before anything is written."""
    require("photos.upload", actor, training)
    uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
    image_bytes, thumb_bytes, extension = cleaned
    stem = uuid.uuid4().hex
    photo = Photo(training=training, caption=as_translations(caption), shows_people=shows_people,
                  consent_recorded=consent_recorded, uploaded_by=uploaded_by)
    photo.image.save(f"{stem}.{extension}", ContentFile(image_bytes), save=False)
    photo.thumbnail.save(f"{stem}.{extension}", ContentFile(thumb_bytes), save=False)
    photo.save()
    if people:
        photo.people.set(people)
    from cascade.audit import services as audit

    audit.log("cascade.photo.uploaded", actor, photo, training=training.pk)
    return photo


def delete_photo(photo: Photo, actor) -> None:
    from cascade.audit import services as audit

    require("photos.delete", actor, photo)
    audit.log("cascade.photo.deleted", actor, photo, training=photo.training_id)
    photo.delete_files()
    photo.delete()
