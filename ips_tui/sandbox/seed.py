"""Demo data the sandbox starts with: three companies, users in different roles, publish contexts, assets
and set-generation scripts. The data is fixed so demos, docs and tests can name it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from ips_tui.sandbox.auth import Directory

DEMO_USER = "demo@sandbox.ips"
DEMO_PASSWORD = "sandbox-demo"

COMPANIES = (
    ("c|101", "Acme Retail"),
    ("c|102", "Brio Outdoor"),
    ("c|103", "Cielo Foods"),
)

# (email, password, {company handle: role}, first name, last name)
USERS = (
    (DEMO_USER, DEMO_PASSWORD, {"c|101": "IpsUser", "c|102": "IpsUser", "c|103": "IpsUser"}, "Dana", "Demo"),
    ("webservice@sandbox.ips", "sandbox-ws", {"c|101": "WebServiceUser", "c|102": "WebServiceUser"},
     "Wes", "Service"),
    ("companyadmin@sandbox.ips", "sandbox-admin", {"c|101": "IpsCompanyAdmin", "c|102": "IpsCompanyAdmin"},
     "Ada", "Admin"),
    ("solo@sandbox.ips", "sandbox-solo", {"c|103": "IpsUser"}, "Sol", "Onecompany"),
    ("portal@sandbox.ips", "sandbox-portal", {"c|102": "ImagePortalUser"}, "Pat", "Portal"),
    ("ipsadmin@sandbox.ips", "sandbox-ipsadmin", {"c|101": "IpsAdmin"}, "Ian", "Ipsadmin"),
)

_CONTEXTS = (
    ("ImageServing", "Image Serving"),
    ("ImageServing", "Image Serving (staging)"),
    ("ImageRendering", "Image Rendering"),
    ("Video", "Video"),
    ("ServerDirectory", "Server Directory"),
)

_ASSETS = {
    "c|101": ("shoe-red.jpg", "shoe-blue.jpg", "boot-brown.tif", "sandal-white.png", "bag-tote.psd",
              "catalog-spring.pdf", "banner-sale.jpg", "promo-video.mp4"),
    "c|102": ("tent-2p.jpg", "tent-4p.jpg", "backpack-35l.tif", "stove-mini.png", "lantern.jpg",
              "trail-map.pdf"),
    "c|103": ("salsa-verde.jpg", "salsa-roja.jpg", "tortilla-chips.png", "recipe-card.pdf",
              "cooking-demo.mp4"),
}

_SET_SCRIPTS = (
    ("Swatch sets by SKU", "SetScript"),
    ("Spin sets from numbered views", "SetScript"),
    ("Image sets by file prefix", "SetScript"),
)

_VIDEO_PRESETS = (
    ("Adaptive Video Encoding", "VideoEncodingPreset"),
    ("MP4 1080p", "VideoEncodingPreset"),
)


@dataclass(frozen=True)
class PublishContext:
    handle: str
    name: str
    type: str


@dataclass(frozen=True)
class Asset:
    handle: str
    name: str
    type: str


@dataclass(frozen=True)
class PropertySet:
    handle: str
    name: str
    type: str  # "SetScript" (set-generation script) or "VideoEncodingPreset"


@dataclass
class Catalog:
    """Per-company demo content."""

    contexts: dict[str, list[PublishContext]] = field(default_factory=dict)
    assets: dict[str, list[Asset]] = field(default_factory=dict)
    property_sets: dict[str, list[PropertySet]] = field(default_factory=dict)
    roots: dict[str, str] = field(default_factory=dict)  # company handle -> root folder path
    _libraries: dict = field(default_factory=dict)  # built by a company's first lookup (library.py)
    _library_lock: threading.Lock = field(default_factory=threading.Lock)

    def asset(self, company: str, handle: str) -> Asset | None:
        found = next((a for a in self.assets.get(company, ()) if a.handle == handle), None)
        if found is None and company in self.roots:
            lib = self.library(company).by_handle.get(handle)
            found = Asset(lib.handle, lib.file_name, lib.type) if lib is not None else None
        return found

    def library(self, company: str, root: str | None = None):
        """The company's folders and 10,000+ assets, generated on first use (start-up stays light)."""
        lib = self._libraries.get(company)
        if lib is None:
            from ips_tui.sandbox.library import build_library

            with self._library_lock:
                lib = self._libraries.get(company)
                if lib is None:
                    cid = company.split("|", 1)[-1]
                    lib = build_library(cid, root or self.roots[company], self.assets.get(company, ()))
                    self._libraries[company] = lib
        return lib


def _asset_type(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower()
    return {"pdf": "Pdf", "mp4": "Video", "psd": "Image", "tif": "Image"}.get(ext, "Image")


def build() -> tuple[Directory, Catalog]:
    directory = Directory()
    catalog = Catalog()
    for handle, name in COMPANIES:
        catalog.roots[handle] = directory.add_company(handle, name).root_path
        cid = handle.split("|")[1]
        catalog.contexts[handle] = [
            PublishContext(f"pc|{cid}{i:02d}", name_, type_) for i, (type_, name_) in enumerate(_CONTEXTS, 1)
        ]
        catalog.assets[handle] = [
            Asset(f"a|{cid}|{1000 + i}", asset, _asset_type(asset))
            for i, asset in enumerate(_ASSETS[handle], 1)
        ]
        catalog.property_sets[handle] = [
            PropertySet(f"ps|{cid}|{200 + i}", name_, type_)
            for i, (name_, type_) in enumerate(_SET_SCRIPTS + _VIDEO_PRESETS, 1)
        ]
    for email, password, roles, first, last in USERS:
        directory.add_user(email, password, roles, first_name=first, last_name=last)
    return directory, catalog
