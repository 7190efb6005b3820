"""The Spanish catalogue is complete, the language is chosen as documented, and the wheel carries it."""

from __future__ import annotations

import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ips_tui import cli, i18n

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import i18n as i18n_tool  # noqa: E402  (scripts/i18n.py)

PO = ROOT / "ips_tui" / "locale" / "es" / "LC_MESSAGES" / "ips_tui.po"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def _msgid(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_every_source_string_is_translated_and_not_fuzzy():
    source = {_msgid(m) for m in i18n_tool.extract() if m.id}
    with PO.open("rb") as f:
        po = read_po(f)
    translated = {_msgid(m): m for m in po if m.id}
    missing = sorted(source - set(translated))
    assert not missing, f"{len(missing)} source strings are not in es.po, e.g. {missing[:5]} (run scripts/i18n.py update)"
    untranslated = sorted(k for k in source if not translated[k].string or translated[k].string == ("", ""))
    assert not untranslated, f"untranslated: {untranslated[:5]}"
    fuzzy = sorted(k for k in source if translated[k].fuzzy)
    assert not fuzzy, f"fuzzy: {fuzzy[:5]}"


def test_placeholders_survive_translation():
    with PO.open("rb") as f:
        po = read_po(f)
    wrong = []
    for m in po:
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        want = set(PLACEHOLDER.findall(ids[0]))
        if any(set(PLACEHOLDER.findall(s)) != want for s in strs):
            wrong.append(ids[0])
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("env,expected", [
    ({"LANGUAGE": "es:en"}, "es"),
    ({"LC_ALL": "es_ES.UTF-8"}, "es"),
    ({"LC_MESSAGES": "es_MX.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "C"}, "en"),
    ({}, "en"),
])
def test_language_from_environment(env, expected):
    assert i18n.language_from_env(env) == expected


def test_switching_language_at_run_time():
    i18n.set_language("es")
    spanish = i18n._("unknown field.")
    i18n.set_language("en")
    assert i18n._("unknown field.") == "unknown field."
    assert spanish != "unknown field." and spanish


def test_cli_validation_errors_in_spanish(tmp_path, capsys):
    job = tmp_path / "bad.toml"
    job.write_text('jobName = "t"\nlocale = "en_US"\n[imageServingPublishJob]\npublishType = "full"\n')
    assert cli.main(["--lang", "es", "submit", str(job), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "companyHandle" in err and "imageServingPublishJob.emailSetting" in err
    assert "obligatorio" in err.lower() or "falta" in err.lower(), err


def test_json_output_stays_english(tmp_path, capsys):
    job = tmp_path / "bad.toml"
    job.write_text('jobName = "t"\n[imageServingPublishJob]\npublishType = "Full"\nemailSetting = "Error"\n')
    assert cli.main(["--lang", "es", "submit", str(job), "--dry-run", "--json"]) == 2
    out = capsys.readouterr().out
    assert '"kind": "invalid"' in out and "required" in out


@pytest.mark.timeout(600)
def test_the_wheel_ships_spanish(tmp_path):
    """Build the wheel, install it in a fresh venv, and get a Spanish message out of it."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(wheel_dir.glob("ips_tui-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True)
    out = subprocess.run(
        [str(py), "-c", "from ips_tui import i18n; i18n.set_language('es'); print(i18n._('unknown field.'))"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip() and out.stdout.strip() != "unknown field."
    assert "/venv/" in subprocess.run([str(py), "-c", "import ips_tui; print(ips_tui.__file__)"], cwd=tmp_path,
                                      capture_output=True, text=True).stdout
