"""The catalogue is read from our WSDL: names, order, required-ness, kinds, enums, exclusions."""

from __future__ import annotations

from lxml import etree

from ips_tui.ips.catalog import catalog
from ips_tui.ips.schema import NS, OUR_WSDL, XSD, safe_parser

EXPECTED_JOBS = [
    "imageServingPublishJob", "imageRenderingPublishJob", "videoPublishJob", "serverDirectoryPublishJob",
    "metadataPublishJob", "uploadDirectoryJob", "uploadUrlsJob", "optimizeImagesJob", "ripPdfsJob",
    "reprocessAssetsJob", "createVideoSitemapJob", "exportJob", "automatedSetGenerationJob",
]


def test_thirteen_job_types_in_schema_order():
    assert list(catalog().jobs) == EXPECTED_JOBS
    assert [f.name for f in catalog().common] == [
        "companyHandle", "userHandle", "jobName", "locale", "execTime", "execSchedule", "description"]


def test_fields_follow_the_wsdl_sequence():
    root = etree.parse(str(OUR_WSDL), safe_parser()).getroot()
    ct = root.find(f".//{{{XSD}}}complexType[@name='UploadDirectoryJob']")
    names = [e.get("name") for e in ct.find(f"{{{XSD}}}sequence")]
    assert [f.name for f in catalog().job("uploadDirectoryJob").fields] == names
    assert NS in etree.tostring(root).decode()


def test_kinds_required_and_enums():
    isp = catalog().job("imageServingPublishJob")
    publish = isp.child("publishType")
    assert publish.required and publish.kind == "enum" and publish.choices == ("Full", "FullWithSearch", "Incremental")
    assert isp.child("httpCompletionUrl").kind == "string" and not isp.child("httpCompletionUrl").required
    urls = catalog().job("uploadUrlsJob")
    assert urls.child("urlArray").kind == "urls" and urls.child("urlArray").required  # required in practice
    assert [f.name for f in urls.child("urlArray").fields] == ["sourceUrl", "destPath"]
    assert urls.child("overwrite").kind == "boolean"
    assert urls.child("numUrls").kind == "int"
    crop = urls.child("knockoutBackgroundOptions")
    assert crop.kind == "group" and crop.child("tolerance").kind == "double" and crop.child("tolerance").bounds == (0.0, 1.0)
    pdf = urls.child("pdfOptions")
    assert pdf.child("process").choices == ("None", "Rasterize", "Thumbnail")
    assert urls.child("photoshopOptions").child("process").choices == ("None", "MaintainLayers")
    assert urls.child("inDesignOptions").child("process").kind == "string"  # values undocumented
    assert catalog().job("exportJob").child("assetHandleArray").kind == "handles"
    assert catalog().job("automatedSetGenerationJob").child("assetHandleArray").max_items == 1000


def test_exclusions_and_deprecation():
    repro = catalog().job("reprocessAssetsJob")
    groups = dict(repro.exclusions)
    assert groups["crop"] == ("manualCropOptions", "autoColorCropOptions", "autoTransparentCropOptions")
    assert "follow-on publish" in groups
    assert catalog().job("exportJob").exclusions == ()
    assert catalog().job("ripPdfsJob").replaced_by == "reprocessAssetsJob"
    assert all(j.label and j.description for j in catalog().jobs.values())


def test_every_field_has_a_label_and_help():
    missing = set()

    def walk(fields):
        for f in fields:
            if f.label == f.name or not f.help:
                missing.add(f.name)
            walk(f.fields)

    walk(catalog().common)
    for job in catalog().jobs.values():
        walk(job.fields)
    assert missing == set()
