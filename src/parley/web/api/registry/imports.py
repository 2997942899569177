"""/api/v1/imports: persons files."""

from __future__ import annotations

from fastapi import APIRouter, UploadFile
from starlette.concurrency import run_in_threadpool

from parley.domain.accounts.accounts import Permission
from parley.services import registry
from parley.services.registry.views import PersonsImportView
from parley.web.deps import ActorDep, InstanceDep, UowDep
from parley.web.files import read_upload
from parley.web.uploads import upload_needs

router = APIRouter(prefix="/imports", tags=["import"])


@router.post("/persons", response_model=PersonsImportView)
@upload_needs(Permission.IMPORT_RUN, Permission.REGISTRY_WRITE)
async def import_persons(
    file: UploadFile, actor: ActorDep, uow: UowDep, instance: InstanceDep
) -> PersonsImportView:
    """All rows or none; a refusal lists every problem with its row and field (HTTP 422)."""
    name, content = await read_upload(file)
    # in a worker thread: on the event loop, an import would hold every other request
    return await run_in_threadpool(
        registry.import_persons_view,
        uow,
        actor,
        name,
        content,
        instance.config.party,
        instance.config.name_language,
    )
