"""open_bundle refuses damaged and hostile zips, each with a reason that names the problem.

The evil zips are built by hand with ``zipfile`` and, where ``zipfile`` will not write the lie,
by patching header bytes.
"""

from __future__ import annotations

import io
import stat
import struct
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import pytest

from reviewer_app.bundles import BundleError, BundleLimits, canonical_json, open_bundle
from reviewer_app.errors import ReviewerAppError
from tests.bundle_support import rewrite_zip, write_sample

MiB = 1024 * 1024


def make_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we want
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return path


# Offsets of a field in the local file header and in the central directory record.
_HEADER_FIELDS = {"flags": (6, 8, "<H"), "uncompressed_size": (22, 24, "<I")}


def patch_header(path: Path, name: str, field: str, value: int) -> None:
    """Overwrite ``field`` of entry ``name`` in both of its headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local_at = archive.getinfo(name).header_offset
    central_at = data.find(b"PK\x01\x02")
    while data[central_at + 46 : central_at + 46 + len(name)] != name.encode():
        central_at = data.find(b"PK\x01\x02", central_at + 4)
    local_offset, central_offset, layout = _HEADER_FIELDS[field]
    struct.pack_into(layout, data, local_at + local_offset, value)
    struct.pack_into(layout, data, central_at + central_offset, value)
    path.write_bytes(bytes(data))


def refusal(path: Path, limits: BundleLimits | None = None) -> str:
    with pytest.raises(BundleError) as caught:
        open_bundle(path, limits)
    assert isinstance(caught.value, ReviewerAppError)
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    return caught.value.reason


@pytest.fixture
def unsigned(tmp_path: Path) -> Path:
    return write_sample(tmp_path / "review.zip", signer=None)


def test_not_a_zip(tmp_path: Path) -> None:
    text = tmp_path / "notes.zip"
    text.write_text("just some notes", encoding="utf-8")
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")

    assert "not a zip" in refusal(text)
    assert "not a zip" in refusal(empty)
    assert "cannot read" in refusal(tmp_path / "absent.zip")


def test_truncated_zip(unsigned: Path) -> None:
    data = unsigned.read_bytes()
    unsigned.write_bytes(data[: len(data) // 2])

    assert "truncated" in refusal(unsigned)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../x.json", "path traversal"),
        ("records/../../x.json", "path traversal"),
        ("../", "path traversal"),
        ("/etc/passwd", "absolute path"),
        ("records\\x.json", "backslash"),
        ("C:/Windows/x.json", "drive letter"),
        ("c:x.json", "drive letter"),
        ("a//b.json", "empty or '.'"),
        ("./a.json", "empty or '.'"),
        ("notes.txt:hidden", "colon"),
        ("bell\x07.json", "control characters"),
    ],
)
def test_unsafe_entry_names(tmp_path: Path, name: str, reason: str) -> None:
    bundle = make_zip(tmp_path / "evil.zip", [("manifest.json", b"{}"), (name, b"x")])

    assert reason in refusal(bundle)


def test_nul_byte_in_entry_name(tmp_path: Path) -> None:
    bundle = make_zip(tmp_path / "evil.zip", [("safe.json@../../x", b"x")])
    bundle.write_bytes(bundle.read_bytes().replace(b"safe.json@", b"safe.json\x00"))

    assert "NUL byte" in refusal(bundle)


def test_symlink_entry(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("sources/paper.pdf")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    bundle = make_zip(tmp_path / "evil.zip", [(link, b"/etc/passwd")])

    assert "symbolic link" in refusal(bundle)


def test_device_file_entry(tmp_path: Path) -> None:
    device = zipfile.ZipInfo("dev.json")
    device.create_system = 3
    device.external_attr = (stat.S_IFCHR | 0o644) << 16
    bundle = make_zip(tmp_path / "evil.zip", [(device, b"")])

    assert "special file" in refusal(bundle)


@pytest.mark.parametrize("second", ["records.json", "RECORDS.json"])
def test_duplicate_entry_names(tmp_path: Path, second: str) -> None:
    bundle = make_zip(tmp_path / "evil.zip", [("records.json", b"[]"), (second, b"[1]")])

    assert "duplicate entry" in refusal(bundle)


def test_encrypted_entry(tmp_path: Path) -> None:
    bundle = make_zip(tmp_path / "evil.zip", [("records.json", b"[]")])
    patch_header(bundle, "records.json", "flags", 0x1)

    assert "encrypted" in refusal(bundle)


def test_unsupported_compression(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("records.json")
    info.compress_type = zipfile.ZIP_BZIP2
    bundle = make_zip(tmp_path / "evil.zip", [(info, b"[]")])

    assert "compression method 12" in refusal(bundle)


def test_too_many_entries(tmp_path: Path, unsigned: Path) -> None:
    bundle = make_zip(tmp_path / "many.zip", [(f"f{i}.json", b"{}") for i in range(5)])
    with zipfile.ZipFile(unsigned) as archive:
        entries = len(archive.namelist())

    assert "5 entries, over the limit of 4" in refusal(bundle, BundleLimits(max_entries=4))
    assert open_bundle(unsigned, BundleLimits(max_entries=entries)).members
    assert "over the limit" in refusal(unsigned, BundleLimits(max_entries=entries - 1))


def test_member_over_size_limit(tmp_path: Path) -> None:
    bundle = make_zip(tmp_path / "big.zip", [("sources/big.pdf", b"%PDF" * 1000)])

    assert "'sources/big.pdf' is 4000 bytes" in refusal(bundle, BundleLimits(max_member_bytes=3999))


def test_total_over_size_limit(tmp_path: Path) -> None:
    bundle = make_zip(tmp_path / "big.zip", [(f"part{i}.bin", bytes(1000)) for i in range(3)])

    assert "add up to more than" in refusal(bundle, BundleLimits(max_total_bytes=2500))


def test_archive_over_size_limit(unsigned: Path) -> None:
    assert "over the limit" in refusal(unsigned, BundleLimits(max_archive_bytes=100))


def test_compression_ratio_bomb(tmp_path: Path) -> None:
    bundle = make_zip(
        tmp_path / "bomb.zip", [("manifest.json", b"{}"), ("zeros.bin", bytes(50 * MiB))]
    )

    assert "zip bomb" in refusal(bundle)
    assert bundle.stat().st_size < MiB  # it really was a bomb


def test_header_understating_the_size_cannot_blow_memory(tmp_path: Path) -> None:
    bundle = make_zip(tmp_path / "liar.zip", [("records.json", bytes(50 * MiB))])
    patch_header(bundle, "records.json", "uncompressed_size", 1000)

    tracemalloc.start()
    try:
        reason = refusal(bundle)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "'records.json'" in reason
    assert peak < 8 * MiB  # nowhere near the 50 MiB the entry really holds


def test_header_overstating_the_size(tmp_path: Path) -> None:
    bundle = make_zip(tmp_path / "liar.zip", [("records.json", b"[" + b"1," * 500 + b"1]")])
    patch_header(bundle, "records.json", "uncompressed_size", 5000)

    assert "holds 1003 bytes but its header says 5000" in refusal(bundle)


def test_missing_manifest(tmp_path: Path) -> None:
    bundle = make_zip(tmp_path / "plain.zip", [("records.json", b"[]")])

    assert "manifest.json is missing" in refusal(bundle)


@pytest.mark.parametrize(
    ("manifest", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"format_version": 1, "format_version": 1}', "duplicate key"),
        (b'{"format_version": NaN}', "NaN is not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
        (b"[]", "not a JSON object"),
    ],
)
def test_unparseable_manifest(unsigned: Path, manifest: bytes, reason: str) -> None:
    rewrite_zip(unsigned, replace={"manifest.json": manifest})

    assert reason in refusal(unsigned)


def _edit_manifest(bundle: Path, **changes: object) -> None:
    manifest = open_bundle(bundle).manifest
    manifest.update(changes)
    rewrite_zip(bundle, replace={"manifest.json": canonical_json(manifest)})


def test_future_format_version(unsigned: Path) -> None:
    _edit_manifest(unsigned, format_version=7, new_field_of_format_7=True)

    assert refusal(unsigned) == (
        "bundle format 7 is newer than this app supports (2); update Synthesis Reviewer"
    )


@pytest.mark.parametrize(
    ("version", "reason"),
    [(0, "format 0 is not a format"), ("1", "no valid format_version"), (True, "no valid")],
)
def test_wrong_format_version(unsigned: Path, version: object, reason: str) -> None:
    _edit_manifest(unsigned, format_version=version)

    assert reason in refusal(unsigned)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"files": [{"path": "a.json", "size": 1}]}, "'sha256' is a required property"),
        ({"files": [{"path": "a.json", "size": 1, "sha256": "XYZ"}]}, "does not match"),
        ({"files": [{"path": "a.json", "size": -1, "sha256": "0" * 64}]}, "minimum"),
        ({"created": "yesterday"}, "'yesterday' does not match"),
        ({"reviewer": ""}, "should be non-empty"),
        ({"surprise": 1}, "'surprise' was unexpected"),
    ],
)
def test_manifest_schema_violations(
    unsigned: Path, changes: dict[str, object], reason: str
) -> None:
    _edit_manifest(unsigned, **changes)

    found = refusal(unsigned)
    assert found.startswith("manifest.json: ")
    assert reason in found


@pytest.mark.parametrize(
    ("listed", "reason"),
    [
        (["../outside.json"], "path traversal"),
        (["a.json", "A.json"], "listed twice"),
        (["manifest.sig"], "reserved name"),
    ],
)
def test_manifest_listing_unsafe_paths(unsigned: Path, listed: list[str], reason: str) -> None:
    _edit_manifest(unsigned, files=[{"path": p, "sha256": "0" * 64, "size": 0} for p in listed])

    assert reason in refusal(unsigned)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("signer.json", b"{}", "signer.json is malformed"),
        ("signer.json", b"not json", "signer.json is malformed"),
        ("manifest.sig", b"***", "manifest.sig is malformed"),
        ("manifest.sig", b"c2hvcnQ=", "64 bytes"),
    ],
)
def test_malformed_signature_files(unsigned: Path, name: str, content: bytes, reason: str) -> None:
    rewrite_zip(unsigned, add={name: content})

    assert reason in refusal(unsigned)


def test_directory_entries_are_tolerated(unsigned: Path) -> None:
    """Zips re-packed with common tools carry directory entries; they hold nothing."""
    rewrite_zip(unsigned, add={"sources/": b""})

    assert "sources/" not in open_bundle(unsigned).members
