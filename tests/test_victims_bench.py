"""The victim benchmark's figures restricted to persons a district tells apart from their namesakes."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))

from bench_victims import cluster_pairs, prf, prf_within, separable_records, true_pairs  # noqa: E402
from victims_generate import generate, separable_persons  # noqa: E402


def test_pairs_of_separable_persons(capsys) -> None:
    persons = pd.DataFrame({
        "person": [1, 2, 3, 4],
        "sex": ["male", "male", "male", "female"],
        "given": ["أحمد", "أحمد", "أحمد", "أحمد"],
        "family": ["ديب", "ديب", "ديب", "ديب"],
        "district": ["Douma", "Douma", "Daraya", "Douma"],
    })
    # 1 and 2 are namesakes who died in one district; 3 died in another; 4 is of the other sex
    assert separable_persons(persons) == {3, 4}
    records = pd.DataFrame({"id": [1, 2, 3, 4, 5, 6], "person": [1, 1, 2, 3, 3, 4]})
    gold = true_pairs(records.id.tolist(), records.person.tolist())
    assert gold == {(1, 2), (4, 5)}
    inside = separable_records(records, persons, gold)
    assert inside == {4, 5, 6}
    assert "2 of 4, 3 of 6 records; 1 of 2 true pairs left out" in capsys.readouterr().out
    # found persons {1, 3}, {2}, {4, 5, 6}: of the pairs touching 4-6, (4, 5) is true, (4, 6) and (5, 6) are not
    found = cluster_pairs({1: 1, 3: 1, 2: 2, 4: 4, 5: 4, 6: 4})
    assert prf_within(found, gold, inside) == pytest.approx((1 / 3, 1.0, 0.5))
    assert prf(found, gold) == pytest.approx((0.25, 0.5, 1 / 3))
    # a separable record wrongly joined to a record outside still counts against precision
    # ({1, 2, 3, 6}, {4, 5}: of (1, 6), (2, 6), (3, 6) and (4, 5), one is true)
    p, r, _ = prf_within(cluster_pairs({1: 1, 2: 1, 3: 1, 6: 1, 4: 4, 5: 4}), gold, inside)
    assert (p, r) == (0.25, 1.0)


def test_truth_leaves_the_records_alone() -> None:
    df = generate(60, seed=3)
    with_truth, persons = generate(60, seed=3, truth=True)
    pd.testing.assert_frame_equal(df, with_truth)
    assert list(persons.columns) == ["person", "sex", "given", "family", "district"]
    assert len(persons) == 60 and set(df.person) <= set(persons.person)  # some persons are in no list


def test_family_pool_keeps_the_small_lists_and_grows_for_large_ones() -> None:
    from victims_generate import FAMILY, family_pool, load_places, nisbas, one_name

    base = FAMILY + nisbas(load_places(seed=2))
    # runs that need no more than FAMILY and the nisbas draw from the pool they always drew from
    assert family_pool(100, seed=1) == base[:100]
    assert family_pool(len(base), seed=1) == base
    # a larger run gets as many distinct names as it asks for, after FAMILY and the nisbas
    wanted = len({ar for ar, _ in base}) + 3000
    pool = family_pool(wanted, seed=1)
    assert pool[:len(base)] == base
    built = pool[len(base):]
    assert len({ar for ar, _ in pool}) == wanted
    assert len({ar for ar, _ in built}) == len(built) == 3000
    assert not {ar for ar, _ in built} & {ar for ar, _ in base}
    assert all(one_name(ar, latin) and len(latin) == 4 for ar, latin in built)
    assert family_pool(wanted, seed=1) == pool  # deterministic


def test_built_family_names_follow_the_habits() -> None:
    from victims_generate import built_family_names, one_name, place_key

    names = dict(built_family_names(400, [], seed=5))
    assert len(names) == 400 and all(one_name(ar, latin) for ar, latin in names.items())
    # fa''al and fa'lan of a common root, in the English, French, scholarly and phonetic habits
    assert names["حداد"] == ["Haddad", "Haddad", "Haddad", "Hadaad"]
    assert names["شكران"] == ["Shakran", "Chakran", "Shakran", "Shakraan"]
    assert names["أبو جميل"] == ["Abu Jamil", "Abou Djamil", "Abu Jamil", "Abo Gameel"]
    # names whose key no earlier name has come first
    assert len({place_key(ar) for ar in names}) == 400
