"""Record linkage of victim records with Splink (Fellegi-Sunter), DuckDB by default, Spark by setting.

The flow, each step usable alone:

    features(records)            name, place and age keys per record (pandas in, pandas out)
    victim_model()               the Splink settings: blocking rules, comparisons, prior m/u values
    score(features, model, ...)  Splink: train (EM, unsupervised) when the data allows, then predict pairs
    cluster(ids, pairs, ...)     records -> persons at a threshold, honouring people's decisions

The model is plain Splink settings JSON: :func:`score` returns the trained one
so a run can be saved, reviewed and applied again with ``model=``.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from ..errors import InputError, MissingExtra
from .names import fold_token, name_parts, place_key

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["features", "victim_model", "score", "cluster", "ScoreResult", "COMPARISONS", "MIN_TRAIN_RECORDS"]

# Below this many records EM has too little to learn from; the prior m/u values are used.
MIN_TRAIN_RECORDS = 300
COMPARISONS = ("given", "father", "family", "birth_year", "event", "sex")

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
    districts = [(_place(p) if _clean(p) else None) for p in col("district")]
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


# Up to this many records, pairs agreeing on given and family name alone are compared too
# (it finds matches whose place, date and age are all missing or noisy); above it the
# number of such pairs grows with the square of the list size, and a third field is required.
BROAD_BLOCKING_MAX = 300_000


def victim_model(*, probability_match: float = 0.002, term_frequencies: bool = True,
                 broad_blocking: bool = True) -> dict[str, Any]:
    """Splink settings for victim records, with prior m/u values used when the data is too small to train.

    Term-frequency adjustments (a match on a rare name counts more than one on
    Muhammad) need enough records to count frequencies; switch them off for small lists.
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
        levels("given", "given_key",
               [cll.ExactMatchLevel("given_key", term_frequency_adjustments=tf),
                _loose_level(cll, "given_key"), cll.JaroWinklerLevel("given_key", 0.88), cll.ElseLevel()],
               [0.85, 0.04, 0.06, 0.05], [0.03, 0.0075, 0.03, 0.9325], "given name key: same, similar, different"),
        levels("father", "father_key",
               [cll.ExactMatchLevel("father_key", term_frequency_adjustments=tf),
                _loose_level(cll, "father_key"), cll.JaroWinklerLevel("father_key", 0.88), cll.ElseLevel()],
               [0.8, 0.04, 0.06, 0.1], [0.03, 0.0075, 0.03, 0.9325], "father's name key: same, similar, different"),
        levels("family", "family_key",
               [cll.ExactMatchLevel("family_key", term_frequency_adjustments=tf),
                _loose_level(cll, "family_key"), cll.JaroWinklerLevel("family_key", 0.88), cll.ElseLevel()],
               [0.85, 0.04, 0.06, 0.05], [0.005, 0.0013, 0.02, 0.9738], "family name key: same, similar, different"),
        levels("birth_year", "birth_year",
               [cll.ExactMatchLevel("birth_year"), cll.AbsoluteDifferenceLevel("birth_year", 1),
                cll.AbsoluteDifferenceLevel("birth_year", 3), cll.AbsoluteDifferenceLevel("birth_year", 10),
                cll.ElseLevel()],
               [0.56, 0.25, 0.1, 0.08, 0.01], [0.015, 0.03, 0.06, 0.25, 0.645],
               "birth year (given, or from age at death): 0, 1, 3, 10 years apart"),
        _event_comparison(cll, cl),
        levels("sex", "sex", [cll.ExactMatchLevel("sex"), cll.ElseLevel()], [0.98, 0.02], [0.5, 0.5], "sex"),
    ]
    creator = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            *([block_on("given_key", "family_key")] if broad_blocking else []),
            block_on("given_key", "family_key", "place_key"),
            block_on("given_key", "family_key", "birth_year"),
            block_on("given_key", "family_key", "date_of_death"),
            block_on("given_key", "father_key", "family_key"),
            block_on("given_key", "family_key", "district_key"),
            block_on("given_key", "father_key", "place_key"),
            block_on("given_key", "place_key", "date_of_death"),
            block_on("family_key", "place_key"),
            block_on("place_key", "date_of_death", "birth_year"),
        ],
        probability_two_random_records_match=probability_match,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["source"],
    )
    return creator.create_settings_dict("duckdb")


def _loose_level(cll: Any, col: str) -> Any:
    """Same key once t/s and d/z are not told apart: ث is written th, s or t (Othman, Osman),
    ذ/ظ/ض dh, z or d (Mouaz, Mu'adh)."""
    return cll.CustomLevel(f"translate({col}_l, 'tz', 'sd') = translate({col}_r, 'tz', 'sd')",
                           label_for_charts="same key, t/s and d/z alike")


def _event_comparison(cll: Any, cl: Any) -> Any:
    """Place, district and date of death as one comparison: in lists of one conflict they are far from
    independent (people die together), so scoring them apart would count one event twice."""
    same_place = cll.Or(cll.CustomLevel("place_id_l = place_id_r"), cll.ExactMatchLevel("place_key"))
    near_place = cll.JaroWinklerLevel("place_key", 0.9)

    def days(n: int) -> Any:
        return cll.AbsoluteDateDifferenceLevel("date_of_death", input_is_string=False, threshold=n, metric="day")

    no_place = cll.Or(cll.CustomLevel("place_key_l IS NULL"), cll.CustomLevel("place_key_r IS NULL"))
    no_date = cll.Or(cll.CustomLevel("date_of_death_l IS NULL"), cll.CustomLevel("date_of_death_r IS NULL"))
    no_district = cll.Or(cll.CustomLevel("district_key_l IS NULL"), cll.CustomLevel("district_key_r IS NULL"))
    same_district = cll.ExactMatchLevel("district_key")
    levels = [
        (cll.And(no_place, no_date, no_district).configure(
            is_null_level=True, label_for_charts="no place, district or date to compare"), None, None),
        (cll.And(same_place, cll.ExactMatchLevel("date_of_death")).configure(label_for_charts="same place, same day"), 0.5, 0.0008),
        (cll.And(same_place, days(3)).configure(label_for_charts="same place, within 3 days"), 0.17, 0.0015),
        (cll.And(cll.Or(same_place, near_place), days(31)).configure(label_for_charts="same or similar place, within a month"), 0.08, 0.004),
        (cll.And(same_district, days(3)).configure(label_for_charts="same district, within 3 days"), 0.06, 0.003),
        (cll.And(no_place, days(3)).configure(label_for_charts="a place missing, within 3 days"), 0.09, 0.02),
        (cll.And(no_date, same_place).configure(label_for_charts="a date missing, same place"), 0.07, 0.01),
        (cll.And(no_date, near_place).configure(label_for_charts="a date missing, similar place"), 0.01, 0.005),
        (same_district.configure(label_for_charts="same district"), 0.02, 0.01),
        (days(3).configure(label_for_charts="other place, within 3 days"), 0.03, 0.03),
        (cll.ElseLevel(), 0.01, 0.93),
    ]
    configured = [lv if m is None else lv.configure(m_probability=m, u_probability=u) for lv, m, u in levels]
    return cl.CustomComparison(configured, output_column_name="event",
                               comparison_description="place and date of death together")


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
            from splink import SparkAPI
        except ImportError as exc:
            raise MissingExtra("pyspark", "spark") from exc
        return SparkAPI(spark_session=SparkSession.builder.getOrCreate())
    raise InputError(f"unknown linkage backend {backend!r}", hint="set victims_backend to duckdb or spark", code="R140")


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
    given_model = model is not None and _is_trained(model)
    if train is None:
        train = len(feats) >= MIN_TRAIN_RECORDS and not given_model
    if model is None:
        n_sources = int(feats["source"].nunique()) if "source" in feats.columns else 1
        settings = victim_model(term_frequencies=bool(train), broad_blocking=len(feats) <= BROAD_BLOCKING_MAX,
                                probability_match=0.002 if train else prior_probability_match(len(feats), n_sources))
    else:
        settings = dict(model)
    settings.pop("reckon_trained", None)
    training = training or (victim_training() if model is None else None)
    db_api = _db_api(backend)
    linker = Linker(db_api.register(feats, dataset_display_name="records"), settings, log_level=None)
    trained = False
    timings: dict[str, float] = {}

    def lap(name: str, since: list[float] = [t0]) -> None:
        now = time.perf_counter()
        timings[name] = round(now - since[0], 2)
        since[0] = now

    lap("register")
    if train and training is not None:
        try:
            linker.training.estimate_probability_two_random_records_match(list(training.deterministic_rules),
                                                                         recall=training.recall)
            lap("prior")
            linker.training.estimate_u_using_random_sampling(max_pairs=training.u_max_pairs, seed=seed)
            lap("u")
            for i, rule in enumerate(training.em_blocks):
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, max_pairs=training.em_max_pairs, estimate_without_term_frequencies=True,
                    record_sample_proportion=1.0 if len(feats) < 50_000 else 0.05)
                lap(f"em{i + 1}")
            trained = True
        except Exception as exc:  # too little or too uniform data: keep the priors
            notes.append(f"training skipped, prior model used: {exc}")
            db_api = _db_api(backend)
            linker = Linker(db_api.register(feats, dataset_display_name="records"), settings, log_level=None)
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
    pred = linker.inference.predict(threshold_match_probability=min_probability, warning_mode="never")
    lap("predict")
    pairs = pred.as_pandas_dataframe()
    lap("fetch")
    out_model = linker.misc.save_model_to_json(None)
    out_model["reckon_trained"] = trained or given_model
    return ScoreResult(pairs=pairs if isinstance(pairs, pd.DataFrame) else pd.DataFrame(pairs), model=out_model,
                       trained=trained or given_model, seconds=time.perf_counter() - t0, notes=notes, timings=timings)


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


def cluster(
    ids: Sequence[int],
    pairs: Iterable[tuple[int, int, float]],
    threshold: float,
    *,
    same: Iterable[tuple[int, int]] = (),
    different: Iterable[tuple[int, int]] = (),
) -> dict[int, int]:
    """Records -> person id (the smallest record id of its cluster).

    Pairs at or above ``threshold`` join their records, strongest first, except
    where a join would put two records a person decided are ``different`` into
    one cluster; pairs decided ``same`` are joined whatever their score.
    """
    parent = {i: i for i in ids}

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

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
