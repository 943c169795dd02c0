"""The on-disk cache (drafter/cache.py): parsed lexicons and compiled patterns.

The cache may only ever save time: a stale entry (the data file changed), a corrupt one, a
planted one or a folder that cannot be written must give the same data as no cache at all.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import typing
import uuid
import zlib
from pathlib import Path

import pytest

from drafter import cache
from drafter.cache import PatternCache, cached


def _parser(data):
    calls = []

    def parse():
        calls.append(1)
        return data

    return parse, calls


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def _unwritable(tmp_path: Path, name: str = "not-a-folder") -> Path:
    """A folder no process can create or write (its parent is a file; root included)."""
    blocker = tmp_path / name
    blocker.write_text("x")
    return blocker / "cache"


def test_a_second_load_reads_the_entry_instead_of_parsing(tmp_path):
    data = {"entries": [{"title": "行政处罚法", "effective": __import__("datetime").date(2021, 7, 15)}]}
    parse, calls = _parser(data)
    assert cached("laws.yaml", b"v1", parse, dirs=(tmp_path,)) == data
    assert cached("laws.yaml", b"v1", parse, dirs=(tmp_path,)) == data
    assert len(calls) == 1
    assert len(_entries(tmp_path)) == 1


def test_changed_source_bytes_are_a_miss_and_replace_the_outdated_entry(tmp_path):
    parse1, calls1 = _parser({"v": 1})
    parse2, calls2 = _parser({"v": 2})
    assert cached("roles.yaml", b"version one", parse1, dirs=(tmp_path,)) == {"v": 1}
    old = _entries(tmp_path)
    assert cached("roles.yaml", b"version two", parse2, dirs=(tmp_path,)) == {"v": 2}
    assert calls1 == [1] and calls2 == [1]
    new = _entries(tmp_path)
    assert len(new) == 1 and new != old  # the outdated entry is gone


def test_the_key_covers_the_drafter_and_python_versions(monkeypatch):
    from drafter import version

    a = cache.entry_key("laws.yaml", b"same bytes")
    monkeypatch.setattr(version, "__version__", "99.0")
    assert cache.entry_key("laws.yaml", b"same bytes") != a
    monkeypatch.setattr(cache.sys, "version", "0.0.0 (other build)")
    assert cache.entry_key("laws.yaml", b"same bytes") != a


@pytest.mark.parametrize("damage", [
    "truncated", "flipped-byte", "empty", "not-a-cache-file", "wrong-key-in-header",
])
def test_a_corrupt_entry_is_ignored_and_rebuilt(tmp_path, damage):
    parse, calls = _parser({"patterns": ["XX", "××"]})
    cached("placeholders.yaml", b"src", parse, dirs=(tmp_path,))
    (entry,) = _entries(tmp_path)
    blob = entry.read_bytes()
    if damage == "truncated":
        blob = blob[:len(blob) // 2]
    elif damage == "flipped-byte":
        blob = blob[:-5] + bytes([blob[-5] ^ 0xFF]) + blob[-4:]
    elif damage == "empty":
        blob = b""
    elif damage == "not-a-cache-file":
        blob = b"hello"
    else:
        blob = blob.replace(blob[len(cache._MAGIC):len(cache._MAGIC) + 8], b"00000000", 1)
    entry.write_bytes(blob)
    assert cached("placeholders.yaml", b"src", parse, dirs=(tmp_path,)) == {"patterns": ["XX", "××"]}
    assert len(calls) == 2  # parsed again
    assert cached("placeholders.yaml", b"src", parse, dirs=(tmp_path,)) == {"patterns": ["XX", "××"]}
    assert len(calls) == 2  # and the rebuilt entry is good


def test_a_planted_entry_cannot_run_code(tmp_path):
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    parse, calls = _parser({"ok": True})
    cached("laws.yaml", b"src", parse, dirs=(tmp_path,))
    (entry,) = _entries(tmp_path)
    payload = pickle.dumps(Exploit())
    key = cache.entry_key("laws.yaml", b"src")
    entry.write_bytes(cache._MAGIC + key.encode() + b"\n" + b"%08x" % zlib.crc32(payload) + b"\n"
                      + payload)  # a well-formed entry whose data is not plain data
    assert cached("laws.yaml", b"src", parse, dirs=(tmp_path,)) == {"ok": True}
    assert not marker.exists()
    assert len(calls) == 2


def test_data_that_is_not_plain_is_not_stored(tmp_path):
    parse, calls = _parser({"regex": re.compile("x")})
    cached("odd.yaml", b"src", parse, dirs=(tmp_path,))
    cached("odd.yaml", b"src", parse, dirs=(tmp_path,))
    assert len(calls) == 2 and _entries(tmp_path) == []


def test_an_unwritable_package_folder_falls_back_to_the_user_cache(tmp_path):
    package, user = _unwritable(tmp_path), tmp_path / "user"
    parse, calls = _parser({"a": 1})
    assert cached("sections.yaml", b"src", parse, dirs=(package, user)) == {"a": 1}
    assert not package.exists() and len(_entries(user)) == 1
    assert cached("sections.yaml", b"src", parse, dirs=(package, user)) == {"a": 1}
    assert len(calls) == 1  # read back from the user cache


def test_no_writable_folder_at_all_still_gives_the_data(tmp_path):
    parse, calls = _parser({"a": 1})
    dirs = (_unwritable(tmp_path, "a"), _unwritable(tmp_path, "b"))
    for _ in range(2):
        assert cached("sections.yaml", b"src", parse, dirs=dirs) == {"a": 1}
    assert len(calls) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_package_folder_is_left_alone(tmp_path):
    package, user = tmp_path / "package", tmp_path / "user"
    package.mkdir()
    package.chmod(0o555)
    try:
        parse, _ = _parser({"a": 1})
        cached("sections.yaml", b"src", parse, dirs=(package, user))
        assert _entries(package) == [] and len(_entries(user)) == 1
    finally:
        package.chmod(0o755)


@pytest.mark.parametrize("env, expected", [
    ({"DRAFTER_CACHE_DIR": "/c/d"}, "/c/d/lexicons"),
    ({"XDG_CACHE_HOME": "/x"}, "/x/drafter/lexicons"),
    ({"HOME": "/home/u"}, "/home/u/.cache/drafter/lexicons"),
])
def test_user_cache_location(monkeypatch, env, expected):
    for name in ("DRAFTER_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cache.user_cache_dir() == Path(expected)
    assert cache.cache_dirs()[0] == cache.PACKAGE_CACHE


def test_load_data_reads_the_same_lexicon_through_the_cache(tmp_path, monkeypatch):
    from drafter.datafiles import data_file, load_data, load_yaml_text

    monkeypatch.setattr(cache, "PACKAGE_CACHE", _unwritable(tmp_path))
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path / "user"))
    expected = load_yaml_text(data_file("laws.yaml").read_text(encoding="utf-8"))
    assert load_data.__wrapped__("laws.yaml") == expected  # parsed and stored
    assert len(_entries(tmp_path / "user" / "lexicons")) == 1
    assert load_data.__wrapped__("laws.yaml") == expected  # read back



def test_the_near_miss_class_tables_read_back_as_built(tmp_path, monkeypatch):
    from drafter.checker import nearmiss

    monkeypatch.setattr(cache, "PACKAGE_CACHE", _unwritable(tmp_path))
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path / "user"))
    built = nearmiss._build_tables()
    source = nearmiss._confusability_source()
    assert cache.cached("nearmiss-tables", source, nearmiss._build_tables) == built  # stored
    assert [e.name.split(".")[0] for e in _entries(tmp_path / "user" / "lexicons")
            if e.name.startswith("nearmiss")] == ["nearmiss-tables"]
    assert cache.cached("nearmiss-tables", source, lambda: None) == built  # read back
    sound, form, reading, shape, near = built
    # 进 jin / 近 jin: one reading; 荐 jian: a near reading (one class of sound); 竟/竞: one shape.
    assert reading[ord("进")] == reading[ord("近")] != reading[ord("荐")]
    assert sound[ord("进")] == sound[ord("荐")]
    assert reading[ord("进")] + reading[ord("荐")] in near
    assert shape[ord("竟")] == shape[ord("竞")] != shape[ord("境")]
    assert form[ord("竟")] == form[ord("竞")]
    assert sound[ord("A")] == form[ord("\x05")] == reading[ord("，")] == shape[ord("\ue000")] == "\0"
    assert (sound + form).isascii() and not (reading + shape).replace("\0", "").isascii()


# ---- compiled patterns ----

@pytest.fixture(autouse=True)
def _restore_re_cache(monkeypatch):
    """PatternCache.preload may put a new ``re._cache`` in place: give the next test the one
    it had."""
    monkeypatch.setattr(re, "_cache", re._cache)


def _fresh_patterns() -> list[tuple[str, int]]:
    tag = uuid.uuid4().hex
    return [(f"(?P<year>20\\d\\d)年{tag}", 0), (f"[一二三四五六七八九十]+是{tag}", 0),
            (f"(?:关于)?印发{tag}.{{0,12}}(?:通知|方案)", re.S), (f"^\\s*{tag}$", re.M)]


def test_patterns_a_run_compiled_are_loaded_into_re_by_the_next(tmp_path):
    pats = _fresh_patterns()
    first = PatternCache(dirs=(tmp_path,))
    first.preload()
    compiled = [re.compile(p, f) for p, f in pats]
    assert first.save()
    for p, f in pats:
        re._cache.pop((str, p, f), None)  # as in a new process
    second = PatternCache(dirs=(tmp_path,))
    assert second.preload() >= len(pats)
    text = "2023年{0}；一是{0}；关于印发{0}实施方案\n{0}".format(pats[0][0][-32:])
    for (p, f), before in zip(pats, compiled):
        again = re.compile(p, f)
        assert again is re._cache[(str, p, f)]  # a look-up, not a compile
        assert (again.pattern, again.flags, again.groups, again.groupindex) == \
               (before.pattern, before.flags, before.groups, before.groupindex)
        assert [m.span() for m in again.finditer(text)] == [m.span() for m in before.finditer(text)]
    assert not second.save()  # nothing new: nothing written


def test_the_programs_of_drafters_own_patterns_match_like_re_compile(seed_text):
    import _sre

    from drafter.checker import all_rules
    from drafter.text.placeholders import placeholder_patterns

    all_rules()
    pats = [(k[1], k[2]) for k in list(re._cache) if k[0] is str]
    pats += [(p.regex.pattern, p.regex.flags) for p in placeholder_patterns()]
    assert len(pats) > 50
    for p, f in pats:
        args = cache._program(p, f)
        rebuilt = _sre.compile(p, *args)
        fresh = re.compile(p, f)
        assert rebuilt.flags == fresh.flags and rebuilt.groupindex == fresh.groupindex
        assert [m.span() for m in rebuilt.finditer(seed_text)] == \
               [m.span() for m in fresh.finditer(seed_text)], p


@pytest.mark.parametrize("new, rewritten", [(1, False), (cache.PATTERN_MIN_NEW - 1, False),
                                             (cache.PATTERN_MIN_NEW, True)])
def test_a_stored_cache_is_rewritten_only_for_enough_new_patterns(tmp_path, new, rewritten):
    first = PatternCache(dirs=(tmp_path,))
    first.preload()
    re.compile(_fresh_patterns()[0][0])
    assert first.save()
    second = PatternCache(dirs=(tmp_path,))
    second.preload()
    fresh = [p for _ in range(new) for p, _f in _fresh_patterns()[:1]]
    for p in fresh:
        re.compile(p)
    assert second.save() is rewritten
    stored = PatternCache(dirs=(tmp_path,))
    stored.preload()
    assert all(((p, 0) in stored.entries) is rewritten for p in fresh)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_corrupt_pattern_file_is_ignored(tmp_path, damage):
    pc = PatternCache(dirs=(tmp_path,))
    re.compile(_fresh_patterns()[0][0])
    assert pc.save()
    (entry,) = _entries(tmp_path)
    entry.write_bytes(b"garbage" if damage == "garbage" else entry.read_bytes()[:100])
    assert PatternCache(dirs=(tmp_path,)).preload() == 0


def test_a_bad_program_is_dropped_not_loaded(tmp_path):
    pc = PatternCache(dirs=(tmp_path,))
    p = _fresh_patterns()[0][0]
    re.compile(p)
    pc.save()
    bad = PatternCache(dirs=(tmp_path,))
    bad.preload()
    re._cache.pop((str, p, 0), None)
    import marshal

    flags, code, groups, gi, ig = marshal.loads(bad.entries[p, 0])
    bad.entries[p, 0] = marshal.dumps((flags, [99999] + code, groups, gi, ig))  # not valid
    payload = cache._dump(bad.entries)
    cache._write(tmp_path, bad.file_name, bad.key, payload)
    again = PatternCache(dirs=(tmp_path,))
    again.preload()
    assert (str, p, 0) not in re._cache  # never built from the bad program
    assert re.compile(p).match("2023年" + p[-32:])  # compiles normally
    assert (p, 0) not in again.entries  # dropped: when loaded, or on its first use (3.11)


def test_stored_programs_are_built_only_for_the_patterns_a_run_uses(tmp_path):
    pats = _fresh_patterns()
    first = PatternCache(dirs=(tmp_path,))
    first.preload()
    for p, f in pats:
        re.compile(p, f)
    assert first.save()
    for p, f in pats:
        re._cache.pop((str, p, f), None)  # as in a new process
    second = PatternCache(dirs=(tmp_path,))
    assert second.preload() >= len(pats)
    used, unused = pats[0], pats[1]
    compiled = re.compile(*used)
    assert compiled is re._cache[(str, *used)] and compiled.search("2023年" + used[0][-32:])
    if sys.version_info[:2] == (3, 11):  # built on first use only
        assert (str, *unused) not in re._cache


def test_drafters_pattern_texts_do_not_change_with_string_hashing():
    # A pattern built from a set in hash order would be a new text (compiled and stored
    # again) in every process.
    code = ("from drafter.checker.dedi import _rules; r = _rules(); "
            "print(r.after_de.pattern + r.adverbial.pattern)")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outs) == 1


# ---- compiled dataclass code ----

def _define(tag: str):
    import dataclasses

    ns: dict = {}
    exec(f"@dataclasses.dataclass(frozen=True)\nclass Rec:\n    name_{tag}: str\n    n: int = 0\n",
         {"dataclasses": dataclasses}, ns)
    return ns["Rec"]


def test_generated_dataclass_code_is_looked_up_by_the_next_run(tmp_path, monkeypatch):
    import dataclasses

    monkeypatch.setattr(dataclasses, "exec", exec, raising=False)  # undone after the test
    tag = uuid.uuid4().hex
    first = cache.CodeCache(dirs=(tmp_path,))
    assert first.install() == 0
    Rec = _define(tag)
    assert first.new and all(tag in src for src in first.new)  # compiled: __init__, __repr__ …
    assert first.save() and not first.save()  # stored once; nothing new the second time
    second = cache.CodeCache(dirs=(tmp_path,))
    assert second.install() == len(first.stored)
    Again = _define(tag)
    assert second.new == {}  # every method's code came from the cache
    a, b = Again("x", 2), Again("x", 2)
    assert a == b and hash(a) == hash(b) and repr(a) == f"Rec(name_{tag}='x', n=2)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.n = 3  # type: ignore[misc]
    assert repr(Rec("x", 2)) == repr(a)
    # The code exec itself would compile: annotations are the types, not strings (this
    # module's `from __future__ import annotations` must not leak into generated methods).
    for cls in (Rec, Again):
        hints = typing.get_type_hints(cls.__init__)
        assert hints[f"name_{tag}"] is str and hints["n"] is int and hints["return"] is type(None)


def test_a_stored_entry_that_is_not_code_is_compiled_anew(tmp_path, monkeypatch):
    import dataclasses
    import marshal

    monkeypatch.setattr(dataclasses, "exec", exec, raising=False)
    first = cache.CodeCache(dirs=(tmp_path,))
    first.install()
    _define(tag := uuid.uuid4().hex)
    sources = list(first.new)
    first.new = {src: marshal.dumps("not code") for src in sources}  # a planted/damaged value
    assert first.save()
    second = cache.CodeCache(dirs=(tmp_path,))
    assert second.install() == len(sources)
    Rec = _define(tag)
    assert Rec("x") == Rec("x") and set(second.new) == set(sources)  # compiled again


def test_a_damaged_or_foreign_code_cache_is_ignored(tmp_path, monkeypatch):
    import dataclasses

    monkeypatch.setattr(dataclasses, "exec", exec, raising=False)
    first = cache.CodeCache(dirs=(tmp_path,))
    first.install()
    _define(uuid.uuid4().hex)
    assert first.save()
    other = cache.CodeCache(dirs=(tmp_path,))
    other.key = "0" * 64  # another interpreter build reading the same file: a miss
    assert other.install() == 0
    assert cache.CodeCache(dirs=(tmp_path,)).install() > 0
    entry = tmp_path / first.file_name
    entry.write_bytes(entry.read_bytes()[:-10])  # truncated: the checksum fails
    assert cache.CodeCache(dirs=(tmp_path,)).install() == 0


def test_the_phrase_lists_read_back_as_built_and_follow_their_data(tmp_path, monkeypatch):
    """The near-miss phrase lists are stored under the hash of every file they are made of:
    read back as built, and built anew when one of those files changes."""
    from drafter.checker import nearmiss

    monkeypatch.setattr(cache, "PACKAGE_CACHE", _unwritable(tmp_path))
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path / "user"))
    t = nearmiss.tables()
    built = nearmiss._phrase_lists(t)
    source = nearmiss._phrases_source()
    assert cache.cached("nearmiss-phrases", source, lambda: nearmiss._phrase_lists(t)) == built
    assert cache.cached("nearmiss-phrases", source, lambda: None) == built  # read back
    order, known, spans, sound, form, mined_only, slots = built
    assert "营商环境" in order and "营商环境" in known and order == sorted(order)
    assert len(sound) == len(form) == len(order) and all(len(p) > 3 for p in spans)
    # Another data file, another key: the lists are built again, not read from the old entry.
    from drafter import datafiles

    original = datafiles.data_file

    def changed(name):
        if name == "phrases_mined.txt":
            extra = tmp_path / "phrases_mined.txt"
            extra.write_bytes(original(name).read_bytes() + "\n依法行政示范新增短语\n".encode())
            return extra
        return original(name)

    monkeypatch.setattr(datafiles, "data_file", changed)
    assert nearmiss._phrases_source() != source
