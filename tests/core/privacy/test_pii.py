from __future__ import annotations

import pytest

from cogenesis.core.privacy.pii import detect, iban_ok, luhn_ok


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mail me at jane.doe+work@example.co.uk please", "EMAIL"),
        ("call +1 415 555 2671 tonight", "PHONE"),
        ("call (415) 555-2671 tonight", "PHONE"),
        ("Vienna office: +43 1 5555 1234", "PHONE"),  # shorter national numbers abroad
        ("ext. +1-415-555-2671x23 from reception", "PHONE"),
        ("log 12 ms, 200 OK, 3 of 4 " * 300 + "then call (415) 555-2671", "PHONE"),  # far in
        ("card 4111 1111 1111 1111 expires", "CARD"),
        ("IBAN DE89 3704 0044 0532 0130 00 thanks", "IBAN"),
        ("server at 192.168.10.20 is down", "IP"),
        ("v6 2001:db8::1 works", "IP"),
        ("see https://intranet.example.com/x?y=1", "URL"),
        ("born on 12/03/1985 in", "DATE"),
        ("born March 12, 1985 in", "DATE"),
        ("SSN 123-45-6789 on file", "ID"),
        ("I live at 221 Baker Street now", "ADDRESS"),
        ("crash in /home/rickard/Documents/x.py:260", "USER"),
        (r"saved to C:\Users\Anna\Desktop\cv.docx", "USER"),
        ("see shippingcal.com for rates", "URL"),
        ("our site www.example.so is new", "URL"),
    ],
)
def test_true_positives(text: str, kind: str) -> None:
    assert kind in {d.kind for d in detect(text)}, detect(text)


@pytest.mark.parametrize(
    "text",
    [
        "card 4111 1111 1111 1112 fails Luhn",
        "version 1.2.3.4567 released",
        "IBAN DE00 3704 0044 0532 0130 00 has a bad checksum",
        "the score was 3-2 and we met at 10:30",
        "I have 12 apples and 300 pears",
    ],
)
def test_false_positives_are_avoided(text: str) -> None:
    assert [d.kind for d in detect(text) if d.kind in ("CARD", "IBAN", "IP", "PHONE")] == []


def test_checksums() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and not iban_ok("GB82 WEST 1234 5698 7654 33")


@pytest.mark.parametrize("text", ["loaded /system/lib64/libgui.so and setup.py", "see README.md"])
def test_file_names_are_not_domains(text: str) -> None:
    assert [d.kind for d in detect(text) if d.kind == "URL"] == []
