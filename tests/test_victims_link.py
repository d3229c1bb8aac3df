"""Linking victim records into persons; review decisions; outputs."""

from __future__ import annotations

import csv
import io
import math
import random

import pandas as pd
import pytest
from typer.testing import CliRunner

import reckon
from reckon.errors import InputError, ReckonError
from reckon.victims.link import (
    BLOCKING_RULES,
    blocking_column,
    blocking_keys,
    cluster,
    complete_pairs,
    components,
    features,
    match_prior,
    score,
    victim_model,
    victim_training,
)

MONITOR = (
    "record_id,name,age,sex,date,place\n"
    "M1,Mohammad Ali Deeb,34,male,2012-05-25,Al-Mukhtariya\n"
    "M2,Fatima Hassan al-Khatib,29,female,2012-05-25,Al-Mukhtariya\n"
    "M3,Omar Yusuf Haddad,61,male,2012-06-02,Talbiseh\n"
)
COUNCIL = (
    "الرقم,الاسم,العمر,الجنس,التاريخ,المكان\n"
    "1,محمد علي ديب,34,ذكر,2012-05-25,المختارية\n"
    "2,فاطمة حسن الخطيب,29,أنثى,2012-05-25,المختارية\n"
    "3,محمد علي ديب,71,ذكر,2012-09-14,تلبيسة\n"
)
NETWORK = (
    "id,name,age,date,place\n"
    "n-1,Muhammad Deib,35,2012-05-26,Mukhtariyah\n"
    "n-2,\"Haddad, Omar\",61,2012-06-02,Talbisa\n"
)


@pytest.fixture
def linked(r, write):
    r.victims.import_file(write("monitor.csv", MONITOR), source="monitor")
    r.victims.import_file(write("council.csv", COUNCIL.encode("cp1256")), source="council")
    r.victims.import_file(write("network.csv", NETWORK), source="network")
    r.victims.link()
    return r


def _person_of(r, source, record_id):
    df = r.victims.records()
    return int(df[(df.source == source) & (df.record_id == record_id)].person_id.iloc[0])


def test_issue_example_is_one_person_over_three_lists(linked):
    p = _person_of(linked, "monitor", "M1")
    assert p == _person_of(linked, "council", "1") == _person_of(linked, "network", "n-1")


def test_namesake_of_different_age_and_place_stays_apart(linked):
    assert _person_of(linked, "monitor", "M1") != _person_of(linked, "council", "3")


def test_unique_person_count(linked):
    assert linked.victims.count() == 4


def test_person_lists_its_sources(linked):
    p = next(x for x in linked.victims.persons() if x.person_id == _person_of(linked, "monitor", "M3"))
    assert p.sources == ("monitor", "network")


def test_persons_without_names(linked):
    people = linked.victims.persons(with_names=False)
    assert all(rec.full_name is None for p in people for rec in p.records)
    assert all(p.name is None for p in people)


def test_decision_different_survives_relink(linked):
    a = linked.victims.records().query("record_id == 'M1'").id.iloc[0]
    b = linked.victims.records().query("record_id == 'n-1'").id.iloc[0]
    linked.victims.decide((a, b), same=False, why="different fathers according to the family")
    linked.victims.link()
    assert _person_of(linked, "monitor", "M1") != _person_of(linked, "network", "n-1")
    linked.victims.link()
    assert _person_of(linked, "monitor", "M1") != _person_of(linked, "network", "n-1")


def test_decision_same_joins_and_survives_relink(linked):
    df = linked.victims.records()
    a = int(df.query("record_id == 'M1'").id.iloc[0])
    b = int(df.query("record_id == '3' and source == 'council'").id.iloc[0])
    linked.victims.decide(f"{a}-{b}", same=True, why="same man; age misprinted in the council list")
    assert _person_of(linked, "monitor", "M1") == _person_of(linked, "council", "3")
    linked.victims.link()
    assert _person_of(linked, "monitor", "M1") == _person_of(linked, "council", "3")


def test_decision_is_audit_logged(linked):
    linked.victims.decide("1-2", same=False, why="checked with the council")
    ev = linked.audit_log(action="victims.decide")
    assert len(ev) == 1 and ev[0].target == "victim-pair:1-2" and ev[0].why == "checked with the council"
    assert linked.audit_verify() == []


def test_decision_needs_a_reason(linked):
    with pytest.raises(ReckonError):
        linked.victims.decide("1-2", same=True, why=" ")


def test_decision_on_unknown_record_fails(linked):
    with pytest.raises(ReckonError):
        linked.victims.decide("1-9999", same=True, why="x")


def test_explain_gives_weight_per_field(linked):
    df = linked.victims.records()
    a = int(df.query("record_id == 'M1'").id.iloc[0])
    b = int(df.query("record_id == '1' and source == 'council'").id.iloc[0])
    ex = linked.victims.explain((a, b))
    assert ex["scored"] and ex["match_probability"] > 0.9
    assert {"given", "family", "event", "birth_year"} <= set(ex["weights"])


def test_overlap_columns_and_counts(linked):
    df = linked.victims.overlap(["sex"])
    assert list(df.columns) == ["sex", "council", "monitor", "network", "count"]
    assert df["count"].sum() == 4
    assert (df["count"] > 0).all()
    assert str(df["monitor"].dtype) == "int64"


def test_overlap_without_strata(linked):
    df = linked.victims.overlap()
    assert list(df.columns) == ["council", "monitor", "network", "count"]
    row = df[(df.council == 1) & (df.monitor == 1) & (df.network == 1)]
    assert int(row["count"].iloc[0]) == 1


def test_overlap_rejects_unknown_stratum(linked):
    with pytest.raises(InputError):
        linked.victims.overlap(["colour"])


def test_export_csv_leads_with_record_source_person(linked):
    rows = list(csv.DictReader(io.StringIO(linked.victims.export())))
    assert list(rows[0])[:3] == ["record_id", "source", "person_id"]
    m1 = next(x for x in rows if x["record_id"] == "M1")
    n1 = next(x for x in rows if x["record_id"] == "n-1")
    assert m1["person_id"] == n1["person_id"]


def test_review_queue_items_are_in_the_band(r, write):
    r.victims.import_file(write("a.csv", "id,name,age,place\n1,Ahmad Saleh,30,Douma\n"), source="a")
    r.victims.import_file(write("b.csv", "id,name,age,place\n1,Ahmad Saleh,52,Daraya\n"), source="b")
    r.victims.link()
    for q in r.victims.review_queue():
        assert 0.5 <= q.match_probability < 0.9


def test_unknown_backend_is_an_input_error(r, write):
    r.victims.import_file(write("a.csv", MONITOR), source="monitor")
    r.settings = r.settings.replace(victims_backend="oracle")
    with pytest.raises(InputError):
        r.victims.link()


def test_cluster_keeps_decided_different_apart_transitively():
    out = cluster([1, 2, 3], [(1, 2, 0.99), (2, 3, 0.98)], 0.9, different=[(1, 3)])
    assert out[1] != out[3]


def test_cluster_person_id_is_smallest_record():
    assert cluster([5, 7, 9], [(7, 9, 0.95)], 0.9) == {5: 5, 7: 7, 9: 7}


def test_cli_import_link_export(db_path, write):
    from reckon.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["victims", "import", str(write("m.csv", MONITOR)), "--source", "monitor", "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["victims", "import", str(write("n.csv", NETWORK)), "--source", "network", "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["victims", "link", "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["victims", "export", "--format", "csv", "--db", str(db_path)])
    assert res.output.splitlines()[0].startswith("record_id,source,person_id")
    res = runner.invoke(app, ["victims", "overlap", "--by", "sex", "-f", "csv", "--db", str(db_path)])
    assert res.output.splitlines()[0] == "sex,monitor,network,count"


def test_cli_import_bad_row_exits_non_zero(db_path, write):
    from reckon.cli import app

    res = CliRunner().invoke(app, ["victims", "import", str(write("x.jsonl", '{"name": "Ali"}\n{oops\n')), "--source", "x",
                                   "--db", str(db_path)])
    assert res.exit_code == 1
    assert "x.jsonl:2" in res.output


def test_cli_review_decide(linked, db_path):
    from reckon.cli import app

    res = CliRunner().invoke(app, ["victims", "review", "decide", "1-2", "different", "--why", "checked", "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    assert len(reckon.open(db_path).audit_log(action="victims.decide")) == 1


def test_cli_explain_and_listing_without_names(linked, db_path):
    from reckon.cli import app

    res = CliRunner().invoke(app, ["victims", "explain", "1-4", "--json", "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    assert '"pair": "1-4"' in res.output
    res = CliRunner().invoke(app, ["victims", "-f", "jsonl", "--no-names", "--db", str(db_path)])
    assert res.exit_code == 0 and "Deeb" not in res.output and "ديب" not in res.output


def test_saved_model_can_be_applied_again(linked, tmp_path):
    path = tmp_path / "model.json"
    first = linked.victims.link(save_model=path)
    again = linked.victims.link(model=path)
    assert path.exists() and again.persons == first.persons


def test_labels_file_needs_record_columns(linked, write):
    with pytest.raises(InputError):
        linked.victims.link(labels=write("labels.csv", "a,b\n1,2\n"))


def test_labelled_pairs_train_the_model(linked, write):
    pairs = "\n".join(f"{a},{b}" for a in range(1, 6) for b in range(a + 1, 6))
    summary = linked.victims.link(labels=write("labels.csv", "record_l,record_r\n" + pairs + "\n"))
    assert summary.trained and summary.notes == []


# -- blocking, completion and clustering at scale ------------------------------------------------


def _crowd(n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` records sharing a handful of common names, places, districts, dates and ages."""
    rng = random.Random(seed)
    rows = [{"id": i + 1, "source": rng.choice(["a", "b"]),
             "full_name": f"{rng.choice(['Mohammad', 'Ahmad', 'Ali'])} {rng.choice(['Hassan', 'Omar'])} "
                          f"{rng.choice(['al-Ahmad', 'al-Ali', 'Deeb'])}",
             "age": rng.randrange(20, 40), "date_of_death": f"2013-01-{rng.randrange(1, 11):02d}",
             "place": rng.choice(["Douma", "Harasta", "Arbin", "Saqba"]), "district": rng.choice(["Douma", "Qatana"])}
            for i in range(n)]
    return pd.DataFrame(rows)


def _comparisons(blocked: pd.DataFrame) -> int:
    total = 0
    for fields, _ in BLOCKING_RULES:
        sizes = blocked[blocking_column(fields)].dropna().value_counts()
        total += int((sizes * (sizes - 1) // 2).sum())
    return total


def test_blocks_over_the_cap_are_skipped():
    blocked = blocking_keys(features(_crowd(1500)))
    for fields, cap in BLOCKING_RULES:
        sizes = blocked[blocking_column(fields)].dropna().value_counts()
        assert sizes.empty or sizes.max() <= cap
    # 1,500 records over 18 names: every given + family block is far above its cap of 50
    assert blocked[blocking_column(("given_key", "family_key"))].isna().all()


def test_comparisons_grow_with_the_records_not_their_square():
    small, large = (_comparisons(blocking_keys(features(_crowd(n)))) for n in (3000, 12000))
    assert large <= 4 * small * 1.25  # four times the records, about four times the pairs (sixteen without caps)
    assert large <= 12000 * sum(cap for _, cap in BLOCKING_RULES) // 2


def test_a_block_within_the_cap_keeps_its_records_together():
    blocked = blocking_keys(features(_crowd(40)))
    col = blocking_column(("given_key", "family_key"))
    keys = features(_crowd(40))[["given_key", "family_key"]].astype(str).agg(" ".join, axis=1)
    assert blocked[col].notna().all()
    assert blocked.groupby(keys.to_numpy())[col].nunique().max() == 1


def test_average_linkage_does_not_chain_two_persons_through_one_strong_pair():
    pairs = [(1, 2, 0.99), (3, 4, 0.99), (2, 3, 0.95), (1, 3, 0.01), (1, 4, 0.02), (2, 4, 0.05)]
    assert cluster([1, 2, 3, 4], pairs, 0.9) == {1: 1, 2: 1, 3: 3, 4: 3}
    assert set(cluster([1, 2, 3, 4], pairs, 0.9, linkage="single").values()) == {1}


def test_average_linkage_joins_a_record_like_the_group_on_average():
    # 3 is close to 2 and half-likely with 1: more likely one person than two
    assert set(cluster([1, 2, 3], [(1, 2, 0.99), (2, 3, 0.95), (1, 3, 0.3)], 0.9).values()) == {1}


def test_average_linkage_honours_decisions():
    pairs = [(1, 2, 0.99), (2, 3, 0.99), (1, 3, 0.99)]
    out = cluster([1, 2, 3], pairs, 0.9, different=[(1, 3)])
    assert out[1] != out[3]
    out = cluster([1, 2, 3], [(1, 2, 0.2), (2, 3, 0.99)], 0.9, same=[(1, 2)])
    assert out[1] == out[2]


def test_unknown_linkage_is_an_input_error():
    with pytest.raises(InputError):
        cluster([1, 2], [(1, 2, 0.99)], 0.9, linkage="complete")


def test_components_follow_chains_of_strong_pairs():
    assert components([1, 2, 3, 4, 5], [(1, 2, 0.95), (2, 3, 0.91), (4, 5, 0.5)], 0.9) == {1: 1, 2: 1, 3: 1, 4: 4, 5: 5}


def test_pairs_blocking_missed_are_scored_inside_a_candidate_person():
    df = pd.DataFrame([
        {"id": 1, "source": "a", "full_name": "Mohammad Ali Deeb", "age": 34, "place": "Al-Mukhtariya"},
        {"id": 2, "source": "b", "full_name": "Mohammad Ali Deeb", "age": 34, "place": "Al-Mukhtariya",
         "district": "Al-Houla", "date_of_death": "2012-05-25"},
        {"id": 3, "source": "c", "full_name": "Mohammaf Ali Deeb", "age": 34, "place": "Taldou",
         "district": "Al-Houla", "date_of_death": "2012-05-25"},
    ])
    feats = features(df)
    res = score(feats)
    found = set(zip(res.pairs.unique_id_l, res.pairs.unique_id_r))
    assert (1, 3) not in found and (3, 1) not in found  # no blocking rule compares 1 and 3
    extra = complete_pairs(feats, res, 0.9)
    assert set(zip(extra.unique_id_l, extra.unique_id_r)) == {(1, 3)}


def _namesake_lists(persons: int = 350, seed: int = 3) -> tuple[pd.DataFrame, int]:
    """Two lists over ``persons`` people, and the namesake of the first one: the same name, age and sex,
    no place or date in either list, another district. Returns the records and the namesake's number."""
    given = ["Ahmad", "Omar", "Khaled", "Youssef", "Bilal", "Firas", "Nabil", "Walid", "Tareq", "Samer", "Rami",
             "Fadi", "Hisham", "Marwan", "Ziad", "Imad", "Jamal", "Adnan", "Nizar", "Ghassan"]
    family = ["Haddad", "Najjar", "Khalil", "Hamdan", "Darwish", "Bakour", "Mansour", "Younes", "Rahhal", "Assaf",
              "Badr", "Taha", "Zeidan", "Murad", "Salameh", "Shehadeh", "Abboud", "Issa", "Qassem", "Hariri",
              "Homsi", "Halabi", "Masri", "Kurdi", "Bitar", "Sheikh", "Fares", "Khodr", "Nasser", "Saleh"]
    places = ["Kafr Batna", "Saqba", "Hamouriyah", "Jisrin", "Ain Tarma", "Zamalka", "Arbin", "Misraba", "Madyara",
              "Beit Sawa", "Otaya", "Nashabiyah", "Hazrama", "Zebdin", "Mleiha", "Jobar", "Qaboun", "Barzeh",
              "Tell Mnin", "Maaloula", "Saidnaya", "Rankous", "Jayroud", "Ruhaybah", "Dumayr", "Adra", "Sahnaya",
              "Kisweh", "Zakiyah", "Artouz", "Bloudan", "Madaya", "Serghaya", "Qudsaya", "Hameh", "Jamraya",
              "Dummar", "Yafour", "Kanaker", "Sasa"]
    districts = ["Douma", "Harasta", "Qatana", "Yabroud", "Zabadani", "Nabk", "Tall", "Qutayfah", "Darayya", "Rif Dimashq"]
    rng = random.Random(seed)
    people = [dict(name=f"{rng.choice(given)} {rng.choice(given)} {rng.choice(family)}", age=rng.randrange(15, 70),
                   place=rng.randrange(len(places)), day=pd.Timestamp("2013-01-01") + pd.Timedelta(days=rng.randrange(300)))
              for _ in range(persons)]
    people.append({**people[0], "place": people[0]["place"] + 1})  # the namesake, from the next district
    twin = len(people) - 1
    rows = []
    for src in ("monitor", "council"):
        for i, p in enumerate(people):
            if 0 < i < twin and rng.random() < 0.15:
                continue
            bare = i in (0, twin)
            rows.append({"source": src, "person": i, "full_name": p["name"], "sex": "male",
                         "age": p["age"] + (0 if bare else rng.choice([-1, 0, 1])),
                         "date_of_death": None if bare else (p["day"] + pd.Timedelta(days=rng.choice([0, 0, 1]))).date().isoformat(),
                         "place": None if bare else places[p["place"] % len(places)],
                         "district": districts[p["place"] % len(districts)]})
    df = pd.DataFrame(rows)
    df.insert(0, "id", range(1, len(df) + 1))
    return df, twin


def test_namesakes_are_kept_apart_by_their_district():
    df, twin = _namesake_lists()
    feats = features(df)
    res = score(feats)
    assert res.trained
    pairs = pd.concat([res.pairs, complete_pairs(feats, res, 0.9)])
    person = cluster(feats.unique_id.tolist(), pairs, 0.9)
    first = df[df.person == 0].id.tolist()
    second = df[df.person == twin].id.tolist()
    # each man's two records, which share only name, age and district, are one person ...
    assert person[first[0]] == person[first[1]] and person[second[0]] == person[second[1]]
    # ... and the two men, the same in all but their district, are two
    assert person[first[0]] != person[second[0]]


def test_match_prior_is_the_expected_share_of_matching_pairs():
    """The prior is where the candidates' match probabilities, summed over all pairs, give it back."""
    import numpy as np

    everyone = 4950  # the pairs of 100 records
    start = 1e-4
    # 40 pairs the fields make certain, 1,000 they rule out: 40 matches among 4,950 pairs, whatever the start
    weights = np.concatenate([np.full(40, 40.0), np.full(1000, -40.0)])
    assert match_prior(weights, everyone, start) == pytest.approx(40 / 4950, rel=1e-4)
    # uncertain pairs count by their probability under the prior found, not under the first one
    weights = np.concatenate([np.full(40, 40.0), np.full(100, math.log2(start / (1 - start)) + 7.0)])
    prior = match_prior(weights, everyone, start)
    odds = 2.0 ** (weights - math.log2(start / (1 - start))) * prior / (1 - prior)
    assert prior == pytest.approx(float(np.sum(odds / (1 + odds))) / everyone, rel=1e-4)
    assert prior > 40 / 4950
    assert match_prior(np.zeros(0), everyone, start) == start
    assert match_prior(np.full(3, 40.0), 3, start) == 0.5  # never above one half


def test_a_trained_model_takes_its_prior_from_the_scored_pairs():
    df, _ = _namesake_lists()
    feats = features(df)
    res = score(feats, min_probability=0)
    assert res.trained
    prior = res.model["probability_two_random_records_match"]
    n = len(feats)
    # the candidates' probabilities, summed, are the prior's share of all pairs
    assert res.pairs.match_probability.sum() / (n * (n - 1) / 2) == pytest.approx(prior, rel=0.01)
    odds = 2.0 ** res.pairs.match_weight
    assert res.pairs.match_probability.to_numpy() == pytest.approx((odds / (1 + odds)).to_numpy())
    high = score(feats, min_probability=0.9)
    assert high.model["probability_two_random_records_match"] == pytest.approx(prior, rel=1e-4)  # pairs below 0.001 left out
    assert high.pairs.match_probability.min() >= 0.9
    assert len(high.pairs) == (res.pairs.match_probability >= 0.9).sum()


def test_training_holds_the_m_of_other_districts():
    """EM would learn how often one person's records name two districts from its name blocks, where
    namesakes from other districts pass for one person; the prior value is kept."""
    df, _ = _namesake_lists()
    res = score(features(df))
    assert res.trained
    level, = [lv for c in res.model["comparisons"] if c["output_column_name"] == "event"
              for lv in c["comparison_levels"] if lv.get("label_for_charts") == "other district"]
    assert level["fix_m_probability"] and level["m_probability"] == pytest.approx(0.005)
    assert level["u_probability"] != pytest.approx(0.4)  # u is still estimated


def test_family_keys_one_letter_apart_are_a_level_of_their_own():
    """A typo changes a family key by a letter (Bakour, Bakoub; Deeb, Deem); given names a letter
    apart are other names (Ahmad, Mohammad), so they stay "other"."""
    import math

    names = ["Omar Khaled Bakour", "Omar Khaled Bakoub", "Omar Khaled Deeb", "Omar Khaled Deem",
             "Ahmad Khaled Haddad", "Mohammad Khaled Haddad"]
    df = pd.DataFrame({"id": range(1, 7), "source": list("abcdef"), "full_name": names, "age": 30,
                       "place": "Talbiseh", "date_of_death": "2012-06-02"})
    feats = features(df)
    assert feats.family_key.tolist()[:4] == ["bkr", "bkb", "db", "dm"]
    assert feats.given_key.tolist()[4:] == ["hmd", "mhmd"]
    res = score(feats, min_probability=0)
    assert not res.trained  # six records: the prior m and u values
    weight = {(a, b): (fam, given) for a, b, fam, given in
              zip(res.pairs.unique_id_l, res.pairs.unique_id_r, res.pairs.mw_family, res.pairs.mw_given)}
    one_letter, other = math.log2(0.03 / 0.04), math.log2(0.02 / 0.9337)
    assert weight[(1, 2)][0] == pytest.approx(one_letter)
    assert weight[(3, 4)][0] == pytest.approx(one_letter)
    assert weight[(1, 3)][0] == pytest.approx(other)
    assert weight[(5, 6)][1] == pytest.approx(math.log2(0.05 / 0.9325))  # the given name's "other"
    labels = {c["output_column_name"]: [lv.get("label_for_charts") for lv in c["comparison_levels"]]
              for c in res.model["comparisons"]}
    assert labels["family"][-2:] == ["keys one letter apart", "All other comparisons"]
    assert not any("one letter" in str(x) for x in labels["given"] + labels["father"])


def test_a_failed_em_round_is_skipped_and_noted(monkeypatch):
    """One EM round that fails costs that round only: the prior, u and the other round keep
    their estimates (the model is the one trained without the failed round), and a note
    names the round and the reason."""
    from dataclasses import replace

    from splink.internals.linker_components.training import LinkerTraining

    df, _ = _namesake_lists()
    feats = features(df)
    plan = victim_training()
    without_second = score(feats, training=replace(plan, em_blocks=plan.em_blocks[:1]))
    em = LinkerTraining.estimate_parameters_using_expectation_maximisation

    def fail_on_place(self, rule, *args, **kwargs):
        if "place_key" in rule.get_blocking_rule("duckdb").blocking_rule_sql:
            raise RuntimeError("no pairs to train on")
        return em(self, rule, *args, **kwargs)

    monkeypatch.setattr(LinkerTraining, "estimate_parameters_using_expectation_maximisation", fail_on_place)
    res = score(feats, training=plan)
    assert res.trained
    assert len(res.notes) == 1
    assert res.notes[0].startswith("training step em2 (EM round 2 blocked on")
    assert "place_key" in res.notes[0] and "RuntimeError: no pairs to train on" in res.notes[0]
    assert len(res.linker._em_training_sessions) == 1

    def probabilities(model):
        return {(c["output_column_name"], i): (lv.get("m_probability"), lv.get("u_probability"))
                for c in model["comparisons"] for i, lv in enumerate(c["comparison_levels"])}

    assert res.model["probability_two_random_records_match"] == pytest.approx(
        without_second.model["probability_two_random_records_match"])
    assert probabilities(res.model) == probabilities(without_second.model)
    assert probabilities(res.model) != probabilities(victim_model())  # trained, not the prior values


def test_every_training_step_failing_falls_back_to_the_prior_model(monkeypatch):
    """Each failed step is noted, then that nothing was trained."""
    from splink.internals.linker_components.training import LinkerTraining

    def fail(self, *args, **kwargs):
        raise RuntimeError("broken")

    for step in ("estimate_probability_two_random_records_match", "estimate_u_using_random_sampling",
                 "estimate_parameters_using_expectation_maximisation"):
        monkeypatch.setattr(LinkerTraining, step, fail)
    df, _ = _namesake_lists()
    res = score(features(df))
    assert not res.trained
    assert [n.split(" (")[0] for n in res.notes[:-1]] == ["training step prior", "training step u",
                                                          "training step em1", "training step em2"]
    assert res.notes[-1] == "training skipped, prior model used: no estimation step succeeded"
