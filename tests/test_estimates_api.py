"""r.estimates: runs on tables and on the linked victims, warnings, records, plots, and the CLI."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from reckon.cli import app
from reckon.errors import InputError
from reckon.estimates.api import Estimate, estimate, to_tables

FAST = dict(iterations=2000, burn_in=500, thinning=10, chains=2)

THREE = [((0, 0, 1), 40), ((0, 1, 0), 35), ((0, 1, 1), 12), ((1, 0, 0), 50),
         ((1, 0, 1), 15), ((1, 1, 0), 14), ((1, 1, 1), 6)]


def frame(rows, strata: dict | None = None) -> pd.DataFrame:
    k = len(rows[0][0])
    df = pd.DataFrame([list(p) + [n] for p, n in rows], columns=[f"list{j + 1}" for j in range(k)] + ["count"])
    for i, (name, value) in enumerate((strata or {}).items()):
        df.insert(i, name, value)
    return df


def csv_text(rows) -> str:
    k = len(rows[0][0])
    head = ",".join(f"list{j + 1}" for j in range(k)) + ",count\n"
    return head + "".join(",".join(map(str, p)) + f",{n}\n" for p, n in rows)


def by_model(rows: list[Estimate], stratum: str = "all") -> dict[str, Estimate]:
    return {e.model: e for e in rows if e.stratum == stratum}


def test_run_gives_every_model_with_an_interval(r, write):
    rows = r.estimates.run(write("t.csv", csv_text(THREE)), seed=1, **FAST)
    got = by_model(rows)
    assert set(got) == {"loglinear-bic", "loglinear-aic", "loglinear-avg", "lcmcr"}
    for e in got.values():
        assert e.observed == 172
        assert e.lower <= e.estimate <= e.upper and e.lower >= 172


def test_run_is_recorded_and_latest_returns_it(r, write):
    rows = r.estimates.run(write("t.csv", csv_text(THREE)), seed=5, **FAST)
    (run,) = r.runs("estimate")
    assert run["settings"]["seed"] == 5 and run["settings"]["iterations"] == 2000
    back = r.estimates.latest()
    assert [(e.model, e.estimate) for e in back] == [(e.model, round(e.estimate, 2)) for e in rows]


def test_latest_is_empty_before_any_run(r):
    assert r.estimates.latest() == []


def test_same_seed_same_estimates(write):
    tables = to_tables(frame(THREE))
    a = estimate(tables, models=["lcmcr"], seed=9, **FAST)
    b = estimate(tables, models=["lcmcr"], seed=9, **FAST)
    assert a[0].estimate == b[0].estimate and a[0].upper == b[0].upper


def test_strata_get_their_own_rows_and_a_total():
    df = pd.concat([frame(THREE, {"sex": "f"}), frame(THREE, {"sex": "m"})])
    rows = estimate(to_tables(df, ["sex"]), seed=1, **FAST)
    strata = {e.stratum for e in rows}
    assert strata == {"sex=f", "sex=m", "total (2 strata)"}
    total = by_model(rows, "total (2 strata)")
    assert total["lcmcr"].observed == 344
    f, m = by_model(rows, "sex=f"), by_model(rows, "sex=m")
    bic_sum = f["loglinear-bic"].estimate + m["loglinear-bic"].estimate
    assert total["loglinear-bic"].estimate == pytest.approx(bic_sum)
    assert total["loglinear-bic"].lower < bic_sum < total["loglinear-bic"].upper


def test_lcmcr_total_is_the_sum_of_the_strata_draws():
    df = pd.concat([frame(THREE, {"sex": "f"}), frame(THREE, {"sex": "m"})])
    rows = estimate(to_tables(df, ["sex"]), models=["lcmcr"], seed=1, **FAST)
    got = {e.stratum: e for e in rows}
    total = got["total (2 strata)"]
    assert got["sex=f"].estimate + got["sex=m"].estimate == pytest.approx(total.estimate, rel=0.05)


def test_two_lists_give_chapman_and_warn_about_independence():
    rows = estimate(to_tables(frame([((1, 0), 60), ((0, 1), 30), ((1, 1), 20)])), seed=1, **FAST)
    got = by_model(rows)
    assert got["chapman"].estimate == pytest.approx(81 * 51 / 21 - 1)
    assert got["loglinear-bic"].estimate == pytest.approx(200.0)
    assert any("only 2 lists" in w for w in got["loglinear-bic"].warnings)
    assert got["lcmcr"].estimate is None
    assert any("at least 3 lists" in w for w in got["lcmcr"].warnings)


def test_no_overlap_gives_no_estimate_and_says_why():
    rows = estimate(to_tables(frame([((1, 0, 0), 60), ((0, 1, 0), 30), ((0, 0, 1), 10)])), seed=1, **FAST)
    for e in rows:
        assert e.estimate is None
        assert any("nobody is on more than one list" in w for w in e.warnings)


def test_small_stratum_is_flagged():
    rows = estimate(to_tables(frame([((1, 0, 0), 6), ((0, 1, 0), 5), ((1, 1, 0), 3), ((0, 0, 1), 4),
                                     ((1, 0, 1), 2)])), models=["loglinear"], seed=1)
    assert all(any("too few" in w for w in e.warnings) for e in rows)


def test_a_list_empty_in_a_stratum_is_left_out_with_a_warning():
    rows = estimate(to_tables(frame([((1, 0, 0), 60), ((0, 1, 0), 30), ((1, 1, 0), 20)])), models=["loglinear"])
    bic = by_model(rows)["loglinear-bic"]
    assert bic.lists == ("list1", "list2")
    assert any("'list3' has nobody" in w for w in bic.warnings)
    assert bic.estimate == pytest.approx(200.0)


def test_unknown_model_is_an_input_error():
    with pytest.raises(InputError, match="unknown model"):
        estimate(to_tables(frame(THREE)), models=["dga"])


def test_to_dict_has_the_documented_fields_and_nulls_for_infinity():
    e = Estimate(stratum="all", model="loglinear-bic", observed=10, estimate=40.0, lower=12.0, upper=math.inf,
                 warnings=("no upper limit",))
    d = e.to_dict()
    assert {"stratum", "model", "observed", "estimate", "lower", "upper", "warnings"} <= set(d)
    assert d["upper"] is None
    json.dumps(d)
    assert Estimate.from_dict(d).upper == math.inf


def test_run_without_table_uses_the_linked_victims_overlap(r):
    calls = []

    class FakeVictims:
        def overlap(self, strata):
            calls.append(list(strata))
            return frame(THREE, {"place": "Homs"})

    r.__dict__["victims"] = FakeVictims()
    rows = r.estimates.run(strata=["place"], models=["loglinear"], seed=1)
    assert calls == [["place"]]
    assert {e.stratum for e in rows} == {"place=Homs"}
    assert r.runs("estimate")[-1]["settings"]["source"] == "linked victims"


def test_run_without_linked_victims_says_what_to_do(r):
    class NoVictims:
        def overlap(self, strata):
            return frame(THREE).iloc[0:0]

    r.__dict__["victims"] = NoVictims()
    with pytest.raises(InputError, match="no linked victims"):
        r.estimates.run()


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_writes_an_image(r, tmp_path, suffix):
    df = pd.concat([frame(THREE, {"sex": "f"}), frame(THREE, {"sex": "m"})])
    rows = estimate(to_tables(df, ["sex"]), seed=1, **FAST)
    out = r.estimates.plot(rows, tmp_path / f"est{suffix}")
    assert out.exists() and out.stat().st_size > 1000


def test_plot_refuses_an_unknown_suffix(r, tmp_path):
    with pytest.raises(InputError, match="image format"):
        r.estimates.plot([], tmp_path / "est.gif")


runner = CliRunner()


def test_cli_estimate_json(write, tmp_path):
    path = write("t.csv", csv_text(THREE))
    res = runner.invoke(app, ["estimate", "--table", str(path), "--format", "json", "--seed", "3",
                              "--iterations", "2000", "--burn-in", "500", "--thinning", "10",
                              "--plot", str(tmp_path / "p.png")])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {r["model"] for r in rows} == {"loglinear-bic", "loglinear-aic", "loglinear-avg", "lcmcr"}
    assert all({"stratum", "model", "observed", "estimate", "lower", "upper", "warnings"} <= set(r) for r in rows)
    assert (tmp_path / "p.png").exists()


def test_cli_estimate_table_shows_warnings(write):
    path = write("t.csv", csv_text([((1, 0), 60), ((0, 1), 30), ((1, 1), 20)]))
    res = runner.invoke(app, ["estimate", "--table", str(path), "--model", "loglinear"])
    assert res.exit_code == 0, res.output
    assert "chapman" in res.stdout and "only 2 lists" in res.stdout


def test_cli_estimate_bad_table_names_file_and_line(write):
    path = write("t.csv", "list1,list2,count\n1,1,3\n1,x,2\n")
    res = runner.invoke(app, ["estimate", "--table", str(path)])
    assert res.exit_code == 2
    assert "t.csv:3" in res.output and "list2" in res.output


def test_cli_estimate_records_the_run_when_given_a_database(write, db_path):
    import reckon

    path = write("t.csv", csv_text(THREE))
    res = runner.invoke(app, ["estimate", "--table", str(path), "--model", "loglinear", "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    with reckon.open(db_path) as rk:
        assert [e.model for e in rk.estimates.latest()] == ["loglinear-bic", "loglinear-aic", "loglinear-avg"]


def test_docs_describe_every_estimate_option():
    from pathlib import Path

    import typer.main

    docs = (Path(__file__).resolve().parent.parent / "docs" / "estimates.md").read_text(encoding="utf-8")
    cmd = typer.main.get_command(app).commands["estimate"]
    for param in cmd.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in docs, f"{opt} is not documented in docs/estimates.md"


def test_disagreeing_model_families_are_flagged_on_every_row():
    from reckon.estimates.api import _cross_check

    rows = [Estimate("all", "loglinear-avg", 100, 150.0, 120.0, 200.0),
            Estimate("all", "lcmcr", 100, 250.0, 200.0, 320.0),
            Estimate("all", "loglinear-bic", 100, 140.0, 120.0, 170.0)]
    out = _cross_check(rows)
    assert all(any("differ by 67%" in w for w in e.warnings) for e in out)


def test_agreeing_model_families_are_not_flagged():
    from reckon.estimates.api import _cross_check

    rows = [Estimate("all", "loglinear-avg", 100, 150.0, 120.0, 200.0), Estimate("all", "lcmcr", 100, 160.0, 130.0, 210.0)]
    assert all(e.warnings == () for e in _cross_check(rows))
