"""drafter.toml: one schema validated key by key (Chinese messages naming file, line and key,
exit 2), used by `drafter check` (found in the current folder or named with --config) and by
`drafter serve`, and exposing local titles, institutions and names as a small typed object."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafter.config import LocalData, load_config, parse_config
from drafter.config.schema import Config
from drafter.errors import ConfigError, InputError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "drafter.toml"

REPORT = "\n".join([
    "示例县司法局关于2023年度法治政府建设情况的报告", "县人民政府：",
    "2023年，我局坚持依法行政，各项工作取得新进展。现将有关情况报告如下：",
    "一、主要负责人履行推进法治建设第一责任人职责情况", "局长带头学法，主持研究法治工作4次。",
    "二、主要举措和成效",
    "聘请律师林思源担任法律顾问，依据《示例市城市市容和环境卫生管理办法》查处违法行为。",
    "三、存在的不足和原因", "执法力量不足，主要是编制有限。",
    "四、2024年工作计划", "继续完善制度。", "示例县司法局", "2024年2月25日"]) + "\n"
CONFIG = """
[profile]
name = "示例省口径"
[profile.deadlines.department]
submit_by = "02-20"
publish_by = "03-31"
[[titles]]
title = "示例市市容和环境卫生管理条例"
former = ["示例市城市市容和环境卫生管理办法"]
[[names]]
name = "林思远"
role = "法律顾问"
"""


@pytest.mark.parametrize("text,where", [
    ('[check]\nform = "draft"', ("第 2 行", "check.form", "auto")),
    ('[[titles]]\ntitl = "示例条例"', ("第 2 行", "titles[1].titl", "不认识的键")),
    ('[[titles]]\ntitle = "示例条例"\n[[titles]]\ntitle = "《示例办法》"', ("第 4 行", "titles[2].title", "书名号")),
    ('[profile]\nname = "口径"\n[profile.deadlines.department]\nsubmit_by = "3/1"\npublish_by = "04-01"',
     ("第 4 行", "profile.deadlines.department.submit_by", "月-日")),
    ('[check]\nform = auto', ("第 2 行", "TOML")),
    ('[[names]]\nname = "林"', ("names[1].name", "太短")),
])
def test_a_wrong_file_is_rejected_naming_line_and_key(text, where):
    with pytest.raises(ConfigError) as e:
        parse_config(text, "本地.toml")
    line = e.value.one_line()
    assert line.startswith("本地.toml：") and "\n" not in line
    for part in where:
        assert part in line


def test_the_documented_example_is_valid_and_exposes_local_data():
    cfg = load_config(EXAMPLE)
    assert isinstance(cfg, Config) and cfg.check.form == "auto"
    local = cfg.local
    assert isinstance(local, LocalData) and local
    assert "示例省行政执法程序规定" in local.title_names
    assert local.institution_names == ("示例市行政审批服务局",)
    assert local.person_names == ("林思远",)
    hash(local)  # hashable: lexicons built on it are cached


def test_no_path_and_no_file_in_the_folder_means_no_config(tmp_path):
    assert load_config(None, cwd=tmp_path) is None
    (tmp_path / "drafter.toml").write_text(CONFIG, encoding="utf-8")
    assert load_config(None, cwd=tmp_path).local.person_names == ("林思远",)
    with pytest.raises(InputError):
        load_config(tmp_path / "missing.toml")


def _findings(cp) -> dict[str, str]:
    data = json.loads(cp.stdout)
    return {f["rule"]: f["severity"] for f in data["files"][0]["findings"]}


def test_check_uses_drafter_toml_of_the_current_folder(cli, tmp_path):
    (tmp_path / "报告.txt").write_text(REPORT, encoding="utf-8")
    without = _findings(cli("check", "--format", "json", "报告.txt", cwd=tmp_path))
    assert not {"NAM001", "LAW001", "DAT006"} & set(without)
    (tmp_path / "drafter.toml").write_text(CONFIG, encoding="utf-8")
    cp = cli("check", "--format", "json", "报告.txt", cwd=tmp_path)
    got = _findings(cp)
    # the known name written one sound-alike character off, the former title, the local deadline
    assert got["NAM001"] == "error" and got["LAW001"] == "error" and got["DAT006"] == "warning"
    assert cp.returncode == 1


def test_check_config_option_errors_exit_2_with_one_line(cli, tmp_path):
    (tmp_path / "报告.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "bad.toml").write_text('[check]\nform = "draft"\n', encoding="utf-8")
    for name, part in (("bad.toml", "check.form"), ("missing.toml", "配置文件不存在")):
        cp = cli("check", "报告.txt", "--config", name, cwd=tmp_path)
        assert cp.returncode == 2 and cp.stdout == ""
        assert part in cp.stderr and len(cp.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("form,has", [("submitted", {"STR009"}), ("published", set()), ("auto", {"STR014"})])
def test_form_option_and_config_form(cli, tmp_path, form, has):
    lines = REPORT.split("\n")
    published = "\n".join([lines[0]] + lines[2:])  # no 主送机关
    (tmp_path / "报告.txt").write_text(published, encoding="utf-8")
    got = set(_findings(cli("check", "--format", "json", "报告.txt", "--form", form, cwd=tmp_path)))
    assert got & {"STR009", "STR014"} == has
    (tmp_path / "drafter.toml").write_text(f'[check]\nform = "{form}"\n', encoding="utf-8")
    got = set(_findings(cli("check", "--format", "json", "报告.txt", cwd=tmp_path)))
    assert got & {"STR009", "STR014"} == has


def test_serve_checks_with_the_config_it_was_started_with(tmp_path):
    pytest.importorskip("fastapi")
    import time

    from fastapi.testclient import TestClient

    from drafter.web.app import WebSettings, create_app

    cfg = parse_config(CONFIG, "drafter.toml")
    settings = WebSettings(upload_dir=str(tmp_path / "uploads"), env={}, config=cfg)
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000",
                    headers={"origin": "http://127.0.0.1:8000"}) as client:
        r = client.post("/check", files=[("files", ("报告.txt", REPORT.encode()))], follow_redirects=False)
        assert r.status_code == 303
        location = r.headers["location"]
        for _ in range(600):
            got = client.get(location + "/results.json")
            if got.status_code == 200:
                break
            time.sleep(0.1)
        rules = {f["rule"] for f in got.json()["files"][0]["findings"]}
    assert {"NAM001", "LAW001", "DAT006"} <= rules
