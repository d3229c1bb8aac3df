"""Record linkage of victim records with Splink (Fellegi-Sunter), DuckDB by default, Spark by setting.

The flow, each step usable alone:

    features(records)             name, place and age keys per record (pandas in, pandas out)
    victim_model()                the Splink settings: blocking rules, comparisons, prior m/u values
    score(features, model, ...)   Splink: train (EM, unsupervised) when the data allows, then predict pairs
    complete_pairs(features, ...) score the pairs inside candidate persons that blocking did not compare
    cluster(ids, pairs, ...)      records -> persons at a threshold (average linkage), honouring decisions

The model is plain Splink settings JSON: :func:`score` returns the trained one
so a run can be saved, reviewed and applied again with ``model=``.
"""

from __future__ import annotations

import atexit
import logging
import math
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from ..errors import InputError, MissingExtra
from .names import district_key, name_parts, place_key

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["features", "victim_model", "score", "match_prior", "complete_pairs", "components", "cluster", "ScoreResult",
           "COMPARISONS", "MIN_TRAIN_RECORDS"]

# Below this many records EM has too little to learn from; the prior m/u values are used.
MIN_TRAIN_RECORDS = 300
COMPARISONS = ("given", "father", "family", "birth_year", "event", "sex", "list")

FEATURE_COLUMNS = ("unique_id", "source", "given_key", "father_key", "family_key", "name_key", "name_sorted",
                   "birth_year", "date_of_death", "place_key", "place_id", "district_key", "sex")


@lru_cache(maxsize=500_000)
def _name_keys(full: str) -> tuple[str | None, str | None, str | None, str, str]:
    parts = name_parts(full)
    keys = parts.keys
    given = keys[0] if keys else None
    family = keys[-1] if len(keys) > 1 else None
    father = keys[1] if len(keys) > 2 else None
    return given, father, family, " ".join(keys), " ".join(sorted(keys))


@lru_cache(maxsize=200_000)
def _part(text: str) -> str | None:
    keys = name_parts(text).keys
    return "".join(keys) or None


@lru_cache(maxsize=200_000)
def _place(text: str) -> str | None:
    return place_key(text) or None


@lru_cache(maxsize=20_000)
def _district(text: str) -> str | None:
    return district_key(text) or None


def _clean(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    s = str(v).strip()
    return s or None


# Above this many distinct names, keys are computed by one worker process per core.
PARALLEL_NAMES = 100_000


def _keys_chunk(texts: list[str]) -> list[tuple[str | None, str | None, str | None, str, str]]:
    return [_name_keys(t) for t in texts]


def _keys_for(texts: list[str]) -> dict[str, tuple[str | None, str | None, str | None, str, str]]:
    """Name keys of each distinct name, in parallel for large inputs."""
    import os

    distinct = list({t for t in texts if t})
    workers = os.cpu_count() or 1
    if len(distinct) < PARALLEL_NAMES or workers < 2:
        return {t: _name_keys(t) for t in distinct}
    import multiprocessing as mp

    size = max(1, len(distinct) // (workers * 4))
    chunks = [distinct[i:i + size] for i in range(0, len(distinct), size)]
    with mp.get_context("fork").Pool(workers) as pool:
        results = pool.map(_keys_chunk, chunks)
    return {t: k for chunk, res in zip(chunks, results) for t, k in zip(chunk, res)}


def features(records: "pd.DataFrame") -> "pd.DataFrame":
    """Linkage features of victim records.

    ``records`` has ``id`` and ``source`` and any of ``full_name``, ``given_name``,
    ``father_name``, ``family_name``, ``sex``, ``age``, ``birth_year``,
    ``date_of_death``, ``place``, ``place_id``. Separate name-part columns win over
    parts split from the full name; a birth year is derived from age and date of
    death (or the median year of death) when not given.
    """
    import numpy as np
    import pandas as pd

    n = len(records)

    def col(name: str) -> list[Any]:
        return records[name].tolist() if name in records.columns else [None] * n

    full, given_c, father_c, family_c = col("full_name"), col("given_name"), col("father_name"), col("family_name")
    texts = [_clean(full_v) or " ".join(x for x in (_clean(g), _clean(f), _clean(fam)) if x)
             for full_v, g, f, fam in zip(full, given_c, father_c, family_c)]
    keyed = _keys_for(texts)
    g_out, f_out, fam_out, key_out, sorted_out = [], [], [], [], []
    for text, g, f, fam in zip(texts, given_c, father_c, family_c):
        given, father, family, key, skey = keyed[text] if text else (None, None, None, "", "")
        g, f, fam = _clean(g), _clean(f), _clean(fam)
        if g:
            given = _part(g) or given
        if f:
            father = _part(f) or father
        if fam:
            family = _part(fam) or family
        g_out.append(given)
        f_out.append(father)
        fam_out.append(family)
        key_out.append(key or None)
        sorted_out.append(skey or None)

    dod = pd.to_datetime(pd.Series(col("date_of_death")), errors="coerce")
    age = pd.to_numeric(pd.Series(col("age")), errors="coerce")
    by = pd.to_numeric(pd.Series(col("birth_year")), errors="coerce")
    ref_year = float(dod.dt.year.median()) if dod.notna().any() else float(pd.Timestamp.now().year)
    derived = np.where(dod.notna(), dod.dt.year - age, ref_year - age)
    birth_year = by.where(by.notna(), pd.Series(derived)).round()
    places = [(_place(p) if _clean(p) else None) for p in col("place")]
    districts = [(_district(p) if _clean(p) else None) for p in col("district")]
    place_ids = col("place_id")
    place_out = [_clean(pid) for pid in place_ids]
    sex = [(_clean(s) or None) for s in col("sex")]
    def text(values: list[Any]) -> "pd.Series":
        return pd.Series(values, dtype="string")

    return pd.DataFrame({
        "unique_id": records["id"].astype("int64").to_numpy(),
        "source": text([str(s) for s in col("source")]),
        "given_key": text(g_out),
        "father_key": text(f_out),
        "family_key": text(fam_out),
        "name_key": text(key_out),
        "name_sorted": text(sorted_out),
        "birth_year": birth_year.astype("Int64"),
        "date_of_death": dod.dt.normalize().astype("datetime64[ns]"),
        "place_key": text(places),
        "place_id": text(place_out),
        "district_key": text(districts),
        "sex": text(sex),
    })


def prior_probability_match(n_records: int, n_sources: int) -> float:
    """A prior for two random records being one person, when the data is too small to estimate it.

    Lists of one event document largely the same people, so a record has about
    one match per other list among the ``n_records - 1`` others.
    """
    if n_records < 2:
        return 0.5
    return float(min(0.1, max(1e-6, max(1, n_sources - 1) / (n_records - 1))))


# Blocking: a pair of records is compared when it agrees on every field of at least one rule.
# Each rule has a cap: a block of more records than that (a common name in a large district)
# is skipped, because its pairs grow with the square of its size while the other rules, which
# ask for a place, a date or a birth year as well, find most of its matches. The number of
# comparisons thus grows in proportion to the records (at most cap/2 per record and rule).
BLOCKING_RULES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("given_key", "family_key"), 50),
    (("given_key", "family_key", "district_key"), 200),
    (("given_key", "family_key", "birth_year"), 200),
    (("given_key", "family_key", "date_of_death"), 200),
    (("given_key", "father_key", "family_key"), 200),
    (("given_key", "place_key"), 100),
    (("family_key", "place_key"), 200),
    (("place_key", "date_of_death", "birth_year"), 200),
    (("given_key", "district_key", "date_of_death"), 100),
    (("family_key", "district_key", "date_of_death"), 100),
    (("family_key", "district_key", "birth_year"), 100),
    (("father_key", "family_key", "district_key"), 100),
)


def blocking_column(columns: Sequence[str]) -> str:
    """The name of the column holding the block of one blocking rule (``block_given_family``)."""
    return "block_" + "_".join(c.removesuffix("_key") for c in columns)


def blocking_keys(feats: "pd.DataFrame", rules: Sequence[tuple[Sequence[str], int]] = BLOCKING_RULES) -> "pd.DataFrame":
    """``feats`` with one column per blocking rule: a number naming the block of records that agree on
    the rule's fields, or null when a field is missing or the block has more records than the rule's cap."""
    import numpy as np
    import pandas as pd

    codes: dict[str, Any] = {}
    for fields, _ in rules:
        for f in fields:
            if f not in codes:
                codes[f] = pd.factorize(feats[f], use_na_sentinel=True)[0].astype("int64")
    result = feats.copy()
    for fields, cap in rules:
        valid = np.logical_and.reduce([codes[f] >= 0 for f in fields])
        key = codes[fields[0]][valid]
        span = int(key.max()) + 1 if len(key) else 1
        for f in fields[1:]:
            c = codes[f][valid]
            width = int(c.max()) + 1 if len(c) else 1
            if span * width >= 2**62:  # renumber before the product could overflow
                key = np.unique(key, return_inverse=True)[1].astype("int64")
                span = int(key.max()) + 1
            key = key * width + c
            span *= width
        block = np.full(len(feats), -1, dtype="int64")
        if len(key):
            _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
            block[valid] = np.where(counts[inverse] <= cap, inverse, -1)
        result[blocking_column(fields)] = pd.array(np.where(block >= 0, block, 0), dtype="Int64")
        result.loc[block < 0, blocking_column(fields)] = pd.NA
    return result


def victim_model(*, probability_match: float = 0.002, term_frequencies: bool = True,
                 backend: str = "duckdb") -> dict[str, Any]:
    """Splink settings for victim records, with prior m/u values used when the data is too small to train.

    Term-frequency adjustments (a match on a rare name counts more than one on
    Muhammad) need enough records to count frequencies; switch them off for small lists.
    ``backend`` is the database the SQL of the comparisons is written for (``duckdb`` or ``spark``).
    """
    tf = term_frequencies
    try:
        import splink.comparison_level_library as cll
        import splink.comparison_library as cl
        from splink import SettingsCreator, block_on
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise MissingExtra("splink", "victims") from exc

    def levels(name: str, col: str, lv: list[Any], m: list[float], u: list[float], desc: str) -> Any:
        configured = [cll.NullLevel(col)]
        for level, mp, up in zip(lv, m, u):
            configured.append(level.configure(m_probability=mp, u_probability=up))
        return cl.CustomComparison(configured, output_column_name=name, comparison_description=desc)

    comparisons = [
        _name_comparison(cll, cl, "given", "given_key", tf, [0.85, 0.04, 0.045, 0.015, 0.05],
                         [0.03, 0.0075, 0.015, 0.015, 0.9325], "given name key"),
        _name_comparison(cll, cl, "father", "father_key", tf, [0.8, 0.04, 0.045, 0.015, 0.1],
                         [0.03, 0.0075, 0.015, 0.015, 0.9325], "father's name key"),
        _name_comparison(cll, cl, "family", "family_key", tf, [0.85, 0.04, 0.045, 0.015, 0.03, 0.02],
                         [0.005, 0.0013, 0.01, 0.01, 0.04, 0.9337], "family name key", one_letter=True),
        levels("birth_year", "birth_year",
               [cll.ExactMatchLevel("birth_year"), cll.AbsoluteDifferenceLevel("birth_year", 1),
                cll.AbsoluteDifferenceLevel("birth_year", 3), cll.AbsoluteDifferenceLevel("birth_year", 10),
                cll.ElseLevel()],
               [0.56, 0.25, 0.1, 0.08, 0.01], [0.015, 0.03, 0.06, 0.25, 0.645],
               "birth year (given, or from age at death): 0, 1, 3, 10 years apart"),
        _event_comparison(cll, cl),
        levels("sex", "sex", [cll.ExactMatchLevel("sex"), cll.ElseLevel()], [0.98, 0.02], [0.5, 0.5], "sex"),
        # a list names each person once but for its duplicates: two records of one list are less often one person
        levels("list", "source", [cll.ExactMatchLevel("source"), cll.ElseLevel()], [0.05, 0.95], [0.3, 0.7],
               "list: the same list or two lists"),
    ]
    creator = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(blocking_column(f)) for f, _ in BLOCKING_RULES],
        probability_two_random_records_match=probability_match,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["source"],
    )
    return creator.create_settings_dict(backend)


# Keys this long or longer make a Jaro-Winkler similarity worth more than between short keys,
# where one letter changed (kr, krj) is often another name rather than a typo.
SIMILAR_MIN_LENGTH = 4


def _name_comparison(cll: Any, cl: Any, name: str, col: str, tf: bool, m: list[float], u: list[float],
                     desc: str, one_letter: bool = False) -> Any:
    """A name part: same key (term-frequency adjusted), same but for t/s and d/z, similar keys of
    four letters or more, similar short keys, other.

    With ``one_letter``, keys one letter apart (a letter added, dropped or changed, or two swapped)
    are a level before "other": a typo changes a key by a letter, and keys of three or four letters
    a letter apart are seldom similar by Jaro-Winkler. The data weighs the level (one name mistyped
    or two families). Only the family name has it: relatives share their family name, while given
    names a letter apart are often two names (Ahmad and Mohammad, Khaled and Walid) that brothers
    bear, as the fathers of cousins do; "other" keeps them apart."""
    similar = cll.JaroWinklerLevel(col, 0.88)
    long_keys = cll.CustomLevel(f"length({col}_l) >= {SIMILAR_MIN_LENGTH} AND length({col}_r) >= {SIMILAR_MIN_LENGTH}")
    lv = [
        cll.ExactMatchLevel(col, term_frequency_adjustments=tf),
        _loose_level(cll, col),
        cll.And(similar, long_keys).configure(label_for_charts="similar keys (Jaro-Winkler >= 0.88), 4+ letters"),
        similar.configure(label_for_charts="similar short keys (Jaro-Winkler >= 0.88)"),
    ]
    if one_letter:
        lv.append(cll.DamerauLevenshteinLevel(col, 1).configure(label_for_charts="keys one letter apart"))
    lv.append(cll.ElseLevel())
    configured = [cll.NullLevel(col)] + [level.configure(m_probability=mp, u_probability=up)
                                         for level, mp, up in zip(lv, m, u)]
    return cl.CustomComparison(configured, output_column_name=name,
                               comparison_description=f"{desc}: same, similar, different")


def _loose_level(cll: Any, col: str) -> Any:
    """Same key once t/s and d/z are not told apart: ث is written th, s or t (Othman, Osman),
    ذ/ظ/ض dh, z or d (Mouaz, Mu'adh)."""
    return cll.CustomLevel(f"translate({col}_l, 'tz', 'sd') = translate({col}_r, 'tz', 'sd')",
                           label_for_charts="same key, t/s and d/z alike")


def _event_comparison(cll: Any, cl: Any) -> Any:
    """Place, district and date of death as one comparison: in lists of one conflict they are far from
    independent (people die together), so scoring them apart would count one event twice.

    A district both records give and that differs is its own level: a person has one place of death,
    so it is evidence against a match wherever the place or the date is missing. Its m probability
    is held at the prior value rather than estimated (see the level)."""
    same_place = cll.Or(cll.CustomLevel("place_id_l = place_id_r"), cll.ExactMatchLevel("place_key"))
    near_place = cll.JaroWinklerLevel("place_key", 0.9)

    def days(n: int) -> Any:
        return cll.AbsoluteDateDifferenceLevel("date_of_death", input_is_string=False, threshold=n, metric="day")

    no_place = cll.Or(cll.CustomLevel("place_key_l IS NULL"), cll.CustomLevel("place_key_r IS NULL"))
    no_date = cll.Or(cll.CustomLevel("date_of_death_l IS NULL"), cll.CustomLevel("date_of_death_r IS NULL"))
    no_district = cll.Or(cll.CustomLevel("district_key_l IS NULL"), cll.CustomLevel("district_key_r IS NULL"))
    same_district = cll.ExactMatchLevel("district_key")
    other_district = cll.CustomLevel("district_key_l <> district_key_r")
    agrees = cll.CustomLevel("coalesce(district_key_l = district_key_r, true)")  # same, or one is missing
    levels = [
        (cll.And(no_place, no_date, no_district).configure(
            is_null_level=True, label_for_charts="no place, district or date to compare"), None, None),
        (cll.And(same_place, cll.ExactMatchLevel("date_of_death")).configure(label_for_charts="same place, same day"), 0.5, 0.0008),
        (cll.And(same_place, days(3)).configure(label_for_charts="same place, within 3 days"), 0.17, 0.0015),
        (cll.And(cll.Or(same_place, near_place), days(31)).configure(label_for_charts="same or similar place, within a month"), 0.06, 0.004),
        (cll.And(same_district, days(3), no_place).configure(label_for_charts="a place missing, same district, within 3 days"), 0.05, 0.002),
        (cll.And(same_district, days(3)).configure(label_for_charts="other place in the same district, within 3 days"), 0.01, 0.001),
        (cll.And(no_place, days(3), agrees).configure(label_for_charts="a place missing, within 3 days"), 0.08, 0.01),
        (cll.And(no_date, same_place).configure(label_for_charts="a date missing, same place"), 0.07, 0.01),
        (cll.And(no_date, near_place, agrees).configure(label_for_charts="a date missing, similar place"), 0.01, 0.003),
        (cll.And(no_date, same_district, no_place).configure(label_for_charts="a date missing, a place missing, same district"), 0.015, 0.003),
        (cll.And(no_date, same_district).configure(label_for_charts="a date missing, other place in the same district"), 0.005, 0.002),
        (cll.And(days(3), agrees).configure(label_for_charts="other place, within 3 days, a district missing"), 0.01, 0.01),
        (cll.And(no_date, agrees).configure(label_for_charts="a date missing, other place, a district missing"), 0.01, 0.02),
        # m held, not learned: EM learns it from the pairs of its name blocks, where namesakes from other
        # districts with little else given pass for one person; one record pair of a person in 200 naming
        # two districts (a clerical error, a district renamed) is the prior's assumption
        (other_district.configure(label_for_charts="other district", fix_m_probability=True), 0.005, 0.4),
        (same_district.configure(label_for_charts="same district, dates apart"), 0.005, 0.01),
        (days(31).configure(label_for_charts="other place, dates 4 to 31 days apart"), 0.003, 0.05),
        (cll.ElseLevel(), 0.002, 0.47),
    ]
    configured = [lv if m is None else lv.configure(m_probability=m, u_probability=u) for lv, m, u in levels]
    return cl.CustomComparison(configured, output_column_name="event",
                               comparison_description="place, district and date of death together")


def _db_api(backend: str) -> Any:
    if backend == "duckdb":
        try:
            from splink import DuckDBAPI
        except ImportError as exc:  # pragma: no cover
            raise MissingExtra("duckdb", "victims") from exc
        return DuckDBAPI()
    if backend == "spark":
        try:
            from pyspark.sql import SparkSession
            from splink.backends.spark import SparkAPI, similarity_jar_location
        except ImportError as exc:
            raise MissingExtra("pyspark", "spark") from exc
        spark = SparkSession.getActiveSession()
        if spark is None:  # a session of this machine's cores; a cluster's launcher makes its own, with Splink's jar
            spark = (SparkSession.builder.appName("reckon victims link")
                     .config("spark.jars", similarity_jar_location())  # Splink's string similarities
                     .config("spark.sql.shuffle.partitions", str(2 * (os.cpu_count() or 1)))
                     .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                     .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                     .getOrCreate())
            spark.sparkContext.setLogLevel("ERROR")  # Spark's notes of every plan would drown Reckon's own
        if spark.sparkContext.getCheckpointDir() is None:  # Splink checkpoints tables between its steps
            folder = tempfile.mkdtemp(prefix="reckon-spark-")
            atexit.register(shutil.rmtree, folder, ignore_errors=True)  # copies of the records: not left behind
            spark.sparkContext.setCheckpointDir(folder)
        return SparkAPI(spark_session=spark)
    raise _unknown_backend(backend)


def _unknown_backend(backend: str) -> InputError:
    return InputError(f"unknown linkage backend {backend!r}", hint="set victims_backend to duckdb or spark", code="R140")


def _backend_table(db_api: Any, feats: "pd.DataFrame") -> Any:
    """The records as the backend takes them: DuckDB reads the pandas frame as it is; Spark is given
    the column types (it cannot tell the type of a column that is empty in every record, such as a
    list without ages)."""
    spark = getattr(db_api, "spark", None)
    if spark is None:
        return feats
    import pandas as pd
    from pyspark.sql import types as T

    fields = []
    for name, dtype in feats.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            kind: Any = T.BooleanType()
        elif pd.api.types.is_integer_dtype(dtype):
            kind = T.LongType()
        elif pd.api.types.is_float_dtype(dtype):
            kind = T.DoubleType()
        else:
            kind = T.StringType()
        fields.append(T.StructField(str(name), kind, nullable=True))
    rows = feats.astype(object).where(feats.notna(), None)
    return spark.createDataFrame(rows.values.tolist(), schema=T.StructType(fields))


@dataclass(frozen=True)
class TrainingPlan:
    """How to estimate the model from unlabelled data (see :func:`score`)."""

    deterministic_rules: tuple[Any, ...]
    recall: float
    em_blocks: tuple[Any, ...]
    u_max_pairs: float = 2e6
    em_max_pairs: float | None = 2e6


def victim_training() -> TrainingPlan:
    from splink import block_on

    return TrainingPlan(
        deterministic_rules=(block_on("name_key", "birth_year"), block_on("name_key", "date_of_death")),
        recall=0.7,
        em_blocks=(block_on("given_key", "father_key", "family_key"), block_on("place_key", "date_of_death", "birth_year")),
    )


@dataclass
class ScoreResult:
    """Scored pairs (pandas), the model used (Splink settings JSON), and how it was obtained."""

    pairs: "pd.DataFrame"
    model: dict[str, Any]
    trained: bool
    seconds: float
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    linker: Any = field(default=None, repr=False)
    _rounds: int = field(default=0, repr=False)

    def score_within(self, feats: "pd.DataFrame", groups: Mapping[int, int]) -> "pd.DataFrame":
        """Score every pair of records that share a group (record id -> group id) with this model.

        Used to complete the pairs inside candidate persons: blocking compares only
        pairs agreeing on some fields, and a person formed through others can hold
        records never compared with each other."""
        import pandas as pd

        if self.linker is None:
            raise InputError("this score result has no model to score with", code="R140")
        from splink import block_on

        sub = feats[feats["unique_id"].isin(list(groups))].copy()
        if sub.empty:
            return self.pairs.iloc[0:0]
        sub["link_group"] = sub["unique_id"].map(groups).astype("int64")
        db_api = self.linker._db_api
        self._rounds += 1
        table = db_api.register(_backend_table(db_api, sub), dataset_display_name=f"records_in_groups_{self._rounds}")
        pred = self.linker.inference.predict_within(table, blocking_rules_to_generate_predictions=[block_on("link_group")],
                                                    warning_mode="never")
        out = pred.as_pandas_dataframe()
        pred.drop_table_from_database_and_remove_from_cache()
        table.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
        return out if isinstance(out, pd.DataFrame) else pd.DataFrame(out)


def score(
    feats: "pd.DataFrame",
    *,
    model: Mapping[str, Any] | None = None,
    training: TrainingPlan | None = None,
    train: bool | None = None,
    labels: "pd.DataFrame | None" = None,
    min_probability: float = 0.5,
    backend: str = "duckdb",
    seed: int = 1,
) -> ScoreResult:
    """Score candidate pairs of records with Splink.

    ``model`` is Splink settings (default :func:`victim_model`). ``train`` (default:
    when there are at least :data:`MIN_TRAIN_RECORDS` records and no trained model
    was given) estimates u by random sampling, the match prior from deterministic
    rules and m by EM, all from the data; ``labels`` (``unique_id_l``,
    ``unique_id_r`` pairs known to match) adds m estimates from labels. Pairs
    scoring below ``min_probability`` are not returned.
    """
    import pandas as pd

    try:
        from splink import Linker
    except ImportError as exc:  # pragma: no cover
        raise MissingExtra("splink", "victims") from exc
    logging.getLogger("splink").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    notes: list[str] = []
    if backend not in ("duckdb", "spark"):
        raise _unknown_backend(backend)
    given_model = model is not None and _is_trained(model)
    if train is None:
        train = len(feats) >= MIN_TRAIN_RECORDS and not given_model
    if model is None:
        n_sources = int(feats["source"].nunique()) if "source" in feats.columns else 1
        settings = victim_model(term_frequencies=bool(train),
                                probability_match=0.002 if train else prior_probability_match(len(feats), n_sources),
                                backend=backend)
    else:
        settings = dict(model)
        made_for = settings.get("sql_dialect")
        if made_for and made_for != backend:  # its comparisons are SQL of that database
            raise InputError(f"the model was made for the {made_for} backend, not {backend}", field="model",
                             hint=f"link on {made_for} (setting victims_backend) or without the model, to train one on "
                                  f"{backend}", code="R140")
    settings.pop("reckon_trained", None)
    training = training or (victim_training() if model is None else None)
    feats = blocking_keys(feats)
    db_api = _db_api(backend)
    linker = Linker(db_api.register(_backend_table(db_api, feats), dataset_display_name="records"), settings,
                    log_level=None)
    trained = False
    timings: dict[str, float] = {}

    def lap(name: str, since: list[float] = [t0]) -> None:
        now = time.perf_counter()
        timings[name] = round(now - since[0], 2)
        since[0] = now

    lap("register")
    if train and training is not None:
        done = _train(linker, training, notes, lap, seed=seed,
                      sample=1.0 if len(feats) < 50_000 else 0.05)
        trained = any(ok for step, ok in done.items() if step != "prior")  # some m or u from the data
        if not trained:
            notes.append("training skipped, prior model used: no estimation step succeeded")
    if labels is not None and len(labels):
        lab = labels[["unique_id_l", "unique_id_r"]].copy()
        lab["source_dataset_l"] = "records"
        lab["source_dataset_r"] = "records"
        try:
            lab_table = linker.table_management.register_table(lab, "__reckon_labels", overwrite=True)
            linker.training.estimate_m_from_pairwise_labels(lab_table)
            trained = True
        except Exception as exc:
            notes.append(f"labelled pairs not used: {exc}")
    refit = trained and not given_model
    low = min(min_probability, PRIOR_PAIRS_MIN) if refit else min_probability
    pred = linker.inference.predict(threshold_match_probability=low, warning_mode="never")
    lap("predict")
    if refit:
        pairs = _refit_prior(linker, pred, len(feats), min_probability)
        lap("prior from pairs")
    else:
        pairs = pred.as_pandas_dataframe()
    pred.drop_table_from_database_and_remove_from_cache()
    lap("fetch")
    out_model = linker.misc.save_model_to_json(None)
    out_model["reckon_trained"] = trained or given_model
    return ScoreResult(pairs=pairs if isinstance(pairs, pd.DataFrame) else pd.DataFrame(pairs), model=out_model,
                       trained=trained or given_model, seconds=time.perf_counter() - t0, notes=notes, timings=timings,
                       linker=linker)


# Scored pairs below this match probability (under the first prior) are left out when the prior is
# estimated again from the scored pairs: together they hold a negligible share of the matches.
PRIOR_PAIRS_MIN = 1e-3


def _logit2(p: float) -> float:
    return math.log2(p / (1.0 - p))


def match_prior(weights: Any, pairs: float, start: float, *, rounds: int = 100) -> float:
    """The probability that two random records match, estimated from the candidate pairs' match weights.

    ``weights`` are the match weights (log2 odds, ``start`` as the prior) of the pairs blocking
    produced, ``pairs`` the number of all pairs (``n * (n - 1) / 2`` for one list of ``n``
    records). With the m and u probabilities held, the prior is the expected number of matching
    pairs over all pairs: the sum of the candidates' match probabilities divided by ``pairs``,
    pairs outside blocking counting as non-matches. That sum depends on the prior, so the two
    are iterated to their fixed point (the EM update of the mixing proportion alone), which
    takes a few rounds."""
    import numpy as np

    total = float(pairs)
    w = np.asarray(weights, dtype="float64")
    if total <= 0 or not len(w) or not 0.0 < start < 1.0:
        return start
    bayes = w - _logit2(start)  # log2 Bayes factors, the prior taken out
    prior = start
    for _ in range(rounds):
        new = float(np.sum(1.0 / (1.0 + np.exp2(-(bayes + _logit2(prior)))))) / total
        new = min(max(new, 1e-12), 0.5)
        if abs(math.log(new / prior)) < 1e-6:
            return new
        prior = new
    return prior


def _refit_prior(linker: Any, pred: Any, n_records: int, min_probability: float) -> "pd.DataFrame":
    """Set the linker's match prior to :func:`match_prior` of the scored pairs in ``pred`` and
    return those at or above ``min_probability`` with their weights and probabilities under it.

    The prior the deterministic rules give rests on a guess of their recall; the scored pairs
    say how many matches the model sees among all candidates."""
    import pandas as pd

    settings = linker._settings_obj
    start = float(settings._probability_two_random_records_match)
    table = pred.physical_name
    weights = linker.misc.query_sql(f"select match_weight from {table}", output_type="pandas")["match_weight"]
    prior = match_prior(weights.to_numpy("float64"), n_records * (n_records - 1) / 2, start)
    settings._probability_two_random_records_match = prior
    shift = _logit2(prior) - _logit2(start)
    columns = list(linker.misc.query_sql(f"select * from {table} limit 0", output_type="pandas").columns)
    weight = f"(match_weight + {shift!r})"
    exprs = [f"{weight} as match_weight" if c == "match_weight" else
             f"1.0 / (1.0 + power(2.0, -{weight})) as match_probability" if c == "match_probability" else c
             for c in columns]
    where = f" where {weight} >= {_logit2(min_probability)!r}" if 0.0 < min_probability < 1.0 else ""
    out = linker.misc.query_sql(f"select {', '.join(exprs)} from {table}{where}", output_type="pandas")
    return out if isinstance(out, pd.DataFrame) else pd.DataFrame(out)


def _train(linker: Any, plan: TrainingPlan, notes: list[str], lap: Callable[[str], None], *, seed: int,
           sample: float) -> dict[str, bool]:
    """Run the steps of ``plan`` one by one: the match prior, u by random sampling, then
    one EM round per blocking rule. Returns step name -> whether it succeeded.

    Each step stands alone: one that fails (too few or too uniform pairs under its
    blocking rule, a database error) leaves the model as it was before the step, and
    the others keep their estimates. The failure is noted in ``notes`` with the
    step and the reason, so a model trained by fewer rounds than planned is never
    reported as fully trained. The model counts as trained when u or some m was
    estimated; a prior estimated alone leaves the prior m and u values."""
    def em(rule: Any) -> Callable[[], Any]:
        return lambda: linker.training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=plan.em_max_pairs, estimate_without_term_frequencies=True,
            record_sample_proportion=sample)

    steps: list[tuple[str, str, Callable[[], Any]]] = [
        ("prior", "match prior from deterministic rules",
         lambda: linker.training.estimate_probability_two_random_records_match(
             list(plan.deterministic_rules), recall=plan.recall)),
        ("u", "u by random sampling",
         lambda: linker.training.estimate_u_using_random_sampling(max_pairs=plan.u_max_pairs, seed=seed)),
    ]
    for i, rule in enumerate(plan.em_blocks):
        steps.append((f"em{i + 1}", f"EM round {i + 1} blocked on {_rule_text(rule, linker)}", em(rule)))
    done: dict[str, bool] = {}
    for name, what, run in steps:
        settings = linker._settings_obj
        before = settings.core_model_settings.copy()
        sessions = len(linker._em_training_sessions)
        try:
            run()
            done[name] = True
        except Exception as exc:
            settings.core_model_settings = before
            del linker._em_training_sessions[sessions:]
            kept = "the prior model's value kept" if name == "prior" else "the other steps' estimates kept"
            notes.append(f"training step {name} ({what}) failed and was skipped, {kept}: "
                         f"{type(exc).__name__}: {exc}")
            done[name] = False
        lap(name)
    return done


def _rule_text(rule: Any, linker: Any) -> str:
    """The SQL condition of a blocking rule, for notes."""
    try:
        return str(rule.get_blocking_rule(linker._sql_dialect_str).blocking_rule_sql)
    except Exception:  # a rule given as plain SQL text
        return str(rule)


def _is_trained(settings: Mapping[str, Any]) -> bool:
    return bool(settings.get("reckon_trained"))


def field_weights(row: Mapping[str, Any], comparisons: Iterable[str] = COMPARISONS) -> dict[str, float]:
    """Match weight (log2 Bayes factor) per field of one scored pair, term-frequency adjustment included."""
    out: dict[str, float] = {}
    for name in comparisons:
        w = _num(row.get(f"mw_{name}"))
        if w is None:
            bf = _num(row.get(f"bf_{name}"))
            if bf is None:
                continue
            w = math.log2(bf) if bf > 0 else -30.0
        tf = _num(row.get(f"mw_tf_adj_{name}"))
        out[name] = round(w + (tf or 0.0), 3)
    return out


def _num(v: Any) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _labels(n: int, left: Any, right: Any) -> Any:
    """Connected components of ``n`` nodes joined by the edges ``left[i]``-``right[i]`` (positions):
    for each node the smallest position in its component (hooking and pointer jumping, vectorised)."""
    import numpy as np

    label = np.arange(n, dtype="int64")
    if len(left) == 0:
        return label
    while True:
        la, lb = label[left], label[right]
        low = np.minimum(la, lb)
        new = label.copy()
        np.minimum.at(new, la, low)
        np.minimum.at(new, lb, low)
        while True:
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, label):
            return label
        label = new


def _positions(ids: Any, values: Any) -> Any:
    """Position of each of ``values`` in ``ids`` (-1 when absent)."""
    import pandas as pd

    return pd.Index(ids).get_indexer(values)


def components(ids: Sequence[int], pairs: Iterable[tuple[int, int, float]], threshold: float, *,
               same: Iterable[tuple[int, int]] = ()) -> dict[int, int]:
    """Record -> smallest record id of its connected component, joining pairs at or above ``threshold``
    and pairs decided ``same`` (single linkage: what a chain of strong pairs puts together)."""
    import numpy as np

    id_arr = np.asarray(list(ids), dtype="int64")
    rep = _component_ids(id_arr, _edges(pairs), threshold, same)
    return dict(zip(id_arr.tolist(), rep.tolist()))


def _edges(pairs: Iterable[tuple[int, int, float]]) -> tuple[Any, Any, Any]:
    import numpy as np

    if hasattr(pairs, "columns"):  # a DataFrame of scored pairs
        return (pairs["unique_id_l"].to_numpy("int64"), pairs["unique_id_r"].to_numpy("int64"),
                pairs["match_probability"].to_numpy("float64"))
    rows = list(pairs)
    if not rows:
        return np.zeros(0, "int64"), np.zeros(0, "int64"), np.zeros(0, "float64")
    a, b, p = zip(*rows)
    return np.asarray(a, "int64"), np.asarray(b, "int64"), np.asarray(p, "float64")


def _component_ids(id_arr: Any, edges: tuple[Any, Any, Any], threshold: float,
                   same: Iterable[tuple[int, int]]) -> Any:
    """For each record of ``id_arr``: the smallest record id of its component."""
    import numpy as np

    a, b, p = edges
    same = list(same)
    if same:
        sa, sb = (np.asarray(x, "int64") for x in zip(*same))
        a, b, p = np.concatenate([a, sa]), np.concatenate([b, sb]), np.concatenate([p, np.ones(len(sa))])
    pa, pb = _positions(id_arr, a), _positions(id_arr, b)
    strong = (p >= threshold) & (pa >= 0) & (pb >= 0)
    label = _labels(len(id_arr), pa[strong], pb[strong])
    # the smallest record id per component (positions need not follow the ids' order)
    smallest = np.full(len(id_arr), np.iinfo("int64").max, dtype="int64")
    np.minimum.at(smallest, label, id_arr)
    return smallest[label]


# Components up to this many records have all their pairs scored before clustering (a component
# of n records holds n(n-1)/2 pairs); larger ones, rare, are clustered on the pairs blocking found.
COMPLETE_MAX = 200


def complete_pairs(feats: "pd.DataFrame", res: ScoreResult, threshold: float, *,
                   same: Iterable[tuple[int, int]] = (), max_size: int = COMPLETE_MAX) -> "pd.DataFrame":
    """Scored pairs inside candidate persons that blocking did not produce.

    Candidate persons are the components of pairs at or above ``threshold`` (and
    ``same`` decisions) with three to ``max_size`` records; every pair of records in
    one is scored with the model of ``res`` unless already in ``res.pairs``."""
    import numpy as np

    pairs = res.pairs
    id_arr = feats["unique_id"].to_numpy("int64")
    rep = _component_ids(id_arr, _edges(pairs), threshold, same)
    _, comp, sizes = np.unique(rep, return_inverse=True, return_counts=True)
    chosen = (sizes[comp] >= 3) & (sizes[comp] <= max_size)
    if not chosen.any():
        return pairs.iloc[0:0]
    extra = res.score_within(feats, dict(zip(id_arr[chosen].tolist(), rep[chosen].tolist())))
    if extra.empty:
        return extra
    known = set(zip(pairs["unique_id_l"].tolist(), pairs["unique_id_r"].tolist()))
    keep = [(a, b) not in known and (b, a) not in known
            for a, b in zip(extra["unique_id_l"].tolist(), extra["unique_id_r"].tolist())]
    return extra[keep].reset_index(drop=True)


# Inside a group of records chained together by strong pairs, two parts stay separate persons when
# the average match probability over all their record pairs is below the threshold or this,
# whichever is lower: more likely different people than one.
AVERAGE_AT_MOST = 0.5


def cluster(
    ids: Sequence[int],
    pairs: Iterable[tuple[int, int, float]],
    threshold: float,
    *,
    same: Iterable[tuple[int, int]] = (),
    different: Iterable[tuple[int, int]] = (),
    linkage: str = "average",
) -> dict[int, int]:
    """Records -> person id (the smallest record id of its cluster).

    ``linkage="average"`` (the default): records connected by a chain of pairs at or
    above ``threshold`` are candidates for one person; inside each such component,
    groups of records join, most similar first, while the average match probability
    over all pairs between the two groups is at least ``threshold`` or
    :data:`AVERAGE_AT_MOST` (one half), whichever is lower; pairs not in ``pairs``
    count as 0. So one strong pair no longer chains two persons together when their
    other records are, on average, more likely different people.
    ``linkage="single"``: every pair at or above ``threshold`` joins its records,
    strongest first.

    Either way no join puts two records decided ``different`` into one cluster, and
    pairs decided ``same`` are joined whatever their score.
    """
    import numpy as np

    same = [(a, b) for a, b in same]
    different = [(a, b) for a, b in different]
    if linkage == "single":
        a, b, p = _edges(pairs)
        return _single_linkage(ids, zip(a.tolist(), b.tolist(), p.tolist()), threshold, same, different)
    if linkage != "average":
        raise InputError(f"unknown linkage {linkage!r}", hint="use average or single", code="R140")
    bar = min(threshold, AVERAGE_AT_MOST)
    id_arr = np.asarray(list(ids), dtype="int64")
    a, b, p = _edges(pairs)
    rep = _component_ids(id_arr, (a, b, p), threshold, same)
    out = dict(zip(id_arr.tolist(), rep.tolist()))
    if not len(id_arr):
        return out
    reps, comp = np.unique(rep, return_inverse=True)  # comp: dense component number per record
    sizes = np.bincount(comp)
    pa, pb = _positions(id_arr, a), _positions(id_arr, b)
    ok = (pa >= 0) & (pb >= 0) & (a != b)
    ca = np.where(ok, comp[np.clip(pa, 0, None)], -1)
    inner = ok & (ca == np.where(ok, comp[np.clip(pb, 0, None)], -2))
    # a component whose pairs are all at the bar needs no work: average linkage joins it whole
    strong = np.bincount(ca[inner & (p >= bar)], minlength=len(sizes))
    work = (sizes > 2) & (strong < sizes * (sizes - 1) // 2)
    constrained = {int(comp[i]) for i in _positions(id_arr, np.asarray([x for pair in same + different for x in pair],
                                                                       dtype="int64")) if i >= 0}
    for c in constrained:
        work[c] = sizes[c] > 1
    if not work.any():
        return out
    sel = inner & work[np.where(inner, ca, 0)]
    edges: dict[int, list[tuple[int, int, float]]] = {}
    for c, x, y, q in zip(ca[sel].tolist(), a[sel].tolist(), b[sel].tolist(), p[sel].tolist()):
        edges.setdefault(c, []).append((x, y, q))
    members_of: dict[int, list[int]] = {}
    for c, i in zip(comp[work[comp]].tolist(), id_arr[work[comp]].tolist()):
        members_of.setdefault(c, []).append(i)
    comp_of = {i: c for c, members in members_of.items() for i in members}
    apart: dict[int, set[int]] = {}
    for x, y in different:
        if x in comp_of and comp_of[x] == comp_of.get(y):
            apart.setdefault(x, set()).add(y)
            apart.setdefault(y, set()).add(x)
    same_in: dict[int, list[tuple[int, int]]] = {}
    for x, y in same:
        if x in comp_of and comp_of[x] == comp_of.get(y):
            same_in.setdefault(comp_of[x], []).append((x, y))
    for c, members in members_of.items():
        if len(members) == 2:  # two records are together only through a pair at the threshold, or a decision
            x, y = members
            if x in apart and y in apart[x]:
                out[max(x, y)] = max(x, y)
            continue
        for i, g in _average_linkage(members, edges.get(c, []), bar, same_in.get(c, []), apart).items():
            out[i] = g
    return out


def _average_linkage(members: list[int], edges: list[tuple[int, int, float]], threshold: float,
                     same: list[tuple[int, int]], apart: Mapping[int, set[int]]) -> dict[int, int]:
    """Agglomerative clustering of one component: join the two groups with the highest average
    pair probability while it is at least ``threshold``; ``same`` pairs start joined, ``apart``
    records never end up together. Returns record -> smallest record id of its group."""
    import heapq

    parent = {m: m for m in members}
    size = dict.fromkeys(members, 1)

    def find(x: int) -> int:
        return _root(parent, x)

    forbidden: dict[int, set[int]] = {m: set(apart[m]) for m in members if m in apart}

    def allowed(g: int, h: int) -> bool:
        return not (any(find(x) == h for x in forbidden.get(g, ())) or any(find(x) == g for x in forbidden.get(h, ())))

    def merge(g: int, h: int) -> int:
        g, h = min(g, h), max(g, h)
        parent[h] = g
        size[g] += size.pop(h)
        if h in forbidden:
            forbidden.setdefault(g, set()).update(forbidden.pop(h))
        return g

    for a, b in same:
        ga, gb = find(a), find(b)
        if ga != gb:
            merge(ga, gb)
    sums: dict[int, dict[int, float]] = {}
    for a, b, p in edges:
        ga, gb = find(a), find(b)
        if ga == gb or p <= 0:
            continue
        sums.setdefault(ga, {})[gb] = sums.get(ga, {}).get(gb, 0.0) + p
        sums.setdefault(gb, {})[ga] = sums[ga][gb]
    version = dict.fromkeys(size, 0)
    heap = [(-total / (size[g] * size[h]), g, h, 0, 0) for g, row in sums.items() for h, total in row.items() if g < h]
    heapq.heapify(heap)
    while heap:
        neg, g, h, vg, vh = heapq.heappop(heap)
        if version.get(g) != vg or version.get(h) != vh:
            continue  # a group changed since this entry was made
        if -neg < threshold:
            break
        if not allowed(g, h):
            continue
        kept = merge(g, h)
        gone = h if kept == g else g
        row = sums.pop(kept, {})
        for k, total in sums.pop(gone, {}).items():
            if k != kept:
                row[k] = row.get(k, 0.0) + total
        row.pop(gone, None)
        row.pop(kept, None)
        sums[kept] = row
        version.pop(gone)
        version[kept] += 1
        for k, total in row.items():
            other = sums[k]
            other.pop(gone, None)
            other[kept] = total
            a, b = min(kept, k), max(kept, k)
            heapq.heappush(heap, (-total / (size[kept] * size[k]), a, b, version[a], version[b]))
    return {m: find(m) for m in members}


def _root(parent: dict[int, int], x: int) -> int:
    """The root of ``x`` in a union-find forest, with the path to it compressed."""
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        parent[x], x = root, parent[x]
    return root


def _single_linkage(ids: Sequence[int], pairs: Iterable[tuple[int, int, float]], threshold: float,
                    same: list[tuple[int, int]], different: list[tuple[int, int]]) -> dict[int, int]:
    parent = {i: i for i in ids}

    def find(x: int) -> int:
        return _root(parent, x)

    apart: dict[int, set[int]] = {}
    for a, b in different:
        if a in parent and b in parent:
            apart.setdefault(a, set()).add(b)
            apart.setdefault(b, set()).add(a)
    # per root: the records its members must stay apart from
    forbidden: dict[int, set[int]] = {k: set(v) for k, v in apart.items()}

    def union(a: int, b: int, force: bool = False) -> bool:
        ra, rb = find(a), find(b)
        if ra == rb:
            return True
        fa, fb = forbidden.get(ra, set()), forbidden.get(rb, set())
        if not force and (any(find(x) == rb for x in fa) or any(find(x) == ra for x in fb)):
            return False
        if ra > rb:
            ra, rb = rb, ra
            fa, fb = fb, fa
        parent[rb] = ra
        if fb:
            forbidden[ra] = fa | fb
            forbidden.pop(rb, None)
        return True

    for a, b in same:
        if a in parent and b in parent:
            union(a, b, force=True)
    strong = sorted(((p, a, b) for a, b, p in pairs if p >= threshold), reverse=True)
    for _, a, b in strong:
        if a in parent and b in parent:
            union(a, b)
    return {i: find(i) for i in ids}
