"""Every parameter declares unit, bounds and provenance; defaults lie within bounds."""

from __future__ import annotations

from pydantic import BaseModel

from loyalsim.scenario.fields import param_info
from loyalsim.scenario.schemas.loyalty import Scenario


def _sections(model: type[BaseModel]) -> list[type[BaseModel]]:
    out = [model]
    for field in model.model_fields.values():
        ann = field.annotation
        for cand in getattr(ann, "__args__", (ann,)):
            if isinstance(cand, type) and issubclass(cand, BaseModel) and cand not in out:
                out += _sections(cand)
    return out


def test_every_numeric_parameter_has_unit_provenance_and_valid_default() -> None:
    checked = 0
    for section in _sections(Scenario):
        for name, field in section.model_fields.items():
            if field.annotation not in (int, float):
                continue
            info = param_info(section, name)
            assert info["unit"], f"{section.__name__}.{name} has no unit"
            assert info["provenance"], f"{section.__name__}.{name} has no provenance"
            assert info["description"], f"{section.__name__}.{name} has no description"
            assert "ge" in info or "gt" in info, f"{section.__name__}.{name} has no lower bound"
            assert "le" in info or "lt" in info, f"{section.__name__}.{name} has no upper bound"
            lo, hi = info.get("ge", info.get("gt")), info.get("le", info.get("lt"))
            assert lo <= info["default"] <= hi
            checked += 1
    assert checked > 60


def test_default_scenario_is_valid_and_provinces_sum_to_one() -> None:
    scn = Scenario()
    assert abs(sum(p.share for p in scn.population.provinces) - 1.0) < 1e-3
    assert [p.name for p in scn.population.provinces].count("South Hamgyong") == 1


def test_every_setting_has_provenance_and_a_description() -> None:
    from loyalsim.scenario.doc_tables import is_section_field

    for section in _sections(Scenario):
        for name, field in section.model_fields.items():
            if is_section_field(field.annotation) or name in ("model", "name", "description"):
                continue
            info = param_info(section, name)
            assert info["provenance"], f"{section.__name__}.{name} has no provenance"
            assert info["description"], f"{section.__name__}.{name} has no description"


def _all_model_sections() -> list[type[BaseModel]]:
    from loyalsim.scenario.schemas import ROOTS, root_schema

    out: list[type[BaseModel]] = []
    for name in ROOTS:
        out += [s for s in _sections(root_schema(name)) if s not in out]
    return out


def test_every_size_of_every_model_has_an_upper_bound() -> None:
    """Numbers have an upper bound, texts and lists a maximum length: check sees every size."""
    from typing import get_args, get_origin

    checked = 0
    for section in _all_model_sections():
        for name, field in section.model_fields.items():
            ann = field.annotation
            where = f"{section.__name__}.{name}"
            info = param_info(section, name)
            if ann in (int, float):
                assert "le" in info or "lt" in info, f"{where} has no upper bound"
            elif ann is str or get_origin(ann) is list:
                assert "max_length" in info, f"{where} has no maximum length"
            else:
                continue
            checked += 1
            if get_origin(ann) is list and get_args(ann)[0] is not float:
                item = get_args(ann)[0]
                assert item is not str, f"{where}: list items of unbounded length"
    assert checked > 150


def test_section_config_is_strict_in_every_model() -> None:
    from loyalsim.scenario.schemas import ROOTS, root_schema

    for name in ROOTS:
        for section in _sections(root_schema(name)):
            config = section.model_config
            assert config.get("strict") is True, section.__name__
            assert config.get("allow_inf_nan") is False, section.__name__
            assert config.get("extra") == "forbid", section.__name__
