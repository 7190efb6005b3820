"""Compile gettext catalogues into the wheel, so an installed package speaks Spanish."""

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self):
        import sys
        from pathlib import Path

        sys.path.insert(0, str(Path(__file__).parent))
        from ips_tui.i18n_build import compile_catalogues

        compile_catalogues()
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
