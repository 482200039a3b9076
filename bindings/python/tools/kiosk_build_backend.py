# SPDX-License-Identifier: LGPL-2.1-or-later
"""In-tree PEP 517 / PEP 660 build backend for the pure-Python libkiosk package.

Why not setuptools: pip must install ./bindings/python offline into a venv of
any Python >= 3.9 on a machine, also where setuptools or wheel are absent
(Python 3.12 venvs have neither; pyenv builds have no wheel, so setuptools
fails with "invalid command 'bdist_wheel'"). A wheel of pure Python is a zip
file with a .dist-info folder (PEP 427), which the standard library writes.

It needs nothing but the standard library (build-system.requires = []), so
pip's isolated build env needs no download either, and it writes only into
the directories pip hands it: no build/ or *.egg-info in the source tree.

Metadata comes from pyproject.toml's [project] table. A dynamic version is
the project's single version source: project(libkiosk VERSION x.y.z) in the
top-level CMakeLists.txt (two folders up), or PKG-INFO in an sdist.
"""
import base64
import hashlib
import io
import os
import re
import tarfile
import time
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # bindings/python
PACKAGE = "libkiosk"
TAG = "py3-none-any"
# Reproducible archives: SOURCE_DATE_EPOCH when set (Debian, CI), else a fixed date.
_EPOCH = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
_ZIP_DATE = time.gmtime(max(_EPOCH, 315532800))[:6]


# ---- pyproject.toml ---------------------------------------------------------
def _parse_toml_subset(text):
    """Tables of key = "string" | ["string", ...] | {key = "string"} | number,
    enough for this package's pyproject.toml when tomllib is absent (< 3.11)."""
    data, table = {}, None
    lines = iter(text.splitlines())
    for line in lines:
        line = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        m = re.match(r"^\[([A-Za-z0-9_.\-]+)\]$", line)
        if m:
            table = data
            for part in m.group(1).split("."):
                table = table.setdefault(part, {})
            continue
        key, _, value = line.partition("=")
        key, value = key.strip().strip('"'), value.strip()
        while value.startswith("[") and value.count("[") > value.count("]"):
            value += " " + next(lines).split(" #", 1)[0].strip()
        table[key] = _toml_value(value)
    return data


def _toml_value(v):
    if v.startswith('"'):
        return v[1:v.rindex('"')].replace('\\"', '"')
    if v.startswith("["):
        return re.findall(r'"((?:[^"\\]|\\.)*)"', v)
    if v.startswith("{"):
        return {k: s for k, s in re.findall(r'([A-Za-z0-9_-]+)\s*=\s*"([^"]*)"', v)}
    if v in ("true", "false"):
        return v == "true"
    return v


def _pyproject():
    with open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    try:
        import tomllib  # Python >= 3.11
        return tomllib.loads(text)
    except ImportError:
        return _parse_toml_subset(text)


def _version(project):
    if "version" in project and "version" not in project.get("dynamic", []):
        return project["version"]
    cmake = os.path.join(HERE, "..", "..", "CMakeLists.txt")
    if os.path.exists(cmake):
        with open(cmake, encoding="utf-8") as f:
            m = re.search(r"^project\(\s*libkiosk\s+VERSION\s+([0-9][0-9.]*)", f.read(), re.M)
        if m:
            return m.group(1)
    pkg_info = os.path.join(HERE, "PKG-INFO")  # an unpacked sdist
    if os.path.exists(pkg_info):
        with open(pkg_info, encoding="utf-8") as f:
            m = re.search(r"^Version: (\S+)", f.read(), re.M)
        if m:
            return m.group(1)
    raise RuntimeError("libkiosk: no version (pyproject.toml, ../../CMakeLists.txt or PKG-INFO)")


def _metadata():
    project = _pyproject()["project"]
    name, version = project["name"], _version(project)
    lines = ["Metadata-Version: 2.1", "Name: " + name, "Version: " + version]
    if project.get("description"):
        lines.append("Summary: " + project["description"])
    lic = project.get("license")
    if isinstance(lic, dict) and lic.get("text"):
        lines.append("License: " + lic["text"])
    elif isinstance(lic, str):
        lines.append("License-Expression: " + lic)
    if project.get("requires-python"):
        lines.append("Requires-Python: " + project["requires-python"])
    for c in project.get("classifiers", []):
        lines.append("Classifier: " + c)
    for d in project.get("dependencies", []):
        lines.append("Requires-Dist: " + d)
    body = ""
    readme = project.get("readme")
    if isinstance(readme, str) and os.path.exists(os.path.join(HERE, readme)):
        lines.append("Description-Content-Type: text/markdown")
        with open(os.path.join(HERE, readme), encoding="utf-8") as f:
            body = "\n" + f.read()
    return name, version, "\n".join(lines) + "\n" + body


def _dist_info(name, version):
    return "%s-%s.dist-info" % (re.sub(r"[-_.]+", "_", name), version)


def _wheel_file():
    return "Wheel-Version: 1.0\nGenerator: kiosk_build_backend\nRoot-Is-Purelib: true\nTag: %s\n" % TAG


def _package_files():
    """(archive name, path) of every file the wheel carries: *.py and py.typed."""
    out = []
    for d, dirs, files in os.walk(os.path.join(HERE, PACKAGE)):
        dirs[:] = sorted(x for x in dirs if x != "__pycache__")
        for f in sorted(files):
            if f == "_install.py":  # written by cmake --install for its own copy only
                continue
            if f.endswith(".py") or f == "py.typed":
                path = os.path.join(d, f)
                out.append((os.path.relpath(path, HERE).replace(os.sep, "/"), path))
    return out


# ---- wheels -----------------------------------------------------------------
class _Wheel:
    def __init__(self, path):
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
        self.record = []

    def add(self, arcname, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        info = zipfile.ZipInfo(arcname, _ZIP_DATE)
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        self.record.append("%s,sha256=%s,%d" % (arcname, digest, len(data)))

    def close(self, dist_info):
        record = dist_info + "/RECORD"
        self.record.append(record + ",,")
        info = zipfile.ZipInfo(record, _ZIP_DATE)
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, "\n".join(self.record) + "\n")
        self.zip.close()


def _build(wheel_directory, editable):
    name, version, metadata = _metadata()
    dist_info = _dist_info(name, version)
    filename = "%s-%s-%s.whl" % (re.sub(r"[-_.]+", "_", name), version, TAG)
    whl = _Wheel(os.path.join(wheel_directory, filename))
    if editable:  # PEP 660: the source folder on sys.path
        whl.add("__editable__.%s.pth" % PACKAGE, HERE + "\n")
    else:
        for arcname, path in _package_files():
            if arcname == PACKAGE + "/_version.py":
                continue  # a stale generated copy: written below from the version source
            with open(path, "rb") as f:
                whl.add(arcname, f.read())
        # The version travels with the package (libkiosk.__version__).
        whl.add(PACKAGE + "/_version.py",
                "# SPDX-License-Identifier: LGPL-2.1-or-later\n"
                "# Generated by kiosk_build_backend from CMake's project(VERSION).\n"
                "__version__ = %r\n" % version)
    whl.add(dist_info + "/METADATA", metadata)
    whl.add(dist_info + "/WHEEL", _wheel_file())
    whl.add(dist_info + "/top_level.txt", PACKAGE + "\n")
    whl.close(dist_info)
    return filename


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    name, version, metadata = _metadata()
    dist_info = _dist_info(name, version)
    os.makedirs(os.path.join(metadata_directory, dist_info), exist_ok=True)
    for fname, text in (("METADATA", metadata), ("WHEEL", _wheel_file()),
                        ("top_level.txt", PACKAGE + "\n")):
        with open(os.path.join(metadata_directory, dist_info, fname), "w", encoding="utf-8") as f:
            f.write(text)
    return dist_info


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _build(wheel_directory, editable=False)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _build(wheel_directory, editable=True)


def build_sdist(sdist_directory, config_settings=None):
    name, version, metadata = _metadata()
    base = "%s-%s" % (re.sub(r"[-_.]+", "_", name), version)
    filename = base + ".tar.gz"
    files = [("pyproject.toml", os.path.join(HERE, "pyproject.toml")),
             ("README.md", os.path.join(HERE, "README.md")),
             ("tools/kiosk_build_backend.py", os.path.abspath(__file__))] + _package_files()
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz", format=tarfile.PAX_FORMAT) as tar:
        def add(arcname, data):
            info = tarfile.TarInfo(base + "/" + arcname)
            info.size, info.mtime, info.mode = len(data), _EPOCH, 0o644
            tar.addfile(info, io.BytesIO(data))
        for arcname, path in files:
            if os.path.exists(path):
                with open(path, "rb") as f:
                    add(arcname, f.read())
        add("PKG-INFO", metadata.encode("utf-8"))
    return filename
