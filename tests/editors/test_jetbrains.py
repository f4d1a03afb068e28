"""The LSP4IJ template in editors/jetbrains: the fields LSP4IJ reads, and a README that matches."""

import json
import re

from cpt.engine.languages import LANGUAGES
from cpt.server.lsp.diagnostics import LANGUAGE_IDS

from .conftest import EDITORS

JETBRAINS = EDITORS / "jetbrains"
TEMPLATE = JETBRAINS / "template"


def load(name):
    return json.loads((TEMPLATE / name).read_text())


def mappings():
    """{language id: file name patterns} from template.json."""
    return {m["languageId"]: m["fileType"]["patterns"] for m in load("template.json")
            ["fileTypeMappings"]}


def test_template_has_the_fields_lsp4ij_requires():
    template = load("template.json")
    # LSP4IJ's deserializer reads `name` and `programArgs` unconditionally.
    assert template["name"] == "Code Periodic Table"
    assert template["programArgs"] == {"default": "cpt lsp"}
    assert template["id"] == "cpt" and template["url"].startswith("https://")
    for mapping in template["fileTypeMappings"]:
        assert set(mapping) == {"fileType", "languageId"}
        # Patterns only, no file type name: file types differ between IDEs, patterns do not.
        assert set(mapping["fileType"]) == {"patterns"}


def test_mappings_cover_every_extension_the_engine_reads_with_ids_the_server_knows():
    found = mappings()
    assert set(found) == set(LANGUAGE_IDS)
    patterns = [pattern for group in found.values() for pattern in group]
    assert len(patterns) == len(set(patterns))
    assert all(re.fullmatch(r"\*\.[a-z]+", pattern) for pattern in patterns), patterns
    extensions = {ext for spec in LANGUAGES.values() for ext in spec.extensions}
    assert {pattern[1:] for pattern in patterns} == extensions
    for language_id, group in found.items():
        spec = LANGUAGES[LANGUAGE_IDS[language_id]]
        assert {pattern[1:] for pattern in group} <= set(spec.extensions), language_id


def test_settings_are_the_cpt_section_with_known_keys():
    from cpt.server.lsp.configuration import parse_options

    settings = load("settings.json")
    assert set(settings) == {"cpt"}
    _options, problems = parse_options(settings["cpt"])
    assert problems == []
    assert load("initializationOptions.json") == {}


def test_readme_walks_through_import_and_lists_the_same_fields():
    readme = (JETBRAINS / "README.md").read_text()
    for step in ("LSP4IJ", "Import from custom template", "editors/jetbrains/template",
                 "Language Servers", "Mappings", "Configuration", "File name patterns"):
        assert step in readme, step
    assert f"| Command | `{load('template.json')['programArgs']['default']}` |" in readme
    for language_id, patterns in mappings().items():
        assert f"| `{';'.join(patterns)}` | `{language_id}` |" in readme, language_id
    configuration = re.search(r"```json\n(.+?)\n```", readme, re.S)
    assert configuration and json.loads(configuration.group(1)) == load("settings.json")
