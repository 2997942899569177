"""/api/v1/imports: persons files."""

from __future__ import annotations

from fastapi import APIRouter, UploadFile
from pydantic import BaseModel

from parley.domain.accounts.accounts import Permission
from parley.services.registry import imports
from parley.web.deps import ActorDep, InstanceDep, UowDep
from parley.web.files import read_upload
from parley.web.uploads import upload_needs

router = APIRouter(prefix="/imports", tags=["import"])


class ImportOut(BaseModel):
    file: str
    sha256: str
    rows: int
    already_imported: bool
    import_id: int | None
    message: str


@router.post("/persons", response_model=ImportOut)
@upload_needs(Permission.IMPORT_RUN, Permission.REGISTRY_WRITE)
async def import_persons(
    file: UploadFile, actor: ActorDep, uow: UowDep, instance: InstanceDep
) -> ImportOut:
    """All rows or none; a refusal lists every problem with its row and field (HTTP 422)."""
    name, content = await read_upload(file)
    outcome = imports.import_persons(
        uow,
        actor,
        name,
        content,
        instance.config.party,
        instance.config.name_language,
    )
    record = outcome.record or outcome.already_imported
    return ImportOut(
        file=outcome.file,
        sha256=outcome.sha256,
        rows=outcome.rows,
        already_imported=outcome.already_imported is not None,
        import_id=record.id if record else None,
        message=outcome.message,
    )
