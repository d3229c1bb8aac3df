"""Splink on Apache Spark: the same linkage as on DuckDB, in a local Spark session (needs Java)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))

from victims_generate import generate  # noqa: E402

from reckon.errors import InputError  # noqa: E402
from reckon.victims.link import features, score  # noqa: E402

pytest.importorskip("pyspark", reason="the spark extra is not installed")
pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for Spark")


@pytest.fixture(scope="module", autouse=True)
def _stop_spark():
    yield
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is not None:  # the JVM is not left running for the rest of the tests
        session.stop()


def test_spark_backend_scores_pairs_as_duckdb_does() -> None:
    feats = features(generate(persons=60, seed=3))
    got = {}
    for backend in ("duckdb", "spark"):
        res = score(feats, min_probability=0.01, backend=backend, train=False)
        got[backend] = {(int(a), int(b)): float(p) for a, b, p in
                        zip(res.pairs.unique_id_l, res.pairs.unique_id_r, res.pairs.match_probability)}
    duck, spark = got["duckdb"], got["spark"]
    assert len(duck) > 50  # blocking found the lists' pairs (and more)
    assert set(spark) == set(duck)
    assert max(abs(spark[k] - duck[k]) for k in duck) < 1e-9


def test_a_model_made_for_duckdb_is_refused_on_spark_with_what_to_do() -> None:
    feats = features(generate(persons=20, seed=4))
    model = score(feats, min_probability=0.5, train=False).model  # made on DuckDB
    with pytest.raises(InputError) as err:
        score(feats, model=model, backend="spark")
    assert err.value.code == "R140" and "duckdb" in str(err.value) and "victims_backend" in str(err.value)
