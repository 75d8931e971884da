"""A ranking nickname never carries a phone or card number, however its digits are written."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.citizens.ranking_choice import NicknameInvalid, check_nickname

DIGIT_RUN = "昵称不能包含一长串数字。"
# Ways of writing each digit 0-9 that a nickname's shape lets through.
FORMS = [
    "0123456789",  # ASCII
    "０１２３４５６７８９",  # fullwidth (NFKC makes them ASCII)
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "०१२३४५६७८९",  # Devanagari
    "๐๑๒๓๔๕๖๗๘๙",  # Thai
    "〇一二三四五六七八九",  # Chinese numerals
    "零幺二三四五六七八九",  # as a phone number is read out
    "零壹贰叁肆伍陆柒捌玖",  # financial
]
SEPARATORS = ["", " ", "-", "_", "·"]


@st.composite
def written_numbers(draw):
    digits = draw(st.lists(st.integers(0, 9), min_size=6, max_size=7))
    parts = [draw(st.sampled_from(FORMS))[d] for d in digits]
    sep = draw(st.sampled_from(SEPARATORS))
    prefix = draw(st.sampled_from(["", "小绿", "ab", "qq"]))
    return prefix + sep.join(parts)


@given(written_numbers())
def test_a_run_of_six_digits_in_any_writing_is_refused(name):
    assert len(name) <= 16
    with pytest.raises(NicknameInvalid) as e:
        check_nickname(name)
    assert e.value.message_zh == DIGIT_RUN, name


@given(
    st.lists(st.integers(0, 9), min_size=1, max_size=5),
    st.sampled_from(FORMS),
    st.sampled_from(["绿色出行", "bike", "小绿人"]),
)
def test_five_digits_or_fewer_are_kept(digits, form, word):
    name = word + "".join(form[d] for d in digits)
    assert check_nickname(name)
