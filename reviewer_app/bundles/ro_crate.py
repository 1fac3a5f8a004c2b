"""``ro-crate-metadata.json``: an RO-Crate 1.1 description of a bundle's files for research tools.

Written by hand (the ``rocrate`` package is not needed for a flat crate): the metadata descriptor
``ro-crate-metadata.json`` that ``conformsTo`` RO-Crate 1.1 and is ``about`` the root data
entity ``./``; the root ``Dataset`` (name, description, datePublished, author, hasPart, and a
licence when the reviewers give one); one ``File`` entity per payload file; the reviewers as
``Person``; and the export as a ``CreateAction`` whose result is the crate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from reviewer_app.bundles.layout import RO_CRATE_NAME

RO_CRATE_CONTEXT = "https://w3id.org/ro/crate/1.1/context"
RO_CRATE_SPEC = "https://w3id.org/ro/crate/1.1"
_FORMATS = {
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".pdf": "application/pdf",
    ".html": "text/html",
}


@dataclass(frozen=True)
class CratePerson:
    name: str
    orcid: str | None = None

    @property
    def id(self) -> str:
        if self.orcid:
            return f"https://orcid.org/{self.orcid}"
        return f"#reviewer-{quote(self.name, safe='')}"


def crate_metadata(
    files: Mapping[str, bytes],
    *,
    descriptions: Mapping[str, str],
    title: str,
    description: str,
    published: str,
    exporter: CratePerson,
    reviewers: Sequence[CratePerson],
    app_version: str,
    license_url: str | None = None,
) -> dict[str, Any]:
    """The RO-Crate JSON-LD for a bundle holding ``files`` (payload name -> bytes).

    ``files`` should not contain ``ro-crate-metadata.json`` itself; the descriptor covers it.
    """
    people = {person.id: person for person in (exporter, *reviewers)}
    names = sorted(name for name in files if name != RO_CRATE_NAME)
    file_entities = [
        {
            "@id": name,
            "@type": "File",
            "name": name.rsplit("/", 1)[-1],
            "description": descriptions.get(name, ""),
            "encodingFormat": _FORMATS.get(_suffix(name), "application/octet-stream"),
            "contentSize": str(len(files[name])),
        }
        for name in names
    ]
    root: dict[str, Any] = {
        "@id": "./",
        "@type": "Dataset",
        "name": title,
        "description": description,
        "datePublished": published,
        "author": {"@id": exporter.id},
        "hasPart": [{"@id": name} for name in names],
    }
    extra: list[dict[str, Any]] = []
    if license_url:  # the reviewers choose a licence; the app never picks one for them
        root["license"] = {"@id": license_url}
        extra.append({"@id": license_url, "@type": "CreativeWork", "name": license_url})
    return {
        "@context": RO_CRATE_CONTEXT,
        "@graph": [
            {
                "@id": RO_CRATE_NAME,
                "@type": "CreativeWork",
                "conformsTo": {"@id": RO_CRATE_SPEC},
                "about": {"@id": "./"},
            },
            root,
            *file_entities,
            *(
                {"@id": pid, "@type": "Person", "name": person.name}
                for pid, person in sorted(people.items())
            ),
            *extra,
            {
                "@id": "#export",
                "@type": "CreateAction",
                "name": "Export of a review bundle",
                "endTime": published,
                "agent": {"@id": exporter.id},
                "instrument": {"@id": "#synthesis-reviewer"},
                "result": {"@id": "./"},
            },
            {
                "@id": "#synthesis-reviewer",
                "@type": "SoftwareApplication",
                "name": "Synthesis Reviewer",
                "version": app_version,
            },
        ],
    }


def _suffix(name: str) -> str:
    file_name = name.rsplit("/", 1)[-1]
    return file_name[file_name.rfind(".") :] if "." in file_name else ""
