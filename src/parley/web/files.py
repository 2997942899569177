"""Files in, files out: the uploads and downloads the API and the console share.

An upload is refused beyond the size limit rather than truncated; a download names its file
and media type. The console imports these from here, never from `web/api`, so the two doors
take and give files the same way.
"""

from __future__ import annotations

from fastapi import HTTPException, UploadFile
from fastapi.responses import Response

from parley.domain.accounts.accounts import Actor
from parley.interchange.table_export import export_table
from parley.services.matching import export as match_export
from parley.services.uow import UnitOfWork

MAX_UPLOAD = 50 * 1024 * 1024

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


async def read_upload(file: UploadFile) -> tuple[str, bytes]:
    """The upload's name and bytes, refused beyond the size limit rather than truncated.

    `web.uploads` has already refused a body over the limit as it arrived; this refuses a file
    that fits the body's framing allowance but not the limit itself."""
    content = await file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise HTTPException(
            413, f"the upload is over the {MAX_UPLOAD // 1024 // 1024} MB limit; split the file"
        )
    return file.filename or "upload", content


def export_response(uow: UnitOfWork, actor: Actor, run_id: int, fmt: str) -> Response:
    """A run's results as a download; the API's export route and the console's link answer it."""
    table = match_export.export_rows(uow, actor, run_id)
    return Response(
        export_table(table.rows, table.columns, fmt),
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="match-run-{run_id}.{fmt}"'},
    )
