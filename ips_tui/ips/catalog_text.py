"""What the schema cannot say about job fields: allowed values, ranges, labels and help.

Values come from the API fact sheet (string-constant pages). Text is marked with ``N_``
and translated where it is shown.
"""

from __future__ import annotations

from ips_tui.i18n import N_

EMAIL_SETTINGS = ("All", "Error", "ErrorAndWarning", "JobCompletion", "None")
CORNERS = ("UpperLeft", "BottomLeft", "UpperRight", "BottomRight")
COLORSPACES = ("Auto", "Rgb", "Cmyk", "Gray")

# Allowed values, by "Type.field" (wins) or by field name.
ENUMS: dict[str, tuple[str, ...]] = {
    "emailSetting": EMAIL_SETTINGS,
    "publishType": ("Full", "FullWithSearch", "Incremental"),
    "fmt": ("orig", "convert"),
    "corner": CORNERS,
    "fillMethod": ("FloodFill", "MatchPixel"),
    "colorManagement": ("Default", "MaintainOriginal", "Convert"),
    "colorspace": COLORSPACES,
    "layerNaming": ("LayerName", "AppendNumber", "AppendName", "Folders"),
    "anchor": ("Center", "North", "Northwest", "West", "Southwest", "South", "Southeast", "East", "Northeast"),
    "PhotoshopOptions.process": ("None", "MaintainLayers"),
    "PostScriptOptions.process": ("None", "Rasterize"),
    "PDFOptions.process": ("None", "Rasterize", "Thumbnail"),
    "IllustratorOptions.process": ("None", "Rasterize"),
    "UnCompressOptions.process": ("None", "UnCompress"),
}

# Inclusive numeric bounds, by "Type.field" or field name.
RANGES: dict[str, tuple[float | None, float | None]] = {
    "tolerance": (0.0, 1.0),
    "UnsharpMaskOptions.amount": (0.0, 5.0),
    "UnsharpMaskOptions.radius": (0.0, 250.0),
    "UnsharpMaskOptions.threshold": (0, 255),
    "UnsharpMaskOptions.monochrome": (0, 1),
    "resolution": (1.0, None),
    "thumbnailTime": (0, None),
    "ManualCropOptions.left": (0, None),
    "ManualCropOptions.right": (0, None),
    "ManualCropOptions.top": (0, None),
    "ManualCropOptions.bottom": (0, None),
    "numUrls": (0, None),
}

# Only one member of each group may be set in one job (documented on the type pages).
EXCLUSIVE_GROUPS: dict[str, tuple[str, ...]] = {
    "crop": ("manualCropOptions", "autoColorCropOptions", "autoTransparentCropOptions"),
    "follow-on publish": ("postImageServingPublishJob", "postImageRenderingPublishJob", "postVideoPublishJob"),
}

# Optional in the schema, required in practice (docs; the 4.5 change log for urlArray), by "Type.field"
# or by path from the job element: a set-generation job without scripts has nothing to do.
REQUIRED_IN_PRACTICE = {
    "UploadUrlsJob.urlArray",
    "ExportJob.assetHandleArray",
    "automatedSetGenerationJob.autoSetCreationOptions.autoSetsArray",
}

# Most handles one array may hold, where the docs give a limit.
MAX_ITEMS = {"AutomatedSetGenerationJob.assetHandleArray": 1000}

# Spaces in text fields, by field name; the envelope carries the value after this rule, and that is the
# value every check sees (ips_tui/job/text_rules.py applies it; control characters and text-direction
# controls are refused in every text field).  Only the ASCII space counts.
#   exact:    sent as typed (the default)
#   trim:     spaces at either end dropped (the default for *Handle fields and handle arrays)
#   refuse:   spaces at either end are an error (a job name is found by its exact text)
#   collapse: tabs made spaces, trimmed, and runs of spaces inside made one (a Quartz schedule: Quartz splits
#             its fields on space and tab only, and reads anything else around them, a newline say, as an
#             extra, empty year field that never fires)
TEXT_SPACES: dict[str, str] = {
    "jobName": "refuse",
    "execSchedule": "collapse",
    "locale": "trim",
}

# Longest text the service keeps, in UTF-16 units (what Java counts), by field name.  No limit is documented
# (fact sheet 7.2); the service schedules through Quartz, whose job store holds job and trigger names in
# VARCHAR(200), and each run's name is the job name + "_" + a 23-character time (yyyy-MM-dd-HH:mm:ss.SSS),
# follow-on jobs add "_Pub": 200 - 24 - 4 = 172 leaves room for both.  The sandbox enforces the same.
MAX_LENGTH: dict[str, int] = {"jobName": 172}

JOB_TEXT: dict[str, tuple[str, str]] = {
    "imageServingPublishJob": (N_("Image Serving publish"), N_("Publish assets to Image Serving (full, with search, or incremental).")),
    "imageRenderingPublishJob": (N_("Image Rendering publish"), N_("Publish to the Image Rendering servers.")),
    "videoPublishJob": (N_("Video publish"), N_("Publish videos to the video servers.")),
    "serverDirectoryPublishJob": (N_("Server directory publish"), N_("Publish ready images, templates and spin sets to a server directory.")),
    "metadataPublishJob": (N_("Metadata publish"), N_("Publish new or changed metadata to the metadata server.")),
    "uploadDirectoryJob": (N_("Upload from server directory"), N_("Upload files from an FTP directory on the IPS side, often on a schedule.")),
    "uploadUrlsJob": (N_("Upload from URLs"), N_("Fetch files from URLs into IPS folders.")),
    "optimizeImagesJob": (N_("Optimize images"), N_("Optimize the remaining unoptimized files.")),
    "ripPdfsJob": (N_("Rip PDFs (deprecated)"), N_("Re-rip PDF files.")),
    "reprocessAssetsJob": (N_("Reprocess assets"), N_("Reprocess primary files, e.g. with new colour management or crop options.")),
    "createVideoSitemapJob": (N_("Create video sitemap"), N_("Build the company's video sitemap.")),
    "exportJob": (N_("Export assets"), N_("Export originals or converted renditions as a ZIP; the link is in the job log.")),
    "automatedSetGenerationJob": (N_("Automated set generation"), N_("Group assets into sets with set-generation scripts.")),
}

DEPRECATED_JOBS = {"ripPdfsJob": "reprocessAssetsJob"}

# Labels and one line of help, by field name (shared where the meaning is the same).
FIELD_TEXT: dict[str, tuple[str, str]] = {
    "companyHandle": (N_("Company handle"), N_("The company the job runs in, e.g. c|101 (from getCompanyMembership).")),
    "userHandle": (N_("On behalf of user"), N_("User handle the job is submitted for; notification e-mails go to this user.")),
    "jobName": (N_("Job name"), N_("A name to find the job by; the server adds a date-time to each run.")),
    "locale": (N_("Locale"), N_("Language of the job log and e-mails: ll or ll-CC, e.g. en-US.")),
    "execTime": (N_("Run at"), N_("One-shot run time, ISO-8601 with a zone, e.g. 2026-12-24T02:00:00-08:00.")),
    "execSchedule": (N_("Schedule"), N_("Quartz cron in the server's time zone: sec min hour day-of-month month day-of-week [year].")),
    "description": (N_("Description"), N_("Free text shown with the job in job lists and logs.")),
    "publishType": (N_("Publish type"), N_("Full republishes everything; Incremental only what changed.")),
    "emailSetting": (N_("E-mail"), N_("Which notifications to send: All, Error, ErrorAndWarning, JobCompletion or None.")),
    "httpCompletionUrl": (N_("Completion URL"), N_("A URL notified when the job completes.")),
    "contextHandle": (N_("Publish context"), N_("Publish-context handle (pc|…) from getPublishContexts; empty for the default.")),
    "forcePublish": (N_("Force publish"), N_("Republish all metadata, not only new or changed (can take hours).")),
    "forceUpdate": (N_("Force update"), N_("Needed when sitemap generation is configured as manual.")),
    "assetHandleArray": (N_("Asset handles"), N_("One asset handle per line, e.g. a|101|1001.")),
    "pdfHandleArray": (N_("PDF handles"), N_("One PDF asset handle per line.")),
    "projectHandleArray": (N_("Project handles"), N_("Projects to add the uploaded assets to, one per line.")),
    "autoSetsArray": (N_("Set-generation scripts"), N_("Property-set handles of the set-generation scripts, one per line.")),
    "videoEncodingPresetsArray": (N_("Video encoding presets"), N_("Property-set handles of video encoding presets, one per line.")),
    "fmt": (N_("Format"), N_("orig exports the original files; convert renders them with a modifier or macro.")),
    "is_modifier": (N_("Image Serving modifier"), N_("Appended to the convert request, e.g. &fmt=png.")),
    "macro": (N_("Macro"), N_("Image Serving preset name, e.g. $test$; it decides the output format.")),
    "clientId": (N_("Client id"), N_("Reserved by the service; leave empty.")),
    "destFolder": (N_("Destination folder"), N_("IPS folder to upload into; empty for the company root.")),
    "serverDir": (N_("Server directory"), N_("Source directory on the IPS (FTP) side.")),
    "overwrite": (N_("Overwrite"), N_("Replace assets that already exist.")),
    "readyForPublish": (N_("Ready for publish"), N_("Mark the assets ready for publish.")),
    "preservePublishState": (N_("Keep publish state"), N_("Keep an overwritten asset's publish state; unset uses the company default.")),
    "includeSubfolders": (N_("Include subfolders"), N_("Also upload the subfolders of the server directory.")),
    "createMask": (N_("Create mask"), N_("Create a mask from the image's clipping path.")),
    "processMetadataFiles": (N_("Process metadata files"), N_("Apply companion metadata XML files found with the uploads.")),
    "preserveCrop": (N_("Keep crop"), N_("Keep existing crop definitions (default true).")),
    "knockoutBackgroundOptions": (N_("Knockout background"), N_("Make the background around a corner transparent.")),
    "manualCropOptions": (N_("Manual crop"), N_("Crop a number of pixels from each edge. Only one crop option.")),
    "autoColorCropOptions": (N_("Auto colour crop"), N_("Crop the area of the corner's colour. Only one crop option.")),
    "autoTransparentCropOptions": (N_("Auto transparent crop"), N_("Crop transparent borders. Only one crop option.")),
    "photoshopOptions": (N_("Photoshop options"), N_("How PSD files are processed.")),
    "layerOptions": (N_("Layer options"), N_("How Photoshop layers become assets.")),
    "postScriptOptions": (N_("PostScript options"), N_("How EPS/PS files are rasterized.")),
    "pdfOptions": (N_("PDF options"), N_("How PDF files are processed.")),
    "illustratorOptions": (N_("Illustrator options"), N_("How AI files are rasterized.")),
    "inDesignOptions": (N_("InDesign options"), N_("How InDesign files are processed.")),
    "colorManagementOptions": (N_("Colour management"), N_("Keep, default or convert the colour profile.")),
    "autoSetCreationOptions": (N_("Set generation"), N_("Set-generation scripts to run on every uploaded asset.")),
    "mediaOptions": (N_("Video options"), N_("Encoding presets and thumbnails for video files.")),
    "thumbnailOptions": (N_("Thumbnail"), N_("Where in the video the thumbnail is taken.")),
    "unsharpMaskOptions": (N_("Unsharp mask"), N_("Sharpening applied to the optimized images.")),
    "unCompressOptions": (N_("Archives"), N_("Keep ZIP/TAR files as assets (None) or extract them (UnCompress).")),
    "postJobOnlyIfFiles": (N_("Follow-on only if files"), N_("Run the follow-on publish job only if files were uploaded.")),
    "postHttpUrl": (N_("Notify URL"), N_("A URL notified after the upload.")),
    "postImageServingPublishJob": (N_("Then: Image Serving publish"), N_("Follow-on publish after this job. Only one follow-on publish job.")),
    "postImageRenderingPublishJob": (N_("Then: Image Rendering publish"), N_("Follow-on publish after this job. Only one follow-on publish job.")),
    "postVideoPublishJob": (N_("Then: Video publish"), N_("Follow-on publish after this job. Only one follow-on publish job.")),
    "xmpKeywords": (N_("XMP keywords"), N_("Extra metadata applied to everything in the job.")),
    "excludeMasterVideoFromAVS": (N_("Exclude master video (deprecated)"), N_("Deprecated since 2022-09-01; leave unset.")),
    "urlArray": (N_("URLs"), N_("One per line: source URL, then a tab or space, then the IPS path.")),
    "sourceUrl": (N_("Source URL"), N_("Where to fetch the file.")),
    "destPath": (N_("Destination path"), N_("IPS folder path and file name, e.g. acme/spring/shoe.jpg.")),
    "numUrls": (N_("Number of URLs"), N_("The count of URLs; reported back in job lists.")),
    "corner": (N_("Corner"), N_("The corner whose colour is sampled.")),
    "tolerance": (N_("Tolerance"), N_("0.0 (exact match) to 1.0.")),
    "fillMethod": (N_("Fill method"), N_("FloodFill: the corner region; MatchPixel: every matching pixel.")),
    "left": (N_("Left"), N_("Pixels.")),
    "right": (N_("Right"), N_("Pixels.")),
    "top": (N_("Top"), N_("Pixels.")),
    "bottom": (N_("Bottom"), N_("Pixels.")),
    "process": (N_("Process"), N_("What to do with files of this kind.")),
    "resolution": (N_("Resolution"), N_("Rasterizing resolution in pixels per inch.")),
    "colorspace": (N_("Colour space"), N_("Auto, Rgb, Cmyk or Gray.")),
    "alpha": (N_("Transparent background"), N_("Keep a transparent background when rasterizing.")),
    "extractSearchWords": (N_("Extract search words"), N_("Index the words in the file for search.")),
    "pdfCatalog": (N_("Make eCatalog"), N_("Combine the pages into an eCatalog (default true).")),
    "extractLinks": (N_("Extract links"), N_("Turn links into image maps.")),
    "layerNaming": (N_("Layer naming"), N_("How layer assets are named.")),
    "anchor": (N_("Anchor"), N_("Where layers are anchored.")),
    "createTemplate": (N_("Create template"), N_("Make a template from the layers.")),
    "extractText": (N_("Extract text"), N_("Keep text layers as text.")),
    "extendLayers": (N_("Extend layers"), N_("Extend layers to the background's size.")),
    "colorManagement": (N_("Colour management"), N_("Default, MaintainOriginal or Convert.")),
    "sourceProfileHandle": (N_("Source profile"), N_("ICC profile asset handle.")),
    "outputProfileHandle": (N_("Output profile"), N_("ICC profile asset handle.")),
    "generateThumbnail": (N_("Generate thumbnail"), N_("Use a video frame as the thumbnail.")),
    "thumbnailTime": (N_("Thumbnail time"), N_("Milliseconds from the start of the video.")),
    "amount": (N_("Amount"), N_("0.0 to 5.0.")),
    "radius": (N_("Radius"), N_("0.0 to 250.0.")),
    "threshold": (N_("Threshold"), N_("0 to 255.")),
    "monochrome": (N_("Monochrome"), N_("0 sharpens each channel, 1 brightness only.")),
}

# Handle fields a job file may fill with a reference instead (``{ path = "…" }``, ``{ name = "…" }``, a search):
# what each one names. The resolver (ips_tui/resolve) turns references into handles through the service.
REFERENCES: dict[str, str] = {
    "assetHandleArray": "asset",
    "pdfHandleArray": "pdf",
    "projectHandleArray": "project",
    "contextHandle": "context",
    "userHandle": "user",
    "sourceProfileHandle": "icc",
    "outputProfileHandle": "icc",
    "destFolder": "folder",
}
