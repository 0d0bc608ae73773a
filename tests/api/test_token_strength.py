"""Low-entropy tokens are refused at ``pairnet serve`` start (issue 12, B.12): long but made
of few different characters is as weak as short."""

from __future__ import annotations

import pytest

from pairnet.api.settings import Settings
from tests.api.test_api_security import _serve


@pytest.mark.parametrize(
    ("token", "weak"),
    [
        ("aaaaaaaaaaaaaaaa", True),
        ("a" * 64, True),
        ("abababababababababab", True),
        ("1234123412341234", True),
        ("7f3a9c2e1b5d8e40", False),
        ("pairnet-api-test-token-7f3a9c2e1b", False),
    ],
)
def test_tokens_of_few_different_characters_are_weak(token, weak):
    assert Settings(token=token).token_is_weak() is weak


def test_serve_refuses_a_long_repeated_token(tmp_path):
    refused = _serve("--store", str(tmp_path / "x.db"), "--port", "1", token="aaaaaaaaaaaaaaaa")
    assert refused.returncode == 2
    assert "PAIRNET_TOKEN" in refused.stderr and "different characters" in refused.stderr
