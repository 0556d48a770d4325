"""The network and places commands, through the command-line runner."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from midcorridor.cli import app

runner = CliRunner()


def _invoke(*args: str):  # noqa: ANN202 - click's Result
    return runner.invoke(app, list(args))


def test_summary_json(corridor_minimal_dir: Path) -> None:
    """`network summary --format json` prints the counts a script needs."""
    result = _invoke("network", "summary", "--format", "json", "--data", str(corridor_minimal_dir))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    for key in ("nodes", "links", "services", "countries", "sources"):
        assert key in summary
    assert summary["nodes"] >= 5


def test_summary_table_packaged() -> None:
    """The summary table of the packaged data set names its size."""
    result = _invoke("network", "summary")
    assert result.exit_code == 0, result.output
    assert "nodes" in result.stdout
    assert "sources" in result.stdout


def test_validate_clean_and_broken(corridor_minimal_dir: Path, tmp_path: Path) -> None:
    """`network validate` exits 0 on clean data and 1 with file:row:field messages otherwise."""
    assert _invoke("network", "validate").exit_code == 0
    broken = tmp_path / "user"
    broken.mkdir()
    (broken / "nodes.csv").write_text(
        "id,name,country,lat,lon,coord_source,kind\nKZXXX,Nowhere,KZ,95,50,S001,city\n",
        encoding="utf-8",
    )
    result = _invoke("network", "validate", "--data", str(broken))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert f"{broken}/nodes.csv:2:lat: 95 is out of range" in result.stderr


def test_user_mistake_is_one_line_from_console_script(tmp_path: Path) -> None:
    """The installed command turns a user mistake into one line and exit 1, no traceback."""
    script = Path(sys.executable).with_name("midcorridor")
    for args in (
        ["network", "summary", "--data", str(tmp_path / "absent")],
        ["route", "Aktay", "Baku"],
    ):
        done = subprocess.run([str(script), *args], capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.strip(), "the error must say what is wrong"
    assert "did you mean Aktau" in done.stderr


def test_export_geojson_to_file(tmp_path: Path) -> None:
    """`network export --format geojson -o FILE` writes a FeatureCollection."""
    target = tmp_path / "map.geojson"
    result = _invoke("network", "export", "--format", "geojson", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


def test_export_csv(corridor_minimal_dir: Path) -> None:
    """`network export --format csv` prints the links table with a header."""
    result = _invoke("network", "export", "--format", "csv", "--data", str(corridor_minimal_dir))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"id", "from", "to", "mode", "distance_km"} <= set(rows[0])


def test_places_query_and_unknown() -> None:
    """`places QUERY` lists matches; a query matching nothing exits non-zero."""
    result = _invoke("places", "aktau", "--format", "json")
    assert result.exit_code == 0, result.output
    assert any(p["name"].startswith("Aktau") for p in json.loads(result.stdout))
    assert _invoke("places", "zzzzqqqq").exit_code == 1


def test_run_writes_map(tmp_path: Path) -> None:
    """`run` prints the summary and writes the corridor map."""
    result = _invoke("run", "--out", str(tmp_path), "--no-serve")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "corridor.geojson").is_file()


def test_csv_text_header_from_rows_or_fallback() -> None:
    """`csv_text` heads the table with the first row's keys, or the fallback when empty."""
    from midcorridor.cli.common import csv_text

    text = csv_text([{"a": 1, "b": "x,y"}, {"a": 2, "b": ""}], ["ignored"])
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["1", "x,y"], ["2", ""]]
    assert csv_text([], ["booking"]).strip() == "booking"
    assert csv_text([]).strip() == ""
