"""End to end: victim lists imported and linked, then estimated from their overlap."""

from __future__ import annotations

import itertools

import pytest

FIRST = ["Adnan", "Basma", "Celal", "Dunya", "Ehsan", "Farida", "Ghaith", "Hiba", "Ilham", "Jamal",
         "Kinda", "Luay", "Maysa", "Nizar", "Olfat", "Qusay", "Rima", "Samer", "Tahani", "Wael"]
FAMILY = ["Haddad", "Qasim", "Nuri", "Sabbagh", "Tamimi", "Zein", "Khatib", "Masri"]


def person(i: int) -> tuple[str, str, str]:
    first = FIRST[i % len(FIRST)]
    family = FAMILY[(i // len(FIRST)) % len(FAMILY)]
    sex = "female" if FIRST.index(first) % 2 else "male"
    return f"{first} {family}", sex, f"2024-03-{1 + i % 28:02d}"


@pytest.mark.slow  # Splink training and linking take 10-20 s
def test_linked_victims_overlap_feeds_the_estimate(r, write):
    pytest.importorskip("splink")
    # 120 people; list a holds those with i % 2 == 0, b those with i % 3 == 0, c those with i % 5 < 2
    lists = {"a": lambda i: i % 2 == 0, "b": lambda i: i % 3 == 0, "c": lambda i: i % 5 < 2}
    for name, keep in lists.items():
        rows = ["full_name,sex,date_of_death"] + [",".join(person(i)) for i in range(120) if keep(i)]
        res = r.victims.import_file(write(f"{name}.csv", "\n".join(rows) + "\n"), source=name, geocode=False)
        assert not res.failed
    r.victims.link()
    seen = r.victims.count()  # persons after linkage (how well linkage did is not this test's concern)
    ests = r.estimates.run(strata=["sex"], models=["loglinear"], seed=1)
    totals = [e for e in ests if e.is_total]
    assert totals and all(e.observed == seen for e in totals)
    assert {e.stratum for e in ests} >= {"sex=female", "sex=male"}
    # list a holds only even i, whose first names are all male: it is left out for women, with a warning
    female = [e for e in ests if e.stratum == "sex=female"]
    assert all(e.lists == ("b", "c") and any("'a' has nobody" in w for w in e.warnings) for e in female)
    assert all(e.lists == ("a", "b", "c") for e in ests if e.stratum == "sex=male")
