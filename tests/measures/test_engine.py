"""The scoring engine on instruments made for the tests: every rule, its missing-item rule
and its boundaries, answers checked, and definitions refused with the bad field named."""

import json
from copy import deepcopy

import pytest
from django.core.exceptions import ValidationError

from programs.measures import engine
from programs.measures.files import library_files
from tests.factories import test_activity_definition, test_instrument_definition


def _items(definition):
    return engine.items_of(definition)


def test_sum_with_every_item_answered():
    d = test_instrument_definition()
    result = engine.score(d, {"q1": 4, "q2": 4, "q3": 4})
    assert result.total == 12
    assert result.subscales == {"first_two": 8}
    assert (result.answered, result.of) == (3, 3)


def test_sum_prorates_a_missing_item():
    d = test_instrument_definition()
    assert engine.score(d, {"q1": 1, "q2": 2}).total == 4.5  # 3 * 3 / 2


def test_sum_without_prorating_adds_what_was_answered():
    d = test_instrument_definition()
    d["scoring"]["prorate"] = False
    assert engine.score(d, {"q1": 1, "q2": 2}).total == 3


def test_below_min_answered_gives_no_score():
    d = test_instrument_definition()
    result = engine.score(d, {"q1": 1})
    assert result.total is None
    assert result.subscales == {"first_two": None}  # the subscale needs both its items


def test_min_answered_defaults_to_every_item():
    d = test_instrument_definition()
    del d["scoring"]["min_answered"]
    assert engine.score(d, {"q1": 1, "q2": 2}).total is None
    assert engine.score(d, {"q1": 0, "q2": 0, "q3": 0}).total == 0


def test_mean_of_the_answered_items():
    d = test_instrument_definition(range={"min": 0, "max": 4})
    d["scoring"] = {"method": "mean", "min_answered": 2}
    assert engine.score(d, {"q1": 1, "q2": 2}).total == 1.5
    assert engine.score(d, {"q1": 1, "q2": 2, "q3": 4}).total == 2.33


def test_percent_of_max_uses_the_answered_items_only():
    d = test_instrument_definition(range={"min": 0, "max": 100})
    d["scoring"] = {"method": "percent_of_max", "min_answered": 2}
    assert engine.score(d, {"q1": 4, "q2": 4, "q3": 4}).total == 100
    assert engine.score(d, {"q1": 2, "q2": 0}).total == 25  # 2 of 8
    assert engine.score(d, {"q1": 0, "q2": 0, "q3": 0}).total == 0


def test_percent_of_max_with_options_starting_at_one():
    d = test_instrument_definition(range={"min": 0, "max": 100})
    d["items"] = [
        {
            "id": f"q{n}",
            "text": "?",
            "options": [{"value": v, "label": str(v)} for v in range(1, 6)],
        }
        for n in (1, 2)
    ]
    d["scoring"] = {"method": "percent_of_max"}
    # QuickDASH-style: ((mean - 1) * 25)
    assert engine.score(d, {"q1": 3, "q2": 4}).total == 62.5


def test_activities_are_rated_and_averaged():
    d = test_activity_definition()
    items = engine.items_of(d, ["Stairs", "Chair"])
    assert [i.id for i in items] == ["activity_1", "activity_2"]
    assert items[0].text == "How well can you do this: Stairs?"
    assert engine.score(d, {"activity_1": 3, "activity_2": 6}, ["Stairs", "Chair"]).total == 4.5


@pytest.mark.parametrize(
    "names, message",
    [
        (["Stairs"], "between 2 and 3"),
        (["a", "b", "c", "d"], "between 2 and 3"),
        (["Stairs", "stairs"], "once"),
        (["x" * 101, "b"], "under"),
        ("Stairs", "list"),
    ],
)
def test_bad_activity_lists_are_refused(names, message):
    with pytest.raises(ValidationError) as caught:
        engine.clean_activities(test_activity_definition(), names)
    assert message in str(caught.value.message_dict["activities"])


def test_activity_names_are_tidied_and_blanks_dropped():
    assert engine.clean_activities(
        test_activity_definition(), ["  Climb   stairs ", "", "Run"]
    ) == [
        "Climb stairs",
        "Run",
    ]


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"q1": 5}, "q1: choose a whole number from 0 to 4"),
        ({"q1": -1}, "q1: choose a whole number from 0 to 4"),
        ({"q1": 1.5}, "q1"),
        ({"q1": "2"}, "q1"),
        ({"q1": True}, "q1"),
        ({"q9": 1}, "q9: there is no such question"),
        ([1, 2], "object"),
    ],
)
def test_invalid_answers_name_the_item(answers, message):
    with pytest.raises(ValidationError) as caught:
        engine.clean_answers(_items(test_instrument_definition()), answers)
    assert message in " ".join(caught.value.message_dict["answers"])


def test_boundaries_are_accepted_and_null_means_unanswered():
    items = _items(test_instrument_definition())
    assert engine.clean_answers(items, {"q1": 0, "q2": 4, "q3": None}) == {"q1": 0, "q2": 4}


def test_option_values_outside_the_options_are_refused():
    d = test_instrument_definition()
    d["items"][0] = {
        "id": "q1",
        "text": "?",
        "options": [{"value": 0, "label": "No"}, {"value": 4, "label": "Yes"}],
    }
    with pytest.raises(ValidationError, match="choose one of 0, 4"):
        engine.clean_answers(_items(d), {"q1": 2})


def test_shipped_instruments_are_valid_and_score_as_documented():
    shipped = {p.stem: json.loads(p.read_text()) for p in library_files()}
    assert set(shipped) == {"nprs", "psfs", "groc"}
    for definition in shipped.values():
        engine.check_definition(definition)
    nprs, psfs, groc = shipped["nprs"], shipped["psfs"], shipped["groc"]
    assert engine.score(nprs, {"now": 4, "least_24h": 2, "worst_24h": 6}).total == 4
    assert engine.score(nprs, {"now": 4, "worst_24h": 7}).total == 5.5  # two of three
    assert engine.score(nprs, {"now": 4}).total is None
    names = ["Stairs", "Kneeling", "Running"]
    assert engine.clean_activities(psfs, names) == names
    with pytest.raises(ValidationError):
        engine.clean_activities(psfs, names[:2])  # PSFS needs 3 to 5
    answers = {"activity_1": 2, "activity_2": 5, "activity_3": 8}
    assert engine.score(psfs, answers, names).total == 5
    assert engine.score(psfs, {"activity_1": 2}, names).total is None  # every activity rated
    assert engine.score(groc, {"change": -7}).total == -7
    assert engine.score(groc, {"change": 7}).total == 7
    assert psfs["mdc"] == {"value": 2, "item_value": 3, "source": psfs["mdc"]["source"]}


def _broken(change):
    d = deepcopy(test_instrument_definition())
    change(d)
    return d


@pytest.mark.parametrize(
    "definition, field",
    [
        ([], "(file)"),
        (_broken(lambda d: d.update(format=2)), "format"),
        (_broken(lambda d: d.pop("slug")), "slug"),
        (_broken(lambda d: d.update(slug="Bad Slug")), "slug"),
        (_broken(lambda d: d.update(version="1")), "version"),
        (_broken(lambda d: d.update(version=0)), "version"),
        (_broken(lambda d: d.pop("licence")), "licence"),
        (_broken(lambda d: d.update(items=[])), "items"),
        (_broken(lambda d: d["items"][1].update(id="q1")), "items[1].id"),
        (_broken(lambda d: d["items"][0].pop("text")), "items[0].text"),
        (_broken(lambda d: d["items"][2].update(max=-1)), "items[2].max"),
        (_broken(lambda d: d["items"][0].pop("max")), "items[0].max"),
        (
            _broken(lambda d: d["items"][0].update(options=[{"value": 1, "label": "x"}])),
            "items[0].options",
        ),
        (
            _broken(
                lambda d: d["items"][0].update(
                    options=[{"value": 1, "label": "a"}, {"value": 1, "label": "b"}]
                )
            ),
            "items[0].options[1].value",
        ),
        (_broken(lambda d: d["scoring"].update(method="median")), "scoring.method"),
        (_broken(lambda d: d["scoring"].update(min_answered=4)), "scoring.min_answered"),
        (_broken(lambda d: d["scoring"].update(method="mean", prorate=False)), "range"),
        (
            _broken(lambda d: d["scoring"]["subscales"][0].update(items=["q7"])),
            "scoring.subscales[0].items",
        ),
        (
            _broken(lambda d: d["scoring"]["subscales"][0].update(prorate=True, method="mean")),
            "scoring.subscales[0].prorate",
        ),
        (_broken(lambda d: d.update(range={"min": 0, "max": 10})), "range"),
        (_broken(lambda d: d.update(better="up")), "better"),
        (_broken(lambda d: d.pop("mcid")), "mcid"),
        (_broken(lambda d: d["mcid"].pop("source")), "mcid.source"),
        (_broken(lambda d: d["mcid"].update(value=50)), "mcid.value"),
        (_broken(lambda d: d["mdc"].update(value="2")), "mdc.value"),
        (_broken(lambda d: d.update(activities={"min_count": 1})), "activities.max_count"),
    ],
)
def test_bad_definitions_name_the_bad_field(definition, field):
    with pytest.raises(engine.DefinitionError) as caught:
        engine.check_definition(definition)
    assert caught.value.field == field


def test_activity_definition_must_place_the_activity_in_its_question():
    d = test_activity_definition()
    d["activities"]["question"] = "How well?"
    with pytest.raises(engine.DefinitionError) as caught:
        engine.check_definition(d)
    assert caught.value.field == "activities.question"
