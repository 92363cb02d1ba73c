"""``ecgviewer analyze``: one JSON per record, errors recorded, the run goes on."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from ecgviewer.cli import main
from tests.conftest import REPO
from tests.io.wfdb_helpers import write_record


def _folder_with_good_and_bad(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    write_record(src / "a", "rec1")
    write_record(src / "b", "rec1", leads=["I", "II"])  # same name, other folder
    bad, _ = write_record(src / "b", "broken")
    bad.with_suffix(".dat").write_bytes(b"\x00" * 10)  # truncated
    (src / "b" / "notes.csv").write_text("this,is\nnot,an ecg\n")
    return src


def test_folder_gives_one_json_per_record_and_goes_on(tmp_path: Path) -> None:
    src = _folder_with_good_and_bad(tmp_path)
    out = tmp_path / "out"
    code = main(["analyze", str(src), "--out", str(out), "-q"])
    assert code == 1  # some records failed, all were processed
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert files == ["a/rec1.json", "b/broken.json", "b/notes.json", "b/rec1.json"]
    good = json.loads((out / "a/rec1.json").read_text())
    assert good["error"] is None and len(good["leads"]) == 12
    broken = json.loads((out / "b/broken.json").read_text())
    assert broken["error"]["type"] == "truncated_data"
    assert "truncated" in broken["error"]["message"]
    notes = json.loads((out / "b/notes.json").read_text())
    assert notes["error"] is not None


def test_glob_and_single_files(tmp_path: Path) -> None:
    src = _folder_with_good_and_bad(tmp_path)
    out = tmp_path / "out"
    code = main(["analyze", str(src / "*" / "rec1.hea"), "--out", str(out), "-q"])
    assert code == 0
    names = sorted(p.name for p in out.glob("*.json"))
    assert names == ["rec1.json", "rec1__2.json"]  # same record name twice: both kept


def test_console_script_runs_headless(tmp_path: Path) -> None:
    header, _ = write_record(tmp_path, "one")
    out = tmp_path / "out"
    exe = Path(sys.executable).parent / "ecgviewer"
    proc = subprocess.run(
        [str(exe), "analyze", str(header), "--out", str(out)],
        capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "1 of 1 records analysed" in proc.stderr
    assert json.loads((out / "one.json").read_text())["n_samples"] == 5000


def test_analyze_never_imports_qt(tmp_path: Path) -> None:
    header, _ = write_record(tmp_path, "one")
    code = (
        "import sys; from ecgviewer.cli import main; "
        f"main(['analyze', {str(header)!r}, '--out', {str(tmp_path / 'o')!r}, '-q']); "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_readme_documents_every_json_key(tmp_path: Path) -> None:
    header, _ = write_record(tmp_path, "one")
    main(["analyze", str(header), "--out", str(tmp_path / "o"), "-q"])
    data = json.loads((tmp_path / "o" / "one.json").read_text())
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Analysis JSON", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r'"(\w+)"', section))
    keys = set(data) | set(data["measurements"]) | set(data["patient"])
    keys |= {"time_s", "qrs_on_s", "qrs_off_s", "p_on_s", "p_off_s", "t_off_s", "label"}
    keys |= {"probability", "threshold", "flagged", "score", "version", "sha256", "type", "message"}
    assert keys <= documented, keys - documented
