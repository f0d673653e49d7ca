"""Schemathesis hooks for the fuzz test (test/api/fuzz.test.ts): strategies for the identifier formats
the OpenAPI document names, so generated "valid" requests carry identifiers with correct check
characters (a pattern alone cannot say that). Mirrors domain/identifiers.ts."""
from datetime import date, timedelta

import schemathesis
from hypothesis import strategies as st

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def uscc(head: str, region: str, tail: str) -> str:
    first17 = head + region + tail
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def id_number(region: str, birth: date, seq: str) -> str:
    first17 = region + birth.strftime("%Y%m%d") + seq
    return first17 + ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


chars = lambda n: st.text(alphabet=USCC_ALPHABET, min_size=n, max_size=n)
digits = lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
births = st.dates(min_value=date(1900, 1, 1), max_value=date.today() - timedelta(days=1))

USCC = st.builds(uscc, chars(2), digits(6), chars(9))
ID_NUMBER = st.builds(id_number, digits(6), births, digits(3))

schemathesis.openapi.format("uscc", USCC)
schemathesis.openapi.format("cn-id-number", ID_NUMBER)
schemathesis.openapi.format("subject-id", st.one_of(USCC, ID_NUMBER))
