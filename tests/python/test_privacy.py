# SPDX-License-Identifier: LGPL-2.1-or-later
"""The masking policy from Python is the C library's (kiosk/privacy.h)."""

import libkiosk


def test_contract():
    assert libkiosk.mask_name("韩梅梅") == "韩*梅"
    assert libkiosk.mask_name("张三") == "张*"
    assert libkiosk.mask_id_number("100101199001010028") == "1001**********0028"


def test_other_shapes():
    assert libkiosk.mask_name("欧阳娜娜") == "欧*娜"
    assert libkiosk.mask_name("Li Lei") == "L*****"
    assert libkiosk.mask_name("李") == "李*"
    assert libkiosk.mask_name("") == ""
    assert libkiosk.mask_name(None) is None
    assert libkiosk.mask_id_number("12345") == "***45"
    assert libkiosk.mask_address("北京市东城区景山前街4号") == "北京***"


def test_card_uses_it():
    card = libkiosk.IdCard(name="韩梅梅", id_number="100101199001010028")
    assert card.masked_name == "韩*梅"
    assert card.masked_id_number == "1001**********0028"
    assert "199001" not in repr(card)
