"""A company's asset library in the sandbox: about 50 folders several levels deep and over 10,000 assets of
mixed types, generated deterministically (the same handles every run, so docs and tests can name them).

Built on a company's first lookup, never at start-up (the app embeds the sandbox; an idle one stays light).

Shape (below the company root, e.g. ``AcmeRetail/``):

- ``spring/`` ``summer/`` ``autumn/`` ``winter/``: 100 images each (names are numbers: ``spring/1001.jpg`` is
  asset ``1001``), and in ``shoes/men/`` ``shoes/women/`` ``shoes/kids/`` ``bags/`` ``apparel/`` ``banners/``
  350 each;
- ``archive/2024/spring/`` (and ``…/shoes/``), ``archive/2025/spring/``: copies of spring's first names, so
  ``1001`` names two assets (``spring/1001.jpg`` and ``archive/2024/spring/1001.jpg``);
- ``print/catalogs/`` ``print/flyers/``: PDFs; ``video/campaigns/`` ``video/tutorials/``: videos;
  ``color-profiles/``: ICC profiles (``sRGB-IEC61966-2.1.icc`` …); ``brand/``: SVG logos, Word guidelines;
  ``incoming/``: ZIP batches;
- about one asset in 97 is in the trash; two in three are marked for publish; three projects.
The seed's demo assets (``a|101|1001`` …) keep their handles and live in ``spring/``, ``print/catalogs/`` and
``video/campaigns/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

SEASONS = ("spring", "summer", "autumn", "winter")
SEASON_LEAVES = ("shoes/men", "shoes/women", "shoes/kids", "bags", "apparel", "banners")
ICC_PROFILES = (
    "sRGB-IEC61966-2.1", "AdobeRGB1998", "USWebCoatedSWOP", "ISOcoated_v2_eci", "GRACoL2006",
    "JapanColor2001Coated", "CoatedFOGRA39", "UncoatedFOGRA29", "DisplayP3", "ProPhotoRGB", "Gray-Gamma-2.2",
    "Dot-Gain-20",
)
PROJECTS = ("Spring launch", "Agency export", "Catalog 2027")
_EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
_EXT = {"Image": ".jpg", "Pdf": ".pdf", "Video": ".mp4", "IccProfile": ".icc", "Svg": ".svg", "Word": ".docx",
        "Zip": ".zip"}


@dataclass(frozen=True, slots=True)
class LibAsset:
    handle: str
    name: str
    type: str
    folder: str  # full path with the root, ending in "/"
    file_name: str
    trash_state: str = "NotInTrash"
    published: bool = True
    created: datetime = _EPOCH
    size: int = 0
    project: str | None = None  # project handle


@dataclass
class Library:
    root: str
    folders: list[str] = field(default_factory=list)  # full paths, root first
    children: dict[str, list[str]] = field(default_factory=dict)
    assets: list[LibAsset] = field(default_factory=list)
    by_handle: dict[str, LibAsset] = field(default_factory=dict)
    by_name: dict[str, list[LibAsset]] = field(default_factory=dict)
    projects: list[tuple[str, str]] = field(default_factory=list)  # (handle, name)

    def add_folder(self, path: str) -> None:
        if path in self.children:
            return
        parent = path[: path.rstrip("/").rfind("/") + 1] if path != self.root else None
        if parent is not None and parent not in self.children:
            self.add_folder(parent)
        self.folders.append(path)
        self.children[path] = []
        if parent is not None:
            self.children[parent].append(path)

    def add(self, asset: LibAsset) -> None:
        self.assets.append(asset)
        self.by_handle[asset.handle] = asset
        self.by_name.setdefault(asset.name, []).append(asset)

    def folder_path(self, path: str | None) -> str | None:
        """A request's folder path as a full path ending in "/" (the root prefix and the slash optional),
        or None when no such folder exists."""
        if not path:
            return self.root
        text = path.strip().lstrip("/")
        if not text.endswith("/"):
            text += "/"
        if not text.startswith(self.root):
            text = self.root + text
        return text if text in self.children else None


def build_library(company_id: str, root: str, seed_assets=()) -> Library:
    """The library of one company (``company_id`` "101", ``root`` "AcmeRetail/")."""
    lib = Library(root=root)
    lib.add_folder(root)
    cid = company_id
    lib.projects = [(f"p|{cid}|{i}", name) for i, name in enumerate(PROJECTS, 1)]
    counter = iter(range(20_001, 10**9))

    def add(folder: str, name: str, type_: str, i: int, project: int | None = None) -> None:
        n = next(counter)
        path = root + folder
        lib.add_folder(path)
        lib.add(LibAsset(
            handle=f"a|{cid}|{n}", name=name, type=type_, folder=path, file_name=name + _EXT[type_],
            trash_state="InTrash" if n % 97 == 13 else "NotInTrash", published=n % 3 != 0,
            created=_EPOCH + timedelta(minutes=7 * n), size=40_000 + (n * 7919) % 4_000_000,
            project=lib.projects[project][0] if project is not None else None,
        ))

    for seed in seed_assets:  # the demo assets keep their handles
        folder = {"Pdf": "print/catalogs/", "Video": "video/campaigns/"}.get(seed.type, "spring/")
        stem, _, ext = seed.name.rpartition(".")
        lib.add_folder(root + folder)
        lib.add(LibAsset(handle=seed.handle, name=stem or seed.name, type=seed.type, folder=root + folder,
                         file_name=seed.name, created=_EPOCH))
    number = 1000
    for s, season in enumerate(SEASONS):
        for i in range(100):
            add(f"{season}/", str(number), "Image", i, project=0 if season == "spring" else None)
            number += 1
        for leaf in SEASON_LEAVES:
            for i in range(350):
                add(f"{season}/{leaf}/", str(number), "Image", i)
                number += 1
    # the archive repeats spring's first names: the same name in different folders
    for folder, first, count in (("archive/2024/spring/", 1000, 50), ("archive/2024/spring/shoes/", 1100, 200),
                                 ("archive/2025/spring/", 1000, 20)):
        for i in range(count):
            add(folder, str(first + i), "Image", i)
    for folder, count in (("archive/2024/", 100), ("archive/2025/", 100)):
        for i in range(count):
            add(folder, f"{folder.split('/')[1]}-{i:04d}", "Image", i)
    for i in range(200):
        add("print/catalogs/", f"catalog-{i:03d}", "Pdf", i, project=2)
    for i in range(300):
        add("print/flyers/", f"flyer-{i:03d}", "Pdf", i)
    for i in range(150):
        add("video/campaigns/", f"campaign-{i:03d}", "Video", i)
    for i in range(100):
        add("video/tutorials/", f"tutorial-{i:03d}", "Video", i)
    for i, profile in enumerate(ICC_PROFILES):
        add("color-profiles/", profile, "IccProfile", i)
    for i in range(40):
        add("brand/logos/", f"logo-{i:02d}", "Svg", i)
    for i in range(10):
        add("brand/guidelines/", f"guidelines-{i:02d}", "Word", i)
    for i in range(60):
        add("incoming/", f"batch-{i:03d}", "Zip", i, project=1)
    # one name with a right-to-left override, twice: what a client prints of it must be made safe
    for folder in ("incoming/", "archive/2025/"):
        add(folder, "invoice-\u202egpj.exe", "Image", 0)
    for kids in lib.children.values():
        kids.sort()
    lib.folders.sort()
    return lib
