"""The FastAPI application of one instance: API, console and public page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from parley import __version__
from parley.instance import Instance
from parley.services.cache import InFlight
from parley.web import errors
from parley.web import jobs as web_jobs
from parley.web.api import agreements as api_agreements
from parley.web.api import children as api_children
from parley.web.api import jobs as api_jobs
from parley.web.api import lists as api_lists
from parley.web.api import matching as api_matching
from parley.web.api import system as api_system
from parley.web.api.exchange import medical as api_medical
from parley.web.api.exchange import stages as api_stages
from parley.web.api.registry import imports as api_imports
from parley.web.api.registry import persons as api_persons
from parley.web.api.remains import references as api_remains_references
from parley.web.api.remains import remains as api_remains
from parley.web.console import agreements as console_agreements
from parley.web.console import auth, pages
from parley.web.console import children as console_children
from parley.web.console import jobs as console_jobs
from parley.web.console import lists as console_lists
from parley.web.console import matching as console_matching
from parley.web.console import registry as console_registry
from parley.web.console.exchange import medical as console_medical
from parley.web.console.exchange import stages as console_stages
from parley.web.console.remains import remains as console_remains
from parley.web.console.rendering import STATIC, render
from parley.web.console.session import LoginRequired, login_redirect
from parley.web.headers import SecurityHeaders, ServedRequests
from parley.web.uploads import UploadGuard, upload_routes

API_PREFIX = "/api/v1"


def _console_error(request: Request, status: int, code: str, message: str) -> Response:
    return render(request, "error.html", status, code=code, message=message)


def create_app(instance: Instance, run_jobs: bool = True) -> FastAPI:
    """`run_jobs=False`: queued jobs are run by another process (`parley jobs work`), so a long
    job never shares this process's interpreter with the requests."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """The job worker lives as long as the server: jobs a restart cut off are failed at
        start-up (docs/jobs.md), and a job running at shutdown is cut off, not waited for.
        So does the warmer, which computes the kept figures again after a write
        (`services/cache.py`)."""
        worker = web_jobs.start_worker(app) if run_jobs else None
        warmer = app.state.warmer = instance.cache_warmer(serving.busy)
        warmer.start()
        yield
        warmer.stop()
        if worker is not None:
            worker.stop()

    app = FastAPI(
        lifespan=lifespan,
        title=f"Parley — {instance.config.name}",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        description=(
            "The registry, lists and tracks of one Parley instance. Every route but "
            "`/api/v1/health`, `/api/v1/public/figures` and `/api/v1/public/agreements` needs "
            "`Authorization: Bearer <token>` "
            "(issue one with `parley account token`). Errors are JSON with a stable `code`."
        ),
    )
    app.state.instance = instance
    app.state.jobs = None  # the job worker, started with the server (`web/jobs.py`)
    app.state.run_jobs = run_jobs
    app.state.warmer = None  # computes the kept figures again after a write, with the server
    serving = InFlight()  # the requests being served now: the warmer gives way to them

    api_routers = [
        api_system.router,
        api_persons.router,
        api_imports.router,
        api_matching.router,
        api_lists.router,
        api_children.router,
        api_medical.router,
        api_stages.router,
        api_agreements.router,
        api_agreements.public_router,
        api_remains.router,
        api_remains_references.router,
        api_jobs.router,
    ]
    console_routers = [
        auth.router,
        console_registry.router,
        pages.router,
        console_matching.router,
        console_lists.router,
        console_children.router,
        console_medical.router,
        console_stages.router,
        console_agreements.router,
        console_remains.router,
        console_jobs.router,
    ]
    api = APIRouter(prefix=API_PREFIX)
    for router in api_routers:
        api.include_router(router)
    app.include_router(api)
    for router in console_routers:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    errors.install(app, _console_error)
    uploads = upload_routes(
        [(API_PREFIX, r) for r in api_routers] + [("", r) for r in console_routers]
    )
    app.add_middleware(UploadGuard, instance=instance, routes=uploads, console_error=_console_error)

    @app.exception_handler(LoginRequired)
    async def _login(_request: Request, exc: LoginRequired) -> Response:
        return login_redirect(exc)

    app.add_middleware(ServedRequests, serving=serving)  # the warmer gives way to them
    app.add_middleware(SecurityHeaders)  # outermost: every response gets them
    return app
